// PostgreSQL ending the server's connections (a restart, a failover, pg_terminate_backend) must not
// take the server process down: the pool drops the dead clients and the next request is served.
// (PGlite is in-process: there are no other connections to end, and the same requests are served.)
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

it('the app keeps serving after PostgreSQL ends its idle and busy connections', async () => {
  // Open several pool connections, then end every other backend of this database.
  await Promise.all([1, 2, 3, 4].map((n) => sql`select pg_sleep(0.05), ${n}::int`.execute(t.db)));
  const busy = sql`select pg_sleep(2)`.execute(t.db).then(
    () => 'finished',
    () => 'failed',
  );
  await new Promise((r) => setTimeout(r, 200));
  const ended = await sql<{ n: number }>`
    select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()`.execute(t.db);
  if (t.database.kind === 'postgres') {
    expect(ended.rows[0]!.n).toBeGreaterThanOrEqual(1);
    expect(await busy).toBe('failed');
  } else {
    expect(await busy).toBe('finished');
  }
  await new Promise((r) => setTimeout(r, 200));
  const health = await t.app.inject({ method: 'GET', url: '/api/health' });
  expect(health.statusCode, health.body).toBe(200);
  const again = await Promise.all([1, 2, 3, 4].map((n) => sql<{ n: number }>`select ${n}::int as n`.execute(t.db)));
  expect(again.map((r) => r.rows[0]!.n)).toEqual([1, 2, 3, 4]);
});
