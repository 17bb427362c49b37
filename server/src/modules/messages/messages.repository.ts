import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

export type Executor = Kysely<DB> | Transaction<DB>;
export type Recipient = { workerId: string } | { accountId: string };

export interface NewMessage {
  title: string;
  body: string;
  link: string | null;
  category: string;
  /** When it was written: the app's clock (so a replayed story — the demo seed — dates its messages in the story). */
  at?: Date;
}

const owner = (r: Recipient) => ('workerId' in r ? (['worker_id', r.workerId] as const) : (['account_id', r.accountId] as const));

export const messagesRepository = {
  /**
   * The message as one insert of a caller's single statement: written once per row of the CTE
   * `source`; `body` may be an expression over that statement (a name it read).
   */
  insertFrom(source: string, to: Recipient, m: Omit<NewMessage, 'body'> & { body: string | RawBuilder<string> }) {
    return sql`
      insert into messages (worker_id, account_id, title, body, link, category, created_at)
      select ${'workerId' in to ? to.workerId : null}::int8, ${'accountId' in to ? to.accountId : null}::int8, ${m.title}::text, ${m.body}::text, ${m.link}::text, ${m.category}::text,
        coalesce(${m.at ?? null}::timestamptz, now())
      from ${sql.table(source)}`;
  },

  async insert(db: Executor, to: Recipient, m: NewMessage) {
    await db
      .insertInto('messages')
      .values({
        worker_id: 'workerId' in to ? to.workerId : null,
        account_id: 'accountId' in to ? to.accountId : null,
        title: m.title,
        body: m.body,
        link: m.link,
        category: m.category,
        ...(m.at ? { created_at: m.at } : {}),
      })
      .execute();
  },

  /** The same message to every active account of the unions `orgIds` holding `permission` through a role; returns how many. */
  async insertForStaffOf(db: Executor, orgIds: readonly string[], permission: string, m: NewMessage) {
    const r = await sql`
      insert into messages (account_id, title, body, link, category, created_at)
      select a.id, ${m.title}::text, ${m.body}::text, ${m.link}::text, ${m.category}::text, coalesce(${m.at ?? null}::timestamptz, now())
      from staff_accounts a
      where a.org_id = any(${sql.val(orgIds.map(String))}::int8[]) and a.status = 'active'
        and exists (select 1 from account_roles ar join roles r on r.id = ar.role_id
                    where ar.account_id = a.id and ${permission} = any(r.permissions))`.execute(db);
    return Number(r.numAffectedRows ?? 0);
  },

  async page(db: Executor, to: Recipient, f: { unreadOnly: boolean; limit: number; offset: number }) {
    const [col, id] = owner(to);
    let q = db.selectFrom('messages').where(col, '=', id);
    if (f.unreadOnly) q = q.where('read_at', 'is', null);
    const [items, total] = await Promise.all([
      q
        .select(['id', 'title', 'body', 'link', 'category', 'read_at', 'created_at'])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  async unreadCount(db: Executor, to: Recipient) {
    const [col, id] = owner(to);
    const r = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(col, '=', id)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /** Marks one message (or all, without an id) read; only the recipient's own. */
  async markRead(db: Executor, to: Recipient, at: Date, messageId?: string) {
    const [col, id] = owner(to);
    let q = db.updateTable('messages').set({ read_at: at }).where(col, '=', id).where('read_at', 'is', null);
    if (messageId) q = q.where('id', '=', messageId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async exists(db: Executor, to: Recipient, messageId: string) {
    const [col, id] = owner(to);
    return !!(await db.selectFrom('messages').select('id').where('id', '=', messageId).where(col, '=', id).executeTakeFirst());
  },

  /** Active accounts of one union holding `permission` through a role. */
  async activeStaffOf(db: Executor, orgId: string, permission: string) {
    return db
      .selectFrom('staff_accounts as a')
      .select('a.id')
      .where('a.org_id', '=', orgId)
      .where('a.status', '=', 'active')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('account_roles as ar')
            .innerJoin('roles as r', 'r.id', 'ar.role_id')
            .select('ar.role_id')
            .whereRef('ar.account_id', '=', 'a.id')
            .where(sql<boolean>`${permission} = any(r.permissions)`),
        ),
      )
      .orderBy('a.id')
      .execute();
  },

  async workerPhone(db: Executor, workerId: string) {
    return db.selectFrom('workers').select('phone_enc').where('id', '=', workerId).executeTakeFirst();
  },
};
