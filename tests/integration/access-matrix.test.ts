// Deny by default, and data scope, for every route: each API route declares its access; every
// non-public route answers 401 to an anonymous caller; and every route has a cross-org case
// below: staff of 东台市 reaching for 射阳县's records get 404 (or never see them in a list).
// A new route without a case here fails this file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../support/test-app.js';
import { fakePerson } from '../support/people.js';
import type { CrossOrgCase } from '../support/cross-org.js';
import { JOIN_CONSENT } from '../../server/src/modules/joining/joining.schema.js';
import { provisionDutyAccount } from '../../server/src/seed/bootstrap-root.js';

let t: TestApp;
const ids: Record<string, string> = {};
const as: Record<string, Client> = {};

beforeAll(async () => {
  t = await createTestApp();
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  ids.dongtaiTown = (
    await t.db.selectFrom('orgs').select('id').where('parent_id', '=', ids.dongtai).where('type', '=', 'town').orderBy('id').executeTakeFirstOrThrow()
  ).id;
  ids.sheyangTown = (
    await t.db.selectFrom('orgs').select('id').where('parent_id', '=', ids.sheyang).where('type', '=', 'town').orderBy('id').executeTakeFirstOrThrow()
  ).id;
  const sys = await t.login('sysadmin');
  const roles = (await sys.get('/api/roles')).json().items as { id: string; code: string }[];
  const roleId = (code: string) => roles.find((r) => r.code === code)!.id;
  // 三员 of 东台市: their scope is 东台市's subtree. The system administrator creates a system
  // administrator; security and audit accounts are the operator's to add (decision 010).
  const made = await sys.post('/api/accounts', {
    username: 'dt_sys',
    displayName: '东台系统管理员',
    orgId: ids.dongtai,
    roleIds: [roleId('system_admin')],
    password: 'Dongtai#2026x',
  });
  expect(made.statusCode, made.body).toBe(200);
  for (const [username, duty] of [
    ['dt_sec', 'security'],
    ['dt_audit', 'audit'],
  ] as const) {
    await provisionDutyAccount(t.db, { username, orgId: ids.dongtai, duty, password: 'Dongtai#2026x' });
  }
  for (const username of ['dt_sys', 'dt_sec', 'dt_audit']) {
    const c = await t.login(username, 'Dongtai#2026x');
    const changed = await c.post('/api/auth/password', { currentPassword: 'Dongtai#2026x', newPassword: 'Dongtai#2026y' });
    expect(changed.statusCode).toBe(200);
    as[username] = c;
  }
  as.county = await t.login('county_admin');
  const sheyangAdmin = await t.login('sheyang_admin'); // leaves a live session and audit rows in 射阳县
  void sheyangAdmin;
  ids.sheyangAccount = (await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'sheyang_admin').executeTakeFirstOrThrow()).id;
  ids.sheyangSession = (
    await t.db.selectFrom('sessions').select('id').where('account_id', '=', ids.sheyangAccount).where('ended_at', 'is', null).executeTakeFirstOrThrow()
  ).id;
  // A custom role owned by 射阳县.
  const sheyangRole = await t.db
    .insertInto('roles')
    .values({ code: 'sheyang_custom', name: '射阳自定义', permissions: ['org:read'], org_id: ids.sheyang })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids.sheyangRole = sheyangRole.id;

  // A worker joins a 射阳县 union; 射阳's admin approves: a member, an application, a campaign in 射阳县.
  const sheyangEnterprise = (
    await t.db
      .selectFrom('orgs')
      .select('id')
      .where('path', 'like', `/1/${ids.sheyang}/%`)
      .where('type', '=', 'grassroots')
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id;
  const person = fakePerson(501, { name: '射阳会员' });
  const w = await t.workerLogin(person.phone);
  const app = await w.post('/api/worker/join', {
    person,
    employment: { employmentForm: 'courier' },
    targetOrgId: sheyangEnterprise,
    consent: { agreed: true, version: JOIN_CONSENT.version },
    idempotencyKey: 'matrix-0001',
  });
  expect(app.statusCode, app.body).toBe(200);
  ids.sheyangApplication = app.json().id;
  const sy = await t.login('sheyang_admin');
  const d = (await sy.get(`/api/join-applications/${ids.sheyangApplication}`)).json();
  expect((await sy.post(`/api/join-applications/${d.id}/review`, { action: 'approve', version: d.version })).statusCode).toBe(200);
  ids.sheyangMember = (await sy.get('/api/members')).json().items[0].id;
  const camp = await sy.post('/api/campaigns', { orgId: ids.sheyang, name: '射阳货车司机入会', startsOn: '2026-11-01', endsOn: '2026-12-31' });
  expect(camp.statusCode, camp.body).toBe(200);
  ids.sheyangCampaign = camp.json().id;
  // A second application, still pending, for the release/review cases.
  const p2 = fakePerson(502, { name: '射阳申请人' });
  const w2 = await t.workerLogin(p2.phone);
  ids.sheyangPending = (
    await w2.post('/api/worker/join', {
      person: p2,
      employment: { employmentForm: 'courier' },
      targetOrgId: sheyangEnterprise,
      consent: { agreed: true, version: JOIN_CONSENT.version },
      idempotencyKey: 'matrix-0002',
    })
  ).json().id;
  as.otherWorker = await t.workerLogin('13700007777');
  // Some 东台 data so the lists below are not empty.
  const p3 = fakePerson(503, { name: '东台会员' });
  const w3 = await t.workerLogin(p3.phone);
  const dongtaiEnterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow())
    .org_id;
  const a3 = (
    await w3.post('/api/worker/join', {
      person: p3,
      employment: {},
      targetOrgId: dongtaiEnterprise,
      consent: { agreed: true, version: JOIN_CONSENT.version },
      idempotencyKey: 'matrix-0003',
    })
  ).json();
  const d3 = (await as.county.get(`/api/join-applications/${a3.id}`)).json();
  expect((await as.county.post(`/api/join-applications/${d3.id}/review`, { action: 'approve', version: d3.version })).statusCode).toBe(200);
  await as.county.post('/api/campaigns', { orgId: ids.dongtai, name: '东台快递员入会', startsOn: '2026-11-01', endsOn: '2026-12-31' });
  const p4 = fakePerson(504, { name: '东台申请人' });
  const w4 = await t.workerLogin(p4.phone);
  await w4.post('/api/worker/join', {
    person: p4,
    employment: {},
    targetOrgId: dongtaiEnterprise,
    consent: { agreed: true, version: JOIN_CONSENT.version },
    idempotencyKey: 'matrix-0004',
  });
  // Partners: one serving 射阳县, one serving 东台市; a 东台市 account that may manage partners.
  const cityAdmin = await t.login('city_admin');
  const partnerAt = async (name: string, org: string) =>
    (await cityAdmin.post('/api/partners', { name, orgId: await orgIdByName(t, org) })).json().id as string;
  ids.sheyangPartner = await partnerAt('射阳货运平台', '射阳县新就业形态劳动者行业工会联合会');
  await partnerAt('东台货运平台', '东台市新就业形态劳动者行业工会联合会');
  expect(
    (
      await sys.post('/api/accounts', {
        username: 'dt_partner',
        displayName: '东台平台管理',
        orgId: ids.dongtai,
        roleIds: [roleId('city_admin')],
        password: 'Dongtai#2026x',
      })
    ).statusCode,
  ).toBe(200);
  as.dt_partner = await t.firstLogin('dt_partner', 'Dongtai#2026x');
  // Import jobs: one in 射阳县 (with a bad row, so it has an error report), one in 东台市.
  const rollCsv = (...people: ReturnType<typeof fakePerson>[]) =>
    Buffer.from(`姓名,证件号码,手机号\r\n${people.map((p) => `${p.name},${p.idNumber},${p.phone}`).join('\r\n')}\r\n`);
  const upload = (c: Client, orgId: string, fileName: string, file: Buffer) =>
    c.request({
      method: 'POST',
      url: `/api/members/import?orgId=${orgId}&fileName=${encodeURIComponent(fileName)}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: file,
    });
  ids.sheyangImport = (await upload(sy, ids.sheyang, '射阳名单.csv', rollCsv(fakePerson(505), fakePerson(506, { phone: '123' })))).json().jobId;
  expect((await upload(as.county, ids.dongtai, '东台名单.csv', rollCsv(fakePerson(507)))).statusCode).toBe(200);
  await t.services.features.imports.service.idle();
  // Outside lists for matching: one uploaded by 射阳县, one by 东台市.
  const matchList = (c: Client, orgId: string, name: string, n: number) =>
    c.request({
      method: 'POST',
      url: `/api/match-lists?orgId=${orgId}&name=${encodeURIComponent(name)}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(`姓名,身份证号\n${name},${fakePerson(n).idNumber}\n`),
    });
  ids.sheyangMatchList = (await matchList(sy, ids.sheyang, '射阳比对名单', 508)).json().id;
  expect((await matchList(as.county, ids.dongtai, '东台比对名单', 509)).statusCode).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

type Case = CrossOrgCase;

const version = async (url: string) => ((await as.county!.get(url)).json() as { version?: number }).version ?? 1;
void version;

const CASES: Record<string, Case> = {
  'GET /api/health': { kind: 'no-org-data', why: 'public' },
  'GET /api/health/live': { kind: 'no-org-data', why: 'public probe, no data' },
  'GET /api/health/ready': { kind: 'no-org-data', why: 'public probe, no data' },
  'GET /api/openapi.json': { kind: 'no-org-data', why: 'public' },
  'GET /api/config': { kind: 'no-org-data', why: 'public' },
  'POST /api/auth/login': { kind: 'no-org-data', why: 'public' },
  'GET /api/auth/me': { kind: 'no-org-data', why: 'only the caller’s own account' },
  'POST /api/auth/logout': { kind: 'no-org-data', why: 'only the caller’s own session' },
  'POST /api/auth/password': { kind: 'no-org-data', why: 'only the caller’s own password' },
  'POST /api/worker/sms-code': { kind: 'no-org-data', why: 'public' },
  'POST /api/worker/login': { kind: 'no-org-data', why: 'public' },
  'GET /api/worker/me': { kind: 'no-org-data', why: 'only the worker’s own record' },
  'POST /api/worker/logout': { kind: 'no-org-data', why: 'only the worker’s own session' },
  'GET /api/orgs/dictionary': { kind: 'no-org-data', why: 'static dictionary' },
  'GET /api/permissions': { kind: 'no-org-data', why: 'static permission list' },
  'GET /api/audit/verify': { kind: 'no-org-data', why: 'whole-chain integrity check; returns no record content' },

  'GET /api/orgs/children': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/orgs/children?parentId=${ids.sheyang}` }) },
  'GET /api/orgs/search': {
    kind: 'list',
    as: 'county',
    url: () => `/api/orgs/search?pageSize=200&q=${encodeURIComponent('总工会')}`,
    mustNotContain: () => '射阳',
  },
  'GET /api/orgs/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/orgs/${ids.sheyang}` }) },
  'POST /api/orgs': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'POST', url: '/api/orgs', body: { parentId: ids.sheyangTown, type: 'grassroots', name: '越权新建的工会' } }),
  },
  'PATCH /api/orgs/:id': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'PATCH', url: `/api/orgs/${ids.sheyangTown}`, body: { version: 1, name: '改名' } }),
  },
  'POST /api/orgs/:id/move': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'POST', url: `/api/orgs/${ids.sheyangTown}/move`, body: { version: 1, newParentId: ids.dongtai } }),
  },
  'POST /api/orgs/:id/dissolve': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'POST', url: `/api/orgs/${ids.sheyangTown}/dissolve`, body: { version: 1, reason: '越权撤销' } }),
  },

  'GET /api/accounts': { kind: 'list', as: 'dt_sys', url: () => '/api/accounts?pageSize=200', mustNotContain: () => 'sheyang_admin' },
  'GET /api/accounts/orgs': {
    kind: 'list',
    as: 'dt_sys',
    url: () => `/api/accounts/orgs?pageSize=100&q=${encodeURIComponent('总工会')}`,
    mustNotContain: () => '射阳',
  },
  'GET /api/accounts/:id': { kind: 'by-id', as: 'dt_sys', request: () => ({ method: 'GET', url: `/api/accounts/${ids.sheyangAccount}` }) },
  'POST /api/accounts': {
    kind: 'by-id',
    as: 'dt_sys',
    request: () => ({
      method: 'POST',
      url: '/api/accounts',
      body: { username: 'intruder', displayName: '越权账号', orgId: ids.sheyang, roleIds: ['1'], password: 'Outsider#2026x' },
    }),
  },
  'PATCH /api/accounts/:id': {
    kind: 'by-id',
    as: 'dt_sys',
    request: () => ({ method: 'PATCH', url: `/api/accounts/${ids.sheyangAccount}`, body: { version: 1, displayName: '改名' } }),
  },
  'POST /api/accounts/:id/disable': {
    kind: 'by-id',
    as: 'dt_sys',
    request: () => ({ method: 'POST', url: `/api/accounts/${ids.sheyangAccount}/disable`, body: {} }),
  },
  'POST /api/accounts/:id/enable': {
    kind: 'by-id',
    as: 'dt_sys',
    request: () => ({ method: 'POST', url: `/api/accounts/${ids.sheyangAccount}/enable`, body: {} }),
  },
  'POST /api/accounts/:id/unlock': {
    kind: 'by-id',
    as: 'dt_sec',
    request: () => ({ method: 'POST', url: `/api/accounts/${ids.sheyangAccount}/unlock`, body: {} }),
  },
  'POST /api/accounts/:id/reset-password': {
    kind: 'by-id',
    as: 'dt_sys',
    request: () => ({ method: 'POST', url: `/api/accounts/${ids.sheyangAccount}/reset-password`, body: { password: 'Takeover#2026' } }),
  },

  'GET /api/roles': { kind: 'list', as: 'dt_sys', url: () => '/api/roles', mustNotContain: () => 'sheyang_custom' },
  'POST /api/roles': { kind: 'no-org-data', why: 'creates a role in the caller’s own org; no reference to another org' },
  'PATCH /api/roles/:id': {
    kind: 'by-id',
    as: 'dt_sys',
    request: () => ({ method: 'PATCH', url: `/api/roles/${ids.sheyangRole}`, body: { name: '改名角色' } }),
  },
  'DELETE /api/roles/:id': { kind: 'by-id', as: 'dt_sys', request: () => ({ method: 'DELETE', url: `/api/roles/${ids.sheyangRole}` }) },

  'GET /api/sessions': { kind: 'list', as: 'dt_sec', url: () => '/api/sessions?pageSize=200', mustNotContain: () => 'sheyang_admin' },
  'DELETE /api/sessions/:id': { kind: 'by-id', as: 'dt_sec', request: () => ({ method: 'DELETE', url: `/api/sessions/${ids.sheyangSession}` }) },

  'GET /api/audit': { kind: 'list', as: 'dt_audit', url: () => '/api/audit?pageSize=200', mustNotContain: () => '射阳' },

  'GET /api/members': { kind: 'list', as: 'county', url: () => '/api/members?pageSize=200', mustNotContain: () => '射阳' },
  'GET /api/members/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/members/${ids.sheyangMember}` }) },
  'POST /api/members/:id/reveal': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'POST', url: `/api/members/${ids.sheyangMember}/reveal`, body: { field: 'idNumber', reason: '越权查看' } }),
  },
  'POST /api/members/:id/status': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'POST', url: `/api/members/${ids.sheyangMember}/status`, body: { action: 'leave', reason: '越权退会', version: 1 } }),
  },
  'GET /api/orgs/:id/member-figures': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/orgs/${ids.sheyang}/member-figures` }) },
  'GET /api/worker/join/consent': { kind: 'no-org-data', why: 'the current consent text' },
  'GET /api/worker/join/unions': { kind: 'no-org-data', why: 'the public directory of active unions a worker may apply to' },
  'POST /api/worker/join': { kind: 'no-org-data', why: 'a worker may apply to any active union; the application is the worker’s own' },
  'GET /api/worker/join': { kind: 'no-org-data', why: 'only the worker’s own applications' },
  'POST /api/worker/join/:id/withdraw': {
    kind: 'by-id',
    as: 'otherWorker',
    request: () => ({ method: 'POST', url: `/api/worker/join/${ids.sheyangPending}/withdraw`, body: {} }),
  },
  'GET /api/public/campaigns/:token': { kind: 'no-org-data', why: 'public: what a campaign QR opens' },
  'GET /api/join-applications': { kind: 'list', as: 'county', url: () => '/api/join-applications?pageSize=200', mustNotContain: () => '射阳' },
  'GET /api/join-applications/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/join-applications/${ids.sheyangPending}` }) },
  'POST /api/join-applications/:id/review': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'POST', url: `/api/join-applications/${ids.sheyangPending}/review`, body: { action: 'approve', version: 1 } }),
  },
  'POST /api/join-applications/:id/release': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'POST', url: `/api/join-applications/${ids.sheyangPending}/release`, body: { version: 1 } }),
  },
  'GET /api/orgs/:id/join-figures': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/orgs/${ids.sheyang}/join-figures` }) },
  'GET /api/campaigns': { kind: 'list', as: 'county', url: () => '/api/campaigns?pageSize=200', mustNotContain: () => '射阳' },
  'POST /api/campaigns': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'POST', url: '/api/campaigns', body: { orgId: ids.sheyang, name: '越权活动', startsOn: '2026-11-01', endsOn: '2026-12-31' } }),
  },
  'GET /api/campaigns/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/campaigns/${ids.sheyangCampaign}` }) },
  'GET /api/partners': { kind: 'list', as: 'dt_partner', url: () => '/api/partners?pageSize=200', mustNotContain: () => '射阳' },
  'POST /api/partners': {
    kind: 'by-id',
    as: 'dt_partner',
    request: () => ({ method: 'POST', url: '/api/partners', body: { name: '越权平台', orgId: ids.sheyang } }),
  },
  'GET /api/partners/:id': { kind: 'by-id', as: 'dt_partner', request: () => ({ method: 'GET', url: `/api/partners/${ids.sheyangPartner}` }) },
  'POST /api/partners/:id/rotate-secret': {
    kind: 'by-id',
    as: 'dt_partner',
    request: () => ({ method: 'POST', url: `/api/partners/${ids.sheyangPartner}/rotate-secret`, body: {} }),
  },
  'POST /api/partners/:id/disable': {
    kind: 'by-id',
    as: 'dt_partner',
    request: () => ({ method: 'POST', url: `/api/partners/${ids.sheyangPartner}/disable`, body: {} }),
  },
  'POST /api/partners/:id/enable': {
    kind: 'by-id',
    as: 'dt_partner',
    request: () => ({ method: 'POST', url: `/api/partners/${ids.sheyangPartner}/enable`, body: {} }),
  },
  'POST /api/partner/v1/join-applications': {
    kind: 'no-org-data',
    why: 'signed partner requests; a partner sees only its own applications (tested in partners.test.ts)',
  },
  'GET /api/partner/v1/join-applications/:partnerRef': {
    kind: 'no-org-data',
    why: 'signed partner requests; a partner sees only its own applications (tested in partners.test.ts)',
  },
  'GET /api/members/import/template': { kind: 'no-org-data', why: 'the blank import template' },
  'POST /api/members/import': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'POST', url: `/api/members/import?orgId=${ids.sheyang}&fileName=a.csv`, body: {} }),
  },
  'GET /api/import-jobs': { kind: 'list', as: 'county', url: () => '/api/import-jobs?pageSize=200', mustNotContain: () => '射阳' },
  'GET /api/import-jobs/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/import-jobs/${ids.sheyangImport}` }) },
  'GET /api/import-jobs/:id/errors.xlsx': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'GET', url: `/api/import-jobs/${ids.sheyangImport}/errors.xlsx` }),
  },
  'POST /api/members/export': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'POST', url: '/api/members/export', body: { filters: { orgId: ids.sheyang } } }),
  },
  'POST /api/match-lists': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'POST', url: `/api/match-lists?orgId=${ids.sheyang}&name=${encodeURIComponent('越权名单')}` }),
  },
  'GET /api/match-lists': { kind: 'list', as: 'county', url: () => '/api/match-lists?pageSize=200', mustNotContain: () => '射阳' },
  'GET /api/match-lists/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/match-lists/${ids.sheyangMatchList}` }) },
  'GET /api/match-lists/:id/not-yet.xlsx': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'GET', url: `/api/match-lists/${ids.sheyangMatchList}/not-yet.xlsx` }),
  },
  'DELETE /api/match-lists/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'DELETE', url: `/api/match-lists/${ids.sheyangMatchList}` }) },
  'GET /api/worker/card': { kind: 'no-org-data', why: 'only the worker’s own membership card' },
  'GET /api/public/cards/verify': { kind: 'no-org-data', why: 'public: a signed, expiring card token answers only a masked name, the union and valid or not' },
  'GET /api/campaigns/:id/poster.png': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'GET', url: `/api/campaigns/${ids.sheyangCampaign}/poster.png` }),
  },
  'GET /api/campaigns/:id/poster.pdf': {
    kind: 'by-id',
    as: 'county',
    request: () => ({ method: 'GET', url: `/api/campaigns/${ids.sheyangCampaign}/poster.pdf` }),
  },
  'GET /api/worker/join/unions/:id': { kind: 'no-org-data', why: 'public directory of unions for workers' },
  'GET /api/orgs/:id/join-poster.png': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/orgs/${ids.sheyang}/join-poster.png` }) },
  'GET /api/orgs/:id/join-poster.pdf': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/orgs/${ids.sheyang}/join-poster.pdf` }) },
};

