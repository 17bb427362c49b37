import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { JOIN_CONSENT } from './joining.schema.js';

let t: TestApp;
let enterprise: string;
let town: Client;

beforeAll(async () => {
  t = await createTestApp();
  const acc = await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow();
  enterprise = acc.org_id;
  town = await t.login('town_admin');
});
afterAll(async () => t?.close());

const consent = { agreed: true, version: JOIN_CONSENT.version };
const employment = { employerName: '东台某物流公司', employmentForm: 'truck_driver', isMigrantWorker: true };

describe('H5 join → review → member', () => {
  let workerClient: Client;
  let appId: string;

  it('a worker submits; resubmitting with the same idempotency key returns the same application', async () => {
    const person = fakePerson(1);
    workerClient = await t.workerLogin(person.phone);
    const body = { person, employment, targetOrgId: enterprise, consent, idempotencyKey: 'key-0001-abcdef' };
    const r = await workerClient.post('/api/worker/join', body);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'pending', statusLabel: '待审核', message: '已提交，等待工会审核' });
    appId = r.json().id;
    const again = await workerClient.post('/api/worker/join', body);
    expect(again.json().id).toBe(appId);
    const rows = await t.db.selectFrom('join_applications').select('id').execute();
    expect(rows).toHaveLength(1);
    const consentRow = await t.db.selectFrom('consents').selectAll().executeTakeFirstOrThrow();
    expect(consentRow.text_version).toBe(JOIN_CONSENT.version);
  });

  it('validates identity: checksum, birth-date agreement, the login phone', async () => {
    const w = await t.workerLogin('13900009999');
    const bad = await w.post('/api/worker/join', {
      person: fakePerson(2, { phone: '13900009999', idNumber: '329901199001010010' }),
      employment,
      targetOrgId: enterprise,
      consent,
      idempotencyKey: 'key-0002-abcdef',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields['person.idNumber']).toContain('校验位');
    const mismatch = await w.post('/api/worker/join', {
      person: fakePerson(3, { phone: '13900009999', birthDate: '1991-01-01' }),
      employment,
      targetOrgId: enterprise,
      consent,
      idempotencyKey: 'key-0003-abcdef',
    });
    expect(mismatch.json().error.fields['person.birthDate']).toBe('出生日期与身份证号不一致');
    const otherPhone = await w.post('/api/worker/join', {
      person: fakePerson(4),
      employment,
      targetOrgId: enterprise,
      consent,
      idempotencyKey: 'key-0004-abcdef',
    });
    expect(otherPhone.json().error.fields.phone).toBe('手机号须与登录手机号一致');
    const noConsent = await w.post('/api/worker/join', {
      person: fakePerson(5, { phone: '13900009999' }),
      employment,
      targetOrgId: enterprise,
      consent: { agreed: false, version: 'x' },
      idempotencyKey: 'key-0005-abcdef',
    });
    expect(noConsent.statusCode).toBe(400);
  });

  it('the union approves: membership, member number with the county prefix, message to the worker; a second reviewer is told', async () => {
    const detail = (await town.get(`/api/join-applications/${appId}`)).json();
    expect(detail).toMatchObject({
      status: 'pending',
      canReview: true,
      applicant: { idMasked: expect.stringMatching(/^3299\*+\d{3}[\dX]$/), name: fakePerson(1).name },
      roll: null,
      rollStatus: 'new',
    });
    const ok = await town.post(`/api/join-applications/${appId}/review`, { action: 'approve', version: detail.version });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('approved');
    const late = await town.post(`/api/join-applications/${appId}/review`, { action: 'reject', reason: '迟到的审核', version: detail.version });
    expect(late.statusCode).toBe(409);
    const mine = (await workerClient.get('/api/worker/join')).json().items;
    expect(mine[0].memberNo).toMatch(/^32098126\d{7}$/);
    const msgs = (await workerClient.get('/api/worker/messages')).json().items;
    expect(msgs[0].title).toBe('入会申请已通过');
    expect(t.sms.sent.get(fakePerson(1).phone)).toContain('入会申请已通过');
    const roll = (await town.get('/api/members?q=' + fakePerson(1).phone)).json();
    expect(roll.total).toBe(1);
    expect(roll.items[0]).toMatchObject({ status: 'active', employmentForm: 'truck_driver', phoneMasked: '139****0001' });
  });

  it('a member moves only by an explicit 转会, which the old union releases', async () => {
    const dongtaiFed = await orgIdByName(t, '东台市新就业形态劳动者行业工会联合会');
    const submit = (extra: object) =>
      workerClient.post('/api/worker/join', {
        person: fakePerson(1),
        employment: { employmentForm: 'truck_driver' },
        targetOrgId: dongtaiFed,
        consent,
        idempotencyKey: 'key-0006-abcdef',
        ...extra,
      });
    const before = (await workerClient.get('/api/worker/join')).json().items.length;
    // The account's own person is a member: the wizard alone does not start a 会籍转接.
    const silent = await submit({});
    expect(silent.statusCode, silent.body).toBe(409);
    expect(silent.json().error.message).toMatch(/您已是.+的会员。如需转到其他工会，请选择“转会”/);
    expect((await workerClient.get('/api/worker/join')).json().items).toHaveLength(before);
    // Applying to the union one is already a member of is refused as well, transfer or not.
    const own = await t.db
      .selectFrom('memberships as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .select('m.org_id')
      .where('m.status', '=', 'active')
      .where('p.worker_id', 'is not', null)
      .where('p.name', '=', fakePerson(1).name)
      .executeTakeFirstOrThrow();
    const same = await submit({ targetOrgId: own.org_id, idempotencyKey: 'key-0006-same-union', transfer: true });
    expect(same.statusCode, same.body).toBe(409);
    expect(same.json().error.message).toContain('无需再次申请');
    const r = await submit({ transfer: true });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).not.toHaveProperty('isTransfer');
    const county = await t.login('county_admin');
    const d = (await county.get(`/api/join-applications/${r.json().id}`)).json();
    // The reviewer (not the applicant) learns it is a transfer.
    expect(d).toMatchObject({
      isTransfer: true,
      rollStatus: 'member_elsewhere',
      roll: { membership: { inTarget: false } },
      differences: { name: false, phone: false },
    });
    const approved = await county.post(`/api/join-applications/${d.id}/review`, { action: 'approve', version: d.version });
    expect(approved.json().status).toBe('awaiting_release');
    const queue = (await town.get('/api/join-applications?releaseQueue=true')).json();
    expect(queue.items.map((i: { id: string }) => i.id)).toContain(d.id);
    const d2 = (await town.get(`/api/join-applications/${d.id}`)).json();
    expect(d2.canRelease).toBe(true);
    const released = await town.post(`/api/join-applications/${d.id}/release`, { version: d2.version });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json().status).toBe('approved');
    const live = await t.db.selectFrom('memberships').select(['org_id', 'status']).where('status', 'in', ['active', 'retained']).execute();
    expect(live).toEqual([{ org_id: dongtaiFed, status: 'active' }]);
    const member = (await county.get(`/api/members?q=${fakePerson(1).phone}`)).json().items.find((m: { status: string }) => m.status === 'active');
    const history = (await county.get(`/api/members/${member.id}`)).json().history.map((h: { type: string }) => h.type);
    expect(history).toEqual(['join', 'transfer_out', 'transfer_in']);
  });

  it('the database never allows two live memberships for one person', async () => {
    const m = await t.db.selectFrom('memberships').selectAll().where('status', '=', 'active').executeTakeFirstOrThrow();
    await expect(
      t.db
        .insertInto('memberships')
        .values({ person_id: m.person_id, org_id: '1', org_path: '/1/', status: 'active', joined_on: '2026-01-01', source: 'staff' })
        .execute(),
    ).rejects.toThrow(/memberships_one_live_per_person|duplicate/);
  });
});

