// 调解案件 and 法律援助案件: opened from a consultation, from an approved 法律援助 application or directly;
// mediators/lawyers from the pool, sessions, outcome (the agreement .docx of a 调解成功), 诉调对接 referral,
// the 15-day limit. Private: only the handling union's subtree and its ancestors see a case (404
// otherwise); parties' ID numbers and phones are sealed; every full view is audited.
import type { Kysely, Transaction } from 'kysely';
import type { Updateable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RightsCasesTable } from '../../db/schema-rights.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { yuan } from '../../platform/money.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import { actorName, addDays, employerOf, sealId, sealPhone, today, type RightsCtx } from './rights.common.js';
import {
  CASE_KINDS,
  CASE_STATUSES,
  LEGAL_AID_STAGES,
  MEDIATION_DAYS,
  POOL_KINDS,
  TOPICS,
  type CaseStatusCode,
  type PoolKindCode,
  type Topic,
} from './rights.constants.js';
import { casesRepository as repo } from './rights.cases.repository.js';
import { consultationsRepository } from './rights.consultations.repository.js';
import type { Consultations } from './rights.consultations.js';
import { approvedLegalAidApplication, rightsRepository } from './rights.repository.js';
import { agreementDocx } from './rights.docx.js';
import type { CaseInput, CasesQuery, LegalAidCaseInput, ToCaseInput } from './rights.schema.js';

export const caseNo = (kind: string, id: string) => `${kind === 'legal_aid' ? 'FY' : 'TJ'}${id.padStart(6, '0')}`;
type CaseRow = NonNullable<Awaited<ReturnType<typeof repo.inScope>>>;
type ListRow = Awaited<ReturnType<typeof repo.list>>['items'][number];

const ACTION_LABELS: Record<string, string> = {
  open: '立案',
  session: '调解',
  mediators: '选派调解员',
  succeeded: '调解成功',
  failed: '调解不成',
  withdrawn: '撤回',
  closed: '结案',
  stage: '援助阶段变更',
};