describe('route table', () => {
  it('every API route declares its access, and every route has a cross-org case (here or in cross-org/*.test.ts)', () => {
    const keys = t.routes.map((r) => `${r.method} ${r.url}`);
    // Modules added later keep their paired cases beside their own seed data, in cross-org/*.test.ts.
    const dir = join(import.meta.dirname, 'cross-org');
    const elsewhere = new Set<string>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.test.ts'))) {
      for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/^\s*'((?:GET|POST|PUT|PATCH|DELETE) \/api\/[^']*)':\s*\{/gm)) elsewhere.add(m[1]!);
    }
    const covered = (k: string) => k in CASES || elsewhere.has(k);
    expect(keys.length).toBeGreaterThan(30);
    for (const r of t.routes) expect(r.access, `${r.method} ${r.url}`).toBeTruthy();
    expect(
      keys.filter((k) => !covered(k)),
      'routes without a cross-org case',
    ).toEqual([]);
    expect(
      [...Object.keys(CASES), ...elsewhere].filter((k) => !keys.includes(k)),
      'cases for routes that do not exist',
    ).toEqual([]);
  });

  it('an anonymous caller gets 401 from every non-public route', async () => {
    const checked: string[] = [];
    for (const r of t.routes.filter((x) => x.access !== 'public')) {
      const url = r.url.replace(':id', r.url.startsWith('/api/sessions') ? 'a'.repeat(64) : '1');
      const res = await t.anonymous.request({ method: r.method as 'GET', url, ...(r.method !== 'GET' && r.method !== 'DELETE' && { payload: {} }) });
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
      checked.push(r.url);
    }
    expect(checked.length).toBeGreaterThan(25);
  });
});

