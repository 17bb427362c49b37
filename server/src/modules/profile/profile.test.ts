// The worker's own H5 (issue 11): one state for every page, session probes without 401, 个人信息,
// the phone change proven on the NEW phone, change requests the union reviews, and 注销.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember, type TestMember } from '../../../../tests/support/members.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { JOIN_CONSENT } from '../joining/joining.schema.js';

let t: TestApp;
let dongtaiUnion: string; // a grassroots union in 东台市
let otherUnion: string; // another grassroots union in 东台市
let city: Client;

const grassroots = async (countyName: string, offset = 0) => {
  const county = await t.db.selectFrom('orgs').select('id').where('name', '=', countyName).executeTakeFirstOrThrow();
  return (
    await t.db
      .selectFrom('orgs')
      .select('id')
      .where('path', 'like', `/1/${county.id}/%`)
      .where('type', '=', 'grassroots')
      .orderBy('id')
      .offset(offset)
      .limit(1)
      .executeTakeFirstOrThrow()
  ).id;
};

const apply = (w: Client, n: number, orgId: string, extra: Record<string, unknown> = {}) =>
  w.post('/api/worker/join', {
    person: fakePerson(n),
    employment: {},
    targetOrgId: orgId,
    consent: { agreed: true, version: JOIN_CONSENT.version },
    idempotencyKey: randomUUID(),
    ...extra,
  });

const auditActions = async (targetId: string) =>
  (await t.db.selectFrom('audit_log').select('action').where('target_id', '=', targetId).execute()).map((r) => r.action);

beforeAll(async () => {
  t = await createTestApp();
  dongtaiUnion = await grassroots('东台市总工会');
  otherUnion = await grassroots('东台市总工会', 1);
  city = await t.login('city_admin');
});
afterAll(async () => t?.close());

describe('one worker state for 首页, 我的, 入会 and 会员卡', () => {
  it('a new worker: no membership, no application, nothing unread', async () => {
    const w = await t.workerLogin(fakePerson(2101).phone);
    const s = (await w.get('/api/worker/state')).json();
    expect(s).toMatchObject({ memberStatus: null, member: null, application: null, unreadMessages: 0 });
    expect(s.worker.phoneMasked).toBe('139****2101');
  });

  it('an application being handled says where it is; /api/worker/me agrees', async () => {
    const w = await t.workerLogin(fakePerson(2102).phone);
    expect((await apply(w, 2102, dongtaiUnion)).statusCode).toBe(200);
    const s = (await w.get('/api/worker/state')).json();
    const union = await t.db.selectFrom('orgs').select('name').where('id', '=', dongtaiUnion).executeTakeFirstOrThrow();
    expect(s.member).toBeNull();
    expect(s.application).toMatchObject({ open: true, status: 'pending', statusLabel: '待审核', targetOrgName: union.name, where: `等待${union.name}审核` });
    expect((await w.get('/api/worker/me')).json().worker.memberStatus).toBe(s.memberStatus);
  });

  it('a member: name (masked for 首页), union, member number, the approval message unread', async () => {
    const m = await makeMember(t, dongtaiUnion, 2103);
    const s = (await m.worker.get('/api/worker/state')).json();
    const p = await t.db.selectFrom('people').select(['name', 'member_no']).where('id', '=', m.personId).executeTakeFirstOrThrow();
    expect(s.member).toMatchObject({ name: p.name, memberNo: p.member_no, status: 'active', statusLabel: '在会' });
    expect(s.member.nameMasked).toBe(`${[...p.name][0]}*${[...p.name][2]}`);
    expect(s.memberStatus).toBe('active');
    expect(s.application).toMatchObject({ open: false, status: 'approved' });
    expect(s.unreadMessages).toBeGreaterThan(0);
  });

  it('a member applying elsewhere is refused unless they chose 转会; with it the application waits like any other', async () => {
    const m = await makeMember(t, dongtaiUnion, 2104);
    const refused = await apply(m.worker, 2104, otherUnion);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('CONFLICT');
    const moved = await apply(m.worker, 2104, otherUnion, { transfer: true });
    expect(moved.statusCode, moved.body).toBe(200);
    const s = (await m.worker.get('/api/worker/state')).json();
    expect(s.member.status).toBe('active'); // still a member until the old union releases
    expect(s.application).toMatchObject({ open: true, status: 'pending' });
  });
});

