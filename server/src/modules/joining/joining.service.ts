// Join applications from every channel, their review, and 会籍转接 (transfer) with release by
// the old union. Campaigns carry the QR codes that preselect the union.
import { chinaDay } from '../../platform/china-time.js';
import { isUniqueViolation } from '../../db/errors.js';
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB, JoinApplication } from '../../db/schema.js';
import type { AppDeps, RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { auditActor, type AuditEntry, type AuditService } from '../audit/audit.service.js';
import type { MembersService, EventActor } from '../members/members.service.js';
import { PHONE_DOMAIN, staffEventActor } from '../members/members.service.js';
import { EMPLOYMENT_FORMS } from '../members/members.schema.js';
import type { EmploymentInput, PersonInput } from '../members/members.schema.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import type { MessagesService } from '../messages/messages.service.js';
import type { HolidaysService } from '../holidays/holidays.service.js';
import { joiningRepository } from './joining.repository.js';
import { JOIN_CONSENT, JOIN_STATUSES } from './joining.schema.js';

export const REVIEW_SLA_WORKING_DAYS = 15;

export interface NewApplication {
  person: PersonInput;
  employment: EmploymentInput;
  targetOrgId: string;
  campaignId: string | null;
  channel: JoinApplication['channel'];
  workerId: string | null;
  partnerId: string | null;
  partnerRef: string | null;
  idempotencyKey: string | null;
  consent: { workerId: string | null; ip: string | null } | null;
  audit: Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'>;
}

export function createJoiningService(
  deps: AppDeps & { audit: AuditService; orgs: OrgsService; members: MembersService; messages: MessagesService; holidays: HolidaysService },
) {
  const db: Kysely<DB> = deps.database.db;
  const now = () => deps.clock.now();
  deps.orgs.registerMoveHook((trx, oldPath, newPath) => joiningRepository.rewriteOrgPaths(trx, oldPath, newPath));

  const notifyWorker = (trx: Transaction<DB>, workerId: string | null, title: string, body: string) =>
    workerId ? deps.messages.send(trx, { workerId }, { title, body, link: '/h5/#/join/status', category: 'join' }) : Promise.resolve();
  const smsWorker = (workerId: string | null, text: string) => deps.messages.smsWorker(workerId, text);

  /** One transaction: person, consent, application. Shared by the H5, the partner API and staff entry. */
  async function create(input: NewApplication) {
    try {
      return await db.transaction().execute(async (trx) => {
        const target = await deps.orgs.forMembership(trx, input.targetOrgId);
        if (!target || target.org.status !== 'active') throw invalid({ targetOrgId: '所选工会不存在或已撤销' });
        const person = await deps.members.identify(trx, input.person, input.workerId);
        const live = await deps.members.liveMembership(trx, person.id);
        if (live && live.org_id === target.org.id) throw new AppError('CONFLICT', '您已是该工会会员，无需重复申请');
        const open = await joiningRepository.openOfPerson(trx, person.id);
        if (open) throw new AppError('CONFLICT', '您已有一份入会申请正在办理，请等待审核结果');
        const consent = input.consent
          ? await joiningRepository.insertConsent(trx, {
              worker_id: input.consent.workerId,
              person_id: person.id,
              purpose: 'join_sensitive_pi',
              text_version: JOIN_CONSENT.version,
              agreed_at: now(),
              ip: input.consent.ip,
            })
          : null;
        const at = now();
        const app = await joiningRepository.insert(trx, {
          person_id: person.id,
          target_org_id: target.org.id,
          target_org_path: target.org.path,
          campaign_id: input.campaignId,
          channel: input.channel,
          details: JSON.stringify(input.employment),
          transfer_from_membership_id: live?.id ?? null,
          worker_id: input.workerId,
          partner_id: input.partnerId,
          partner_ref: input.partnerRef,
          consent_id: consent?.id ?? null,
          idempotency_key: input.idempotencyKey,
          submitted_at: at,
          due_at: await deps.holidays.addWorkingDays(trx, at, REVIEW_SLA_WORKING_DAYS),
        });
        await notifyWorker(trx, input.workerId, '入会申请已提交', `您申请加入${target.org.name}，工会将在 ${REVIEW_SLA_WORKING_DAYS} 个工作日内审核。`);
        // Last: the audit append takes the chain lock, held until commit.
        await deps.audit.append(trx, {
          ...input.audit,
          action: 'join.submit',
          targetType: 'join_application',
          targetId: app.id,
          orgId: target.org.id,
          outcome: 'success',
          detail: { channel: input.channel, transfer: !!live },
        });
        return app;
      });
    } catch (err) {
      if (isUniqueViolation(err, 'join_applications_one_open')) throw new AppError('CONFLICT', '您已有一份入会申请正在办理，请等待审核结果');
      throw err;
    }
  }

  async function presentForWorker(a: JoinApplication) {
    const mine = await service.mine({ type: 'worker', workerId: a.worker_id!, phoneMasked: '', sessionId: '' });
    return mine.find((r) => r.id === a.id)!;
  }

  /** Approves into a membership (or a transfer); the caller holds the transaction. */
  async function admitFromApplication(trx: Transaction<DB>, app: JoinApplication, actor: EventActor) {
    const person = (await deps.members.personById(trx, app.person_id))!;
    const employment = app.details as EmploymentInput;
    const reason = `入会申请 #${app.id}`;
    if (app.transfer_from_membership_id) {
      const from = await deps.members.membershipForUpdate(trx, app.transfer_from_membership_id);
      if (from && (from.status === 'active' || from.status === 'retained')) {
        return deps.members.transfer(trx, { from, person, toOrgId: app.target_org_id, employment, actor, reason: `会籍转接（${reason}）` });
      }
    }
    return deps.members.admit(trx, { person, orgId: app.target_org_id, employment, source: app.channel, actor, reason });
  }

  const service = {
    consent: () => JOIN_CONSENT,

    async submitFromWorker(
      worker: WorkerActor,
      meta: RequestMeta,
      input: { person: PersonInput; employment: EmploymentInput; targetOrgId?: string; campaignToken?: string; consentVersion: string; idempotencyKey: string },
    ) {
      const existing = await joiningRepository.byIdempotencyKey(db, worker.workerId, input.idempotencyKey);
      if (existing) return presentForWorker(existing);
      if (input.consentVersion !== JOIN_CONSENT.version) throw invalid({ consent: '同意书已更新，请重新阅读并同意' });
      const w = (await joiningRepository.workerPhone(db, worker.workerId))!;
      if (deps.crypto.blindIndex(input.person.phone, PHONE_DOMAIN) !== w.phone_bidx) throw invalid({ phone: '手机号须与登录手机号一致' });
      let targetOrgId = input.targetOrgId;
      let campaignId: string | null = null;
      if (input.campaignToken) {
        const c = await joiningRepository.campaignByToken(db, input.campaignToken);
        const today = chinaDay(now());
        if (!c) throw invalid({ campaignToken: '二维码无效' });
        if (today < c.starts_on || today > c.ends_on) throw invalid({ campaignToken: '该入会活动不在进行中' });
        targetOrgId = c.org_id;
        campaignId = c.id;
      }
      if (!targetOrgId) throw invalid({ targetOrgId: '请选择要加入的工会' });
      try {
        const app = await create({
          person: input.person,
          employment: input.employment,
          targetOrgId,
          campaignId,
          channel: campaignId ? 'qr' : 'h5',
          workerId: worker.workerId,
          partnerId: null,
          partnerRef: null,
          idempotencyKey: input.idempotencyKey,
          consent: { workerId: worker.workerId, ip: meta.ip },
          audit: auditActor(worker, meta),
        });
        return presentForWorker(app);
      } catch (err) {
        // The same submission raced itself: answer with the one that won.
        if (isUniqueViolation(err)) {
          const again = await joiningRepository.byIdempotencyKey(db, worker.workerId, input.idempotencyKey);
          if (again) return presentForWorker(again);
        }
        throw err;
      }
    },

    /** Used by the partner API and staff entry. */
    createApplication: create,

    /** The partner API's view of what it submitted. */
    applicationByPartnerRef: (partnerId: string, ref: string) => joiningRepository.byPartnerRef(db, partnerId, ref),

    async review(actor: StaffActor, meta: RequestMeta, id: string, input: { action: 'approve' | 'reject'; reason?: string; version: number }) {
      if (input.action === 'reject' && !input.reason) throw invalid({ reason: '请填写不通过的原因' });
      const result = await db.transaction().execute(async (trx) => {
        const app = await joiningRepository.inScope(trx, actor.orgPath, id);
        if (!app || !app.target_org_path.startsWith(actor.orgPath)) throw notFound('入会申请');
        if (app.status !== 'pending') throw new AppError('CONFLICT', `该申请已${JOIN_STATUSES[app.status]}，无需再审核`);
        if (app.version !== input.version) throw conflict('该申请已被他人处理，请刷新后查看');
        const base = { reviewed_at: now(), reviewed_by: actor.accountId };
        let updated: JoinApplication | undefined;
        let memberNo: string | null = null;
        if (input.action === 'reject') {
          updated = await joiningRepository.update(trx, app.id, app.version, { ...base, status: 'rejected', reject_reason: input.reason! });
        } else {
          let needsRelease = false;
          if (app.transfer_from_membership_id) {
            const from = await deps.members.membershipForUpdate(trx, app.transfer_from_membership_id);
            const fromOrg = from ? await deps.orgs.forMembership(trx, from.org_id) : undefined;
            // The old union releases the member, unless it no longer exists (dissolved): then it is automatic.
            needsRelease = !!from && (from.status === 'active' || from.status === 'retained') && fromOrg?.org.status === 'active';
          }
          if (needsRelease) {
            updated = await joiningRepository.update(trx, app.id, app.version, { ...base, status: 'awaiting_release' });
          } else {
            const m = await admitFromApplication(trx, app, staffEventActor(actor));
            memberNo = m.member_no;
            updated = await joiningRepository.update(trx, app.id, app.version, { ...base, status: 'approved', membership_id: m.id });
          }
        }
        if (!updated) throw conflict('该申请已被他人处理，请刷新后查看');
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: `join.${input.action}`,
          targetType: 'join_application',
          targetId: app.id,
          orgId: app.target_org_id,
          outcome: 'success',
          detail: { status: updated.status, reason: input.reason ?? null },
        });
        const title =
          updated.status === 'approved' ? '入会申请已通过' : updated.status === 'rejected' ? '入会申请未通过' : '入会申请已通过，等待原工会办理转出';
        const body =
          updated.status === 'approved'
            ? `欢迎加入工会！您的会员号为 ${memberNo}，可在“会员卡”中查看电子会员卡。`
            : updated.status === 'rejected'
              ? `原因：${input.reason}`
              : '原所在工会办理转出后，会籍转接即完成。';
        await notifyWorker(trx, updated.worker_id, title, body);
        return { updated, title, body };
      });
      await smsWorker(result.updated.worker_id, `【智慧工会】${result.title}。${result.body}`);
      return service.getForStaff(actor, id);
    },

    /** The old union releases a member who is transferring (会籍转接). */
    async release(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number }) {
      const result = await db.transaction().execute(async (trx) => {
        const app = await joiningRepository.inScope(trx, actor.orgPath, id);
        if (!app || !app.from_org_path?.startsWith(actor.orgPath)) throw notFound('入会申请');
        if (app.status !== 'awaiting_release') throw new AppError('CONFLICT', '该申请不在待转出状态');
        if (app.version !== input.version) throw conflict('该申请已被他人处理，请刷新后查看');
        const m = await admitFromApplication(trx, app, staffEventActor(actor));
        const updated = await joiningRepository.update(trx, app.id, app.version, {
          status: 'approved',
          membership_id: m.id,
          released_at: now(),
          released_by: actor.accountId,
        });
        if (!updated) throw conflict('该申请已被他人处理，请刷新后查看');
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'join.release',
          targetType: 'join_application',
          targetId: app.id,
          orgId: app.target_org_id,
          outcome: 'success',
        });
        const body = `会籍转接已完成，您的会员号为 ${m.member_no}。`;
        await notifyWorker(trx, updated.worker_id, '会籍转接已完成', body);
        return { updated, body };
      });
      await smsWorker(result.updated.worker_id, `【智慧工会】${result.body}`);
      return service.getForStaff(actor, id);
    },

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

    async getForStaff(actor: StaffActor, id: string) {
      const app = await joiningRepository.inScope(db, actor.orgPath, id);
      if (!app) throw notFound('入会申请');
      const person = (await deps.members.personById(db, app.person_id))!;
      const target = (await deps.orgs.forMembership(db, app.target_org_id))!;
      const at = now();
      return {
        id: app.id,
        status: app.status,
        statusLabel: JOIN_STATUSES[app.status],
        channel: app.channel,
        person: {
          name: person.name,
          idMasked: person.id_masked,
          phoneMasked: person.phone_masked,
          sex: person.sex,
          birthDate: person.birth_date,
          memberNo: person.member_no,
        },
        employment: app.details,
        employmentFormLabel: EMPLOYMENT_FORMS[(app.details as EmploymentInput).employmentForm] ?? null,
        targetOrg: { id: app.target_org_id, name: target.org.name },
        isTransfer: !!app.transfer_from_membership_id,
        canReview: app.status === 'pending' && app.target_org_path.startsWith(actor.orgPath),
        canRelease: app.status === 'awaiting_release' && !!app.from_org_path?.startsWith(actor.orgPath),
        submittedAt: app.submitted_at.toISOString(),
        dueAt: app.due_at.toISOString(),
        overdue: app.status === 'pending' && app.due_at < at,
        reviewedAt: app.reviewed_at?.toISOString() ?? null,
        rejectReason: app.reject_reason,
        version: app.version,
      };
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
        items: items.map((r) => ({
          id: r.id,
          status: r.status,
          statusLabel: JOIN_STATUSES[r.status],
          channel: r.channel,
          name: r.name,
          idMasked: r.id_masked,
          phoneMasked: r.phone_masked,
          targetOrg: { id: r.target_org_id, name: r.target_org_name },
          fromOrgName: r.from_org_name,
          isTransfer: !!r.transfer_from_membership_id,
          employmentFormLabel: EMPLOYMENT_FORMS[(r.details as EmploymentInput).employmentForm] ?? null,
          submittedAt: r.submitted_at.toISOString(),
          dueAt: r.due_at.toISOString(),
          overdue: r.status === 'pending' && r.due_at < at,
          version: r.version,
        })),
      };
    },

    async counts(actor: StaffActor, orgId: string) {
      const org = await deps.orgs.findInScope(actor, orgId);
      if (!org) throw notFound('组织');
      return joiningRepository.counts(db, org.path, now());
    },

    async mine(worker: WorkerActor) {
      const rows = await joiningRepository.ofWorker(db, worker.workerId);
      return rows.map((r) => ({
        id: r.id,
        status: r.status,
        statusLabel: JOIN_STATUSES[r.status],
        targetOrgName: r.target_org_name,
        isTransfer: !!r.transfer_from_membership_id,
        submittedAt: r.submitted_at.toISOString(),
        reviewedAt: r.reviewed_at?.toISOString() ?? null,
        rejectReason: r.reject_reason,
        memberNo: r.status === 'approved' ? r.member_no : null,
      }));
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
        org: { id: c.org_id, name: c.org_name },
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
