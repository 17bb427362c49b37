// PGlite has no replica: DATABASE_REPLICA_URL is ignored with a warning and every read stays on the one
// database (decision 038). The PostgreSQL side is tests/postgres/read-replica.test.ts.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';

describe('read replica on PGlite', () => {
  it('is ignored with a warning: the reader is the database itself', async () => {
    const warnings: string[] = [];
    const database = await openDatabase({ memory: true, replicaUrl: 'postgres://gonghui_ro@127.0.0.1:5433/gonghui', log: (m) => warnings.push(m) });
    try {
      expect(warnings).toEqual([expect.stringContaining('已忽略 DATABASE_REPLICA_URL')]);
      expect(database.reader).toBe(database.db);
      expect(database.replica).toBeUndefined();
      expect((await sql<{ n: number }>`select 1 as n`.execute(database.reader)).rows[0]!.n).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('says nothing without one', async () => {
    const warnings: string[] = [];
    const database = await openDatabase({ memory: true, log: (m) => warnings.push(m) });
    try {
      expect(warnings).toEqual([]);
      expect(database.reader).toBe(database.db);
    } finally {
      await database.close();
    }
  });
});
