// SQL over outside lists kept for matching: scoped by the owning org's path (orgs.path prefix).
// Expired lists are invisible before the hourly cleanup deletes them.
import type { Executor } from '../audit/audit.repository.js';

export interface NewListRow {
  row_no: number;
  id_bidx: string | null;
  phone_bidx: string | null;
  name_masked: string | null;
  id_masked: string | null;
  phone_masked: string | null;
  plate_masked: string | null;
  invalid_reason: string | null;
}

export const matchingRepository = {
  async insertList(
    db: Executor,
    row: {
      org_id: string;
      name: string;
      file_name: string | null;
      row_count: number;
      invalid_count: number;
      created_by: string | null;
      created_at: Date;
      expires_at: Date;
    },
  ) {
    return db.insertInto('match_lists').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** The list's totals, once its rows are written. */
  async setCounts(db: Executor, listId: string, n: { rows: number; invalid: number }) {
    await db.updateTable('match_lists').set({ row_count: n.rows, invalid_count: n.invalid }).where('id', '=', listId).execute();
  },

  async insertRows(db: Executor, listId: string, rows: NewListRow[]) {
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('match_list_rows')
        .values(rows.slice(i, i + 500).map((r) => ({ ...r, list_id: listId })))
        .execute();
    }
  },

  async list(db: Executor, scopePath: string, now: Date, f: { orgId?: string; limit: number; offset: number }) {
    let q = db
      .selectFrom('match_lists as l')
      .innerJoin('orgs as o', 'o.id', 'l.org_id')
      .where('o.path', 'like', `${scopePath}%`)
      .where('l.expires_at', '>', now);
    if (f.orgId) q = q.where('l.org_id', '=', f.orgId);
    const [items, total] = await Promise.all([
      q.selectAll('l').select('o.name as org_name').orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(f.limit).offset(f.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  async findInScope(db: Executor, scopePath: string, now: Date, id: string) {
    return db
      .selectFrom('match_lists as l')
      .innerJoin('orgs as o', 'o.id', 'l.org_id')
      .selectAll('l')
      .select('o.name as org_name')
      .where('l.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .where('l.expires_at', '>', now)
      .executeTakeFirst();
  },

  /** Valid rows (with an ID blind index), in keyset pages on row_no. */
  async validRows(db: Executor, listId: string, afterRow: number, limit: number) {
    return db
      .selectFrom('match_list_rows')
      .select(['row_no', 'id_bidx', 'name_masked', 'id_masked', 'phone_masked', 'plate_masked'])
      .where('list_id', '=', listId)
      .where('id_bidx', 'is not', null)
      .where('row_no', '>', afterRow)
      .orderBy('row_no')
      .limit(limit)
      .execute();
  },

  async invalidRows(db: Executor, listId: string, limit: number) {
    return db
      .selectFrom('match_list_rows')
      .select(['row_no', 'name_masked', 'id_masked', 'invalid_reason'])
      .where('list_id', '=', listId)
      .where('id_bidx', 'is', null)
      .orderBy('row_no')
      .limit(limit)
      .execute();
  },

  async deleteList(db: Executor, id: string) {
    await db.deleteFrom('match_list_rows').where('list_id', '=', id).execute();
    await db.deleteFrom('match_lists').where('id', '=', id).execute();
  },

  /** Deletes every list past its expiry (rows go with it); returns what was deleted. */
  async deleteExpired(db: Executor, now: Date) {
    return db.deleteFrom('match_lists').where('expires_at', '<=', now).returning(['id', 'org_id', 'name']).execute();
  },
};
