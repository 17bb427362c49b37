// 咨询台账: every consultation, whatever the channel, is a record; a worker's H5 question is a thread
// that staff answer (the worker is notified through the message centre).
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { maskPhone } from '../../platform/crypto.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import { isUniqueViolation } from '../../db/errors.js';
import { actorName, employerOf, periodBounds, sealPhone, type RightsCtx } from './rights.common.js';
import { CHANNELS, OUTCOMES, TOPICS, type Channel, type Outcome, type Topic } from './rights.constants.js';
import { consultationsRepository as repo } from './rights.consultations.repository.js';
import { rightsRepository } from './rights.repository.js';
import type { ConsultationInput, ConsultationsQuery } from './rights.schema.js';

type Row = Awaited<ReturnType<typeof repo.listOfWorker>>[number];

export const consultationNo = (id: string) => `ZX${id.padStart(6, '0')}`;

const view = (c: Row) => ({
  id: c.id,
  no: consultationNo(c.id),
  org: { id: c.org_id, name: c.org_name },
  channel: c.channel,
  channelLabel: CHANNELS[c.channel as Channel],
  topic: c.topic,
  topicLabel: TOPICS[c.topic as Topic] ?? c.topic,
  name: c.name,
  phoneMasked: c.phone_masked,
  employerName: c.employer_name,
  enterpriseId: c.employer_enterprise_id,
  summary: c.summary,
  answer: c.answer,
  outcome: c.outcome,
  outcomeLabel: c.outcome ? OUTCOMES[c.outcome as Outcome] : null,
  status: c.status,
  statusLabel: c.status === 'answered' ? '已答复' : '待答复',
  handlerName: c.handler_name,
  consultedAt: c.consulted_at.toISOString(),
  answeredAt: c.answered_at?.toISOString() ?? null,
  callbackOn: c.callback_on,
  satisfaction: c.satisfaction,
  caseId: c.case_id,
  version: c.version,
});

const threadOf = (rows: Awaited<ReturnType<typeof repo.messages>>) =>
  rows.map((m) => ({ id: m.id, author: m.author, authorName: m.author_name, body: m.body, at: m.at.toISOString() }));

