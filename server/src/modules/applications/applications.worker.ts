// A worker's own applications on H5: submit, list, read, answer a return, withdraw, and their
// attachments. Split out of applications.service.ts.
import { isUniqueViolation } from '../../db/errors.js';
import type { ApplicationRow } from '../../db/schema-services.js';
import type { RequestMeta, WorkerActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import { applicationsRepository as repo } from './applications.repository.js';
import { APPLICATION_STATUSES, type ResubmitInput, type SubmitInput } from './applications.schema.js';
import {
  appNo,
  currentStep,
  finished,
  isSensitive,
  iso,
  planOf,
  snapshotOf,
  workerWho,
  type ApplicationsCtx,
  type StoredValues,
} from './applications.common.js';
import type { ApplicationsEngine } from './applications.engine.js';
import type { ApplicationPresenters } from './applications.present.js';

export function createWorkerApplications(ctx: ApplicationsCtx, e: ApplicationsEngine, p: ApplicationPresenters) {
  const { db, now, validateValues, checkAttachments, enterStep, event, createIn } = e;
  const { workerView } = p;

  const api = {
    async workerAttachment(worker: WorkerActor, id: string) {
      const r = await repo.attachmentOfWorker(db, worker.workerId, id);
      if (!r) throw notFound('附件');
      const data = await ctx.files.get(r.storage_key);
      if (!data) throw notFound('附件');
      return { data, mime: r.mime, name: r.file_name };
    },

    async submit(worker: WorkerActor, meta: RequestMeta, input: SubmitInput) {
      const existing = await repo.byIdempotencyKey(db, worker.workerId, input.idempotencyKey);
      if (existing) return workerView(existing);
      let created: ApplicationRow;
      try {
        created = await db.transaction().execute(async (trx) => {
          const t = await repo.typeById(trx, input.serviceTypeId);
          if (!t || t.status !== 'active') throw notFound('服务事项');
          const w = (await repo.workerOf(trx, worker.workerId))!;
          const m = await repo.liveMembershipOfWorker(trx, worker.workerId);
          if (t.applicant_scope === 'member' && !m) throw new AppError('CONFLICT', '该服务仅限工会会员申请，请先入会');
          let org: { id: string; path: string; name: string };
          let applicantName: string;
          if (m) {
            org = { id: m.org_id, path: m.org_path, name: m.org_name };
            applicantName = m.name;
          } else {
            if (!input.orgId) throw invalid({ orgId: '请选择向哪个工会申请' });
            if (!input.applicantName) throw invalid({ applicantName: '请填写姓名' });
            const o = await repo.orgById(trx, input.orgId);
            if (!o || o.status !== 'active') throw invalid({ orgId: '所选工会不存在或已撤销' });
            org = o;
            applicantName = input.applicantName;
          }
          if (t.org_path && !org.path.startsWith(t.org_path)) {
            // A member sees only the services of their own union's line (as GET /api/worker/services/:id).
            if (m) throw notFound('服务事项');
            throw invalid({ orgId: '该服务事项不在所选工会的服务范围内' });
          }
          return createIn(trx, {
            t,
            org,
            owner: { workerId: worker.workerId },
            workerId: worker.workerId,
            enteredBy: null,
            person: m ? { id: m.person_id, idMasked: m.id_masked } : null,
            applicantName,
            phone: { masked: w.phone_masked, bidx: w.phone_bidx },
            values: input.values,
            attachments: input.attachments,
            idempotencyKey: input.idempotencyKey,
            who: { type: 'worker', id: worker.workerId, name: applicantName, orgId: null },
            audit: auditActor(worker, meta),
          });
        });
      } catch (err) {
        if (isUniqueViolation(err)) {
          const again = await repo.byIdempotencyKey(db, worker.workerId, input.idempotencyKey);
          if (again) return workerView(again);
        }
        throw err;
      }
      return workerView(created);
    },

    async mine(worker: WorkerActor) {
      const rows = await repo.listOfWorker(db, worker.workerId);
      return {
        items: rows.map((a) => {
          const snap = snapshotOf(a);
          return {
            id: a.id,
            no: appNo(a.id),
            serviceType: { id: a.service_type_id, code: snap.code, name: snap.name },
            status: a.status,
            statusLabel: APPLICATION_STATUSES[a.status],
            currentStep: currentStep(a),
            submittedAt: iso(a.submitted_at)!,
            updatedAt: iso(a.updated_at)!,
          };
        }),
      };
    },

    async workerGet(worker: WorkerActor, id: string) {
      const a = await repo.ofWorker(db, worker.workerId, id);
      if (!a) throw notFound('申请');
      return workerView(a);
    },

    async resubmit(worker: WorkerActor, meta: RequestMeta, id: string, input: ResubmitInput) {
      await db.transaction().execute(async (trx) => {
        const a = await repo.ofWorker(trx, worker.workerId, id);
        if (!a) throw notFound('申请');
        if (a.version !== input.version) throw conflict('申请已有变化，请刷新后重试');
        if (a.status !== 'returned') throw new AppError('CONFLICT', '该申请不在待补正状态');
        const snap = snapshotOf(a);
        const old = a.form_values as StoredValues;
        // Start from what is stored; given values replace theirs (sensitive ones stay encrypted unless re-entered).
        const merged: Record<string, string | number> = {};
        const keep: StoredValues = {};
        for (const [k, v] of Object.entries(old)) {
          if (isSensitive(v)) keep[k] = v;
          else merged[k] = v;
        }
        for (const [k, v] of Object.entries(input.values ?? {})) {
          merged[k] = v;
          delete keep[k];
        }
        const form = snap.form.map((f) => (keep[f.key] ? { ...f, required: false } : f));
        const { values, errors } = validateValues(form, merged);
        Object.assign(values, keep);
        const current = await repo.attachmentsOf(trx, a.id);
        const chosen: Record<string, string[]> = {};
        for (const d of snap.attachments) chosen[d.key] = input.attachments?.[d.key] ?? current.filter((x) => x.def_key === d.key).map((x) => x.id);
        for (const k of Object.keys(input.attachments ?? {})) if (!(k in chosen)) chosen[k] = input.attachments![k]!;
        const wanted = await checkAttachments(
          trx,
          { workerId: worker.workerId },
          snap.attachments,
          snap.form.filter((x) => x.type === 'file'),
          chosen,
          values,
          a.id,
          errors,
        );
        if (Object.keys(errors).length) throw invalid(errors);
        const at = now();
        const plan = planOf(a);
        const updated = await repo.updateApplication(trx, a.id, a.version, {
          status: 'in_review',
          form_values: JSON.stringify(values),
          requested_amount: snap.aid ? String(values[snap.aid.amountField] ?? '') || null : null,
          ...(await enterStep(trx, snap, plan, a.step_index!, at, a.step_entry)),
          updated_at: at,
        });
        if (!updated) throw conflict('申请已有变化，请刷新后重试');
        await repo.unlinkAttachments(trx, a.id, Object.keys(wanted));
        for (const [k, ids] of Object.entries(wanted)) await repo.linkAttachments(trx, a.id, k, ids);
        await event(trx, updated, 'resubmit', a.step_index, workerWho(a), input.comment);
        await ctx.audit.append(trx, {
          ...auditActor(worker, meta),
          action: 'application.resubmit',
          targetType: 'application',
          targetId: a.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { step: snap.steps[a.step_index!]!.key },
        });
      });
      return api.workerGet(worker, id);
    },

    async withdraw(worker: WorkerActor, meta: RequestMeta, id: string, version: number) {
      await db.transaction().execute(async (trx) => {
        const a = await repo.ofWorker(trx, worker.workerId, id);
        if (!a) throw notFound('申请');
        if (a.version !== version) throw conflict('申请已有变化，请刷新后重试');
        if (a.status !== 'in_review' || a.reviewed) throw new AppError('CONFLICT', '已有审核记录，不能撤回');
        const at = now();
        const updated = await repo.updateApplication(trx, a.id, a.version, { status: 'withdrawn', ...finished(at), updated_at: at });
        if (!updated) throw new AppError('CONFLICT', '已有审核记录，不能撤回');
        await event(trx, a, 'withdraw', a.step_index, workerWho(a), null);
        await ctx.audit.append(trx, {
          ...auditActor(worker, meta),
          action: 'application.withdraw',
          targetType: 'application',
          targetId: a.id,
          orgId: a.org_id,
          outcome: 'success',
        });
      });
      return api.workerGet(worker, id);
    },
  };
  return api;
}
