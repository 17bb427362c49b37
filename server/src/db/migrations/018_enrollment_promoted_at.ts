import { sql, type Kysely } from 'kysely';

/**
 * When a waitlisted enrollment got its place (候补转正). Before this a promotion could only be guessed
 * from enrolled_at > created_at, which approvals and lottery wins also match. Past promotions are
 * taken from their audit rows (activity.enroll.promote), so the history is exact.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table activity_enrollments add column promoted_at timestamptz`.execute(db);
  await sql`
    update activity_enrollments e set promoted_at = p.at
    from (
      select target_id, max(at) as at from audit_log
      where action = 'activity.enroll.promote' and target_type = 'activity_enrollment' and outcome = 'success'
      group by target_id
    ) p
    where p.target_id = e.id::text`.execute(db);
}
