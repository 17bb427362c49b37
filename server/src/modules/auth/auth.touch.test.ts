// The idle clock's touch commits without waiting for the WAL flush (its own transaction only).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/test-app.js';
import { sessionsRepository } from './auth.repository.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('session touch', () => {
  it('moves last_seen_at and turns synchronous_commit off for its own transaction only', async () => {
    const staff = await t.login('city_admin');
    expect(staff.cookie).toBeTruthy();
    const s = await t.db
      .selectFrom('sessions')
      .select(['id', 'last_seen_at'])
      .where('ended_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const at = new Date(s.last_seen_at.getTime() + 120_000);
    const inside = await t.db.transaction().execute(async (trx) => {
      await sessionsRepository.touch(trx, s.id, at);
      return (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(trx)).rows[0]!.synchronous_commit;
    });
    expect(inside).toBe('off');
    const after = (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(t.db)).rows[0]!.synchronous_commit;
    expect(after).toBe('on');
    const row = await t.db.selectFrom('sessions').select('last_seen_at').where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(row.last_seen_at.toISOString()).toBe(at.toISOString());
  });
});
