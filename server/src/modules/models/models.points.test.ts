// 创新成果积分, studio evaluations and evidence files, the competition catalogue and 技能等级 results, the
// register's scoped duplicate check and the roll's 劳模 flag for a person who joins after being registered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember } from '../../../../tests/support/members.js';
import { fakePerson, fakeResidentId } from '../../../../tests/support/people.js';
import { JOIN_CONSENT } from '../joining/joining.schema.js';

let t: TestApp;
let county: Client;
let sheyang: Client;
let city: Client;
const ids: Record<string, string> = {};
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const year = () => Number(new Date(t.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 4));
const table = (over: Record<string, unknown> = {}) => ({
  kinds: { patent: 0, innovation: 10, five_small: 5, apprentice: 3, benefit: 0 },
  award: { national: 100, provincial: 60, city: 30, county: 15 },
  patent: { invention: 50, utility: 20, design: 10 },
  benefit: [
    { min: '100000.00', points: 5 },
    { min: '1000000.00', points: 20 },
  ],
  rankingEnabled: false,
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  county = await t.login('county_admin');
  sheyang = await t.login('sheyang_admin');
  city = await t.login('city_admin');
  const lead = await county.post('/api/models/people', { orgId: ids.dongtai, name: '积分领衔人', honours: [{ kind: 'craftsman_city', year: 2023, awardingBody: '盐城市总工会' }] });
  ids.lead = lead.json().id;
  const studio = (c: Client, orgId: string, name: string, leadId?: string) => c.post('/api/models/studios', { orgId, kind: 'model', name, field: '焊接', level: 'city', namedYear: 2022, leadId });
  ids.studio = (await studio(county, ids.dongtai, '积分测试工作室', ids.lead)).json().id;
  ids.studio2 = (await studio(county, ids.dongtai, '积分测试工作室二')).json().id;
  ids.syStudio = (await studio(sheyang, ids.sheyang, '射阳积分工作室')).json().id;
});
afterAll(async () => t?.close());

