// 劳模工匠 register SQL: honoured people (every read by outside id prefix-scoped by the contact
// union's path), their honours, the entitlement rules and the grants ledger.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { ModelGrantsTable, ModelHonoursTable, ModelPeopleTable } from '../../db/schema-models.js';
import type { Executor } from '../audit/audit.repository.js';
import { MODEL_KINDS } from './models.constants.js';

export interface PeopleFilters {
  orgPath?: string;
  q?: string;
  kind?: string;
  status?: string;
  onRoll?: boolean;
  limit: number;
  offset: number;
}

const COLUMNS = [
  'p.id',
  'p.org_id',
  'p.person_id',
  'p.name',
  'p.sex',
  'p.id_masked',
  'p.phone_masked',
  'p.employer',
  'p.job_title',
  'p.status',
  'p.note',
  'p.version',
  'o.name as org_name',
] as const;

/** The person's honours as "kind:year" in one text, newest first (the list's 荣誉 column). */
const honourList = sql<string | null>`(select string_agg(h.kind || ':' || h.year, ',' order by h.year desc, h.id desc)
  from model_honours h where h.model_person_id = p.id)`.as('honours');

export const modelsRepository = {
  async insertPerson(db: Executor, row: Insertable<ModelPeopleTable>) {
    return db.insertInto('model_people').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  /** An import row's person: inserted unless its ID number is registered already (then that id, and `created` false). */
  async insertPersonIfAbsent(db: Executor, row: Insertable<ModelPeopleTable>) {
    return db
      .insertInto('model_people')
      .values(row)
      .onConflict((oc) => oc.columns(['id_bidx', 'org_id']).where('id_bidx', 'is not', null).doNothing())
      .returning(['id'])
      .executeTakeFirst();
  },

  /**
   * The register entry of this ID number whose contact union is in the subtree — the duplicate check sees only
   * what the caller may see: an entry kept by another county is no answer (decision 033).
   */
  async personByIdBidxInScope(db: Executor, idBidx: string, scopePath: string) {
    return db
      .selectFrom('model_people as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .select(['p.id', 'o.path as org_path'])
      .where('p.id_bidx', '=', idBidx)
      .where('o.path', 'like', `${scopePath}%`)
      .orderBy('p.id')
      .limit(1)
      .executeTakeFirst();
  },

  async inScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('model_people as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .select([...COLUMNS, 'o.path as org_path', 'p.id_bidx'])
      .where('p.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async update(db: Executor, id: string, version: number, patch: Updateable<ModelPeopleTable>) {
    return db
      .updateTable('model_people')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  async list(db: Executor, scopePath: string, f: PeopleFilters) {
    let q = db.selectFrom('model_people as p').innerJoin('orgs as o', 'o.id', 'p.org_id').where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.status) q = q.where('p.status', '=', f.status as never);
    if (f.onRoll !== undefined) q = q.where('p.person_id', f.onRoll ? 'is not' : 'is', null);
    if (f.q) q = q.where((eb) => eb.or([eb('p.name', 'like', `%${f.q}%`), eb('p.employer', 'like', `%${f.q}%`)]));
    if (f.kind)
      q = q.where(({ exists, selectFrom }) =>
        exists(selectFrom('model_honours as h').select('h.id').whereRef('h.model_person_id', '=', 'p.id').where('h.kind', '=', f.kind as never)),
      );
    const items = await q.select([...COLUMNS, honourList]).orderBy('p.id', 'desc').limit(f.limit).offset(f.offset).execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  async orgsInScopeByName(db: Executor, scopePath: string, names: string[]) {
    if (!names.length) return [];
    return db
      .selectFrom('orgs')
      .select(['id', 'name', 'path'])
      .where('name', 'in', names)
      .where('path', 'like', `${scopePath}%`)
      .where('dissolved_at', 'is', null)
      .execute();
  },

  // ---- honours ----
  /** Adds honours; one already recorded (same kind and year) is skipped. Returns the ids added. */
  async insertHonours(db: Executor, rows: Insertable<ModelHonoursTable>[]) {
    if (!rows.length) return [];
    return db
      .insertInto('model_honours')
      .values(rows)
      .onConflict((oc) => oc.columns(['model_person_id', 'kind', 'year']).doNothing())
      .returning(['id'])
      .execute();
  },

  async honours(db: Executor, personId: string) {
    return db
      .selectFrom('model_honours')
      .select(['id', 'kind', 'year', 'awarding_body', 'certificate_no'])
      .where('model_person_id', '=', personId)
      .orderBy('year', 'desc')
      .orderBy('id', 'desc')
      .execute();
  },

  async deleteHonour(db: Executor, personId: string, honourId: string) {
    return db.deleteFrom('model_honours').where('model_person_id', '=', personId).where('id', '=', honourId).returning(['id', 'kind', 'year']).executeTakeFirst();
  },

  /** Whether the roll person has a live membership in a union under `scopePath`. */
  async isMemberUnder(db: Executor, personId: string, scopePath: string) {
    const row = await db
      .selectFrom('memberships')
      .select('id')
      .where('person_id', '=', personId)
      .where('status', 'in', ['active', 'retained'])
      .where('org_path', 'like', `${scopePath}%`)
      .limit(1)
      .executeTakeFirst();
    return !!row;
  },

  /** Whether any register entry of this roll person holds a 劳模 honour (the roll's flag). */
  async isModelWorker(db: Executor, personId: string) {
    const row = await db
      .selectFrom('model_people as p')
      .innerJoin('model_honours as h', 'h.model_person_id', 'p.id')
      .select('h.id')
      .where('p.person_id', '=', personId)
      .where('h.kind', 'in', [...MODEL_KINDS])
      .limit(1)
      .executeTakeFirst();
    return !!row;
  },

  // ---- entitlement rules ----
  async rules(db: Executor) {
    return db.selectFrom('model_entitlement_rules').selectAll().orderBy('id').execute();
  },

  async insertRule(db: Executor, row: { honour_kind: string; benefit: string; amount_fen: string | null; note: string }) {
    return db
      .insertInto('model_entitlement_rules')
      .values(row as never)
      .onConflict((oc) => oc.columns(['honour_kind', 'benefit']).doNothing())
      .returning(['id'])
      .executeTakeFirst();
  },

  async updateRule(db: Executor, id: string, version: number, patch: { amount_fen?: string | null; note?: string; active?: boolean; updated_at: Date }) {
    return db
      .updateTable('model_entitlement_rules')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  async rule(db: Executor, id: string) {
    return db.selectFrom('model_entitlement_rules').select(['id']).where('id', '=', id).executeTakeFirst();
  },

  // ---- grants ----
  async grants(db: Executor, personId: string) {
    return db
      .selectFrom('model_grants as g')
      .innerJoin('orgs as o', 'o.id', 'g.org_id')
      .select(['g.id', 'g.benefit', 'g.year', sql<string>`g.granted_on::text`.as('granted_on'), 'g.amount_fen', 'g.note', 'o.name as org_name'])
      .where('g.model_person_id', '=', personId)
      .orderBy('g.year', 'desc')
      .orderBy('g.id', 'desc')
      .execute();
  },

  /** One grant per person, benefit and year: no row when it was given already. */
  async insertGrant(db: Executor, row: Insertable<ModelGrantsTable>) {
    return db
      .insertInto('model_grants')
      .values(row)
      .onConflict((oc) => oc.columns(['model_person_id', 'benefit', 'year']).doNothing())
      .returning(['id'])
      .executeTakeFirst();
  },
};
