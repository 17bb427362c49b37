// The rights repositories' queries as SQL, snapshotted beside them (rights.*.repository.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kysely';
import type { DB } from '../../server/src/db/schema.js';
import { approvedLegalAidApplication, rightsRepository } from '../../server/src/modules/rights/rights.repository.js';
import { consultationsRepository } from '../../server/src/modules/rights/rights.consultations.repository.js';
import { casesRepository } from '../../server/src/modules/rights/rights.cases.repository.js';
import { lettersRepository } from '../../server/src/modules/rights/rights.letters.repository.js';
import { ticketsRepository } from '../../server/src/modules/rights/rights.tickets.repository.js';
import { figuresRepository } from '../../server/src/modules/rights/rights.figures.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
let org: string;
beforeAll(async () => {
  t = await createTestApp();
  org = (await t.db.selectFrom('orgs').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

const at = new Date('2026-11-21T00:00:00Z');
const BY = 'tests/integration/sql-rights.test.ts';
const consultation = (db: Transaction<DB>) =>
  consultationsRepository.insert(db, { org_id: org, channel: 'window', topic: 'pay', name: '王某', summary: '欠薪', consulted_at: at });
const aCase = (db: Transaction<DB>) =>
  casesRepository.insert(db, {
    org_id: org,
    kind: 'mediation',
    dispute_type: 'pay',
    employer_name: '某公司',
    summary: '欠薪',
    claim_amount: '1',
    opened_on: '2026-11-21',
    due_on: '2026-12-06',
  });
const aPool = (db: Transaction<DB>) => casesRepository.insertPool(db, { org_id: org, name: '陈某', organisation: '律所', kind: 'lawyer' });
const aTicket = (db: Transaction<DB>) =>
  ticketsRepository.insert(db, { org_id: org, origin_org_id: org, title: '诉求', content: '内容', requester_name: '刘某' });

describe('rights repository SQL', () => {
  it('shared reads', async () => {
    const text = await captureSql(
      t,
      {
        orgInScope: (db) => rightsRepository.orgInScope(db, '/1/', '2'),
        org: (db) => rightsRepository.org(db, org),
        rootOrg: (db) => rightsRepository.rootOrg(db),
        workerIdentity: (db) => rightsRepository.workerIdentity(db, '1'),
        approvedLegalAidApplication: (db) => approvedLegalAidApplication(db, '/1/', '1'),
      },
      BY,
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/rights/rights.repository.sql');
  });

  it('consultations', async () => {
    const text = await captureSql(
      t,
      {
        insert: (db) => consultation(db),
        insertMessage: async (db) => {
          const c = await consultation(db);
          await consultationsRepository.insertMessage(db, { consultation_id: c.id, author: 'worker', author_name: '王某', body: '问题', at });
        },
        inScope: (db) => consultationsRepository.inScope(db, '/1/', '1'),
        ofWorker: (db) => consultationsRepository.ofWorker(db, '1', '1'),
        listOfWorker: (db) => consultationsRepository.listOfWorker(db, '1'),
        messages: (db) => consultationsRepository.messages(db, '1'),
        update: (db) => consultationsRepository.update(db, '1', 1, { status: 'answered', updated_at: at }),
        linkCase: (db) => consultationsRepository.linkCase(db, '1', 1, { case_id: '1', outcome: 'to_mediation', updated_at: at }),
        list: (db) =>
          consultationsRepository.list(db, '/1/', {
            orgPath: '/1/2/',
            channel: 'window',
            topic: 'pay',
            status: 'open',
            outcome: 'answered',
            q: '王',
            fromTs: at,
            toTs: at,
            limit: 20,
            offset: 0,
          }),
      },
      BY,
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/rights/rights.consultations.repository.sql');
  });

  it('cases and the pool', async () => {
    const text = await captureSql(
      t,
      {
        insert: (db) => aCase(db),
        insertParties: async (db) => casesRepository.insertParties(db, [{ case_id: (await aCase(db)).id, name: '王某', sort: 0 }]),
        addStaff: async (db) => casesRepository.addStaff(db, (await aCase(db)).id, [(await aPool(db)).id], 'mediator'),
        insertSession: async (db) =>
          casesRepository.insertSession(db, {
            case_id: (await aCase(db)).id,
            held_on: '2026-11-21',
            place: '调解中心',
            online: false,
            attendees: '双方',
            minutes: '笔录',
            at,
          }),
        insertEvent: async (db) => casesRepository.insertEvent(db, { case_id: (await aCase(db)).id, action: 'open', at }),
        inScope: (db) => casesRepository.inScope(db, '/1/', '1'),
        update: (db) => casesRepository.update(db, '1', 1, { status: 'succeeded', updated_at: at }),
        parties: (db) => casesRepository.parties(db, '1'),
        party: (db) => casesRepository.party(db, '1', '1'),
        staff: (db) => casesRepository.staff(db, '1'),
        sessions: (db) => casesRepository.sessions(db, '1'),
        events: (db) => casesRepository.events(db, '1'),
        byApplication: (db) => casesRepository.byApplication(db, '1'),
        list: (db) =>
          casesRepository.list(db, '/1/', {
            orgPath: '/1/2/',
            kind: 'mediation',
            status: 'open',
            overdueBefore: '2026-11-21',
            q: '王',
            from: '2026-01-01',
            to: '2026-12-31',
            limit: 20,
            offset: 0,
          }),
        insertPool: (db) => aPool(db),
        poolUsable: (db) => casesRepository.poolUsable(db, '/1/2/', ['1', '2']),
        poolList: (db) => casesRepository.poolList(db, '/1/2/', { kind: 'lawyer', available: true, limit: 20, offset: 0 }),
        poolOwned: (db) => casesRepository.poolOwned(db, '/1/', '1'),
        setPoolAvailable: (db) => casesRepository.setPoolAvailable(db, '1', false),
      },
      BY,
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/rights/rights.cases.repository.sql');
  });

  it('letters', async () => {
    const text = await captureSql(
      t,
      {
        nextSeq: (db) => lettersRepository.nextSeq(db, org, 2026),
        insert: (db) =>
          lettersRepository.insert(db, {
            org_id: org,
            kind: 'reminder',
            year: 2026,
            seq: 1,
            doc_no: '盐城工法〔2026〕1号',
            employer_name: '某公司',
            addressee: '某公司',
            title: '提示函',
            facts: '事实',
            legal_basis: '依据',
            demands: '要求',
            workers: '[]',
            issued_on: '2026-11-21',
            reply_due_on: '2026-12-01',
          }),
        inScope: (db) => lettersRepository.inScope(db, '/1/', '1'),
        related: (db) => lettersRepository.related(db, '1', '2'),
        update: (db) => lettersRepository.update(db, '1', 1, { status: 'rectified', updated_at: at }),
        list: (db) =>
          lettersRepository.list(db, '/1/', {
            orgPath: '/1/2/',
            kind: 'reminder',
            status: 'issued',
            overdueBefore: '2026-11-21',
            from: '2026-01-01',
            to: '2026-12-31',
            limit: 20,
            offset: 0,
          }),
      },
      BY,
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/rights/rights.letters.repository.sql');
  });

  it('tickets', async () => {
    const text = await captureSql(
      t,
      {
        insert: (db) => aTicket(db),
        insertEvent: async (db) => ticketsRepository.insertEvent(db, { ticket_id: (await aTicket(db)).id, action: 'create', at }),
        inScope: (db) => ticketsRepository.inScope(db, '/1/', '1'),
        update: (db) => ticketsRepository.update(db, '1', 1, { status: 'answered', updated_at: at }),
        events: (db) => ticketsRepository.events(db, '1'),
        claimOverdue: (db) => ticketsRepository.claimOverdue(db, '2026-11-21', at),
        list: (db) => ticketsRepository.list(db, '/1/', { orgPath: '/1/2/', status: 'open', overdue: true, fromTs: at, toTs: at, limit: 20, offset: 0 }),
      },
      BY,
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/rights/rights.tickets.repository.sql');
  });

  it('figures', async () => {
    const s = { path: '/1/', from: '2026-01-01', to: '2026-12-31', fromTs: at, toTs: at };
    const text = await captureSql(
      t,
      {
        consultations: (db) => figuresRepository.consultations(db, s),
        cases: (db) => figuresRepository.cases(db, s, '2026-11-21'),
        letters: (db) => figuresRepository.letters(db, s),
        tickets: (db) => figuresRepository.tickets(db, s),
      },
      BY,
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/rights/rights.figures.repository.sql');
  });
});
