// Service types (事项): the dictionary, staff listing and editing of definitions, and the
// catalogue a worker sees. Split out of applications.service.ts.
import { isUniqueViolation } from '../../db/errors.js';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ServiceTypeRow } from '../../db/schema-services.js';
import type { RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { isDbId } from '../../platform/fields.js';
import { auditActor } from '../audit/audit.service.js';
import { applicationsRepository as repo } from './applications.repository.js';
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
  type ServiceDefinition,
  type ServiceTypeInput,
  type ServiceTypePatch,
} from './applications.schema.js';
import { definitionOf, iso, label, type ApplicationsCtx } from './applications.common.js';
import type { ApplicationsEngine } from './applications.engine.js';

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

export function createServiceTypes(ctx: ApplicationsCtx, e: ApplicationsEngine) {
  const { db, now } = e;

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

  const types = {
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
        return types.getType(actor, t.id);
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
      return types.getType(actor, id);
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
      return types.getType(actor, id);
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
  };
  return types;
}
