// Staff add or correct ONE member from the console (issue 11, item 11) — and the doors an attacker
// would try: another org's member (404), a union outside the caller's subtree as a transfer target
// (404), an existing person typed again, a phone that belongs to a registered worker account or to
// another person, an ID correction onto another person's number, a stale version (409), anonymous
// (401), no member:write (403). Every change is audited; name/ID corrections with before/after masked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { fakePerson } from '../../support/people.js';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

interface Detail {
  id: string;
  name: string;
  idMasked: string;
  phoneMasked: string;
  employerName: string | null;
  org: { id: string; name: string };
  status: string;
  version: number;
  memberNo: string;
}

async function audits(action: string) {
  return t.db.selectFrom('audit_log').select(['target_id', 'detail', 'org_id', 'outcome']).where('action', '=', action).orderBy('id').execute();
}

beforeAll(async () => {
  t = await createTestApp();
  as.county = await t.login('county_admin');
  as.town = await t.login('town_admin');
  as.sheyang = await t.login('sheyang_admin');
  as.leader = await t.login('leader');
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  ids.grassroots = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  ids.town = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'town_admin').executeTakeFirstOrThrow()).org_id;
  // 射阳's member, added by 射阳's own staff through the same door
  const sy = await as.sheyang.post('/api/members', { orgId: ids.sheyang, person: fakePerson(3101), employment: { employerName: '射阳某物流公司' } });
  expect(sy.statusCode, sy.body).toBe(200);
  ids.sheyangMember = sy.json().id;
});
afterAll(async () => t?.close());

