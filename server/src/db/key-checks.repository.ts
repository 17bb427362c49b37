// The key check values (migration 022, key-check.ts): one row per configured key.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.js';

type Executor = Kysely<DB> | Transaction<DB>;

export const keyChecksRepository = {
  /** False on a database from before migration 022 (a restored old backup, before migrating). */
  async tableExists(db: Executor): Promise<boolean> {
    const { rows } = await sql<{ present: boolean }>`select to_regclass('key_checks') is not null as present`.execute(db);
    return rows[0]!.present;
  },

  async all(db: Executor): Promise<{ name: string; check_value: string }[]> {
    return db.selectFrom('key_checks').select(['name', 'check_value']).orderBy('name').execute();
  },

  /** Records check values for keys that have none; an existing check is never replaced. */
  async insertMissing(db: Executor, rows: { name: string; check_value: string }[]): Promise<void> {
    if (rows.length)
      await db
        .insertInto('key_checks')
        .values(rows)
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
  },
};
