import { sql, type RawBuilder } from 'kysely';
import type { EmploymentForm } from '../../db/schema.js';
import type { Activity, ActivityBatch, ActivityEnrollment, EnrollmentStatus } from '../../db/schema-activities.js';
import type { Executor } from '../audit/audit.repository.js';
import { PREPARED } from '../../db/prepared.js';

export const LIVE_STATUSES: EnrollmentStatus[] = ['pending', 'enrolled', 'waitlisted', 'attended', 'no_show'];
export const HOLDING_STATUSES: EnrollmentStatus[] = ['enrolled', 'attended', 'no_show'];

export type NewActivity = Omit<
  Activity,
  | 'id'
  | 'status'
  | 'version'
  | 'published_at'
  | 'cancel_reason'
  | 'lottery_seed'
  | 'lottery_drawn_at'
  | 'locations'
  | 'eligibility'
  | 'settings'
  | 'description'
> & {
  description: string;
  locations: string;
  eligibility: string;
  settings: string;
};

export interface BatchInput {
  title: string;
  location: string | null;
  starts_on: string | null;
  ends_on: string | null;
  sort_order: number;
  places_general: number;
  places_priority: number;
  places_family: number;
  family_per_person: number;
  /** JSON of the batch's rules (activities.eligibility.ts). */
  eligibility: string;
}