describe('members: one-member edits across orgs', () => {
  crossOrgCases(() => as, {
    'POST /api/members': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/members', body: { orgId: ids.sheyang, person: fakePerson(3102) } }),
    },
    'PATCH /api/members/:id': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'PATCH', url: `/api/members/${ids.sheyangMember}`, body: { version: 1, employerName: '越权修改' } }),
    },
    'POST /api/members/:id/identity': {
      kind: 'by-id',
      as: 'county',
      request: () => ({
        method: 'POST',
        url: `/api/members/${ids.sheyangMember}/identity`,
        body: { version: 1, name: '王越权', reason: '越权更正', evidence: '无证明材料' },
      }),
    },
    'POST /api/members/:id/transfer': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/members/${ids.sheyangMember}/transfer`, body: { version: 1, toOrgId: ids.dongtai, reason: '越权转入' } }),
    },
  });

  it('anonymous callers get 401, an account without member:write 403', async () => {
    const body = { orgId: ids.dongtai, person: fakePerson(3103) };
    expect((await t.anonymous.post('/api/members', body)).statusCode).toBe(401);
    expect((await t.anonymous.patch(`/api/members/${ids.sheyangMember}`, { version: 1, employerName: 'x' })).statusCode).toBe(401);
    expect(
      (await t.anonymous.post(`/api/members/${ids.sheyangMember}/identity`, { version: 1, name: '王五', reason: '测试', evidence: '测试材料' })).statusCode,
    ).toBe(401);
    expect((await t.anonymous.post(`/api/members/${ids.sheyangMember}/transfer`, { version: 1, toOrgId: ids.dongtai, reason: '测试' })).statusCode).toBe(401);
    expect((await as.leader!.post('/api/members', body)).statusCode).toBe(403);
  });

  it('射阳’s member is untouched by all of it', async () => {
    const m = (await as.sheyang!.get(`/api/members/${ids.sheyangMember}`)).json() as Detail;
    expect(m).toMatchObject({ employerName: '射阳某物流公司', org: { id: ids.sheyang }, version: 1, status: 'active' });
    expect(m.name).toBe(fakePerson(3101).name);
  });
});

describe('members: add one', () => {
  it('adds a member to a union in scope with the import’s validation, a member number and an audit row', async () => {
    const bad = await as.county!.post('/api/members', { orgId: ids.grassroots, person: { ...fakePerson(3104), idNumber: '320981199001011235' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields['person.idNumber']).toBeTruthy();
    const r = await as.county!.post('/api/members', {
      orgId: ids.grassroots,
      person: fakePerson(3104),
      employment: { employerName: '东台某纺织厂', employmentForm: 'standard' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const m = r.json() as Detail;
    expect(m).toMatchObject({ status: 'active', org: { id: ids.grassroots }, employerName: '东台某纺织厂' });
    expect(m.memberNo).toMatch(/^\d{15}$/);
    ids.added = m.id;
    const a = (await audits('member.add')).find((x) => x.target_id === m.id)!;
    expect(JSON.parse(a.detail!)).toMatchObject({ newPerson: true, id: m.idMasked });
    expect(a.detail).not.toContain(fakePerson(3104).idNumber);
  });

  it('refuses the same person twice, and a person who is a member elsewhere (one membership)', async () => {
    const again = await as.county!.post('/api/members', { orgId: ids.dongtai, person: fakePerson(3104) });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('无需重复添加');
    const elsewhere = await as.county!.post('/api/members', { orgId: ids.dongtai, person: fakePerson(3101) });
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().error.message).toContain('请由其所在工会办理会籍转接');
    expect(elsewhere.body).not.toContain('射阳');
  });

  it('refuses a phone that a registered worker account signs in with (the phone match would hand it the membership)', async () => {
    await t.workerLogin(fakePerson(3105).phone);
    const r = await as.county!.post('/api/members', { orgId: ids.dongtai, person: fakePerson(3105) });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields['person.phone']).toContain('已注册职工账号');
  });
});

describe('members: edit one', () => {
  it('changes employer and phone at the version, answers 409 for a stale version, audits before/after (phone masked)', async () => {
    const before = (await as.county!.get(`/api/members/${ids.added}`)).json() as Detail;
    const r = await as.county!.patch(`/api/members/${ids.added}`, {
      version: before.version,
      employerName: '东台某电子厂',
      phone: '13955553106',
      reason: '换工作',
    });
    expect(r.statusCode, r.body).toBe(200);
    const after = r.json() as Detail;
    expect(after).toMatchObject({ employerName: '东台某电子厂', phoneMasked: '139****3106', version: before.version + 1 });
    const stale = await as.county!.patch(`/api/members/${ids.added}`, { version: before.version, employerName: '又一家' });
    expect(stale.statusCode).toBe(409);
    const a = (await audits('member.edit')).at(-1)!;
    expect(JSON.parse(a.detail!)).toEqual({
      changes: { phone: { from: before.phoneMasked, to: '139****3106' }, employerName: { from: '东台某纺织厂', to: '东台某电子厂' } },
      reason: '换工作',
    });
    expect(a.detail).not.toContain('13955553106');
    // the roll search finds the new phone
    expect((await as.county!.get('/api/members?q=13955553106')).json().items.map((x: { id: string }) => x.id)).toEqual([ids.added]);
  });

  it('a phone staff typed onto the person does not hand the membership to whoever signs in with it (no phone-match link)', async () => {
    const w = await t.workerLogin('13955553106');
    expect((await w.get('/api/worker/me')).json().worker.memberStatus).toBeNull();
    expect((await w.get('/api/worker/card')).statusCode).toBe(404);
    const person = await t.db
      .selectFrom('memberships')
      .innerJoin('people', 'people.id', 'memberships.person_id')
      .select(['people.id', 'people.worker_id', 'people.phone_set_by_staff_at'])
      .where('memberships.id', '=', ids.added!)
      .executeTakeFirstOrThrow();
    expect(person.worker_id).toBeNull();
    expect(person.phone_set_by_staff_at).not.toBeNull();
    expect((await audits('member.link_worker')).filter((a) => a.target_id === person.id)).toEqual([]);
  });

  it('refuses a phone already on another person, and an empty edit', async () => {
    const m = (await as.county!.get(`/api/members/${ids.added}`)).json() as Detail;
    const taken = await as.county!.patch(`/api/members/${ids.added}`, { version: m.version, phone: fakePerson(3101).phone });
    expect(taken.statusCode).toBe(400);
    expect(taken.json().error.fields.phone).toContain('其他人员');
    expect((await as.county!.patch(`/api/members/${ids.added}`, { version: m.version })).statusCode).toBe(400);
    expect((await as.county!.patch(`/api/members/${ids.added}`, { version: m.version, employerName: '东台某电子厂' })).statusCode).toBe(400);
  });

  it('marks a member 一线职工 (what an activity batch may require) and shows it in the detail', async () => {
    const m = (await as.county!.get(`/api/members/${ids.added}`)).json() as Detail & { isFrontline: boolean };
    expect(m.isFrontline).toBe(false);
    const r = await as.county!.patch(`/api/members/${ids.added}`, { version: m.version, isFrontline: true });
    expect(r.statusCode, r.body).toBe(200);
    const after = (await as.county!.get(`/api/members/${ids.added}`)).json() as Detail & { isFrontline: boolean };
    expect(after.isFrontline).toBe(true);
    expect(after.version).toBe(m.version + 1);
  });
});

describe('members: name / ID correction', () => {
  it('needs a reason and evidence; audits before and after masked; keeps the version check', async () => {
    const m = (await as.county!.get(`/api/members/${ids.added}`)).json() as Detail;
    const noEvidence = await as.county!.post(`/api/members/${ids.added}/identity`, { version: m.version, name: '张建华', reason: '录入错误' });
    expect(noEvidence.statusCode).toBe(400);
    const newId = fakePerson(3199).idNumber;
    const r = await as.county!.post(`/api/members/${ids.added}/identity`, {
      version: m.version,
      name: '张建华',
      idNumber: newId,
      reason: '录入时姓名与证件号有误',
      evidence: '身份证原件已核验，复印件存档',
    });
    expect(r.statusCode, r.body).toBe(200);
    const after = r.json() as Detail;
    expect(after.name).toBe('张建华');
    expect(after.idMasked).not.toBe(m.idMasked);
    expect(after.version).toBe(m.version + 1);
    const a = (await audits('member.correct_identity')).at(-1)!;
    const d = JSON.parse(a.detail!);
    expect(d).toMatchObject({ name: { from: `${[...m.name][0]}*${[...m.name].at(-1)}`, to: '张*华' }, id: { from: m.idMasked, to: after.idMasked } });
    expect(a.detail).not.toContain(newId);
    expect(a.detail).not.toContain('张建华');
    // the search keys followed the name
    expect((await as.county!.get('/api/members?q=张建华')).json().items.map((x: { id: string }) => x.id)).toContain(ids.added);
    const stale = await as.county!.post(`/api/members/${ids.added}/identity`, { version: m.version, name: '张建民', reason: '再改', evidence: '身份证原件' });
    expect(stale.statusCode).toBe(409);
  });

  it('refuses an ID that another person holds', async () => {
    const m = (await as.county!.get(`/api/members/${ids.added}`)).json() as Detail;
    const r2 = await as.county!.post(`/api/members/${ids.added}/identity`, {
      version: m.version,
      idNumber: fakePerson(3101).idNumber,
      reason: '改成别人的号',
      evidence: '身份证原件已核验',
    });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.fields.idNumber).toContain('其他人员');
  });
});

describe('members: transfer within the subtree', () => {
  it('moves the member to another union in scope; a union outside the subtree is 404', async () => {
    const m = (await as.county!.get(`/api/members/${ids.added}`)).json() as Detail;
    const outside = await as.county!.post(`/api/members/${ids.added}/transfer`, { version: m.version, toOrgId: ids.sheyang, reason: '转到射阳' });
    expect(outside.statusCode).toBe(404);
    const same = await as.county!.post(`/api/members/${ids.added}/transfer`, { version: m.version, toOrgId: ids.grassroots, reason: '原地转' });
    expect(same.statusCode).toBe(400);
    const r = await as.county!.post(`/api/members/${ids.added}/transfer`, { version: m.version, toOrgId: ids.town, reason: '工作调动到镇上' });
    expect(r.statusCode, r.body).toBe(200);
    const moved = r.json() as Detail;
    expect(moved.id).not.toBe(ids.added);
    expect(moved).toMatchObject({ org: { id: ids.town }, status: 'active', memberNo: m.memberNo });
    const old = (await as.county!.get(`/api/members/${ids.added}`)).json() as Detail;
    expect(old.status).toBe('transferred_out');
    const a = (await audits('member.transfer')).at(-1)!;
    expect(a.target_id).toBe(moved.id);
    expect(JSON.parse(a.detail!)).toMatchObject({ fromMembershipId: ids.added, toOrgId: ids.town });
    // the ended membership can no longer be edited
    expect((await as.county!.patch(`/api/members/${ids.added}`, { version: old.version, employerName: 'x' })).statusCode).toBe(409);
  });
});
