// 调解 / 法律援助 cases and the mediator pool: all SQL, every read by id prefix-scoped by the handling union's path.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { RightsCaseEventsTable, RightsCasePartiesTable, RightsCaseSessionsTable, RightsCasesTable, RightsPoolTable } from '../../db/schema-rights.js';
import type { Executor } from '../audit/audit.repository.js';
import { likeText } from './rights.common.js';

export interface CaseFilters {
  orgPath?: string;
  kind?: string;
  status?: string;
  overdueBefore?: string;
  q?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

const CASE_COLUMNS = [
  'k.id',
  'k.org_id',
  'k.kind',
  'k.status',
  'k.consultation_id',
  'k.application_id',
  'k.dispute_type',
  'k.employer_name',
  'k.employer_enterprise_id',
  'k.summary',
  'k.claim_amount',
  'k.agreed_amount',
  'k.paid_amount',
  'k.agreement_terms',
  'k.stage',
  'k.result',
  'k.referral_to',
  'k.referral_no',
  sql<string>`k.opened_on::text`.as('opened_on'),
  sql<string>`k.due_on::text`.as('due_on'),
  sql<string | null>`k.closed_on::text`.as('closed_on'),
  'k.created_by',
  'k.version',
] as const;

export const casesRepository = {
  async insert(db: Executor, row: Insertable<RightsCasesTable>) {
    return db.insertInto('rights_cases').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async insertParties(db: Executor, rows: Insertable<RightsCasePartiesTable>[]) {
    if (rows.length) await db.insertInto('rights_case_parties').values(rows).execute();
  },

  async addStaff(db: Executor, caseId: string, poolIds: string[], role: 'mediator' | 'lawyer') {
    if (!poolIds.length) return;
    await db
      .insertInto('rights_case_staff')
      .values(poolIds.map((pool_id) => ({ case_id: caseId, pool_id, role })))
      .onConflict((oc) => oc.columns(['case_id', 'pool_id']).doNothing())
      .execute();
  },

  async insertSession(db: Executor, row: Insertable<RightsCaseSessionsTable>) {
    await db.insertInto('rights_case_sessions').values(row).execute();
  },

  async insertEvent(db: Executor, row: Insertable<RightsCaseEventsTable>) {
    await db.insertInto('rights_case_events').values(row).execute();
  },

  async inScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('rights_cases as k')
      .innerJoin('orgs as o', 'o.id', 'k.org_id')
      .select([...CASE_COLUMNS, 'o.name as org_name', 'o.path as org_path'])
      .where('k.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async update(db: Executor, id: string, version: number, patch: Updateable<RightsCasesTable>) {
    return db
      .updateTable('rights_cases')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  async parties(db: Executor, caseId: string) {
    return db
      .selectFrom('rights_case_parties')
      .select(['id', 'name', 'id_masked', 'phone_masked'])
      .where('case_id', '=', caseId)
      .orderBy('sort')
      .orderBy('id')
      .execute();
  },

  async party(db: Executor, caseId: string, partyId: string) {
    return db
      .selectFrom('rights_case_parties')
      .select(['id', 'id_enc', 'phone_enc'])
      .where('case_id', '=', caseId)
      .where('id', '=', partyId)
      .executeTakeFirst();
  },

  async staff(db: Executor, caseId: string) {
    return db
      .selectFrom('rights_case_staff as s')
      .innerJoin('rights_pool as p', 'p.id', 's.pool_id')
      .select(['p.id', 'p.name', 'p.organisation', 'p.kind', 'p.speciality', 's.role'])
      .where('s.case_id', '=', caseId)
      .orderBy('p.id')
      .execute();
  },

  async sessions(db: Executor, caseId: string) {
    return db
      .selectFrom('rights_case_sessions')
      .select(['id', sql<string>`held_on::text`.as('held_on'), 'place', 'online', 'attendees', 'minutes'])
      .where('case_id', '=', caseId)
      .orderBy('held_on')
      .orderBy('id')
      .execute();
  },

  async events(db: Executor, caseId: string) {
    return db.selectFrom('rights_case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  },

  async byApplication(db: Executor, applicationId: string) {
    return db.selectFrom('rights_cases').select(['id']).where('application_id', '=', applicationId).executeTakeFirst();
  },

  async list(db: Executor, scopePath: string, f: CaseFilters) {
    let q = db.selectFrom('rights_cases as k').innerJoin('orgs as o', 'o.id', 'k.org_id').where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.kind) q = q.where('k.kind', '=', f.kind as never);
    if (f.status) q = q.where('k.status', '=', f.status as never);
    if (f.overdueBefore) q = q.where('k.status', '=', 'open').where('k.due_on', '<', f.overdueBefore);
    if (f.from) q = q.where('k.opened_on', '>=', f.from);
    if (f.to) q = q.where('k.opened_on', '<=', f.to);
    if (f.q) {
      const like = likeText(f.q);
      q = q.where((eb) =>
        eb.or([
          eb('k.employer_name', 'like', like),
          eb.exists(eb.selectFrom('rights_case_parties as pa').select('pa.id').whereRef('pa.case_id', '=', 'k.id').where('pa.name', 'like', like)),
        ]),
      );
    }
    const items = await q
      .select([
        ...CASE_COLUMNS,
        'o.name as org_name',
        sql<string>`(select string_agg(pa.name, '、' order by pa.sort, pa.id) from rights_case_parties pa where pa.case_id = k.id)`.as('party_names'),
      ])
      .orderBy('k.opened_on', 'desc')
      .orderBy('k.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  // ---------- the pool ----------
  async insertPool(db: Executor, row: Insertable<RightsPoolTable>) {
    return db.insertInto('rights_pool').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  /** Pool entries a union may draw on: its own and its ancestors' (the county's pool serves its towns). */
  async poolUsable(db: Executor, orgPath: string, ids: string[]) {
    if (!ids.length) return [];
    return db
      .selectFrom('rights_pool as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .select(['p.id', 'p.name', 'p.kind', 'p.available'])
      .where('p.id', 'in', ids)
      .where(sql<boolean>`${orgPath} like o.path || '%'`)
      .execute();
  },

  /** The pool a staff account sees: its ancestors' and its own subtree's entries. */
  async poolList(db: Executor, scopePath: string, f: { kind?: string; available?: boolean; limit: number; offset: number }) {
    let q = db
      .selectFrom('rights_pool as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .where((eb) => eb.or([eb('o.path', 'like', `${scopePath}%`), sql<boolean>`${scopePath} like o.path || '%'`]));
    if (f.kind) q = q.where('p.kind', '=', f.kind as never);
    if (f.available) q = q.where('p.available', '=', true);
    const items = await q
      .select([
        'p.id',
        'p.name',
        'p.organisation',
        'p.speciality',
        'p.kind',
        'p.available',
        'p.org_id',
        'o.name as org_name',
        sql<string>`(select count(*) from rights_case_staff s join rights_cases k on k.id = s.case_id where s.pool_id = p.id and k.status = 'open')`.as(
          'open_cases',
        ),
      ])
      .orderBy('o.path')
      .orderBy('p.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  /** A pool entry owned by a union of the caller's subtree (only the owner edits it). */
  async poolOwned(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('rights_pool as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .select(['p.id', 'p.org_id'])
      .where('p.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async setPoolAvailable(db: Executor, id: string, available: boolean) {
    await db.updateTable('rights_pool').set({ available }).where('id', '=', id).execute();
  },
};
