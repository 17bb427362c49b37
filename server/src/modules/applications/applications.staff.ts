// Staff handling: the scoped list and detail, 代为申请, attachments, the single-item 办理
// (approve / return / reject / transfer, aid paid on the final approval), overdue reminders.
// Split out of applications.service.ts.
import { isUniqueViolation } from '../../db/errors.js';
import { fenOf, fromFen } from '../../platform/money.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import { applicationsRepository as repo } from './applications.repository.js';
import { STEP_ACTIONS, type ActionInput, type ListFilters, type StaffSubmitInput } from './applications.schema.js';
import { appNo, asApplication, CONFLICT_MESSAGE, finished, nextIndex, planOf, snapshotOf, staffWho, type ApplicationsCtx } from './applications.common.js';
import type { ApplicationsEngine } from './applications.engine.js';
import type { ApplicationPresenters } from './applications.present.js';

export function createStaffApplications(ctx: ApplicationsCtx, e: ApplicationsEngine, p: ApplicationPresenters) {
  const { db, now, enterStep, event, notifyApplicant, payAid, listArgs, createIn } = e;
  const { presentRow, staffView } = p;

  const api = {
    async list(actor: StaffActor, f: ListFilters & { page: number; pageSize: number }) {
      const args = await listArgs(actor, f);
      const r = await repo.list(db, actor.orgPath, { ...args, limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
      return { items: r.items.map(presentRow), total: r.total };
    },

    async get(actor: StaffActor, id: string) {
      const a = await repo.inScope(db, actor.orgPath, id);
      if (!a) throw notFound('申请');
      return staffView(actor, a);
    },

    /** 代为申请: staff enter an application for a live member in scope (files uploaded by the same account). */
    async staffSubmit(actor: StaffActor, meta: RequestMeta, input: StaffSubmitInput) {
      const existing = await repo.byStaffIdempotencyKey(db, actor.accountId, input.idempotencyKey);
      if (existing) return api.get(actor, existing.id);
      let id: string;
      try {
        id = await db.transaction().execute(async (trx) => {
          const m = await repo.liveMembershipInScope(trx, actor.orgPath, input.membershipId);
          if (!m) throw notFound('会员');
          const t = await repo.typeById(trx, input.serviceTypeId);
          if (!t || t.status !== 'active') throw notFound('服务事项');
          if (t.org_path && !m.org_path.startsWith(t.org_path)) throw invalid({ serviceTypeId: '该服务事项不在该会员所在工会的服务范围内' });
          const app = await createIn(trx, {
            t,
            org: { id: m.org_id, path: m.org_path },
            owner: { staffId: actor.accountId },
            workerId: m.worker_id,
            enteredBy: actor.accountId,
            person: { id: m.person_id, idMasked: m.id_masked },
            applicantName: m.name,
            phone: { masked: m.phone_masked ?? '', bidx: m.phone_bidx ?? '' },
            values: input.values,
            attachments: input.attachments,
            idempotencyKey: input.idempotencyKey,
            who: staffWho(actor),
            audit: auditActor(actor, meta),
          });
          return app.id;
        });
      } catch (err) {
        if (isUniqueViolation(err)) {
          const again = await repo.byStaffIdempotencyKey(db, actor.accountId, input.idempotencyKey);
          if (again) return api.get(actor, again.id);
        }
        throw err;
      }
      return api.get(actor, id);
    },

    async staffAttachment(actor: StaffActor, id: string, attachmentId: string) {
      const a = await repo.inScope(db, actor.orgPath, id);
      if (!a) throw notFound('附件');
      const r = await repo.attachmentOfApplication(db, a.id, attachmentId);
      if (!r) throw notFound('附件');
      const data = await ctx.files.get(r.storage_key);
      if (!data) throw notFound('附件');
      return { data, mime: r.mime, name: r.file_name };
    },

    async act(actor: StaffActor, meta: RequestMeta, id: string, input: ActionInput) {
      const sms = await db.transaction().execute(async (trx) => {
        const a = await repo.inScope(trx, actor.orgPath, id);
        if (!a) throw notFound('申请');
        if (a.version !== input.version || a.status !== 'in_review') throw conflict(CONFLICT_MESSAGE);
        if (!a.handling_org_path?.startsWith(actor.orgPath) || a.step_index === null) throw notFound('申请');
        const snap = snapshotOf(a);
        const step = snap.steps[a.step_index]!;
        if (!actor.permissions.has(step.permission as never)) throw new AppError('FORBIDDEN', `您没有办理“${step.name}”的权限`);
        if (!step.actions.includes(input.action)) throw invalid({ action: `当前环节不允许“${STEP_ACTIONS[input.action]}”` }, '当前环节不允许该操作');
        const comment = input.comment?.trim() || null;
        const at = now();
        const plan = planOf(a);
        const base = { reviewed: true, updated_at: at };
        const who = staffWho(actor);
        let smsText: string | null = null;

        if (input.action === 'return') {
          if (!comment) throw invalid({ comment: '请填写退回原因（需要补正的内容）' });
          const u = await repo.updateApplication(trx, a.id, a.version, { ...base, status: 'returned', return_reason: comment, step_due_at: null });
          if (!u) throw conflict(CONFLICT_MESSAGE);
          await event(trx, a, 'return', a.step_index, who, comment, null, true);
          await notifyApplicant(
            trx,
            a,
            `您的${asApplication(snap.name)}需要补正`,
            `${step.name}退回：${comment.replace(/[。.！!]+$/u, '')}。请在“我的申请”中补正后重新提交。`,
          );
          smsText = `您的${asApplication(snap.name)}（${appNo(a.id)}）需要补正：${comment}`;
        } else if (input.action === 'reject') {
          if (!comment) throw invalid({ comment: '请填写不予通过的原因' });
          const u = await repo.updateApplication(trx, a.id, a.version, { ...base, status: 'rejected', reject_reason: comment, ...finished(at) });
          if (!u) throw conflict(CONFLICT_MESSAGE);
          await event(trx, a, 'reject', a.step_index, who, comment, null, true);
          await notifyApplicant(trx, a, `您的${asApplication(snap.name)}未通过`, `原因：${comment}`);
          smsText = `您的${asApplication(snap.name)}（${appNo(a.id)}）未通过。原因：${comment}`;
        } else if (input.action === 'transfer') {
          if (!input.toOrgId) throw invalid({ toOrgId: '请选择转办的工会' });
          const cur = plan[a.step_index]!;
          const to = await repo.orgInScope(trx, actor.orgPath, input.toOrgId);
          if (!to || to.status !== 'active') throw invalid({ toOrgId: '转办的工会不存在或不在您的管辖范围内' });
          if (to.id === cur.orgId) throw invalid({ toOrgId: '不能转办给当前办理的工会' });
          if (to.type !== cur.orgType) throw invalid({ toOrgId: '只能转办给同一层级的工会' });
          const newPlan = plan.map((p, i) => (i === a.step_index ? { orgId: to.id, orgName: to.name, orgPath: to.path, orgType: to.type } : p));
          const u = await repo.updateApplication(trx, a.id, a.version, {
            ...base,
            plan: JSON.stringify(newPlan),
            ...(await enterStep(trx, snap, newPlan, a.step_index, at, a.step_entry)),
          });
          if (!u) throw conflict(CONFLICT_MESSAGE);
          await event(
            trx,
            a,
            'transfer',
            a.step_index,
            who,
            comment,
            { fromOrgId: cur.orgId, fromOrgName: cur.orgName, toOrgId: to.id, toOrgName: to.name },
            true,
          );
        } else {
          const next = nextIndex(plan, a.step_index);
          if (next === null) {
            let granted: string | null = null;
            if (snap.aid) {
              if (!input.amount) throw invalid({ amount: '请填写核定金额' });
              const fen = fenOf(input.amount);
              if (fen <= 0n) throw invalid({ amount: '核定金额须大于 0' });
              if (a.requested_amount && fen > fenOf(a.requested_amount)) throw invalid({ amount: `核定金额不能超过申请金额 ${a.requested_amount} 元` });
              if (fen > fenOf(snap.aid.maxAmount)) throw invalid({ amount: `核定金额不能超过最高金额 ${snap.aid.maxAmount} 元` });
              granted = fromFen(fen);
            }
            const u = await repo.updateApplication(trx, a.id, a.version, { ...base, status: 'approved', granted_amount: granted, ...finished(at) });
            if (!u) throw conflict(CONFLICT_MESSAGE);
            await event(trx, a, 'approve', a.step_index, who, comment, granted ? { amount: granted } : null, true);
            let paid: { disbursementId: string } | null = null;
            if (granted) paid = await payAid(trx, actor, meta, a, granted);
            await event(
              trx,
              a,
              'complete',
              null,
              { type: 'system', id: null, name: '系统', orgId: null },
              granted ? `核定金额 ${granted} 元` : null,
              paid ? { disbursementId: paid.disbursementId } : null,
            );
            const body = granted ? `您的${asApplication(snap.name)}已办结，核定金额 ${granted} 元。` : `您的${asApplication(snap.name)}已办结。`;
            await notifyApplicant(trx, a, `您的${asApplication(snap.name)}已办结`, body);
            smsText = body;
          } else {
            const u = await repo.updateApplication(trx, a.id, a.version, { ...base, ...(await enterStep(trx, snap, plan, next, at, a.step_entry)) });
            if (!u) throw conflict(CONFLICT_MESSAGE);
            await event(trx, a, 'approve', a.step_index, who, comment, null, true);
          }
        }
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: `application.${input.action}`,
          targetType: 'application',
          targetId: a.id,
          orgId: a.handling_org_id,
          outcome: 'success',
          detail: {
            step: step.key,
            ...(input.amount && input.action === 'approve' && { amount: input.amount }),
            ...(input.toOrgId && { toOrgId: input.toOrgId }),
          },
        });
        return smsText ? { workerId: a.worker_id, text: smsText } : null;
      });
      if (sms) await ctx.messages.smsWorker(sms.workerId, sms.text);
      return api.get(actor, id);
    },

    /** Messages the handling union's staff once per overdue step (daily job; tests call it directly). */
    async sendReminders() {
      let sent = 0;
      for (;;) {
        const batch = await repo.overdueUnreminded(db, now(), 200);
        if (!batch.length) break;
        for (const a of batch) {
          const ok = await db.transaction().execute(async (trx) => {
            const claimed = await repo.claimReminder(trx, { application_id: a.id, step_entry: a.step_entry, org_id: a.handling_org_id!, sent_at: now() });
            if (!claimed) return false;
            const snap = snapshotOf(a);
            const step = snap.steps[a.step_index!]!;
            await ctx.messages.sendToStaff(
              trx,
              { orgId: a.handling_org_id!, permission: step.permission },
              {
                title: `催办：${asApplication(snap.name)}已超期`,
                body: `${a.applicant_name}的${asApplication(snap.name)}（${appNo(a.id)}）“${step.name}”已超过办理期限，请尽快办理。`,
                link: `/admin/#/applications/${a.id}`,
                category: 'application',
              },
            );
            await ctx.audit.append(trx, {
              actorType: 'system',
              actorId: null,
              actorName: '系统',
              action: 'application.remind',
              targetType: 'application',
              targetId: a.id,
              orgId: a.handling_org_id,
              outcome: 'success',
              detail: { step: step.key },
            });
            return true;
          });
          if (ok) sent++;
        }
        if (batch.length < 200) break;
      }
      return sent;
    },
  };
  return api;
}
