// The worker's own H5 (issue 11, decision 015): one answer to "where do I stand" that 首页, 我的,
// 入会 and 会员卡 all read (GET /api/worker/state), the session probes a cold page load asks
// without a 401, 个人信息, the phone change proven by an SMS code sent to the NEW phone, and 注销.
//
// A worker changes only their own account and the person their account is linked to
// (people.worker_id, decision 009): every write here starts from the session's worker id, never
// from an id in the request. The phone change does not relink anybody: the link stays with the
// person it was on, and a phone held by another account is refused.
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/errors.js';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, WorkerActor } from '../../platform/context.js';
import { maskPhone, sm3 } from '../../platform/crypto.js';
import { AppError, conflict, invalid } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import { issueSmsCode, spendSmsCode, SMS_POLICY, type AuthService } from '../auth/auth.service.js';
import { maskName } from '../cards/cards.service.js';
import { JOIN_STATUSES } from '../joining/joining.schema.js';
import { createMembersWorkerService } from '../members/members.worker.js';
import { createMembersClaimService } from '../members/members.claim.js';
import { EMPLOYMENT_FORMS, MEMBERSHIP_STATUSES } from '../members/members.schema.js';
import type { ModuleContext } from '../module-context.js';
import { profileRepository } from './profile.repository.js';
import { CHANGE_STATUSES } from './profile.schema.js';

const MINUTE = 60_000;
/** The SMS codes of a phone change: a purpose of their own, bound to the asking account in the hash. */
const PHONE_CHANGE = 'phone_change';