describe('会籍 changes', () => {
  it('retain and leave are recorded events; a union with active members cannot be dissolved, and a transfer out of a dissolved union needs no release', async () => {
    const city = await t.login('city_admin');
    const county = await t.login('county_admin');
    // A small union under 东台市 with one member.
    const dongtai = await orgIdByName(t, '东台市总工会');
    const small = (await city.post('/api/orgs', { parentId: dongtai, type: 'grassroots', name: '即将撤销的小企业工会' })).json();
    const p = fakePerson(77);
    const w = await t.workerLogin(p.phone);
    const app = (await w.post('/api/worker/join', { person: p, employment: {}, targetOrgId: small.id, consent, idempotencyKey: 'key-0077-abcdef' })).json();
    const d = (await county.get(`/api/join-applications/${app.id}`)).json();
    expect((await county.post(`/api/join-applications/${app.id}/review`, { action: 'approve', version: d.version })).json().status).toBe('approved');
    const member = (await county.get(`/api/members?q=${p.phone}`)).json().items[0];

    const org = (await city.get(`/api/orgs/${small.id}`)).json();
    const refused = await city.post(`/api/orgs/${small.id}/dissolve`, { reason: '企业注销', version: org.version });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('1 名在会会员');

    const retained = await county.post(`/api/members/${member.id}/status`, { action: 'retain', reason: '失业，保留会籍', version: 1 });
    expect(retained.statusCode, retained.body).toBe(200);
    expect(retained.json().statusLabel).toBe('保留会籍');
    expect((await city.post(`/api/orgs/${small.id}/dissolve`, { reason: '企业注销', version: org.version })).statusCode).toBe(200);

    // The worker joins a 新工联; the old union no longer exists, so approval completes the transfer at once.
    const fed = await orgIdByName(t, '东台市新就业形态劳动者行业工会联合会');
    const app2 = (
      await w.post('/api/worker/join', {
        person: p,
        employment: { employmentForm: 'food_delivery' },
        targetOrgId: fed,
        consent,
        idempotencyKey: 'key-0078-abcdef',
        transfer: true,
      })
    ).json();
    const d2 = (await county.get(`/api/join-applications/${app2.id}`)).json();
    expect(d2.isTransfer).toBe(true);
    const ok = await county.post(`/api/join-applications/${app2.id}/review`, { action: 'approve', version: d2.version });
    expect(ok.json().status).toBe('approved');
    const now = (await county.get(`/api/members?q=${p.phone}&status=active`)).json().items;
    expect(now).toHaveLength(1);
    expect(now[0].org.id).toBe(fed);
    const history = (await county.get(`/api/members/${now[0].id}`)).json().history.map((h: { type: string; reason: string | null }) => h.type);
    expect(history).toEqual(['join', 'retain', 'transfer_out', 'transfer_in']);
    // Audit: the status change is recorded.
    const rows = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'member.retain').execute();
    expect(rows).toHaveLength(1);
  });

  it('full values need member:reveal and a reason, and are audited; lists stay masked', async () => {
    const county = await t.login('county_admin');
    const leader = await t.login('leader');
    const m = (await county.get('/api/members')).json().items[0];
    expect(m.idMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect((await leader.post(`/api/members/${m.id}/reveal`, { field: 'idNumber', reason: '核对身份' })).statusCode).toBe(403);
    const noReason = await county.post(`/api/members/${m.id}/reveal`, { field: 'idNumber' });
    expect(noReason.statusCode).toBe(400);
    const r = await county.post(`/api/members/${m.id}/reveal`, { field: 'idNumber', reason: '核对身份' });
    expect(r.statusCode).toBe(200);
    expect(r.json().value).toMatch(/^3299\d{13}[\dX]$/);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.reveal').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ field: 'idNumber', reason: '核对身份' });
  });

  it('pending for more than 15 working days shows as overdue', async () => {
    const p = fakePerson(88);
    const w = await t.workerLogin(p.phone);
    const submitted = await w.post('/api/worker/join', { person: p, employment: {}, targetOrgId: enterprise, consent, idempotencyKey: 'key-0088-abcdef' });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const app = submitted.json();
    const got = await town.get(`/api/join-applications/${app.id}`);
    expect(got.statusCode, got.body).toBe(200);
    expect((await town.get(`/api/join-applications/${app.id}`)).json().overdue).toBe(false);
    // Days pass (staff sign in again: sessions do not survive them).
    t.clock.advance(20 * 86_400_000); // from a Saturday, 20 calendar days = 15 working days: due, not yet overdue
    let staff = await t.login('town_admin');
    expect((await staff.get(`/api/join-applications/${app.id}`)).json().overdue).toBe(false);
    t.clock.advance(3 * 86_400_000);
    staff = await t.login('town_admin');
    expect((await staff.get(`/api/join-applications/${app.id}`)).json().overdue).toBe(true);
    const overdue = (await staff.get('/api/join-applications?overdue=true')).json();
    expect(overdue.items.map((i: { id: string }) => i.id)).toContain(app.id);
    const figures = (await staff.get(`/api/orgs/${enterprise}/join-figures`)).json();
    expect(figures).toMatchObject({ pending: 1, overdue: 1 });
  });
});

describe('per-org join QR code', () => {
  it('a worker looks up the union of the code; an unknown id is 404', async () => {
    const w = await t.workerLogin('13900008888');
    const dongtai = await orgIdByName(t, '东台市总工会');
    const r = await w.get(`/api/worker/join/unions/${dongtai}`);
    expect(r.statusCode, r.body).toBe(200);
    // A county union: it exists, but workers join a grassroots union under it (decision 009).
    expect(r.json()).toMatchObject({ id: dongtai, name: '东台市总工会', active: true, acceptsMembers: false });
    const found = (await w.get(`/api/worker/join/unions?q=${encodeURIComponent('东台')}`)).json().items as { name: string; typeLabel: string }[];
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((u) => u.name)).not.toContain('东台市总工会');
    expect((await w.get('/api/worker/join/unions')).json().error.fields.q).toBe('请输入工会名称');
    expect(r.json().pathNames).toContain('东台市总工会');
    expect(typeof r.json().typeLabel).toBe('string');
    const missing = await w.get('/api/worker/join/unions/999999999');
    expect(missing.statusCode).toBe(404);
    expect((await w.get('/api/worker/join/unions/abc')).statusCode).toBe(400);
  });
});
