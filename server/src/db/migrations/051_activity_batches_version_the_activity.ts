import { sql, type Kysely } from 'kysely';

/**
 * Issue 10 item 6: the enroll path keeps an activity and its batches in memory and uses them while
 * the activity row's version (`xmin`) is unchanged (activities.worker.ts). A batch's own settings
 * changing must therefore change that version too: this trigger touches the activity row whenever a
 * batch is added or removed or its settings change. The places taken (`taken_*`, updated by every
 * enrollment) and the lottery's columns are not in the list, so the rush's writes do not fire it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function activity_batches_touch_activity() returns trigger language plpgsql as $$
    begin
      update activities set updated_at = updated_at where id = coalesce(new.activity_id, old.activity_id);
      if tg_op = 'UPDATE' and new.activity_id <> old.activity_id then
        update activities set updated_at = updated_at where id = old.activity_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger activity_batches_touch_activity
    after insert or delete or update of activity_id, title, location, starts_on, ends_on, sort_order, places_general, places_priority,
      places_family, family_per_person, eligibility
    on activity_batches for each row execute function activity_batches_touch_activity()`.execute(db);
}
