// 待我处理 and its batch approval (issue 11, item 10).
//
// The queue defaults to what the caller's own union must act on (the current step is handled by the
// caller's org and the caller holds the step's permission); `scope=subtree` widens it to every union
// below. Batch approval runs the single-item 办理 (`act`: scoped read, version check, step permission,
// audit, messages) once per item, each in its own transaction, and answers a result per item: one
// item refused (another org's → NOT_FOUND, a changed version → CONFLICT, a step that needs a decision
// per item → NOT_BATCHABLE) never stops or rolls back the others.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ApplicationListRow } from './applications.repository.js';
import { applicationsQueueRepository as repo } from './applications.queue.repository.js';
import type { ActionInput, ServiceDefinition } from './applications.schema.js';

export type QueueScope = 'own' | 'subtree';

export interface BatchApproveInput {
  items: { id: string; version: number }[];
  comment?: string;
}

export type BatchItemResult = { id: string; ok: true; no: string } | { id: string; ok: false; code: string; message: string };

type SnapshotLike = Pick<ServiceDefinition, 'steps'> & { aid?: unknown };

/**
 * Whether a step may be approved in a batch: a review step that offers 通过, and not the final step
 * of an aid service (that one needs a 核定金额 decided per application).
 */
export function batchApprovable(r: { snapshot: unknown; step_index: number | null; status: string }): boolean {
  if (r.status !== 'in_review' || r.step_index === null) return false;
  const snap = r.snapshot as SnapshotLike;
  const step = snap.steps[r.step_index];
  if (!step || step.kind !== 'review' || !step.actions.includes('approve')) return false;
  return !(snap.aid && r.step_index === snap.steps.length - 1);
}

const appNo = (id: string) => `SQ${id.padStart(8, '0')}`;

export function createApplicationsQueue<Row extends object>(deps: {
  db: Kysely<DB>;
  audit: AuditService;
  presentRow: (r: ApplicationListRow) => Row;
  act: (actor: StaffActor, meta: RequestMeta, id: string, input: ActionInput) => Promise<unknown>;
}) {
  const { db } = deps;
  return {
    async queue(actor: StaffActor, f: { serviceTypeId?: string; scope?: QueueScope; page: number; pageSize: number }) {
      const r = await repo.queue(db, actor.orgPath, {
        permissions: [...actor.permissions],
        ownOrgId: (f.scope ?? 'own') === 'own' ? actor.orgId : undefined,
        serviceTypeId: f.serviceTypeId,
        limit: f.pageSize,
        offset: (f.page - 1) * f.pageSize,
      });
      return { items: r.items.map((row) => ({ ...deps.presentRow(row), batchApprovable: batchApprovable(row) })), total: r.total };
    },

    /** How many applications wait at the caller's own level: all, overdue, due within `soonMs` (the home page). */
    async queueSummary(actor: StaffActor, now: Date, soonMs: number) {
      return repo.summary(db, actor.orgPath, { permissions: [...actor.permissions], ownOrgId: actor.orgId, now, soon: new Date(now.getTime() + soonMs) });
    },

    async batchApprove(actor: StaffActor, meta: RequestMeta, input: BatchApproveInput) {
      const results: BatchItemResult[] = [];
      for (const item of input.items) {
        const row = await repo.inReviewInScope(db, actor.orgPath, item.id);
        if (!row) {
          const e = notFound('申请');
          results.push({ id: item.id, ok: false, code: e.code, message: e.message });
          continue;
        }
        if (row.status === 'in_review' && !batchApprovable(row)) {
          results.push({ id: item.id, ok: false, code: 'NOT_BATCHABLE', message: '该环节需要逐件办理（如核定金额、抽签），不能批量通过' });
          continue;
        }
        try {
          await deps.act(actor, meta, item.id, { action: 'approve', version: item.version, comment: input.comment });
          results.push({ id: item.id, ok: true, no: appNo(item.id) });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          const detail = err.fields ? Object.values(err.fields)[0] : undefined;
          results.push({ id: item.id, ok: false, code: err.code, message: detail ?? err.message });
        }
      }
      const approved = results.filter((r) => r.ok).length;
      // Every approved item is audited by `act`; the batch itself leaves one row with what was refused.
      await deps.audit.record({
        ...auditActor(actor, meta),
        action: 'application.batch_approve',
        targetType: 'application',
        targetId: null,
        orgId: actor.orgId,
        outcome: approved > 0 ? 'success' : 'failure',
        detail: { requested: input.items.length, approved, refused: results.flatMap((r) => (r.ok ? [] : [{ id: r.id, code: r.code }])) },
      });
      // Nothing here exists for the caller: answer as for one id out of scope.
      if (results.every((r) => !r.ok && r.code === 'NOT_FOUND')) throw notFound('申请');
      return { approved, refused: results.length - approved, results };
    },
  };
}
