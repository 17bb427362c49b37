// 一函两书 SQL: numbered per issuing union and year; every read by id prefix-scoped by the issuer's path.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { RightsLettersTable } from '../../db/schema-rights.js';
import type { Executor } from '../audit/audit.repository.js';

const COLUMNS = [
  'l.id',
  'l.org_id',
  'l.kind',
  'l.year',
  'l.seq',
  'l.doc_no',
  'l.parent_id',
  'l.employer_name',
  'l.addressee',
  'l.title',
  'l.facts',
  'l.legal_basis',
  'l.demands',
  'l.workers',
  sql<string>`l.issued_on::text`.as('issued_on'),
  sql<string>`l.reply_due_on::text`.as('reply_due_on'),
  'l.status',
  'l.reply',
  sql<string | null>`l.replied_on::text`.as('replied_on'),
  'l.rectified',
  'l.answer',
  sql<string | null>`l.answered_on::text`.as('answered_on'),
  'l.created_by',
  'l.version',
] as const;

export const lettersRepository = {
  /** The next number of a union's letters in a year (one counter row per union and year, locked by the upsert). */
  async nextSeq(db: Executor, orgId: string, year: number) {
    const r = await db
      .insertInto('rights_letter_counters')
      .values({ org_id: orgId, year, last: 1 })
      .onConflict((oc) => oc.columns(['org_id', 'year']).doUpdateSet({ last: sql`rights_letter_counters.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    return r.last;
  },

  async insert(db: Executor, row: Insertable<RightsLettersTable>) {
    return db.insertInto('rights_letters').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async inScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('rights_letters as l')
      .innerJoin('orgs as o', 'o.id', 'l.org_id')
      .select([...COLUMNS, 'o.name as org_name', 'o.path as org_path'])
      .where('l.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  /** Letters linked to this one: its 建议书 (child) or the letter it escalates (parent). */
  async related(db: Executor, id: string, parentId: string | null) {
    return db
      .selectFrom('rights_letters as l')
      .innerJoin('orgs as o', 'o.id', 'l.org_id')
      .select(['l.id', 'l.kind', 'l.doc_no', 'l.status', 'o.name as org_name'])
      .where((eb) => (parentId ? eb.or([eb('l.parent_id', '=', id), eb('l.id', '=', parentId)]) : eb('l.parent_id', '=', id)))
      .orderBy('l.id')
      .execute();
  },

  async update(db: Executor, id: string, version: number, patch: Updateable<RightsLettersTable>) {
    return db
      .updateTable('rights_letters')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  async list(
    db: Executor,
    scopePath: string,
    f: { orgPath?: string; kind?: string; status?: string; overdueBefore?: string; from?: string; to?: string; limit: number; offset: number },
  ) {
    let q = db.selectFrom('rights_letters as l').innerJoin('orgs as o', 'o.id', 'l.org_id').where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.kind) q = q.where('l.kind', '=', f.kind as never);
    if (f.status) q = q.where('l.status', '=', f.status as never);
    if (f.overdueBefore) q = q.where('l.status', '=', 'issued').where('l.reply_due_on', '<', f.overdueBefore);
    if (f.from) q = q.where('l.issued_on', '>=', f.from);
    if (f.to) q = q.where('l.issued_on', '<=', f.to);
    const items = await q
      .select([...COLUMNS, 'o.name as org_name'])
      .orderBy('l.issued_on', 'desc')
      .orderBy('l.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },
};
