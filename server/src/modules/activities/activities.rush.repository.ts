// The rush's one statement (docs/decisions/008, 014): a group of enrollments into a batch's general
// pool — claim, enrollments, waitlist count and audit rows — so one transaction and one durable
// commit for the group. Called by activities.rush.ts; snapshot in activities.rush.repository.sql.
import { sql } from 'kysely';
import { PREPARED } from '../../db/prepared.js';
import type { EnrollmentStatus } from '../../db/schema-activities.js';
import { auditRepository, type DeferredAuditRow, type Executor } from '../audit/audit.repository.js';
import type { ClaimInsert } from './activities.repository.js';

export const rushRepository = {
  /**
   * The rush: a group of enrollments in one general pool (no family places) as ONE statement, so one
   * transaction and one durable commit (one WAL flush) for all of them (docs/decisions/008). The batch
   * row is locked (`for update`, newest version) only if places are left; the group takes
   * `least(places left, group size)` places in one update, members in `ord` order (arrival order) get
   * them and the rest join the waitlist, whose count moves by the number waitlisted. Every member's
   * audit row is its own (`audits[i]` builds an INSERT … FROM the CTE it is given, one row per
   * enrollment). A unique violation (someone already enrolled) fails the whole group: the caller
   * retries its members one by one. Answers the rows in `ord` order with the waitlist count after
   * the group (`waitlisted`), from which each waitlisted member's position follows.
   */
  async claimAndInsertGroup(
    db: Executor,
    g: { activityId: string; batchId: string; members: Omit<ClaimInsert, 'activityId' | 'batchId' | 'pool' | 'familyCount' | 'waitlistIfFull'>[] },
    audits: (DeferredAuditRow & { targetId: string })[],
  ) {
    const m = g.members;
    // The same SQL text for any group size: one prepared statement, planned once per connection.
    const { rows } = await sql<{ id: string; status: EnrollmentStatus; waitlisted: number | null }>`${sql.raw(PREPARED)}
      with r as (
        select * from unnest(${m.map((x) => x.id)}::int8[], ${m.map((x) => x.personId)}::int8[], ${m.map((x) => x.membershipId)}::int8[],
          ${m.map((x) => x.workerId)}::int8[], ${m.map((x) => x.orgId)}::int8[], ${m.map((x) => x.orgPath)}::text[], ${m.map((x) => x.details)}::jsonb[],
          ${m.map((x) => x.now)}::timestamptz[])
          with ordinality as r(id, person_id, membership_id, worker_id, org_id, org_path, details, at, ord)
      ), cur as (
        select id, taken_general, places_general from activity_batches
        where id = ${g.batchId} and taken_general < places_general
        for update
      ), claim as (
        update activity_batches b set taken_general = least(cur.places_general, cur.taken_general + ${m.length}::int)
        from cur where b.id = cur.id
        returning b.taken_general - cur.taken_general as granted
      ), s as (
        select coalesce((select granted from claim), 0) as granted
      ), e as (
        insert into activity_enrollments
          (id, activity_id, batch_id, person_id, membership_id, worker_id, org_id, org_path, status, pool, taken_pool, family_count, details, created_at, enrolled_at, updated_at)
        select r.id, ${g.activityId}, ${g.batchId}, r.person_id, r.membership_id, r.worker_id, r.org_id, r.org_path,
          case when r.ord <= s.granted then 'enrolled' else 'waitlisted' end, 'general', case when r.ord <= s.granted then 'general' end,
          0, r.details, r.at, case when r.ord <= s.granted then r.at end, r.at
        from r, s
        returning id, status
      ), w as (
        -- the waitlist count moves by the number this group waitlisted (migration 016 keeps it on every other path)
        insert into activity_batch_waitlists as q (batch_id, waitlisted)
        select ${g.batchId}, count(*) from e where e.status = 'waitlisted' having count(*) > 0
        on conflict (batch_id) do update set waitlisted = q.waitlisted + excluded.waitlisted
        returning waitlisted
      ), a as (${auditRepository.deferredInsertManyFrom('e', audits)})
      select e.id::text, e.status, (select waitlisted from w) as waitlisted from e join r on r.id = e.id order by r.ord`.execute(db);
    return rows;
  },
};
