import { z } from 'zod';
import type { App, StaffActor, WorkerActor } from '../../platform/context.js';
import { idParam, okResponse, pageQuery } from '../../platform/pagination.js';
import type { MessagesService, Recipient } from './messages.service.js';

const listQuery = z.strictObject({ ...pageQuery, unreadOnly: z.stringbool().default(false) });
const message = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  category: z.string(),
  read: z.boolean(),
  createdAt: z.string(),
});
const listResponse = z.object({ items: z.array(message), total: z.number().int(), unread: z.number().int() });
const countResponse = z.object({ unread: z.number().int() });
const readAllResponse = z.object({ ok: z.literal(true), marked: z.number().int() });

const workerOf = (req: { actor: unknown }): Recipient => ({ workerId: (req.actor as WorkerActor).workerId });
const staffOf = (req: { actor: unknown }): Recipient => ({ accountId: (req.actor as StaffActor).accountId });

// The same four routes for workers (/api/worker/messages) and staff (/api/messages): only one's own.
export function messagesRoutes(app: App, messages: MessagesService) {
  for (const [prefix, access, who, tag] of [
    ['/api/worker/messages', 'worker', workerOf, '我的消息'],
    ['/api/messages', 'staff', staffOf, '站内消息'],
  ] as const) {
    app.get(
      prefix,
      { config: { access }, schema: { tags: ['messages'], summary: `${tag}（新的在前）`, querystring: listQuery, response: { 200: listResponse } } },
      async (req) => messages.list(who(req), req.query),
    );
    app.get(
      `${prefix}/unread-count`,
      { config: { access }, schema: { tags: ['messages'], summary: `${tag}：未读数`, response: { 200: countResponse } } },
      async (req) => ({ unread: await messages.unreadCount(who(req)) }),
    );
    app.post(
      `${prefix}/:id/read`,
      { config: { access }, schema: { tags: ['messages'], summary: `${tag}：标为已读`, params: idParam, response: { 200: okResponse } } },
      async (req) => {
        await messages.markRead(who(req), req.params.id);
        return { ok: true as const };
      },
    );
    app.post(
      `${prefix}/read-all`,
      { config: { access }, schema: { tags: ['messages'], summary: `${tag}：全部标为已读`, response: { 200: readAllResponse } } },
      async (req) => ({ ok: true as const, marked: await messages.markRead(who(req)) }),
    );
  }
}
