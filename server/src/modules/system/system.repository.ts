// SQL of the system routes: the health probes' ping and the applied migrations.
import { sql } from 'kysely';
import type { Executor } from '../audit/audit.repository.js';

export const systemRepository = {
  /** The cheapest statement the database must answer. */
  async ping(db: Executor): Promise<void> {
    await sql`select 1`.execute(db);
  },

  /** Names of the migrations this database has applied (Kysely's own table). */
  async appliedMigrations(db: Executor): Promise<string[]> {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    return rows.map((r) => r.name);
  },
};
