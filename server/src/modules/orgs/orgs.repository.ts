// All SQL over the org tree. Every read that takes an id from outside is scoped: the row's
// path must start with the caller's path (a prefix match the btree index on `path` serves).
import { sql } from 'kysely';
import type { NewOrg, Org, OrgUpdate } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';
import { identityChanged } from '../auth/identity-cache.js';
import { COPIED_PATHS, type PathColumn } from './orgs.copied-paths.js';

export type OrgWithCounts = Org & { child_count: number };

const childCount = sql<number>`(select count(*)::int from orgs c where c.parent_id = orgs.id)`;

export const orgsRepository = {
  async findInScope(db: Executor, scopePath: string, id: string): Promise<Org | undefined> {
    return db.selectFrom('orgs').selectAll().where('id', '=', id).where('path', 'like', `${scopePath}%`).executeTakeFirst();
  },

  async findInScopeForUpdate(db: Executor, scopePath: string, id: string): Promise<Org | undefined> {
    return db.selectFrom('orgs').selectAll().where('id', '=', id).where('path', 'like', `${scopePath}%`).forUpdate().executeTakeFirst();
  },

  async findById(db: Executor, id: string): Promise<Org | undefined> {
    return db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async findByPath(db: Executor, path: string): Promise<OrgWithCounts | undefined> {
    return db.selectFrom('orgs').selectAll().select(childCount.as('child_count')).where('path', '=', path).executeTakeFirst();
  },

  async root(db: Executor): Promise<Org | undefined> {
    return db.selectFrom('orgs').selectAll().where('parent_id', 'is', null).orderBy('id').executeTakeFirst();
  },

  async children(db: Executor, scopePath: string, parentId: string): Promise<OrgWithCounts[]> {
    return db
      .selectFrom('orgs')
      .selectAll()
      .select(childCount.as('child_count'))
      .where('parent_id', '=', parentId)
      .where('path', 'like', `${scopePath}%`)
      .orderBy('status')
      .orderBy('sort_order')
      .orderBy('id')
      .execute();
  },

  async search(
    db: Executor,
    scopePath: string,
    f: { q: string; type?: Org['type']; types?: readonly Org['type'][]; status?: Org['status']; limit: number; offset: number },
  ): Promise<{ items: OrgWithCounts[]; total: number }> {
    let q = db.selectFrom('orgs').where('path', 'like', `${scopePath}%`);
    if (f.q) {
      const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('name', 'like', pattern), eb('credit_code', '=', f.q.toUpperCase()), eb('division_code', '=', f.q)]));
    }
    if (f.type) q = q.where('type', '=', f.type);
    if (f.types?.length) q = q.where('type', 'in', f.types);
    if (f.status) q = q.where('status', '=', f.status);
    const [items, total] = await Promise.all([
      q.selectAll().select(childCount.as('child_count')).orderBy('depth').orderBy('id').limit(f.limit).offset(f.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  async namesByIds(db: Executor, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('orgs').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  },

  async countChildren(db: Executor, id: string, status?: Org['status']): Promise<number> {
    let q = db
      .selectFrom('orgs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parent_id', '=', id);
    if (status) q = q.where('status', '=', status);
    return Number((await q.executeTakeFirstOrThrow()).n);
  },

  async countDescendants(db: Executor, path: string): Promise<number> {
    const r = await db
      .selectFrom('orgs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('path', 'like', `${path}%`)
      .where('path', '<>', path)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async nextId(db: Executor): Promise<string> {
    const { rows } = await sql<{ id: string }>`select nextval(pg_get_serial_sequence('orgs', 'id'))::text as id`.execute(db);
    return rows[0]!.id;
  },

  async insert(db: Executor, row: NewOrg & { id: string }): Promise<Org> {
    return db.insertInto('orgs').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** Optimistic update: only when the version still matches; undefined otherwise. */
  async update(db: Executor, id: string, version: number, patch: OrgUpdate): Promise<Org | undefined> {
    return db
      .updateTable('orgs')
      .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },

  /** Rewrites the path prefix and depth of a whole subtree in one statement. */
  async rewriteSubtree(db: Executor, oldPath: string, newPath: string, depthDelta: number): Promise<number> {
    // staff of the subtree carry their org's path as their scope
    identityChanged();
    const r = await db
      .updateTable('orgs')
      .set({
        path: sql`${newPath} || substr(path, ${oldPath.length + 1})`,
        depth: sql`depth + ${depthDelta}`,
      })
      .where('path', 'like', `${oldPath}%`)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  /**
   * A moved subtree's prefix in one copied path column: every value under `oldPath` gets `newPath`
   * in its place. The predicate is the prefix match every scope read uses, so the column's C-collated
   * (or text_pattern_ops) btree serves it.
   */
  async rewritePathPrefix<T extends PathColumn['table']>(
    db: Executor,
    table: T,
    column: Extract<PathColumn, { table: T }>['column'],
    oldPath: string,
    newPath: string,
  ): Promise<number> {
    const col = sql.ref(column);
    const rewritten = sql`${newPath} || substr(${col}, ${oldPath.length + 1})`;
    const r = await sql`update ${sql.table(table)} set ${col} = ${rewritten} where ${col} like ${`${oldPath}%`}`.execute(db);
    return Number(r.numAffectedRows ?? 0);
  },

  /** Every copied path (COPIED_PATHS) follows a move, in the mover's transaction. */
  async rewriteCopiedPaths(db: Executor, oldPath: string, newPath: string): Promise<void> {
    for (const { table, column } of COPIED_PATHS) await orgsRepository.rewritePathPrefix(db, table, column, oldPath, newPath);
  },

  /** The 行政区划 code of the node or its nearest ancestor that has one. */
  async nearestDivisionCode(db: Executor, path: string): Promise<string | null> {
    const ids = path.split('/').filter(Boolean);
    const row = await db
      .selectFrom('orgs')
      .select('division_code')
      .where('id', 'in', ids)
      .where('division_code', 'is not', null)
      .orderBy('depth', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.division_code ?? null;
  },

  async allPaths(db: Executor): Promise<Pick<Org, 'id' | 'parent_id' | 'path' | 'depth'>[]> {
    return db.selectFrom('orgs').select(['id', 'parent_id', 'path', 'depth']).orderBy('id').execute();
  },
};
