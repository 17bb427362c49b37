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
    expect(r.json()).toMatchObject({ status: 'pending', statusLabel: '待审核' });
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
    expect(detail).toMatchObject({ status: 'pending', canReview: true, person: { idMasked: expect.stringMatching(/^3299\*+\d{3}[\dX]$/) } });
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

  it('joining another union becomes a transfer that the old union releases', async () => {
    const dongtaiFed = await orgIdByName(t, '东台市新就业形态劳动者行业工会联合会');
    const r = await workerClient.post('/api/worker/join', {
      person: fakePerson(1),
      employment: { employmentForm: 'truck_driver' },
      targetOrgId: dongtaiFed,
      consent,
      idempotencyKey: 'key-0006-abcdef',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().isTransfer).toBe(true);
    const county = await t.login('county_admin');
    const d = (await county.get(`/api/join-applications/${r.json().id}`)).json();
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
