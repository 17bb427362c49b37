// Issue 9 (decision 009), the channels: one open application per phone; answers that do not tell
// whether an ID is on the roll; age ≥ 16 and grassroots-level unions only (also through a campaign
// of a town). A file of its own: sign-ins are rate-limited per network and per app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson, fakeResidentId } from '../../../../tests/support/people.js';
import { makeMember } from '../../../../tests/support/members.js';
import { JOIN_CONSENT } from './joining.schema.js';

let t: TestApp;
let enterprise: string;

const consent = { agreed: true, version: JOIN_CONSENT.version };
let keyNo = 0;
const apply = (w: Client, person: Record<string, unknown>, targetOrgId = enterprise, extra: Record<string, unknown> = {}) =>
  w.post('/api/worker/join', { person, employment: {}, targetOrgId, consent, idempotencyKey: `channels-${++keyNo}-abcdef`, ...extra });

const phoneBidx = (phone: string) => t.deps.crypto.blindIndex(phone, 'phone');
/** The submission answer without what differs between any two submissions. */
const shape = (body: Record<string, unknown>) => {
  const { id: _id, submittedAt: _at, targetOrgName: _org, ...rest } = body;
  return rest;
};

beforeAll(async () => {
  t = await createTestApp();
  enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
});
afterAll(async () => t?.close());

describe('one open application per phone; answers that tell nothing about the roll', () => {
  it('(c) one phone, a second open application for another ID is refused (409), also by the database', async () => {
    const w = await t.workerLogin('13700005020');
    const first = await apply(w, fakePerson(5020, { phone: '13700005020' }));
    expect(first.statusCode, first.body).toBe(200);
    const second = await apply(w, fakePerson(5021, { phone: '13700005020' }));
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toContain('该手机号已有一份入会申请正在办理');
    const row = await t.db.selectFrom('join_applications').selectAll().where('id', '=', first.json().id).executeTakeFirstOrThrow();
    const { id: _id, version: _v, idempotency_key: _k, ...copy } = row;
    await expect(
      t.db
        .insertInto('join_applications')
        .values({ ...copy, details: '{}', applicant_extra: '{}', accepted: null })
        .execute(),
    ).rejects.toThrow(/join_applications_one_open_per_phone|duplicate/);
    // Withdrawn, the phone may apply again.
    expect((await w.post(`/api/worker/join/${first.json().id}/withdraw`, {})).statusCode).toBe(200);
    expect((await apply(w, fakePerson(5021, { phone: '13700005020' }))).statusCode).toBe(200);
  });

  it('(c) racing submissions from one phone for different IDs: exactly one is taken', async () => {
    const w = await t.workerLogin('13700005025');
    const answers = await Promise.all([5025, 5026, 5027, 5028, 5029].map((n) => apply(w, fakePerson(n, { phone: '13700005025' }))));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
    const open = await t.db.selectFrom('join_applications').select('id').where('applicant_phone_bidx', '=', phoneBidx('13700005025')).execute();
    expect(open).toHaveLength(1);
  });

  it('(d) the answer for an ID on the roll equals the answer for a new ID', async () => {
    const m = await makeMember(t, enterprise, 5030);
    const a = await t.workerLogin('13700005030');
    const b = await t.workerLogin('13700005031');
    const onRoll = await apply(a, { ...m.person, phone: '13700005030' });
    const fresh = await apply(b, fakePerson(5031, { phone: '13700005031' }));
    expect(onRoll.statusCode).toBe(fresh.statusCode);
    expect(shape(onRoll.json())).toEqual(shape(fresh.json()));
    expect(shape(onRoll.json())).toMatchObject({ status: 'pending', message: '已提交，等待工会审核' });
    const mineA = (await a.get('/api/worker/join')).json().items.map(shape);
    const mineB = (await b.get('/api/worker/join')).json().items.map(shape);
    expect(mineA).toEqual(mineB);
    expect(JSON.stringify(mineA)).not.toMatch(/isTransfer|会员|转接/);
  });
});

describe('who may apply where', () => {
  it('(f) under 16 on the day of applying is refused with the field named; 16 today is accepted', async () => {
    // The test clock: 2026-11-21 in China.
    const young = await t.workerLogin('13700005040');
    const r = await apply(young, fakePerson(5040, { phone: '13700005040', idNumber: fakeResidentId(5040, '20101122') }));
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields['person.idNumber']).toBe('申请入会须年满 16 周岁（按申请当日计算），满 16 周岁之日为 2026-11-22');
    const sixteen = await t.workerLogin('13700005041');
    const ok = await apply(sixteen, fakePerson(5041, { phone: '13700005041', idNumber: fakeResidentId(5041, '20101121') }));
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('(f) a county, town or city union is refused as a target; a 新工联 is accepted', async () => {
    const w = await t.workerLogin('13700005050');
    for (const name of ['东台市总工会', '溱东镇总工会', '盐城市总工会']) {
      const r = await apply(w, fakePerson(5050, { phone: '13700005050' }), await orgIdByName(t, name));
      expect(r.statusCode, name).toBe(400);
      expect(r.json().error.fields.targetOrgId).toContain('不直接接收会员');
    }
    expect(await t.db.selectFrom('join_applications').select('id').where('applicant_phone_bidx', '=', phoneBidx('13700005050')).execute()).toEqual([]);
    const fed = await apply(w, fakePerson(5050, { phone: '13700005050' }), await orgIdByName(t, '东台市新就业形态劳动者行业工会联合会'));
    expect(fed.statusCode, fed.body).toBe(200);
  });

  it('a campaign of a town: the worker picks a grassroots union under it; one outside it is refused', async () => {
    const county = await t.login('county_admin');
    const qindong = await orgIdByName(t, '溱东镇总工会');
    const camp = (await county.post('/api/campaigns', { orgId: qindong, name: '溱东镇入会月', startsOn: '2026-11-01', endsOn: '2026-12-31' })).json();
    const info = (await t.anonymous.get(`/api/public/campaigns/${camp.token}`)).json();
    expect(info.org).toMatchObject({ id: qindong, acceptsMembers: false });
    const w = await t.workerLogin('13700005060');
    const under = (await w.get(`/api/worker/join/unions?under=${qindong}`)).json().items as { id: string; typeLabel: string }[];
    expect(under.length).toBeGreaterThan(0);
    expect(under.every((u) => !/总工会|镇街/.test(u.typeLabel))).toBe(true);
    const p = fakePerson(5060, { phone: '13700005060' });
    const bare = await w.post('/api/worker/join', { person: p, employment: {}, campaignToken: camp.token, consent, idempotencyKey: 'identity-camp-1' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.fields.targetOrgId).toContain('不直接接收会员');
    const outside = await w.post('/api/worker/join', {
      person: p,
      employment: {},
      campaignToken: camp.token,
      targetOrgId: await orgIdByName(t, '东台市新就业形态劳动者行业工会联合会'),
      consent,
      idempotencyKey: 'identity-camp-2',
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields.targetOrgId).toContain('不在入会活动');
    const ok = await w.post('/api/worker/join', {
      person: p,
      employment: {},
      campaignToken: camp.token,
      targetOrgId: under[0]!.id,
      consent,
      idempotencyKey: 'identity-camp-3',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const row = await t.db
      .selectFrom('join_applications')
      .select(['channel', 'campaign_id', 'target_org_id'])
      .where('id', '=', ok.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'qr', campaign_id: camp.id, target_org_id: under[0]!.id });
  });
});
