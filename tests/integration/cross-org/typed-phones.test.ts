// Decision 044: a phone that staff typed (新增会员) or that came with an import row is no proof of who
// holds it. Otherwise staff — or anyone who may upload an import — could put a real person's ID number
// beside a spare phone of their own, sign in on the H5 with that phone and be phone-linked to the
// person (card, services, aid in their name). Each way in: staff add, the batched import, the
// row-by-row import and the bulk admission; then the legitimate way: the worker applies on the H5 and
// the reviewer confirms the link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../support/test-app.js';
import { fakePerson } from '../../support/people.js';
import type { StaffActor } from '../../../server/src/platform/context.js';
import { IMPORT_HEADERS } from '../../../server/src/modules/imports/imports.schema.js';
import { createImportsService } from '../../../server/src/modules/imports/imports.service.js';
import { admitMany } from '../../../server/src/modules/members/members.bulk.js';
import { personInput } from '../../../server/src/modules/members/members.schema.js';
import { JOIN_CONSENT } from '../../../server/src/modules/joining/joining.schema.js';

let t: TestApp;
let county: Client;
let town: Client;
let enterprise: string;

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('county_admin');
  town = await t.login('town_admin');
  enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
});
afterAll(async () => t?.close());

/** A real person's identity with somebody else's spare phone beside it. */
const victim = (n: number) => fakePerson(n, { phone: `1376660${String(n).padStart(4, '0')}` });

const personOf = (n: number) =>
  t.db
    .selectFrom('people')
    .select(['id', 'worker_id', 'phone_set_by_staff_at'])
    .where('id_bidx', '=', t.deps.crypto.blindIndex(`resident_id:${fakePerson(n).idNumber}`, 'id'))
    .executeTakeFirstOrThrow();

/** Signs in on the H5 with the spare phone: nothing of the person may come with it. */
async function noTakeover(n: number) {
  const w = await t.workerLogin(victim(n).phone);
  expect((await w.get('/api/worker/me')).json().worker.memberStatus).toBeNull();
  expect((await w.get('/api/worker/card')).statusCode).toBe(404);
  const p = await personOf(n);
  expect(p.worker_id).toBeNull();
  expect(p.phone_set_by_staff_at).not.toBeNull();
  const links = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'member.link_worker').where('target_id', '=', p.id).execute();
  expect(links).toEqual([]);
  return w;
}

const csv = (rows: ReturnType<typeof fakePerson>[]) => {
  const cells = (p: ReturnType<typeof fakePerson>) => IMPORT_HEADERS.map((h) => ({ 姓名: p.name, 证件号码: p.idNumber, 手机号: p.phone })[h as string] ?? '');
  return Buffer.from(`\uFEFF${[IMPORT_HEADERS.join(','), ...rows.map((p) => cells(p).join(','))].join('\r\n')}\r\n`, 'utf8');
};

