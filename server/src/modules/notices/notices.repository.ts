// 通知公告: all SQL. A notice is visible to the sender's subtree (org_path prefix) and to each
// recipient union (its notice_recipients row); every read by id says which in the query itself.
import { sql, type Insertable } from 'kysely';
import type { OrgType } from '../../db/schema.js';
import type { NoticeFilePurpose, NoticeFilesTable, NoticesTable } from '../../db/schema-notices.js';
import type { Executor } from '../audit/audit.repository.js';

export interface AudienceQuery {
  /** The sender's path: recipients are strictly below it. */
  senderPath: string;
  roots: { path: string; types: OrgType[] }[];
  orgIds: string[];
}

export interface ReceivedFilters {
  q?: string;
  status?: 'unread' | 'unreplied';
  limit: number;
  offset: number;
}

export interface RecipientFilters {
  status?: 'unread' | 'read' | 'unreplied' | 'replied' | 'late';
  limit: number;
  offset: number;
}

/** The unions an audience names: active, strictly below the sender, under a root at one of its levels, or named one by one. */
function audienceWhere(a: AudienceQuery) {
  const parts = [
    ...a.roots.map((r) => sql`(o.path like ${`${r.path}%`} and o.type in (${sql.join(r.types)}))`),
    ...(a.orgIds.length ? [sql`o.id = any(${sql.val(a.orgIds)}::int8[])`] : []),
  ];
  return sql`o.status = 'active' and o.path like ${`${a.senderPath}%`} and o.path <> ${a.senderPath} and (${parts.length ? sql.join(parts, sql` or `) : sql`false`})`;
}

const READ_COUNT = sql<string>`(select count(*) from notice_recipients r where r.notice_id = n.id and r.read_at is not null)::text`;
const REPLIED_COUNT = sql<string>`(select count(*) from notice_recipients r where r.notice_id = n.id and r.replied_at is not null)::text`;

