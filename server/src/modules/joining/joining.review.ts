// Review of join applications (decision 009): the reviewer sees what the applicant typed beside
// the roll record of the same ID number; approval finds or creates the person, applies only the
// changes the reviewer accepts (name, phone), links the applicant's account only when its login
// phone is the person's phone on the roll or the reviewer confirms it, and then admits, confirms
// an existing membership, or starts a 会籍转接 that the old union releases.
import { chinaDay } from '../../platform/china-time.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Transaction } from 'kysely';
import type { DB, JoinAccepted, JoinApplication, Person } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { auditActor, type AuditEntry } from '../audit/audit.service.js';
import { staffEventActor, type EventActor } from '../members/members.service.js';
import { EMPLOYMENT_FORMS, ID_TYPES, MEMBERSHIP_STATUSES, type EmploymentInput } from '../members/members.schema.js';
import { applicantPerson, presentApplicant } from './joining.applicant.js';
import { joiningRepository } from './joining.repository.js';
import { ageOn } from './joining.rules.js';
import { JOIN_STATUSES, type ReviewInput } from './joining.schema.js';
import type { JoiningDeps } from './joining.service.js';

/** Where the applicant's ID number stands on the roll, as the reviewer is told (never the applicant). */
export const ROLL_STATUSES = {
  new: '新会员（名册中无此证件号）',
  member_here: '已是本会会员',
  member_elsewhere: '会籍转接（现为其他工会会员）',
  former: '名册中有记录，现无会籍',
} as const;
export type RollStatus = keyof typeof ROLL_STATUSES;

export function rollStatusOf(roll: { id: string; org_id: string | null } | undefined | null, targetOrgId: string): RollStatus {
  if (!roll) return 'new';
  if (!roll.org_id) return 'former';
  return roll.org_id === targetOrgId ? 'member_here' : 'member_elsewhere';
}

const STALE = '该申请已被他人处理，请刷新后查看';

