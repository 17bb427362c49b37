// 劳动关系 risk reports from 信息员: an informant reports from the H5 (kind, place, people affected,
// description, photos; with an idempotency key); the informant's union — or any union above it — grades
// it (一般 / 较大 / 重大), turns it into a 12351 ticket that is dispatched down the tree like any other,
// and closes it. A 重大 risk tells the county-level and the city union at once (staff messages).
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../../db/errors.js';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import { ATTACHMENT_LIMIT, cleanFileName, sniffFile, type FileStore } from '../applications/applications.files.js';
import { actorName, periodBounds, type RightsCtx } from './rights.common.js';
import {
  INFORMANT_KINDS,
  RISK_GRADES,
  RISK_KINDS,
  RISK_PHOTO_LIMIT,
  RISK_STATUSES,
  type InformantKindCode,
  type RiskGradeCode,
  type RiskKindCode,
} from './rights.constants.js';
import { risksRepository as repo } from './rights.risks.repository.js';
import type { RiskReportInput, RisksQuery } from './rights.risks.schema.js';
import type { Tickets } from './rights.tickets.js';
import { ticketNo } from './rights.tickets.js';

export const riskNo = (id: string) => `FX${id.padStart(6, '0')}`;
type Row = NonNullable<Awaited<ReturnType<typeof repo.inScope>>>;
type ListRow = Awaited<ReturnType<typeof repo.list>>['items'][number];
const HOUR_MS = 3_600_000;

const ACTIONS: Record<string, string> = { report: '上报', grade: '研判定级', alert: '重大风险报告', ticket: '转诉求工单', close: '办结' };

/** `rights/2026/11/<random>`: no user input in the path. */
const storageKey = (at: Date) => `rights/${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${randomBytes(16).toString('hex')}`;

