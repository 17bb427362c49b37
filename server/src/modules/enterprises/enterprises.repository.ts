// All SQL of the enterprise register, 建会, 职代会 and 厂务公开. Every read by an outside id is
// scoped by the registering union's path (`orgs.path like scope%`).
import { sql, type Insertable, type SelectQueryBuilder, type Updateable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { CongressSessionsTable, DisclosureItemsTable, EnterprisesTable, UnionFoundingsTable, UnionOfficersTable } from '../../db/schema-enterprises.js';
import type { Executor } from '../audit/audit.repository.js';
import { FOUNDING_OVERDUE_DAYS, FOUNDING_THRESHOLD, NON_PUBLIC } from './enterprises.constants.js';

export type Figure =
  'eligible' | 'unionised' | 'eligible_unionised' | 'nonpublic_new' | 'members_base' | 'congress_due' | 'congress_ok' | 'disclosure_ok' | 'platform';

export interface EnterpriseFilters {
  q?: string;
  ownership?: string;
  industry?: string;
  unionless?: boolean;
  figure?: Figure;
  isPlatform?: boolean;
  year: number;
  today: string;
  limit: number;
  offset: number;
}

const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A functioning system: established, and a session / an item within the last year. */
export const congressOk = (today: string) =>
  sql<boolean>`(e.union_org_id is not null and e.congress_system and exists (select 1 from congress_sessions s where s.enterprise_id = e.id and s.held_on > ${today}::date - 365))`;
export const disclosureOk = (today: string) =>
  sql<boolean>`(e.union_org_id is not null and e.disclosure_system and exists (select 1 from disclosure_items d where d.enterprise_id = e.id and d.published_on > ${today}::date - 365))`;

type EQ = SelectQueryBuilder<DB & { e: EnterprisesTable; o: DB['orgs'] }, 'e' | 'o', any>;

function applyFilters(q: EQ, f: Omit<EnterpriseFilters, 'limit' | 'offset'>): EQ {
  if (f.q) q = q.where((eb) => eb.or([eb('e.name', 'like', like(f.q!)), eb('e.credit_code', '=', f.q!.toUpperCase())]));
  if (f.ownership) q = q.where('e.ownership', '=', f.ownership as never);
  if (f.industry) q = q.where('e.industry', '=', f.industry);
  if (f.isPlatform !== undefined) q = q.where('e.is_platform', '=', f.isPlatform);
  if (f.unionless) q = q.where('e.employees', '>=', FOUNDING_THRESHOLD).where('e.union_org_id', 'is', null);
  switch (f.figure) {
    case 'eligible':
      return q.where('e.employees', '>=', FOUNDING_THRESHOLD);
    case 'unionised':
      return q.where('e.union_org_id', 'is not', null);
    case 'eligible_unionised':
      return q.where('e.employees', '>=', FOUNDING_THRESHOLD).where('e.union_org_id', 'is not', null);
    case 'nonpublic_new':
      return q
        .where('e.ownership', 'in', NON_PUBLIC as never[])
        .where('e.union_org_id', 'is not', null)
        .where(sql<boolean>`extract(year from e.unionised_on) = ${f.year}`);
    case 'members_base':
      return q.where('e.union_kind', '=', 'own');
    case 'congress_due':
      return q.where('e.union_org_id', 'is not', null);
    case 'congress_ok':
      return q.where(congressOk(f.today));
    case 'disclosure_ok':
      return q.where(disclosureOk(f.today));
    case 'platform':
      return q.where('e.is_platform', '=', true);
    default:
      return q;
  }
}

export const enterprisesRepository = {
  async insert(db: Executor, row: Insertable<EnterprisesTable>) {
    return db.insertInto('enterprises').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async findInScope(db: Executor, scopePath: string, id: string, forUpdate = false) {
    let q = db
      .selectFrom('enterprises as e')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .selectAll('e')
      .select(['o.name as org_name', 'o.path as org_path'])
      .where('e.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`);
    if (forUpdate) q = q.forUpdate('e');
    return q.executeTakeFirst();
  },

  async findByCreditCode(db: Executor, code: string) {
    return db
      .selectFrom('enterprises as e')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .select(['e.id', 'o.path as org_path'])
      .where('e.credit_code', '=', code)
      .executeTakeFirst();
  },

  async update(db: Executor, id: string, version: number, patch: Updateable<EnterprisesTable>) {
    return db
      .updateTable('enterprises')
      .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },

  async attachUnion(db: Executor, id: string, unionOrgId: string, unionisedOn: string) {
    await db
      .updateTable('enterprises')
      .set({ union_org_id: unionOrgId, union_kind: 'own', unionised_on: unionisedOn, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  },

  async list(db: Executor, scopePath: string, f: EnterpriseFilters) {
    const base = applyFilters(db.selectFrom('enterprises as e').innerJoin('orgs as o', 'o.id', 'e.org_id').where('o.path', 'like', `${scopePath}%`) as EQ, f);
    const [items, total] = await Promise.all([
      base
        .leftJoin('orgs as u', 'u.id', 'e.union_org_id')
        .selectAll('e')
        .select(['o.name as org_name', 'u.name as union_name'])
        .select((eb) =>
          eb
            .selectFrom('union_foundings as f')
            .select('f.status')
            .whereRef('f.enterprise_id', '=', 'e.id')
            .where('f.status', 'in', ['preparing', 'elected'])
            .limit(1)
            .as('founding_status'),
        )
        .select(congressOk(f.today).as('congress_ok'))
        .select(disclosureOk(f.today).as('disclosure_ok'))
        .orderBy('e.employees', 'desc')
        .orderBy('e.id')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  // ---- 建会 ----
  async insertFounding(db: Executor, row: Insertable<UnionFoundingsTable>) {
    return db.insertInto('union_foundings').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async foundingInScope(db: Executor, scopePath: string, id: string, forUpdate = false) {
    let q = db
      .selectFrom('union_foundings as f')
      .innerJoin('enterprises as e', 'e.id', 'f.enterprise_id')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .innerJoin('orgs as p', 'p.id', 'f.parent_org_id')
      .selectAll('f')
      .select(['e.name as enterprise_name', 'e.women as enterprise_women', 'e.address as enterprise_address', 'e.division_code as enterprise_division'])
      .select(['p.name as parent_name', 'p.path as parent_path'])
      .where('f.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`);
    if (forUpdate) q = q.forUpdate('f');
    return q.executeTakeFirst();
  },

  async updateFounding(db: Executor, id: string, version: number, patch: Updateable<UnionFoundingsTable>) {
    return db
      .updateTable('union_foundings')
      .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },

  async listFoundings(db: Executor, scopePath: string, f: { status?: string; overdue?: boolean; today: string; limit: number; offset: number }) {
    let q = db
      .selectFrom('union_foundings as f')
      .innerJoin('enterprises as e', 'e.id', 'f.enterprise_id')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .innerJoin('orgs as p', 'p.id', 'f.parent_org_id')
      .where('o.path', 'like', `${scopePath}%`);
    if (f.status) q = q.where('f.status', '=', f.status as never);
    if (f.overdue) q = q.where(foundingOverdue(f.today));
    const [items, total] = await Promise.all([
      q
        .selectAll('f')
        .select(['e.name as enterprise_name', 'p.name as parent_name'])
        .select(foundingOverdue(f.today).as('overdue'))
        .orderBy('f.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  async foundingsOf(db: Executor, enterpriseId: string) {
    return db.selectFrom('union_foundings').selectAll().where('enterprise_id', '=', enterpriseId).orderBy('id', 'desc').execute();
  },

  async insertOfficers(db: Executor, rows: Insertable<UnionOfficersTable>[]) {
    if (rows.length) await db.insertInto('union_officers').values(rows).execute();
  },

  async setOfficersUnion(db: Executor, foundingId: string, unionOrgId: string) {
    await db.updateTable('union_officers').set({ union_org_id: unionOrgId }).where('founding_id', '=', foundingId).execute();
  },

  async officersOf(db: Executor, enterpriseId: string) {
    return db.selectFrom('union_officers').selectAll().where('enterprise_id', '=', enterpriseId).orderBy('term_end', 'desc').orderBy('id').execute();
  },

  /** Chairs whose term ends by `until` and who were not reminded yet (换届). */
  async termsEndingUnreminded(db: Executor, until: string, limit: number) {
    return db
      .selectFrom('union_officers as x')
      .innerJoin('enterprises as e', 'e.id', 'x.enterprise_id')
      .select(['x.id', 'x.name', 'x.term_end', 'x.union_org_id', 'e.name as enterprise_name', 'e.org_id'])
      .where('x.role', '=', 'chair')
      .where('x.reminded_at', 'is', null)
      .where('x.union_org_id', 'is not', null)
      .where('x.term_end', '<=', until)
      .orderBy('x.id')
      .limit(limit)
      .execute();
  },

  async markOfficerReminded(db: Executor, id: string, at: Date) {
    const r = await db.updateTable('union_officers').set({ reminded_at: at }).where('id', '=', id).where('reminded_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  // ---- 职代会 / 厂务公开 ----
  async insertCongress(db: Executor, row: Insertable<CongressSessionsTable>) {
    return db.insertInto('congress_sessions').values(row).returningAll().executeTakeFirstOrThrow();
  },
  async congressOf(db: Executor, enterpriseId: string) {
    return db.selectFrom('congress_sessions').selectAll().where('enterprise_id', '=', enterpriseId).orderBy('held_on', 'desc').limit(50).execute();
  },
  async insertDisclosure(db: Executor, row: Insertable<DisclosureItemsTable>) {
    return db.insertInto('disclosure_items').values(row).returningAll().executeTakeFirstOrThrow();
  },
  async disclosuresOf(db: Executor, enterpriseId: string) {
    return db.selectFrom('disclosure_items').selectAll().where('enterprise_id', '=', enterpriseId).orderBy('published_on', 'desc').limit(50).execute();
  },
};

/** 筹备 or elected for more than FOUNDING_OVERDUE_DAYS, or approved without 法人资格登记 past its due day. */
export const foundingOverdue = (today: string) =>
  sql<boolean>`((f.status in ('preparing', 'elected') and f.started_on < ${today}::date - ${FOUNDING_OVERDUE_DAYS}::int) or (f.status = 'established' and f.legal_due_on < ${today}::date))`;
