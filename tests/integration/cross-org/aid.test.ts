// Aid budgets, disbursements, ledger and figures of 射阳县: 东台市's staff get 404 or never see them.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { makeMember } from '../../support/members.js';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  const sy = await t.login('sheyang_admin');
  as.county = await t.login('county_admin');
  // Budgets are allocated by the level above (decision 045); the counties pay from them.
  const city = await t.login('city_admin');
  const syMember = await makeMember(t, ids.sheyang, 3901);
  ids.sheyangMembership = syMember.membershipId;
  const dtMember = await makeMember(t, ids.dongtai, 3902);

  const syBudget = await city.post('/api/aid/budgets', { orgId: ids.sheyang, year: 2026, fundCode: 'living', amount: '10000', reason: '射阳生活救助' });
  expect(syBudget.statusCode, syBudget.body).toBe(200);
  ids.sheyangBudget = syBudget.json().id;
  const paid = await sy.post('/api/aid/disbursements', { budgetId: ids.sheyangBudget, amount: '500', membershipId: syMember.membershipId, note: '射阳发放' });
  expect(paid.statusCode, paid.body).toBe(200);
  ids.sheyangDisbursement = paid.json().disbursementId;

  // 东台's own rows, so its lists are not empty.
  const dtBudget = await city.post('/api/aid/budgets', { orgId: ids.dongtai, year: 2026, fundCode: 'living', amount: '10000', reason: '东台生活救助' });
  expect(dtBudget.statusCode, dtBudget.body).toBe(200);
  const dtPaid = await as.county.post('/api/aid/disbursements', { budgetId: dtBudget.json().id, amount: '300', membershipId: dtMember.membershipId });
  expect(dtPaid.statusCode, dtPaid.body).toBe(200);
});
afterAll(async () => t?.close());

describe('aid: another county’s budgets and payments', () => {
  crossOrgCases(() => as, {
    'GET /api/aid/funds': { kind: 'no-org-data', why: 'the fund dictionary (reference data, the same for every union)' },
    'GET /api/aid/budgets': { kind: 'list', as: 'county', url: () => '/api/aid/budgets', mustNotContain: () => '射阳县总工会' },
    'POST /api/aid/budgets': {
      kind: 'by-id',
      as: 'county',
      request: () => ({
        method: 'POST',
        url: '/api/aid/budgets',
        body: { orgId: ids.sheyang, year: 2027, fundCode: 'living', amount: '1', reason: '越权下达' },
      }),
    },
    'GET /api/aid/budgets/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/aid/budgets/${ids.sheyangBudget}` }) },
    'POST /api/aid/budgets/:id/adjust': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/aid/budgets/${ids.sheyangBudget}/adjust`, body: { amount: '20000', reason: '越权调整' } }),
    },
    'GET /api/aid/budgets/:id/ledger.xlsx': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/aid/budgets/${ids.sheyangBudget}/ledger.xlsx` }),
    },
    'GET /api/aid/disbursements': { kind: 'list', as: 'county', url: () => '/api/aid/disbursements', mustNotContain: () => '射阳县总工会' },
    'POST /api/aid/disbursements': {
      kind: 'by-id',
      as: 'county',
      request: () => ({
        method: 'POST',
        url: '/api/aid/disbursements',
        body: { budgetId: ids.sheyangBudget, amount: '1', membershipId: ids.sheyangMembership },
      }),
    },
    'POST /api/aid/disbursements/:id/reverse': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/aid/disbursements/${ids.sheyangDisbursement}/reverse`, body: { reason: '越权冲正' } }),
    },
    'GET /api/orgs/:id/aid-figures': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/orgs/${ids.sheyang}/aid-figures?year=2026` }) },
  });
});
