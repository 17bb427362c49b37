// Sign-in for staff (password) and workers (phone + SMS code), and the sessions behind them.
import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB, Session } from '../../db/schema.js';
import type { AppDeps, RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { chinaDay } from '../../platform/china-time.js';
import { maskPhone, randomToken, sm3 } from '../../platform/crypto.js';
import { AppError, invalid } from '../../platform/errors.js';
import { auditActor, type AuditService } from '../audit/audit.service.js';
import { ORG_TYPES } from '../orgs/orgs.schema.js';
import { accountsRepository, sessionsRepository, smsCodesRepository, workersRepository, type KeepAlive } from './auth.repository.js';
import { actorDuty, effectivePermissions } from './duties.js';
import { createIdentityCache } from './identity-cache.js';
import { dummyPasswordHash, hashPassword, matchesAny, PASSWORD_HISTORY, passwordProblem, verifyPassword } from './passwords.js';

const MINUTE = 60_000;
export const SESSION_POLICY = {
  staff: { idleMs: 30 * MINUTE, absoluteMs: 12 * 60 * MINUTE },
  // Workers use their own phone; a week idle, a month at most.
  worker: { idleMs: 7 * 24 * 60 * MINUTE, absoluteMs: 30 * 24 * 60 * MINUTE },
} as const;
export const LOCKOUT = { threshold: 5, durationMs: 15 * MINUTE };
export const SMS_POLICY = { ttlMs: 5 * MINUTE, maxAttempts: 5, resendAfterMs: MINUTE, perPhonePerHour: 5, perIpPerHour: 20 };

/**
 * Refuses (RATE_LIMITED) a code that would come too soon after the last one of this purpose to this
 * phone, or past the hourly limits per phone and per IP (all purposes count). Every SMS code
 * sender calls it: login codes and the H5's phone-change codes.
 */
async function refuseThrottledSms(db: Kysely<DB> | Transaction<DB>, p: { phoneBidx: string; purpose: string; ip: RequestMeta['ip']; at: Date }): Promise<void> {
  const last = await smsCodesRepository.latest(db, p.phoneBidx, p.purpose);
  if (last && p.at.getTime() - last.created_at.getTime() < SMS_POLICY.resendAfterMs) {
    const wait = Math.ceil((SMS_POLICY.resendAfterMs - (p.at.getTime() - last.created_at.getTime())) / 1000);
    throw new AppError('RATE_LIMITED', `验证码发送过于频繁，请 ${wait} 秒后再试`);
  }
  const hourAgo = new Date(p.at.getTime() - 60 * MINUTE);
  if ((await smsCodesRepository.countSince(db, { phoneBidx: p.phoneBidx, since: hourAgo })) >= SMS_POLICY.perPhonePerHour) {
    throw new AppError('RATE_LIMITED', '该手机号本小时获取验证码次数已达上限，请稍后再试');
  }
  if ((await smsCodesRepository.countSince(db, { ip: p.ip, since: hourAgo })) >= SMS_POLICY.perIpPerHour) {
    throw new AppError('RATE_LIMITED', '当前网络获取验证码过于频繁，请稍后再试');
  }
}
/**
 * Issues a 6-digit code of `purpose` to this phone and returns it (the caller sends it after this
 * returns). The throttle checks and the insert run under a transaction lock on the phone, so a burst
 * of concurrent requests cannot all pass the checks before any of them is counted.
 */
export async function issueSmsCode(
  db: Kysely<DB>,
  p: { phoneBidx: string; purpose: string; ip: RequestMeta['ip']; at: Date; hash: (code: string) => string },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await smsCodesRepository.lockPhone(trx, p.phoneBidx);
    await refuseThrottledSms(trx, p);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await smsCodesRepository.insert(trx, {
      phone_bidx: p.phoneBidx,
      purpose: p.purpose,
      code_hash: p.hash(code),
      ip: p.ip,
      created_at: p.at,
      expires_at: new Date(p.at.getTime() + SMS_POLICY.ttlMs),
    });
    return code;
  });
}

