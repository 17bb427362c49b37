// 劳模工匠: staff of 东台 never reach a person registered with a 射阳 contact union (read, edit, honours,
// grants) nor see them in lists; the rules are city-wide reference data.
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
  const sy = await t.login('sheyang_admin');
  as.county = await t.login('county_admin');
  const made = await sy.post('/api/models/people', {
    orgId: ids.sheyangOrg,
    name: '射阳独有劳模',
    honours: [{ kind: 'city_model', year: 2020, awardingBody: '盐城市人民政府' }],
  });
  expect(made.statusCode, made.body).toBe(200);
  ids.person = made.json().id;
  ids.honour = made.json().honours[0].id;
  const own = await as.county.post('/api/models/people', {
    orgId: await orgIdByName(t, '东台市总工会'),
    name: '东台劳模',
    honours: [{ kind: 'city_model', year: 2020, awardingBody: '盐城市人民政府' }],
  });
  expect(own.statusCode, own.body).toBe(200);
  // a 射阳 enterprise, studio and problem (claimed), and one of 东台 so the lists are not empty
  const enterprise = (sheyang: boolean) => ({
    orgId: sheyang ? ids.sheyangOrg : own.json().org.id,
    creditCode: creditCode(sheyang ? 16101 : 16102, sheyang ? '91320924' : '91320981'),
    name: sheyang ? '射阳独有助企企业' : '东台助企企业',
    ownership: 'private',
    industry: 'C',
    size: 'small',
    employees: 60,
    women: 20,
    migrantWorkers: 5,
  });
  const syE = await sy.post('/api/enterprises', enterprise(true));
  expect(syE.statusCode, syE.body).toBe(200);
  ids.enterprise = syE.json().id;
  const dtE = (await as.county.post('/api/enterprises', enterprise(false))).json();
  const studio = (s: Client, orgId: string, name: string) => s.post('/api/models/studios', { orgId, kind: 'model', name, field: '机械', level: 'city', namedYear: 2022 });
  ids.studio = (await studio(sy, ids.sheyangOrg!, '射阳独有工作室')).json().id;
  ids.ownStudio = (await studio(as.county, own.json().org.id, '东台工作室')).json().id;
  const deadline = new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  const problem = (s: Client, enterpriseId: string, title: string) => s.post('/api/models/problems', { enterpriseId, title, field: '机械', description: '一个需要攻关的技术难题。', deadline });
  const p = (await problem(sy, ids.enterprise!, '射阳独有难题')).json();
  ids.problem = p.id;
  ids.claimed = (await sy.post(`/api/models/problems/${p.id}/claim`, { studioId: ids.studio, version: p.version })).json().id;
  ids.ownProblem = (await problem(as.county, dtE.id, '东台难题')).json().id;
  // a 射阳 lecturer and a 射阳 宣讲 activity; a 东台 lecturer so the lists are not empty
  ids.lecturer = (await sy.post('/api/models/lecturers', { orgId: ids.sheyangOrg, kind: 'worker_speaker', name: '射阳独有宣讲员' })).json().id;
  ids.ownLecturer = (await as.county.post('/api/models/lecturers', { orgId: own.json().org.id, kind: 'worker_speaker', name: '东台宣讲员' })).json().id;
  const now = t.clock.now().getTime();
  const lecture = (s: Client, title: string) =>
    s.post('/api/activities', {
      title,
      type: 'lecture',
      enrollmentMode: 'fcfs',
      opensAt: new Date(now).toISOString(),
      closesAt: new Date(now + 30 * 86_400_000).toISOString(),
      batches: [{ title: '第一场', placesGeneral: 20 }],
    });
  const act = await lecture(sy, '射阳独有宣讲');
  expect(act.statusCode, act.body).toBe(200);
  ids.activity = act.json().id;
  const ownAct = (await lecture(as.county, '东台宣讲')).json().id;
  expect((await as.county.post('/api/models/lectures', { activityId: ownAct, lecturerId: ids.ownLecturer, venueKind: 'school', venueName: '东台中学' })).statusCode).toBe(200);
  expect((await sy.post('/api/models/lectures', { activityId: ids.activity, lecturerId: ids.lecturer, venueKind: 'enterprise', venueName: '射阳某企业' })).statusCode).toBe(200);
  // 创新成果积分 and evidence (decision 033): a 射阳 achievement with a file; 东台's ranking on and an achievement of its own
  const year = Number(new Date(now + 8 * 3_600_000).toISOString().slice(0, 4));
  const ach = await sy.post(`/api/models/studios/${ids.studio}/achievements`, { kind: 'innovation', title: '射阳独有成果', year });
  ids.achievement = ach.json().achievements[0].id;
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const file = await sy.request({ method: 'POST', url: `/api/models/studios/${ids.studio}/achievements/${ids.achievement}/files`, headers: { 'content-type': 'application/octet-stream' }, payload: png });
  expect(file.statusCode, file.body).toBe(200);
  ids.file = file.json().id;
  await as.county.post(`/api/models/studios/${ids.ownStudio}/achievements`, { kind: 'innovation', title: '东台成果', year });
  const tbl = (await as.county.get('/api/models/points/table')).json();
  const saved = await as.county.request({
    method: 'PUT',
    url: '/api/models/points/table',
    payload: { kinds: tbl.kinds, award: tbl.award, patent: tbl.patent, benefit: tbl.benefit, rankingEnabled: true, version: tbl.version },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  ids.competition = (await as.county.get('/api/models/competitions')).json().items[0].id;
});
afterAll(async () => t?.close());

