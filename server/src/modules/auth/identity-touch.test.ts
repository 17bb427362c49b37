// The idle clock moves inside the identity statement (issue 10 item 2): a request whose session was
// last seen more than a minute ago costs one round trip for who is asking, not a look-up and a
// separate update; a session past its idle or absolute limit is not touched and ends.
import { sql, type CompiledQuery } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { sessionsRepository } from './auth.repository.js';
import { SESSION_POLICY } from './auth.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());
afterEach(() => vi.restoreAllMocks());

/** The SQL the app sends to the database while `run` runs (the services use this same Kysely). */
async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  const executor = t.db.getExecutor();
  const seen: string[] = [];
  const original = executor.executeQuery.bind(executor);
  vi.spyOn(executor, 'executeQuery').mockImplementation((q: CompiledQuery, ...rest: unknown[]) => {
    seen.push(q.sql);
    return (original as (...a: unknown[]) => ReturnType<typeof original>)(q, ...rest);
  });
  await run();
  vi.restoreAllMocks();
  return seen;
}

const latestSession = (subject: 'staff' | 'worker') =>
  t.db
    .selectFrom('sessions')
    .select(['id', 'last_seen_at', 'ended_at', 'end_reason'])
    .where('subject_type', '=', subject)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();

const sessionById = (id: string) =>
  t.db.selectFrom('sessions').select(['last_seen_at', 'ended_at', 'end_reason']).where('id', '=', id).executeTakeFirstOrThrow();

const touchesSessions = (q: string) => /\bsessions\b/.test(q);

describe('one round trip for who is asking', () => {
  it('staff: a session last seen over a minute ago is touched by the identity statement itself', async () => {
    const staff = await t.login('city_admin');
    const s = await latestSession('staff');
    t.clock.advance(2 * 60_000);
    const statements = await statementsOf(async () => expect((await staff.get('/api/auth/me')).statusCode).toBe(200));
    const onSessions = statements.filter(touchesSessions);
    expect(onSessions).toHaveLength(1);
    expect(onSessions[0]).toMatch(/update sessions set last_seen_at/);
    expect((await sessionById(s.id)).last_seen_at.toISOString()).toBe(t.clock.now().toISOString());
  });

  it('staff: within the minute nothing moves; past the idle limit the session is not touched, ends and answers 401', async () => {
    const staff = await t.login('county_admin');
    const s = await latestSession('staff');
    const before = (await sessionById(s.id)).last_seen_at.toISOString();
    t.clock.advance(30_000);
    expect((await staff.get('/api/auth/me')).statusCode).toBe(200);
    expect((await sessionById(s.id)).last_seen_at.toISOString()).toBe(before);

    t.clock.advance(SESSION_POLICY.staff.idleMs + 1000);
    expect((await staff.get('/api/auth/me')).statusCode).toBe(401);
    const after = await sessionById(s.id);
    expect(after.last_seen_at.toISOString()).toBe(before);
    expect(after.end_reason).toBe('idle');
    expect((await staff.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('worker: the same, one statement for the session and its touch', async () => {
    const worker: Client = await t.workerLogin('13800000123');
    const s = await latestSession('worker');
    t.clock.advance(5 * 60_000);
    const statements = await statementsOf(async () => expect((await worker.get('/api/session/worker')).statusCode).toBe(200));
    const onSessions = statements.filter(touchesSessions);
    expect(onSessions).toHaveLength(1);
    expect(onSessions[0]).toMatch(/update sessions set last_seen_at/);
    expect((await sessionById(s.id)).last_seen_at.toISOString()).toBe(t.clock.now().toISOString());
  });

  it('a session past its absolute limit is not touched and ends as expired', async () => {
    const worker = await t.workerLogin('13800000124');
    const s = await latestSession('worker');
    // Keep it from going idle: last seen ten minutes before the absolute limit.
    const nearEnd = new Date(t.clock.now().getTime() + SESSION_POLICY.worker.absoluteMs - 10 * 60_000);
    await t.db.updateTable('sessions').set({ last_seen_at: nearEnd }).where('id', '=', s.id).execute();
    t.clock.advance(SESSION_POLICY.worker.absoluteMs + 1000);
    expect((await worker.get('/api/worker/state')).statusCode).toBe(401);
    const after = await sessionById(s.id);
    expect(after.last_seen_at.toISOString()).toBe(nearEnd.toISOString());
    expect(after.end_reason).toBe('expired');
  });

  it("the folded touch commits without waiting for the WAL flush, in its own statement's transaction only", async () => {
    await t.login('city_admin');
    const s = await latestSession('staff');
    const at = new Date(s.last_seen_at.getTime() + 120_000);
    const keep = { at, idleSince: new Date(at.getTime() - SESSION_POLICY.staff.idleMs), touchBefore: new Date(at.getTime() - 60_000) };
    const inside = await t.db.transaction().execute(async (trx) => {
      const found = await sessionsRepository.findLiveStaff(trx, s.id, keep);
      // The select sees the row as it was before the touch (one snapshot): the service judges that.
      expect(found?.last_seen_at.toISOString()).toBe(s.last_seen_at.toISOString());
      return (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(trx)).rows[0]!.synchronous_commit;
    });
    expect(inside).toBe('off');
    expect((await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(t.db)).rows[0]!.synchronous_commit).toBe('on');
    expect((await sessionById(s.id)).last_seen_at.toISOString()).toBe(at.toISOString());
  });
});