/**
 * Spends one try of the latest code of this purpose sent to this phone, in one statement: a wrong
 * code counts an attempt, the right one consumes the code, and neither happens once the code is
 * used, expired or out of attempts — so concurrent guesses cannot share one read of the attempt
 * count (the database re-checks `attempts < max` on the row it locks). Throws the Chinese answer
 * for the code field; returns nothing when the code was right. Every SMS code checker calls it.
 */
export async function spendSmsCode(db: Kysely<DB>, p: { phoneBidx: string; purpose: string; codeHash: string; at: Date }): Promise<void> {
  const r = await smsCodesRepository.spend(db, { ...p, maxAttempts: SMS_POLICY.maxAttempts });
  if (r?.ok) return;
  if (r) {
    const left = SMS_POLICY.maxAttempts - r.attempts;
    throw invalid({ code: left > 0 ? `验证码错误，还可尝试 ${left} 次` : '验证码错误次数过多，请重新获取' });
  }
  // Nothing spent: say why (a read after the fact, for the message only).
  const last = await smsCodesRepository.latest(db, p.phoneBidx, p.purpose);
  if (!last) throw invalid({ code: '请先获取验证码' });
  if (last.consumed_at) throw invalid({ code: '验证码已使用，请重新获取' });
  if (p.at >= last.expires_at) throw invalid({ code: '验证码已过期，请重新获取' });
  throw invalid({ code: '验证码错误次数过多，请重新获取' });
}

/** Touch last_seen at most this often (one write per minute per session, not per request). */
const TOUCH_EVERY_MS = MINUTE;

export const SESSION_COOKIE = { staff: 'gh_sid', worker: 'gh_wsid' } as const;

const hashToken = (token: string) => sm3(`session:${token}`);

/** The one answer for an unknown username and a wrong password: nothing tells them apart. */
export const BAD_CREDENTIALS = '用户名或密码错误';

export interface ResolvedStaff {
  actor: StaffActor;
  csrfToken: string;
  /** Until the password is changed the account may only read `me`, change it and sign out (access.ts). */
  mustChangePassword: boolean;
}
export interface ResolvedWorker {
  actor: WorkerActor;
  csrfToken: string;
}

