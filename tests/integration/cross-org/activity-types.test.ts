// Activity types: records of a 射阳 activity are invisible to 东台 staff (404), a worker's certificates
// and quiz are theirs alone (another worker: 404).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { makeMember } from '../../support/members.js';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

async function publish(staff: Client, input: Record<string, unknown>) {
  const now = t.clock.now().getTime();
  const r = await staff.post('/api/activities', {
    title: '射阳活动',
    enrollmentMode: 'fcfs',
    opensAt: new Date(now - 3_600_000).toISOString(),
    closesAt: new Date(now + 30 * 86_400_000).toISOString(),
    startsOn: '2027-07-01',
    endsOn: '2027-08-01',
    batches: [{ title: '第一批', placesGeneral: 10 }],
    ...input,
  });
  expect(r.statusCode, r.body).toBe(200);
  const p = await staff.post(`/api/activities/${r.json().id}/publish`, { version: r.json().version });
  expect(p.statusCode, p.body).toBe(200);
  return r.json().id as string;
}

async function bank(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('题库');
  ws.addRow(['题目', '类型', '选项A', '选项B', '选项C', '选项D', '答案', '分值']);
  ws.addRow(['工会经费按工资总额的多少拨缴？', '单选', '1%', '2%', '', '', 'B', 10]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  t = await createTestApp();
  const sheyang = await t.login('sheyang_admin');
  const m = await makeMember(t, await orgIdByName(t, '射阳县总工会'), 6900);
  ids.childcare = await publish(sheyang, { type: 'childcare', title: '射阳暑托班' });
  ids.contest = await publish(sheyang, { type: 'contest', title: '射阳技能竞赛' });
  ids.training = await publish(sheyang, { type: 'training', title: '射阳培训' });
  ids.quiz = await publish(sheyang, { type: 'quiz', title: '射阳知识竞赛', startsOn: '2026-11-21', endsOn: '2026-12-31' });

  const child = await m.worker.post(`/api/worker/activities/${ids.childcare}/enroll`, {
    details: { child: { name: '射阳小朋友', birthDate: '2018-03-01', school: '射阳县实验小学' } },
  });
  expect(child.statusCode, child.body).toBe(200);
  ids.child = (await sheyang.get(`/api/activities/${ids.childcare}/childcare/children`)).json().items[0].childId;

  const enrolled = await m.worker.post(`/api/worker/activities/${ids.contest}/enroll`, {});
  expect(enrolled.statusCode, enrolled.body).toBe(200);
  ids.enrollment = enrolled.json().id;
  ids.round = (await sheyang.post(`/api/activities/${ids.contest}/contest/rounds`, { name: '初赛', maxScore: '100' })).json().id;
  const cert = await sheyang.post(`/api/activities/${ids.contest}/certificates`, { items: [{ enrollmentId: ids.enrollment, award: '一等奖' }] });
  expect(cert.statusCode, cert.body).toBe(200);
  ids.certificate = cert.json().items[0].id;

  const now = t.clock.now().getTime();
  const s = await sheyang.post(`/api/activities/${ids.training}/training/sessions`, {
    title: '第一讲',
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 3_600_000).toISOString(),
  });
  expect(s.statusCode, s.body).toBe(200);
  ids.session = s.json().id;

  const imported = await sheyang.request({
    method: 'POST',
    url: `/api/activities/${ids.quiz}/quiz/questions/import`,
    headers: { 'content-type': 'application/octet-stream' },
    payload: await bank(),
  });
  expect(imported.json()).toMatchObject({ imported: 1 });
  expect((await m.worker.post(`/api/worker/activities/${ids.quiz}/enroll`, {})).statusCode).toBe(200);
  const started = await m.worker.post(`/api/worker/activities/${ids.quiz}/quiz/start`, {});
  expect(started.statusCode, started.body).toBe(200);

  as.county = await t.login('county_admin');
  // A member of 东台 (another worker): not enrolled anywhere in 射阳.
  as.otherWorker = (await makeMember(t, await orgIdByName(t, '东台市总工会'), 6901)).worker;
});
afterAll(async () => t?.close());

/** `body` is read when the case runs (after beforeAll has made the ids). */
const byId = (method: string, url: () => string, body?: () => unknown) => ({
  kind: 'by-id' as const,
  as: 'county',
  request: () => ({ method, url: url(), ...(body !== undefined && { body: body() }) }),
});
const workerById = (method: string, url: () => string, body?: () => unknown) => ({
  kind: 'by-id' as const,
  as: 'otherWorker',
  request: () => ({ method, url: url(), ...(body !== undefined && { body: body() }) }),
});

