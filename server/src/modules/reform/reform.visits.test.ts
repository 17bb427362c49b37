// 产改 督查考核 visits and 工匠学院 linked to pilots; the figures per child union include tasks done on time
// and the year's visits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { creditCode } from '../contracts/contracts.test-helpers.js';

let t: TestApp;
let county: Client;
let city: Client;
let sheyang: Client;
const ids: Record<string, string> = {};
const day = (offset = 0) => new Date(t.clock.now().getTime() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestApp();
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  county = await t.login('county_admin');
  city = await t.login('city_admin');
  sheyang = await t.login('sheyang_admin');
  const town = await t.db.selectFrom('orgs').select(['id', 'name']).where('parent_id', '=', ids.dongtai).where('type', '=', 'town').orderBy('id').limit(1).executeTakeFirstOrThrow();
  ids.town = town.id;
  ids.townName = town.name;
  const e = await county.post('/api/enterprises', {
    orgId: town.id,
    creditCode: creditCode(16211, '91320981'),
    name: '东台督查试点机械有限公司',
    ownership: 'private',
    industry: 'C',
    size: 'medium',
    employees: 200,
    women: 60,
    migrantWorkers: 20,
  });
  expect(e.statusCode, e.body).toBe(200);
  const p = await county.post('/api/reform/pilots', { enterpriseId: e.json().id, sinceYear: 2025 });
  expect(p.statusCode, p.body).toBe(200);
  ids.pilot = p.json().id;
});
afterAll(async () => t?.close());

describe('产改 督查考核 and 工匠学院', () => {
  it('a 督查考核 visit is recorded on the pilot (future dates and bad scores named); the figures count it', async () => {
    const url = `/api/reform/pilots/${ids.pilot}/inspections`;
    const future = await county.post(url, { visitedOn: day(3), inspectors: '督查组', findings: '按计划推进', score: 80 });
    expect(future.json().error.fields.visitedOn).toMatch(/不能晚于今天/);
    const bad = await county.post(url, { visitedOn: day(0), inspectors: '督查组', findings: '按计划推进', score: 120 });
    expect(bad.json().error.fields.score).toMatch(/0–100/);
    const ok = await county.post(url, { visitedOn: day(0), inspectors: '东台市总工会督查组', findings: '激励办法已印发，学徒制进度偏慢', score: 86 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().inspections[0]).toMatchObject({ visitedOn: day(0), score: 86, inspectors: '东台市总工会督查组' });
    expect((await sheyang.post(url, { visitedOn: day(0), inspectors: '越权督查', findings: '越权', score: 1 })).statusCode).toBe(404);
    expect((await t.anonymous.post(url, { visitedOn: day(0), inspectors: '匿名', findings: '匿名', score: 1 })).statusCode).toBe(401);
  });

  it('the figures per child union: pilots, visits, tasks due, done and on time', async () => {
    const add = async (title: string, dueOffset: number) =>
      (await county.post(`/api/reform/pilots/${ids.pilot}/items`, { kind: 'task', title, owner: '企业工会', dueOn: day(dueOffset) })).json().tasks.find((x: { title: string }) => x.title === title).id;
    const early = await add('按时完成的任务', 0);
    const late = await add('逾期完成的任务', -2);
    await add('尚未完成的任务', 1);
    expect((await county.post(`/api/reform/pilots/${ids.pilot}/items/${early}/done`, { doneOn: day(0), evidence: '文件已印发' })).statusCode).toBe(200);
    expect((await county.post(`/api/reform/pilots/${ids.pilot}/items/${late}/done`, { doneOn: day(0), evidence: '文件已印发' })).statusCode).toBe(200);
    const year = day(0).slice(0, 4);
    const f = (await county.get(`/api/reform/figures?year=${year}`)).json();
    expect(f.visits).toBeGreaterThanOrEqual(1);
    const town = f.children.find((c: { org: { id: string } }) => c.org.id === ids.town);
    // three tasks due in the year (unless the test clock sits at the year's edge), two done, one of them on time
    expect(town).toMatchObject({ org: { name: ids.townName }, pilots: 1, visits: 1, tasksDone: 2, tasksOnTime: 1 });
    const cityF = (await city.get(`/api/reform/figures?year=${year}`)).json();
    expect(cityF.children.find((c: { org: { id: string } }) => c.org.id === ids.dongtai)).toMatchObject({ tasksOnTime: expect.any(Number), visits: expect.any(Number) });
    expect(JSON.stringify((await sheyang.get(`/api/reform/figures?year=${year}`)).json().children)).not.toContain(ids.townName!);
  });

  it('a 工匠学院 is a union’s record linked to pilots of its subtree; another county cannot link or see it', async () => {
    const made = await county.post('/api/reform/academies', { orgId: ids.dongtai, name: '东台市工匠学院', host: '东台中等专业学校', foundedYear: 2024, pilotIds: [ids.pilot] });
    expect(made.statusCode, made.body).toBe(200);
    ids.academy = made.json().id;
    expect((await county.post('/api/reform/academies', { orgId: ids.dongtai, name: '东台市工匠学院', host: '另一单位', foundedYear: 2024 })).statusCode).toBe(400);
    const list = (await county.get('/api/reform/academies')).json();
    expect(list.items.find((a: { id: string }) => a.id === ids.academy)).toMatchObject({ host: '东台中等专业学校', pilots: [{ id: ids.pilot, name: '东台督查试点机械有限公司' }] });
    expect((await county.get(`/api/reform/pilots/${ids.pilot}`)).json().academies).toEqual([{ id: ids.academy, name: '东台市工匠学院' }]);
    expect((await county.post(`/api/reform/academies/${ids.academy}/pilots`, { pilotId: ids.pilot })).statusCode).toBe(400);
    expect(JSON.stringify((await sheyang.get('/api/reform/academies')).json())).not.toContain('东台市工匠学院');
    expect((await sheyang.post(`/api/reform/academies/${ids.academy}/pilots`, { pilotId: ids.pilot })).statusCode).toBe(404);
    expect((await sheyang.post('/api/reform/academies', { orgId: ids.dongtai, name: '越权学院', host: '某单位', foundedYear: 2024 })).statusCode).toBe(404);
  });
});
