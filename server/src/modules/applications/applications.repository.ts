// All SQL of the service catalogue and the workflow engine. Staff reads are scoped by path
// prefix: an application is in scope when the applicant's union or the union now handling it is
// in the caller's subtree.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { ApplicationAction, ApplicationsTable, ApplicationStatus, ServiceTypesTable } from '../../db/schema-services.js';
import type { Executor } from '../audit/audit.repository.js';
import type { ListFilters } from './applications.schema.js';

const LIVE = ['active', 'retained'] as const;
const cstDayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);
const cstDayEnd = (d: string) => new Date(new Date(`${d}T00:00:00+08:00`).getTime() + 86_400_000);

export interface ListArgs extends ListFilters {
  now: Date;
  limit: number;
  offset: number;
}

function applyFilters<Q extends { where: (...a: never[]) => Q }>(
  q0: Q,
  scopePath: string,
  f: ListFilters & { now: Date; orgPath?: string; handlingPath?: string },
) {
  // Kysely's builder types are too deep to thread generically here; the callers below are typed.

  let q = q0 as any;
  q = q.where((eb: any) => eb.or([eb('a.org_path', 'like', `${scopePath}%`), eb('a.handling_org_path', 'like', `${scopePath}%`)]));
  if (f.serviceTypeId) q = q.where('a.service_type_id', '=', f.serviceTypeId);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.orgPath) q = q.where('a.org_path', 'like', `${f.orgPath}%`);
  if (f.handlingPath) q = q.where('a.handling_org_path', 'like', `${f.handlingPath}%`);
  if (f.stepKey) q = q.where('a.step_key', '=', f.stepKey);
  if (f.from) q = q.where('a.submitted_at', '>=', cstDayStart(f.from));
  if (f.to) q = q.where('a.submitted_at', '<', cstDayEnd(f.to));
  if (f.overdue === true) q = q.where('a.status', '=', 'in_review').where('a.step_due_at', '<', f.now);
  if (f.overdue === false) q = q.where((eb: any) => eb.or([eb('a.status', '!=', 'in_review'), eb('a.step_due_at', '>=', f.now)]));
  if (f.q) {
    const q2 = f.q;
    q = /^1\d{10}$/.test(q2)
      ? q.where('a.applicant_phone_bidx', '=', (f as { phoneBidx?: string }).phoneBidx ?? '')
      : q.where('a.applicant_name', 'like', `${q2}%`);
  }
  return q as Q;
}

/** The columns of a list row (the list, the queue in applications.queue.repository.ts). */
export const rowColumns = [
  'a.id',
  'a.service_type_id',
  'a.snapshot',
  'a.status',
  'a.applicant_name',
  'a.applicant_phone_masked',
  'a.org_id',
  'a.handling_org_id',
  'a.step_index',
  'a.step_key',
  'a.submitted_at',
  'a.step_due_at',
  'a.requested_amount',
  'a.granted_amount',
  'a.version',
  'o.name as org_name',
  'ho.name as handling_org_name',
] as const;

