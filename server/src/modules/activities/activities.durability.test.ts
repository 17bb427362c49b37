// Durable acknowledgements (issue 9, defect 7): an enrollment the server answers 报名成功 / 候补 /
// 待抽签 is committed with synchronous_commit on, so a PostgreSQL crash cannot take it back.
// A deferred constraint trigger — it fires while the transaction commits — records, for every
// enrollment row, the synchronous_commit in force for its transaction (whatever turns it off — SET
// LOCAL / set_config in the statement, a session SET, connection options — shows up here) and the
// transaction itself: enrollments that arrive together share one transaction, so one WAL flush
// (group commit, activities.rush.ts), which is what keeps the rush fast with durable commits.
// The crash itself is exercised by the enroll bench (`npm run bench -- --suite enroll`: kill -9 of a
// private PostgreSQL mid-rush, `acknowledged_lost`).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { bulkMembers, makeMember } from '../../../../tests/support/members.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { randomBytes } from 'node:crypto';
import { maskPhone, sm3 } from '../../platform/crypto.js';
import { admitMany, validateMemberRow } from '../members/members.bulk.js';

let t: TestApp;
let city: Client;
let org: string;

beforeAll(async () => {
  t = await createTestApp();
  city = await t.login('city_admin');
  org = await orgIdByName(t, '东台市总工会');
  // The probe lives in this file's own copy of the database only.
  await sql`create table durability_probe (enrollment_id bigint not null, status text not null, sync_commit text not null, xact bigint not null)`.execute(t.db);
  await sql`
    create function durability_probe() returns trigger language plpgsql as $$
    begin
      insert into durability_probe values (new.id, new.status, current_setting('synchronous_commit'), txid_current());
      return null;
    end $$`.execute(t.db);
  await sql`
    create constraint trigger durability_probe after insert on activity_enrollments
    deferrable initially deferred for each row execute function durability_probe()`.execute(t.db);
});
afterAll(async () => t?.close());

async function activity(mode: 'fcfs' | 'lottery', places: number) {
  const now = t.clock.now().getTime();
  const r = await city.post('/api/activities', {
    type: 'other',
    title: mode === 'fcfs' ? '先到先得：职工观影' : '抽签：职工观影',
    enrollmentMode: mode,
    ...(mode === 'lottery' && { closesAt: new Date(now + 3600_000).toISOString() }),
    batches: [{ title: '第一场', placesGeneral: places }],
  });
  expect(r.statusCode, r.body).toBe(200);
  const p = await city.post(`/api/activities/${r.json().id}/publish`, { version: r.json().version });
  expect(p.statusCode, p.body).toBe(200);
  return r.json().id as string;
}

it('commits every acknowledged enrollment (enrolled, waitlisted, pending) with synchronous_commit on', async () => {
  const fcfs = await activity('fcfs', 1);
  const lottery = await activity('lottery', 1);
  const [a, b, c] = [await makeMember(t, org, 9701), await makeMember(t, org, 9702), await makeMember(t, org, 9703)];

  const answers = [
    await a.worker.post(`/api/worker/activities/${fcfs}/enroll`, { details: {} }),
    await b.worker.post(`/api/worker/activities/${fcfs}/enroll`, { details: {} }),
    await c.worker.post(`/api/worker/activities/${lottery}/enroll`, { details: {} }),
  ];
  for (const r of answers) expect(r.statusCode, r.body).toBe(200);
  expect(answers.map((r) => r.json().status)).toEqual(['enrolled', 'waitlisted', 'pending']);

  const probe = await sql<{ enrollment_id: string; status: string; sync_commit: string }>`
    select enrollment_id::text, status, sync_commit from durability_probe where enrollment_id = any(${answers.map((r) => String(r.json().id))}::int8[])
    order by enrollment_id`.execute(t.db);
  expect(probe.rows).toEqual(
    answers
      .map((r) => ({ enrollment_id: String(r.json().id), status: r.json().status, sync_commit: 'on' }))
      .sort((x, y) => Number(x.enrollment_id) - Number(y.enrollment_id)),
  );
});