export function createRisks(ctx: RightsCtx & { tickets: Tickets; files: FileStore }) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  const summary = (r: Row | ListRow) => ({
    id: r.id,
    no: riskNo(r.id),
    org: { id: r.org_id, name: r.org_name },
    informant: { id: r.informant_id, name: r.informant_name, kindLabel: INFORMANT_KINDS[r.informant_kind as InformantKindCode] },
    kind: r.kind,
    kindLabel: RISK_KINDS[r.kind as RiskKindCode],
    place: r.place,
    peopleAffected: r.people_affected,
    description: r.description,
    occurredOn: r.occurred_on,
    status: r.status,
    statusLabel: RISK_STATUSES[r.status],
    grade: r.grade,
    gradeLabel: r.grade ? RISK_GRADES[r.grade as RiskGradeCode] : '待研判',
    alerted: !!r.alerted_at,
    ticketId: r.ticket_id,
    ticketNo: r.ticket_id ? ticketNo(r.ticket_id) : null,
    reportedAt: r.reported_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    version: r.version,
  });

  async function riskOrThrow(executor: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const r = await repo.inScope(executor, actor.orgPath, id);
    if (!r) throw notFound('风险报告');
    return r;
  }

  async function informantOrThrow(executor: Kysely<DB> | Transaction<DB>, worker: WorkerActor, lock = false) {
    const i = await repo.informantOfWorker(executor, worker.workerId, lock);
    if (!i) throw new AppError('FORBIDDEN', '仅登记的信息员可以报告劳动关系风险');
    return i;
  }

  /** One staff step: version-checked, timeline + audit in one transaction. */
  async function step(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    s: { version: number; action: string; run: (trx: Transaction<DB>, r: Row) => Promise<{ patch: object; comment: string | null }> },
  ) {
    await db.transaction().execute(async (trx) => {
      const r = await riskOrThrow(trx, actor, id);
      if (r.status === 'closed') throw new AppError('CONFLICT', '风险报告已办结');
      const { patch, comment } = await s.run(trx, r);
      const ok = await repo.update(trx, id, s.version, { ...patch, updated_at: now() });
      if (!ok) throw conflict('风险报告已被他人处理，请刷新后重试');
      await repo.insertEvent(trx, { risk_id: id, action: s.action, comment, actor_name: actorName(actor), at: now() });
      await ctx.audit.append(trx, {
        ...auditActor(actor, meta),
        action: 'rights.risk.step',
        targetType: 'rights_risk',
        targetId: id,
        orgId: r.org_id,
        outcome: 'success',
        detail: { step: s.action },
      });
    });
    return service.get(actor, meta, id, false);
  }

  const service = {
    // ---------- the informant's H5 ----------

    /** Whether the worker is an informant (the H5 shows the entry only then) and their reports. */
    async workerState(worker: WorkerActor) {
      const i = await repo.informantOfWorker(db, worker.workerId);
      if (!i) return { informant: null, reports: [] };
      const rows = await repo.listOfWorker(db, worker.workerId);
      return {
        informant: { name: i.name, kindLabel: INFORMANT_KINDS[i.kind as InformantKindCode], org: { id: i.org_id, name: i.org_name } },
        reports: rows.map((r) => ({
          id: r.id,
          no: riskNo(r.id),
          kindLabel: RISK_KINDS[r.kind as RiskKindCode],
          place: r.place,
          peopleAffected: r.people_affected,
          statusLabel: RISK_STATUSES[r.status],
          gradeLabel: r.grade ? RISK_GRADES[r.grade as RiskGradeCode] : '待研判',
          reportedAt: r.reported_at.toISOString(),
        })),
      };
    },

    /** A photo for a report (JPG/PNG, ≤ 10 MB), kept until a report takes it (else deleted after 24 h). */
    async uploadPhoto(worker: WorkerActor, meta: RequestMeta, body: Buffer | undefined, name: string | undefined) {
      if (!body || !Buffer.isBuffer(body) || body.length === 0) throw invalid({ file: '文件为空' }, '文件为空');
      if (body.length > ATTACHMENT_LIMIT) throw new AppError('PAYLOAD_TOO_LARGE', '照片不能超过 10 MB');
      const s = sniffFile(body);
      if (!s || s.kind !== 'image') throw invalid({ file: '仅支持 JPG、PNG 照片' }, '仅支持 JPG、PNG 照片（按文件内容识别，改扩展名无效）');
      await informantOrThrow(db, worker);
      const at = now();
      const key = storageKey(at);
      await ctx.files.put(key, body);
      try {
        return await db.transaction().execute(async (trx) => {
          const i = await informantOrThrow(trx, worker, true);
          if ((await repo.unlinkedPhotos(trx, worker.workerId)) >= RISK_PHOTO_LIMIT * 2)
            throw new AppError('RATE_LIMITED', `未提交的照片过多（最多 ${RISK_PHOTO_LIMIT * 2} 张），请先提交报告`);
          const row = await repo.insertPhoto(trx, {
            worker_id: worker.workerId,
            file_name: cleanFileName(name, s),
            mime: s.mime,
            size: body.length,
            sha256: createHash('sha256').update(body).digest('hex'),
            storage_key: key,
            created_at: at,
          });
          await ctx.audit.append(trx, {
            ...auditActor(worker, meta),
            action: 'rights.risk.photo_upload',
            targetType: 'rights_risk_photo',
            targetId: row.id,
            orgId: i.org_id,
            outcome: 'success',
            detail: { size: body.length },
          });
          return { id: row.id, name: row.file_name, mime: row.mime, size: row.size };
        });
      } catch (err) {
        await ctx.files.delete(key).catch(() => undefined);
        throw err;
      }
    },

    /** 上报: to the informant's union; its staff are told. A retried submit answers the report it made. */
    async report(worker: WorkerActor, meta: RequestMeta, input: RiskReportInput) {
      const existing = await repo.byIdempotencyKey(db, worker.workerId, input.idempotencyKey);
      if (existing) return { id: existing.id, no: riskNo(existing.id) };
      const photoIds = [...new Set(input.photoIds)];
      try {
        const id = await db.transaction().execute(async (trx) => {
          const i = await informantOrThrow(trx, worker, true);
          const at = now();
          const row = await repo.insert(trx, {
            org_id: i.org_id,
            informant_id: i.id,
            worker_id: worker.workerId,
            idempotency_key: input.idempotencyKey,
            kind: input.kind,
            place: input.place,
            people_affected: input.peopleAffected,
            description: input.description,
            occurred_on: input.occurredOn ?? null,
            reported_at: at,
            updated_at: at,
          });
          const taken = await repo.linkPhotos(trx, worker.workerId, row.id, photoIds);
          if (taken.length !== photoIds.length) throw invalid({ photoIds: '照片已失效，请重新上传' });
          await repo.insertEvent(trx, {
            risk_id: row.id,
            action: 'report',
            comment: `${i.name}（${INFORMANT_KINDS[i.kind as InformantKindCode]}）`,
            actor_name: i.name,
            at,
          });
          await ctx.messages.sendToStaff(
            trx,
            { orgId: i.org_id, permission: 'rights:write' },
            {
              title: '信息员报告劳动关系风险',
              body: `${RISK_KINDS[input.kind]}：${input.place}，涉及 ${input.peopleAffected} 人，请及时研判`,
              link: `/admin/#/rights/risks/${row.id}`,
              category: 'rights',
            },
          );
          await ctx.audit.append(trx, {
            ...auditActor(worker, meta),
            action: 'rights.risk.report',
            targetType: 'rights_risk',
            targetId: row.id,
            orgId: i.org_id,
            outcome: 'success',
            detail: { kind: input.kind, photos: photoIds.length },
          });
          return row.id;
        });
        return { id, no: riskNo(id) };
      } catch (err) {
        const again = isUniqueViolation(err) ? await repo.byIdempotencyKey(db, worker.workerId, input.idempotencyKey) : undefined;
        if (again) return { id: again.id, no: riskNo(again.id) };
        throw err;
      }
    },

    // ---------- staff ----------
    async list(actor: StaffActor, q: RisksQuery) {
      const org = q.orgId ? await ctx.orgs.findInScope(actor, q.orgId) : undefined;
      if (q.orgId && !org) throw notFound('工会');
      const r = await repo.list(db, actor.orgPath, {
        orgPath: org?.path,
        grade: q.grade,
        status: q.status,
        kind: q.kind,
        ...periodBounds(q),
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return { total: r.total, items: r.items.map(summary) };
    },

    /** The full report (the informant is named): the view is audited. */
    async get(actor: StaffActor, meta: RequestMeta, id: string, audit = true) {
      const r = await riskOrThrow(db, actor, id);
      if (audit)
        await db.transaction().execute((trx) =>
          ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'rights.risk.view',
            targetType: 'rights_risk',
            targetId: id,
            orgId: r.org_id,
            outcome: 'success',
          }),
        );
      const [photos, events] = await Promise.all([repo.photosOf(db, id), repo.events(db, id)]);
      return {
        ...summary(r),
        closeNote: r.close_note,
        ticketStatus: r.ticket_status,
        photos: photos.map((p) => ({ id: p.id, name: p.file_name, mime: p.mime, size: p.size })),
        timeline: events.map((e) => ({
          id: e.id,
          action: e.action,
          label: ACTIONS[e.action] ?? e.action,
          comment: e.comment,
          actorName: e.actor_name,
          at: e.at.toISOString(),
        })),
      };
    },

    async photo(actor: StaffActor, id: string, photoId: string) {
      await riskOrThrow(db, actor, id);
      const p = await repo.photo(db, id, photoId);
      const data = p && (await ctx.files.get(p.storage_key));
      if (!p || !data) throw notFound('照片');
      return { data, mime: p.mime, name: p.file_name };
    },

    /** 研判定级; a 重大 risk is reported to the county-level and city unions at once (once). */
    grade(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; grade: RiskGradeCode; comment?: string }) {
      return step(actor, meta, id, {
        version: input.version,
        action: 'grade',
        run: async (trx, r) => {
          const alert = input.grade === 'severe' && !r.alerted_at;
          if (alert) {
            const upper = await repo.upperUnions(trx, r.org_path);
            for (const u of upper)
              await ctx.messages.sendToStaff(
                trx,
                { orgId: u.id, permission: 'rights:read' },
                {
                  title: '重大劳动关系风险',
                  body: `${r.org_name}信息员报告：${RISK_KINDS[r.kind as RiskKindCode]}，${r.place}，涉及 ${r.people_affected} 人。${input.comment ?? ''}`.trim(),
                  link: `/admin/#/rights/risks/${id}`,
                  category: 'rights',
                },
              );
            await repo.insertEvent(trx, {
              risk_id: id,
              action: 'alert',
              comment: `已报告${upper.map((u) => u.name).join('、')}`,
              actor_name: actorName(actor),
              at: now(),
            });
          }
          return {
            patch: { grade: input.grade, status: 'graded', graded_at: now(), ...(alert && { alerted_at: now() }) },
            comment: `${RISK_GRADES[input.grade]}${input.comment ? `：${input.comment}` : ''}`,
          };
        },
      });
    },

    /** 转诉求工单: a 12351 ticket taken by the caller's union, to be dispatched down the tree like any other. */
    toTicket(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; comment?: string }) {
      return step(actor, meta, id, {
        version: input.version,
        action: 'ticket',
        run: async (trx, r) => {
          if (!r.grade) throw new AppError('CONFLICT', '请先研判定级，再转诉求工单');
          if (r.ticket_id) throw new AppError('CONFLICT', `已转为诉求工单 ${ticketNo(r.ticket_id)}`);
          const ticketId = await ctx.tickets.createIn(trx, actor, meta, actor.orgId, {
            title: `${RISK_GRADES[r.grade as RiskGradeCode]}风险：${RISK_KINDS[r.kind as RiskKindCode]}（${r.place}）`.slice(0, 60),
            content: `${r.description}\n涉及 ${r.people_affected} 人。信息员报告 ${riskNo(id)}。${input.comment ?? ''}`.trim(),
            requesterName: `信息员${r.informant_name}`,
            comment: `由风险报告 ${riskNo(id)} 转入`,
          });
          return { patch: { ticket_id: ticketId }, comment: `${ticketNo(ticketId)}${input.comment ? `：${input.comment}` : ''}` };
        },
      });
    },

    close(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; note: string }) {
      return step(actor, meta, id, {
        version: input.version,
        action: 'close',
        run: async (_trx, r) => {
          if (!r.grade) throw new AppError('CONFLICT', '请先研判定级');
          if (r.ticket_status === 'open') throw new AppError('CONFLICT', `诉求工单 ${ticketNo(r.ticket_id!)} 尚未办结`);
          return { patch: { status: 'closed', closed_at: now(), close_note: input.note }, comment: input.note };
        },
      });
    },

    /** Deletes photos no report took within 24 hours (files first, then rows). */
    async expirePhotos() {
      const rows = await repo.expiredPhotos(db, new Date(now().getTime() - 24 * HOUR_MS), 200);
      for (const p of rows) await ctx.files.delete(p.storage_key);
      await repo.deletePhotos(
        db,
        rows.map((p) => p.id),
      );
      return rows.length;
    },
  };
  return service;
}

export type Risks = ReturnType<typeof createRisks>;
