// 12351 诉求工单: taken by a union (usually the city's hotline), dispatched down the tree with a deadline
// in working days (the city calendar), handled, reported back, called back and closed; an overdue
// ticket is flagged and escalated to the handler's parent union (and its origin) by a sweep.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { actorName, periodBounds, sealPhone, today } from './rights.common.js';
import { TICKET_STATUSES } from './rights.constants.js';
import { rightsRepository } from './rights.repository.js';
import type { TicketsQuery } from './rights.schema.js';
import { ticketsRepository as repo } from './rights.tickets.repository.js';

export const ticketNo = (id: string) => `GD${id.padStart(6, '0')}`;
type Row = NonNullable<Awaited<ReturnType<typeof repo.inScope>>>;
type ListRow = Awaited<ReturnType<typeof repo.list>>['items'][number];

const EVENT_LABELS: Record<string, string> = {
  create: '受理',
  dispatch: '派单',
  escalated: '超期督办',
  answer: '办结反馈',
  callback: '回访',
  close: '关闭',
};

export function createTickets(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  const summary = (t: ListRow | Row) => ({
    id: t.id,
    no: ticketNo(t.id),
    title: t.title,
    requesterName: t.requester_name,
    phoneMasked: t.phone_masked,
    status: t.status,
    statusLabel: TICKET_STATUSES[t.status],
    org: { id: t.org_id, name: t.org_name },
    origin: { id: t.origin_org_id, name: t.origin_name },
    dueOn: t.due_on,
    overdue: t.overdue,
    escalatedAt: t.escalated_at?.toISOString() ?? null,
    satisfaction: t.satisfaction,
    createdAt: t.created_at.toISOString(),
    version: t.version,
  });

  async function ticketOrThrow(executor: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const t = await repo.inScope(executor, actor.orgPath, id);
    if (!t) throw notFound('工单');
    return t;
  }

  /**
   * One step: the ticket in scope, at `version`, in one of `from`; `who` says whose subtree may act
   * (the handler's for dispatch/answer, the origin's for callback/close). Event + audit in one transaction.
   */
  async function step(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    s: {
      version: number;
      from: Row['status'][];
      who: 'handler' | 'origin';
      action: string;
      run: (trx: Transaction<DB>, t: Row) => Promise<{ patch: Parameters<typeof repo.update>[3]; comment: string | null; orgName?: string }>;
    },
  ) {
    await db.transaction().execute(async (trx) => {
      const t = await ticketOrThrow(trx, actor, id);
      const path = s.who === 'handler' ? t.org_path : t.origin_path;
      if (!path.startsWith(actor.orgPath))
        throw new AppError('FORBIDDEN', s.who === 'handler' ? '只有承办工会及其上级可以办理' : '只有受理工会可以回访、关闭工单');
      if (!s.from.includes(t.status)) throw new AppError('CONFLICT', `工单当前状态为「${TICKET_STATUSES[t.status]}」，不能${EVENT_LABELS[s.action]}`);
      const { patch, comment, orgName } = await s.run(trx, t);
      const ok = await repo.update(trx, id, s.version, { ...patch, updated_at: now() });
      if (!ok) throw conflict('工单已被他人处理，请刷新后重试');
      await repo.insertEvent(trx, { ticket_id: id, action: s.action, org_name: orgName ?? t.org_name, comment, actor_name: actorName(actor), at: now() });
      await ctx.audit.append(trx, {
        ...auditActor(actor, meta),
        action: 'rights.ticket.step',
        targetType: 'rights_ticket',
        targetId: id,
        orgId: t.org_id,
        outcome: 'success',
        detail: { step: s.action },
      });
    });
    return service.get(actor, id);
  }

  const notify = (trx: Transaction<DB>, orgId: string, permission: 'rights:write', title: string, body: string, id: string) =>
    ctx.messages.sendToStaff(trx, { orgId, permission }, { title, body, link: `/admin/#/rights/tickets/${id}`, category: 'rights' });

  /** 受理: a ticket taken (and handled, until dispatched) by `orgId`, in the caller's transaction. */
  async function createIn(
    trx: Transaction<DB>,
    actor: StaffActor,
    meta: RequestMeta,
    orgId: string,
    input: { title: string; content: string; requesterName: string; phone?: string; sealedPhone?: ReturnType<typeof sealPhone>; comment?: string },
  ) {
    const at = now();
    const row = await repo.insert(trx, {
      org_id: orgId,
      origin_org_id: orgId,
      title: input.title,
      content: input.content,
      requester_name: input.requesterName,
      ...(input.sealedPhone ?? sealPhone(ctx.crypto, input.phone)),
      created_at: at,
      updated_at: at,
    });
    const org = await rightsRepository.org(trx, orgId);
    await repo.insertEvent(trx, { ticket_id: row.id, action: 'create', org_name: org.name, comment: input.comment ?? null, actor_name: actorName(actor), at });
    await ctx.audit.append(trx, {
      ...auditActor(actor, meta),
      action: 'rights.ticket.create',
      targetType: 'rights_ticket',
      targetId: row.id,
      orgId,
      outcome: 'success',
    });
    return row.id;
  }

  const service = {
    async create(actor: StaffActor, meta: RequestMeta, input: { title: string; content: string; requesterName: string; phone?: string }) {
      const id = await db.transaction().execute((trx) => createIn(trx, actor, meta, actor.orgId, input));
      return service.get(actor, id);
    },

    createIn,

    async list(actor: StaffActor, q: TicketsQuery) {
      const org = q.orgId ? await rightsRepository.orgInScope(db, actor.orgPath, q.orgId) : undefined;
      if (q.orgId && !org) throw notFound('工会');
      const r = await repo.list(db, actor.orgPath, {
        orgPath: org?.path,
        status: q.status,
        overdue: !!q.overdue,
        ...periodBounds(q),
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return { total: r.total, items: r.items.map(summary) };
    },

    async get(actor: StaffActor, id: string) {
      const t = await ticketOrThrow(db, actor, id);
      const events = await repo.events(db, id);
      return {
        ...summary(t),
        content: t.content,
        answer: t.answer,
        answeredAt: t.answered_at?.toISOString() ?? null,
        closedAt: t.closed_at?.toISOString() ?? null,
        /** Whether the caller's union may act as handler / as origin. */
        canHandle: t.org_path.startsWith(actor.orgPath),
        canCallBack: t.origin_path.startsWith(actor.orgPath),
        timeline: events.map((e) => ({
          id: e.id,
          action: e.action,
          label: EVENT_LABELS[e.action] ?? e.action,
          orgName: e.org_name,
          comment: e.comment,
          actorName: e.actor_name,
          at: e.at.toISOString(),
        })),
      };
    },

    /** 派单: to a union below the one handling it now, with a deadline in working days. */
    dispatch(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; orgId: string; days: number; comment?: string }) {
      return step(actor, meta, id, {
        version: input.version,
        from: ['open'],
        who: 'handler',
        action: 'dispatch',
        run: async (trx, t) => {
          const target = await rightsRepository.orgInScope(trx, t.org_path, input.orgId);
          if (!target || target.id === t.org_id || !target.path.startsWith(actor.orgPath)) throw invalid({ orgId: '只能派给当前承办工会的下级工会' });
          const due = chinaDay(await ctx.holidays.addWorkingDays(trx, now(), input.days));
          await notify(trx, target.id, 'rights:write', '新的诉求工单', `${ticketNo(id)} ${t.title}，请于 ${due} 前办结反馈`, id);
          return {
            patch: { org_id: target.id, due_on: due, overdue: false, escalated_at: null },
            comment: `派至${target.name}，${input.days} 个工作日内（${due} 前）办结${input.comment ? `；${input.comment}` : ''}`,
            orgName: target.name,
          };
        },
      });
    },

    answer(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; answer: string }) {
      return step(actor, meta, id, {
        version: input.version,
        from: ['open'],
        who: 'handler',
        action: 'answer',
        run: async (trx, t) => {
          await notify(trx, t.origin_org_id, 'rights:write', '诉求工单已办结', `${ticketNo(id)} ${t.title}：${t.org_name}已反馈，请回访`, id);
          return { patch: { status: 'answered', answer: input.answer, answered_at: now() }, comment: input.answer };
        },
      });
    },

    callback(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; satisfaction: number; comment?: string }) {
      return step(actor, meta, id, {
        version: input.version,
        from: ['answered'],
        who: 'origin',
        action: 'callback',
        run: async () => ({
          patch: { status: 'called_back', satisfaction: input.satisfaction },
          comment: `满意度 ${input.satisfaction}/5${input.comment ? `；${input.comment}` : ''}`,
        }),
      });
    },

    close(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; comment?: string }) {
      return step(actor, meta, id, {
        version: input.version,
        from: ['called_back'],
        who: 'origin',
        action: 'close',
        run: async () => ({ patch: { status: 'closed', closed_at: now() }, comment: input.comment ?? null }),
      });
    },

    /** Flags open tickets past their deadline, once each, and tells the handler's parent union and the origin. */
    async sweepOverdue() {
      const at = now();
      return db.transaction().execute(async (trx) => {
        const late = await repo.claimOverdue(trx, today(at), at);
        for (const t of late) {
          const to = t.org_parent_id ?? t.origin_org_id;
          await repo.insertEvent(trx, {
            ticket_id: t.id,
            action: 'escalated',
            org_name: t.org_name,
            comment: '超过办理时限，已提请上级督办',
            actor_name: '系统',
            at,
          });
          await notify(trx, to, 'rights:write', '诉求工单超期', `${ticketNo(t.id)} ${t.title}：${t.org_name}超过办理时限未反馈，请督办`, t.id);
          if (t.origin_org_id !== to)
            await notify(trx, t.origin_org_id, 'rights:write', '诉求工单超期', `${ticketNo(t.id)} ${t.title}：${t.org_name}超期未反馈`, t.id);
        }
        return late.length;
      });
    },
  };
  return service;
}

export type Tickets = ReturnType<typeof createTickets>;