export const applicationsRepository = {
  // ---- service types ----
  async insertType(db: Executor, row: Insertable<ServiceTypesTable>) {
    return db.insertInto('service_types').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async typeByCode(db: Executor, code: string) {
    return db.selectFrom('service_types').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async typeById(db: Executor, id: string) {
    return db.selectFrom('service_types').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** A type the caller may see: city-wide, owned by an ancestor (or self), or owned inside the subtree. */
  async typeVisible(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('service_types as s')
      .leftJoin('orgs as o', 'o.id', 's.org_id')
      .selectAll('s')
      .select('o.name as org_name')
      .where('s.id', '=', id)
      .where((eb) =>
        eb.or([eb('s.org_path', 'is', null), eb(sql.val(scopePath), 'like', sql<string>`s.org_path || '%'`), eb('s.org_path', 'like', `${scopePath}%`)]),
      )
      .executeTakeFirst();
  },

  async listTypes(db: Executor, scopePath: string, f: { status?: 'active' | 'disabled'; q?: string; category?: string }) {
    let q = db
      .selectFrom('service_types as s')
      .leftJoin('orgs as o', 'o.id', 's.org_id')
      .selectAll('s')
      .select('o.name as org_name')
      .select((eb) =>
        eb
          .selectFrom('applications as a')
          .whereRef('a.service_type_id', '=', 's.id')
          .select(sql<number>`count(*)::int`.as('n'))
          .as('application_count'),
      )
      .where((eb) =>
        eb.or([eb('s.org_path', 'is', null), eb(sql.val(scopePath), 'like', sql<string>`s.org_path || '%'`), eb('s.org_path', 'like', `${scopePath}%`)]),
      );
    if (f.status) q = q.where('s.status', '=', f.status);
    if (f.category) q = q.where('s.category', '=', f.category);
    if (f.q) q = q.where((eb) => eb.or([eb('s.name', 'like', `%${f.q}%`), eb('s.code', 'like', `%${f.q}%`)]));
    return q.orderBy('s.builtin', 'desc').orderBy('s.id').execute();
  },

  async applicationCount(db: Executor, typeId: string) {
    const r = await db
      .selectFrom('applications')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('service_type_id', '=', typeId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async updateType(db: Executor, id: string, version: number, patch: Updateable<ServiceTypesTable>) {
    return db
      .updateTable('service_types')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },

  /** Active types a worker whose union is at `orgPath` can see (null: not a member: every active type). */
  async activeTypesFor(db: Executor, orgPath: string | null) {
    let q = db.selectFrom('service_types as s').selectAll('s').where('s.status', '=', 'active');
    if (orgPath) q = q.where((eb) => eb.or([eb('s.org_path', 'is', null), eb(sql.val(orgPath), 'like', sql<string>`s.org_path || '%'`)]));
    return q.orderBy('s.builtin', 'desc').orderBy('s.id').execute();
  },

  // ---- the worker ----
  async workerOf(db: Executor, workerId: string) {
    return db.selectFrom('workers').select(['id', 'phone_bidx', 'phone_masked']).where('id', '=', workerId).executeTakeFirst();
  },

  /** The worker's live membership (在会 / 保留会籍) with its union. */
  async liveMembershipOfWorker(db: Executor, workerId: string) {
    return db
      .selectFrom('people as p')
      .innerJoin('memberships as m', 'm.person_id', 'p.id')
      .innerJoin('orgs as o', 'o.id', 'm.org_id')
      .select(['p.id as person_id', 'p.name', 'p.id_masked', 'p.member_no', 'm.org_id', 'o.path as org_path', 'o.name as org_name'])
      .where('p.worker_id', '=', workerId)
      .where('m.status', 'in', [...LIVE])
      .orderBy('m.id', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /** A live membership in the caller's subtree, with the person (staff entry on a member's behalf). */
  async liveMembershipInScope(db: Executor, scopePath: string, membershipId: string) {
    return db
      .selectFrom('memberships as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .innerJoin('orgs as o', 'o.id', 'm.org_id')
      .select([
        'p.id as person_id',
        'p.name',
        'p.id_masked',
        'p.phone_masked',
        'p.phone_bidx',
        'p.worker_id',
        'm.org_id',
        'o.path as org_path',
        'o.name as org_name',
      ])
      .where('m.id', '=', membershipId)
      .where('m.org_path', 'like', `${scopePath}%`)
      .where('m.status', 'in', [...LIVE])
      .executeTakeFirst();
  },

  async byStaffIdempotencyKey(db: Executor, accountId: string, key: string) {
    return db.selectFrom('applications').selectAll().where('entered_by', '=', accountId).where('idempotency_key', '=', key).executeTakeFirst();
  },

  async orgById(db: Executor, id: string) {
    return db.selectFrom('orgs').select(['id', 'name', 'path', 'type', 'status', 'parent_id']).where('id', '=', id).executeTakeFirst();
  },

  async orgInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('orgs')
      .select(['id', 'name', 'path', 'type', 'status', 'parent_id'])
      .where('id', '=', id)
      .where('path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  /** The union and its ancestors (ids from the materialised path), root first. */
  async orgsOnPath(db: Executor, ids: string[]) {
    if (!ids.length) return [];
    return db.selectFrom('orgs').select(['id', 'name', 'path', 'type', 'status', 'depth']).where('id', 'in', ids).orderBy('depth').execute();
  },

  /** Active unions of one type in the scope, for transfer (bounded list). */
  async transferTargets(db: Executor, scopePath: string, type: string, exceptId: string) {
    return db
      .selectFrom('orgs')
      .select(['id', 'name'])
      .where('path', 'like', `${scopePath}%`)
      .where('type', '=', type as never)
      .where('status', '=', 'active')
      .where('id', '!=', exceptId)
      .orderBy('path')
      .limit(200)
      .execute();
  },

  // ---- applications ----
  async insertApplication(db: Executor, row: Insertable<ApplicationsTable>) {
    return db.insertInto('applications').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async byIdempotencyKey(db: Executor, workerId: string, key: string) {
    return db.selectFrom('applications').selectAll().where('worker_id', '=', workerId).where('idempotency_key', '=', key).executeTakeFirst();
  },

  async ofWorker(db: Executor, workerId: string, id: string) {
    return db.selectFrom('applications').selectAll().where('id', '=', id).where('worker_id', '=', workerId).executeTakeFirst();
  },

  async listOfWorker(db: Executor, workerId: string) {
    return db
      .selectFrom('applications as a')
      .select(['a.id', 'a.service_type_id', 'a.snapshot', 'a.status', 'a.step_index', 'a.step_key', 'a.submitted_at', 'a.updated_at'])
      .where('a.worker_id', '=', workerId)
      .orderBy('a.submitted_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(200)
      .execute();
  },

  async inScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('applications as a')
      .selectAll('a')
      .where('a.id', '=', id)
      .where((eb) => eb.or([eb('a.org_path', 'like', `${scopePath}%`), eb('a.handling_org_path', 'like', `${scopePath}%`)]))
      .executeTakeFirst();
  },

  /** Versioned transition: undefined when someone else moved the application first. */
  async updateApplication(db: Executor, id: string, version: number, patch: Updateable<ApplicationsTable>) {
    return db
      .updateTable('applications')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },

  async insertEvent(
    db: Executor,
    row: {
      application_id: string;
      action: ApplicationAction;
      step_index: number | null;
      step_key: string | null;
      step_name: string | null;
      actor_type: 'staff' | 'worker' | 'system';
      actor_id: string | null;
      actor_name: string;
      org_id: string | null;
      comment: string | null;
      detail: string | null;
      handling_seconds: number | null;
      at: Date;
    },
  ) {
    return db.insertInto('application_events').values(row).returning('id').executeTakeFirstOrThrow();
  },

  async eventsOf(db: Executor, applicationId: string) {
    return db
      .selectFrom('application_events as e')
      .leftJoin('orgs as o', 'o.id', 'e.org_id')
      .select(['e.id', 'e.action', 'e.step_key', 'e.step_name', 'e.actor_name', 'e.actor_type', 'e.comment', 'e.detail', 'e.at', 'o.name as org_name'])
      .where('e.application_id', '=', applicationId)
      .orderBy('e.id')
      .execute();
  },

  async orgNames(db: Executor, ids: string[]) {
    if (!ids.length) return [];
    return db.selectFrom('orgs').select(['id', 'name']).where('id', 'in', ids).execute();
  },

  async personOf(db: Executor, personId: string) {
    return db.selectFrom('people').select(['id', 'name', 'id_masked', 'member_no']).where('id', '=', personId).executeTakeFirst();
  },

  async list(db: Executor, scopePath: string, f: ListArgs & { orgPath?: string; handlingPath?: string; phoneBidx?: string }) {
    const base = applyFilters(
      db.selectFrom('applications as a').innerJoin('orgs as o', 'o.id', 'a.org_id').leftJoin('orgs as ho', 'ho.id', 'a.handling_org_id'),
      scopePath,
      f,
    );
    const items = await base
      .select([...rowColumns])
      .orderBy('a.submitted_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const total = await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return { items, total: Number(total.n) };
  },

  /** Keyset page for the export (id descending). */
  async exportPage(
    db: Executor,
    scopePath: string,
    f: ListFilters & { now: Date; orgPath?: string; handlingPath?: string; phoneBidx?: string; beforeId?: string; limit: number },
  ) {
    let q = applyFilters(
      db.selectFrom('applications as a').innerJoin('orgs as o', 'o.id', 'a.org_id').leftJoin('orgs as ho', 'ho.id', 'a.handling_org_id'),
      scopePath,
      f,
    );
    if (f.beforeId) q = q.where('a.id', '<', f.beforeId);
    return q
      .select([...rowColumns, 'a.applicant_id_masked', 'a.finished_at'])
      .orderBy('a.id', 'desc')
      .limit(f.limit)
      .execute();
  },

  // ---- attachments ----
  /** The worker's own upload, or a file on the worker's own application (e.g. uploaded by staff entering it). */
  async attachmentOfWorker(db: Executor, workerId: string, id: string) {
    return db
      .selectFrom('application_attachments as f')
      .selectAll('f')
      .where('f.id', '=', id)
      .where((eb) =>
        eb.or([
          eb('f.worker_id', '=', workerId),
          eb('f.application_id', 'in', eb.selectFrom('applications as a').select('a.id').where('a.worker_id', '=', workerId)),
        ]),
      )
      .executeTakeFirst();
  },

  /**
   * Uploads by one worker, or by one staff account (entry on a member's behalf), locked for the
   * submission that links them: the orphan clean-up skips them meanwhile, or they are gone.
   */
  async attachmentsOfOwnerByIds(db: Executor, owner: { workerId: string } | { staffId: string }, ids: string[]) {
    if (!ids.length) return [];
    const q = db.selectFrom('application_attachments').selectAll().where('id', 'in', ids).forUpdate();
    return ('workerId' in owner ? q.where('worker_id', '=', owner.workerId) : q.where('uploaded_by', '=', owner.staffId)).execute();
  },

  async linkAttachments(db: Executor, applicationId: string, defKey: string, ids: string[]) {
    if (!ids.length) return;
    await db.updateTable('application_attachments').set({ application_id: applicationId, def_key: defKey }).where('id', 'in', ids).execute();
  },

  /** Detaches what a resubmission replaces (the files stay with the worker). */
  async unlinkAttachments(db: Executor, applicationId: string, defKeys: string[]) {
    if (!defKeys.length) return;
    await db
      .updateTable('application_attachments')
      .set({ application_id: null, def_key: null })
      .where('application_id', '=', applicationId)
      .where('def_key', 'in', defKeys)
      .execute();
  },

  async attachmentsOf(db: Executor, applicationId: string) {
    return db
      .selectFrom('application_attachments')
      .select(['id', 'def_key', 'file_name', 'kind', 'mime', 'size', 'storage_key'])
      .where('application_id', '=', applicationId)
      .orderBy('id')
      .execute();
  },

  async attachmentOfApplication(db: Executor, applicationId: string, id: string) {
    return db.selectFrom('application_attachments').selectAll().where('id', '=', id).where('application_id', '=', applicationId).executeTakeFirst();
  },

  // ---- reminders ----
  /** Overdue steps not yet reminded for their current entry. */
  async overdueUnreminded(db: Executor, now: Date, limit: number) {
    return db
      .selectFrom('applications as a')
      .select(['a.id', 'a.step_entry', 'a.handling_org_id', 'a.snapshot', 'a.step_index', 'a.applicant_name', 'a.step_due_at'])
      .where('a.status', '=', 'in_review')
      .where('a.step_due_at', '<', now)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('application_reminders as r')
              .select('r.application_id')
              .whereRef('r.application_id', '=', 'a.id')
              .whereRef('r.step_entry', '=', 'a.step_entry'),
          ),
        ),
      )
      .orderBy('a.step_due_at')
      .limit(limit)
      .execute();
  },

  /** Claims the reminder for one step entry; false when it was already sent. */
  async claimReminder(db: Executor, row: { application_id: string; step_entry: number; org_id: string; sent_at: Date }) {
    const r = await db
      .insertInto('application_reminders')
      .values(row)
      .onConflict((oc) => oc.columns(['application_id', 'step_entry']).doNothing())
      .returning('application_id')
      .executeTakeFirst();
    return !!r;
  },

  // ---- lottery ----
  async lotteryCandidates(db: Executor, typeId: string, stepKey: string, orgId: string) {
    return db
      .selectFrom('applications')
      .selectAll()
      .where('service_type_id', '=', typeId)
      .where('status', '=', 'in_review')
      .where('step_key', '=', stepKey)
      .where('handling_org_id', '=', orgId)
      .orderBy('id')
      .forUpdate()
      .execute();
  },

  async insertDraw(
    db: Executor,
    row: {
      service_type_id: string;
      step_key: string;
      org_id: string;
      org_path: string;
      seed: string;
      places: number;
      candidate_ids: string;
      winner_ids: string;
      drawn_by: string;
      drawn_by_name: string;
      drawn_at: Date;
    },
  ) {
    return db.insertInto('lottery_draws').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async draws(db: Executor, scopePath: string, f: { id?: string; serviceTypeId?: string }) {
    let q = db
      .selectFrom('lottery_draws as d')
      .innerJoin('orgs as o', 'o.id', 'd.org_id')
      .innerJoin('service_types as s', 's.id', 'd.service_type_id')
      .selectAll('d')
      .select(['o.name as org_name', 's.name as service_name'])
      .where('d.org_path', 'like', `${scopePath}%`);
    if (f.id) q = q.where('d.id', '=', f.id);
    if (f.serviceTypeId) q = q.where('d.service_type_id', '=', f.serviceTypeId);
    return q.orderBy('d.id', 'desc').limit(100).execute();
  },

  // ---- figures ----
  async figures(db: Executor, orgPath: string, now: Date, f: { from?: Date; to?: Date }) {
    let base = db.selectFrom('applications as a').where('a.org_path', 'like', `${orgPath}%`);
    if (f.from) base = base.where('a.submitted_at', '>=', f.from);
    if (f.to) base = base.where('a.submitted_at', '<', f.to);
    const byStatus = await base
      .innerJoin('service_types as s', 's.id', 'a.service_type_id')
      .select(['a.service_type_id', 's.name', 'a.status', sql<number>`count(*)::int`.as('n')])
      .groupBy(['a.service_type_id', 's.name', 'a.status'])
      .orderBy('a.service_type_id')
      .orderBy('a.status')
      .execute();
    const handling = await base
      .innerJoin('application_events as e', 'e.application_id', 'a.id')
      .innerJoin('service_types as s', 's.id', 'a.service_type_id')
      .select([
        'a.service_type_id',
        's.name',
        'e.step_key',
        'e.step_name',
        sql<number>`count(*)::int`.as('n'),
        sql<number>`percentile_cont(0.5) within group (order by e.handling_seconds)`.as('median_seconds'),
      ])
      .where('e.action', 'in', ['approve', 'return', 'reject', 'transfer'])
      .where('e.handling_seconds', 'is not', null)
      .groupBy(['a.service_type_id', 's.name', 'e.step_key', 'e.step_name'])
      .orderBy('a.service_type_id')
      .orderBy('e.step_key')
      .execute();
    const overdue = await base
      .select(sql<number>`count(*)::int`.as('n'))
      .where('a.status', '=', 'in_review')
      .where('a.step_due_at', '<', now)
      .executeTakeFirstOrThrow();
    return { byStatus, handling, overdue: Number(overdue.n) };
  },
};

export type ApplicationListRow = Awaited<ReturnType<typeof applicationsRepository.list>>['items'][number];
export type { ApplicationStatus };
