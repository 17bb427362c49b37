// Activities: staff of 东台 never reach a 射阳 activity or its enrollments; a worker never reaches
// another worker's enrollment, nor an activity of a union they do not belong to.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { makeMember } from '../../support/members.js';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

async function publish(client: Client, body: Record<string, unknown>) {
  const r = await client.post('/api/activities', {
    type: 'recuperation',
    enrollmentMode: 'approval',
    batches: [{ title: '第一批', placesGeneral: 5 }],
    ...body,
  });
  expect(r.statusCode, r.body).toBe(200);
  const p = await client.post(`/api/activities/${r.json().id}/publish`, { version: r.json().version });
  expect(p.statusCode, p.body).toBe(200);
  return p.json() as { id: string; version: number };
}

beforeAll(async () => {
  t = await createTestApp();
  const sheyangOrg = await orgIdByName(t, '射阳县总工会');
  const dongtaiOrg = await orgIdByName(t, '东台市总工会');
  ids.sheyangOrg = sheyangOrg;
  const sy = await t.login('sheyang_admin');
  as.county = await t.login('county_admin');
  const a = await publish(sy, { title: '射阳独有疗休养活动' });
  ids.activity = a.id;
  await publish(as.county, { title: '东台疗休养活动' });
  const member = await makeMember(t, sheyangOrg, 4900);
  const e = await member.worker.post(`/api/worker/activities/${a.id}/enroll`, {});
  expect(e.statusCode, e.body).toBe(200);
  ids.enrollment = e.json().id;
  const other = await makeMember(t, dongtaiOrg, 4901);
  as.otherWorker = other.worker;
});
afterAll(async () => t?.close());

describe('activities: 东台 staff and other workers never reach 射阳 records', () => {
  crossOrgCases(() => as, {
    // worker
    'GET /api/worker/activities': { kind: 'list', as: 'otherWorker', url: () => '/api/worker/activities', mustNotContain: () => '射阳独有疗休养活动' },
    'GET /api/worker/activities/:id': { kind: 'by-id', as: 'otherWorker', request: () => ({ method: 'GET', url: `/api/worker/activities/${ids.activity}` }) },
    'POST /api/worker/activities/:id/enroll': {
      kind: 'by-id',
      as: 'otherWorker',
      request: () => ({ method: 'POST', url: `/api/worker/activities/${ids.activity}/enroll`, body: {} }),
    },
    'GET /api/worker/activity-enrollments': { kind: 'no-org-data', why: 'only the worker’s own enrollments (activities.test.ts)' },
    'GET /api/worker/activity-enrollments/:id': {
      kind: 'by-id',
      as: 'otherWorker',
      request: () => ({ method: 'GET', url: `/api/worker/activity-enrollments/${ids.enrollment}` }),
    },
    'POST /api/worker/activity-enrollments/:id/cancel': {
      kind: 'by-id',
      as: 'otherWorker',
      request: () => ({ method: 'POST', url: `/api/worker/activity-enrollments/${ids.enrollment}/cancel`, body: {} }),
    },
    // public draw record: published on purpose so anyone can re-run the draw
    'GET /api/public/activities/:id/lottery': { kind: 'no-org-data', why: 'public by design: the lottery seed and candidate ids are published for re-running' },
    'GET /api/public/activities/:id/lottery/verify': { kind: 'no-org-data', why: 'public by design: re-runs a published draw' },
    // staff
    'GET /api/activities/dictionary': { kind: 'no-org-data', why: 'labels only' },
    'GET /api/activities': { kind: 'list', as: 'county', url: () => '/api/activities', mustNotContain: () => '射阳独有疗休养活动' },
    'POST /api/activities': {
      kind: 'by-id',
      as: 'county',
      request: () => ({
        method: 'POST',
        url: '/api/activities',
        body: { orgId: ids.sheyangOrg, type: 'other', title: '越权创建', enrollmentMode: 'fcfs', batches: [{ title: 'A', placesGeneral: 1 }] },
      }),
    },
    'GET /api/activities/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/activities/${ids.activity}` }) },
    'PATCH /api/activities/:id': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'PATCH', url: `/api/activities/${ids.activity}`, body: { version: 2, title: '越权修改' } }),
    },
    'POST /api/activities/:id/publish': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/activities/${ids.activity}/publish`, body: { version: 2 } }),
    },
    'POST /api/activities/:id/close': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/activities/${ids.activity}/close`, body: { version: 2 } }),
    },
    'POST /api/activities/:id/cancel': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/activities/${ids.activity}/cancel`, body: { version: 2, reason: '越权取消' } }),
    },
    'POST /api/activities/:id/draw': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/activities/${ids.activity}/draw`, body: {} }),
    },
    'GET /api/activities/:id/enrollments': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/activities/${ids.activity}/enrollments` }),
    },
    'GET /api/activities/:id/roster.xlsx': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/activities/${ids.activity}/roster.xlsx` }),
    },
    'GET /api/activities/:id/cost-report': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/activities/${ids.activity}/cost-report` }),
    },
    'POST /api/activity-enrollments/:id/review': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/activity-enrollments/${ids.enrollment}/review`, body: { action: 'approve' } }),
    },
    'POST /api/activity-enrollments/:id/attendance': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/activity-enrollments/${ids.enrollment}/attendance`, body: { result: 'attended' } }),
    },
    'GET /api/orgs/:id/activity-figures': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/orgs/${ids.sheyangOrg}/activity-figures` }),
    },
  });
});
