// An enrollment is the person's and follows the person's H5 account (migration 056): after 注销 and a
// new account by the same phone, the new account sees the enrollment and may cancel it; an account
// the person is no longer linked to neither sees nor cancels it — through every door that changes
// people.worker_id (here 注销 + the phone-match link, and a direct relink as a review does it).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember } from '../../../../tests/support/members.js';

let t: TestApp;
let town: Client;
let enterprise: string;

beforeAll(async () => {
  t = await createTestApp();
  town = await t.login('town_admin');
  enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
});
afterAll(async () => t?.close());

const publishedActivity = async (title: string) => {
  const created = await town.post('/api/activities', { type: 'other', title, enrollmentMode: 'fcfs', batches: [{ title: '一批', placesGeneral: 5 }] });
  expect(created.statusCode, created.body).toBe(200);
  const published = await town.post(`/api/activities/${created.json().id}/publish`, { version: created.json().version });
  expect(published.statusCode, published.body).toBe(200);
  return published.json() as { id: string; batches: { id: string }[] };
};

const mine = async (w: Client) => (await w.get('/api/worker/activity-enrollments')).json() as { items?: { id: string }[] } | { id: string }[];
const ids = (r: Awaited<ReturnType<typeof mine>>) => (Array.isArray(r) ? r : (r.items ?? [])).map((e) => e.id);

it('注销, then the same phone signs up anew: the new account sees the enrollment and may cancel it', async () => {
  const a = await publishedActivity('职工读书会');
  const m = await makeMember(t, enterprise, 7401);
  const enrolled = await m.worker.post(`/api/worker/activities/${a.id}/enroll`, { batchId: a.batches[0]!.id, details: {} });
  expect(enrolled.statusCode, enrolled.body).toBe(200);
  const enrollmentId = String(enrolled.json().id ?? enrolled.json().enrollment?.id);
  expect(ids(await mine(m.worker))).toContain(enrollmentId);

  t.clock.advance(61_000);
  expect((await m.worker.post('/api/worker/account/close', { confirm: '确认注销' })).statusCode).toBe(200);
  t.clock.advance(61_000);
  const again = await t.workerLogin(m.person.phone);
  expect((await again.get('/api/worker/state')).json().member?.status).toBe('active');
  expect(ids(await mine(again))).toContain(enrollmentId);
  const row = await t.db.selectFrom('activity_enrollments').select('worker_id').where('id', '=', enrollmentId).executeTakeFirstOrThrow();
  const newWorker = await t.db.selectFrom('people').select('worker_id').where('id', '=', m.personId).executeTakeFirstOrThrow();
  expect(row.worker_id).toBe(newWorker.worker_id);
  const cancelled = await again.post(`/api/worker/activity-enrollments/${enrollmentId}/cancel`, {});
  expect(cancelled.statusCode, cancelled.body).toBe(200);
});

it('a person relinked to another account: the old account no longer sees or cancels the enrollment', async () => {
  const a = await publishedActivity('职工健步走');
  const m = await makeMember(t, enterprise, 7402);
  const enrolled = await m.worker.post(`/api/worker/activities/${a.id}/enroll`, { batchId: a.batches[0]!.id, details: {} });
  expect(enrolled.statusCode, enrolled.body).toBe(200);
  const enrollmentId = String(enrolled.json().id ?? enrolled.json().enrollment?.id);
  // Another account (a worker of another phone, not on the roll) — the person is relinked to it, as a
  // review that corrects a wrong link does (joining.review.ts settlePerson → membersRepository.setWorker).
  t.clock.advance(61_000);
  const other = await t.workerLogin('13905150742');
  const otherId = (await other.get('/api/worker/state')).json().worker.id as string;
  await t.db.updateTable('people').set({ worker_id: otherId }).where('id', '=', m.personId).execute();

  expect(ids(await mine(m.worker))).not.toContain(enrollmentId);
  expect((await m.worker.get(`/api/worker/activity-enrollments/${enrollmentId}`)).statusCode).toBe(404);
  expect((await m.worker.post(`/api/worker/activity-enrollments/${enrollmentId}/cancel`, {})).statusCode).toBe(404);
  expect(ids(await mine(other))).toContain(enrollmentId);
});
