import { sql, type Kysely } from 'kysely';

/**
 * The indicator catalogue's snapshots (issue 15, decision 023): stock figures (members on the roll,
 * unions, open hardship files …) counted per org once a day by a job, so a city-level page sums a few
 * thousand rows by path prefix instead of walking a million memberships. Values are per org, own level
 * only; a subtree's figure is the sum over the orgs whose path starts with the subtree's path.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table indicator_snapshots (
      day date not null,
      code text not null,
      org_id bigint not null references orgs(id),
      org_path text not null,
      value bigint not null,
      primary key (code, day, org_id)
    )`.execute(db);
  await sql`create index indicator_snapshots_scope_idx on indicator_snapshots (code, day, org_path text_pattern_ops) include (value)`.execute(db);
  await sql`
    create table indicator_snapshot_runs (
      day date primary key,
      taken_at timestamptz not null,
      duration_ms int not null
    )`.execute(db);
}