describe('session probes: 200 either way (no 401 on a cold load)', () => {
  it('anonymous', async () => {
    for (const url of ['/api/session/worker', '/api/session/staff']) {
      const res = await t.anonymous.get(url);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ loggedIn: false });
    }
  });

  it('a worker: the state and the CSRF token; the staff probe does not take a worker cookie', async () => {
    const w = await t.workerLogin(fakePerson(2105).phone);
    const res = (await w.get('/api/session/worker')).json();
    expect(res.loggedIn).toBe(true);
    expect(res.csrfToken).toBe(w.csrfToken);
    expect(res.state.worker.phoneMasked).toBe('139****2105');
    expect((await w.get('/api/session/staff')).json()).toEqual({ loggedIn: false });
    expect((await w.post('/api/worker/logout')).statusCode).toBe(200);
    expect((await w.get('/api/session/worker')).json()).toEqual({ loggedIn: false });
  });

  it('staff: the account and the CSRF token', async () => {
    const res = (await city.get('/api/session/staff')).json();
    expect(res).toMatchObject({ loggedIn: true, csrfToken: city.csrfToken, account: { username: 'city_admin' } });
    expect((await city.get('/api/session/worker')).json()).toEqual({ loggedIn: false });
  });
});

describe('个人信息 and the phone change', () => {
  let m: TestMember;
  beforeAll(async () => {
    m = await makeMember(t, dongtaiUnion, 2110);
  });

  it('shows the full name and the roll (identity masked)', async () => {
    const p = (await m.worker.get('/api/worker/profile')).json();
    expect(p.person.name).toBe(m.person.name);
    expect(p.person.idMasked).toMatch(/^\d{4}\*+\d{3}[\dX]$/);
    expect(p.membership.orgName).toBeTruthy();
    expect(JSON.stringify(p)).not.toContain(m.person.idNumber);
  });

  it('the code goes to the new phone; the same phone or a wrong code is refused', async () => {
    expect((await m.worker.post('/api/worker/profile/phone-code', { phone: m.person.phone })).statusCode).toBe(400);
    const sent = await m.worker.post('/api/worker/profile/phone-code', { phone: '13812342110' });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(t.sms.sent.get('13812342110')).toContain('更换绑定手机号');
    const wrong = await m.worker.post('/api/worker/profile/phone', { phone: '13812342110', code: sent.json().demoCode === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields.code).toContain('验证码错误');
  });

  it('a code asked by one account does not work for another (bound to the account that asked)', async () => {
    const other = await t.workerLogin(fakePerson(2111).phone);
    const sent = (await other.post('/api/worker/profile/phone-code', { phone: '13812342111' })).json();
    const stolen = await m.worker.post('/api/worker/profile/phone', { phone: '13812342111', code: sent.demoCode });
    expect(stolen.statusCode).toBe(400);
    const account = await t.db.selectFrom('workers').select('phone_masked').where('id', '=', m.workerId).executeTakeFirstOrThrow();
    expect(account.phone_masked).toBe('139****2110');
  });

  it('a phone that is another account’s login is refused after the proof', async () => {
    await t.workerLogin('13812342112'); // an account with that phone
    t.clock.advance(61_000);
    const sent = (await m.worker.post('/api/worker/profile/phone-code', { phone: '13812342112' })).json();
    const res = await m.worker.post('/api/worker/profile/phone', { phone: '13812342112', code: sent.demoCode });
    expect(res.statusCode, res.body).toBe(409);
  });

  it('a phone on another person of the roll is refused after the proof (one phone, one person)', async () => {
    const other = fakePerson(2113);
    const added = await city.post('/api/members', { orgId: dongtaiUnion, person: other });
    expect(added.statusCode, added.body).toBe(200);
    t.clock.advance(61_000);
    const sent = (await m.worker.post('/api/worker/profile/phone-code', { phone: other.phone })).json();
    const res = await m.worker.post('/api/worker/profile/phone', { phone: other.phone, code: sent.demoCode });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.message).toContain('其他人员');
    const account = await t.db.selectFrom('workers').select('phone_masked').where('id', '=', m.workerId).executeTakeFirstOrThrow();
    expect(account.phone_masked).toBe('139****2110');
  });

  it('proven: the login phone and the roll’s phone change, other sessions end, audited', async () => {
    t.clock.advance(61_000);
    const second = await t.workerLogin(m.person.phone); // another device of the same account
    t.clock.advance(61_000);
    const sent = (await m.worker.post('/api/worker/profile/phone-code', { phone: '13812342110' })).json();
    const res = await m.worker.post('/api/worker/profile/phone', { phone: '13812342110', code: sent.demoCode });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().phoneMasked).toBe('138****2110');
    expect((await m.worker.get('/api/worker/state')).json().worker.phoneMasked).toBe('138****2110');
    expect((await second.get('/api/worker/state')).statusCode).toBe(401);
    const person = await t.db.selectFrom('people').select(['phone_masked', 'phone_bidx', 'worker_id']).where('id', '=', m.personId).executeTakeFirstOrThrow();
    expect(person.phone_masked).toBe('138****2110');
    expect(person.phone_bidx).toBe(t.deps.crypto.blindIndex('13812342110', 'phone'));
    expect(person.worker_id).toBe(m.workerId);
    expect(await auditActions(m.workerId)).toContain('worker.phone_change');
    // The code is spent; the new phone signs in to the same account, the old one to a new, unlinked account.
    expect((await m.worker.post('/api/worker/profile/phone', { phone: '13812342110', code: sent.demoCode })).statusCode).toBe(400);
    t.clock.advance(61_000);
    expect((await (await t.workerLogin('13812342110')).get('/api/worker/state')).json().worker.id).toBe(m.workerId);
    const old = (await (await t.workerLogin(m.person.phone)).get('/api/worker/state')).json();
    expect(old.worker.id).not.toBe(m.workerId);
    expect(old.member).toBeNull();
  });
});

