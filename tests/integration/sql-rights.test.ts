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
import { checkupsRepository } from '../../server/src/modules/rights/rights.checkups.repository.js';
import { risksRepository } from '../../server/src/modules/rights/rights.risks.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';
import { makeMember, type TestMember } from '../support/members.js';

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
        byIdempotencyKey: (db) => consultationsRepository.byIdempotencyKey(db, '1', 'key-0001'),
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
        checkups: (db) => figuresRepository.checkups(db, s, '2026-11-21'),
        risks: (db) => figuresRepository.risks(db, s),
      },
      BY,
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/rights/rights.figures.repository.sql');
  });

  it('法治体检', async () => {
    const aCheckup = (db: Transaction<DB>) => checkupsRepository.insert(db, { org_id: org, employer_name: '某公司', checked_on: '2026-11-21' });
    const text = await captureSql(
      t,
      {
        items: (db) => checkupsRepository.items(db, true),
        insertItem: (db) => checkupsRepository.insertItem(db, { title: '劳务派遣', sort: 80 }),
        updateItem: (db) => checkupsRepository.updateItem(db, '1', 1, { active: false, updated_at: at }),
        item: (db) => checkupsRepository.item(db, '1'),
        insert: (db) => aCheckup(db),
        addStaff: async (db) => checkupsRepository.addStaff(db, (await aCheckup(db)).id, [(await aPool(db)).id]),
        insertFindingsFromTemplate: async (db) => checkupsRepository.insertFindingsFromTemplate(db, (await aCheckup(db)).id),
        insertEvent: async (db) => checkupsRepository.insertEvent(db, { checkup_id: (await aCheckup(db)).id, action: 'open', at }),
        inScope: (db) => checkupsRepository.inScope(db, '/1/', '1', '2026-11-21'),
        update: (db) => checkupsRepository.update(db, '1', 1, { status: 'closed', updated_at: at }),
        findings: (db) => checkupsRepository.findings(db, '1'),
        setFinding: (db) => checkupsRepository.setFinding(db, '1', '1', 'ok', null),
        insertRectifications: async (db) =>
          checkupsRepository.insertRectifications(db, [{ checkup_id: (await aCheckup(db)).id, task: '整改', owner: '人事', due_on: '2026-12-01', sort: 0 }]),
        rectifications: (db) => checkupsRepository.rectifications(db, '1'),
        finishRectification: (db) => checkupsRepository.finishRectification(db, '1', '1', '2026-11-21', '已完成'),
        staff: (db) => checkupsRepository.staff(db, '1'),
        events: (db) => checkupsRepository.events(db, '1'),
        list: (db) =>
          checkupsRepository.list(db, '/1/', '2026-11-21', {
            orgPath: '/1/2/',
            status: 'rectifying',
            riskLevel: 'high',
            overdueBefore: '2026-11-21',
            q: '某',
            from: '2026-01-01',
            to: '2026-12-31',
            limit: 20,
            offset: 0,
          }),
      },
      BY,
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/rights/rights.checkups.repository.sql');
  });

  it('信息员 and risk reports', async () => {
    const m: TestMember = await makeMember(t, org, 3690);
    const anInformant = (db: Transaction<DB>) => risksRepository.insertInformant(db, { org_id: org, person_id: m.personId, name: '王某', kind: 'gig' });
    const aRisk = async (db: Transaction<DB>) =>
      risksRepository.insert(db, {
        org_id: org,
        informant_id: (await anInformant(db)).id,
        worker_id: m.workerId,
        idempotency_key: 'key-0001',
        kind: 'stoppage',
        place: '某地',
        people_affected: 3,
        description: '停工',
        reported_at: at,
      });
    const text = await captureSql(
      t,
      {
        insertInformant: (db) => anInformant(db),
        informantInScope: (db) => risksRepository.informantInScope(db, '/1/', '1'),
        updateInformant: (db) => risksRepository.updateInformant(db, '1', 1, { active: false, updated_at: at }),
        listInformants: (db) => risksRepository.listInformants(db, '/1/', { orgPath: '/1/2/', kind: 'gig', active: true, q: '王', limit: 20, offset: 0 }),
        informantOfWorker: (db) => risksRepository.informantOfWorker(db, '1', true),
        insertPhoto: (db) =>
          risksRepository.insertPhoto(db, {
            worker_id: m.workerId,
            file_name: 'a.png',
            mime: 'image/png',
            size: 1,
            sha256: 'x',
            storage_key: 'rights/x',
            created_at: at,
          }),
        unlinkedPhotos: (db) => risksRepository.unlinkedPhotos(db, '1'),
        linkPhotos: (db) => risksRepository.linkPhotos(db, '1', '1', ['1', '2']),
        photosOf: (db) => risksRepository.photosOf(db, '1'),
        photo: (db) => risksRepository.photo(db, '1', '1'),
        expiredPhotos: (db) => risksRepository.expiredPhotos(db, at, 200),
        deletePhotos: (db) => risksRepository.deletePhotos(db, ['1']),
        byIdempotencyKey: (db) => risksRepository.byIdempotencyKey(db, '1', 'key-0001'),
        insert: (db) => aRisk(db),
        insertEvent: async (db) => risksRepository.insertEvent(db, { risk_id: (await aRisk(db)).id, action: 'report', at }),
        events: (db) => risksRepository.events(db, '1'),
        inScope: (db) => risksRepository.inScope(db, '/1/', '1'),
        update: (db) => risksRepository.update(db, '1', 1, { grade: 'severe', updated_at: at }),
        list: (db) =>
          risksRepository.list(db, '/1/', {
            orgPath: '/1/2/',
            grade: 'severe',
            status: 'graded',
            kind: 'stoppage',
            fromTs: at,
            toTs: at,
            limit: 20,
            offset: 0,
          }),
        listOfWorker: (db) => risksRepository.listOfWorker(db, '1'),
        upperUnions: (db) => risksRepository.upperUnions(db, '/1/2/3/'),
      },
      BY,
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/rights/rights.risks.repository.sql');
  });
});
