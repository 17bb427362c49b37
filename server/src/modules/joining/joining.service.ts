// Join applications from every channel (H5, campaign QR, partner API), the worker's view of
// them, and campaigns with their QR codes. Submitting never changes the roll: what the applicant
// typed stays on the application until a reviewer decides (joining.review.ts, decision 009).
import { chinaDay } from '../../platform/china-time.js';
import { isUniqueViolation } from '../../db/errors.js';
import { randomBytes } from 'node:crypto';
import type { Kysely, RawBuilder, Transaction } from 'kysely';
import type { DB, JoinApplication } from '../../db/schema.js';
import type { AppDeps, RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { auditActor, type AuditEntry, type AuditService } from '../audit/audit.service.js';
import type { MembersService } from '../members/members.service.js';
import { PHONE_DOMAIN } from '../members/members.service.js';
import { EMPLOYMENT_FORMS } from '../members/members.schema.js';
import type { EmploymentInput, PersonInput } from '../members/members.schema.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import { acceptsMembers, MEMBER_UNION_TYPES } from '../orgs/orgs.schema.js';
import type { MessagesService } from '../messages/messages.service.js';
import type { HolidaysService } from '../holidays/holidays.service.js';
import { applicantColumns } from './joining.applicant.js';
import { joiningRepository, type SubmissionTarget, type WorkerSubmitResult } from './joining.repository.js';
import { createJoiningReview, ROLL_STATUSES, rollStatusOf } from './joining.review.js';
import { applicantAcceptable, applicationProblems } from './joining.rules.js';
import { JOIN_CONSENT, JOIN_STATUSES, SUBMITTED_MESSAGE } from './joining.schema.js';

export const REVIEW_SLA_WORKING_DAYS = 15;
/** The submitted message's text after the union's name. */
const AFTER_ORG_NAME = `，工会将在 ${REVIEW_SLA_WORKING_DAYS} 个工作日内审核。`;
const ONE_OPEN_PER_PHONE = '该手机号已有一份入会申请正在办理，请等待审核结果或撤回后再申请';

export type JoiningDeps = AppDeps & { audit: AuditService; orgs: OrgsService; members: MembersService; messages: MessagesService; holidays: HolidaysService };

export interface NewApplication {
  person: PersonInput;
  employment: EmploymentInput;
  targetOrgId: string;
  /** The target must lie under this path (a partner's subtree: 404 otherwise; a campaign's: a field error). */
  within?: { path: string; refuse: () => AppError };
  campaignId: string | null;
  channel: JoinApplication['channel'];
  workerId: string | null;
  partnerId: string | null;
  partnerRef: string | null;
  idempotencyKey: string | null;
  consent: { workerId: string | null; ip: string | null } | null;
  audit: Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'>;
}

export function createJoiningService(deps: JoiningDeps) {
  const db: Kysely<DB> = deps.database.db;
  const now = () => deps.clock.now();

  const notifyWorker = (trx: Transaction<DB>, workerId: string | null, title: string, body: string) =>
    workerId ? deps.messages.send(trx, { workerId }, { title, body, link: '/h5/#/join/status', category: 'join' }) : Promise.resolve();
  const smsWorker = (workerId: string | null, text: string) => deps.messages.smsWorker(workerId, text);
  const review = createJoiningReview(deps, { worker: notifyWorker, sms: smsWorker });

  /**
   * The target's checks, in their order: inside the campaign's (or partner's) union, exists and is
   * active, takes members and the applicant is old enough, the phone has no open application.
   * Answers the target when it passes.
   */
  function refuseTarget(t: SubmissionTarget, within: NewApplication['within'], person: PersonInput, at: Date) {
    const { org } = t;
    if (within && (!org || !org.path.startsWith(within.path))) throw within.refuse();
    if (!org || org.status !== 'active') throw invalid({ targetOrgId: '所选工会不存在或已撤销' });
    const problems = applicationProblems(person, org, chinaDay(at));
    if (problems) throw invalid(problems);
    if (t.phoneHasOpen) throw new AppError('CONFLICT', ONE_OPEN_PER_PHONE);
    return org;
  }

  /**
   * What a submission writes beside the application, in its statement: the audit row (deferred: no
   * chain lock held to commit, so submissions do not queue behind each other's flush) and the
   * worker's message.
   */
  function sideWrites(
    input: Pick<NewApplication, 'audit' | 'channel' | 'workerId'>,
    orgId: string,
    body: string | RawBuilder<string>,
  ): { name: string; insert: RawBuilder<unknown> }[] {
    const also = [
      {
        name: 'audited',
        insert: deps.audit.deferredInsertFrom('app', {
          ...input.audit,
          action: 'join.submit',
          targetType: 'join_application',
          orgId,
          outcome: 'success',
          detail: { channel: input.channel },
        }),
      },
    ];
    if (input.workerId)
      also.push({
        name: 'notified',
        insert: deps.messages.sendFrom('app', { workerId: input.workerId }, { title: '入会申请已提交', body, link: '/h5/#/join/status', category: 'join' }),
      });
    return also;
  }

  /**
   * One statement: consent, application, the worker's message and the audit row (atomic without
   * BEGIN/COMMIT, so a submission costs its checks' read and this write). The partner API's and
   * staff's path; a worker's submission is one statement with its checks (`submitFromWorker`). The
   * roll is not read: the answer is the same whoever the ID number belongs to.
   */
  async function create(input: NewApplication) {
    const typed = applicantColumns(deps.crypto, input.person);
    const at = now();
    const org = refuseTarget(await joiningRepository.submissionTarget(db, input.targetOrgId, typed.applicant_phone_bidx), input.within, input.person, at);
    const dueAt = await deps.holidays.addWorkingDays(db, at, REVIEW_SLA_WORKING_DAYS);
    const also = sideWrites(input, org.id, `您申请加入${org.name}${AFTER_ORG_NAME}`);
    try {
      const app = await joiningRepository.submit(
        db,
        {
          ...typed,
          person_id: null,
          target_org_id: org.id,
          target_org_path: org.path,
          campaign_id: input.campaignId,
          channel: input.channel,
          details: JSON.stringify(input.employment),
          transfer_from_membership_id: null,
          worker_id: input.workerId,
          partner_id: input.partnerId,
          partner_ref: input.partnerRef,
          idempotency_key: input.idempotencyKey,
          submitted_at: at,
          due_at: dueAt,
        },
        input.consent ? { worker_id: input.consent.workerId, text_version: JOIN_CONSENT.version, agreed_at: at, ip: input.consent.ip } : null,
        also,
      );
      return { app, orgName: org.name };
    } catch (err) {
      if (isUniqueViolation(err, 'join_applications_one_open_per_phone')) throw new AppError('CONFLICT', ONE_OPEN_PER_PHONE);
      throw err;
    }
  }

  /** An application as its worker sees it. */
  function presentMine(
    a: Pick<JoinApplication, 'id' | 'status' | 'submitted_at' | 'reviewed_at' | 'reject_reason'>,
    targetOrgName: string,
    memberNo: string | null,
  ) {
    return {
      id: a.id,
      status: a.status,
      statusLabel: JOIN_STATUSES[a.status],
      targetOrgName,
      submittedAt: a.submitted_at.toISOString(),
      reviewedAt: a.reviewed_at?.toISOString() ?? null,
      rejectReason: a.reject_reason,
      memberNo,
    };
  }

  async function retried(worker: WorkerActor, key: string) {
    return presentForWorker((await joiningRepository.byIdempotencyKey(db, worker.workerId, key))!);
  }

  async function presentForWorker(a: JoinApplication) {
    const mine = await service.mine({ type: 'worker', workerId: a.worker_id!, phoneMasked: '', sessionId: '' });
    return { ...mine.find((r) => r.id === a.id)!, message: SUBMITTED_MESSAGE };
  }

  /** The union a worker applies to: the one chosen, inside the campaign's union when it came from a campaign QR. */
  async function resolveTarget(input: { targetOrgId?: string; campaignToken?: string }) {
    if (!input.campaignToken) {
      if (!input.targetOrgId) throw invalid({ targetOrgId: '请选择要加入的工会' });
      return { targetOrgId: input.targetOrgId, campaignId: null, within: undefined };
    }
    const c = await joiningRepository.campaignByToken(db, input.campaignToken);
    const today = chinaDay(now());
    if (!c) throw invalid({ campaignToken: '二维码无效' });
    if (today < c.starts_on || today > c.ends_on) throw invalid({ campaignToken: '该入会活动不在进行中' });
    // A campaign of a 县/镇 union: the worker picks a grassroots union under it.
    const within = { path: c.org_path, refuse: () => invalid({ targetOrgId: `所选工会不在入会活动“${c.name}”的范围内` }) };
    return { targetOrgId: input.targetOrgId ?? c.org_id, campaignId: c.id, within };
  }

  const service = {
    consent: () => JOIN_CONSENT,

    async submitFromWorker(
      worker: WorkerActor,
      meta: RequestMeta,
      input: {
        person: PersonInput;
        employment: EmploymentInput;
        targetOrgId?: string;
        campaignToken?: string;
        consentVersion: string;
        idempotencyKey: string;
        /** The worker chose 转会: required when the account's own person is a member already. */
        transfer?: boolean;
      },
    ) {
      // A retry answers what the first try made, even after the campaign ended or the consent text changed.
      if (input.campaignToken && (await joiningRepository.byIdempotencyKey(db, worker.workerId, input.idempotencyKey)))
        return retried(worker, input.idempotencyKey);
      const { targetOrgId, campaignId, within } = await resolveTarget(input);
      const typed = applicantColumns(deps.crypto, input.person);
      const at = now();
      const consentOk = input.consentVersion === JOIN_CONSENT.version;
      const dueAt = await deps.holidays.addWorkingDays(db, at, REVIEW_SLA_WORKING_DAYS);
      const channel = campaignId ? 'qr' : 'h5';
      const again = async () => {
        const a = await joiningRepository.byIdempotencyKey(db, worker.workerId, input.idempotencyKey);
        return a ? presentForWorker(a) : null;
      };
      // One statement checks and writes (issue 10 item 5); nothing is written unless every check below passes.
      let r: WorkerSubmitResult;
      try {
        r = await joiningRepository.submitForWorker(
          db,
          {
            workerId: worker.workerId,
            idempotencyKey: input.idempotencyKey,
            targetOrgId,
            within: within?.path ?? null,
            transfer: input.transfer === true,
            ready: consentOk && applicantAcceptable(input.person, chinaDay(at)),
            memberUnionTypes: MEMBER_UNION_TYPES,
          },
          {
            ...typed,
            person_id: null,
            target_org_id: targetOrgId,
            campaign_id: campaignId,
            channel,
            details: JSON.stringify(input.employment),
            transfer_from_membership_id: null,
            worker_id: worker.workerId,
            partner_id: null,
            partner_ref: null,
            idempotency_key: input.idempotencyKey,
            submitted_at: at,
            due_at: dueAt,
          },
          { text_version: JOIN_CONSENT.version, agreed_at: at, ip: meta.ip },
          sideWrites(
            { audit: auditActor(worker, meta), channel, workerId: worker.workerId },
            targetOrgId,
            joiningRepository.withTargetName('您申请加入', AFTER_ORG_NAME),
          ),
        );
      } catch (err) {
        // The same submission raced itself: answer with the one that won.
        const phoneTaken = isUniqueViolation(err, 'join_applications_one_open_per_phone');
        if (phoneTaken || isUniqueViolation(err, 'join_applications_idem_key')) {
          const won = await again();
          if (won) return won;
          if (phoneTaken) throw new AppError('CONFLICT', ONE_OPEN_PER_PHONE);
        }
        throw err;
      }
      if (r.app) return { ...presentMine(r.app, r.org!.name, null), message: SUBMITTED_MESSAGE };
      // Not written: the first check that failed, in the order the checks always had.
      if (r.existingId) return retried(worker, input.idempotencyKey);
      if (!consentOk) throw invalid({ consent: '同意书已更新，请重新阅读并同意' });
      if (typed.applicant_phone_bidx !== r.workerPhoneBidx) throw invalid({ phone: '手机号须与登录手机号一致' });
      // The account's own membership (its linked person only): a member moves by an explicit 转会.
      if (r.liveOrg && r.liveOrg.id === r.org?.id) throw new AppError('CONFLICT', `您已是${r.liveOrg.name}的会员，无需再次申请`);
      if (r.liveOrg && !input.transfer)
        throw new AppError('CONFLICT', `您已是${r.liveOrg.name}的会员。如需转到其他工会，请选择“转会”后提交（转会须原工会同意转出）`);
      try {
        refuseTarget(r, within, input.person, at);
      } catch (err) {
        if (err instanceof AppError && err.code === 'CONFLICT') {
          const won = await again();
          if (won) return won;
        }
        throw err;
      }
      throw new Error('join submission: nothing written and no check failed');
    },

    /** Used by the partner API. */
    createApplication: create,

    /** The partner API's view of what it submitted. */
    applicationByPartnerRef: (partnerId: string, ref: string) => joiningRepository.byPartnerRef(db, partnerId, ref),

    review: review.review,
    release: review.release,
    getForStaff: review.getForStaff,

    async withdraw(worker: WorkerActor, meta: RequestMeta, id: string) {
      await db.transaction().execute(async (trx) => {
        const app = await joiningRepository.byId(trx, id);
        if (!app || app.worker_id !== worker.workerId) throw notFound('入会申请');
        if (app.status !== 'pending') throw new AppError('CONFLICT', '申请已进入审核结果，不能撤回');
        await joiningRepository.update(trx, app.id, app.version, { status: 'withdrawn' });
        await deps.audit.append(trx, {
          ...auditActor(worker, meta),
          action: 'join.withdraw',
          targetType: 'join_application',
          targetId: app.id,
          orgId: app.target_org_id,
          outcome: 'success',
        });
      });
    },

    async list(
      actor: StaffActor,
      f: { status?: JoinApplication['status']; overdue?: boolean; releaseQueue?: boolean; campaignId?: string; orgId?: string; page: number; pageSize: number },
    ) {
      const at = now();
      const { items, total } = await joiningRepository.list(db, actor.orgPath, {
        status: f.status,
        overdueAt: f.overdue ? at : undefined,
        releaseQueue: f.releaseQueue,
        campaignId: f.campaignId,
        orgId: f.orgId,
        limit: f.pageSize,
        offset: (f.page - 1) * f.pageSize,
      });
      return {
        total,
        items: items.map((r) => {
          const rollStatus = rollStatusOf(r.roll_person_id ? { id: r.roll_person_id, org_id: r.live_org_id } : null, r.target_org_id);
          const pending = r.status === 'pending';
          return {
            id: r.id,
            status: r.status,
            statusLabel: JOIN_STATUSES[r.status],
            channel: r.channel,
            name: r.applicant_name,
            idMasked: r.applicant_id_masked,
            phoneMasked: r.applicant_phone_masked,
            targetOrg: { id: r.target_org_id, name: r.target_org_name },
            fromOrgName: r.from_org_name ?? (pending && rollStatus === 'member_elsewhere' ? r.live_org_name : null),
            isTransfer: pending ? rollStatus === 'member_elsewhere' : !!r.transfer_from_membership_id,
            rollStatus,
            rollStatusLabel: ROLL_STATUSES[rollStatus],
            // Beside the roll record of the same ID number: a different name is a red flag, a new phone a change.
            nameDiffers: !!r.roll_person_id && r.roll_name !== r.applicant_name,
            phoneDiffers: !!r.roll_phone_bidx && !!r.applicant_phone_bidx && r.roll_phone_bidx !== r.applicant_phone_bidx,
            employmentFormLabel: EMPLOYMENT_FORMS[(r.details as EmploymentInput).employmentForm] ?? null,
            submittedAt: r.submitted_at.toISOString(),
            dueAt: r.due_at.toISOString(),
            overdue: pending && r.due_at < at,
            version: r.version,
          };
        }),
      };
    },

    async counts(actor: StaffActor, orgId: string) {
      const org = await deps.orgs.findInScope(actor, orgId);
      if (!org) throw notFound('组织');
      return joiningRepository.counts(db, org.path, now());
    },

    /** Pending applications in the caller's subtree: all, overdue, due within `soonMs` (the home page). */
    async pendingSummary(actor: StaffActor, soonMs: number) {
      const at = now();
      return joiningRepository.pendingSummary(db, actor.orgPath, at, new Date(at.getTime() + soonMs));
    },

    /** The worker's applications. Nothing here tells whether an ID number is on the roll. */
    async mine(worker: WorkerActor) {
      const rows = await joiningRepository.ofWorker(db, worker.workerId);
      // The member number only to the account linked to the member.
      return rows.map((r) => presentMine(r, r.target_org_name, r.status === 'approved' && r.person_worker_id === worker.workerId ? r.member_no : null));
    },

    // ---- campaigns ----
    async createCampaign(
      actor: StaffActor,
      meta: RequestMeta,
      input: { orgId: string; name: string; employmentForms: string[]; startsOn: string; endsOn: string },
    ) {
      if (input.endsOn < input.startsOn) throw invalid({ endsOn: '结束日期不能早于开始日期' });
      const org = await deps.orgs.findInScope(actor, input.orgId);
      if (!org) throw notFound('组织');
      if (org.status !== 'active') throw invalid({ orgId: '该工会已撤销' });
      const id = await db.transaction().execute(async (trx) => {
        const c = await joiningRepository.insertCampaign(trx, {
          org_id: org.id,
          name: input.name,
          employment_forms: input.employmentForms,
          starts_on: input.startsOn,
          ends_on: input.endsOn,
          token: randomBytes(12).toString('base64url'),
          created_by: actor.accountId,
        });
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'campaign.create',
          targetType: 'campaign',
          targetId: c.id,
          orgId: org.id,
          outcome: 'success',
          detail: { name: c.name },
        });
        return c.id;
      });
      return service.getCampaign(actor, id);
    },

    async listCampaigns(actor: StaffActor, f: { page: number; pageSize: number }) {
      const { items, total } = await joiningRepository.campaignsInScope(db, actor.orgPath, { limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
      return { total, items: items.map(presentCampaign) };
    },

    async getCampaign(actor: StaffActor, id: string) {
      const c = await joiningRepository.campaignInScope(db, actor.orgPath, id);
      if (!c) throw notFound('入会活动');
      const stats = await joiningRepository.campaignStats(db, c.id);
      return presentCampaign({ ...c, applications: Number(stats.applications), joined: Number(stats.joined) });
    },

    /** What the QR opens: counted as a scan. */
    async resolveCampaign(token: string) {
      const c = await joiningRepository.campaignByToken(db, token);
      if (!c) throw notFound('入会活动');
      await joiningRepository.countScan(db, c.id);
      const today = chinaDay(now());
      return {
        name: c.name,
        // A campaign of a 县/镇 union: the worker then picks a grassroots union under it.
        org: { id: c.org_id, name: c.org_name, acceptsMembers: acceptsMembers(c.org_type) },
        employmentForms: c.employment_forms,
        startsOn: c.starts_on,
        endsOn: c.ends_on,
        open: c.org_status === 'active' && today >= c.starts_on && today <= c.ends_on,
      };
    },
  };

  function presentCampaign(c: {
    id: string;
    org_id: string;
    org_name: string;
    name: string;
    employment_forms: string[];
    starts_on: string;
    ends_on: string;
    token: string;
    scan_count: number;
    applications: number;
    joined: number;
  }) {
    return {
      id: c.id,
      org: { id: c.org_id, name: c.org_name },
      name: c.name,
      employmentForms: c.employment_forms,
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      joinPath: `/h5/#/join?c=${c.token}`,
      token: c.token,
      scans: c.scan_count,
      applications: c.applications,
      joined: c.joined,
    };
  }

  return service;
}

export type JoiningService = ReturnType<typeof createJoiningService>;
