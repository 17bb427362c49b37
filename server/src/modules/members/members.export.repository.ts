// Read-side SQL for exporting the roll and for matching outside lists against it. The roll is
// read in keyset pages on (org_path, id), scoped by memberships.org_path, so an export of a
// million rows never holds more than one page and never re-reads what it has passed.
import type { Executor } from '../audit/audit.repository.js';
import { rollSearch, type RollFilters } from './members.repository.js';

export type ExportFilters = Omit<RollFilters, 'sort' | 'limit' | 'offset'>;

function scoped(db: Executor, scopePath: string, f: ExportFilters) {
  let q = db.selectFrom('memberships as m').innerJoin('people as p', 'p.id', 'm.person_id').where('m.org_path', 'like', `${scopePath}%`);
  if (f.status?.length) q = q.where('m.status', 'in', f.status);
  if (f.employmentForm) q = q.where('m.employment_form', '=', f.employmentForm);
  if (f.joinedFrom) q = q.where('m.joined_on', '>=', f.joinedFrom);
  if (f.joinedTo) q = q.where('m.joined_on', '<=', f.joinedTo);
  if (f.isMigrantWorker !== undefined) q = q.where('m.is_migrant_worker', '=', f.isMigrantWorker);
  if (f.isModelWorker !== undefined) q = q.where('m.is_model_worker', '=', f.isModelWorker);
  if (f.orgId) q = q.where('m.org_id', '=', f.orgId);
  if (f.search) q = q.where(rollSearch(db, f.search));
  return q;
}

export const membersExportRepository = {
  async count(db: Executor, scopePath: string, f: ExportFilters): Promise<number> {
    const r = await scoped(db, scopePath, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /**
   * One page of the roll after the cursor, in (org_path, id) order: a keyset on the export index
   * (memberships_export_idx), so each page is an index range read that stops after `limit` rows
   * whatever the size of the roll. The ciphertexts only when `full`. Union names: `orgNames`.
   */
  async page(db: Executor, scopePath: string, f: ExportFilters, after: { orgPath: string; id: string } | null, limit: number, full: boolean) {
    return scoped(db, scopePath, f)
      .select([
        'm.id',
        'm.org_id',
        'm.org_path',
        'm.status',
        'm.employment_form',
        'm.employer_name',
        'm.joined_on',
        'm.is_migrant_worker',
        'm.is_model_worker',
        'p.member_no',
        'p.name',
        'p.sex',
        'p.birth_date',
        'p.id_masked',
        'p.phone_masked',
      ])
      .$if(full, (qb) => qb.select(['p.id_enc', 'p.phone_enc']))
      .$if(after !== null, (qb) => qb.where((eb) => eb(eb.refTuple('m.org_path', 'm.id'), '>', eb.tuple(after!.orgPath, after!.id))))
      .orderBy('m.org_path')
      .orderBy('m.id')
      .limit(limit)
      .execute();
  },

  async orgNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('orgs').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  },

  /** Live (active or retained) memberships of the people with these ID blind indexes, anywhere. */
  async liveByIdIndexes(db: Executor, idBidxs: string[]) {
    if (idBidxs.length === 0) return [];
    return db
      .selectFrom('people as p')
      .innerJoin('memberships as m', 'm.person_id', 'p.id')
      .innerJoin('orgs as o', 'o.id', 'm.org_id')
      .select(['p.id_bidx', 'm.org_id', 'm.org_path', 'o.name as org_name'])
      .where('p.id_bidx', 'in', idBidxs)
      .where('m.status', 'in', ['active', 'retained'])
      .execute();
  },
};