export const noticesRepository = {
  // ---- files ----
  async insertFile(db: Executor, row: Insertable<NoticeFilesTable>) {
    return db.insertInto('notice_files').values(row).returning(['id', 'file_name', 'kind', 'mime', 'size', 'public_token']).executeTakeFirstOrThrow();
  },

  /** What an account uploaded since `since` (the daily cap). */
  async uploadsSince(db: Executor, accountId: string, since: Date) {
    const r = await db
      .selectFrom('notice_files')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.coalesce(eb.fn.sum<string>('size'), sql<string>`0`).as('bytes')])
      .where('uploaded_by', '=', accountId)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return { files: Number(r.n), bytes: Number(r.bytes) };
  },

  /** The caller's own uploads of one purpose that nothing uses yet (attachments and 回执 files are used once). */
  async unusedFilesOf(db: Executor, accountId: string, purpose: NoticeFilePurpose, ids: string[]) {
    if (!ids.length) return [];
    return db
      .selectFrom('notice_files as f')
      .select(['f.id', 'f.file_name'])
      .where('f.id', 'in', ids)
      .where('f.uploaded_by', '=', accountId)
      .where('f.purpose', '=', purpose)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('notice_attachments as na').select('na.file_id').whereRef('na.file_id', '=', 'f.id'))))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('notice_recipients as nr').select('nr.org_id').whereRef('nr.reply_file_id', '=', 'f.id'))))
      .execute();
  },

  async fileById(db: Executor, id: string) {
    return db.selectFrom('notice_files').select(['id', 'file_name', 'mime', 'storage_key', 'purpose']).where('id', '=', id).executeTakeFirst();
  },

  // ---- audience and publishing ----
  /** Orgs named by the sender (roots, single unions) inside its subtree. */
  async orgsInScope(db: Executor, scopePath: string, ids: string[]) {
    if (!ids.length) return [];
    return db.selectFrom('orgs').select(['id', 'name', 'path', 'type']).where('id', 'in', ids).where('path', 'like', `${scopePath}%`).execute();
  },

  /** How many unions an audience names, by level (the compose dialog's preview). */
  async countAudience(db: Executor, a: AudienceQuery) {
    const r = await sql<{ type: OrgType; n: string }>`select o.type, count(*)::text as n from orgs o where ${audienceWhere(a)} group by o.type`.execute(db);
    return r.rows;
  },

  async insertNotice(db: Executor, row: Insertable<NoticesTable>) {
    return db.insertInto('notices').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async setRecipientCount(db: Executor, id: string, n: number) {
    await db.updateTable('notices').set({ recipient_count: n }).where('id', '=', id).execute();
  },

  /** One recipient row per union of the audience, in one statement; the unions' ids back. */
  async insertRecipients(db: Executor, noticeId: string, a: AudienceQuery) {
    const r = await sql<{ org_id: string }>`
      insert into notice_recipients (notice_id, org_id, org_path)
      select ${noticeId}::int8, o.id, o.path from orgs o where ${audienceWhere(a)}
      returning org_id::text`.execute(db);
    return r.rows.map((x) => x.org_id);
  },

  async insertAttachments(db: Executor, noticeId: string, fileIds: string[]) {
    if (!fileIds.length) return;
    await db
      .insertInto('notice_attachments')
      .values(fileIds.map((file_id, i) => ({ notice_id: noticeId, file_id, sort_order: i })))
      .execute();
  },

  // ---- lists ----
  async received(db: Executor, orgId: string, f: ReceivedFilters) {
    let q = db
      .selectFrom('notice_recipients as r')
      .innerJoin('notices as n', 'n.id', 'r.notice_id')
      .innerJoin('orgs as o', 'o.id', 'n.org_id')
      .where('r.org_id', '=', orgId);
    if (f.q) q = q.where('n.title', 'like', `%${f.q}%`);
    if (f.status === 'unread') q = q.where('r.read_at', 'is', null).where('n.withdrawn_at', 'is', null);
    if (f.status === 'unreplied') q = q.where('n.receipt_required', '=', true).where('r.replied_at', 'is', null).where('n.withdrawn_at', 'is', null);
    const [items, total] = await Promise.all([
      q
        .select([
          'n.id',
          'n.title',
          'n.published_at',
          'n.receipt_required',
          'n.receipt_deadline',
          'o.name as sender_name',
          'n.withdrawn_at',
          'r.read_at',
          'r.replied_at',
          'r.reminded_at',
        ])
        .orderBy('n.published_at', 'desc')
        .orderBy('n.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  /** Notices the union itself sent, with read and 回执 counts. */
  async sent(db: Executor, orgId: string, f: { q?: string; limit: number; offset: number }) {
    let q = db.selectFrom('notices as n').where('n.org_id', '=', orgId);
    if (f.q) q = q.where('n.title', 'like', `%${f.q}%`);
    const [items, total] = await Promise.all([
      q
        .select([
          'n.id',
          'n.title',
          'n.published_at',
          'n.receipt_required',
          'n.receipt_deadline',
          'n.recipient_count',
          'n.created_by_name',
          'n.withdrawn_at',
          READ_COUNT.as('read_count'),
          REPLIED_COUNT.as('replied_count'),
        ])
        .orderBy('n.published_at', 'desc')
        .orderBy('n.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  /** How many received notices the union has not opened (the console badge); a withdrawn one is not waiting. */
  async unreadCount(db: Executor, orgId: string) {
    const r = await db
      .selectFrom('notice_recipients as r')
      .innerJoin('notices as n', 'n.id', 'r.notice_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('r.org_id', '=', orgId)
      .where('r.read_at', 'is', null)
      .where('n.withdrawn_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  // ---- one notice ----
  /**
   * The notice when the caller may see it: sent inside the caller's subtree (`sent`), or addressed to
   * the caller's union (`mine`: its recipient row). Neither: undefined (404).
   */
  async visible(db: Executor, scopePath: string, orgId: string, id: string) {
    return db
      .selectFrom('notices as n')
      .innerJoin('orgs as o', 'o.id', 'n.org_id')
      .leftJoin('notice_recipients as r', (j) => j.onRef('r.notice_id', '=', 'n.id').on('r.org_id', '=', orgId))
      .select([
        'n.id',
        'n.org_id',
        'n.org_path',
        'o.name as sender_name',
        'n.title',
        'n.body',
        'n.receipt_required',
        'n.receipt_prompt',
        'n.receipt_deadline',
        'n.audience',
        'n.recipient_count',
        'n.created_by_name',
        'n.published_at',
        'n.withdrawn_at',
        'n.withdrawn_by_name',
        'n.withdraw_reason',
        sql<boolean>`n.org_path like ${`${scopePath}%`}`.as('in_scope'),
        'r.org_id as my_org_id',
        'r.read_at as my_read_at',
        'r.replied_at as my_replied_at',
        'r.replied_by_name as my_replied_by_name',
        'r.reply_text as my_reply_text',
        'r.reply_file_id as my_reply_file_id',
      ])
      .where('n.id', '=', id)
      .where((eb) => eb.or([eb('n.org_path', 'like', `${scopePath}%`), eb('r.org_id', 'is not', null)]))
      .executeTakeFirst();
  },

  async attachments(db: Executor, noticeId: string) {
    return db
      .selectFrom('notice_attachments as a')
      .innerJoin('notice_files as f', 'f.id', 'a.file_id')
      .select(['f.id', 'f.file_name', 'f.kind', 'f.mime', 'f.size'])
      .where('a.notice_id', '=', noticeId)
      .orderBy('a.sort_order')
      .execute();
  },

  /** Recipients with their read / 回执 state (the sender's table). */
  async recipients(db: Executor, noticeId: string, deadline: Date | null, f: RecipientFilters) {
    let q = db
      .selectFrom('notice_recipients as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .leftJoin('notice_files as f', 'f.id', 'r.reply_file_id')
      .where('r.notice_id', '=', noticeId);
    if (f.status === 'unread') q = q.where('r.read_at', 'is', null);
    if (f.status === 'read') q = q.where('r.read_at', 'is not', null);
    if (f.status === 'unreplied') q = q.where('r.replied_at', 'is', null);
    if (f.status === 'replied') q = q.where('r.replied_at', 'is not', null);
    if (f.status === 'late') q = deadline ? q.where('r.replied_at', '>', deadline) : q.where(sql<boolean>`false`);
    const [items, total] = await Promise.all([
      q
        .select([
          'r.org_id',
          'o.name as org_name',
          'o.type as org_type',
          'r.read_at',
          'r.read_by_name',
          'r.replied_at',
          'r.replied_by_name',
          'r.reply_text',
          'r.reply_file_id',
          'f.file_name as reply_file_name',
          'r.reminded_at',
          'r.remind_count',
        ])
        // Who still owes something first, then by the tree.
        .orderBy(sql`r.replied_at is not null`)
        .orderBy(sql`r.read_at is not null`)
        .orderBy('o.path')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  async recipientFigures(db: Executor, noticeId: string, deadline: Date | null) {
    const r = await db
      .selectFrom('notice_recipients')
      .select([
        sql<string>`count(*)::text`.as('total'),
        sql<string>`count(read_at)::text`.as('read'),
        sql<string>`count(replied_at)::text`.as('replied'),
        (deadline ? sql<string>`count(*) filter (where replied_at > ${deadline})::text` : sql<string>`'0'`).as('late'),
      ])
      .where('notice_id', '=', noticeId)
      .executeTakeFirstOrThrow();
    return { total: Number(r.total), read: Number(r.read), replied: Number(r.replied), late: Number(r.late) };
  },

  /** The union's first opening: later ones change nothing. */
  async markRead(db: Executor, noticeId: string, orgId: string, at: Date, byName: string) {
    const r = await db
      .updateTable('notice_recipients')
      .set({ read_at: at, read_by_name: byName })
      .where('notice_id', '=', noticeId)
      .where('org_id', '=', orgId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  /** The union's 回执, once; no row when it has already replied. */
  async reply(db: Executor, noticeId: string, orgId: string, at: Date, byName: string, text: string | null, fileId: string | null) {
    return db
      .updateTable('notice_recipients')
      .set({
        replied_at: at,
        replied_by_name: byName,
        reply_text: text,
        reply_file_id: fileId,
        read_at: sql`coalesce(read_at, ${at})`,
        read_by_name: sql`coalesce(read_by_name, ${byName})`,
      })
      .where('notice_id', '=', noticeId)
      .where('org_id', '=', orgId)
      .where('replied_at', 'is', null)
      .returning(['org_id'])
      .executeTakeFirst();
  },

  /** Marks the unions still owing (unread, or without a 回执) as reminded; their ids back. */
  async remind(db: Executor, noticeId: string, which: 'unread' | 'unreplied', at: Date) {
    const r = await db
      .updateTable('notice_recipients')
      .set({ reminded_at: at, remind_count: sql`remind_count + 1` })
      .where('notice_id', '=', noticeId)
      .where(which === 'unread' ? 'read_at' : 'replied_at', 'is', null)
      .returning(['org_id'])
      .execute();
    return r.map((x) => x.org_id);
  },

  /** A file of the notice: an attachment, or a 回执 file (of the caller's own union unless `anyReply`). */
  /** 撤回 once: answers false when it was withdrawn already. */
  async withdraw(db: Executor, id: string, at: Date, byName: string, reason: string) {
    const r = await db
      .updateTable('notices')
      .set({ withdrawn_at: at, withdrawn_by_name: byName, withdraw_reason: reason })
      .where('id', '=', id)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Every recipient union of a notice (to tell them it was withdrawn). */
  async recipientOrgIds(db: Executor, id: string) {
    return (await db.selectFrom('notice_recipients').select('org_id').where('notice_id', '=', id).execute()).map((r) => r.org_id);
  },

  async noticeFile(db: Executor, noticeId: string, fileId: string, replyOf: { orgId: string } | 'any') {
    return db
      .selectFrom('notice_files as f')
      .select(['f.id', 'f.file_name', 'f.mime', 'f.storage_key'])
      .where('f.id', '=', fileId)
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('notice_attachments as a').select('a.file_id').whereRef('a.file_id', '=', 'f.id').where('a.notice_id', '=', noticeId)),
          eb.exists(
            (() => {
              let q = eb.selectFrom('notice_recipients as r').select('r.org_id').whereRef('r.reply_file_id', '=', 'f.id').where('r.notice_id', '=', noticeId);
              if (replyOf !== 'any') q = q.where('r.org_id', '=', replyOf.orgId);
              return q;
            })(),
          ),
        ]),
      )
      .executeTakeFirst();
  },
};
