// Marked statements (db/prepared.ts) run as named prepared statements on PostgreSQL: parsed and
// planned once per connection. Unmarked statements stay unnamed. On PGlite they simply run.
// Every connection runs without JIT.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PREPARED } from '../../server/src/db/prepared.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

it('a marked statement is prepared once per connection (PostgreSQL); unmarked ones are not; results are the same', async () => {
  await t.db.transaction().execute(async (trx) => {
    for (const n of [1, 2, 3]) {
      const marked = await sql<{ n: number }>`${sql.raw(PREPARED)} select ${n}::int + 1 as n`.execute(trx);
      expect(marked.rows).toEqual([{ n: n + 1 }]);
      const plain = await sql<{ n: number }>`select ${n}::int + 2 as n`.execute(trx);
      expect(plain.rows).toEqual([{ n: n + 2 }]);
    }
    const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(trx);
    const marked = rows.filter((r) => r.statement.includes('+ 1 as n'));
    const plain = rows.filter((r) => r.statement.includes('+ 2 as n'));
    expect(plain).toHaveLength(0);
    expect(marked).toHaveLength(t.database.kind === 'postgres' ? 1 : 0);
  });
});

it('connections keep PostgreSQL choosing plans per execution: a forced generic plan would turn every `like $1` scope into a scan', async () => {
  // plan_cache_mode applies to unnamed statements too, i.e. to every parameterised query the app sends.
  const rows = await Promise.all([1, 2, 3].map(() => sql<{ plan_cache_mode: string }>`show plan_cache_mode`.execute(t.db)));
  for (const r of rows) expect(r.rows[0]!.plan_cache_mode).toBe('auto');
});

it('connections never JIT-compile (decision 036): a roll search over a large scope would be compiled on every execution', async () => {
  // PostgreSQL: set in each connection's start-up packet; PGlite is built without JIT.
  const rows = await Promise.all([1, 2, 3].map(() => sql<{ jit: string }>`select current_setting('jit', true) as jit`.execute(t.db)));
  for (const r of rows) expect(r.rows[0]!.jit ?? 'off').toBe('off');
});