/** 王建国 → 王*国, 张三 → 张*, 欧阳娜娜 → 欧**娜: for 首页, where others may glance at the screen. */
export function maskNameMiddle(name: string): string {
  const chars = [...name];
  if (chars.length <= 2) return maskName(name);
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Where an open join application is, in words. */
function whereIs(status: string, orgName: string): string {
  if (status === 'pending') return `等待${orgName}审核`;
  if (status === 'awaiting_release') return `${orgName}已同意接收，等待原工会办理转出`;
  return JOIN_STATUSES[status as keyof typeof JOIN_STATUSES] ?? status;
}

export function createProfileService(ctx: ModuleContext & { auth: AuthService }) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();
  const membersWorker = createMembersWorkerService({ db, audit: ctx.audit });
  const claims = createMembersClaimService({ db, audit: ctx.audit, crypto: ctx.crypto, clock: ctx.clock });
  const codeHash = (bidx: string, workerId: string, code: string) => sm3(`${PHONE_CHANGE}:${workerId}:${bidx}:${code}`);

  async function state(worker: WorkerActor) {
    // First: the phone-match link of decision 009 (a member on the roll signing in with their phone).
    const lastStatus = await membersWorker.memberStatusOfWorker(worker.workerId);
    const [p, applications, unreadMessages] = await Promise.all([
      profileRepository.personOfWorker(db, worker.workerId),
      ctx.joining.mine(worker),
      ctx.messages.unreadCount({ workerId: worker.workerId }),
    ]);
    const member =
      p && p.membership_id && p.status
        ? {
            name: p.name,
            nameMasked: maskNameMiddle(p.name),
            memberNo: p.member_no,
            orgName: p.org_name!,
            joinedOn: p.joined_on!,
            status: p.status,
            statusLabel: MEMBERSHIP_STATUSES[p.status],
          }
        : null;
    // A typed phone on one unlinked person: the H5 offers the claim by ID number (decision 044).
    const claimable = p ? null : await claims.claimOf(worker.workerId);
    const latest = applications[0] ?? null;
    const open = applications.find((a) => a.status === 'pending' || a.status === 'awaiting_release') ?? null;
    const shown = open ?? latest;
    return {
      worker: { id: worker.workerId, phoneMasked: worker.phoneMasked },
      /** Status of the latest membership (null: never a member), as /api/worker/me answers it. */
      memberStatus: lastStatus,
      member,
      /** The open application, else the latest one (a refusal's reason stays visible). */
      application: shown
        ? {
            id: shown.id,
            status: shown.status,
            statusLabel: shown.statusLabel,
            open: shown === open,
            targetOrgName: shown.targetOrgName,
            where: whereIs(shown.status, shown.targetOrgName),
            submittedAt: shown.submittedAt,
            reviewedAt: shown.reviewedAt,
            rejectReason: shown.rejectReason,
          }
        : null,
      unreadMessages,
      /** The roll holds one person with this login phone, typed by staff or imported: claim by ID number. */
      claim: claimable ? { unionName: claimable.unionName, nameMasked: maskNameMiddle(claimable.name) } : null,
    };
  }

  return {
    state,

    /** A cold page load asks who is signed in: 200 either way (issue 11, item 14). */
    async workerProbe(token: string | undefined) {
      const resolved = token ? await ctx.auth.resolveWorker(token) : null;
      if (!resolved) return { loggedIn: false as const };
      return { loggedIn: true as const, csrfToken: resolved.csrfToken, state: await state(resolved.actor) };
    },

    async staffProbe(token: string | undefined) {
      const resolved = token ? await ctx.auth.resolveStaff(token) : null;
      if (!resolved) return { loggedIn: false as const };
      return { loggedIn: true as const, csrfToken: resolved.csrfToken, account: await ctx.auth.me(resolved.actor) };
    },

    /** 个人信息: the full name and the roll's data the member may see of themselves (identity masked). */
    async profile(worker: WorkerActor) {
      await membersWorker.memberStatusOfWorker(worker.workerId); // the phone-match link, as state() does
      const p = await profileRepository.personOfWorker(db, worker.workerId);
      return {
        phoneMasked: worker.phoneMasked,
        person: p
          ? {
              name: p.name,
              idMasked: p.id_masked,
              phoneMasked: p.phone_masked,
              memberNo: p.member_no,
              address: p.address,
            }
          : null,
        membership:
          p && p.membership_id && p.status
            ? {
                orgName: p.org_name!,
                joinedOn: p.joined_on!,
                status: p.status,
                statusLabel: MEMBERSHIP_STATUSES[p.status],
                employerName: p.employer_name,
                employmentFormLabel: p.employment_form ? EMPLOYMENT_FORMS[p.employment_form] : null,
              }
            : null,
      };
    },

    /** Sends a code to the NEW phone; throttled like the login codes (per phone, per IP). */
    async sendPhoneCode(worker: WorkerActor, meta: RequestMeta, phone: string) {
      const bidx = ctx.crypto.blindIndex(phone, 'phone');
      const account = await profileRepository.workerForUpdate(db, worker.workerId);
      if (account?.phone_bidx === bidx) throw invalid({ phone: '新手机号与当前手机号相同' });
      const at = now();
      const code = await issueSmsCode(db, { phoneBidx: bidx, purpose: PHONE_CHANGE, ip: meta.ip, at, hash: (c) => codeHash(bidx, worker.workerId, c) });
      await ctx.sms.send(phone, `【智慧工会】您正在更换绑定手机号，验证码为 ${code}，5 分钟内有效。如非本人操作请忽略。`);
      return { resendAfter: SMS_POLICY.resendAfterMs / 1000, code };
    },

    /**
     * Changes the login phone to one the worker has just proven to hold, and the roll's phone of the
     * person linked to the account (the member's own number). Other sessions of the account end.
     */
    async changePhone(worker: WorkerActor, meta: RequestMeta, phone: string, code: string) {
      const bidx = ctx.crypto.blindIndex(phone, 'phone');
      const at = now();
      await spendSmsCode(db, { phoneBidx: bidx, purpose: PHONE_CHANGE, codeHash: codeHash(bidx, worker.workerId, code), at });
      const masked = maskPhone(phone);
      try {
        return await db.transaction().execute(async (trx) => {
          const account = await profileRepository.workerForUpdate(trx, worker.workerId);
          if (!account || account.closed_at) throw new AppError('UNAUTHENTICATED', '请先登录');
          const enc = { phone_enc: ctx.crypto.encrypt(phone), phone_bidx: bidx, phone_masked: masked };
          await profileRepository.setWorkerPhone(trx, worker.workerId, enc);
          const p = await profileRepository.personOfWorker(trx, worker.workerId);
          // The roll's phone of someone else: two people with one phone would end the phone-match
          // link for both and tie the other to this account's number (as staff edits refuse it).
          if (await profileRepository.otherPersonWithPhone(trx, bidx, p?.person_id ?? null))
            throw conflict('该手机号已登记在名册中其他人员名下，不能绑定；如有疑问请联系所在工会');
          if (p) await profileRepository.setPersonPhone(trx, p.person_id, enc, at);
          const ended = await profileRepository.endWorkerSessions(trx, worker.workerId, at, 'phone_changed', worker.sessionId);
          await ctx.audit.append(trx, {
            ...auditActor(worker, meta),
            action: 'worker.phone_change',
            targetType: 'worker',
            targetId: worker.workerId,
            orgId: p?.org_id ?? null,
            outcome: 'success',
            detail: { from: account.phone_masked, to: masked, personId: p?.person_id ?? null, otherSessionsEnded: ended },
          });
          return { phoneMasked: masked };
        });
      } catch (err) {
        // Another account signs in with that phone: the worker proved they hold it, so saying so leaks nothing.
        if (isUniqueViolation(err, 'workers_phone_bidx_key'))
          throw conflict('该手机号已是另一个职工账号的登录手机号：请用该手机号登录后注销那个账号，再来更换');
        throw err;
      }
    },

    /**
     * 注销: the login and every session end, the account releases its phone and no longer stands
     * for a person on the roll. The membership, the applications and enrollments stay with the union.
     * Refused while a join or service application is being handled (it would lose its applicant).
     */
    async closeAccount(worker: WorkerActor, meta: RequestMeta, openServiceApplications: number) {
      const joins = await ctx.joining.mine(worker);
      if (joins.some((a) => a.status === 'pending' || a.status === 'awaiting_release')) {
        throw conflict('您有一份入会申请正在办理：请等待办理完成或先撤回，再注销账号');
      }
      if (openServiceApplications > 0) throw conflict(`您有 ${openServiceApplications} 份服务申请正在办理：请等待办结或先撤回，再注销账号`);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const account = await profileRepository.workerForUpdate(trx, worker.workerId);
        if (!account || account.closed_at) throw new AppError('UNAUTHENTICATED', '请先登录');
        const p = await profileRepository.personOfWorker(trx, worker.workerId);
        const withdrawn = await profileRepository.withdrawPendingOfWorker(trx, worker.workerId, at);
        const unlinked = await profileRepository.unlinkWorker(trx, worker.workerId);
        const ended = await profileRepository.endWorkerSessions(trx, worker.workerId, at, 'account_closed', null);
        await profileRepository.closeWorker(trx, worker.workerId, at, ctx.crypto.encrypt(`closed:${worker.workerId}`));
        await ctx.audit.append(trx, {
          ...auditActor(worker, meta),
          action: 'worker.close',
          targetType: 'worker',
          targetId: worker.workerId,
          orgId: p?.org_id ?? null,
          outcome: 'success',
          detail: { phone: account.phone_masked, unlinkedPersonIds: unlinked, withdrawnChangeRequests: withdrawn, sessionsEnded: ended },
        });
      });
    },

    changeStatusLabel: (s: keyof typeof CHANGE_STATUSES) => CHANGE_STATUSES[s],
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
