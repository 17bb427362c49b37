import { sql, type Kysely } from 'kysely';

/**
 * Indicator snapshots with the subtree's total on each org's row (decision 032). Until now a row held the
 * org's own count only and a subtree's figure was the sum over every org under its path: ~17,000 rows per
 * code and day for the city, so a year's trend read 12 × 17,000 rows per code. Now each org with anything
 * in its subtree has one row with both figures and its parent, so a subtree's figure is one row and the
 * children compared are the rows whose parent is the org. The job keeps 62 days and each month's last
 * day; older days are thinned (the runs with them).
 *
 * The new-members flows read memberships by joined_on; 新就业形态 needs employment_form, which now rides
 * in the covering index so that count is an index-only scan like the total.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Rows of the old shape have no subtree totals: the job (run at start) takes today's again.
  await sql`delete from indicator_snapshots`.execute(db);
  await sql`delete from indicator_snapshot_runs`.execute(db);
  await sql`alter table indicator_snapshots add column parent_id bigint, add column subtree_value bigint not null default 0`.execute(db);
  await sql`drop index indicator_snapshots_scope_idx`.execute(db);
  await sql`create index indicator_snapshots_org_idx on indicator_snapshots (code, org_id, day) include (value, subtree_value)`.execute(db);
  await sql`create index indicator_snapshots_parent_idx on indicator_snapshots (code, parent_id, day) include (subtree_value)`.execute(db);

  await sql`drop index memberships_joined_idx`.execute(db);
  await sql`create index memberships_joined_idx on memberships (joined_on, id, org_path) include (status, employment_form)`.execute(db);
}