export function createAuthService(deps: AppDeps & { audit: AuditService }) {
  const db: Kysely<DB> = deps.database.db;
  const now = () => deps.clock.now();

  async function openSession(kind: 'staff' | 'worker', subjectId: string, meta: RequestMeta) {
    const token = randomToken();
    const csrfToken = randomToken(24);
    const at = now();
    const row: Session = {
      id: hashToken(token),
      subject_type: kind,
      account_id: kind === 'staff' ? subjectId : null,
      worker_id: kind === 'worker' ? subjectId : null,
      csrf_token: csrfToken,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      created_at: at,
      last_seen_at: at,
      expires_at: new Date(at.getTime() + SESSION_POLICY[kind].absoluteMs),
      ended_at: null,
      end_reason: null,
    };
    await sessionsRepository.insert(db, row);
    return { token, csrfToken, sessionId: row.id, expiresAt: row.expires_at };
  }

  /**
   * What the identity statement needs to touch a live session at most once a minute, in the same
   * round trip (auth.repository.ts `touchWhenDue`): the same `at` keepAlive then judges by.
   */
  const keepAliveAt = (kind: 'staff' | 'worker', at: Date): KeepAlive => ({
    at,
    idleSince: new Date(at.getTime() - SESSION_POLICY[kind].idleMs),
    touchBefore: new Date(at.getTime() - TOUCH_EVERY_MS),
  });

  /**
   * Ends a session past its absolute or idle limit (false). A live one was touched, when due, by the
   * identity statement itself under the same rules and the same `at`.
   */
  async function keepAlive(kind: 'staff' | 'worker', s: { id: string; last_seen_at: Date; expires_at: Date }, at: Date): Promise<boolean> {
    if (at >= s.expires_at) {
      await sessionsRepository.end(db, s.id, at, 'expired');
      return false;
    }
    if (at.getTime() - s.last_seen_at.getTime() > SESSION_POLICY[kind].idleMs) {
      await sessionsRepository.end(db, s.id, at, 'idle');
      return false;
    }
    return true;
  }

  async function loadStaff(accountId: string, sessionId: string): Promise<{ actor: StaffActor; mustChangePassword: boolean } | null> {
    const account = await accountsRepository.findById(db, accountId);
    if (!account || account.status !== 'active') return null;
    const roles = await accountsRepository.rolesOf(db, [account.id]);
    const actor: StaffActor = {
      type: 'staff',
      accountId: account.id,
      username: account.username,
      displayName: account.display_name,
      orgId: account.org_id,
      orgPath: account.org_path,
      permissions: effectivePermissions(roles),
      sessionId,
    };
    return { actor, mustChangePassword: account.must_change_password };
  }

  /** The account's last PASSWORD_HISTORY passwords: the history, or the current hash for accounts older than it. */
  async function recentHashes(accountId: string, currentHash: string) {
    const history = await accountsRepository.recentPasswordHashes(db, accountId, PASSWORD_HISTORY);
    return (history.includes(currentHash) ? history : [currentHash, ...history]).slice(0, PASSWORD_HISTORY);
  }

  const claimAttempt = (accountId: string, at: Date) =>
    accountsRepository.claimLoginAttempt(db, accountId, { threshold: LOCKOUT.threshold, now: at, lockUntil: new Date(at.getTime() + LOCKOUT.durationMs) });

  const staffCache = createIdentityCache<ResolvedStaff>(now);
  const workerCache = createIdentityCache<ResolvedWorker>(now);

  // Hash the dummy now, so the first unknown-user login costs one verification like every other.
  void dummyPasswordHash();

  return {
    async resolveStaff(token: string): Promise<ResolvedStaff | null> {
      // Session, account, union and roles in one statement: the hot path of every console request;
      // remembered for at most a second (identity-cache.ts).
      const id = hashToken(token);
      return staffCache.through(id, async () => {
        const at = now();
        const s = await sessionsRepository.findLiveStaff(db, id, keepAliveAt('staff', at));
        if (!s || !(await keepAlive('staff', s, at))) return null;
        if (s.account_status !== 'active') {
          await sessionsRepository.end(db, s.id, now(), 'account_disabled');
          return null;
        }
        const actor: StaffActor = {
          type: 'staff',
          accountId: s.account_id,
          username: s.username,
          displayName: s.display_name,
          orgId: s.org_id,
          orgPath: s.org_path,
          permissions: effectivePermissions(s.roles),
          sessionId: s.id,
        };
        // Shared by the requests of the next second: frozen.
        return {
          value: Object.freeze({ actor: Object.freeze(actor), mustChangePassword: s.must_change_password, csrfToken: s.csrf_token }),
          expiresAt: s.expires_at,
        };
      });
    },

    async resolveWorker(token: string): Promise<ResolvedWorker | null> {
      // The worker row comes with the session (one query): the hot path of every H5 request.
      const id = hashToken(token);
      return workerCache.through(id, async () => {
        const at = now();
        const s = await sessionsRepository.findLiveWorker(db, id, keepAliveAt('worker', at));
        if (!s || !(await keepAlive('worker', s, at))) return null;
        const actor: WorkerActor = { type: 'worker', workerId: s.worker_id, phoneMasked: s.worker_phone_masked, sessionId: s.id };
        return { value: Object.freeze({ actor: Object.freeze(actor), csrfToken: s.csrf_token }), expiresAt: s.expires_at };
      });
    },

    async me(actor: StaffActor) {
      const account = await accountsRepository.findById(db, actor.accountId);
      if (!account) throw new AppError('UNAUTHENTICATED', '请先登录');
      const roles = await accountsRepository.rolesOf(db, [account.id]);
      return {
        id: account.id,
        username: account.username,
        displayName: account.display_name,
        org: { id: account.org_id, name: account.org_name, type: account.org_type, typeLabel: ORG_TYPES[account.org_type as keyof typeof ORG_TYPES] },
        roles: roles.map((r) => ({ id: r.id, code: r.code, name: r.name })),
        permissions: [...actor.permissions].sort(),
        duty: actorDuty(actor),
        mustChangePassword: account.must_change_password,
        today: chinaDay(now()),
      };
    },

    /**
     * Password login. An unknown user and a wrong password get the same answer after the same work
     * (one argon2 verification). The attempt is counted in the database before the password is
     * checked, so parallel guesses cannot get past the lockout threshold.
     */
    async login(meta: RequestMeta, username: string, password: string) {
      const name = username.trim().toLowerCase();
      const account = await accountsRepository.findByUsername(db, name);
      const at = now();
      const fail = async (reason: string, message: string, code: 'UNAUTHENTICATED' | 'ACCOUNT_LOCKED' = 'UNAUTHENTICATED', extra?: object) => {
        await deps.audit.record({
          actorType: account ? 'staff' : 'anonymous',
          actorId: account?.id ?? null,
          actorName: account ? `${account.display_name}（${account.username}）` : name.slice(0, 64),
          action: 'auth.login',
          targetType: 'account',
          targetId: account?.id ?? null,
          orgId: account?.org_id ?? null,
          ip: meta.ip,
          requestId: meta.requestId,
          outcome: 'failure',
          detail: { reason, ...extra },
        });
        return new AppError(code, message);
      };
      if (!account) {
        await verifyPassword(await dummyPasswordHash(), password);
        throw await fail('unknown_user', BAD_CREDENTIALS);
      }
      const attempt = await claimAttempt(account.id, at);
      if (!attempt) {
        const lockedUntil = (await accountsRepository.findById(db, account.id))?.locked_until;
        const minutes = lockedUntil && lockedUntil > at ? Math.ceil((lockedUntil.getTime() - at.getTime()) / MINUTE) : LOCKOUT.durationMs / MINUTE;
        throw await fail('locked', `密码错误次数过多，账号已锁定，请 ${minutes} 分钟后再试或联系安全管理员解锁`, 'ACCOUNT_LOCKED');
      }
      if (!(await verifyPassword(account.password_hash, password))) {
        if (attempt.locked_until) {
          throw await fail('bad_password_locked', '密码错误次数过多，账号已锁定 15 分钟', 'ACCOUNT_LOCKED', { failedLogins: attempt.failed_logins });
        }
        throw await fail('bad_password', BAD_CREDENTIALS, 'UNAUTHENTICATED', { failedLogins: attempt.failed_logins });
      }
      if (account.status !== 'active') {
        await accountsRepository.clearFailedLogins(db, account.id);
        throw await fail('disabled', '账号已停用，请联系系统管理员');
      }

      await accountsRepository.recordLogin(db, account.id, at, meta.ip);
      const session = await openSession('staff', account.id, meta);
      const { actor } = (await loadStaff(account.id, session.sessionId))!;
      await deps.audit.record({
        ...auditActor(actor, meta),
        action: 'auth.login',
        targetType: 'account',
        targetId: account.id,
        orgId: account.org_id,
        outcome: 'success',
        detail: account.must_change_password ? { mustChangePassword: true } : null,
      });
      return { ...session, actor };
    },

    async logout(actor: StaffActor | WorkerActor, meta: RequestMeta) {
      await sessionsRepository.end(db, actor.sessionId, now(), 'logout');
      await deps.audit.record({
        ...auditActor(actor, meta),
        action: 'auth.logout',
        targetType: actor.type === 'staff' ? 'account' : 'worker',
        targetId: actor.type === 'staff' ? actor.accountId : actor.workerId,
        orgId: actor.type === 'staff' ? actor.orgId : null,
        outcome: 'success',
      });
    },

    /**
     * The account's own password change. A wrong current password counts like a wrong login (a
     * stolen session cannot guess it without locking the account); the new one must meet the
     * policy and not be one of the last PASSWORD_HISTORY; every other session of the account ends.
     */
    async changePassword(actor: StaffActor, meta: RequestMeta, currentPassword: string, newPassword: string) {
      const account = await accountsRepository.findById(db, actor.accountId);
      if (!account) throw new AppError('UNAUTHENTICATED', '请先登录');
      const problem = passwordProblem(newPassword, account.username);
      if (problem) throw invalid({ newPassword: problem });
      const at = now();
      const attempt = await claimAttempt(account.id, at);
      if (!attempt) throw new AppError('ACCOUNT_LOCKED', '密码错误次数过多，账号已锁定，请稍后再试或联系安全管理员解锁');
      if (!(await verifyPassword(account.password_hash, currentPassword))) {
        throw invalid({ currentPassword: attempt.locked_until ? '当前密码不正确；错误次数过多，账号已锁定 15 分钟' : '当前密码不正确' });
      }
      await accountsRepository.clearFailedLogins(db, account.id);
      if (currentPassword === newPassword) throw invalid({ newPassword: '新密码不能与当前密码相同' });
      if (await matchesAny(await recentHashes(account.id, account.password_hash), newPassword)) {
        throw invalid({ newPassword: `新密码不能与最近 ${PASSWORD_HISTORY} 次使用过的密码相同` });
      }
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        await accountsRepository.update(trx, account.id, null, { password_hash: hash, must_change_password: false, password_changed_at: at });
        await accountsRepository.addPasswordHistory(trx, account.id, hash, PASSWORD_HISTORY);
        // Whoever else holds a session of this account (e.g. with the old password) is signed out.
        const ended = await sessionsRepository.endOthersOfAccount(trx, account.id, actor.sessionId, at, 'password_changed');
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'auth.password_change',
          targetType: 'account',
          targetId: account.id,
          orgId: account.org_id,
          outcome: 'success',
          detail: { otherSessionsEnded: ended, wasRequired: account.must_change_password },
        });
      });
    },

    /** Sends a 6-digit code; throttled per phone and per IP. Returns the code only for demo mode. */
    async sendSmsCode(meta: RequestMeta, phone: string) {
      const bidx = deps.crypto.blindIndex(phone, 'phone');
      const at = now();
      const code = await issueSmsCode(db, { phoneBidx: bidx, purpose: 'worker_login', ip: meta.ip, at, hash: (c) => sm3(`${bidx}:${c}`) });
      await deps.sms.send(phone, `【智慧工会】您的登录验证码为 ${code}，5 分钟内有效。如非本人操作请忽略。`);
      return { resendAfter: SMS_POLICY.resendAfterMs / 1000, code };
    },

    async workerLogin(meta: RequestMeta, phone: string, code: string) {
      const bidx = deps.crypto.blindIndex(phone, 'phone');
      const at = now();
      await spendSmsCode(db, { phoneBidx: bidx, purpose: 'worker_login', codeHash: sm3(`${bidx}:${code}`), at });
      const worker = await workersRepository.upsertByPhone(db, {
        phone_enc: deps.crypto.encrypt(phone),
        phone_bidx: bidx,
        phone_masked: maskPhone(phone),
        last_login_at: at,
      });
      const session = await openSession('worker', worker.id, meta);
      const actor: WorkerActor = { type: 'worker', workerId: worker.id, phoneMasked: worker.phone_masked, sessionId: session.sessionId };
      await deps.audit.record({ ...auditActor(actor, meta), action: 'worker.login', targetType: 'worker', targetId: worker.id, outcome: 'success' });
      return { ...session, worker: { id: worker.id, phoneMasked: worker.phone_masked } };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