describe('创新成果积分', () => {
  it('a county keeps its own table (a town may not); achievements are scored by the table in force and keep their points', async () => {
    const town = await t.login('town_admin');
    expect((await town.request({ method: 'PUT', url: '/api/models/points/table', payload: table({ version: null }) })).statusCode).toBe(403);
    const before = (await county.get('/api/models/points/table')).json();
    expect(before).toMatchObject({ own: false, editable: true, rankingEnabled: false });
    const bad = await county.request({ method: 'PUT', url: '/api/models/points/table', payload: table({ patent: { invention: -1, utility: 20, design: 10 } }) });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.fields)).toContain('不能为负');

    const saved = await county.request({ method: 'PUT', url: '/api/models/points/table', payload: table({ patent: { invention: 80, utility: 20, design: 10 }, version: null }) });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ own: true, source: { orgId: ids.dongtai }, patent: { invention: 80 } });
    // a second create is refused (version check), and 射阳 is still on the city's (or the built-in) table
    expect((await county.request({ method: 'PUT', url: '/api/models/points/table', payload: table({ version: null }) })).statusCode).toBe(409);
    expect((await sheyang.get('/api/models/points/table')).json().patent.invention).not.toBe(80);

    const y = year();
    // 发明专利 80 + 省级奖励 60 = 140, credited to the lead by default
    const a = await county.post(`/api/models/studios/${ids.studio}/achievements`, { kind: 'patent', patentType: 'invention', awardLevel: 'provincial', title: '一种焊缝跟踪装置', year: y });
    expect(a.statusCode, a.body).toBe(200);
    const pat = a.json().achievements.find((x: { title: string }) => x.title === '一种焊缝跟踪装置');
    expect(pat).toMatchObject({ points: 140, patentLabel: '发明专利', awardLabel: '省级', person: { id: ids.lead } });
    ids.achievement = pat.id;
    // 创效 120 万: the ≥ 100 万 band, 20
    const b = await county.post(`/api/models/studios/${ids.studio2}/achievements`, { kind: 'benefit', title: '节能改造', year: y, benefit: '1200000.00' });
    expect(b.json().achievements[0].points).toBe(20);
    // a patent without its type is named
    const noType = await county.post(`/api/models/studios/${ids.studio}/achievements`, { kind: 'patent', title: '无类型专利', year: y });
    expect(noType.statusCode).toBe(400);
    expect(noType.json().error.fields.patentType).toMatch(/专利类型/);
    // 射阳's achievement is scored by the city's table, not 东台's
    const sy = await sheyang.post(`/api/models/studios/${ids.syStudio}/achievements`, { kind: 'patent', patentType: 'invention', title: '射阳发明', year: y });
    expect(sy.json().achievements[0].points).toBe((await sheyang.get('/api/models/points/table')).json().patent.invention);

    // a later change of the table does not rescore what was awarded
    const v = saved.json().version;
    expect((await county.request({ method: 'PUT', url: '/api/models/points/table', payload: table({ version: v }) })).statusCode).toBe(200);
    expect((await county.get(`/api/models/studios/${ids.studio}`)).json().achievements.find((x: { id: string }) => x.id === ids.achievement).points).toBe(140);
    expect((await county.get(`/api/models/studios/${ids.studio}`)).json().pointsByYear).toContainEqual({ year: y, points: 140, achievements: 1 });
    expect((await county.get(`/api/models/people/${ids.lead}`)).json().pointsByYear).toContainEqual({ year: y, points: 140, achievements: 1 });
  });

  it('points per year by studio and person; the ranking only once the union switches it on', async () => {
    const y = year();
    const byStudio = (await county.get(`/api/models/points?of=studio&year=${y}`)).json();
    expect(byStudio.items.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining(['积分测试工作室', '积分测试工作室二']));
    expect(JSON.stringify(byStudio)).not.toContain('射阳积分工作室');
    expect(byStudio.items[0].rank).toBeUndefined();
    const byPerson = (await county.get(`/api/models/points?of=person&year=${y}`)).json();
    expect(byPerson.items.find((i: { id: string }) => i.id === ids.lead)).toMatchObject({ points: 140 });

    const off = await county.get(`/api/models/points/ranking?of=studio&year=${y}`);
    expect(off.statusCode).toBe(403);
    expect(off.json().error.message).toMatch(/未开启/);
    const cur = (await county.get('/api/models/points/table')).json();
    expect((await county.request({ method: 'PUT', url: '/api/models/points/table', payload: table({ rankingEnabled: true, version: cur.version }) })).statusCode).toBe(200);
    const on = await county.get(`/api/models/points/ranking?of=studio&year=${y}`);
    expect(on.statusCode, on.body).toBe(200);
    const ranked = on.json().items as { rank: number; name: string; points: number }[];
    expect(ranked[0]).toMatchObject({ rank: 1 });
    expect(ranked.map((r) => r.points)).toEqual([...ranked.map((r) => r.points)].sort((a, b) => b - a));
    // 东台's switch is not 射阳's
    expect((await sheyang.get(`/api/models/points/ranking?of=studio&year=${y}`)).statusCode).toBe(403);
    // the indicator counts the points of the period
    const ind = (await county.get(`/api/stats/indicators/models.innovation_points?from=${y}-01-01`)).json();
    expect(ind.totals['models.innovation_points']).toBeGreaterThanOrEqual(160);
  });
});

