// 工会经费 and 经费审查: 射阳 keeps a unionised enterprise with a receivable, a receipt, a statement import,
// an allocation, a budget, a spending row with a voucher and an audit project with a finding; 东台's staff
// (and 东台's 经审委员会) never reach any of it by id, and its lists never show it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { creditCode } from '../../../server/src/modules/contracts/contracts.test-helpers.js';
import { fakePerson } from '../../support/people.js';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const SY_CODE = creditCode(17501, '91320924');

beforeAll(async () => {
  t = await createTestApp({ config: { dataDir: mkdtempSync(join(tmpdir(), 'gh-funds-xorg-')) } });
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  const sy = await t.login('sheyang_admin');
  as.county = await t.login('county_admin');
  as.jingshen = await t.login('jingshen');
  const town = await t.db.selectFrom('orgs').select('id').where('parent_id', '=', ids.sheyang).where('type', '=', 'town').orderBy('id').executeTakeFirstOrThrow();
  ids.sheyangTown = town.id;
  const union = await t.db.selectFrom('orgs').select('id').where('parent_id', '=', town.id).where('type', '=', 'grassroots').orderBy('id').executeTakeFirstOrThrow();
  ids.sheyangUnion = union.id;
  const e = await sy.post('/api/enterprises', {
    orgId: ids.sheyang,
    creditCode: SY_CODE,
    name: '射阳独有经费企业有限公司',
    ownership: 'private',
    industry: 'C',
    size: 'small',
    employees: 50,
    women: 10,
    migrantWorkers: 5,
    unionOrgId: ids.sheyangUnion,
  });
  expect(e.statusCode, e.body).toBe(200);
  ids.enterprise = e.json().id;
  const r = await sy.post('/api/funds/receivables', { enterpriseId: ids.enterprise, period: '2026-08', payroll: '50000.00' });
  expect(r.statusCode, r.body).toBe(200);
  ids.receivable = r.json().id;
  const p = await sy.post('/api/funds/receipts', { enterpriseId: ids.enterprise, period: '2026-08', amount: '600.00', receivedOn: '2026-09-10', channel: 'bank', sourceRef: 'SY-0001' });
  expect(p.statusCode, p.body).toBe(200);
  const job = await sy.request({
    method: 'POST',
    url: `/api/funds/import?fileName=${encodeURIComponent('射阳对账单.csv')}`,
    payload: Buffer.from(`统一社会信用代码,所属期,实缴金额,入库日期,电子税票号码\n${SY_CODE},2026-09,400.00,2026-10-10,SY2026100001\nbad,2026-09,1,2026-10-10,SY2026100002\n`),
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(job.statusCode, job.body).toBe(200);
  ids.job = job.json().id;
  await t.services.features.funds.imports.idle();
  const a = await sy.post('/api/funds/allocations', { toOrgId: ids.sheyangTown, amount: '100.00', allocatedOn: '2026-10-01', purpose: '射阳独有下拨' });
  expect(a.statusCode, a.body).toBe(200);
  expect((await sy.post('/api/funds/budgets', { year: 2026, category: 'admin', amount: '1000.00' })).statusCode).toBe(200);
  const s = await sy.post('/api/funds/spending', { category: 'admin', amount: '10.00', spentOn: '2026-10-02', payee: '射阳独有收款方', purpose: '办公' });
  expect(s.statusCode, s.body).toBe(200);
  ids.spending = s.json().id;
  const v = await sy.request({ method: 'POST', url: `/api/funds/spending/${ids.spending}/vouchers`, payload: PNG, headers: { 'content-type': 'image/png' } });
  expect(v.statusCode, v.body).toBe(200);
  ids.voucher = v.json().id;
  // 东台's own records, so that its lists are not empty
  const dtTown = await t.db.selectFrom('orgs').select('id').where('parent_id', '=', ids.dongtai).where('type', '=', 'town').orderBy('id').executeTakeFirstOrThrow();
  const dtUnion = await t.db.selectFrom('orgs').select('id').where('parent_id', '=', dtTown.id).where('type', '=', 'grassroots').orderBy('id').executeTakeFirstOrThrow();
  const DT_CODE = creditCode(17502, '91320981');
  const de = await as.county.post('/api/enterprises', {
    orgId: ids.dongtai,
    creditCode: DT_CODE,
    name: '东台经费企业有限公司',
    ownership: 'private',
    industry: 'C',
    size: 'small',
    employees: 50,
    women: 10,
    migrantWorkers: 5,
    unionOrgId: dtUnion.id,
  });
  expect(de.statusCode, de.body).toBe(200);
  expect((await as.county.post('/api/funds/receivables', { enterpriseId: de.json().id, period: '2026-08', payroll: '50000.00' })).statusCode).toBe(200);
  const dj = await as.county.request({
    method: 'POST',
    url: `/api/funds/import?fileName=${encodeURIComponent('东台对账单.csv')}`,
    payload: Buffer.from(`统一社会信用代码,所属期,实缴金额,入库日期,电子税票号码\n${DT_CODE},2026-09,400.00,2026-10-10,DT2026100001\n`),
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(dj.statusCode, dj.body).toBe(200);
  await t.services.features.funds.imports.idle();
  expect((await as.county.post('/api/funds/allocations', { toOrgId: dtTown.id, amount: '50.00', allocatedOn: '2026-10-01', purpose: '东台下拨' })).statusCode).toBe(200);
  expect((await as.county.post('/api/funds/spending', { category: 'admin', amount: '10.00', spentOn: '2026-10-02', payee: '东台收款方', purpose: '办公' })).statusCode).toBe(200);
  const dp = await as.jingshen.post('/api/audit-committee/projects', {
    auditedOrgId: dtUnion.id,
    kind: 'tracking',
    title: '东台审计项目',
    periodFrom: '2026-01-01',
    periodTo: '2026-06-30',
    team: '东台审计组',
  });
  expect(dp.statusCode, dp.body).toBe(200);
  const df = await as.jingshen.post(`/api/audit-committee/projects/${dp.json().id}/findings`, {
    category: 'budget',
    description: '东台问题',
    amount: '1.00',
    severity: 'minor',
    responsiblePerson: '某',
    task: '整改',
    owner: '某',
    deadline: '2026-12-31',
  });
  expect(df.statusCode, df.body).toBe(200);
  // 射阳's 经审委员会: an account of the audit committee role at 射阳
  const sys = await t.login('sysadmin');
  const roles = (await sys.get('/api/roles')).json().items as { id: string; code: string }[];
  const made = await sys.post('/api/accounts', {
    username: 'sy_jingshen',
    displayName: '射阳经审委员会',
    orgId: ids.sheyang,
    roleIds: [roles.find((x) => x.code === 'audit_committee')!.id],
    password: 'Sheyang#Js2026',
  });
  expect(made.statusCode, made.body).toBe(200);
  const syJs = await t.firstLogin('sy_jingshen', 'Sheyang#Js2026');
  const proj = await syJs.post('/api/audit-committee/projects', {
    auditedOrgId: ids.sheyangUnion,
    kind: 'special_fund',
    title: '射阳独有审计项目',
    periodFrom: '2026-01-01',
    periodTo: '2026-06-30',
    team: '射阳审计组',
  });
  expect(proj.statusCode, proj.body).toBe(200);
  ids.project = proj.json().id;
  const f = await syJs.post(`/api/audit-committee/projects/${ids.project}/findings`, {
    category: 'income',
    description: '射阳独有问题',
    amount: '10.00',
    severity: 'minor',
    responsiblePerson: '某主席',
    task: '整改',
    owner: '某会计',
    deadline: '2026-12-31',
  });
  expect(f.statusCode, f.body).toBe(200);
  ids.task = f.json().findings[0].task.id;
  const paper = await syJs.request({ method: 'POST', url: `/api/audit-committee/projects/${ids.project}/papers?fileName=底稿.png`, payload: PNG, headers: { 'content-type': 'image/png' } });
  expect(paper.statusCode, paper.body).toBe(200);
  ids.paper = paper.json().id;
  // 会费 at 射阳's grassroots union: a member, the switch on, an exemption
  const m = await sy.post('/api/members', { orgId: ids.sheyangUnion, person: fakePerson(17501) });
  expect(m.statusCode, m.body).toBe(200);
  const ms = await t.db.selectFrom('memberships').select('id').where('org_id', '=', ids.sheyangUnion).orderBy('id', 'desc').executeTakeFirstOrThrow();
  ids.membership = ms.id;
  expect((await sy.post('/api/funds/dues/settings', { orgId: ids.sheyangUnion, enabled: true, ratePercent: '0.5' })).statusCode).toBe(200);
  const x = await sy.post('/api/funds/dues/exemptions', { orgId: ids.sheyangUnion, membershipId: ids.membership, reason: '射阳独有免缴' });
  expect(x.statusCode, x.body).toBe(200);
  ids.exemption = x.json().id;
});
afterAll(async () => t?.close());

describe('funds and the audit committee: 东台 never reaches 射阳', () => {
  crossOrgCases(() => as, {
    'GET /api/funds/settings': { kind: 'no-org-data', why: 'rates and ratios of the caller’s ancestors and subtree only (funds.test.ts)' },
    'POST /api/funds/rates': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/funds/rates', body: { orgId: ids.sheyang, ratePercent: '2', effectiveFrom: '2026-01-01' } }),
    },
    'POST /api/funds/ratios': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/funds/ratios', body: { orgId: ids.sheyang, year: 2026, grassroots: '60', town: '10', county: '20', city: '10' } }),
    },
    'GET /api/funds/receivables': { kind: 'list', as: 'jingshen', url: () => '/api/funds/receivables?pageSize=200', mustNotContain: () => '射阳独有经费企业' },
    'POST /api/funds/receivables': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/funds/receivables', body: { enterpriseId: ids.enterprise, period: '2026-10', payroll: '1.00' } }),
    },
    'GET /api/funds/receivables/:id': { kind: 'by-id', as: 'jingshen', request: () => ({ method: 'GET', url: `/api/funds/receivables/${ids.receivable}` }) },
    'POST /api/funds/receivables/:id/reduction': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/funds/receivables/${ids.receivable}/reduction`, body: { version: 1, amount: '1.00', reason: '越权', approvedBy: '无' } }),
    },
    'POST /api/funds/receivables/:id/remind': { kind: 'by-id', as: 'county', request: () => ({ method: 'POST', url: `/api/funds/receivables/${ids.receivable}/remind` }) },
    'GET /api/funds/receivables/:id/notice.docx': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/funds/receivables/${ids.receivable}/notice.docx` }) },
    'GET /api/funds/receipts': { kind: 'list', as: 'jingshen', url: () => '/api/funds/receipts?pageSize=200', mustNotContain: () => '射阳独有经费企业' },
    'POST /api/funds/receipts': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/funds/receipts', body: { enterpriseId: ids.enterprise, period: '2026-08', amount: '1.00', receivedOn: '2026-09-10', channel: 'bank' } }),
    },
    'GET /api/funds/import/template': { kind: 'no-org-data', why: 'an empty template' },
    'POST /api/funds/import': { kind: 'by-id', as: 'county', request: () => ({ method: 'POST', url: `/api/funds/import?orgId=${ids.sheyang}&fileName=x.csv`, body: {} }) },
    'GET /api/funds/import-jobs': { kind: 'list', as: 'county', url: () => '/api/funds/import-jobs', mustNotContain: () => '射阳对账单' },
    'GET /api/funds/import-jobs/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/funds/import-jobs/${ids.job}` }) },
    'GET /api/funds/import-jobs/:id/errors.xlsx': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/funds/import-jobs/${ids.job}/errors.xlsx` }) },
    'GET /api/funds/ledger': { kind: 'by-id', as: 'jingshen', request: () => ({ method: 'GET', url: `/api/funds/ledger?year=2026&orgId=${ids.sheyang}` }) },
    'GET /api/funds/allocations': { kind: 'list', as: 'county', url: () => '/api/funds/allocations', mustNotContain: () => '射阳独有下拨' },
    'POST /api/funds/allocations': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/funds/allocations', body: { fromOrgId: ids.sheyang, toOrgId: ids.sheyangTown, amount: '1.00', allocatedOn: '2026-10-01', purpose: '越权' } }),
    },
    'GET /api/funds/budgets': { kind: 'by-id', as: 'jingshen', request: () => ({ method: 'GET', url: `/api/funds/budgets?year=2026&orgId=${ids.sheyang}` }) },
    'POST /api/funds/budgets': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/funds/budgets', body: { orgId: ids.sheyang, year: 2026, category: 'admin', amount: '1.00' } }),
    },
    'GET /api/funds/final-accounts.xlsx': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/funds/final-accounts.xlsx?year=2026&orgId=${ids.sheyang}` }) },
    'GET /api/funds/spending': { kind: 'list', as: 'county', url: () => '/api/funds/spending', mustNotContain: () => '射阳独有收款方' },
    'POST /api/funds/spending': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/funds/spending', body: { orgId: ids.sheyang, category: 'admin', amount: '1.00', spentOn: '2026-10-02', payee: 'x', purpose: 'y' } }),
    },
    'GET /api/funds/spending/:id/vouchers/:voucherId': {
      kind: 'by-id',
      as: 'jingshen',
      request: () => ({ method: 'GET', url: `/api/funds/spending/${ids.spending}/vouchers/${ids.voucher}` }),
    },
    'POST /api/funds/spending/:id/vouchers': { kind: 'by-id', as: 'county', request: () => ({ method: 'POST', url: `/api/funds/spending/${ids.spending}/vouchers`, body: {} }) },

    'GET /api/audit-committee/projects': { kind: 'list', as: 'county', url: () => '/api/audit-committee/projects', mustNotContain: () => '射阳独有审计项目' },
    'POST /api/audit-committee/projects': {
      kind: 'by-id',
      as: 'jingshen',
      request: () => ({
        method: 'POST',
        url: '/api/audit-committee/projects',
        body: { auditedOrgId: ids.sheyangUnion, kind: 'tracking', title: '越权', periodFrom: '2026-01-01', periodTo: '2026-02-01', team: 'x' },
      }),
    },
    'GET /api/audit-committee/projects/:id': { kind: 'by-id', as: 'jingshen', request: () => ({ method: 'GET', url: `/api/audit-committee/projects/${ids.project}` }) },
    'POST /api/audit-committee/projects/:id/findings': {
      kind: 'by-id',
      as: 'jingshen',
      request: () => ({
        method: 'POST',
        url: `/api/audit-committee/projects/${ids.project}/findings`,
        body: { category: 'other', description: 'x', amount: '0', severity: 'minor', responsiblePerson: 'x', task: 'x', owner: 'x', deadline: '2026-12-31' },
      }),
    },
    'GET /api/audit-committee/projects/:id/report.docx': { kind: 'by-id', as: 'jingshen', request: () => ({ method: 'GET', url: `/api/audit-committee/projects/${ids.project}/report.docx` }) },
    'GET /api/audit-committee/tasks': { kind: 'list', as: 'county', url: () => '/api/audit-committee/tasks', mustNotContain: () => '射阳独有问题' },
    'POST /api/audit-committee/tasks/:id/evidence': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/audit-committee/tasks/${ids.task}/evidence`, body: { version: 1, evidence: '越权' } }),
    },
    'POST /api/audit-committee/tasks/:id/interviews': {
      kind: 'by-id',
      as: 'jingshen',
      request: () => ({ method: 'POST', url: `/api/audit-committee/tasks/${ids.task}/interviews`, body: { heldOn: '2026-11-20', interviewee: 'x', interviewer: 'y', notes: 'z' } }),
    },
    'POST /api/audit-committee/tasks/:id/close': {
      kind: 'by-id',
      as: 'jingshen',
      request: () => ({ method: 'POST', url: `/api/audit-committee/tasks/${ids.task}/close`, body: { version: 2, opinion: '越权' } }),
    },
    'GET /api/funds/dues': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/funds/dues?orgId=${ids.sheyangUnion}` }) },
    'POST /api/funds/dues/settings': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/funds/dues/settings', body: { orgId: ids.sheyangUnion, enabled: false, ratePercent: '1' } }),
    },
    'POST /api/funds/dues/records': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/funds/dues/records', body: { orgId: ids.sheyangUnion, period: '2026-10', paidOn: '2026-10-10', items: [{ membershipId: ids.membership, wage: '5000.00' }] } }),
    },
    'POST /api/funds/dues/exemptions': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/funds/dues/exemptions', body: { membershipId: ids.membership, reason: '越权' } }),
    },
    'POST /api/funds/dues/exemptions/:id/revoke': { kind: 'by-id', as: 'county', request: () => ({ method: 'POST', url: `/api/funds/dues/exemptions/${ids.exemption}/revoke` }) },
    'GET /api/audit-committee/projects/:id/papers': { kind: 'by-id', as: 'jingshen', request: () => ({ method: 'GET', url: `/api/audit-committee/projects/${ids.project}/papers` }) },
    'GET /api/audit-committee/projects/:id/papers/:paperId': {
      kind: 'by-id',
      as: 'jingshen',
      request: () => ({ method: 'GET', url: `/api/audit-committee/projects/${ids.project}/papers/${ids.paper}` }),
    },
    'POST /api/audit-committee/projects/:id/papers': {
      kind: 'by-id',
      as: 'jingshen',
      request: () => ({ method: 'POST', url: `/api/audit-committee/projects/${ids.project}/papers?fileName=x.png`, body: {} }),
    },
    'GET /api/audit-committee/figures': { kind: 'no-org-data', why: 'figures of the caller’s subtree (audit-committee.test.ts: 射阳 counts nothing of 东台)' },
  });
});
