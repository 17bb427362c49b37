// The yearly return, the annual report and the highlights of another county's union answer 404 to
// 东台市's staff; the home page has no org parameter (the caller's own subtree only).
import { afterAll, beforeAll, describe } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';

let t: TestApp;
const as: Record<string, Client> = {};
let sheyang = '';

beforeAll(async () => {
  t = await createTestApp();
  as.county = await t.login('county_admin');
  sheyang = (await t.db.selectFrom('orgs').select('id').where('name', '=', '射阳县总工会').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

describe('reports and home: another county', () => {
  crossOrgCases(() => as, {
    'GET /api/reports/yearly': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/reports/yearly?year=2026&orgId=${sheyang}` }) },
    'GET /api/reports/yearly.xlsx': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/reports/yearly.xlsx?year=2026&orgId=${sheyang}` }) },
    'GET /api/reports/annual.docx': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/reports/annual.docx?year=2026&orgId=${sheyang}` }) },
    'GET /api/reports/highlights': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/reports/highlights?year=2026&orgId=${sheyang}` }) },
    'PUT /api/reports/highlights': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'PUT', url: '/api/reports/highlights', body: { orgId: sheyang, year: 2026, body: '亮点', version: 0 } }),
    },
    'GET /api/home': {
      kind: 'no-org-data',
      why: 'no org parameter: every block is the caller’s own subtree, counted in SQL (home.test.ts: a join in 射阳县 moves 射阳’s queue, not 东台’s)',
    },
  });
});
