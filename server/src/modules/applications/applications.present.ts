// How an application is shown: list rows, the worker's view, the staff view with the actions the
// caller may take, step states and the timeline. Split out of applications.service.ts.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ApplicationRow } from '../../db/schema-services.js';
import type { StaffActor } from '../../platform/context.js';
import { applicationsRepository as repo, type ApplicationListRow } from './applications.repository.js';
import { ACTION_LABELS, APPLICATION_STATUSES, LEVELS } from './applications.schema.js';
import { appNo, currentStep, isSensitive, iso, nextIndex, planOf, snapshotOf, type ApplicationsCtx, type StoredValues } from './applications.common.js';
import type { ApplicationsEngine } from './applications.engine.js';

export function createApplicationPresenters(ctx: ApplicationsCtx, e: ApplicationsEngine) {
  const { db, now } = e;

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

  return { timeline, presentRow, workerView, staffView };
}

export type ApplicationPresenters = ReturnType<typeof createApplicationPresenters>;
