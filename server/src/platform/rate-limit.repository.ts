// SQL of the shared rate-limit counters (decision 037): one row per route and client in the UNLOGGED
// table rate_limit_hits, counted and read in one statement.
import { sql } from 'kysely';
import type { Executor } from '../modules/audit/audit.repository.js';

export const rateLimitRepository = {
  /**
   * Counts one request in the key's window and returns the count and the milliseconds left: a window
   * that has ended starts again at 1 (the row is reused, so no clean-up is needed for correctness).
   */
  async hit(db: Executor, key: string, windowMs: number): Promise<{ hits: number; ttl: number }> {
    const r = await sql<{ hits: number; ttl: number }>`
      insert into rate_limit_hits as r (key, hits, reset_at)
      values (${key}, 1, clock_timestamp() + ${windowMs} * interval '1 millisecond')
      on conflict (key) do update set
        hits = case when r.reset_at <= clock_timestamp() then 1 else r.hits + 1 end,
        reset_at = case when r.reset_at <= clock_timestamp() then excluded.reset_at else r.reset_at end
      returning hits, greatest(0, ceil(extract(epoch from (reset_at - clock_timestamp())) * 1000))::int as ttl`.execute(db);
    const row = r.rows[0]!;
    return { hits: Number(row.hits), ttl: Number(row.ttl) };
  },

  /** Windows that ended an hour ago or more (the hourly clean-up). */
  async removeExpired(db: Executor): Promise<number> {
    const r = await db
      .deleteFrom('rate_limit_hits')
      .where('reset_at', '<', sql<Date>`now() - interval '1 hour'`)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
