// 目标考核: 东台 staff never reach 射阳's targets, scheme, ranking, claims or evidence; the city's
// targets for 射阳 and 射阳's own scheme for its towns answer 404 to them, as if they did not exist.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

beforeAll(async () => {
  t = await createTestApp({ config: { dataDir: mkdtempSync(join(tmpdir(), 'gh-targets-x-')) } });
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  ids.sheyangTown = (
    await t.db.selectFrom('orgs').select('id').where('parent_id', '=', ids.sheyang).where('type', '=', 'town').orderBy('id').executeTakeFirstOrThrow()
  ).id;
  const city = await t.login('city_admin');
  const sy = await t.login('sheyang_admin');
  as.county = await t.login('county_admin');
  const set = await city.post('/api/targets', { year: 2026, indicatorCode: 'members.joined', comparison: 'gte', items: [{ orgId: ids.sheyang, value: 100 }] });
  expect(set.statusCode, set.body).toBe(200);
  ids.target = set.json().ids[0];
  // 射阳's own scheme for its towns, with a manual item a 射阳 town claims with a file.
  const scheme = await sy.request({
    method: 'PUT',
    url: '/api/targets/scheme',
    payload: { year: 2026, name: '射阳县镇街工会工作质效评价', items: [{ kind: 'manual', name: '射阳特色工作', weight: 100 }] },
  });
  expect(scheme.statusCode, scheme.body).toBe(200);
  ids.item = (await sy.get('/api/targets/scheme?year=2026')).json().scheme.items[0].id;
  const sys = await t.login('sysadmin');
  const roles = (await sys.get('/api/roles')).json().items as { id: string; code: string }[];
  const made = await sys.post('/api/accounts', {
    username: 'sy_town',
    displayName: '射阳镇街管理员',
    orgId: ids.sheyangTown,
    roleIds: [roles.find((r) => r.code === 'town_admin')!.id],
    password: 'Sheyang#2026x',
  });
  expect(made.statusCode, made.body).toBe(200);
  const syTown = await t.firstLogin('sy_town', 'Sheyang#2026x');
  const claim = await syTown.post('/api/targets/manual-scores', { itemId: ids.item, score: 80, evidence: '射阳独有的特色做法' });
  expect(claim.statusCode, claim.body).toBe(200);
  ids.claim = claim.json().id;
  const up = await syTown.request({
    method: 'POST',
    url: `/api/targets/manual-scores/${ids.claim}/evidence`,
    payload: PNG,
    headers: { 'content-type': 'image/png' },
  });
  expect(up.statusCode, up.body).toBe(200);
});
afterAll(async () => t?.close());

describe('targets: 东台 staff never reach 射阳', () => {
  crossOrgCases(() => as, {
    'GET /api/targets': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/targets?year=2026&orgId=${ids.sheyang}` }) },
    'POST /api/targets': {
      kind: 'by-id',
      as: 'county',
      request: () => ({
        method: 'POST',
        url: '/api/targets',
        body: { year: 2026, indicatorCode: 'members.joined', comparison: 'gte', items: [{ orgId: ids.sheyangTown, value: 5 }] },
      }),
    },
    'PATCH /api/targets/:id': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'PATCH', url: `/api/targets/${ids.target}`, body: { value: 1, version: 1 } }),
    },
    'DELETE /api/targets/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'DELETE', url: `/api/targets/${ids.target}?version=1` }) },
    'GET /api/targets/scheme': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/targets/scheme?year=2026&orgId=${ids.sheyang}` }) },
    'PUT /api/targets/scheme': { kind: 'no-org-data', why: 'writes only the caller’s own org’s scheme: the request names no org and no outside id' },
    'GET /api/targets/scheme/export.xlsx': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/targets/scheme/export.xlsx?year=2026&orgId=${ids.sheyang}` }),
    },
    'GET /api/targets/assessment': { kind: 'no-org-data', why: 'the caller’s own org as its parent assesses it; the request names no org' },
    'POST /api/targets/manual-scores': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/targets/manual-scores', body: { itemId: ids.item, score: 1, evidence: '越权自评试试' } }),
    },
    'POST /api/targets/manual-scores/:id/review': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/targets/manual-scores/${ids.claim}/review`, body: { action: 'confirm', version: 2 } }),
    },
    'GET /api/targets/manual-scores/:id/evidence': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/targets/manual-scores/${ids.claim}/evidence` }),
    },
    'POST /api/targets/manual-scores/:id/evidence': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/targets/manual-scores/${ids.claim}/evidence`, body: {} }),
    },
  });
});
