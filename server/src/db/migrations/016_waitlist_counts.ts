import { sql, type Kysely } from 'kysely';

/**
 * How many are waitlisted per batch (docs/decisions/008): the enroll statement adds one and tells
 * the waitlisted person the new count as their position, instead of counting the waitlist ahead of
 * them (O(waitlist) per request, most of PostgreSQL's work in a rush); triggers keep the count when
 * enrollments leave or join a waitlist any other way (promotion, cancel, lottery, review). The count lives in
 * its own table so that joining the waitlist never locks the batch's place counters.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table activity_batch_waitlists (
      batch_id bigint primary key references activity_batches (id) on delete cascade,
      waitlisted integer not null default 0 check (waitlisted >= 0)
    )`.execute(db);
  await sql`
    insert into activity_batch_waitlists (batch_id, waitlisted)
    select batch_id, count(*) from activity_enrollments where status = 'waitlisted' group by batch_id`.execute(db);
  await sql`
    create function activity_waitlist_count() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.status = 'waitlisted' then
        update activity_batch_waitlists set waitlisted = waitlisted - 1 where batch_id = old.batch_id;
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.status = 'waitlisted' then
        insert into activity_batch_waitlists (batch_id, waitlisted) values (new.batch_id, 1)
        on conflict (batch_id) do update set waitlisted = activity_batch_waitlists.waitlisted + 1;
      end if;
      return null;
    end $$`.execute(db);
  // WHEN clauses: the function runs only for rows that join or leave a waitlist. No INSERT trigger:
  // the one statement that inserts waitlisted rows (the enroll claim) adds to the count itself and
  // reads the new value back as the position, serialised on the count row, so positions are unique.
  await sql`
    create trigger activity_waitlist_update after update of status, batch_id on activity_enrollments
    for each row when ((old.status = 'waitlisted' or new.status = 'waitlisted')
      and (old.status is distinct from new.status or old.batch_id is distinct from new.batch_id))
    execute function activity_waitlist_count()`.execute(db);
  await sql`
    create trigger activity_waitlist_delete after delete on activity_enrollments
    for each row when (old.status = 'waitlisted') execute function activity_waitlist_count()`.execute(db);
}