export function createConsultations(ctx: RightsCtx) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  async function orOrg(actor: StaffActor, orgId: string | undefined) {
    const org = await rightsRepository.orgInScope(db, actor.orgPath, orgId ?? actor.orgId);
    if (!org) throw notFound('工会');
    return org;
  }

  async function inScope(executor: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const c = await repo.inScope(executor, actor.orgPath, id);
    if (!c) throw notFound('咨询记录');
    return c;
  }

  const service = {
    /** Staff log a consultation (window, hotline, station, petition): one form, one transaction. */
    async create(actor: StaffActor, meta: RequestMeta, input: ConsultationInput) {
      const org = await orOrg(actor, input.orgId);
      const employer = await employerOf(ctx, db, actor, input);
      const at = now();
      const answered = !!input.answer;
      const id = await db.transaction().execute(async (trx) => {
        const row = await repo.insert(trx, {
          org_id: org.id,
          channel: input.channel,
          topic: input.topic,
          name: input.name,
          ...sealPhone(ctx.crypto, input.phone),
          employer_name: employer.name,
          employer_enterprise_id: employer.enterpriseId,
          summary: input.summary,
          answer: input.answer ?? null,
          outcome: answered ? (input.outcome ?? 'answered') : (input.outcome ?? null),
          status: answered ? 'answered' : 'open',
          handler_id: actor.accountId,
          handler_name: actorName(actor),
          consulted_at: at,
          answered_at: answered ? at : null,
          updated_at: at,
        });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'rights.consultation.create',
          targetType: 'rights_consultation',
          targetId: row.id,
          orgId: org.id,
          outcome: 'success',
          detail: { channel: input.channel, topic: input.topic },
        });
        return row.id;
      });
      return service.get(actor, meta, id, false);
    },

    async list(actor: StaffActor, q: ConsultationsQuery) {
      const orgPath = q.orgId ? (await orOrg(actor, q.orgId)).path : undefined;
      const r = await repo.list(db, actor.orgPath, {
        orgPath,
        channel: q.channel,
        topic: q.topic,
        status: q.status,
        outcome: q.outcome,
        q: q.q,
        ...periodBounds(q),
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return { total: r.total, items: r.items.map(view) };
    },

    /** The full record with its thread; the view is audited (complaint texts are sensitive). */
    async get(actor: StaffActor, meta: RequestMeta, id: string, audit = true) {
      const c = await inScope(db, actor, id);
      if (audit)
        await db.transaction().execute((trx) =>
          ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'rights.consultation.view',
            targetType: 'rights_consultation',
            targetId: id,
            orgId: c.org_id,
            outcome: 'success',
          }),
        );
      return { ...view(c), thread: threadOf(await repo.messages(db, id)) };
    },

    /** Staff answer: the answer joins the thread; a worker who asked on the H5 is notified. */
    async answer(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; answer: string; outcome: Outcome }) {
      const sms = await db.transaction().execute(async (trx) => {
        const c = await inScope(trx, actor, id);
        const at = now();
        const ok = await repo.update(trx, id, input.version, {
          answer: input.answer,
          outcome: input.outcome,
          status: 'answered',
          answered_at: at,
          handler_id: actor.accountId,
          handler_name: actorName(actor),
          updated_at: at,
        });
        if (!ok) throw conflict('咨询记录已被他人处理，请刷新后重试');
        await repo.insertMessage(trx, { consultation_id: id, author: 'staff', author_name: c.org_name, body: input.answer, at });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'rights.consultation.answer',
          targetType: 'rights_consultation',
          targetId: id,
          orgId: c.org_id,
          outcome: 'success',
          detail: { outcome: input.outcome },
        });
        if (!c.worker_id) return null;
        const text = `您的在线咨询（${consultationNo(id)}）已有答复，请在「维权服务 · 我的咨询」查看。`;
        await ctx.messages.send(
          trx,
          { workerId: c.worker_id },
          { title: '咨询已答复', body: text, link: `/h5/#/rights/consultations/${id}`, category: 'rights' },
        );
        return { workerId: c.worker_id, text };
      });
      if (sms) await ctx.messages.smsWorker(sms.workerId, sms.text);
      return service.get(actor, meta, id, false);
    },

    async callback(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; callbackOn: string; satisfaction: number }) {
      await db.transaction().execute(async (trx) => {
        const c = await inScope(trx, actor, id);
        if (c.status !== 'answered') throw new AppError('CONFLICT', '咨询尚未答复，不能回访');
        const ok = await repo.update(trx, id, input.version, { callback_on: input.callbackOn, satisfaction: input.satisfaction, updated_at: now() });
        if (!ok) throw conflict('咨询记录已被他人处理，请刷新后重试');
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'rights.consultation.callback',
          targetType: 'rights_consultation',
          targetId: id,
          orgId: c.org_id,
          outcome: 'success',
          detail: { satisfaction: input.satisfaction },
        });
      });
      return service.get(actor, meta, id, false);
    },

    // ---------- the worker's own H5 thread ----------

    /**
     * A worker asks online: the question goes to the union of their live membership, else to the city
     * federation. The H5 sends an idempotency key: a retried submit answers the consultation it made.
     */
    async ask(worker: WorkerActor, meta: RequestMeta, input: { idempotencyKey: string; topic: Topic; question: string; employerName?: string }) {
      const existing = await repo.byIdempotencyKey(db, worker.workerId, input.idempotencyKey);
      if (existing) return service.workerGet(worker, existing.id);
      const who = await rightsRepository.workerIdentity(db, worker.workerId);
      if (!who) throw notFound('职工');
      const orgId = who.org_id ?? (await rightsRepository.rootOrg(db)).id;
      const at = now();
      const id = await db
        .transaction()
        .execute(async (trx) => {
          const row = await repo.insert(trx, {
            org_id: orgId,
            channel: 'online',
            topic: input.topic,
            worker_id: worker.workerId,
            person_id: who.person_id ?? null,
            name: who.name ?? `职工${who.phone_masked}`,
            phone_enc: who.phone_enc,
            phone_bidx: who.phone_bidx,
            phone_masked: who.phone_masked ?? maskPhone(''),
            employer_name: input.employerName ?? who.employer_name ?? null,
            idempotency_key: input.idempotencyKey,
            summary: input.question,
            consulted_at: at,
            updated_at: at,
          });
          await repo.insertMessage(trx, { consultation_id: row.id, author: 'worker', author_name: who.name ?? '职工', body: input.question, at });
          await ctx.messages.sendToStaff(
            trx,
            { orgId, permission: 'rights:write' },
            {
              title: '新的在线咨询',
              body: `${TOPICS[input.topic]}：${input.question.slice(0, 40)}`,
              link: `/admin/#/rights/consultations/${row.id}`,
              category: 'rights',
            },
          );
          await ctx.audit.append(trx, {
            ...auditActor(worker, meta),
            action: 'rights.consultation.ask',
            targetType: 'rights_consultation',
            targetId: row.id,
            orgId,
            outcome: 'success',
            detail: { topic: input.topic },
          });
          return row.id;
        })
        .catch(async (err: unknown) => {
          // Two submits with one key at the same moment: the unique index lets one in; the other answers it.
          const again = isUniqueViolation(err) ? await repo.byIdempotencyKey(db, worker.workerId, input.idempotencyKey) : undefined;
          if (again) return again.id;
          throw err;
        });
      return service.workerGet(worker, id);
    },

    async workerList(worker: WorkerActor) {
      return { items: (await repo.listOfWorker(db, worker.workerId)).map(view) };
    },

    async workerGet(worker: WorkerActor, id: string) {
      const c = await repo.ofWorker(db, worker.workerId, id);
      if (!c) throw notFound('咨询记录');
      const v = view(c);
      return {
        id: v.id,
        no: v.no,
        org: v.org,
        topic: v.topic,
        topicLabel: v.topicLabel,
        status: v.status,
        statusLabel: v.statusLabel,
        consultedAt: v.consultedAt,
        answeredAt: v.answeredAt,
        thread: threadOf(await repo.messages(db, id)),
      };
    },

    /** A follow-up question: back to 待答复 for staff. */
    async followUp(worker: WorkerActor, meta: RequestMeta, id: string, body: string) {
      await db.transaction().execute(async (trx) => {
        const c = await repo.ofWorker(trx, worker.workerId, id);
        if (!c) throw notFound('咨询记录');
        const at = now();
        await repo.update(trx, id, c.version, { status: 'open', updated_at: at });
        await repo.insertMessage(trx, { consultation_id: id, author: 'worker', author_name: c.name, body, at });
        await ctx.messages.sendToStaff(
          trx,
          { orgId: c.org_id, permission: 'rights:write' },
          { title: '在线咨询有追问', body: body.slice(0, 60), link: `/admin/#/rights/consultations/${id}`, category: 'rights' },
        );
        await ctx.audit.append(trx, {
          ...auditActor(worker, meta),
          action: 'rights.consultation.follow_up',
          targetType: 'rights_consultation',
          targetId: id,
          orgId: c.org_id,
          outcome: 'success',
        });
      });
      return service.workerGet(worker, id);
    },

    /** For the case service: the consultation a case is opened from, locked in the caller's transaction. */
    inScope,
  };
  return service;
}

export type Consultations = ReturnType<typeof createConsultations>;
