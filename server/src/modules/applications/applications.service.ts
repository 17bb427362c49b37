// The service catalogue and the one workflow engine every application runs on. An application
// moves only by transitions (submit, approve, return, resubmit, reject, transfer, withdraw,
// lottery win/lose); each is a versioned update plus a timeline event plus an audit row, in one
// transaction. The application keeps a snapshot of its type's definition from submission.
import { chinaDate, chinaMinute, chinaYear } from '../../platform/china-time.js';
import { isUniqueViolation } from '../../db/errors.js';
import { fenOf, fromFen, yuan } from '../../platform/money.js';
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { loadExcel } from '../../platform/excel.js';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ApplicationAction, ApplicationRow, ServiceTypeRow } from '../../db/schema-services.js';
import type { RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { canonicalMobile, maskIdNumber, parseResidentId } from '../../platform/validators.js';
import { isCalendarDate, isDbId } from '../../platform/fields.js';
import { codePointLength } from '../../platform/text.js';
import { maskPhone } from '../../platform/crypto.js';
import { auditActor, type AuditEntry } from '../audit/audit.service.js';
import { PHONE_DOMAIN } from '../members/members.people.js';
import { escapeCell } from '../../platform/spreadsheet.js';
import type { ModuleContext } from '../module-context.js';
import { applicationsRepository as repo, type ApplicationListRow } from './applications.repository.js';
import {
  ACTION_LABELS,
  APPLICANT_SCOPES,
  APPLICATION_STATUSES,
  CATEGORIES,
  FIELD_TYPES,
  LEVELS,
  SERVICE_STATUSES,
  STEP_ACTIONS,
  STEP_KINDS,
  validateDefinition,
  type ActionInput,
  type ApplicationStatusKey,
  type AttachmentDef,
  type FormField,
  type Level,
  type ListFilters,
  type ResubmitInput,
  type ServiceDefinition,
  type ServiceTypeInput,
  type ServiceTypePatch,
  type StepDef,
  type SubmitInput,
  type StaffSubmitInput,
} from './applications.schema.js';
import type { FileStore } from './applications.files.js';
import { createAttachmentUploads } from './applications.uploads.js';
import { createApplicationsQueue } from './applications.queue.js';

export const CONFLICT_MESSAGE = '该申请已被他人处理，请刷新后查看';

/** What the engine needs of the aid module (docs/api/aid-hardship.md). */
export interface AidPort {
  disburseIn?: (
    trx: Transaction<DB>,
    input: {
      audit: Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'>;
      budgetOrgId: string;
      year: number;
      fundCode: string;
      amount: string;
      personId: string;
      applicationId?: string | null;
      category?: string | null;
      note?: string | null;
    },
  ) => Promise<{ disbursementId: string; budgetId: string; balanceAfter: string }>;
  fundCodeOf?: (category: string) => string | null;
}

export interface Snapshot extends ServiceDefinition {
  code: string;
  name: string;
  category: string;
  applicantScope: 'member' | 'worker';
}
interface PlanEntry {
  orgId: string;
  orgName: string;
  orgPath: string;
  orgType: string;
}
type Plan = (PlanEntry | null)[];
type Sensitive = { enc: string; masked: string };
type StoredValue = string | number | Sensitive;
type StoredValues = Record<string, StoredValue>;

const isSensitive = (v: unknown): v is Sensitive => typeof v === 'object' && v !== null && 'enc' in v;
const normaliseAmount = (s: string) => yuan(s);
const appNo = (id: string) => `SQ${id.padStart(8, '0')}`;
const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const pathIds = (path: string) => path.split('/').filter(Boolean);
const label = <T extends Record<string, string>>(m: T) => Object.entries(m).map(([value, l]) => ({ value, label: l }));

/** A service type as a worker sees it in the catalogue: whether they may apply, and why not. */
function workerTypeSummary(
  t: { id: string; code: string; name: string; category: string; description: string; applicant_scope: keyof typeof APPLICANT_SCOPES },
  isMember: boolean,
) {
  const canApply = t.applicant_scope === 'worker' || isMember;
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    category: t.category,
    description: t.description,
    applicantScope: t.applicant_scope,
    applicantScopeLabel: APPLICANT_SCOPES[t.applicant_scope],
    canApply,
    whyNot: canApply ? null : '该服务仅限工会会员申请',
  };
}

