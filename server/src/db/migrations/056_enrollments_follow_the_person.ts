import { sql, type Kysely } from 'kysely';

/**
 * An enrollment is the person's: it follows the person's H5 account. `activity_enrollments.worker_id`
 * is copied from the enrolling account and is what the worker's own list, cancel and messages go
 * by. When the person's account changes — 注销 and a new account by the same phone, a review that
 * links the person to the right account after a wrong one — the copy stayed with the old account:
 * the person's new account saw no enrollment yet was refused as already enrolled (one live
 * enrollment per activity and person), and the old account still saw and could cancel it.
 * A trigger on every door that changes people.worker_id carries the copies along.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function enrollments_follow_the_person() returns trigger language plpgsql as $$
    begin
      update activity_enrollments set worker_id = new.worker_id
       where person_id = new.id and worker_id is distinct from new.worker_id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger people_enrollments_follow after update of worker_id on people
    for each row when (old.worker_id is distinct from new.worker_id)
    execute function enrollments_follow_the_person()`.execute(db);
}