/** Holds the activity's batch row (PostgreSQL) until the requests started by `start` wait on it, then lets them go. */
async function whileBatchHeld<T>(activityId: string, start: () => Promise<T>[]): Promise<T[]> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const holder = t.db.transaction().execute(async (trx) => {
    await sql`select id from activity_batches where activity_id = ${activityId} for update`.execute(trx);
    locked();
    await released;
  });
  await isLocked;
  const requests = start();
  // Two groups per batch may be in PostgreSQL at once: wait until they block on the row, then give
  // the remaining requests time to queue in Node behind them.
  for (let i = 0; i < 200; i++) {
    const waiting = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
    if (waiting.rows[0]!.n >= 2) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  await new Promise((r) => setTimeout(r, 300));
  release();
  await holder;
  return Promise.all(requests);
}

it('enrollments that arrive together commit together: one transaction per group, places, positions and duplicates hold', async () => {
  const act = await activity('fcfs', 5);
  const members = (await bulkMembers(t, org, 9710, 26)).map((m) => m.client);
  const enroll = (w: Client) => w.post(`/api/worker/activities/${act}/enroll`, { details: {} });

  // 20 at once for 5 places. On PostgreSQL the batch row is held by another transaction while the
  // burst arrives, so the first groups wait in PostgreSQL and the rest queue behind them in Node:
  // grouping then does not depend on how fast this machine happens to be.
  const burst = await (t.database.kind === 'postgres'
    ? whileBatchHeld(act, () => members.slice(0, 20).map((m) => enroll(m)))
    : Promise.all(members.slice(0, 20).map((m) => enroll(m))));
  for (const r of burst) expect(r.statusCode, r.body).toBe(200);
  const statuses = burst.map((r) => r.json().status as string);
  expect(statuses.filter((x) => x === 'enrolled')).toHaveLength(5);
  const positions = burst.filter((r) => r.json().status === 'waitlisted').map((r) => r.json().waitlistPosition as number);
  expect([...positions].sort((x, y) => x - y)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));

  const ids = burst.map((r) => String(r.json().id));
  const probe = await sql<{ sync_commit: string; xact: string }>`
    select sync_commit, xact::text from durability_probe where enrollment_id = any(${ids}::int8[])`.execute(t.db);
  expect(probe.rows).toHaveLength(20);
  expect(new Set(probe.rows.map((r) => r.sync_commit))).toEqual(new Set(['on']));
  // Fewer commits than enrollments: concurrent enrollments were grouped. (PGlite has one connection
  // and runs these requests one after another, so there is nothing to group there.)
  if (t.database.kind === 'postgres') expect(new Set(probe.rows.map((r) => r.xact)).size).toBeLessThan(20);

  // Someone already enrolled, among newcomers: only they are refused; the others' places and positions hold.
  const again = await Promise.all([members[0]!, ...members.slice(20)].map((m) => enroll(m)));
  expect(again.map((r) => r.statusCode)).toEqual([409, 200, 200, 200, 200, 200, 200]);
  expect(again[0]!.json().error.message).toBe('您已报名该活动');
  expect(
    again
      .slice(1)
      .map((r) => r.json().waitlistPosition as number)
      .sort((x, y) => x - y),
  ).toEqual([16, 17, 18, 19, 20, 21]);

  const batch = await t.db.selectFrom('activity_batches').select('taken_general').where('activity_id', '=', act).executeTakeFirstOrThrow();
  const rows = await t.db.selectFrom('activity_enrollments').select(['status']).where('activity_id', '=', act).execute();
  expect(batch.taken_general).toBe(5);
  expect(rows.filter((r) => r.status === 'enrolled')).toHaveLength(5);
  expect(rows.filter((r) => r.status === 'waitlisted')).toHaveLength(21);
  const count = await t.db
    .selectFrom('activity_batch_waitlists as w')
    .innerJoin('activity_batches as b', 'b.id', 'w.batch_id')
    .select('w.waitlisted')
    .where('b.activity_id', '=', act)
    .executeTakeFirstOrThrow();
  expect(count.waitlisted).toBe(21);
});