describe('another org’s staff get 404', () => {
  for (const [key, c] of Object.entries(CASES)) {
    if (c.kind === 'no-org-data') continue;
    it(key, async () => {
      const client = as[c.as]!;
      if (c.kind === 'by-id') {
        const { method, url, body } = c.request();
        const res = await client.request({ method: method as 'GET', url, ...(body !== undefined && { payload: body as object }) });
        expect(res.statusCode, res.body).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      } else {
        const res = await client.get(c.url());
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().items.length, 'the list is not empty').toBeGreaterThan(0);
        expect(res.body).not.toContain(c.mustNotContain());
      }
    });
  }

  it('the same lists do show those records to the city (the cases above are not empty by accident)', async () => {
    const city = await t.login('city_admin');
    expect((await city.get(`/api/orgs/search?pageSize=200&q=${encodeURIComponent('射阳')}`)).body).toContain('射阳县总工会');
    expect((await city.get(`/api/orgs/${ids.sheyang}`)).statusCode).toBe(200);
    const sys = await t.login('sysadmin');
    expect((await sys.get('/api/accounts?pageSize=200')).body).toContain('sheyang_admin');
    expect((await sys.get(`/api/accounts/${ids.sheyangAccount}`)).statusCode).toBe(200);
  });

  it('the out-of-scope records are untouched after all of that', async () => {
    const town = await t.db.selectFrom('orgs').selectAll().where('id', '=', ids.sheyangTown!).executeTakeFirstOrThrow();
    expect(town.status).toBe('active');
    expect(town.parent_id).toBe(ids.sheyang);
    const account = await t.db.selectFrom('staff_accounts').selectAll().where('id', '=', ids.sheyangAccount!).executeTakeFirstOrThrow();
    const pending = await t.db.selectFrom('join_applications').select('status').where('id', '=', ids.sheyangPending!).executeTakeFirstOrThrow();
    expect(pending.status).toBe('pending');
    const member = await t.db.selectFrom('memberships').select('status').where('id', '=', ids.sheyangMember!).executeTakeFirstOrThrow();
    expect(member.status).toBe('active');
    expect(account.status).toBe('active');
    expect(await t.db.selectFrom('roles').select('id').where('id', '=', ids.sheyangRole!).executeTakeFirst()).toBeTruthy();
  });
});