describe('studio evaluation and evidence files', () => {
  it('scores every criterion within its full marks, once a year; result from the total', async () => {
    const criteria = (await county.get('/api/models/studio-criteria')).json() as { code: string; max: number }[];
    const url = `/api/models/studios/${ids.studio}/evaluations`;
    const missing = await county.post(url, { year: year() - 1, evaluator: '东台市总工会', scores: [{ code: criteria[0]!.code, score: 1 }] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields.scores).toMatch(/请为每个评价项打分/);
    const over = await county.post(url, { year: year() - 1, evaluator: '东台市总工会', scores: criteria.map((c) => ({ code: c.code, score: c.max + 1 })) });
    expect(over.json().error.fields.scores).toMatch(/超过满分/);
    const ok = await county.post(url, { year: year() - 1, evaluator: '东台市总工会', scores: criteria.map((c) => ({ code: c.code, score: Math.round(c.max * 0.8) })) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ result: 'good', resultLabel: '良好' });
    expect((await county.post(url, { year: year() - 1, evaluator: '东台市总工会', scores: criteria.map((c) => ({ code: c.code, score: 1 })) })).statusCode).toBe(409);
    expect((await county.get(`/api/models/studios/${ids.studio}`)).json().evaluations[0]).toMatchObject({ year: year() - 1, resultLabel: '良好' });
  });

  it('an achievement keeps evidence files (images/PDF only); another county gets 404 for them', async () => {
    const url = `/api/models/studios/${ids.studio}/achievements/${ids.achievement}/files`;
    const up = await county.request({ method: 'POST', url: `${url}?fileName=${encodeURIComponent('证书.png')}`, headers: { 'content-type': 'application/octet-stream' }, payload: PNG });
    expect(up.statusCode, up.body).toBe(200);
    const fileId = up.json().id;
    const bad = await county.request({ method: 'POST', url, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('not an image at all') });
    expect(bad.statusCode).toBe(400);
    const got = await county.get(`${url}/${fileId}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toContain('image/png');
    expect((await county.get(`/api/models/studios/${ids.studio}`)).json().achievements.find((a: { id: string }) => a.id === ids.achievement).files).toEqual([{ id: fileId, fileName: '证书.png' }]);
    expect((await sheyang.get(`${url}/${fileId}`)).statusCode).toBe(404);
    expect((await sheyang.request({ method: 'POST', url, headers: { 'content-type': 'application/octet-stream' }, payload: PNG })).statusCode).toBe(404);
    expect((await t.anonymous.get(`${url}/${fileId}`)).statusCode).toBe(401);
  });
});

describe('competition catalogue and 技能等级 results', () => {
  it('the city keeps the catalogue; a 技能竞赛 activity picks its entry; a winner’s result is recorded in the register', async () => {
    const list = (await county.get('/api/models/competitions')).json();
    expect(list.editable).toBe(false);
    expect(list.items.length).toBeGreaterThanOrEqual(5);
    const body = { name: '东台市焊工技能比武', level: 'county', category: 'other', trade: '焊工', organiser: '东台市总工会', mapsTo: 'skill_level', grants: '中级工（四级）' };
    expect((await county.post('/api/models/competitions', body)).statusCode).toBe(403);
    const noGrant = await city.post('/api/models/competitions', { ...body, grants: null });
    expect(noGrant.json().error.fields.grants).toMatch(/技能等级或职称/);
    const made = await city.post('/api/models/competitions', body);
    expect(made.statusCode, made.body).toBe(200);
    ids.competition = made.json().id;
    const none = list.items.find((c: { mapsTo: string }) => c.mapsTo === 'none');

    const now = t.clock.now().getTime();
    const activity = (type: string, title: string) =>
      county.post('/api/activities', {
        title,
        type,
        enrollmentMode: 'fcfs',
        opensAt: new Date(now).toISOString(),
        closesAt: new Date(now + 10 * 86_400_000).toISOString(),
        batches: [{ title: '决赛', placesGeneral: 20 }],
      });
    const social = (await activity('social', '不是竞赛的活动')).json();
    const contest = await activity('contest', '东台市焊工技能比武（决赛）');
    expect(contest.statusCode, contest.body).toBe(200);
    const wrong = await county.post(`/api/models/competitions/${ids.competition}/activities`, { activityId: social.id });
    expect(wrong.json().error.fields.activityId).toMatch(/技能竞赛/);
    const tagged = await county.post(`/api/models/competitions/${ids.competition}/activities`, { activityId: contest.json().id });
    expect(tagged.statusCode, tagged.body).toBe(200);
    expect(tagged.json().activities.map((a: { title: string }) => a.title)).toContain('东台市焊工技能比武（决赛）');
    expect((await county.post(`/api/models/competitions/${ids.competition}/activities`, { activityId: contest.json().id })).statusCode).toBe(400);
    // 射阳 sees the entry (reference data) but not 东台's activity
    expect(JSON.stringify((await sheyang.get(`/api/models/competitions/${ids.competition}`)).json().activities)).toBe('[]');

    const url = `/api/models/people/${ids.lead}/skill-results`;
    expect((await county.post(url, { competitionId: none.id, year: year(), placing: '第一名' })).statusCode).toBe(400);
    const rec = await county.post(url, { competitionId: ids.competition, activityId: contest.json().id, year: year(), placing: '一等奖', certificateNo: 'DT-001' });
    expect(rec.statusCode, rec.body).toBe(200);
    expect((await county.post(url, { competitionId: ids.competition, year: year(), placing: '一等奖' })).statusCode).toBe(409);
    const person = (await county.get(`/api/models/people/${ids.lead}`)).json();
    expect(person.skillResults[0]).toMatchObject({ competition: '东台市焊工技能比武', grants: '中级工（四级）', placing: '一等奖', mapsToLabel: '技能等级' });
  });
});

describe('the register: a scoped duplicate check, the roll flag for a later member', () => {
  it('an ID number registered by 射阳 tells 东台 nothing: 东台 makes its own entry; only inside the subtree it answers 已登记', async () => {
    const idNumber = fakeResidentId(16801, '19800101');
    const honours = [{ kind: 'city_model', year: 2021, awardingBody: '盐城市人民政府' }];
    const sy = await sheyang.post('/api/models/people', { orgId: ids.sheyang, name: '重号甲', idNumber, honours });
    expect(sy.statusCode, sy.body).toBe(200);
    const dt = await county.post('/api/models/people', { orgId: ids.dongtai, name: '重号甲', idNumber, honours });
    expect(dt.statusCode, dt.body).toBe(200);
    expect(dt.json().id).not.toBe(sy.json().id);
    const again = await county.post('/api/models/people', { orgId: ids.dongtai, name: '重号甲', idNumber, honours });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/已登记/);
    // the city sees both and is told 已登记 too
    expect((await city.post('/api/models/people', { orgId: ids.dongtai, name: '重号甲', idNumber, honours })).statusCode).toBe(409);
  });

  it('a person registered as 市劳模 before joining gets the roll’s 劳模 flag when the membership starts — but not from another county’s entry', async () => {
    const honours = [{ kind: 'city_model', year: 2020, awardingBody: '盐城市人民政府' }];
    const idA = fakeResidentId(16811);
    const reg = await county.post('/api/models/people', { orgId: ids.dongtai, name: '后入会劳模', idNumber: idA, honours });
    expect(reg.json().onRoll).toBe(false);
    const m = await makeMember(t, ids.dongtai!, 16811, { name: '后入会劳模' });
    const flag = async (id: string) => (await t.db.selectFrom('memberships').select('is_model_worker').where('id', '=', id).executeTakeFirstOrThrow()).is_model_worker;
    expect(await flag(m.membershipId)).toBe(true);
    expect((await county.get(`/api/models/people/${reg.json().id}`)).json().onRoll).toBe(true);

    // 射阳 registers a number; the person joins in 东台: no flag, no link
    const idB = fakeResidentId(16812);
    const syReg = await sheyang.post('/api/models/people', { orgId: ids.sheyang, name: '外县登记人', idNumber: idB, honours });
    const m2 = await makeMember(t, ids.dongtai!, 16812, { name: '外县登记人' });
    expect(await flag(m2.membershipId)).toBe(false);
    expect((await sheyang.get(`/api/models/people/${syReg.json().id}`)).json().onRoll).toBe(false);
  });

  it('a 劳模 transferred (转会) to a union in another county keeps the flag: it is about the person, the entry stays its county’s', async () => {
    const flag = async (id: string) => (await t.db.selectFrom('memberships').select('is_model_worker').where('id', '=', id).executeTakeFirstOrThrow()).is_model_worker;
    const m = await makeMember(t, ids.dongtai!, 16815, { name: '转会劳模' });
    const reg = await county.post('/api/models/people', {
      orgId: ids.dongtai,
      name: '转会劳模',
      idNumber: fakeResidentId(16815),
      honours: [{ kind: 'provincial_model', year: 2019, awardingBody: '江苏省人民政府' }],
    });
    expect(reg.json().onRoll).toBe(true);
    expect(await flag(m.membershipId)).toBe(true);

    const detail = (await city.get(`/api/members/${m.membershipId}`)).json();
    const moved = await city.post(`/api/members/${m.membershipId}/transfer`, { version: detail.version, toOrgId: ids.sheyang, reason: '工作调动到射阳' });
    expect(moved.statusCode, moved.body).toBe(200);
    const next = await t.db
      .selectFrom('memberships')
      .select(['id', 'org_id', 'is_model_worker'])
      .where('person_id', '=', m.personId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    expect(next.org_id).toBe(ids.sheyang);
    expect(next.is_model_worker).toBe(true);
    // 射阳 sees the flag on its member, not 东台's register entry
    expect((await sheyang.get(`/api/models/people/${reg.json().id}`)).statusCode).toBe(404);
  });

  it('a worker who declares 劳模 in the join application is not flagged: the register decides', async () => {
    const dongtaiPath = (await t.db.selectFrom('orgs').select('path').where('id', '=', ids.dongtai!).executeTakeFirstOrThrow()).path;
    const enterprise = await t.db.selectFrom('orgs').select('id').where('type', '=', 'grassroots').where('status', '=', 'active').where('path', 'like', `${dongtaiPath}%`).orderBy('id').executeTakeFirstOrThrow();
    const person = fakePerson(16814, { name: '自称劳模' });
    const worker = await t.workerLogin(person.phone);
    const applied = await worker.post('/api/worker/join', {
      person,
      employment: { isModelWorker: true },
      targetOrgId: enterprise.id,
      consent: { agreed: true, version: JOIN_CONSENT.version },
      idempotencyKey: 'self-declared-model',
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const d = (await city.get(`/api/join-applications/${applied.json().id}`)).json();
    expect((await city.post(`/api/join-applications/${d.id}/review`, { action: 'approve', version: d.version })).statusCode).toBe(200);
    const live = await t.db
      .selectFrom('memberships as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .select(['m.id', 'm.is_model_worker'])
      .where('p.name', '=', '自称劳模')
      .executeTakeFirstOrThrow();
    expect(live.is_model_worker).toBe(false);
    // once 东台 registers the person, the flag follows
    const reg = await county.post('/api/models/people', {
      orgId: ids.dongtai,
      name: '自称劳模',
      idNumber: person.idNumber,
      honours: [{ kind: 'city_model', year: 2021, awardingBody: '盐城市人民政府' }],
    });
    expect(reg.statusCode, reg.body).toBe(200);
    expect((await t.db.selectFrom('memberships').select('is_model_worker').where('id', '=', live.id).executeTakeFirstOrThrow()).is_model_worker).toBe(true);
  });

  it('staff can no longer set the 劳模 flag by hand on the member form', async () => {
    const m = await makeMember(t, ids.dongtai!, 16813);
    const detail = (await county.get(`/api/members/${m.membershipId}`)).json();
    const res = await county.request({ method: 'PATCH', url: `/api/members/${m.membershipId}`, payload: { version: detail.version, isModelWorker: true } });
    expect(res.statusCode).toBe(400);
  });
});