/** 维权申请 stays 维权申请; 困难帮扶 becomes 困难帮扶申请 (messages name the application, not the service). */
export const asApplication = (serviceName: string) => (serviceName.endsWith('申请') ? serviceName : `${serviceName}申请`);
export function createApplicationsService(ctx: ModuleContext & { aid: AidPort; files: FileStore }) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();
  const uploads = createAttachmentUploads({ db, clock: ctx.clock, audit: ctx.audit, files: ctx.files });
  ctx.orgs.registerMoveHook((trx, oldPath, newPath) => repo.rewriteOrgPaths(trx, oldPath, newPath));

  const definitionOf = (t: ServiceTypeRow) => t.definition as ServiceDefinition;
  const snapshotOf = (a: Pick<ApplicationRow, 'snapshot'>) => a.snapshot as Snapshot;
  const planOf = (a: Pick<ApplicationRow, 'plan'>) => a.plan as Plan;

  // ---------- catalogue ----------

  function presentType(t: ServiceTypeRow & { org_name?: string | null; application_count?: number | null }, actor: StaffActor | null, rootPath: string) {
    const d = definitionOf(t);
    const owner = t.org_path ?? rootPath;
    return {
      id: t.id,
      code: t.code,
      name: t.name,
      category: t.category,
      description: t.description,
      applicantScope: t.applicant_scope,
      applicantScopeLabel: APPLICANT_SCOPES[t.applicant_scope],
      org: t.org_id ? { id: t.org_id, name: t.org_name ?? '' } : null,
      builtin: t.builtin,
      status: t.status,
      statusLabel: SERVICE_STATUSES[t.status],
      form: d.form,
      attachments: d.attachments,
      steps: d.steps.map((s) => ({ ...s, levelLabel: LEVELS[s.level], kindLabel: STEP_KINDS[s.kind] })),
      aid: d.aid ?? null,
      editable: !!actor && actor.permissions.has('service:manage') && owner.startsWith(actor.orgPath),
      applicationCount: Number(t.application_count ?? 0),
      createdAt: iso(t.created_at)!,
      updatedAt: iso(t.updated_at)!,
      version: t.version,
    };
  }

  function checkDefinition(d: ServiceDefinition, scope: 'member' | 'worker') {
    validateDefinition(d);
    if (d.aid && scope !== 'member') throw invalid({ 'aid.payLevel': '发放帮扶资金的事项须仅限会员申请（资金发放到会员本人）' });
  }

  /** `rootPath` is read before the transaction (PGlite: one connection). */
  async function editableType(trx: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string, rootPath: string) {
    const t = await repo.typeVisible(trx, actor.orgPath, id);
    if (!t || !(t.org_path ?? rootPath).startsWith(actor.orgPath)) throw notFound('服务事项');
    return { t };
  }

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

  const nextIndex = (plan: Plan, from: number) => {
    for (let i = from + 1; i < plan.length; i++) if (plan[i]) return i;
    return null;
  };

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

  const finished = (at: Date) => ({
    step_permission: null,
    handling_org_id: null,
    handling_org_path: null,
    step_due_at: null,
    finished_at: at,
  });

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

  const staffWho = (a: StaffActor) => ({ type: 'staff' as const, id: a.accountId, name: a.displayName, orgId: a.orgId });
  const workerWho = (a: ApplicationRow) => ({ type: 'worker' as const, id: a.worker_id, name: a.applicant_name, orgId: null });

  /** In-app message to the applicant's H5 account (none for a staff entry without one). */
  const notifyApplicant = (trx: Transaction<DB>, a: ApplicationRow, title: string, body: string) =>
    a.worker_id
      ? ctx.messages.send(trx, { workerId: a.worker_id }, { title, body, link: `/h5/#/applications/${a.id}`, category: 'application' })
      : Promise.resolve();

  // ---------- presenting ----------

  function stepStates(a: ApplicationRow) {
    const snap = snapshotOf(a);
    const plan = planOf(a);
    return snap.steps.map((s, i) => {
      let state: 'done' | 'current' | 'pending' | 'skipped';
      if (!plan[i]) state = 'skipped';
      else if (a.status === 'approved') state = 'done';
      else if (a.step_index === null) state = 'pending';
      else if (i < a.step_index) state = 'done';
      else if (i === a.step_index) state = a.status === 'in_review' || a.status === 'returned' ? 'current' : 'done';
      else state = 'pending';
      return {
        key: s.key,
        name: s.name,
        kind: s.kind,
        levelLabel: LEVELS[s.level],
        org: plan[i] ? { id: plan[i].orgId, name: plan[i].orgName } : null,
        state,
        dueAt: i === a.step_index && a.status === 'in_review' ? iso(a.step_due_at) : null,
      };
    });
  }

  const currentStep = (a: Pick<ApplicationRow, 'snapshot' | 'step_index' | 'status'>) => {
    if (a.step_index === null || !(a.status === 'in_review' || a.status === 'returned')) return null;
    const s = snapshotOf(a).steps[a.step_index]!;
    return { key: s.key, name: a.status === 'in_review' && s.kind === 'lottery' ? `${s.name}（待抽签）` : s.name, levelLabel: LEVELS[s.level] };
  };

  async function timeline(ex: Kysely<DB> | Transaction<DB>, id: string) {
    return (await repo.eventsOf(ex, id)).map((e) => ({
      id: e.id,
      action: e.action,
      actionLabel: ACTION_LABELS[e.action],
      stepKey: e.step_key,
      stepName: e.step_name,
      actorName: e.actor_name,
      orgName: e.org_name,
      comment: e.comment,
      at: iso(e.at)!,
    }));
  }

  function presentRow(r: ApplicationListRow) {
    const snap = snapshotOf(r);
    const overdue = r.status === 'in_review' && !!r.step_due_at && new Date(r.step_due_at) < now();
    return {
      id: r.id,
      no: appNo(r.id),
      serviceType: { id: r.service_type_id, code: snap.code, name: snap.name },
      status: r.status,
      statusLabel: APPLICATION_STATUSES[r.status],
      applicantName: r.applicant_name,
      applicantPhoneMasked: r.applicant_phone_masked,
      org: { id: r.org_id, name: r.org_name },
      handlingOrg: r.handling_org_id ? { id: r.handling_org_id, name: r.handling_org_name ?? '' } : null,
      currentStep: currentStep(r),
      submittedAt: iso(r.submitted_at)!,
      dueAt: r.status === 'in_review' ? iso(r.step_due_at) : null,
      overdue,
      requestedAmount: r.requested_amount,
      grantedAmount: r.granted_amount,
      version: r.version,
    };
  }

  async function workerView(a: ApplicationRow) {
    const snap = snapshotOf(a);
    const names = new Map((await repo.orgNames(db, [a.org_id, ...(a.handling_org_id ? [a.handling_org_id] : [])])).map((o) => [o.id, o.name]));
    const values: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(a.form_values as StoredValues)) values[k] = isSensitive(v) ? ctx.crypto.decrypt(v.enc) : v;
    const attachments = (await repo.attachmentsOf(db, a.id)).map((x) => ({
      id: x.id,
      defKey: x.def_key,
      name: x.file_name,
      kind: x.kind,
      size: x.size,
      url: `/api/worker/attachments/${x.id}`,
    }));
    return {
      id: a.id,
      no: appNo(a.id),
      serviceType: { id: a.service_type_id, code: snap.code, name: snap.name },
      status: a.status,
      statusLabel: APPLICATION_STATUSES[a.status],
      currentStep: currentStep(a),
      submittedAt: iso(a.submitted_at)!,
      updatedAt: iso(a.updated_at)!,
      org: { id: a.org_id, name: names.get(a.org_id) ?? '' },
      handlingOrg: a.handling_org_id ? { id: a.handling_org_id, name: names.get(a.handling_org_id) ?? '' } : null,
      values,
      form: snap.form,
      attachmentDefs: snap.attachments,
      steps: stepStates(a).map(({ key, name, levelLabel, kind, state }) => ({ key, name, levelLabel, kind, state })),
      attachments,
      requestedAmount: a.requested_amount,
      grantedAmount: a.granted_amount,
      returnReason: a.status === 'returned' ? a.return_reason : null,
      rejectReason: a.reject_reason,
      canWithdraw: a.status === 'in_review' && !a.reviewed,
      canResubmit: a.status === 'returned',
      version: a.version,
      timeline: await timeline(db, a.id),
    };
  }

  function isFinalStep(a: ApplicationRow) {
    return a.step_index !== null && nextIndex(planOf(a), a.step_index) === null;
  }

  function allowedActions(actor: StaffActor, a: ApplicationRow) {
    if (a.status !== 'in_review' || a.step_index === null || !a.handling_org_path?.startsWith(actor.orgPath)) return [];
    const step = snapshotOf(a).steps[a.step_index]!;
    if (!actor.permissions.has(step.permission as never)) return [];
    return step.actions;
  }

  async function staffView(actor: StaffActor, a: ApplicationRow) {
    const snap = snapshotOf(a);
    const names = new Map((await repo.orgNames(db, [a.org_id, ...(a.handling_org_id ? [a.handling_org_id] : [])])).map((o) => [o.id, o.name]));
    const person = a.person_id ? await repo.personOf(db, a.person_id) : undefined;
    const values: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(a.form_values as StoredValues)) values[k] = isSensitive(v) ? v.masked : v;
    const actions = allowedActions(actor, a);
    const step = a.step_index !== null ? snap.steps[a.step_index] : undefined;
    const current = a.step_index !== null ? planOf(a)[a.step_index] : null;
    const transferTargets = actions.includes('transfer') && current ? await repo.transferTargets(db, actor.orgPath, current.orgType, current.orgId) : [];
    return {
      id: a.id,
      no: appNo(a.id),
      serviceType: { id: a.service_type_id, code: snap.code, name: snap.name },
      status: a.status,
      statusLabel: APPLICATION_STATUSES[a.status],
      applicantName: a.applicant_name,
      applicantPhoneMasked: a.applicant_phone_masked,
      org: { id: a.org_id, name: names.get(a.org_id) ?? '' },
      handlingOrg: a.handling_org_id ? { id: a.handling_org_id, name: names.get(a.handling_org_id) ?? '' } : null,
      currentStep: currentStep(a),
      submittedAt: iso(a.submitted_at)!,
      dueAt: a.status === 'in_review' ? iso(a.step_due_at) : null,
      overdue: a.status === 'in_review' && !!a.step_due_at && new Date(a.step_due_at) < now(),
      requestedAmount: a.requested_amount,
      version: a.version,
      applicant: {
        name: a.applicant_name,
        phoneMasked: a.applicant_phone_masked,
        idMasked: a.applicant_id_masked,
        memberNo: person?.member_no ?? null,
        isMember: !!a.person_id,
      },
      values,
      form: snap.form,
      attachmentDefs: snap.attachments,
      steps: stepStates(a),
      attachments: (await repo.attachmentsOf(db, a.id)).map((x) => ({
        id: x.id,
        defKey: x.def_key,
        name: x.file_name,
        kind: x.kind,
        size: x.size,
        url: `/api/applications/${a.id}/attachments/${x.id}`,
      })),
      grantedAmount: a.granted_amount,
      aid: snap.aid
        ? { fundCode: snap.aid.fundCode ?? null, fundField: snap.aid.fundField ?? null, maxAmount: snap.aid.maxAmount, payLevel: snap.aid.payLevel }
        : null,
      returnReason: a.return_reason,
      rejectReason: a.reject_reason,
      allowedActions: actions,
      needsAmount: actions.includes('approve') && !!snap.aid && isFinalStep(a) && step?.kind === 'review',
      transferTargets,
      timeline: await timeline(db, a.id),
    };
  }

  // ---------- aid ----------

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

  // ---------- export ----------

  async function keepPace(out: PassThrough) {
    while (!out.destroyed && (out.writableNeedDrain || out.readableLength >= out.readableHighWaterMark)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  const EXPORT_COLUMNS = [
    '申请编号',
    '服务事项',
    '申请人',
    '手机号',
    '身份证号',
    '所属工会',
    '状态',
    '当前环节',
    '办理单位',
    '提交时间',
    '办理期限',
    '是否超期',
    '申请金额',
    '核定金额',
    '办结时间',
  ];
  const cstTime = (d: Date | null | undefined) => (d ? chinaMinute(new Date(d)) : '');

  async function writeExport(out: PassThrough, scopePath: string, f: Omit<Parameters<typeof repo.exportPage>[2], 'limit' | 'beforeId'>) {
    const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet('服务申请');
    ws.columns = EXPORT_COLUMNS.map((header, i) => ({ header, key: `c${i}`, width: i === 1 || i === 5 || i === 8 ? 28 : 14 }));
    let beforeId: string | undefined;
    for (;;) {
      const page = await repo.exportPage(db, scopePath, { ...f, beforeId, limit: 1000 });
      for (const r of page) {
        const row = presentRow(r);
        ws.addRow(
          [
            row.no,
            row.serviceType.name,
            r.applicant_name,
            r.applicant_phone_masked,
            r.applicant_id_masked ?? '',
            r.org_name,
            row.statusLabel,
            row.currentStep?.name ?? '',
            row.handlingOrg?.name ?? '',
            cstTime(r.submitted_at),
            cstTime(row.dueAt ? new Date(row.dueAt) : null),
            row.overdue ? '是' : '否',
            r.requested_amount ?? '',
            r.granted_amount ?? '',
            cstTime(r.finished_at),
          ].map((v) => escapeCell(v)),
        ).commit();
      }
      if (page.length < 1000 || out.destroyed) break;
      beforeId = page[page.length - 1]!.id;
      await keepPace(out);
    }
    ws.commit();
    await wb.commit();
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

  // ---------- the engine ----------

  const service = {
    dictionary() {
      return {
        statuses: label(APPLICATION_STATUSES),
        actions: label(ACTION_LABELS),
        stepActions: label(STEP_ACTIONS),
        levels: label(LEVELS),
        stepKinds: label(STEP_KINDS),
        applicantScopes: label(APPLICANT_SCOPES),
        fieldTypes: label(FIELD_TYPES),
        serviceStatuses: label(SERVICE_STATUSES),
        categories: CATEGORIES.map((c) => ({ value: c, label: c })),
      };
    },

    async listTypes(actor: StaffActor, f: { status?: 'active' | 'disabled'; q?: string; category?: string }) {
      const rootPath = await ctx.orgs.rootPath();
      return { items: (await repo.listTypes(db, actor.orgPath, f)).map((t) => presentType(t, actor, rootPath)) };
    },

    async getType(actor: StaffActor, id: string) {
      const t = await repo.typeVisible(db, actor.orgPath, id);
      if (!t) throw notFound('服务事项');
      return presentType({ ...t, application_count: await repo.applicationCount(db, t.id) }, actor, await ctx.orgs.rootPath());
    },

    async createType(actor: StaffActor, meta: RequestMeta, input: ServiceTypeInput) {
      const definition: ServiceDefinition = { form: input.form, attachments: input.attachments, steps: input.steps, aid: input.aid ?? null };
      checkDefinition(definition, input.applicantScope);
      const orgId = input.orgId ?? actor.orgId;
      const org = await ctx.orgs.findInScope(actor, orgId);
      if (!org) throw notFound('组织');
      try {
        const t = await db.transaction().execute(async (trx) => {
          const t = await repo.insertType(trx, {
            code: input.code,
            name: input.name,
            category: input.category,
            description: input.description,
            applicant_scope: input.applicantScope,
            org_id: org.id,
            org_path: org.path,
            definition: JSON.stringify(definition),
            created_by: actor.accountId,
          });
          await ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'service_type.create',
            targetType: 'service_type',
            targetId: t.id,
            orgId: org.id,
            outcome: 'success',
            detail: { code: t.code, name: t.name, steps: definition.steps.length },
          });
          return t;
        });
        return service.getType(actor, t.id);
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('CONFLICT', `事项编码“${input.code}”已存在`, { code: '事项编码已存在' });
        throw err;
      }
    },

    async updateType(actor: StaffActor, meta: RequestMeta, id: string, input: ServiceTypePatch) {
      const rootPath = await ctx.orgs.rootPath();
      await db.transaction().execute(async (trx) => {
        const { t } = await editableType(trx, actor, id, rootPath);
        if (t.version !== input.version) throw conflict('该服务事项已被他人修改，请刷新后重试');
        const d = definitionOf(t);
        const definition: ServiceDefinition = {
          form: input.form ?? d.form,
          attachments: input.attachments ?? d.attachments,
          steps: input.steps ?? d.steps,
          aid: input.aid === undefined ? (d.aid ?? null) : input.aid,
        };
        const scope = input.applicantScope ?? t.applicant_scope;
        checkDefinition(definition, scope);
        const updated = await repo.updateType(trx, t.id, t.version, {
          name: input.name ?? t.name,
          category: input.category ?? t.category,
          description: input.description ?? t.description,
          applicant_scope: scope,
          definition: JSON.stringify(definition),
          updated_at: now(),
        });
        if (!updated) throw conflict('该服务事项已被他人修改，请刷新后重试');
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'service_type.update',
          targetType: 'service_type',
          targetId: t.id,
          orgId: t.org_id,
          outcome: 'success',
          detail: { changed: Object.keys(input).filter((k) => k !== 'version') },
        });
      });
      return service.getType(actor, id);
    },

    async setTypeStatus(actor: StaffActor, meta: RequestMeta, id: string, status: 'active' | 'disabled', version: number) {
      const rootPath = await ctx.orgs.rootPath();
      await db.transaction().execute(async (trx) => {
        const { t } = await editableType(trx, actor, id, rootPath);
        if (t.version !== version) throw conflict('该服务事项已被他人修改，请刷新后重试');
        const updated = await repo.updateType(trx, t.id, t.version, { status, updated_at: now() });
        if (!updated) throw conflict('该服务事项已被他人修改，请刷新后重试');
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: status === 'active' ? 'service_type.enable' : 'service_type.disable',
          targetType: 'service_type',
          targetId: t.id,
          orgId: t.org_id,
          outcome: 'success',
          detail: { code: t.code },
        });
      });
      return service.getType(actor, id);
    },

    // ----- worker -----

    async workerServices(worker: WorkerActor) {
      const m = await repo.liveMembershipOfWorker(db, worker.workerId);
      const types = await repo.activeTypesFor(db, m?.org_path ?? null);
      return {
        items: types.map((t) => workerTypeSummary(t, !!m)),
      };
    },

    async workerService(worker: WorkerActor, idOrCode: string) {
      const t = isDbId(idOrCode) ? await repo.typeById(db, idOrCode) : await repo.typeByCode(db, idOrCode);
      const m = await repo.liveMembershipOfWorker(db, worker.workerId);
      if (!t || t.status !== 'active') throw notFound('服务事项');
      if (m && t.org_path && !m.org_path.startsWith(t.org_path)) throw notFound('服务事项');
      const d = definitionOf(t);
      return {
        ...workerTypeSummary(t, !!m),
        form: d.form,
        attachments: d.attachments,
        steps: d.steps.map((s) => ({ key: s.key, name: s.name, levelLabel: LEVELS[s.level], kind: s.kind })),
        membership: m ? { orgId: m.org_id, orgName: m.org_name } : null,
        needsOrg: !m,
      };
    },

    /** A worker's upload (H5), or a staff account's (entry on a member's behalf), within the uploader's quota. */
    upload: uploads.upload,
    /** Deletes uploads no application took within 24 hours (the hourly clean-up). */
    expireUnlinkedUploads: uploads.expireUnlinked,

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
      return service.workerGet(worker, id);
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
      return service.workerGet(worker, id);
    },

    // ----- staff -----

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
      if (existing) return service.get(actor, existing.id);
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
          if (again) return service.get(actor, again.id);
        }
        throw err;
      }
      return service.get(actor, id);
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
      return service.get(actor, id);
    },

    async export(actor: StaffActor, meta: RequestMeta, f: ListFilters) {
      const args = await listArgs(actor, f);
      const { total } = await repo.list(db, actor.orgPath, { ...args, limit: 1, offset: 0 });
      await ctx.audit.record({
        ...auditActor(actor, meta),
        action: 'application.export',
        targetType: 'application',
        targetId: null,
        orgId: actor.orgId,
        outcome: 'success',
        detail: { rows: total, filters: { ...f, q: f.q && /^1\d{10}$/.test(f.q) ? maskPhone(f.q) : f.q } },
      });
      const stream = new PassThrough();
      writeExport(stream, actor.orgPath, args).catch((err: unknown) => stream.destroy(err as Error));
      const day = chinaDate(now());
      return { stream, rows: total, fileName: `服务申请-${day}.xlsx`, asciiName: `applications-${day}.xlsx` };
    },

    async figures(actor: StaffActor, orgId: string, f: { from?: string; to?: string }) {
      const org = await ctx.orgs.findInScope(actor, orgId);
      if (!org) throw notFound('组织');
      const n = now();
      const r = await repo.figures(db, org.path, n, {
        from: f.from ? new Date(`${f.from}T00:00:00+08:00`) : undefined,
        to: f.to ? new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined,
      });
      const dates = `${f.from ? `&from=${f.from}` : ''}${f.to ? `&to=${f.to}` : ''}`;
      return {
        orgId: org.id,
        byServiceAndStatus: r.byStatus.map((x) => ({
          serviceTypeId: x.service_type_id,
          serviceName: x.name,
          status: x.status,
          statusLabel: APPLICATION_STATUSES[x.status],
          count: Number(x.n),
          query: `serviceTypeId=${x.service_type_id}&status=${x.status}&orgId=${org.id}${dates}`,
        })),
        handlingTimeByStep: r.handling.map((x) => ({
          serviceTypeId: x.service_type_id,
          serviceName: x.name,
          stepKey: x.step_key,
          stepName: x.step_name,
          handled: Number(x.n),
          medianHours: Math.round((Number(x.median_seconds) / 3600) * 10) / 10,
          query: `serviceTypeId=${x.service_type_id}&orgId=${org.id}${dates}`,
        })),
        overdue: { count: r.overdue, query: `overdue=true&orgId=${org.id}${dates}` },
      };
    },

    async draw(actor: StaffActor, meta: RequestMeta, input: { serviceTypeId: string; stepKey: string; orgId: string; seed?: string }) {
      const seed = input.seed ?? randomBytes(16).toString('hex');
      const result = await db.transaction().execute(async (trx) => {
        const t = await repo.typeVisible(trx, actor.orgPath, input.serviceTypeId);
        if (!t) throw notFound('服务事项');
        const org = await repo.orgInScope(trx, actor.orgPath, input.orgId);
        if (!org) throw notFound('组织');
        const candidates = await repo.lotteryCandidates(trx, t.id, input.stepKey, org.id);
        if (!candidates.length) throw invalid({ stepKey: '没有待抽签的申请' }, '没有待抽签的申请');
        const snapStep = snapshotOf(candidates[0]!).steps[candidates[0]!.step_index!]!;
        if (snapStep.kind !== 'lottery') throw invalid({ stepKey: '该环节不是抽签环节' });
        if (!actor.permissions.has(snapStep.permission as never)) throw new AppError('FORBIDDEN', `您没有办理“${snapStep.name}”的权限`);
        const places = snapStep.places ?? 0;
        const ranked = [...candidates].sort((x, y) => {
          const hx = createHash('sha256').update(`${seed}:${x.id}`).digest('hex');
          const hy = createHash('sha256').update(`${seed}:${y.id}`).digest('hex');
          return hx < hy ? -1 : hx > hy ? 1 : 0;
        });
        const winners = new Set(ranked.slice(0, places).map((x) => x.id));
        const at = now();
        const who = staffWho(actor);
        const sms: { workerId: string | null; text: string }[] = [];
        for (const a of candidates) {
          const snap = snapshotOf(a);
          const plan = planOf(a);
          if (winners.has(a.id)) {
            const next = nextIndex(plan, a.step_index!);
            const patch = next === null ? { status: 'approved' as const, ...finished(at) } : await enterStep(trx, snap, plan, next, at, a.step_entry);
            const u = await repo.updateApplication(trx, a.id, a.version, { ...patch, reviewed: true, updated_at: at });
            if (!u) throw conflict(CONFLICT_MESSAGE);
            await event(trx, a, 'lottery_win', a.step_index, who, `抽签种子 ${seed}`, { seed }, true);
            if (next === null) {
              await event(trx, a, 'complete', null, { type: 'system', id: null, name: '系统', orgId: null }, null);
              await notifyApplicant(trx, a, `您的${asApplication(snap.name)}已办结`, `您已中签，${asApplication(snap.name)}已办结。`);
              sms.push({ workerId: a.worker_id, text: `您的${asApplication(snap.name)}已中签并办结。` });
            } else {
              await notifyApplicant(trx, a, `您的${asApplication(snap.name)}已中签`, `您已中签，申请进入下一环节。`);
            }
          } else {
            const u = await repo.updateApplication(trx, a.id, a.version, { status: 'not_selected', ...finished(at), reviewed: true, updated_at: at });
            if (!u) throw conflict(CONFLICT_MESSAGE);
            await event(trx, a, 'lottery_lose', a.step_index, who, `抽签种子 ${seed}`, { seed }, true);
            await notifyApplicant(trx, a, `您的${asApplication(snap.name)}未中签`, `本次名额 ${places} 个，申请 ${candidates.length} 人，您未中签。`);
            sms.push({ workerId: a.worker_id, text: `您的${asApplication(snap.name)}未中签。` });
          }
        }
        const d = await repo.insertDraw(trx, {
          service_type_id: t.id,
          step_key: input.stepKey,
          org_id: org.id,
          org_path: org.path,
          seed,
          places,
          candidate_ids: JSON.stringify(candidates.map((c) => c.id)),
          winner_ids: JSON.stringify(ranked.slice(0, places).map((x) => x.id)),
          drawn_by: actor.accountId,
          drawn_by_name: actor.displayName,
          drawn_at: at,
        });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'application.lottery',
          targetType: 'lottery_draw',
          targetId: d.id,
          orgId: org.id,
          outcome: 'success',
          detail: { serviceType: t.code, seed, places, candidates: candidates.length },
        });
        return { id: d.id, sms };
      });
      for (const s of result.sms) await ctx.messages.smsWorker(s.workerId, s.text);
      return service.getDraw(actor, result.id);
    },

    async listDraws(actor: StaffActor, f: { serviceTypeId?: string }) {
      return { items: (await repo.draws(db, actor.orgPath, f)).map(presentDraw) };
    },

    async getDraw(actor: StaffActor, id: string) {
      const [d] = await repo.draws(db, actor.orgPath, { id });
      if (!d) throw notFound('抽签记录');
      return presentDraw(d);
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

  function presentDraw(d: Awaited<ReturnType<typeof repo.draws>>[number]) {
    return {
      id: d.id,
      serviceType: { id: d.service_type_id, name: d.service_name },
      stepKey: d.step_key,
      org: { id: d.org_id, name: d.org_name },
      seed: d.seed,
      places: d.places,
      candidates: d.candidate_ids as string[],
      winners: d.winner_ids as string[],
      drawnBy: d.drawn_by_name,
      drawnAt: iso(d.drawn_at)!,
      algorithm: 'sha256(seed + ":" + id) 升序排列，前 places 个中签',
    };
  }

  // 待我处理 and batch approval (applications.queue.ts) over the single-item 办理 above.
  return Object.assign(service, createApplicationsQueue({ db, audit: ctx.audit, presentRow, act: (...a) => service.act(...a) }));
}

export type ApplicationsService = ReturnType<typeof createApplicationsService>;
export type { ApplicationStatusKey };