describe('models: 东台 staff never reach 射阳 honoured people', () => {
  crossOrgCases(() => as, {
    'GET /api/models/dictionary': { kind: 'no-org-data', why: 'labels only' },
    'GET /api/models/people': { kind: 'list', as: 'county', url: () => '/api/models/people?pageSize=200', mustNotContain: () => '射阳独有劳模' },
    'POST /api/models/people': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/models/people', body: { orgId: ids.sheyangOrg, name: '越权登记', honours: [{ kind: 'city_model', year: 2020, awardingBody: '盐城市人民政府' }] } }),
    },
    'GET /api/models/people/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/models/people/${ids.person}` }) },
    'PATCH /api/models/people/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'PATCH', url: `/api/models/people/${ids.person}`, body: { status: 'retired', version: 1 } }) },
    'POST /api/models/people/:id/honours': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/models/people/${ids.person}/honours`, body: { kind: 'skill_expert', year: 2021, awardingBody: '人社局' } }),
    },
    'DELETE /api/models/people/:id/honours/:honourId': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'DELETE', url: `/api/models/people/${ids.person}/honours/${ids.honour}` }),
    },
    'POST /api/models/people/:id/grants': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/models/people/${ids.person}/grants`, body: { benefit: 'checkup', year: 2026, grantedOn: '2026-03-01' } }),
    },
    'GET /api/models/rules': { kind: 'no-org-data', why: 'city-wide entitlement standards, no person data' },
    'POST /api/models/rules': { kind: 'no-org-data', why: 'city-wide; only the city union may add (models.test.ts: county → 403)' },
    'PATCH /api/models/rules/:id': { kind: 'no-org-data', why: 'city-wide; only the city union may edit (models.test.ts: county → 403)' },
    'GET /api/models/template.xlsx': { kind: 'no-org-data', why: 'an empty template' },
    'POST /api/models/import': { kind: 'no-org-data', why: 'rows naming another county’s union are reported as errors (models.test.ts)' },
    'GET /api/models/studios': { kind: 'list', as: 'county', url: () => '/api/models/studios?pageSize=200', mustNotContain: () => '射阳独有工作室' },
    'POST /api/models/studios': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/models/studios', body: { orgId: ids.sheyangOrg, kind: 'model', name: '越权工作室', field: '机械', level: 'city', namedYear: 2022 } }),
    },
    'GET /api/models/studios/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/models/studios/${ids.studio}` }) },
    'POST /api/models/studios/:id/achievements': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/models/studios/${ids.studio}/achievements`, body: { kind: 'patent', patentType: 'utility', title: '越权专利', year: 2025 } }),
    },
    'GET /api/models/problems': { kind: 'list', as: 'county', url: () => '/api/models/problems?pageSize=200', mustNotContain: () => '射阳独有难题' },
    'POST /api/models/problems': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/models/problems', body: { enterpriseId: ids.enterprise, title: '越权难题发布', field: '机械', description: '越权发布的难题描述。', deadline: '2099-01-01' } }),
    },
    'GET /api/models/problems/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/models/problems/${ids.problem}` }) },
    'POST /api/models/problems/:id/claim': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/models/problems/${ids.ownProblem}/claim`, body: { studioId: ids.studio, version: 1 } }),
    },
    'POST /api/models/problems/:id/records': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/models/problems/${ids.claimed}/records`, body: { kind: 'visit', onDay: '2026-01-01', text: '越权记录' } }),
    },
    'POST /api/models/problems/:id/solve': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/models/problems/${ids.claimed}/solve`, body: { result: '越权提交成果', peopleInvolved: 2, version: 2 } }),
    },
    'POST /api/models/problems/:id/confirm': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/models/problems/${ids.claimed}/confirm`, body: { accept: true, confirmedBy: '越权确认', version: 2 } }),
    },
    'POST /api/models/problems/:id/withdraw': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/models/problems/${ids.problem}/withdraw`, body: { reason: '越权撤回', version: 1 } }),
    },
    'GET /api/models/lecturers': { kind: 'list', as: 'county', url: () => '/api/models/lecturers?pageSize=200', mustNotContain: () => '射阳独有宣讲员' },
    'POST /api/models/lecturers': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/models/lecturers', body: { orgId: ids.sheyangOrg, kind: 'worker_speaker', name: '越权宣讲员' } }),
    },
    'GET /api/models/lectures': { kind: 'list', as: 'county', url: () => '/api/models/lectures?pageSize=200', mustNotContain: () => '射阳独有宣讲' },
    'POST /api/models/lectures': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/models/lectures', body: { activityId: ids.activity, lecturerId: ids.ownLecturer, venueKind: 'school', venueName: '越权学校' } }),
    },
    'GET /api/models/points/table': { kind: 'no-org-data', why: 'the points table in force for the caller’s own union (its own or one above it)' },
    'PUT /api/models/points/table': { kind: 'no-org-data', why: 'writes only the caller’s own union’s table; a town → 403 (models.points.test.ts)' },
    'GET /api/models/points': { kind: 'list', as: 'county', url: () => '/api/models/points?of=studio&pageSize=200', mustNotContain: () => '射阳独有工作室' },
    'GET /api/models/points/ranking': { kind: 'list', as: 'county', url: () => '/api/models/points/ranking?of=studio&pageSize=200', mustNotContain: () => '射阳独有工作室' },
    'GET /api/models/studio-criteria': { kind: 'no-org-data', why: 'the evaluation criteria, labels only' },
    'POST /api/models/studios/:id/evaluations': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/models/studios/${ids.studio}/evaluations`, body: { year: 2025, evaluator: '越权评价', scores: [{ code: 'organisation', score: 1 }] } }),
    },
    'GET /api/models/studios/:id/achievements/:achievementId/files/:fileId': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/models/studios/${ids.studio}/achievements/${ids.achievement}/files/${ids.file}` }),
    },
    'POST /api/models/studios/:id/achievements/:achievementId/files': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/models/studios/${ids.studio}/achievements/${ids.achievement}/files`, body: { x: 1 } }),
    },
    'GET /api/models/competitions': { kind: 'no-org-data', why: 'the city-wide competition catalogue (reference data)' },
    'POST /api/models/competitions': { kind: 'no-org-data', why: 'city-wide; only the city union may add (models.points.test.ts: county → 403)' },
    'GET /api/models/competitions/:id': { kind: 'no-org-data', why: 'a reference entry; its tagged activities are the caller’s subtree’s only (models.points.test.ts: 射阳 sees none of 东台’s)' },
    'PATCH /api/models/competitions/:id': { kind: 'no-org-data', why: 'city-wide; only the city union may edit' },
    'POST /api/models/competitions/:id/activities': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/models/competitions/${ids.competition}/activities`, body: { activityId: ids.activity } }),
    },
    'POST /api/models/people/:id/skill-results': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/models/people/${ids.person}/skill-results`, body: { competitionId: ids.competition, year: 2025, placing: '一等奖' } }),
    },
    'GET /api/models/board-figures': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/models/board-figures?orgId=${ids.sheyangOrg}` }) },
  });
});