export function createJoiningReview(
  deps: JoiningDeps,
  notify: {
    worker: (trx: Transaction<DB>, workerId: string | null, title: string, body: string) => Promise<unknown>;
    sms: (workerId: string | null, text: string) => Promise<unknown>;
  },
) {
  const db = deps.database.db;
  const c = deps.crypto;
  const now = () => deps.clock.now();

  /** Completes a 会籍转接 at release; the person was settled at approval. */
  async function admitFromApplication(trx: Transaction<DB>, app: JoinApplication, actor: EventActor) {
    const person = app.person_id ? await deps.members.personById(trx, app.person_id) : undefined;
    if (!person) throw conflict('申请人的名册记录不存在，请刷新后重试');
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

  /** The person for the application: the one on the roll with this ID (changed only as accepted), or a new one from what was typed. */
  async function settlePerson(
    trx: Transaction<DB>,
    actor: StaffActor,
    who: ReturnType<typeof auditActor>,
    app: JoinApplication,
    input: ReviewInput,
    audits: AuditEntry[],
  ) {
    const existing = await deps.members.personByIdIndex(trx, app.applicant_id_bidx, true);
    if (!existing) {
      // An H5 application's phone is the applicant's login phone (checked at submission); a partner's was typed.
      const { person, created } = await deps.members.findOrCreate(trx, applicantPerson(c, app), app.worker_id ? 'proven' : 'typed');
      return { person, createdPerson: created, nameChanged: false, phoneChanged: false };
    }
    // A member of a union outside the reviewer's subtree is that union's to correct or relink: an
    // application typed with their ID number must not let another county rename them, change their
    // phone or hand their card to the applicant's account (the release only moves the membership).
    const live = await deps.members.liveMembership(trx, existing.id);
    if (live && !live.org_path.startsWith(actor.orgPath)) {
      const outside = '此人现为其他工会会员，姓名、手机号和账号关联须由其所在工会核实办理';
      const fields = {
        ...(input.acceptName && { acceptName: outside }),
        ...(input.acceptPhone && { acceptPhone: outside }),
        ...(input.linkWorker && { linkWorker: outside }),
      };
      if (Object.keys(fields).length) throw invalid(fields, outside);
    }
    const change: { name?: string; phone?: string } = {};
    if (input.acceptName && existing.name !== app.applicant_name) change.name = app.applicant_name;
    if (input.acceptPhone && app.applicant_phone_enc && existing.phone_bidx !== app.applicant_phone_bidx) change.phone = c.decrypt(app.applicant_phone_enc);
    if (!change.name && !change.phone) return { person: existing, createdPerson: false, nameChanged: false, phoneChanged: false };
    const person = await deps.members.changeIdentity(trx, existing, change, app.worker_id ? 'proven' : 'typed');
    const nameChanged = person.name !== existing.name;
    const phoneChanged = person.phone_bidx !== existing.phone_bidx;
    audits.push({
      ...who,
      action: 'member.identity_change',
      targetType: 'person',
      targetId: person.id,
      orgId: app.target_org_id,
      outcome: 'success',
      detail: {
        applicationId: app.id,
        ...(nameChanged && { name: { from: existing.name, to: person.name } }),
        ...(phoneChanged && { phone: { from: existing.phone_masked, to: person.phone_masked } }),
      },
    });
    return { person, createdPerson: false, nameChanged, phoneChanged };
  }

  /** Links the applicant's account: when its login phone is the person's phone on the roll, or the reviewer confirms it. */
  async function settleLink(
    trx: Transaction<DB>,
    who: ReturnType<typeof auditActor>,
    app: JoinApplication,
    person: Person,
    input: ReviewInput,
    audits: AuditEntry[],
  ) {
    if (!app.worker_id) return { linked: false, previousWorkerId: null };
    const w = await joiningRepository.workerPhone(trx, app.worker_id);
    // A phone staff typed or imported onto the person is not the person's proof (decisions 022, 044): only an explicit link.
    const phoneOnRoll = !!w && !!person.phone_bidx && w.phone_bidx === person.phone_bidx && !person.phone_set_by_staff_at;
    if (!phoneOnRoll && !input.linkWorker) return { linked: person.worker_id === app.worker_id, previousWorkerId: null };
    const r = await deps.members.linkWorker(
      trx,
      { person, workerId: app.worker_id, reason: input.linkWorker ? 'reviewer' : 'phone_match', applicationId: app.id, orgId: app.target_org_id },
      who,
    );
    if (r.audit) audits.push(r.audit);
    return { linked: true, previousWorkerId: r.changed ? r.previousWorkerId : null };
  }

  /**
   * Approval. The audit rows it produces (identity change, account link) are returned, not
   * appended: the caller appends them last, after the application row is updated, because an
   * audit append holds the chain lock until commit (taking it earlier deadlocks with a concurrent
   * review that holds the application row or a member-number counter).
   */
  async function approve(trx: Transaction<DB>, actor: StaffActor, meta: RequestMeta, app: JoinApplication, input: ReviewInput) {
    const audits: AuditEntry[] = [];
    const target = await deps.orgs.forMembership(trx, app.target_org_id);
    if (!target || target.org.status !== 'active') throw new AppError('CONFLICT', '申请加入的工会已撤销，只能处理为不通过');
    if (input.linkWorker && !app.worker_id) throw invalid({ linkWorker: '该申请不是职工本人在 H5 提交的，没有可关联的账号' });
    const who = auditActor(actor, meta);
    const settled = await settlePerson(trx, actor, who, app, input, audits);
    const { person } = settled;
    const link = await settleLink(trx, who, app, person, input, audits);

    // transfer_from is decided here, at review (an application filed before migration 020 may carry a stale one).
    const base = { reviewed_at: now(), reviewed_by: actor.accountId, person_id: person.id, transfer_from_membership_id: null };
    const eventActor = staffEventActor(actor);
    const employment = app.details as EmploymentInput;
    const reason = `入会申请 #${app.id}`;
    const live = await deps.members.liveMembership(trx, person.id);
    let patch: Parameters<typeof joiningRepository.update>[3];
    let memberNo: string | null = null;
    let confirmed = false;
    if (live && live.org_id === target.org.id) {
      // Already a member here: nothing to admit; the approval confirms who they are.
      confirmed = true;
      memberNo = person.member_no;
      patch = { ...base, status: 'approved', membership_id: live.id };
    } else if (live) {
      const fromOrg = await deps.orgs.forMembership(trx, live.org_id);
      if (fromOrg?.org.status === 'active') {
        // The old union releases the member, unless it no longer exists (dissolved): then it is automatic.
        patch = { ...base, status: 'awaiting_release', transfer_from_membership_id: live.id };
      } else {
        const m = await deps.members.transfer(trx, {
          from: live,
          person,
          toOrgId: target.org.id,
          employment,
          actor: eventActor,
          reason: `会籍转接（${reason}）`,
        });
        memberNo = m.member_no;
        patch = { ...base, status: 'approved', transfer_from_membership_id: live.id, membership_id: m.id };
      }
    } else {
      const m = await deps.members.admit(trx, { person, orgId: target.org.id, employment, source: app.channel, actor: eventActor, reason });
      memberNo = m.member_no;
      patch = { ...base, status: 'approved', membership_id: m.id };
    }
    const accepted: JoinAccepted = {
      acceptName: !!input.acceptName,
      acceptPhone: !!input.acceptPhone,
      linkWorker: !!input.linkWorker,
      createdPerson: settled.createdPerson,
      nameChanged: settled.nameChanged,
      phoneChanged: settled.phoneChanged,
      linked: link.linked,
      previousWorkerId: link.previousWorkerId,
    };
    const updated = await joiningRepository.update(trx, app.id, app.version, { ...patch, accepted: JSON.stringify(accepted) });
    return { updated, memberNo, confirmed, accepted, audits };
  }

  /** What the worker is told after a review (and by SMS): no member number unless the account is linked. */
  function outcomeMessage(
    status: JoinApplication['status'],
    r: { memberNo: string | null; confirmed: boolean; linked: boolean; hasWorker: boolean },
    reason?: string,
  ) {
    if (status === 'rejected') return { title: '入会申请未通过', body: `原因：${reason}` };
    if (status === 'awaiting_release') return { title: '入会申请已通过，等待原工会办理转出', body: '原所在工会办理转出后，会籍转接即完成。' };
    if (r.hasWorker && !r.linked)
      return { title: '入会申请已处理', body: '工会已处理您的入会申请。您的账号尚未关联会员身份，如需使用电子会员卡，请联系所在工会。' };
    if (r.confirmed) return { title: '入会申请已通过', body: '工会已确认您的会员身份，可在“会员卡”中查看电子会员卡。' };
    return { title: '入会申请已通过', body: `欢迎加入工会！您的会员号为 ${r.memberNo}，可在“会员卡”中查看电子会员卡。` };
  }

  const review = {
    async review(actor: StaffActor, meta: RequestMeta, id: string, input: ReviewInput) {
      if (input.action === 'reject' && !input.reason) throw invalid({ reason: '请填写不通过的原因' });
      let result;
      try {
        result = await db.transaction().execute(async (trx) => {
          const scoped = await joiningRepository.inScope(trx, actor.orgPath, id);
          if (!scoped || !scoped.target_org_path.startsWith(actor.orgPath)) throw notFound('入会申请');
          // The application row first: a concurrent review waits here, then finds the new version.
          const app = (await joiningRepository.byId(trx, id))!;
          if (app.status !== 'pending') throw new AppError('CONFLICT', `该申请已${JOIN_STATUSES[app.status]}，无需再审核`);
          if (app.version !== input.version) throw conflict(STALE);
          let updated: JoinApplication | undefined;
          let msg: { title: string; body: string };
          let accepted: JoinAccepted | null = null;
          let audits: AuditEntry[] = [];
          if (input.action === 'reject') {
            updated = await joiningRepository.update(trx, app.id, app.version, {
              reviewed_at: now(),
              reviewed_by: actor.accountId,
              status: 'rejected',
              reject_reason: input.reason!,
            });
            msg = outcomeMessage('rejected', { memberNo: null, confirmed: false, linked: false, hasWorker: !!app.worker_id }, input.reason);
          } else {
            const r = await approve(trx, actor, meta, app, input);
            updated = r.updated;
            accepted = r.accepted;
            audits = r.audits;
            msg = outcomeMessage(updated?.status ?? 'approved', { ...r, linked: r.accepted.linked, hasWorker: !!app.worker_id });
          }
          if (!updated) throw conflict(STALE);
          await notify.worker(trx, updated.worker_id, msg.title, msg.body);
          // Last: audit appends hold the chain lock until commit.
          for (const a of audits) await deps.audit.append(trx, a);
          await deps.audit.append(trx, {
            ...auditActor(actor, meta),
            action: `join.${input.action}`,
            targetType: 'join_application',
            targetId: app.id,
            orgId: app.target_org_id,
            outcome: 'success',
            detail: { status: updated.status, reason: input.reason ?? null, ...(accepted && { accepted }) },
          });
          return { updated, ...msg };
        });
      } catch (err) {
        // Two approvals of the same new ID (or account) at once: the database kept one.
        if (isUniqueViolation(err)) throw conflict('与同时进行的另一审核冲突，请刷新后重试');
        throw err;
      }
      await notify.sms(result.updated.worker_id, `【智慧工会】${result.title}。${result.body}`);
      return review.getForStaff(actor, id);
    },

    /** The old union releases a member who is transferring (会籍转接). */
    async release(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number }) {
      const result = await db.transaction().execute(async (trx) => {
        const app = await joiningRepository.inScope(trx, actor.orgPath, id);
        if (!app || !app.from_org_path?.startsWith(actor.orgPath)) throw notFound('入会申请');
        if (app.status !== 'awaiting_release') throw new AppError('CONFLICT', '该申请不在待转出状态');
        if (app.version !== input.version) throw conflict(STALE);
        const m = await admitFromApplication(trx, app, staffEventActor(actor));
        const updated = await joiningRepository.update(trx, app.id, app.version, {
          status: 'approved',
          membership_id: m.id,
          released_at: now(),
          released_by: actor.accountId,
        });
        if (!updated) throw conflict(STALE);
        const linked = !updated.worker_id || !!updated.accepted?.linked;
        const body = linked ? `会籍转接已完成，您的会员号为 ${m.member_no}。` : '会籍转接已办理完成。';
        await notify.worker(trx, updated.worker_id, '会籍转接已完成', body);
        // Last: the audit append holds the chain lock until commit.
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'join.release',
          targetType: 'join_application',
          targetId: app.id,
          orgId: app.target_org_id,
          outcome: 'success',
        });
        return { updated, body };
      });
      await notify.sms(result.updated.worker_id, `【智慧工会】${result.body}`);
      return review.getForStaff(actor, id);
    },

    /** The application beside the roll: differences flagged, where the ID stands, the account, the decision once made. */
    async getForStaff(actor: StaffActor, id: string) {
      const app = await joiningRepository.inScope(db, actor.orgPath, id);
      if (!app) throw notFound('入会申请');
      const [target, roll, worker, otherOpen] = await Promise.all([
        deps.orgs.forMembership(db, app.target_org_id),
        deps.members.rollRecord(db, app.applicant_id_bidx),
        app.worker_id ? joiningRepository.workerPhone(db, app.worker_id) : Promise.resolve(undefined),
        joiningRepository.openWithSameId(db, app.applicant_id_bidx, app.id),
      ]);
      const at = now();
      const pending = app.status === 'pending';
      const rollStatus = rollStatusOf(roll, app.target_org_id);
      const differences = roll
        ? deps.members.differences(roll, { name: app.applicant_name, phoneBidx: app.applicant_phone_bidx })
        : { name: false, phone: false };
      return {
        id: app.id,
        status: app.status,
        statusLabel: JOIN_STATUSES[app.status],
        channel: app.channel,
        applicant: {
          ...presentApplicant(app),
          idTypeLabel: ID_TYPES[app.applicant_id_type],
          ageAtSubmission: app.applicant_birth_date ? ageOn(app.applicant_birth_date, chinaDay(app.submitted_at)) : null,
        },
        roll: roll
          ? {
              personId: roll.id,
              name: roll.name,
              phoneMasked: roll.phone_masked,
              sex: roll.sex,
              birthDate: roll.birth_date,
              memberNo: roll.member_no,
              /** Whose account the person is linked to: none, this applicant's, or another one. */
              account: roll.worker_id === null ? ('none' as const) : roll.worker_id === app.worker_id ? ('applicant' as const) : ('other' as const),
              membership:
                roll.membership_id && roll.org_id && roll.status
                  ? {
                      orgId: roll.org_id,
                      orgName: roll.org_name,
                      status: roll.status,
                      statusLabel: MEMBERSHIP_STATUSES[roll.status],
                      inTarget: roll.org_id === app.target_org_id,
                    }
                  : null,
            }
          : null,
        rollStatus,
        rollStatusLabel: ROLL_STATUSES[rollStatus],
        differences,
        /** The applicant's H5 account (none for a partner's application). */
        // phoneOnRoll: the approval links the account by itself (as settleLink decides); phoneTyped: the
        // login phone is the roll phone, but staff typed or imported it, so only the reviewer's tick links.
        account: worker
          ? {
              phoneMasked: worker.phone_masked,
              phoneOnRoll: !!roll?.phone_bidx && roll.phone_bidx === worker.phone_bidx && !roll.phone_set_by_staff_at,
              phoneTyped: !!roll?.phone_bidx && roll.phone_bidx === worker.phone_bidx && !!roll.phone_set_by_staff_at,
            }
          : null,
        otherOpenApplications: otherOpen,
        accepted: app.accepted,
        employment: app.details,
        employmentFormLabel: EMPLOYMENT_FORMS[(app.details as EmploymentInput).employmentForm] ?? null,
        targetOrg: { id: app.target_org_id, name: target!.org.name },
        isTransfer: pending ? rollStatus === 'member_elsewhere' : !!app.transfer_from_membership_id,
        fromOrgName: app.from_org_name ?? (pending && rollStatus === 'member_elsewhere' ? roll!.org_name : null),
        canReview: pending && app.target_org_path.startsWith(actor.orgPath),
        canRelease: app.status === 'awaiting_release' && !!app.from_org_path?.startsWith(actor.orgPath),
        submittedAt: app.submitted_at.toISOString(),
        dueAt: app.due_at.toISOString(),
        overdue: pending && app.due_at < at,
        reviewedAt: app.reviewed_at?.toISOString() ?? null,
        rejectReason: app.reject_reason,
        version: app.version,
      };
    },
  };
  return review;
}
