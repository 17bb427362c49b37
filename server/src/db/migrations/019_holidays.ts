import { sql, type Kysely } from 'kysely';

/**
 * The working-day calendar: statutory holidays and swapped working weekends (调休), city-wide.
 * Seeded from the State Council's notices at every start (missing days only); staff edits win,
 * and a removed day is kept as removed so the seed does not restore it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table holidays (
      day date primary key,
      kind text not null check (kind in ('holiday', 'workday')),
      name text not null check (length(name) between 1 and 40),
      removed_at timestamptz,
      updated_at timestamptz not null default now(),
      updated_by bigint references staff_accounts (id)
    )`.execute(db);
}
