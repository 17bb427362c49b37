// The workflow engine's moving parts: form values and attachments checked against a definition,
// the plan (which union handles each step), entering a step, timeline events, notices, aid
// payment, and creating an application. Split out of applications.service.ts.
import { chinaYear } from '../../platform/china-time.js';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ApplicationAction, ApplicationRow, ServiceTypeRow } from '../../db/schema-services.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { canonicalMobile, maskIdNumber, parseResidentId } from '../../platform/validators.js';
import { isCalendarDate, isDbId } from '../../platform/fields.js';
import { codePointLength } from '../../platform/text.js';
import { maskPhone } from '../../platform/crypto.js';
import { auditActor, type AuditEntry } from '../audit/audit.service.js';
import { PHONE_DOMAIN } from '../members/members.people.js';
import { applicationsRepository as repo } from './applications.repository.js';
import { type AttachmentDef, type FormField, type Level, type ListFilters, type StepDef } from './applications.schema.js';
import {
  appNo,
  asApplication,
  definitionOf,
  nextIndex,
  normaliseAmount,
  pathIds,
  snapshotOf,
  type ApplicationsCtx,
  type Plan,
  type Snapshot,
  type StoredValues,
} from './applications.common.js';

export function createApplicationsEngine(ctx: ApplicationsCtx) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  // ---------- form validation ----------

  function validateValues(form: FormField[], input: Record<string, string | number>, prefix = 'values') {
    const f: Record<string, string> = {};
    const out: StoredValues = {};
    const known = new Set(form.map((x) => x.key));
    for (const k of Object.keys(input)) if (!known.has(k)) f[`${prefix}.${k}`] = `表单中没有“${k}”这一项`;
    for (const field of form) {
      const raw = input[field.key];
      const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
      const at = `${prefix}.${field.key}`;
      if (empty) {
        if (field.required) f[at] = `请填写${field.label}`;
        continue;
      }
      const s = String(raw).trim();
      switch (field.type) {
        case 'text':
        case 'textarea': {
          const max = field.maxLength ?? (field.type === 'text' ? 100 : 2000);
          if (codePointLength(s) > max) f[at] = `${field.label}不能超过 ${max} 个字`;
          else out[field.key] = s;
          break;
        }
        case 'number': {
          const n = Number(s);
          if (!Number.isFinite(n)) f[at] = `${field.label}须是数字`;
          else if (field.min !== undefined && n < field.min) f[at] = `${field.label}不能小于 ${field.min}`;
          else if (field.max !== undefined && n > field.max) f[at] = `${field.label}不能大于 ${field.max}`;
          else out[field.key] = n;
          break;
        }
        case 'amount': {
          if (!/^\d{1,12}(\.\d{1,2})?$/.test(s)) f[at] = `${field.label}须是金额（元），最多两位小数`;
          else {
            const n = Number(s);
            if (field.min !== undefined && n < field.min) f[at] = `${field.label}不能小于 ${field.min} 元`;
            else if (field.max !== undefined && n > field.max) f[at] = `${field.label}不能大于 ${field.max} 元`;
            else if (n <= 0 && field.required) f[at] = `${field.label}须大于 0`;
            else out[field.key] = normaliseAmount(s);
          }
          break;
        }
        case 'date': {
          if (!isCalendarDate(s)) f[at] = `${field.label}须是日期（YYYY-MM-DD）`;
          else out[field.key] = s;
          break;
        }
        case 'select':
          if (!field.options?.includes(s)) f[at] = `请从选项中选择${field.label}`;
          else out[field.key] = s;
          break;
        case 'id_number': {
          const p = parseResidentId(s, now());
          if (typeof p === 'string') f[at] = `${field.label}：${p}`;
          else out[field.key] = { enc: ctx.crypto.encrypt(p.number), masked: maskIdNumber(p.number) };
          break;
        }
        case 'phone': {
          const phone = canonicalMobile(s);
          if (!phone) f[at] = `${field.label}须是 11 位手机号`;
          else out[field.key] = { enc: ctx.crypto.encrypt(phone), masked: maskPhone(phone) };
          break;
        }
        case 'file':
          // A file field carries one attachment id; checked with the attachments below.
          if (!isDbId(s)) f[at] = `请上传${field.label}`;
          else out[field.key] = s;
          break;
      }
    }
    return { values: out, errors: f };
  }

  /** Checks the attachment choice against the definitions (+ file fields); returns what to link, by key. */
  async function checkAttachments(
    trx: Transaction<DB>,
    owner: { workerId: string } | { staffId: string },
    defs: AttachmentDef[],
    fileFields: FormField[],
    chosen: Record<string, string[]>,
    values: StoredValues,
    applicationId: string | null,
    errors: Record<string, string>,
  ) {
    const wanted: Record<string, string[]> = {};
    for (const k of Object.keys(chosen)) if (!defs.some((d) => d.key === k)) errors[`attachments.${k}`] = `没有“${k}”这项附件要求`;
    for (const d of defs) {
      const ids = [...new Set(chosen[d.key] ?? [])];
      if (d.required && ids.length === 0) errors[`attachments.${d.key}`] = `请上传${d.label}`;
      if (ids.length > d.maxCount) errors[`attachments.${d.key}`] = `${d.label}最多 ${d.maxCount} 个`;
      wanted[d.key] = ids;
    }
    for (const ff of fileFields) {
      const v = values[ff.key];
      if (typeof v === 'string') wanted[ff.key] = [v];
    }
    const all = [...new Set(Object.values(wanted).flat())];
    const rows = await repo.attachmentsOfOwnerByIds(trx, owner, all);
    for (const [k, ids] of Object.entries(wanted)) {
      const def = defs.find((d) => d.key === k);
      const at = def ? `attachments.${k}` : `values.${k}`;
      for (const id of ids) {
        const r = rows.find((x) => x.id === id);
        if (!r) errors[at] = '附件不存在，请重新上传';
        else if (r.application_id && r.application_id !== applicationId) errors[at] = '该附件已用于其他申请，请重新上传';
        else if (def && !def.kinds.includes(r.kind)) errors[at] = `${def.label}只接受${def.kinds.map((x) => (x === 'image' ? '图片' : 'PDF')).join('或')}`;
      }
    }
    return wanted;
  }

  // ---------- plan: who handles each step ----------

  async function resolvePlan(trx: Transaction<DB>, orgPath: string, steps: StepDef[]): Promise<Plan> {
    const chain = await repo.orgsOnPath(trx, pathIds(orgPath));
    const self = chain[chain.length - 1]!;
    let prev: { id: string; level: Level } | null = null;
    return steps.map((s) => {
      const o = s.level === 'grassroots' ? self : [...chain].reverse().find((c) => c.type === s.level);
      // The tree has no such level (e.g. no town between a county and an enterprise union): skipped.
      if (!o) return null;
      // A higher level that resolves to the union which just reviewed at a lower level (a member of
      // a county union itself: grassroots = county) would review twice: that review is skipped.
      // Lottery steps are never skipped (their places hold for everyone).
      if (prev && prev.id === o.id && prev.level !== s.level && s.kind === 'review') {
        prev = { id: o.id, level: s.level };
        return null;
      }
      prev = { id: o.id, level: s.level };
      return { orgId: o.id, orgName: o.name, orgPath: o.path, orgType: o.type };
    });
  }

  /** The columns for entering step `i`; the due time counts working days by the holiday calendar. */
  async function enterStep(trx: Transaction<DB>, snap: Snapshot, plan: Plan, i: number, at: Date, entry: number) {
    const step = snap.steps[i]!;
    const p = plan[i]!;
    return {
      step_index: i,
      step_key: step.key,
      step_permission: step.permission,
      handling_org_id: p.orgId,
      handling_org_path: p.orgPath,
      step_entry: entry + 1,
      step_started_at: at,
      step_due_at: await ctx.holidays.addWorkingDays(trx, at, step.slaDays),
    };
  }

  async function event(
    trx: Transaction<DB>,
    app: Pick<ApplicationRow, 'id' | 'snapshot' | 'step_started_at'>,
    action: ApplicationAction,
    stepIndex: number | null,
    who: { type: 'staff' | 'worker' | 'system'; id: string | null; name: string; orgId: string | null },
    comment: string | null,
    detail: Record<string, unknown> | null = null,
    handled = false,
  ) {
    const step = stepIndex === null ? null : snapshotOf(app).steps[stepIndex];
    const at = now();
    await repo.insertEvent(trx, {
      application_id: app.id,
      action,
      step_index: stepIndex,
      step_key: step?.key ?? null,
      step_name: step?.name ?? null,
      actor_type: who.type,
      actor_id: who.id,
      actor_name: who.name,
      org_id: who.orgId,
      comment,
      detail: detail ? JSON.stringify(detail) : null,
      handling_seconds: handled && app.step_started_at ? Math.max(0, Math.round((at.getTime() - new Date(app.step_started_at).getTime()) / 1000)) : null,
      at,
    });
  }

  /** In-app message to the applicant's H5 account (none for a staff entry without one). */
  const notifyApplicant = (trx: Transaction<DB>, a: ApplicationRow, title: string, body: string) =>
    a.worker_id
      ? ctx.messages.send(trx, { workerId: a.worker_id }, { title, body, link: `/h5/#/applications/${a.id}`, category: 'application' })
      : Promise.resolve();

  async function payAid(trx: Transaction<DB>, actor: StaffActor, meta: RequestMeta, a: ApplicationRow, amount: string) {
    const snap = snapshotOf(a);
    const aid = snap.aid!;
    if (!ctx.aid.disburseIn) throw new AppError('CONFLICT', '帮扶资金模块尚未就绪，暂不能办结发放资金的申请');
    const values = a.form_values as StoredValues;
    const category = aid.fundField ? String(values[aid.fundField] ?? '') : null;
    const fundCode = aid.fundCode ?? (category ? (ctx.aid.fundCodeOf?.(category) ?? category) : '');
    if (!fundCode) throw invalid({ amount: '无法确定帮扶资金类别' });
    // The union whose budget pays: the applicant's ancestor at payLevel (nearest one at or below it when the tree lacks it).
    const levels: Level[] = ['grassroots', 'town', 'county', 'city'];
    const chain = await repo.orgsOnPath(trx, pathIds(a.org_path));
    let payer = aid.payLevel === 'grassroots' ? chain[chain.length - 1] : [...chain].reverse().find((c) => c.type === aid.payLevel);
    if (!payer) {
      const idx = levels.indexOf(aid.payLevel);
      payer = [...chain].reverse().find((c) => levels.indexOf(c.type as Level) >= 0 && levels.indexOf(c.type as Level) <= idx) ?? chain[chain.length - 1];
    }
    if (!a.person_id) throw new AppError('CONFLICT', '申请人不是会员，不能发放帮扶资金');
    return ctx.aid.disburseIn(trx, {
      audit: auditActor(actor, meta),
      budgetOrgId: payer!.id,
      year: chinaYear(now()),
      fundCode,
      amount,
      personId: a.person_id,
      applicationId: a.id,
      category,
      note: `${snap.name} ${appNo(a.id)}`,
    });
  }

  async function listArgs(actor: StaffActor, f: ListFilters) {
    let orgPath: string | undefined;
    let handlingPath: string | undefined;
    if (f.orgId) {
      const o = await ctx.orgs.findInScope(actor, f.orgId);
      if (!o) throw notFound('组织');
      orgPath = o.path;
    }
    if (f.handlingOrgId) {
      const o = await ctx.orgs.findInScope(actor, f.handlingOrgId);
      if (!o) throw notFound('组织');
      handlingPath = o.path;
    }
    const phoneBidx = f.q && /^1\d{10}$/.test(f.q) ? ctx.crypto.blindIndex(f.q, PHONE_DOMAIN) : undefined;
    return { ...f, now: now(), orgPath, handlingPath, phoneBidx };
  }

  /** The one way an application comes to exist (H5 or staff entry), inside the caller's transaction. */
  async function createIn(
    trx: Transaction<DB>,
    x: {
      t: ServiceTypeRow;
      org: { id: string; path: string };
      owner: { workerId: string } | { staffId: string };
      workerId: string | null;
      enteredBy: string | null;
      person: { id: string; idMasked: string } | null;
      applicantName: string;
      phone: { masked: string; bidx: string };
      values: Record<string, string | number>;
      attachments: Record<string, string[]>;
      idempotencyKey: string;
      who: { type: 'staff' | 'worker'; id: string | null; name: string; orgId: string | null };
      audit: Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'>;
    },
  ) {
    const { t, org } = x;
    const d = definitionOf(t);
    const snap: Snapshot = { code: t.code, name: t.name, category: t.category, applicantScope: t.applicant_scope, ...d, aid: d.aid ?? null };
    const { values, errors } = validateValues(d.form, x.values);
    const wanted = await checkAttachments(
      trx,
      x.owner,
      d.attachments,
      d.form.filter((f) => f.type === 'file'),
      x.attachments,
      values,
      null,
      errors,
    );
    if (Object.keys(errors).length) throw invalid(errors);
    const plan = await resolvePlan(trx, org.path, d.steps);
    const first = nextIndex(plan, -1);
    if (first === null) throw invalid({ serviceTypeId: '申请人所在工会没有可办理该事项的上级工会' });
    const at = now();
    const requested = d.aid ? String(values[d.aid.amountField] ?? '') || null : null;
    const app = await repo.insertApplication(trx, {
      service_type_id: t.id,
      snapshot: JSON.stringify(snap),
      worker_id: x.workerId,
      entered_by: x.enteredBy,
      person_id: x.person?.id ?? null,
      applicant_name: x.applicantName,
      applicant_phone_masked: x.phone.masked,
      applicant_phone_bidx: x.phone.bidx,
      applicant_id_masked: x.person?.idMasked ?? null,
      org_id: org.id,
      org_path: org.path,
      status: 'in_review',
      plan: JSON.stringify(plan),
      ...(await enterStep(trx, snap, plan, first, at, 0)),
      form_values: JSON.stringify(values),
      requested_amount: requested,
      idempotency_key: x.idempotencyKey,
      submitted_at: at,
    });
    for (const [k, ids] of Object.entries(wanted)) await repo.linkAttachments(trx, app.id, k, ids);
    await event(trx, app, 'submit', null, x.who, x.enteredBy ? '工作人员代为申请' : null);
    await notifyApplicant(
      trx,
      app,
      `${asApplication(snap.name)}已提交`,
      `您的${asApplication(snap.name)}（${appNo(app.id)}）已提交，由${plan[first]!.orgName}办理。`,
    );
    await ctx.audit.append(trx, {
      ...x.audit,
      action: x.enteredBy ? 'application.submit_on_behalf' : 'application.submit',
      targetType: 'application',
      targetId: app.id,
      orgId: org.id,
      outcome: 'success',
      detail: { serviceType: t.code },
    });
    return app;
  }

  return { db, now, validateValues, checkAttachments, resolvePlan, enterStep, event, notifyApplicant, payAid, listArgs, createIn };
}

export type ApplicationsEngine = ReturnType<typeof createApplicationsEngine>;
