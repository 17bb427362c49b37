// 资讯: all SQL. Staff reads are scoped by the publisher's path (org_path prefix); a worker's reads by
// the worker's union chain (target_path is one of the chain's exact paths) and the clock (published,
// not withdrawn).
import { sql, type Insertable, type Updateable } from 'kysely';
import type { NewsItemsTable, NewsKind } from '../../db/schema-notices.js';
import type { Executor } from '../audit/audit.repository.js';

export type NewsStatus = 'draft' | 'scheduled' | 'published' | 'withdrawn';

export interface NewsListFilters {
  kind?: NewsKind;
  status?: NewsStatus;
  q?: string;
  limit: number;
  offset: number;
}

const statusAt = (at: Date) =>
  sql<NewsStatus>`case when n.withdrawn_at is not null then 'withdrawn' when n.publish_at is null then 'draft' when n.publish_at > ${at} then 'scheduled' else 'published' end`;

const STAFF_ROW = [
  'n.id',
  'n.kind',
  'n.org_id',
  'n.target_org_id',
  'n.title',
  'n.summary',
  'n.link',
  'n.cover_file_id',
  'n.publish_at',
  'n.withdrawn_at',
  'n.withdraw_reason',
  'n.read_count',
  'n.version',
  'n.created_at',
  'n.updated_at',
] as const;

export const newsRepository = {
  async insert(db: Executor, row: Insertable<NewsItemsTable>) {
    return db.insertInto('news_items').values(row).returning(['id', 'version']).executeTakeFirstOrThrow();
  },

  /** Version-checked, never a withdrawn item; no row when someone else changed it first. */
  async update(db: Executor, id: string, version: number, set: Updateable<NewsItemsTable>) {
    return db
      .updateTable('news_items')
      .set({ ...set, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('withdrawn_at', 'is', null)
      .returning(['id', 'version'])
      .executeTakeFirst();
  },

  /** An item published by a union of the caller's subtree, with its body. */
  async inScope(db: Executor, scopePath: string, id: string, at: Date) {
    return db
      .selectFrom('news_items as n')
      .innerJoin('orgs as o', 'o.id', 'n.org_id')
      .innerJoin('orgs as t', 't.id', 'n.target_org_id')
      .leftJoin('notice_files as c', 'c.id', 'n.cover_file_id')
      .select([...STAFF_ROW, 'n.body_html', 'o.name as org_name', 't.name as target_name', 'c.public_token as cover_token', statusAt(at).as('status')])
      .where('n.id', '=', id)
      .where('n.org_path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async list(db: Executor, scopePath: string, at: Date, f: NewsListFilters) {
    let q = db.selectFrom('news_items as n').where('n.org_path', 'like', `${scopePath}%`);
    if (f.kind) q = q.where('n.kind', '=', f.kind);
    if (f.status) q = q.where(statusAt(at), '=', f.status);
    if (f.q) q = q.where('n.title', 'like', `%${f.q}%`);
    const [items, total] = await Promise.all([
      q
        .innerJoin('orgs as o', 'o.id', 'n.org_id')
        .innerJoin('orgs as t', 't.id', 'n.target_org_id')
        .leftJoin('notice_files as c', 'c.id', 'n.cover_file_id')
        .select([...STAFF_ROW, 'o.name as org_name', 't.name as target_name', 'c.public_token as cover_token', statusAt(at).as('status')])
        .orderBy(sql`coalesce(n.publish_at, n.created_at)`, 'desc')
        .orderBy('n.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  async withdraw(db: Executor, id: string, version: number, at: Date, reason: string) {
    return db
      .updateTable('news_items')
      .set({ withdrawn_at: at, withdraw_reason: reason, updated_at: at, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('withdrawn_at', 'is', null)
      .returning(['id', 'version'])
      .executeTakeFirst();
  },

  /** A cover image of the caller's union. */
  async ownImage(db: Executor, orgId: string, fileId: string) {
    return db
      .selectFrom('notice_files')
      .select(['id'])
      .where('id', '=', fileId)
      .where('org_id', '=', orgId)
      .where('purpose', '=', 'news_image')
      .executeTakeFirst();
  },

  async imageByToken(db: Executor, token: string) {
    return db
      .selectFrom('notice_files')
      .select(['file_name', 'mime', 'storage_key'])
      .where('public_token', '=', token)
      .where('purpose', '=', 'news_image')
      .executeTakeFirst();
  },

  // ---- the worker's side ----
  /** The path of the worker's live membership union (在会 or 保留会籍), or undefined. */
  async workerUnionPath(db: Executor, workerId: string) {
    const r = await db
      .selectFrom('people as p')
      .innerJoin('memberships as m', 'm.person_id', 'p.id')
      .select('m.org_path')
      .where('p.worker_id', '=', workerId)
      .where('m.status', 'in', ['active', 'retained'])
      .orderBy('m.id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r?.org_path;
  },

  /** Published items targeted at one of `chain` (exact paths), newest first. */
  async feed(db: Executor, chain: string[], at: Date, f: { kind?: NewsKind; limit: number; offset: number }) {
    let q = db
      .selectFrom('news_items as n')
      .where('n.target_path', 'in', chain)
      .where('n.withdrawn_at', 'is', null)
      .where('n.publish_at', 'is not', null)
      .where('n.publish_at', '<=', at);
    if (f.kind) q = q.where('n.kind', '=', f.kind);
    const [items, total] = await Promise.all([
      q
        .innerJoin('orgs as o', 'o.id', 'n.org_id')
        .leftJoin('notice_files as c', 'c.id', 'n.cover_file_id')
        .select(['n.id', 'n.kind', 'n.title', 'n.summary', 'n.link', 'n.publish_at', 'n.read_count', 'o.name as org_name', 'c.public_token as cover_token'])
        .orderBy('n.publish_at', 'desc')
        .orderBy('n.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  async feedItem(db: Executor, chain: string[], at: Date, id: string) {
    return db
      .selectFrom('news_items as n')
      .innerJoin('orgs as o', 'o.id', 'n.org_id')
      .leftJoin('notice_files as c', 'c.id', 'n.cover_file_id')
      .select([
        'n.id',
        'n.kind',
        'n.title',
        'n.summary',
        'n.body_html',
        'n.link',
        'n.publish_at',
        'n.read_count',
        'o.name as org_name',
        'c.public_token as cover_token',
      ])
      .where('n.id', '=', id)
      .where('n.target_path', 'in', chain)
      .where('n.withdrawn_at', 'is', null)
      .where('n.publish_at', '<=', at)
      .executeTakeFirst();
  },

  /** A worker's first reading counts once: one statement inserts the read and bumps the count. */
  async recordRead(db: Executor, newsId: string, workerId: string, at: Date) {
    const r = await sql<{ read_count: number }>`
      with ins as (
        insert into news_reads (news_id, worker_id, read_at) values (${newsId}, ${workerId}, ${at})
        on conflict do nothing returning news_id
      )
      update news_items set read_count = read_count + 1 where id in (select news_id from ins) returning read_count`.execute(db);
    return r.rows[0]?.read_count ?? null;
  },
};