describe('change requests the union reviews', () => {
  let m: TestMember;
  beforeAll(async () => {
    m = await makeMember(t, dongtaiUnion, 2120);
  });

  it('a worker who is not a member cannot file one', async () => {
    const w = await t.workerLogin(fakePerson(2121).phone);
    const res = await w.post('/api/worker/profile/changes', { employerName: '某公司' });
    expect(res.statusCode).toBe(409);
  });

  it('nothing to change, or an unknown field, is refused; the body names no person', async () => {
    expect((await m.worker.post('/api/worker/profile/changes', {})).statusCode).toBe(400);
    expect((await m.worker.post('/api/worker/profile/changes', { employerName: '某公司', personId: '1' })).statusCode).toBe(400);
  });

  it('filed: the roll does not change; a second one waits; the union approves at its version and the roll changes', async () => {
    const res = await m.worker.post('/api/worker/profile/changes', { employerName: '东台新单位有限公司', address: '东台市望海路 8 号' });
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().id as string;
    expect((await m.worker.post('/api/worker/profile/changes', { address: '别处' })).statusCode).toBe(409);
    const before = await t.db.selectFrom('memberships').select(['employer_name', 'version']).where('id', '=', m.membershipId).executeTakeFirstOrThrow();
    expect(before.employer_name).not.toBe('东台新单位有限公司');

    const county = await t.login('county_admin'); // 东台市: the union is in its subtree
    const list = (await county.get('/api/member-change-requests?status=pending')).json();
    const row = list.items.find((r: { id: string }) => r.id === id);
    expect(row).toMatchObject({ name: m.person.name, status: 'pending', changes: { employerName: { to: '东台新单位有限公司' }, address: { from: null } } });
    expect((await county.post(`/api/member-change-requests/${id}/review`, { decision: 'refuse', version: row.version })).statusCode).toBe(400); // a refusal needs a reason
    expect((await county.post(`/api/member-change-requests/${id}/review`, { decision: 'approve', version: row.version + 1 })).statusCode).toBe(409);
    const ok = await county.post(`/api/member-change-requests/${id}/review`, { decision: 'approve', version: row.version });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await county.post(`/api/member-change-requests/${id}/review`, { decision: 'approve', version: row.version })).statusCode).toBe(409);

    const after = await t.db.selectFrom('memberships').select(['employer_name', 'version']).where('id', '=', m.membershipId).executeTakeFirstOrThrow();
    expect(after.employer_name).toBe('东台新单位有限公司');
    expect(after.version).toBe(before.version + 1);
    const p = (await m.worker.get('/api/worker/profile')).json();
    expect(p.person.address).toBe('东台市望海路 8 号');
    expect(p.membership.employerName).toBe('东台新单位有限公司');
    // …and the roll shows the approved address to the union's staff.
    const onRoll = (await county.get(`/api/members/${m.membershipId}`)).json();
    expect(onRoll).toMatchObject({ address: '东台市望海路 8 号', employerName: '东台新单位有限公司', isFrontline: false });
    expect(await auditActions(id)).toEqual(expect.arrayContaining(['member.change_request', 'member.change_approve']));
    const inbox = (await m.worker.get('/api/worker/messages')).json().items as { title: string }[];
    expect(inbox.map((x) => x.title)).toContain('信息变更已通过');
  });

  it('refused with a reason: the roll stays; withdrawn only by its own worker', async () => {
    const res = await m.worker.post('/api/worker/profile/changes', { address: '盐城市某路 1 号' });
    const id = res.json().id as string;
    const county = await t.login('county_admin');
    const row = (await county.get('/api/member-change-requests')).json().items.find((r: { id: string }) => r.id === id);
    const refused = await county.post(`/api/member-change-requests/${id}/review`, { decision: 'refuse', reason: '地址不详', version: row.version });
    expect(refused.statusCode, refused.body).toBe(200);
    expect((await m.worker.get('/api/worker/profile')).json().person.address).toBe('东台市望海路 8 号');

    const again = (await m.worker.post('/api/worker/profile/changes', { address: '盐城市某路 2 号' })).json().id as string;
    const stranger = await t.workerLogin(fakePerson(2122).phone);
    expect((await stranger.post(`/api/worker/profile/changes/${again}/withdraw`)).statusCode).toBe(404);
    expect((await m.worker.post(`/api/worker/profile/changes/${again}/withdraw`)).statusCode).toBe(200);
    expect((await m.worker.post(`/api/worker/profile/changes/${again}/withdraw`)).statusCode).toBe(409);
    const mine = (await m.worker.get('/api/worker/profile/changes')).json().items as { id: string; status: string }[];
    expect(mine.map((x) => x.status)).toEqual(['withdrawn', 'refused', 'approved']);
  });

  it('staff of another county get 404 and an empty list; anonymous 401', async () => {
    const filed = (await m.worker.post('/api/worker/profile/changes', { address: '东台市某路 3 号' })).json().id as string;
    const sheyang = await t.login('sheyang_admin');
    const res = await sheyang.post(`/api/member-change-requests/${filed}/review`, { decision: 'approve', version: 1 });
    expect(res.statusCode).toBe(404);
    expect((await sheyang.get('/api/member-change-requests')).body).not.toContain(m.person.name);
    expect((await t.anonymous.get('/api/member-change-requests')).statusCode).toBe(401);
    expect((await t.anonymous.post(`/api/member-change-requests/${filed}/review`, { decision: 'approve', version: 1 })).statusCode).toBe(401);
    expect((await t.anonymous.post('/api/worker/profile/changes', { address: 'x' })).statusCode).toBe(401);
    await m.worker.post(`/api/worker/profile/changes/${filed}/withdraw`);
  });
});