export function createCases(ctx: RightsCtx & { consultations: Consultations }) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  const summary = (k: ListRow | CaseRow, day: string) => ({
    id: k.id,
    no: caseNo(k.kind, k.id),
    kind: k.kind,
    kindLabel: CASE_KINDS[k.kind],
    status: k.status,
    statusLabel: k.kind === 'legal_aid' && k.status === 'closed' ? '已结案' : CASE_STATUSES[k.status as CaseStatusCode],
    org: { id: k.org_id, name: k.org_name },
    disputeType: k.dispute_type,
    disputeLabel: TOPICS[k.dispute_type as Topic] ?? k.dispute_type,
    employerName: k.employer_name,
    enterpriseId: k.employer_enterprise_id,
    claimAmount: yuan(k.claim_amount),
    agreedAmount: yuan(k.agreed_amount),
    paidAmount: yuan(k.paid_amount),
    stage: k.stage,
    stageLabel: k.stage ? LEGAL_AID_STAGES[k.stage as keyof typeof LEGAL_AID_STAGES] : null,
    openedOn: k.opened_on,
    dueOn: k.due_on,
    closedOn: k.closed_on,
    /** Open past its limit (a mediation normally ends within 15 days). */
    overdue: k.status === 'open' && k.due_on < day,
    version: k.version,
  });

  async function caseOrThrow(executor: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const k = await repo.inScope(executor, actor.orgPath, id);
    if (!k) throw notFound('案件');
    return k;
  }

  async function orgFor(actor: StaffActor, orgId?: string) {
    const org = await rightsRepository.orgInScope(db, actor.orgPath, orgId ?? actor.orgId);
    if (!org) throw notFound('工会');
    return org;
  }

  /** Pool entries the case's union may draw on, available ones only. */
  async function checkPool(trx: Transaction<DB>, orgPath: string, ids: string[], field: string) {
    const unique = [...new Set(ids)];
    const found = await repo.poolUsable(trx, orgPath, unique);
    if (found.length !== unique.length) throw notFound('调解员或律师');
    const busy = found.find((p) => !p.available);
    if (busy) throw invalid({ [field]: `${busy.name}当前不可选派` });
    return unique;
  }

  async function event(trx: Transaction<DB>, actor: StaffActor, caseId: string, action: string, comment: string | null) {
    await repo.insertEvent(trx, { case_id: caseId, action, comment, actor_name: actorName(actor), at: now() });
  }

  async function openCase(
    actor: StaffActor,
    meta: RequestMeta,
    org: { id: string; path: string },
    row: { kind: 'mediation' | 'legal_aid'; consultationId?: string; applicationId?: string; stage?: string },
    input: { disputeType: string; employerName: string; enterpriseId: string | null; summary: string; claimAmount: string },
    parties: (trx: Transaction<DB>, caseId: string) => Promise<void>,
    staff: { ids: string[]; role: 'mediator' | 'lawyer' },
    extra?: (trx: Transaction<DB>, caseId: string) => Promise<void>,
  ) {
    const opened = today(now());
    const id = await db.transaction().execute(async (trx) => {
      const poolIds = await checkPool(trx, org.path, staff.ids, staff.role === 'lawyer' ? 'lawyerId' : 'mediatorIds');
      const k = await repo.insert(trx, {
        org_id: org.id,
        kind: row.kind,
        consultation_id: row.consultationId ?? null,
        application_id: row.applicationId ?? null,
        dispute_type: input.disputeType,
        employer_name: input.employerName,
        employer_enterprise_id: input.enterpriseId,
        summary: input.summary,
        claim_amount: input.claimAmount,
        stage: row.stage ?? null,
        opened_on: opened,
        due_on: addDays(opened, row.kind === 'mediation' ? MEDIATION_DAYS : 90),
        created_by: actorName(actor),
        updated_at: now(),
      });
      await parties(trx, k.id);
      await repo.addStaff(trx, k.id, poolIds, staff.role);
      await extra?.(trx, k.id);
      await event(trx, actor, k.id, 'open', row.consultationId ? '由咨询转入' : row.applicationId ? '由法律援助申请转入' : null);
      await ctx.audit.append(trx, {
        ...auditActor(actor, meta),
        action: 'rights.case.open',
        targetType: 'rights_case',
        targetId: k.id,
        orgId: org.id,
        outcome: 'success',
        detail: { kind: row.kind, consultationId: row.consultationId ?? null, applicationId: row.applicationId ?? null },
      });
      return k.id;
    });
    return service.get(actor, meta, id, false);
  }

  const partyRows = (caseId: string, parties: CaseInput['parties']) =>
    parties.map((p, i) => ({ case_id: caseId, name: p.name, ...sealId(ctx.crypto, p.idNumber), ...sealPhone(ctx.crypto, p.phone), sort: i }));

  /** One change of an open case: version-checked, timeline + audit in one transaction. */
  async function change(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    version: number,
    action: string,
    patch: Updateable<RightsCasesTable> | ((k: CaseRow) => Updateable<RightsCasesTable>),
    comment: string | null,
    extra?: (trx: Transaction<DB>, k: CaseRow) => Promise<void>,
  ) {
    await db.transaction().execute(async (trx) => {
      const k = await caseOrThrow(trx, actor, id);
      if (k.status !== 'open') throw new AppError('CONFLICT', `案件已${CASE_STATUSES[k.status as CaseStatusCode]}，不能再办理`);
      const p = typeof patch === 'function' ? patch(k) : patch;
      const ok = await repo.update(trx, id, version, { ...p, updated_at: now() });
      if (!ok) throw conflict('案件已被他人处理，请刷新后重试');
      await extra?.(trx, k);
      await event(trx, actor, id, action, comment);
      await ctx.audit.append(trx, {
        ...auditActor(actor, meta),
        action: 'rights.case.change',
        targetType: 'rights_case',
        targetId: id,
        orgId: k.org_id,
        outcome: 'success',
        detail: { step: action },
      });
    });
    return service.get(actor, meta, id, false);
  }

  const service = {
    async create(actor: StaffActor, meta: RequestMeta, input: CaseInput) {
      const org = await orgFor(actor, input.orgId);
      const employer = await employerOf(ctx, db, actor, input);
      const fields = { ...input, employerName: employer.name ?? input.employerName, enterpriseId: employer.enterpriseId };
      return openCase(actor, meta, org, { kind: 'mediation' }, fields, (trx, id) => repo.insertParties(trx, partyRows(id, input.parties)), {
        ids: input.mediatorIds,
        role: 'mediator',
      });
    },

    /** 转调解: the consultation's asker becomes the applicant (their sealed phone is carried over). */
    async fromConsultation(actor: StaffActor, meta: RequestMeta, consultationId: string, input: ToCaseInput) {
      const c = await ctx.consultations.inScope(db, actor, consultationId);
      if (c.case_id) throw new AppError('CONFLICT', '该咨询已转为案件');
      const org = await rightsRepository.org(db, c.org_id);
      const employer = input.enterpriseId
        ? await employerOf(ctx, db, actor, input)
        : { enterpriseId: c.employer_enterprise_id, name: input.employerName ?? c.employer_name ?? '' };
      return openCase(
        actor,
        meta,
        org,
        { kind: 'mediation', consultationId },
        { ...input, employerName: employer.name ?? '', enterpriseId: employer.enterpriseId },
        (trx, caseId) =>
          repo.insertParties(trx, [
            {
              case_id: caseId,
              name: c.name,
              id_enc: null,
              id_bidx: null,
              id_masked: null,
              phone_enc: c.phone_enc,
              phone_bidx: c.phone_bidx,
              phone_masked: c.phone_masked,
              sort: 0,
            },
          ]),
        { ids: input.mediatorIds, role: 'mediator' },
        async (trx, caseId) => {
          const at = now();
          const ok = await consultationsRepository.linkCase(trx, consultationId, input.version, {
            case_id: caseId,
            outcome: 'to_mediation',
            status: 'answered',
            answered_at: c.answered_at ?? at,
            answer: c.answer ?? '已转入劳动争议调解。',
            updated_at: at,
          });
          if (!ok) throw conflict('咨询记录已被他人处理，请刷新后重试');
        },
      );
    },

    /** 法律援助: from an approved 法律援助 application of the caller's scope, or directly. */
    async openLegalAid(actor: StaffActor, meta: RequestMeta, input: LegalAidCaseInput) {
      let org: { id: string; path: string };
      let applicant: { name: string; phone_masked: string; phone_bidx: string; id_masked: string | null } | null = null;
      if (input.applicationId) {
        const a = await approvedLegalAidApplication(db, actor.orgPath, input.applicationId);
        if (!a) throw notFound('法律援助申请');
        if (a.status !== 'approved') throw new AppError('CONFLICT', '法律援助申请尚未审批通过');
        if (await repo.byApplication(db, a.id)) throw new AppError('CONFLICT', '该申请已立案');
        org = await rightsRepository.org(db, a.org_id);
        applicant = { name: a.applicant_name, phone_masked: a.applicant_phone_masked, phone_bidx: a.applicant_phone_bidx, id_masked: a.applicant_id_masked };
      } else {
        if (!input.parties.length) throw invalid({ parties: '请至少填写一名受援人' });
        org = await orgFor(actor, input.orgId);
      }
      const employer = await employerOf(ctx, db, actor, input);
      return openCase(
        actor,
        meta,
        org,
        { kind: 'legal_aid', applicationId: input.applicationId, stage: input.stage },
        { ...input, employerName: employer.name ?? input.employerName, enterpriseId: employer.enterpriseId },
        (trx, caseId) =>
          repo.insertParties(
            trx,
            applicant
              ? [
                  {
                    case_id: caseId,
                    name: applicant.name,
                    id_enc: null,
                    id_bidx: null,
                    id_masked: applicant.id_masked,
                    phone_enc: null,
                    phone_bidx: applicant.phone_bidx,
                    phone_masked: applicant.phone_masked,
                    sort: 0,
                  },
                ]
              : partyRows(caseId, input.parties),
          ),
        { ids: [input.lawyerId], role: 'lawyer' },
      );
    },

    async list(actor: StaffActor, q: CasesQuery) {
      const orgPath = q.orgId ? (await orgFor(actor, q.orgId)).path : undefined;
      const day = today(now());
      const r = await repo.list(db, actor.orgPath, {
        orgPath,
        kind: q.kind,
        status: q.status,
        overdueBefore: q.overdue ? day : undefined,
        q: q.q,
        from: q.from,
        to: q.to,
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return { total: r.total, items: r.items.map((k) => ({ ...summary(k, day), partyNames: k.party_names ?? '' })) };
    },

    /** The full record (parties masked); every view of it is audited. */
    async get(actor: StaffActor, meta: RequestMeta, id: string, audit = true) {
      const k = await caseOrThrow(db, actor, id);
      if (audit)
        await db.transaction().execute((trx) =>
          ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'rights.case.view',
            targetType: 'rights_case',
            targetId: id,
            orgId: k.org_id,
            outcome: 'success',
          }),
        );
      const [parties, staff, sessions, events] = await Promise.all([repo.parties(db, id), repo.staff(db, id), repo.sessions(db, id), repo.events(db, id)]);
      return {
        ...summary(k, today(now())),
        summary: k.summary,
        agreementTerms: k.agreement_terms,
        result: k.result,
        referralTo: k.referral_to,
        referralNo: k.referral_no,
        consultationId: k.consultation_id,
        applicationId: k.application_id,
        createdBy: k.created_by,
        parties: parties.map((p) => ({ id: p.id, name: p.name, idMasked: p.id_masked, phoneMasked: p.phone_masked })),
        staff: staff.map((s) => ({
          id: s.id,
          name: s.name,
          organisation: s.organisation,
          kind: s.kind,
          kindLabel: POOL_KINDS[s.kind as PoolKindCode],
          role: s.role,
        })),
        sessions: sessions.map((s) => ({ id: s.id, heldOn: s.held_on, place: s.place, online: s.online, attendees: s.attendees, minutes: s.minutes })),
        timeline: events.map((e) => ({
          id: e.id,
          action: e.action,
          label: ACTION_LABELS[e.action] ?? e.action,
          comment: e.comment,
          actorName: e.actor_name,
          at: e.at.toISOString(),
        })),
      };
    },

    async addSession(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: { version: number; heldOn: string; place: string; online: boolean; attendees: string; minutes: string },
    ) {
      return change(actor, meta, id, input.version, 'session', {}, `${input.heldOn} ${input.online ? '线上' : input.place}`, (trx) =>
        repo.insertSession(trx, {
          case_id: id,
          held_on: input.heldOn,
          place: input.place,
          online: input.online,
          attendees: input.attendees,
          minutes: input.minutes,
          at: now(),
        }),
      );
    },

    async addMediators(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; poolIds: string[] }) {
      return change(actor, meta, id, input.version, 'mediators', {}, null, async (trx, k) => {
        const ids = await checkPool(trx, k.org_path, input.poolIds, 'poolIds');
        await repo.addStaff(trx, id, ids, k.kind === 'legal_aid' ? 'lawyer' : 'mediator');
      });
    },

    async setStage(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; stage: string; comment?: string }) {
      const k = await caseOrThrow(db, actor, id);
      if (k.kind !== 'legal_aid') throw invalid({ stage: '只有法律援助案件有援助阶段' });
      return change(
        actor,
        meta,
        id,
        input.version,
        'stage',
        { stage: input.stage },
        `${LEGAL_AID_STAGES[input.stage as keyof typeof LEGAL_AID_STAGES]}${input.comment ? `：${input.comment}` : ''}`,
      );
    },

    /** 结案: 调解成功 (terms and amounts, the agreement .docx follows), 调解不成 (→ 仲裁/诉讼 referral), 撤回; a 法律援助 case closes. */
    async close(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: {
        version: number;
        outcome: 'succeeded' | 'failed' | 'withdrawn' | 'closed';
        agreedAmount?: string;
        paidAmount?: string;
        agreementTerms?: string;
        result?: string;
        referralTo?: string;
        referralNo?: string;
      },
    ) {
      const k = await caseOrThrow(db, actor, id);
      if (k.kind === 'mediation' && input.outcome === 'closed') throw invalid({ outcome: '调解案件请选择调解成功、调解不成或撤回' });
      if (k.kind === 'legal_aid' && (input.outcome === 'succeeded' || input.outcome === 'failed')) throw invalid({ outcome: '法律援助案件请选择结案或撤回' });
      if (input.outcome === 'succeeded' && !input.agreementTerms) throw invalid({ agreementTerms: '调解成功须填写协议内容' });
      if (input.referralTo && !input.referralNo) throw invalid({ referralNo: '请填写对接机构的案号' });
      return change(
        actor,
        meta,
        id,
        input.version,
        input.outcome,
        {
          status: input.outcome,
          agreed_amount: input.agreedAmount ?? '0',
          paid_amount: input.paidAmount ?? '0',
          agreement_terms: input.agreementTerms ?? null,
          result: input.result ?? null,
          referral_to: input.referralTo ?? null,
          referral_no: input.referralNo ?? null,
          closed_on: today(now()),
        },
        input.referralTo ? `转${input.referralTo}（${input.referralNo}）` : (input.result ?? null),
      );
    },

    /** The 调解协议书 of a 调解成功 case (parties' ID numbers masked). */
    async agreement(actor: StaffActor, meta: RequestMeta, id: string) {
      const k = await caseOrThrow(db, actor, id);
      if (k.status !== 'succeeded') throw new AppError('CONFLICT', '调解成功后才能生成调解协议书');
      const [parties, staff] = await Promise.all([repo.parties(db, id), repo.staff(db, id)]);
      const body = await agreementDocx({
        caseNo: caseNo(k.kind, k.id),
        orgName: k.org_name,
        parties: parties.map((p) => ({ name: p.name, idMasked: p.id_masked })),
        employerName: k.employer_name,
        disputeLabel: TOPICS[k.dispute_type as Topic] ?? k.dispute_type,
        summary: k.summary,
        terms: k.agreement_terms ?? '',
        agreedAmount: yuan(k.agreed_amount),
        mediators: staff.map((s) => s.name),
        signedOn: k.closed_on ?? today(now()),
      });
      await db.transaction().execute((trx) =>
        ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'rights.case.agreement',
          targetType: 'rights_case',
          targetId: id,
          orgId: k.org_id,
          outcome: 'success',
        }),
      );
      return { body, fileName: `调解协议书-${caseNo(k.kind, k.id)}.docx`, asciiName: `agreement-${k.id}.docx` };
    },

    /** A party's full ID number or phone: a separate permission, a reason, an audit row. */
    async reveal(actor: StaffActor, meta: RequestMeta, id: string, partyId: string, field: 'idNumber' | 'phone', reason: string) {
      const k = await caseOrThrow(db, actor, id);
      const p = await repo.party(db, id, partyId);
      if (!p) throw notFound('当事人');
      const enc = field === 'idNumber' ? p.id_enc : p.phone_enc;
      if (!enc) throw new AppError('NOT_FOUND', field === 'idNumber' ? '未登记身份证号' : '未登记完整手机号');
      await db.transaction().execute((trx) =>
        ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'rights.case.reveal',
          targetType: 'rights_case',
          targetId: id,
          orgId: k.org_id,
          outcome: 'success',
          detail: { partyId, field, reason },
        }),
      );
      return { value: ctx.crypto.decrypt(enc) };
    },
  };
  return service;
}

export type Cases = ReturnType<typeof createCases>;