export interface ActivityFilters {
  type?: string;
  status?: string;
  mode?: string;
  orgPath?: string;
  q?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** A place claim and the enrollment row in one statement: the batch row is locked only from here to commit. */
export interface ClaimInsert {
  id: string;
  activityId: string;
  batchId: string;
  personId: string;
  membershipId: string | null;
  workerId: string | null;
  orgId: string;
  orgPath: string;
  pool: 'general' | 'priority';
  familyCount: number;
  details: string;
  now: Date;
  /** When no place is free: insert as waitlisted (true) or insert nothing (false). */
  waitlistIfFull: boolean;
}

export const activitiesRepository = {
  // ---------- activities ----------
  async insert(db: Executor, row: NewActivity) {
    return db.insertInto('activities').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async byIdInScope(db: Executor, scopePath: string, id: string, forUpdate = false) {
    let q = db.selectFrom('activities').selectAll().where('id', '=', id).where('org_path', 'like', `${scopePath}%`);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  },

  async byId(db: Executor, id: string, forUpdate = false) {
    let q = db.selectFrom('activities').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  },

  async update(db: Executor, id: string, version: number, patch: Record<string, unknown>, now: Date) {
    return db
      .updateTable('activities')
      .set({ ...patch, updated_at: now, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },

  async orgInScope(db: Executor, scopePath: string, id: string) {
    return db.selectFrom('orgs').select(['id', 'path', 'name', 'status']).where('id', '=', id).where('path', 'like', `${scopePath}%`).executeTakeFirst();
  },

  async orgName(db: Executor, orgId: string) {
    const r = await db.selectFrom('orgs').select('name').where('id', '=', orgId).executeTakeFirst();
    return r?.name ?? '';
  },

  async list(db: Executor, scopePath: string, f: ActivityFilters) {
    let q = db.selectFrom('activities as a').innerJoin('orgs as o', 'o.id', 'a.org_id').where('a.org_path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('a.org_path', 'like', `${f.orgPath}%`);
    if (f.type) q = q.where('a.type', '=', f.type as Activity['type']);
    if (f.status) q = q.where('a.status', '=', f.status as Activity['status']);
    if (f.mode) q = q.where('a.enrollment_mode', '=', f.mode as Activity['enrollment_mode']);
    if (f.q) q = q.where('a.title', 'like', `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (f.from) q = q.where('a.starts_on', '>=', f.from);
    if (f.to) q = q.where('a.starts_on', '<=', f.to);
    const [items, total] = await Promise.all([
      q.selectAll('a').select('o.name as org_name').orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(f.limit).offset(f.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  /** Published activities owned by one of the member union's ancestors (or the union itself). */
  async openToPath(db: Executor, memberOrgPath: string, f: { type?: string; limit: number; offset: number }) {
    let q = db
      .selectFrom('activities as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .where('a.status', '=', 'published')
      .where(sql<boolean>`${memberOrgPath} like a.org_path || '%'`);
    if (f.type) q = q.where('a.type', '=', f.type as Activity['type']);
    return q.selectAll('a').select('o.name as org_name').orderBy('a.opens_at', 'desc').orderBy('a.id', 'desc').limit(f.limit).offset(f.offset).execute();
  },

  // ---------- batches ----------
  async batchesOf(db: Executor, activityIds: string[]) {
    if (activityIds.length === 0) return [];
    return db
      .selectFrom('activity_batches as b')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('activity_enrollments')
            .select((e) => [
              'batch_id',
              e.fn.countAll<number>().filterWhere('status', '=', 'waitlisted').as('waitlisted'),
              e.fn.countAll<number>().filterWhere('status', '=', 'pending').as('pending'),
            ])
            .where('activity_id', 'in', activityIds)
            .groupBy('batch_id')
            .as('c'),
        (j) => j.onRef('c.batch_id', '=', 'b.id'),
      )
      .selectAll('b')
      .select(['c.waitlisted', 'c.pending'])
      .where('b.activity_id', 'in', activityIds)
      .orderBy('b.activity_id')
      .orderBy('b.sort_order')
      .orderBy('b.id')
      .execute();
  },

  async insertBatch(db: Executor, activityId: string, b: BatchInput) {
    return db
      .insertInto('activity_batches')
      .values({ activity_id: activityId, ...b, lottery_places: null })
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  /** Edits a batch; places below what is taken violate the check constraint (caught by the service first). */
  async updateBatch(db: Executor, activityId: string, id: string, b: BatchInput) {
    return db.updateTable('activity_batches').set(b).where('id', '=', id).where('activity_id', '=', activityId).returningAll().executeTakeFirst();
  },

  async deleteBatch(db: Executor, activityId: string, id: string) {
    await db.deleteFrom('activity_batches').where('id', '=', id).where('activity_id', '=', activityId).execute();
  },

  async batchHasEnrollments(db: Executor, batchId: string) {
    const r = await db.selectFrom('activity_enrollments').select('id').where('batch_id', '=', batchId).limit(1).executeTakeFirst();
    return !!r;
  },

  async batch(db: Executor, activityId: string, batchId: string) {
    return db.selectFrom('activity_batches').selectAll().where('id', '=', batchId).where('activity_id', '=', activityId).executeTakeFirst();
  },

  async saveDraw(db: Executor, batchId: string, d: { places: number; candidates: string[]; hash: string; order: string[] }) {
    await db
      .updateTable('activity_batches')
      .set({
        lottery_places: d.places,
        lottery_candidates: JSON.stringify(d.candidates),
        lottery_candidates_hash: d.hash,
        lottery_order: JSON.stringify(d.order),
      })
      .where('id', '=', batchId)
      .execute();
  },

  /** Moves the batch counters by the given amounts; returns undefined when a pool would overflow (nothing changes). */
  async claim(db: Executor, batchId: string, pool: 'general' | 'priority', family: number) {
    const col = pool === 'priority' ? 'taken_priority' : 'taken_general';
    const cap = pool === 'priority' ? 'places_priority' : 'places_general';
    return db
      .updateTable('activity_batches')
      .set((eb) => ({ [col]: eb(col, '+', 1), taken_family: eb('taken_family', '+', family) }))
      .where('id', '=', batchId)
      .where(col, '<', (eb) => eb.ref(cap))
      .where((eb) => eb(eb('taken_family', '+', family), '<=', eb.ref('places_family')))
      .returning('id')
      .executeTakeFirst();
  },

  async release(db: Executor, batchId: string, pool: 'general' | 'priority', family: number) {
    const col = pool === 'priority' ? 'taken_priority' : 'taken_general';
    await db
      .updateTable('activity_batches')
      .set((eb) => ({ [col]: eb(col, '-', 1), taken_family: eb('taken_family', '-', family) }))
      .where('id', '=', batchId)
      .execute();
  },

  /** A cancelled activity holds no places. */
  async releaseAllPlaces(db: Executor, activityId: string) {
    await db.updateTable('activity_batches').set({ taken_general: 0, taken_priority: 0, taken_family: 0 }).where('activity_id', '=', activityId).execute();
  },

  // ---------- enrollments ----------

  /**
   * One enrollment as ONE statement and so one implicit transaction (docs/decisions/007 and 008):
   * claim a place (a conditional update of the batch counter), insert the enrollment as `enrolled`
   * if the claim took a place and `waitlisted` if not (or nothing, when `waitlistIfFull` is false),
   * and write its audit row (`audit`, an INSERT … FROM e built by the audit service). The batch row
   * is locked only while this statement runs and commits: no client round trip happens while it is
   * held. A second live enrollment of the same person violates activity_enrollments_one_live and the
   * claim rolls back with it. Used for priority and family places; the general pool of the rush
   * goes through `rushRepository.claimAndInsertGroup` (activities.rush.repository.ts).
   */
  async claimAndInsert(db: Executor, c: ClaimInsert, audit: RawBuilder<unknown>) {
    const col = c.pool === 'priority' ? sql.ref('taken_priority') : sql.ref('taken_general');
    const cap = c.pool === 'priority' ? sql.ref('places_priority') : sql.ref('places_general');
    const { rows } = await sql<{ id: string; status: EnrollmentStatus; taken_pool: string | null; position: number | null }>`${sql.raw(PREPARED)}
      with claim as (
        update activity_batches set ${col} = ${col} + 1, taken_family = taken_family + ${c.familyCount}
        where id = ${c.batchId} and ${col} < ${cap} and taken_family + ${c.familyCount} <= places_family
        returning id
      ), s as (
        select exists (select 1 from claim) as claimed
      ), e as (
        insert into activity_enrollments
          (id, activity_id, batch_id, person_id, membership_id, worker_id, org_id, org_path, status, pool, taken_pool, family_count, details, created_at, enrolled_at, updated_at)
        select ${c.id}, ${c.activityId}, ${c.batchId}, ${c.personId}, ${c.membershipId}, ${c.workerId}, ${c.orgId}, ${c.orgPath},
          case when claimed then 'enrolled' else 'waitlisted' end, ${c.pool}, case when claimed then ${c.pool} end,
          ${c.familyCount}, ${c.details}::jsonb, ${c.now}, case when claimed then ${c.now}::timestamptz end, ${c.now}
        from s
        where claimed or ${c.waitlistIfFull}
        returning id, status, taken_pool
      ), w as (
        -- joining the waitlist adds to the batch's count; the new count is this person's position
        -- (the row lock orders concurrent joiners; migration 016 keeps the count on every other path)
        insert into activity_batch_waitlists as q (batch_id, waitlisted)
        select ${c.batchId}, 1 from e where e.status = 'waitlisted'
        on conflict (batch_id) do update set waitlisted = q.waitlisted + 1
        returning waitlisted
      ), a as (${audit})
      select e.id::text, e.status, e.taken_pool, (select waitlisted from w) as position
      from e`.execute(db);
    return rows[0];
  },

  /** A sign-up awaiting a draw or a review (`pending`) and its audit row, in one statement. */
  async insertPending(db: Executor, c: Omit<ClaimInsert, 'waitlistIfFull'>, audit: RawBuilder<unknown>) {
    const { rows } = await sql<{ id: string; status: EnrollmentStatus }>`${sql.raw(PREPARED)}
      with e as (
        insert into activity_enrollments
          (id, activity_id, batch_id, person_id, membership_id, worker_id, org_id, org_path, status, pool, taken_pool, family_count, details, created_at, enrolled_at, updated_at)
        values (${c.id}, ${c.activityId}, ${c.batchId}, ${c.personId}, ${c.membershipId}, ${c.workerId}, ${c.orgId}, ${c.orgPath},
          'pending', ${c.pool}, null, ${c.familyCount}, ${c.details}::jsonb, ${c.now}, null, ${c.now})
        returning id, status
      ), a as (${audit})
      select e.id::text, e.status from e`.execute(db);
    return rows[0]!;
  },

  async insertEnrollment(
    db: Executor,
    row: Omit<ActivityEnrollment, 'details' | 'pool' | 'family_count'> & { details: string; pool: 'general' | 'priority'; family_count: number },
  ) {
    return db.insertInto('activity_enrollments').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** Allocates an enrollment id up front (so the audit row can name it before the claim). */
  async nextEnrollmentId(db: Executor) {
    const { rows } = await sql<{ id: string }>`select nextval(pg_get_serial_sequence('activity_enrollments', 'id'))::text as id`.execute(db);
    return rows[0]!.id;
  },

  async enrollment(db: Executor, id: string, forUpdate = false) {
    let q = db.selectFrom('activity_enrollments').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  },

  async enrollmentOfWorker(db: Executor, workerId: string, id: string, forUpdate = false) {
    let q = db.selectFrom('activity_enrollments').selectAll().where('id', '=', id).where('worker_id', '=', workerId);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  },

  /** An enrollment whose activity is in the staff scope. */
  async enrollmentInScope(db: Executor, scopePath: string, id: string, forUpdate = false) {
    let q = db
      .selectFrom('activity_enrollments as e')
      .innerJoin('activities as a', 'a.id', 'e.activity_id')
      .selectAll('e')
      .where('e.id', '=', id)
      .where('a.org_path', 'like', `${scopePath}%`);
    if (forUpdate) q = q.forUpdate('e');
    return q.executeTakeFirst();
  },

  async setEnrollment(
    db: Executor,
    id: string,
    patch: Partial<Pick<ActivityEnrollment, 'status' | 'taken_pool' | 'reason' | 'enrolled_at' | 'cancelled_at' | 'draw_rank'>>,
    now: Date,
  ) {
    return db
      .updateTable('activity_enrollments')
      .set({ ...patch, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  /** A waitlisted enrollment gets the place claimed for it; promoted_at records the promotion itself. */
  async promoteEnrollment(db: Executor, id: string, pool: 'general' | 'priority', now: Date) {
    return db
      .updateTable('activity_enrollments')
      .set({ status: 'enrolled', taken_pool: pool, enrolled_at: now, promoted_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'waitlisted')
      .returningAll()
      .executeTakeFirst();
  },

  async liveOf(db: Executor, activityId: string, personId: string) {
    return db
      .selectFrom('activity_enrollments')
      .select(['id', 'batch_id', 'status'])
      .where('activity_id', '=', activityId)
      .where('person_id', '=', personId)
      .where('status', 'in', LIVE_STATUSES)
      .executeTakeFirst();
  },

  async liveOfMany(db: Executor, activityIds: string[], personId: string) {
    if (activityIds.length === 0) return [];
    return db
      .selectFrom('activity_enrollments')
      .select(['id', 'activity_id', 'status'])
      .where('activity_id', 'in', activityIds)
      .where('person_id', '=', personId)
      .where('status', 'in', LIVE_STATUSES)
      .execute();
  },

  /** The waitlist of a batch in order (draw rank first, then arrival), locked, skipping the given count. */
  async waitlistHead(db: Executor, batchId: string, limit: number) {
    return db
      .selectFrom('activity_enrollments')
      .selectAll()
      .where('batch_id', '=', batchId)
      .where('status', '=', 'waitlisted')
      .orderBy(sql`draw_rank nulls last`)
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .execute();
  },

  async waitlistPosition(db: Executor, e: { batch_id: string; id: string; draw_rank: number | null }) {
    const r = await db
      .selectFrom('activity_enrollments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('batch_id', '=', e.batch_id)
      .where('status', '=', 'waitlisted')
      .where((eb) =>
        e.draw_rank === null
          ? eb.or([eb('draw_rank', 'is not', null), eb('id', '<=', e.id)])
          : eb.or([eb('draw_rank', '<', e.draw_rank), eb.and([eb('draw_rank', '=', e.draw_rank), eb('id', '<=', e.id)])]),
      )
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async mine(db: Executor, workerId: string) {
    return db
      .selectFrom('activity_enrollments as e')
      .innerJoin('activities as a', 'a.id', 'e.activity_id')
      .innerJoin('activity_batches as b', 'b.id', 'e.batch_id')
      .selectAll('e')
      .select([
        'a.title as activity_title',
        'a.type as activity_type',
        'a.cancel_deadline',
        'a.status as activity_status',
        'b.title as batch_title',
        'b.starts_on as batch_starts_on',
        'b.ends_on as batch_ends_on',
      ])
      .where('e.worker_id', '=', workerId)
      .orderBy('e.created_at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(200)
      .execute();
  },

  async modesOf(db: Executor, activityIds: string[]) {
    if (activityIds.length === 0) return [];
    return db.selectFrom('activities').select(['id', 'enrollment_mode']).where('id', 'in', activityIds).execute();
  },

  async pendingOfBatch(db: Executor, batchId: string) {
    return db
      .selectFrom('activity_enrollments')
      .selectAll()
      .where('batch_id', '=', batchId)
      .where('status', '=', 'pending')
      .orderBy('id')
      .forUpdate()
      .execute();
  },

  async liveOfActivity(db: Executor, activityId: string) {
    return db
      .selectFrom('activity_enrollments')
      .select(['id', 'worker_id'])
      .where('activity_id', '=', activityId)
      .where('status', 'in', ['pending', 'enrolled', 'waitlisted'])
      .execute();
  },

  async cancelAllLive(db: Executor, activityId: string, reason: string, now: Date) {
    await db
      .updateTable('activity_enrollments')
      .set({ status: 'cancelled', taken_pool: null, reason, cancelled_at: now, updated_at: now })
      .where('activity_id', '=', activityId)
      .where('status', 'in', ['pending', 'enrolled', 'waitlisted'])
      .execute();
  },

  /**
   * What the enroll path reads for each request, in one round trip: the worker's active membership,
   * the activity row's version (`xmin`: every committed update of the row changes it, whichever code
   * path made it; batch edits always update the activity in the same transaction, activities.manage.ts)
   * and a fresh enrollment id. The activity and its batches themselves come from `enrollActivity`,
   * read again only when the version differs from the one the caller holds (activities.worker.ts).
   */
  async enrollMember(db: Executor, workerId: string, activityId: string) {
    const { rows } = await sql<{
      activity_version: string | null;
      enrollment_id: string;
      person_id: string | null;
      membership_id: string;
      org_id: string;
      org_path: string;
      employment_form: EmploymentForm;
      is_model_worker: boolean;
      is_migrant_worker: boolean;
      is_frontline: boolean;
      sex: 'M' | 'F' | null;
      birth_date: string | null;
    }>`${sql.raw(PREPARED)}
      select (select a.xmin::text from activities a where a.id = ${activityId}) as activity_version,
        nextval('activity_enrollments_id_seq')::text as enrollment_id, x.*
      from (select 1) one
      left join lateral (
        select p.id::text as person_id, m.id::text as membership_id, m.org_id::text as org_id, m.org_path, m.employment_form, m.is_model_worker,
          m.is_migrant_worker, m.is_frontline, p.sex, p.birth_date::text as birth_date
        from people p join memberships m on m.person_id = p.id
        where p.worker_id = ${workerId} and m.status = 'active' limit 1) x on true`.execute(db);
    const { activity_version: version, enrollment_id: enrollmentId, ...m } = rows[0]!;
    return { version, enrollmentId, member: m.person_id === null ? null : { ...m, person_id: m.person_id } };
  },

  /** The activity and its batches as the enroll path reads them, with the row's version (see `enrollMember`). */
  async enrollActivity(db: Executor, activityId: string) {
    const { rows } = await sql<{
      activity: Record<string, unknown> | null;
      batches: Record<string, unknown>[] | null;
      version: string | null;
    }>`${sql.raw(PREPARED)}
      select row_to_json(a) as activity, a.xmin::text as version,
        (select json_agg(b order by b.sort_order, b.id) from activity_batches b where b.activity_id = a.id) as batches
      from activities a where a.id = ${activityId}`.execute(db);
    const r = rows[0];
    if (!r?.activity) return { activity: undefined, batches: [], version: null };
    const ts = (v: unknown) => (v ? new Date(v as string) : null);
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
    const a = r.activity;
    const activity = {
      ...(a as unknown as Activity),
      id: String(a.id),
      org_id: String(a.org_id),
      created_by: str(a.created_by),
      cost_per_person: Number(a.cost_per_person).toFixed(2),
      budget: Number(a.budget).toFixed(2),
      opens_at: ts(a.opens_at),
      closes_at: ts(a.closes_at),
      cancel_deadline: ts(a.cancel_deadline),
      published_at: ts(a.published_at),
      lottery_drawn_at: ts(a.lottery_drawn_at),
      created_at: ts(a.created_at)!,
      updated_at: ts(a.updated_at)!,
    } as Activity;
    const batches = (r.batches ?? []).map((b) => ({ ...(b as unknown as ActivityBatch), id: String(b.id), activity_id: String(b.activity_id) }));
    return { activity, batches, version: r.version };
  },

  // ---------- members ----------
  /** The worker's person and active (or retained) membership with its flags. */
  async workerMember(db: Executor, workerId: string) {
    return db
      .selectFrom('people as p')
      .innerJoin('memberships as m', 'm.person_id', 'p.id')
      .select([
        'p.id as person_id',
        'm.id as membership_id',
        'm.org_id',
        'm.org_path',
        'm.employment_form',
        'm.is_model_worker',
        'm.is_migrant_worker',
        'm.is_frontline',
        'p.sex',
        sql<string | null>`p.birth_date::text`.as('birth_date'),
      ])
      .where('p.worker_id', '=', workerId)
      .where('m.status', '=', 'active')
      .executeTakeFirst();
  },
};

export type ActivityRow = Activity;
export type BatchRow = ActivityBatch & { waitlisted?: number | string | null; pending?: number | string | null };