describe('注销', () => {
  // The SMS codes per IP and hour (every test login comes from one address): a new hour.
  beforeAll(() => t.clock.advance(61 * 60_000));
  it('needs the words typed, and waits for an application being handled', async () => {
    const w = await t.workerLogin(fakePerson(2130).phone);
    expect((await w.post('/api/worker/account/close', {})).statusCode).toBe(400);
    expect((await apply(w, 2130, dongtaiUnion)).statusCode).toBe(200);
    const res = await w.post('/api/worker/account/close', { confirm: '确认注销' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('入会申请');
  });

  it('closes the login and every session; the membership stays on the roll; the phone signs up anew', async () => {
    const m = await makeMember(t, dongtaiUnion, 2131);
    t.clock.advance(61_000);
    const second = await t.workerLogin(m.person.phone);
    await m.worker.post('/api/worker/profile/changes', { address: '待撤回' });
    const res = await m.worker.post('/api/worker/account/close', { confirm: '确认注销' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await m.worker.get('/api/worker/state')).statusCode).toBe(401);
    expect((await second.get('/api/worker/state')).statusCode).toBe(401);
    const membership = await t.db.selectFrom('memberships').select('status').where('id', '=', m.membershipId).executeTakeFirstOrThrow();
    expect(membership.status).toBe('active');
    const person = await t.db.selectFrom('people').select('worker_id').where('id', '=', m.personId).executeTakeFirstOrThrow();
    expect(person.worker_id).toBeNull();
    const account = await t.db.selectFrom('workers').select(['closed_at', 'phone_masked']).where('id', '=', m.workerId).executeTakeFirstOrThrow();
    expect(account.closed_at).not.toBeNull();
    expect(account.phone_masked).toBe('已注销');
    expect(await auditActions(m.workerId)).toContain('worker.close');
    const pending = await t.db.selectFrom('member_change_requests').select('status').where('worker_id', '=', m.workerId).execute();
    expect(pending.map((r) => r.status)).toEqual(['withdrawn']);
    // Signing in again with the phone: a new account, linked to the roll by its phone (decision 009).
    t.clock.advance(61_000);
    const again = (await (await t.workerLogin(m.person.phone)).get('/api/worker/state')).json();
    expect(again.worker.id).not.toBe(m.workerId);
    expect(again.member?.status).toBe('active');
  });
});