describe('activity types: another org or another worker', () => {
  crossOrgCases(() => as, {
    'GET /api/activities/:id/childcare/children': { ...byId('GET', () => `/api/activities/${ids.childcare}/childcare/children`) },
    'POST /api/activities/:id/childcare/attendance': {
      ...byId(
        'POST',
        () => `/api/activities/${ids.childcare}/childcare/attendance`,
        () => ({
          day: '2027-07-02',
          records: [{ childId: ids.child, present: true }],
        }),
      ),
    },
    'GET /api/activities/:id/childcare/attendance': { ...byId('GET', () => `/api/activities/${ids.childcare}/childcare/attendance?day=2027-07-02`) },
    'GET /api/activities/:id/contest/rounds': { ...byId('GET', () => `/api/activities/${ids.contest}/contest/rounds`) },
    'POST /api/activities/:id/contest/rounds': {
      ...byId(
        'POST',
        () => `/api/activities/${ids.contest}/contest/rounds`,
        () => ({ name: '复赛', maxScore: '100' }),
      ),
    },
    'POST /api/activities/:id/contest/rounds/:roundId/scores': {
      ...byId(
        'POST',
        () => `/api/activities/${ids.contest}/contest/rounds/${ids.round}/scores`,
        () => ({
          scores: [{ enrollmentId: ids.enrollment, score: '1' }],
        }),
      ),
    },
    'POST /api/activities/:id/contest/rounds/:roundId/scores/import': {
      ...byId(
        'POST',
        () => `/api/activities/${ids.contest}/contest/rounds/${ids.round}/scores/import`,
        () => ({}),
      ),
    },
    'GET /api/activities/:id/contest/rounds/:roundId/scores/template.xlsx': {
      ...byId('GET', () => `/api/activities/${ids.contest}/contest/rounds/${ids.round}/scores/template.xlsx`),
    },
    'GET /api/activity-types/quiz/template.xlsx': { kind: 'no-org-data', why: 'the blank question-bank template' },
    'GET /api/activities/:id/contest/rankings': { ...byId('GET', () => `/api/activities/${ids.contest}/contest/rankings`) },
    'POST /api/activities/:id/certificates': {
      ...byId(
        'POST',
        () => `/api/activities/${ids.contest}/certificates`,
        () => ({ items: [{ enrollmentId: ids.enrollment, award: '特等奖' }] }),
      ),
    },
    'GET /api/activities/:id/certificates': { ...byId('GET', () => `/api/activities/${ids.contest}/certificates`) },
    'GET /api/activity-certificates/:id/certificate.docx': { ...byId('GET', () => `/api/activity-certificates/${ids.certificate}/certificate.docx`) },
    'GET /api/activity-certificates/:id/certificate.pdf': { ...byId('GET', () => `/api/activity-certificates/${ids.certificate}/certificate.pdf`) },
    'GET /api/worker/activity-certificates/:id/certificate.docx': {
      ...workerById('GET', () => `/api/worker/activity-certificates/${ids.certificate}/certificate.docx`),
    },
    'GET /api/worker/activity-certificates/:id/certificate.pdf': {
      ...workerById('GET', () => `/api/worker/activity-certificates/${ids.certificate}/certificate.pdf`),
    },
    'GET /api/worker/activity-certificates': {
      kind: 'no-org-data',
      why: 'only the worker’s own certificates (activity-types.test.ts: the other participant sees only theirs)',
    },
    'GET /api/public/activity-certificates/verify': {
      kind: 'no-org-data',
      why: 'public: a random certificate code answers only valid or not, a masked name, the activity, award and date',
    },
    'GET /api/activities/:id/training/sessions': { ...byId('GET', () => `/api/activities/${ids.training}/training/sessions`) },
    'POST /api/activities/:id/training/sessions': {
      ...byId(
        'POST',
        () => `/api/activities/${ids.training}/training/sessions`,
        () => ({
          title: '第二讲',
          startsAt: '2027-07-02T01:00:00Z',
          endsAt: '2027-07-02T03:00:00Z',
        }),
      ),
    },
    'GET /api/activities/:id/training/sessions/:sessionId/qr': { ...byId('GET', () => `/api/activities/${ids.training}/training/sessions/${ids.session}/qr`) },
    'GET /api/activities/:id/training/sessions/:sessionId/attendance': {
      ...byId('GET', () => `/api/activities/${ids.training}/training/sessions/${ids.session}/attendance`),
    },
    'POST /api/worker/activity-checkin': {
      kind: 'no-org-data',
      why: 'takes a signed session token, not an id; checks in only the caller, and only when enrolled (activity-types.h5.test.ts: a worker not enrolled is refused)',
    },
    'POST /api/activities/:id/quiz/questions/import': {
      ...byId(
        'POST',
        () => `/api/activities/${ids.quiz}/quiz/questions/import`,
        () => ({}),
      ),
    },
    'GET /api/activities/:id/quiz/questions': { ...byId('GET', () => `/api/activities/${ids.quiz}/quiz/questions`) },
    'GET /api/activities/:id/quiz/results': { ...byId('GET', () => `/api/activities/${ids.quiz}/quiz/results`) },
    'POST /api/worker/activities/:id/quiz/start': {
      ...workerById(
        'POST',
        () => `/api/worker/activities/${ids.quiz}/quiz/start`,
        () => ({}),
      ),
    },
    'POST /api/worker/activities/:id/quiz/submit': {
      ...workerById(
        'POST',
        () => `/api/worker/activities/${ids.quiz}/quiz/submit`,
        () => ({ answers: [] }),
      ),
    },
    'GET /api/worker/activities/:id/quiz/result': { ...workerById('GET', () => `/api/worker/activities/${ids.quiz}/quiz/result`) },
    'GET /api/worker/activities/:id/quiz/ranking': { ...workerById('GET', () => `/api/worker/activities/${ids.quiz}/quiz/ranking`) },
  });
});
