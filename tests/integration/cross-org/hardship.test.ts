// 困难职工档案 of 射阳县: 东台市's staff get 404 for every file route, and never see them in a list.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { makeMember } from '../../support/members.js';
import { fakeResidentId } from '../../support/people.js';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};
const today = () => new Date(t.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);

const file = (membershipId: string, situation: string) => ({
  membershipId,
  mainCause: 'illness',
  headMonthlyIncome: '1800',
  situation,
  family: [],
});

beforeAll(async () => {
  t = await createTestApp();
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  const sy = await t.login('sheyang_admin');
  as.county = await t.login('county_admin');
  // The level above allocates budgets and passes a file its submitter may not (decision 045).
  const city = await t.login('city_admin');
  const syMember = await makeMember(t, ids.sheyang, 3911);
  const syMember2 = await makeMember(t, ids.sheyang, 3912);
  ids.sheyangMembership = syMember2.membershipId;
  const dtMember = await makeMember(t, ids.dongtai, 3913);

  const f = await sy.post('/api/hardship/files', {
    ...file(syMember.membershipId, '射阳困难户'),
    family: [{ name: '射阳家属', relation: '配偶', idNumber: fakeResidentId(3914), monthlyIncome: '0' }],
  });
  expect(f.statusCode, f.body).toBe(200);
  ids.sheyangFile = f.json().id;
  ids.sheyangFileVersion = String(f.json().version);
  ids.sheyangFamilyMember = f.json().family[0].id;
  const budget = await city.post('/api/aid/budgets', { orgId: ids.sheyang, year: 2026, fundCode: 'warmth', amount: '1000', reason: '射阳送温暖' });
  ids.sheyangBudget = budget.json().id;
  // A pairing needs an established file: take a second 射阳 file through the flow.
  const est = await sy.post('/api/hardship/files', file(syMember2.membershipId, '射阳困难户二'));
  let v = est.json().version;
  const id = est.json().id;
  v = (await city.post(`/api/hardship/files/${id}/first-review`, { version: v, action: 'approve' })).json().version;
  v = (await sy.post(`/api/hardship/files/${id}/visit`, { version: v, visitedOn: today(), visitors: '射阳干部', findings: '属实' })).json().version;
  const end = new Date(t.clock.now().getTime() + 8 * 3600_000 + 4 * 86_400_000).toISOString().slice(0, 10);
  v = (await sy.post(`/api/hardship/files/${id}/county-review`, { version: v, action: 'approve', noticeStart: today(), noticeEnd: end })).json().version;
  t.clock.advance(5 * 86_400_000);
  const sy2 = await t.login('sheyang_admin');
  as.county = await t.login('county_admin');
  const done = await sy2.post(`/api/hardship/files/${id}/establish`, { version: v });
  expect(done.statusCode, done.body).toBe(200);
  const paired = await sy2.post(`/api/hardship/files/${id}/pairings`, { kind: 'unit', name: '射阳某企业', startedOn: today() });
  expect(paired.statusCode, paired.body).toBe(200);
  ids.established = id;
  ids.establishedVersion = String(paired.json().version);
  ids.pairing = paired.json().pairings[0].id;

  // 东台's own file, so its list is not empty.
  const dt = await as.county.post('/api/hardship/files', file(dtMember.membershipId, '东台困难户'));
  expect(dt.statusCode, dt.body).toBe(200);
});
afterAll(async () => t?.close());

const post = (url: () => string, body: () => object) => ({
  kind: 'by-id' as const,
  as: 'county',
  request: () => ({ method: 'POST', url: url(), body: body() }),
});

describe('hardship: another county’s files', () => {
  crossOrgCases(() => as, {
    'GET /api/hardship/causes': { kind: 'no-org-data', why: 'the cause dictionary (reference data)' },
    'GET /api/hardship/files': { kind: 'list', as: 'county', url: () => '/api/hardship/files', mustNotContain: () => '射阳县总工会' },
    'POST /api/hardship/files': {
      ...post(
        () => '/api/hardship/files',
        () => file(ids.sheyangMembership!, '越权建档'),
      ),
    },
    'GET /api/hardship/files/export.xlsx': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/hardship/files/export.xlsx?orgId=${ids.sheyang}` }),
    },
    'GET /api/hardship/files/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/hardship/files/${ids.sheyangFile}` }) },
    'POST /api/hardship/files/:id/family/:memberId/reveal': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/hardship/files/${ids.sheyangFile}/family/${ids.sheyangFamilyMember}/reveal`, body: { reason: '越权查看' } }),
    },
    'PATCH /api/hardship/files/:id': {
      kind: 'by-id',
      as: 'county',
      request: () => ({
        method: 'PATCH',
        url: `/api/hardship/files/${ids.sheyangFile}`,
        body: { version: Number(ids.sheyangFileVersion), mainCause: 'illness', headMonthlyIncome: '1', situation: '越权修改', family: [] },
      }),
    },
    'POST /api/hardship/files/:id/first-review': {
      ...post(
        () => `/api/hardship/files/${ids.sheyangFile}/first-review`,
        () => ({ version: Number(ids.sheyangFileVersion), action: 'approve' }),
      ),
    },
    'POST /api/hardship/files/:id/visit': {
      ...post(
        () => `/api/hardship/files/${ids.sheyangFile}/visit`,
        () => ({ version: Number(ids.sheyangFileVersion), visitedOn: '2026-11-20', visitors: '东台', findings: '越权' }),
      ),
    },
    'POST /api/hardship/files/:id/county-review': {
      ...post(
        () => `/api/hardship/files/${ids.sheyangFile}/county-review`,
        () => ({ version: Number(ids.sheyangFileVersion), action: 'reject', comment: '越权驳回' }),
      ),
    },
    'POST /api/hardship/files/:id/objections': {
      ...post(
        () => `/api/hardship/files/${ids.sheyangFile}/objections`,
        () => ({ version: Number(ids.sheyangFileVersion), raisedBy: '东台', content: '越权', outcome: 'upheld' }),
      ),
    },
    'POST /api/hardship/files/:id/establish': {
      ...post(
        () => `/api/hardship/files/${ids.sheyangFile}/establish`,
        () => ({ version: Number(ids.sheyangFileVersion) }),
      ),
    },
    'POST /api/hardship/files/:id/yearly-review': {
      ...post(
        () => `/api/hardship/files/${ids.established}/yearly-review`,
        () => ({ version: Number(ids.establishedVersion), decision: 'close', reason: '越权复核' }),
      ),
    },
    'POST /api/hardship/files/:id/aid': {
      ...post(
        () => `/api/hardship/files/${ids.established}/aid`,
        () => ({ budgetId: ids.sheyangBudget, amount: '1' }),
      ),
    },
    'POST /api/hardship/files/:id/pairings': {
      ...post(
        () => `/api/hardship/files/${ids.established}/pairings`,
        () => ({ kind: 'cadre', name: '东台干部', startedOn: '2026-11-20' }),
      ),
    },
    'POST /api/hardship/files/:id/pairings/:pairingId/visits': {
      ...post(
        () => `/api/hardship/files/${ids.established}/pairings/${ids.pairing}/visits`,
        () => ({ visitedOn: '2026-11-20', notes: '越权走访' }),
      ),
    },
  });
});
