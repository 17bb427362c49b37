// 法治体检 SQL: the city-wide template, check-ups (every read by id prefix-scoped by the checking
// union's path), findings, the rectification list and the timeline.
import { sql, type Insertable, type Updateable } from 'kysely';
import type {
  RightsCheckupEventsTable,
  RightsCheckupFindingsTable,
  RightsCheckupItemsTable,
  RightsCheckupRectificationsTable,
  RightsCheckupsTable,
} from '../../db/schema-rights.js';
import type { Executor } from '../audit/audit.repository.js';
import { likeText } from './rights.common.js';

export interface CheckupFilters {
  orgPath?: string;
  status?: string;
  riskLevel?: string;
  /** Rectifications past this day and not done. */
  overdueBefore?: string;
  q?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

const COLUMNS = [
  'u.id',
  'u.org_id',
  'u.enterprise_id',
  'u.employer_name',
  sql<string>`u.checked_on::text`.as('checked_on'),
  'u.staff_names',
  'u.status',
  'u.risk_level',
  'u.summary',
  sql<string | null>`u.recorded_on::text`.as('recorded_on'),
  sql<string | null>`u.closed_on::text`.as('closed_on'),
  'u.closing_note',
  'u.created_by',
  'u.version',
] as const;

/** Open rectifications of the check-up, and how many of them are past their deadline on `day`. */
const openCounts = (day: string) =>
  [
    sql<string>`(select count(*) from rights_checkup_rectifications r where r.checkup_id = u.id and r.status = 'open')`.as('open_rectifications'),
    sql<string>`(select count(*) from rights_checkup_rectifications r where r.checkup_id = u.id and r.status = 'open' and r.due_on < ${day})`.as(
      'overdue_rectifications',
    ),
  ] as const;

export const checkupsRepository = {
  // ---- the template ----
  async items(db: Executor, activeOnly: boolean) {
    let q = db.selectFrom('rights_checkup_items').selectAll();
    if (activeOnly) q = q.where('active', '=', true);
    return q.orderBy('sort').orderBy('id').execute();
  },

  async insertItem(db: Executor, row: Insertable<RightsCheckupItemsTable>) {
    return db.insertInto('rights_checkup_items').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async updateItem(db: Executor, id: string, version: number, patch: Updateable<RightsCheckupItemsTable>) {
    return db
      .updateTable('rights_checkup_items')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  async item(db: Executor, id: string) {
    return db.selectFrom('rights_checkup_items').select(['id', 'version']).where('id', '=', id).executeTakeFirst();
  },

  // ---- check-ups ----
  async insert(db: Executor, row: Insertable<RightsCheckupsTable>) {
    return db.insertInto('rights_checkups').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async addStaff(db: Executor, checkupId: string, poolIds: string[]) {
    if (!poolIds.length) return;
    await db
      .insertInto('rights_checkup_staff')
      .values(poolIds.map((pool_id) => ({ checkup_id: checkupId, pool_id })))
      .onConflict((oc) => oc.columns(['checkup_id', 'pool_id']).doNothing())
      .execute();
  },

  /** The findings a check-up starts with: one per active template item, titles copied. */
  async insertFindingsFromTemplate(db: Executor, checkupId: string) {
    await sql`insert into rights_checkup_findings (checkup_id, item_id, title, sort)
      select ${checkupId}::int8, i.id, i.title, i.sort from rights_checkup_items i where i.active`.execute(db);
  },

  async insertEvent(db: Executor, row: Insertable<RightsCheckupEventsTable>) {
    await db.insertInto('rights_checkup_events').values(row).execute();
  },

  async inScope(db: Executor, scopePath: string, id: string, day: string) {
    return db
      .selectFrom('rights_checkups as u')
      .innerJoin('orgs as o', 'o.id', 'u.org_id')
      .select([...COLUMNS, ...openCounts(day), 'o.name as org_name', 'o.path as org_path'])
      .where('u.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async update(db: Executor, id: string, version: number, patch: Updateable<RightsCheckupsTable>) {
    return db
      .updateTable('rights_checkups')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  async findings(db: Executor, checkupId: string) {
    return db
      .selectFrom('rights_checkup_findings')
      .select(['id', 'item_id', 'title', 'sort', 'result', 'note'])
      .where('checkup_id', '=', checkupId)
      .orderBy('sort')
      .orderBy('id')
      .execute();
  },

  async setFinding(db: Executor, checkupId: string, id: string, result: string, note: string | null) {
    return db
      .updateTable('rights_checkup_findings')
      .set({ result: result as never, note })
      .where('checkup_id', '=', checkupId)
      .where('id', '=', id)
      .returning(['id'])
      .executeTakeFirst();
  },

  async insertRectifications(db: Executor, rows: Insertable<RightsCheckupRectificationsTable>[]) {
    if (rows.length) await db.insertInto('rights_checkup_rectifications').values(rows).execute();
  },

  async rectifications(db: Executor, checkupId: string) {
    return db
      .selectFrom('rights_checkup_rectifications')
      .select(['id', 'finding_id', 'task', 'owner', sql<string>`due_on::text`.as('due_on'), 'status', sql<string | null>`done_on::text`.as('done_on'), 'note'])
      .where('checkup_id', '=', checkupId)
      .orderBy('sort')
      .orderBy('id')
      .execute();
  },

  /** Marks one open rectification of the check-up done; no row when it is not open. */
  async finishRectification(db: Executor, checkupId: string, id: string, doneOn: string, note: string) {
    return db
      .updateTable('rights_checkup_rectifications')
      .set({ status: 'done', done_on: doneOn, note })
      .where('checkup_id', '=', checkupId)
      .where('id', '=', id)
      .where('status', '=', 'open')
      .returning(['id', 'task'])
      .executeTakeFirst();
  },

  async staff(db: Executor, checkupId: string) {
    return db
      .selectFrom('rights_checkup_staff as s')
      .innerJoin('rights_pool as p', 'p.id', 's.pool_id')
      .select(['p.id', 'p.name', 'p.organisation', 'p.kind'])
      .where('s.checkup_id', '=', checkupId)
      .orderBy('p.id')
      .execute();
  },

  async events(db: Executor, checkupId: string) {
    return db.selectFrom('rights_checkup_events').selectAll().where('checkup_id', '=', checkupId).orderBy('id').execute();
  },

  async list(db: Executor, scopePath: string, day: string, f: CheckupFilters) {
    let q = db.selectFrom('rights_checkups as u').innerJoin('orgs as o', 'o.id', 'u.org_id').where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.status) q = q.where('u.status', '=', f.status as never);
    if (f.riskLevel) q = q.where('u.risk_level', '=', f.riskLevel as never);
    if (f.overdueBefore)
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('rights_checkup_rectifications as r')
            .select('r.id')
            .whereRef('r.checkup_id', '=', 'u.id')
            .where('r.status', '=', 'open')
            .where('r.due_on', '<', f.overdueBefore!),
        ),
      );
    if (f.q) q = q.where('u.employer_name', 'like', likeText(f.q));
    if (f.from) q = q.where('u.checked_on', '>=', f.from);
    if (f.to) q = q.where('u.checked_on', '<=', f.to);
    const items = await q
      .select([...COLUMNS, ...openCounts(day), 'o.name as org_name'])
      .orderBy('u.checked_on', 'desc')
      .orderBy('u.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },
};
