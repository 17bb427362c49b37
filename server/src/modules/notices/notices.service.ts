// 通知公告 down the tree (issue 15 item 6, decision 025): a union's staff send a notice to chosen
// unions of their subtree — subtree roots with the levels below them, or unions one by one — with
// attachments and an optional 回执 by a deadline. Each recipient union's staff get a console message;
// the union's first opening marks it read; the sender sees per union who read and who replied, and
// reminds the rest. A notice is seen by the sender's subtree and by its recipient unions only.
import type { Kysely } from 'kysely';
import type { DB, OrgType } from '../../db/schema.js';
import type { NoticeAudience } from '../../db/schema-notices.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { ORG_TYPES } from '../orgs/orgs.schema.js';
import type { NoticeFiles } from './notices.files.js';
import { noticesRepository as repo, type AudienceQuery } from './notices.repository.js';
import type { AudienceInput, PublishNoticeInput } from './notices.schema.js';

/** A notice reaches at most this many unions (a city's every village is ~2,500). */
export const MAX_RECIPIENTS = 5000;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const link = (id: string) => `/admin/#/notices/${id}`;

export function createNoticesService(ctx: ModuleContext, files: NoticeFiles) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  /** The audience as SQL terms, every named org inside the sender's subtree (else 404, as if it did not exist). */
  async function resolveAudience(actor: StaffActor, a: AudienceInput): Promise<{ query: AudienceQuery; stored: NoticeAudience }> {
    const ids = [...new Set([...a.roots.map((r) => r.orgId), ...a.orgIds])];
    const found = new Map((await repo.orgsInScope(db, actor.orgPath, ids)).map((o) => [o.id, o]));
    for (const id of ids) if (!found.has(id)) throw notFound('接收单位');
    return {
      query: {
        senderPath: actor.orgPath,
        roots: a.roots.map((r) => ({ path: found.get(r.orgId)!.path, types: [...new Set(r.types)] as OrgType[] })),
        orgIds: a.orgIds,
      },
      stored: {
        roots: a.roots.map((r) => ({ orgId: r.orgId, name: found.get(r.orgId)!.name, types: r.types })),
        orgs: a.orgIds.map((id) => ({ orgId: id, name: found.get(id)!.name })),
      },
    };
  }

  async function visibleOrThrow(actor: StaffActor, id: string) {
    const n = await repo.visible(db, actor.orgPath, actor.orgId, id);
    if (!n) throw notFound('通知公告');
    return n;
  }

  /** The sender's side (read / 回执 table, reminders): the notice was sent inside the caller's subtree. */
  async function sentOrThrow(actor: StaffActor, id: string) {
    const n = await visibleOrThrow(actor, id);
    if (!n.in_scope) throw notFound('通知公告');
    return n;
  }

  const deadlinePassed = (deadline: Date | null) => !!deadline && now().getTime() > deadline.getTime();

  return {
    /** How many unions an audience reaches, by level (before sending). */
    async previewAudience(actor: StaffActor, a: AudienceInput) {
      const { query } = await resolveAudience(actor, a);
      const rows = await repo.countAudience(db, query);
      const byType = rows.map((r) => ({ type: r.type, label: ORG_TYPES[r.type], count: Number(r.n) }));
      return { total: byType.reduce((s, r) => s + r.count, 0), byType, max: MAX_RECIPIENTS };
    },

    async publish(actor: StaffActor, meta: RequestMeta, input: PublishNoticeInput) {
      const { query, stored } = await resolveAudience(actor, input.audience);
      const at = now();
      if (input.receipt && input.receipt.deadline.getTime() <= at.getTime()) {
        throw invalid({ 'receipt.deadline': '回执截止时间应晚于现在' });
      }
      const senderName = (await ctx.orgs.findInScope(actor, actor.orgId))?.name ?? '上级工会';
      return db.transaction().execute(async (trx) => {
        const attachments = await repo.unusedFilesOf(trx, actor.accountId, 'attachment', input.attachmentIds);
        if (attachments.length !== new Set(input.attachmentIds).size) throw invalid({ attachmentIds: '附件不存在或已被使用，请重新上传' });
        const notice = await repo.insertNotice(trx, {
          org_id: actor.orgId,
          org_path: actor.orgPath,
          title: input.title,
          body: input.body,
          receipt_required: !!input.receipt,
          receipt_prompt: input.receipt?.prompt ?? null,
          receipt_deadline: input.receipt?.deadline ?? null,
          audience: JSON.stringify(stored),
          recipient_count: 0,
          created_by: actor.accountId,
          created_by_name: actor.displayName,
          published_at: at,
        });
        const orgIds = await repo.insertRecipients(trx, notice.id, query);
        if (!orgIds.length) throw invalid({ audience: '所选范围内没有可接收的工会' }, '所选范围内没有可接收的工会，请调整接收范围或层级');
        if (orgIds.length > MAX_RECIPIENTS)
          throw invalid({ audience: `一次最多发送给 ${MAX_RECIPIENTS} 个工会` }, `所选范围共 ${orgIds.length} 个工会，一次最多发送给 ${MAX_RECIPIENTS} 个`);
        await repo.setRecipientCount(trx, notice.id, orgIds.length);
        await repo.insertAttachments(trx, notice.id, [...new Set(input.attachmentIds)]);
        const deadline = input.receipt ? `，请于 ${input.receipt.deadline.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })} 前回执` : '';
        const notified = await ctx.messages.sendToStaffOfUnions(
          trx,
          { orgIds, permission: 'notice:read' },
          {
            title: `通知公告：${input.title}`,
            body: `${senderName}发布${deadline}`,
            link: link(notice.id),
            category: 'notice',
          },
        );
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'notice.publish',
          targetType: 'notice',
          targetId: notice.id,
          orgId: actor.orgId,
          outcome: 'success',
          detail: { title: input.title, recipients: orgIds.length, notifiedAccounts: notified, receipt: !!input.receipt, attachments: attachments.length },
        });
        return { id: notice.id, recipientCount: orgIds.length, notified };
      });
    },

    async received(actor: StaffActor, q: { page: number; pageSize: number; q?: string; status?: 'unread' | 'unreplied' }) {
      const r = await repo.received(db, actor.orgId, { q: q.q, status: q.status, limit: q.pageSize, offset: offsetOf(q) });
      return {
        total: r.total,
        unread: await repo.unreadCount(db, actor.orgId),
        items: r.items.map((n) => ({
          id: n.id,
          title: n.title,
          senderName: n.sender_name,
          publishedAt: n.published_at.toISOString(),
          receiptRequired: n.receipt_required,
          receiptDeadline: iso(n.receipt_deadline),
          overdue: n.receipt_required && !n.replied_at && !n.withdrawn_at && deadlinePassed(n.receipt_deadline),
          withdrawnAt: iso(n.withdrawn_at),
          readAt: iso(n.read_at),
          repliedAt: iso(n.replied_at),
          remindedAt: iso(n.reminded_at),
        })),
      };
    },

    async sent(actor: StaffActor, q: { page: number; pageSize: number; q?: string }) {
      const r = await repo.sent(db, actor.orgId, { q: q.q, limit: q.pageSize, offset: offsetOf(q) });
      return {
        total: r.total,
        items: r.items.map((n) => ({
          id: n.id,
          title: n.title,
          publishedAt: n.published_at.toISOString(),
          createdByName: n.created_by_name,
          receiptRequired: n.receipt_required,
          receiptDeadline: iso(n.receipt_deadline),
          recipientCount: n.recipient_count,
          withdrawnAt: iso(n.withdrawn_at),
          readCount: Number(n.read_count),
          repliedCount: Number(n.replied_count),
        })),
      };
    },

    unreadCount: async (actor: StaffActor) => ({ unread: await repo.unreadCount(db, actor.orgId) }),

    /** One notice; a recipient union's first opening marks it read (the union's bookkeeping, not audited, like messages). */
    async get(actor: StaffActor, id: string) {
      const n = await visibleOrThrow(actor, id);
      let readAt = n.my_read_at;
      if (n.my_org_id && !readAt) {
        readAt = now();
        if (!(await repo.markRead(db, id, actor.orgId, readAt, actor.displayName))) readAt = n.my_read_at ?? readAt;
      }
      const replyFile = n.my_reply_file_id ? await repo.fileById(db, n.my_reply_file_id) : undefined;
      // A withdrawn notice: the recipients keep its title and why it was withdrawn, not its content.
      const hidden = !!n.withdrawn_at && !n.in_scope;
      return {
        id: n.id,
        title: n.title,
        body: hidden ? '' : n.body,
        withdrawn: n.withdrawn_at ? { at: n.withdrawn_at.toISOString(), byName: n.withdrawn_by_name, reason: n.withdraw_reason } : null,
        senderOrgId: n.org_id,
        senderName: n.sender_name,
        createdByName: n.created_by_name,
        publishedAt: n.published_at.toISOString(),
        receiptRequired: n.receipt_required,
        receiptPrompt: n.receipt_prompt,
        receiptDeadline: iso(n.receipt_deadline),
        deadlinePassed: deadlinePassed(n.receipt_deadline),
        attachments: hidden ? [] : (await repo.attachments(db, id)).map((f) => ({ id: f.id, name: f.file_name, kind: f.kind, size: f.size })),
        /** The caller's union as a recipient (收到的), or null. */
        mine: n.my_org_id
          ? {
              readAt: iso(readAt),
              repliedAt: iso(n.my_replied_at),
              repliedByName: n.my_replied_by_name,
              replyText: n.my_reply_text,
              replyFile: replyFile ? { id: replyFile.id, name: replyFile.file_name } : null,
            }
          : null,
        /** The sender's side (in the caller's subtree): the audience and the figures. */
        sent: n.in_scope
          ? {
              audience: n.audience,
              recipientCount: n.recipient_count,
              figures: await repo.recipientFigures(db, id, n.receipt_deadline),
              canRemind: actor.permissions.has('notice:publish') && !n.withdrawn_at,
              canWithdraw: actor.permissions.has('notice:publish') && n.org_id === actor.orgId && !n.withdrawn_at,
            }
          : null,
      };
    },

    async recipients(actor: StaffActor, id: string, q: { page: number; pageSize: number; status?: 'unread' | 'read' | 'unreplied' | 'replied' | 'late' }) {
      const n = await sentOrThrow(actor, id);
      const r = await repo.recipients(db, id, n.receipt_deadline, { status: q.status, limit: q.pageSize, offset: offsetOf(q) });
      return {
        total: r.total,
        items: r.items.map((x) => ({
          orgId: x.org_id,
          orgName: x.org_name,
          orgType: x.org_type,
          orgTypeLabel: ORG_TYPES[x.org_type],
          readAt: iso(x.read_at),
          readByName: x.read_by_name,
          repliedAt: iso(x.replied_at),
          repliedByName: x.replied_by_name,
          replyText: x.reply_text,
          replyFile: x.reply_file_id ? { id: x.reply_file_id, name: x.reply_file_name } : null,
          late: !!(x.replied_at && n.receipt_deadline && x.replied_at > n.receipt_deadline),
          remindedAt: iso(x.reminded_at),
          remindCount: x.remind_count,
        })),
      };
    },

    /** The recipient union's 回执: once, a text and/or a file; after the deadline it is still taken and marked late. */
    async reply(actor: StaffActor, meta: RequestMeta, id: string, input: { text: string | null; fileId?: string | null }) {
      const n = await visibleOrThrow(actor, id);
      if (!n.my_org_id) throw notFound('通知公告');
      if (!n.receipt_required) throw new AppError('CONFLICT', '该通知无需回执');
      if (n.withdrawn_at) throw new AppError('CONFLICT', '该通知已撤回，无需回执');
      const at = now();
      return db.transaction().execute(async (trx) => {
        if (input.fileId && !(await repo.unusedFilesOf(trx, actor.accountId, 'reply', [input.fileId])).length) {
          throw invalid({ fileId: '回执文件不存在或已被使用，请重新上传' });
        }
        const done = await repo.reply(trx, id, actor.orgId, at, actor.displayName, input.text, input.fileId ?? null);
        if (!done) throw conflict('本单位已回执，不能重复提交');
        const late = deadlinePassed(n.receipt_deadline);
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'notice.reply',
          targetType: 'notice',
          targetId: id,
          orgId: actor.orgId,
          outcome: 'success',
          detail: { file: !!input.fileId, late },
        });
        return { ok: true as const, repliedAt: at.toISOString(), late };
      });
    },

    /** One click: a message to the staff of every union that has not read (or not replied to) the notice. */
    async remind(actor: StaffActor, meta: RequestMeta, id: string, which: 'unread' | 'unreplied') {
      const n = await sentOrThrow(actor, id);
      if (which === 'unreplied' && !n.receipt_required) throw new AppError('CONFLICT', '该通知无需回执');
      if (n.withdrawn_at) throw new AppError('CONFLICT', '该通知已撤回，不能再提醒');
      const at = now();
      return db.transaction().execute(async (trx) => {
        const orgIds = await repo.remind(trx, id, which, at);
        if (!orgIds.length) throw new AppError('CONFLICT', which === 'unread' ? '所有单位均已阅读，无需提醒' : '所有单位均已回执，无需提醒');
        const notified = await ctx.messages.sendToStaffOfUnions(
          trx,
          { orgIds, permission: 'notice:read' },
          {
            title: which === 'unread' ? `提醒：请阅读通知「${n.title}」` : `提醒：请尽快回执「${n.title}」`,
            body: n.receipt_deadline
              ? `回执截止 ${n.receipt_deadline.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}（${n.sender_name}）`
              : `${n.sender_name}提醒`,
            link: link(id),
            category: 'notice',
          },
        );
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'notice.remind',
          targetType: 'notice',
          targetId: id,
          orgId: actor.orgId,
          outcome: 'success',
          detail: { which, unions: orgIds.length, notifiedAccounts: notified },
        });
        return { reminded: orgIds.length, notified };
      });
    },

    /**
     * 撤回 a notice sent by mistake: only the union that sent it (its staff who publish), once, with a
     * reason; every recipient union's staff get a message saying so.
     */
    async withdraw(actor: StaffActor, meta: RequestMeta, id: string, reason: string) {
      const n = await sentOrThrow(actor, id);
      if (n.org_id !== actor.orgId) throw new AppError('FORBIDDEN', '只有发文单位可以撤回通知');
      const at = now();
      return db.transaction().execute(async (trx) => {
        if (!(await repo.withdraw(trx, id, at, actor.displayName, reason))) throw conflict('该通知已撤回');
        const orgIds = await repo.recipientOrgIds(trx, id);
        const notified = await ctx.messages.sendToStaffOfUnions(
          trx,
          { orgIds, permission: 'notice:read' },
          { title: `通知已撤回：${n.title}`, body: `${n.sender_name}撤回了该通知。原因：${reason}`, link: link(id), category: 'notice' },
        );
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'notice.withdraw',
          targetType: 'notice',
          targetId: id,
          orgId: actor.orgId,
          outcome: 'success',
          detail: { title: n.title, reason, unions: orgIds.length, notifiedAccounts: notified },
        });
        return { ok: true as const, withdrawnAt: at.toISOString() };
      });
    },

    /** An attachment, or a 回执 file: every 回执 for the sender's side, the union's own for a recipient (none once withdrawn). */
    async file(actor: StaffActor, id: string, fileId: string) {
      const n = await visibleOrThrow(actor, id);
      if (n.withdrawn_at && !n.in_scope) throw notFound('附件');
      return files.read(await repo.noticeFile(db, id, fileId, n.in_scope ? 'any' : { orgId: actor.orgId }));
    },
  };
}

export type NoticesService = ReturnType<typeof createNoticesService>;
