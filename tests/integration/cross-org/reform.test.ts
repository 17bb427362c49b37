// 产改: staff of 东台 never reach a 射阳 pilot (read, lists, rating) nor 射阳's figures.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { creditCode } from '../../../server/src/modules/contracts/contracts.test-helpers.js';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  ids.sheyangOrg = await orgIdByName(t, '射阳县总工会');
  const dongtai = await orgIdByName(t, '东台市总工会');
  const sy = await t.login('sheyang_admin');
  as.county = await t.login('county_admin');
  const enterprise = (sheyang: boolean) => ({
    orgId: sheyang ? ids.sheyangOrg : dongtai,
    creditCode: creditCode(sheyang ? 16301 : 16302, sheyang ? '91320924' : '91320981'),
    name: sheyang ? '射阳独有产改企业' : '东台产改企业',
    ownership: 'private',
    industry: 'C',
    size: 'small',
    employees: 60,
    women: 20,
    migrantWorkers: 5,
  });
  ids.enterprise = (await sy.post('/api/enterprises', enterprise(true))).json().id;
  const own = (await as.county.post('/api/enterprises', enterprise(false))).json().id;
  const p = await sy.post('/api/reform/pilots', { enterpriseId: ids.enterprise, sinceYear: 2024 });
  expect(p.statusCode, p.body).toBe(200);
  ids.pilot = p.json().id;
  ids.item = (await sy.post(`/api/reform/pilots/${ids.pilot}/items`, { kind: 'task', title: '射阳任务', owner: '某人', dueOn: '2099-01-01' })).json().tasks[0].id;
  const ownPilot = await as.county.post('/api/reform/pilots', { enterpriseId: own, sinceYear: 2024 });
  expect(ownPilot.statusCode).toBe(200);
  // 工匠学院 of each county (decision 033)
  ids.academy = (await sy.post('/api/reform/academies', { orgId: ids.sheyangOrg, name: '射阳独有工匠学院', host: '射阳某学校', foundedYear: 2024, pilotIds: [ids.pilot] })).json().id;
  expect((await as.county.post('/api/reform/academies', { orgId: dongtai, name: '东台工匠学院', host: '东台某学校', foundedYear: 2024, pilotIds: [ownPilot.json().id] })).statusCode).toBe(200);
});
afterAll(async () => t?.close());

describe('reform: 东台 staff never reach 射阳 pilots', () => {
  crossOrgCases(() => as, {
    'GET /api/reform/pilots': { kind: 'list', as: 'county', url: () => '/api/reform/pilots?pageSize=200', mustNotContain: () => '射阳独有产改企业' },
    'POST /api/reform/pilots': { kind: 'by-id', as: 'county', request: () => ({ method: 'POST', url: '/api/reform/pilots', body: { enterpriseId: ids.enterprise, sinceYear: 2024 } }) },
    'GET /api/reform/pilots/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/reform/pilots/${ids.pilot}` }) },
    'POST /api/reform/pilots/:id/items': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/reform/pilots/${ids.pilot}/items`, body: { kind: 'task', title: '越权任务', owner: '某人', dueOn: '2099-01-01' } }),
    },
    'POST /api/reform/pilots/:id/items/:itemId/done': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/reform/pilots/${ids.pilot}/items/${ids.item}/done`, body: { doneOn: '2026-01-01', evidence: '越权完成' } }),
    },
    'POST /api/reform/pilots/:id/ratings': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/reform/pilots/${ids.pilot}/ratings`, body: { year: 2026, rater: '越权评审', scores: [{ criterionId: '1', score: 1 }] } }),
    },
    'POST /api/reform/pilots/:id/inspections': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/reform/pilots/${ids.pilot}/inspections`, body: { visitedOn: '2026-01-01', inspectors: '越权督查', findings: '越权', score: 1 } }),
    },
    'GET /api/reform/academies': { kind: 'list', as: 'county', url: () => '/api/reform/academies?pageSize=200', mustNotContain: () => '射阳独有' },
    'POST /api/reform/academies': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/reform/academies', body: { orgId: ids.sheyangOrg, name: '越权学院', host: '某单位', foundedYear: 2024 } }),
    },
    'POST /api/reform/academies/:id/pilots': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/reform/academies/${ids.academy}/pilots`, body: { pilotId: ids.pilot } }),
    },
    'GET /api/reform/criteria': { kind: 'no-org-data', why: 'city-wide criteria, no pilot data' },
    'POST /api/reform/criteria': { kind: 'no-org-data', why: 'city-wide; only the city union may add (reform.test.ts: county → 403)' },
    'PATCH /api/reform/criteria/:id': { kind: 'no-org-data', why: 'city-wide; only the city union may edit (reform.test.ts: county → 403)' },
    'GET /api/reform/figures': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/reform/figures?orgId=${ids.sheyangOrg}` }) },
  });
});
