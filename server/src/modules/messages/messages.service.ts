// The message centre: in-app messages for workers (H5 消息) and staff (console bell), and SMS for
// status changes through the SMS provider. Messages are written inside the caller's transaction,
// so a rolled-back action leaves no message; SMS goes after the commit, best effort.
import type { Kysely, RawBuilder, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { messagesRepository, type NewMessage, type Recipient } from './messages.repository.js';

export type MessageCategory = 'join' | 'application' | 'hardship' | 'aid' | 'activity' | 'rights' | 'enterprise' | 'contract' | 'notice' | 'funds' | 'system';
export type { Recipient };

export interface MessageInput {
  title: string;
  body: string;
  /** An in-app link: `/h5/#/…` for workers, `/admin/#/…` for staff. */
  link?: string | null;
  category: MessageCategory;
}

export function createMessagesService(deps: AppDeps) {
  const db: Kysely<DB> = deps.database.db;

  /** Writes an in-app message in the caller's transaction. */
  async function send(trx: Transaction<DB> | Kysely<DB>, to: Recipient, m: MessageInput) {
    const row: NewMessage = { title: m.title, body: m.body, link: m.link ?? null, category: m.category, at: deps.clock.now() };
    await messagesRepository.insert(trx, to, row);
  }

  return {
    send,

    /** The message as part of a caller's single statement (one row per row of the CTE `source`): see `send`. */
    sendFrom(source: string, to: Recipient, m: Omit<MessageInput, 'body'> & { body: string | RawBuilder<string> }) {
      return messagesRepository.insertFrom(source, to, { title: m.title, body: m.body, link: m.link ?? null, category: m.category, at: deps.clock.now() });
    },

    /** Writes the message, in the caller's transaction, to every active account of union `orgId` holding `permission`; returns how many. */
    async sendToStaff(trx: Transaction<DB> | Kysely<DB>, to: { orgId: string; permission: string }, m: MessageInput) {
      const accounts = await messagesRepository.activeStaffOf(trx, to.orgId, to.permission);
      for (const a of accounts) await send(trx, { accountId: a.id }, m);
      return accounts.length;
    },

    /**
     * One statement: the message to every active account, in any of the unions `orgIds`, holding
     * `permission` (a notice to thousands of unions); in the caller's transaction. Returns how many.
     */
    async sendToStaffOfUnions(trx: Transaction<DB> | Kysely<DB>, to: { orgIds: readonly string[]; permission: string }, m: MessageInput) {
      if (!to.orgIds.length) return 0;
      const row: NewMessage = { title: m.title, body: m.body, link: m.link ?? null, category: m.category, at: deps.clock.now() };
      return messagesRepository.insertForStaffOf(trx, to.orgIds, to.permission, row);
    },

    /** Sends an SMS to a worker's phone after the change has committed; failures are logged, not thrown. */
    async smsWorker(workerId: string | null, text: string) {
      if (!workerId) return;
      const w = await messagesRepository.workerPhone(db, workerId);
      if (!w) return;
      await deps.sms.send(deps.crypto.decrypt(w.phone_enc), text.startsWith('【') ? text : `【智慧工会】${text}`).catch((err: unknown) => {
        console.error('sms failed', err);
      });
    },

    async list(to: Recipient, f: { page: number; pageSize: number; unreadOnly: boolean }) {
      const r = await messagesRepository.page(db, to, { unreadOnly: f.unreadOnly, limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
      return {
        total: r.total,
        unread: await messagesRepository.unreadCount(db, to),
        items: r.items.map((m) => ({
          id: m.id,
          title: m.title,
          body: m.body,
          link: m.link,
          category: m.category,
          read: !!m.read_at,
          createdAt: m.created_at.toISOString(),
        })),
      };
    },

    unreadCount: (to: Recipient) => messagesRepository.unreadCount(db, to),

    /** Marking read is the recipient's own bookkeeping: not audited. Another's message: 404. */
    async markRead(to: Recipient, messageId?: string) {
      if (messageId && !(await messagesRepository.exists(db, to, messageId))) throw notFound('消息');
      return messagesRepository.markRead(db, to, deps.clock.now(), messageId);
    },
  };
}

export type MessagesService = ReturnType<typeof createMessagesService>;