describe('a phone typed by staff or imported links no H5 account by itself', () => {
  it('新增会员: staff add a person with a spare phone; signing in with it gets nothing', async () => {
    const r = await county.post('/api/members', { orgId: enterprise, person: victim(7701), reason: '工作人员录入' });
    expect(r.statusCode, r.body).toBe(200);
    await noTakeover(7701);
  });

  it('an import row (the batched merge): the same', async () => {
    const up = await county.request({
      method: 'POST',
      url: `/api/members/import?orgId=${enterprise}&fileName=${encodeURIComponent('名册.csv')}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: csv([victim(7702)]),
    });
    expect(up.statusCode, up.body).toBe(200);
    await t.services.features.imports.service.idle();
    expect((await county.get(`/api/import-jobs/${up.json().jobId}`)).json()).toMatchObject({ status: 'done', added: 1 });
    await noTakeover(7702);
  });

  it('an import row (the row-by-row path) and the bulk admission: the same', async () => {
    const s = t.services;
    const careful = createImportsService(
      { ...t.deps, audit: s.audit, orgs: s.orgs, members: s.members, joining: s.joining, messages: s.messages, holidays: s.holidays },
      { careful: true },
    );
    const acc = await t.db
      .selectFrom('staff_accounts as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select(['a.id', 'a.org_id', 'o.path'])
      .where('a.username', '=', 'county_admin')
      .executeTakeFirstOrThrow();
    const actor: StaffActor = {
      type: 'staff',
      accountId: acc.id,
      username: 'county_admin',
      displayName: '县总管理员',
      orgId: acc.org_id,
      orgPath: acc.path,
      permissions: new Set(['member:import']),
      sessionId: 'test',
    };
    const { jobId } = await careful.start(
      actor,
      { ip: '127.0.0.1', requestId: 'typed', userAgent: null },
      { orgId: enterprise, fileName: '逐行.csv' },
      csv([victim(7703)]),
    );
    await careful.idle();
    expect(await careful.get(actor, jobId)).toMatchObject({ status: 'done', added: 1 });
    await noTakeover(7703);

    const [bulk] = await t.db
      .transaction()
      .execute((trx) =>
        admitMany(
          trx,
          t.deps,
          [
            {
              person: personInput.parse(victim(7704)),
              employment: { employmentForm: 'standard', isMigrantWorker: false, isModelWorker: false },
              orgId: enterprise,
            },
          ],
          { source: 'import', actor: { type: 'system', id: null, name: '测试' } },
        ),
      );
    expect(bulk?.ok).toBe(true);
    await noTakeover(7704);
  });
});

describe('the legitimate way: the worker applies on the H5 and the reviewer confirms', () => {
  it('the reviewer is told the roll phone was typed; approval alone does not link, the confirmed link does', async () => {
    // 7705 is added by staff with the phone the worker really holds.
    const added = await county.post('/api/members', { orgId: enterprise, person: victim(7705) });
    expect(added.statusCode, added.body).toBe(200);
    const w = await noTakeover(7705);
    let key = 0;
    const apply = () =>
      w.post('/api/worker/join', {
        person: victim(7705),
        employment: {},
        targetOrgId: enterprise,
        consent: { agreed: true, version: JOIN_CONSENT.version },
        idempotencyKey: `typed-phone-${++key}-abcdef`,
      });

    const first = await apply();
    expect(first.statusCode, first.body).toBe(200);
    let d = (await town.get(`/api/join-applications/${first.json().id}`)).json();
    expect(d.account).toMatchObject({ phoneOnRoll: false, phoneTyped: true });
    const plain = await town.post(`/api/join-applications/${d.id}/review`, { action: 'approve', version: d.version });
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.json().accepted).toMatchObject({ linked: false });
    expect((await w.get('/api/worker/me')).json().worker.memberStatus).toBeNull();

    const second = await apply();
    expect(second.statusCode, second.body).toBe(200);
    d = (await town.get(`/api/join-applications/${second.json().id}`)).json();
    const linked = await town.post(`/api/join-applications/${d.id}/review`, { action: 'approve', version: d.version, linkWorker: true });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().accepted).toMatchObject({ linked: true, linkWorker: true });
    expect((await w.get('/api/worker/me')).json().worker.memberStatus).toBe('active');
    expect((await w.get('/api/worker/card')).json().member.name).toBe(victim(7705).name);
    const link = await t.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'member.link_worker')
      .where('target_id', '=', (await personOf(7705)).id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(link.detail!)).toMatchObject({ reason: 'reviewer' });
  });

  it('a person the worker’s own H5 application created keeps linking by its login phone', async () => {
    const p = fakePerson(7706);
    const w = await t.workerLogin(p.phone);
    const r = await w.post('/api/worker/join', {
      person: p,
      employment: {},
      targetOrgId: enterprise,
      consent: { agreed: true, version: JOIN_CONSENT.version },
      idempotencyKey: 'typed-phone-own-abcdef',
    });
    expect(r.statusCode, r.body).toBe(200);
    const d = (await town.get(`/api/join-applications/${r.json().id}`)).json();
    const ok = await town.post(`/api/join-applications/${d.id}/review`, { action: 'approve', version: d.version });
    expect(ok.json().accepted).toMatchObject({ linked: true, createdPerson: true });
    expect((await personOf(7706)).phone_set_by_staff_at).toBeNull();
    expect((await w.get('/api/worker/me')).json().worker.memberStatus).toBe('active');
  });
});
