// Enterprises, 建会, contracts and 要约 of 射阳县: 东台市's staff get 404 for every route by id and
// never see them in a list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases, type CrossOrgCase } from '../../support/cross-org.js';
import { creditCode, fileWomenContract, foundUnion } from '../../../server/src/modules/contracts/contracts.test-helpers.js';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};
const day = () => new Date(t.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const ent = (orgId: string, n: number, name: string) => ({
  orgId,
  creditCode: creditCode(n, '91320924'),
  name,
  ownership: 'private',
  industry: 'C',
  size: 'small',
  employees: 50,
  women: 20,
  migrantWorkers: 5,
});

beforeAll(async () => {
  t = await createTestApp();
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  const sy = await t.login('sheyang_admin');
  as.county = await t.login('county_admin');
  // The 上级批复 of a founding comes from another account than the one that started it (decision 045).
  const city = await t.login('city_admin');
  const e1 = await sy.post('/api/enterprises', ent(ids.sheyang, 1, '射阳甲公司'));
  expect(e1.statusCode, e1.body).toBe(200);
  ids.ent = e1.json().id;
  ids.entVersion = String(e1.json().version);
  const e2 = await sy.post('/api/enterprises', ent(ids.sheyang, 2, '射阳乙公司'));
  ids.ent2 = e2.json().id;
  const started = await sy.post(`/api/enterprises/${ids.ent2}/foundings`, { parentOrgId: ids.sheyang, organiser: '射阳筹备', startedOn: day() });
  ids.founding = started.json().id;
  const done = await foundUnion(sy, city, ids.ent!, ids.sheyang!, day());
  ids.founded = done.id;
  const k = await fileWomenContract(sy, ids.ent!, day());
  ids.contract = k.id;
  ids.contractVersion = String(k.version);
  const camp = await sy.post('/api/bargaining-campaigns', {
    orgId: ids.sheyang,
    title: '射阳春季要约',
    year: 2026,
    startsOn: day(),
    endsOn: day(),
    minEmployees: 0,
    industries: [],
    unionisedOnly: false,
  });
  expect(camp.statusCode, camp.body).toBe(200);
  ids.campaign = camp.json().id;
  const job = await sy.request({
    method: 'POST',
    url: `/api/enterprises/import?fileName=a.csv`,
    payload: Buffer.from('统一社会信用代码,企业名称,所有制类型,行业门类,职工人数\nx,坏,民营,C,1\n'),
    headers: { 'content-type': 'application/octet-stream' },
  });
  ids.job = job.json().id;
  await t.services.features.enterprises.imports.idle();

  // 东台's own rows, so its lists are not empty.
  const d = await as.county.post('/api/enterprises', ent(ids.dongtai, 3, '东台丙公司'));
  expect(d.statusCode, d.body).toBe(200);
  const df = await foundUnion(as.county, city, d.json().id, ids.dongtai, day());
  expect(df.status).toBe('registered');
  await fileWomenContract(as.county, d.json().id, day());
  await as.county.post('/api/bargaining-campaigns', {
    orgId: ids.dongtai,
    title: '东台春季要约',
    year: 2026,
    startsOn: day(),
    endsOn: day(),
    minEmployees: 0,
    industries: [],
    unionisedOnly: false,
  });
  await as.county.request({
    method: 'POST',
    url: `/api/enterprises/import?fileName=b.csv`,
    payload: Buffer.from('统一社会信用代码,企业名称,所有制类型,行业门类,职工人数\nx,坏,民营,C,1\n'),
    headers: { 'content-type': 'application/octet-stream' },
  });
  await t.services.features.enterprises.imports.idle();
});
afterAll(async () => t?.close());

it('imports into another county: 404', async () => {
  const res = await as.county!.request({
    method: 'POST',
    url: `/api/enterprises/import?orgId=${ids.sheyang}&fileName=a.csv`,
    payload: Buffer.from('统一社会信用代码,企业名称\n'),
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(res.statusCode).toBe(404);
});

const post = (url: () => string, body: () => object): CrossOrgCase => ({
  kind: 'by-id',
  as: 'county',
  request: () => ({ method: 'POST', url: url(), body: body() }),
});
const get = (url: () => string): CrossOrgCase => ({ kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: url() }) });
const v = () => ({ version: 1 });

describe('enterprises and contracts: another county’s records', () => {
  crossOrgCases(() => as, {
    'GET /api/enterprises/dictionary': { kind: 'no-org-data', why: 'dictionaries' },
    'GET /api/enterprises/import/template': { kind: 'no-org-data', why: 'the empty template' },
    'GET /api/contract-templates': { kind: 'no-org-data', why: 'the city’s 范本 are shared by every union' },
    'POST /api/contract-templates': { kind: 'no-org-data', why: 'publishes a new 范本 version for everyone' },
    'GET /api/enterprises': { kind: 'list', as: 'county', url: () => '/api/enterprises', mustNotContain: () => '射阳' },
    'POST /api/enterprises': {
      ...post(
        () => '/api/enterprises',
        () => ent(ids.sheyang!, 9, '越权公司'),
      ),
    },
    'POST /api/enterprises/import': { kind: 'no-org-data', why: 'a raw file body: checked by the test "imports into another county" below' },
    'GET /api/enterprise-import-jobs': { kind: 'list', as: 'county', url: () => '/api/enterprise-import-jobs', mustNotContain: () => '射阳' },
    'GET /api/enterprise-import-jobs/:id': { ...get(() => `/api/enterprise-import-jobs/${ids.job}`) },
    'GET /api/enterprise-import-jobs/:id/errors.xlsx': { ...get(() => `/api/enterprise-import-jobs/${ids.job}/errors.xlsx`) },
    'GET /api/enterprises/:id': { ...get(() => `/api/enterprises/${ids.ent}`) },
    'PATCH /api/enterprises/:id': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'PATCH', url: `/api/enterprises/${ids.ent}`, body: { version: 1, name: '越权改名' } }),
    },
    'POST /api/enterprises/:id/congress-sessions': {
      ...post(
        () => `/api/enterprises/${ids.ent}/congress-sessions`,
        () => ({ heldOn: day(), kind: 'congress', delegates: 10, present: 9, motions: [], resolutions: '' }),
      ),
    },
    'POST /api/enterprises/:id/systems': {
      ...post(
        () => `/api/enterprises/${ids.ent}/systems`,
        () => ({ version: 1, congressSystem: true, disclosureSystem: true }),
      ),
    },
    'POST /api/enterprises/:id/disclosures': {
      ...post(
        () => `/api/enterprises/${ids.ent}/disclosures`,
        () => ({ publishedOn: day(), subject: '越权', channel: '公开栏' }),
      ),
    },
    'POST /api/enterprises/:id/foundings': {
      ...post(
        () => `/api/enterprises/${ids.ent2}/foundings`,
        () => ({ parentOrgId: ids.dongtai!, organiser: '越权', startedOn: day() }),
      ),
    },
    'GET /api/foundings': { kind: 'list', as: 'county', url: () => '/api/foundings', mustNotContain: () => '射阳' },
    'GET /api/foundings/:id': { ...get(() => `/api/foundings/${ids.founding}`) },
    'POST /api/foundings/:id/election': {
      ...post(
        () => `/api/foundings/${ids.founding}/election`,
        () => ({
          ...v(),
          meetingKind: '会员大会',
          electedOn: day(),
          termYears: 5,
          officers: [
            { name: '甲', role: 'chair' },
            { name: '乙', role: 'funds_review' },
          ],
        }),
      ),
    },
    'POST /api/foundings/:id/approval': {
      ...post(
        () => `/api/foundings/${ids.founding}/approval`,
        () => ({ ...v(), approvalNo: 'x', approvedOn: day() }),
      ),
    },
    'POST /api/foundings/:id/legal-registration': {
      ...post(
        () => `/api/foundings/${ids.founded}/legal-registration`,
        () => ({ ...v(), certificateNo: 'x', registeredOn: day() }),
      ),
    },
    'POST /api/foundings/:id/cancel': { ...post(() => `/api/foundings/${ids.founding}/cancel`, v) },
    'GET /api/coverage': { ...get(() => `/api/coverage?orgId=${ids.sheyang}`) },
    'GET /api/contracts': { kind: 'list', as: 'county', url: () => '/api/contracts', mustNotContain: () => '射阳' },
    'POST /api/contracts': {
      ...post(
        () => '/api/contracts',
        () => ({
          kind: 'general',
          title: '越权',
          enterpriseIds: [ids.ent!],
          termYears: 3,
          unionParty: 'x',
          employerParty: 'x',
          unionNegotiator: 'x',
          employerNegotiator: 'x',
        }),
      ),
    },
    'GET /api/contracts/:id': { ...get(() => `/api/contracts/${ids.contract}`) },
    'GET /api/contracts/:id/draft.docx': { ...get(() => `/api/contracts/${ids.contract}/draft.docx`) },
    'PATCH /api/contracts/:id': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'PATCH', url: `/api/contracts/${ids.contract}`, body: { version: 1, title: '越权' } }),
    },
    'POST /api/contracts/:id/rounds': {
      ...post(
        () => `/api/contracts/${ids.contract}/rounds`,
        () => ({ heldOn: day(), topics: '越权' }),
      ),
    },
    'POST /api/contracts/:id/vote': {
      ...post(
        () => `/api/contracts/${ids.contract}/vote`,
        () => ({ ...v(), heldOn: day(), delegates: 3, present: 3, for: 3, against: 0, abstain: 0 }),
      ),
    },
    'POST /api/contracts/:id/sign': {
      ...post(
        () => `/api/contracts/${ids.contract}/sign`,
        () => ({ ...v(), signedOn: day(), startsOn: day() }),
      ),
    },
    'POST /api/contracts/:id/filing': {
      ...post(
        () => `/api/contracts/${ids.contract}/filing`,
        () => ({ ...v(), submittedOn: day() }),
      ),
    },
    'POST /api/contracts/:id/acceptance': {
      ...post(
        () => `/api/contracts/${ids.contract}/acceptance`,
        () => ({ ...v(), acceptedOn: day() }),
      ),
    },
    'POST /api/contracts/:id/review': {
      ...post(
        () => `/api/contracts/${ids.contract}/review`,
        () => ({ ...v(), reviewedOn: day(), result: 'approved', opinion: '' }),
      ),
    },
    'POST /api/contracts/:id/renew': { ...post(() => `/api/contracts/${ids.contract}/renew`, v) },
    'GET /api/bargaining-campaigns': { kind: 'list', as: 'county', url: () => '/api/bargaining-campaigns', mustNotContain: () => '射阳' },
    'POST /api/bargaining-campaigns': {
      ...post(
        () => '/api/bargaining-campaigns',
        () => ({ orgId: ids.sheyang!, title: '越权', year: 2026, startsOn: day(), endsOn: day(), minEmployees: 0, industries: [], unionisedOnly: false }),
      ),
    },
    'GET /api/bargaining-campaigns/:id': { ...get(() => `/api/bargaining-campaigns/${ids.campaign}`) },
    'GET /api/bargaining-campaigns/:id/targets': { ...get(() => `/api/bargaining-campaigns/${ids.campaign}/targets`) },
    'POST /api/bargaining-campaigns/:id/targets/:enterpriseId': {
      ...post(
        () => `/api/bargaining-campaigns/${ids.campaign}/targets/${ids.ent}`,
        () => ({ stage: 'offered', on: day() }),
      ),
    },
  });
});
