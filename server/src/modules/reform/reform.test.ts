// 产改: a pilot from the enterprise register, its task and problem lists completed with evidence, a yearly
// 评星定级 against the city's criteria (stars from the share of full marks), the county's figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { creditCode } from '../contracts/contracts.test-helpers.js';
import { starsOf } from './reform.service.js';

let t: TestApp;
let county: Client;
let city: Client;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  county = await t.login('county_admin');
  city = await t.login('city_admin');
  const e = await county.post('/api/enterprises', {
    orgId: ids.dongtai,
    creditCode: creditCode(16201, '91320981'),
    name: '东台产改试点装备有限公司',
    ownership: 'private',
    industry: 'C',
    size: 'medium',
    employees: 300,
    women: 90,
    migrantWorkers: 40,
  });
  expect(e.statusCode, e.body).toBe(200);
  ids.enterprise = e.json().id;
});
afterAll(async () => t?.close());

const day = (offset = 0) => new Date(t.clock.now().getTime() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

describe('产改 pilots', () => {
  it('stars from the share of full marks', () => {
    expect([95, 90, 85, 72, 60, 59].map(starsOf)).toEqual([5, 5, 4, 3, 2, 1]);
  });

  it('a pilot’s task list completed with evidence, rated once a year; figures move', async () => {
    const year = Number(day().slice(0, 4));
    const before = (await county.get(`/api/reform/figures?year=${year}`)).json();
    const made = await county.post('/api/reform/pilots', { enterpriseId: ids.enterprise, sinceYear: 2024 });
    expect(made.statusCode, made.body).toBe(200);
    const p = made.json();
    expect(p.enterprise.name).toBe('东台产改试点装备有限公司');
    expect((await county.post('/api/reform/pilots', { enterpriseId: ids.enterprise, sinceYear: 2024 })).statusCode).toBe(400);

    const bad = await county.post(`/api/reform/pilots/${p.id}/items`, { kind: 'x', title: '', owner: '', dueOn: '2026-02-30' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(expect.arrayContaining(['kind', 'title', 'owner', 'dueOn']));
    let d = (await county.post(`/api/reform/pilots/${p.id}/items`, { kind: 'task', title: '建立技能人才薪酬激励办法', owner: '人力资源部 王', dueOn: day(10) })).json();
    d = (await county.post(`/api/reform/pilots/${p.id}/items`, { kind: 'task', title: '开展职工技能竞赛', owner: '工会 李', dueOn: day(20) })).json();
    d = (await county.post(`/api/reform/pilots/${p.id}/items`, { kind: 'problem', title: '高技能人才流失', owner: '总经理', dueOn: day(30) })).json();
    expect(d.tasks).toHaveLength(2);
    expect(d.problems).toHaveLength(1);
    const future = await county.post(`/api/reform/pilots/${p.id}/items/${d.tasks[0].id}/done`, { doneOn: day(1), evidence: '办法已印发' });
    expect(future.statusCode).toBe(400);
    for (const task of d.tasks) {
      const r = await county.post(`/api/reform/pilots/${p.id}/items/${task.id}/done`, { doneOn: day(), evidence: '文件已印发，见职代会决议' });
      expect(r.statusCode, r.body).toBe(200);
      d = r.json();
    }
    expect(d.tasks.every((x: { status: string; onTime: boolean }) => x.status === 'done' && x.onTime)).toBe(true);
    const twice = await county.post(`/api/reform/pilots/${p.id}/items/${d.tasks[0].id}/done`, { doneOn: day(), evidence: '重复' });
    expect(twice.statusCode).toBe(409);

    const criteria = (await county.get('/api/reform/criteria')).json();
    expect(criteria.editable).toBe(false);
    const over = await county.post(`/api/reform/pilots/${p.id}/ratings`, {
      year,
      rater: '东台市总工会评审组',
      scores: criteria.items.map((c: { id: string; maxScore: number }) => ({ criterionId: c.id, score: c.maxScore + 1 })),
    });
    expect(over.statusCode).toBe(400);
    const missing = await county.post(`/api/reform/pilots/${p.id}/ratings`, { year, rater: '评审组', scores: [{ criterionId: criteria.items[0].id, score: 1 }] });
    expect(missing.statusCode).toBe(400);
    const rated = await county.post(`/api/reform/pilots/${p.id}/ratings`, {
      year,
      rater: '东台市总工会评审组',
      scores: criteria.items.map((c: { id: string; maxScore: number }) => ({ criterionId: c.id, score: Math.round(c.maxScore * 0.85) })),
    });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ stars: 4, ratedYear: year });
    expect(rated.json().ratings[0]).toMatchObject({ stars: 4, total: 85 });
    const again = await county.post(`/api/reform/pilots/${p.id}/ratings`, {
      year,
      rater: '评审组',
      scores: criteria.items.map((c: { id: string }) => ({ criterionId: c.id, score: 1 })),
    });
    expect(again.statusCode).toBe(409);

    const after = (await county.get(`/api/reform/figures?year=${year}`)).json();
    expect(after.pilots).toBe(before.pilots + 1);
    expect(after.stars.find((s: { stars: number }) => s.stars === 4).count).toBe(before.stars.find((s: { stars: number }) => s.stars === 4).count + 1);
    expect(after.tasksOnTime).toBe(before.tasksOnTime + 2);
    const list = (await county.get('/api/reform/pilots?stars=4')).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(p.id);
  });

  it('criteria are the city union’s', async () => {
    const c = (await city.get('/api/reform/criteria')).json();
    expect(c.editable).toBe(true);
    const denied = await county.patch(`/api/reform/criteria/${c.items[0].id}`, { maxScore: 30, version: c.items[0].version });
    expect(denied.statusCode).toBe(403);
    const ok = await city.post('/api/reform/criteria', { name: '安全生产', maxScore: 10 });
    expect(ok.statusCode, ok.body).toBe(200);
    const id = ok.json().items.find((x: { name: string }) => x.name === '安全生产').id;
    const off = await city.patch(`/api/reform/criteria/${id}`, { active: false, version: 1 });
    expect(off.statusCode, off.body).toBe(200);
  });

  it('anonymous → 401', async () => {
    expect((await t.anonymous.get('/api/reform/pilots')).statusCode).toBe(401);
  });
});
