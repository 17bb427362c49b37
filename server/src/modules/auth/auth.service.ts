// Sign-in for staff (password) and workers (phone + SMS code), and the sessions behind them.
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, Session } from '../../db/schema.js';
import type { AppDeps, RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { maskPhone, randomToken, sm3 } from '../../platform/crypto.js';
import { AppError, invalid } from '../../platform/errors.js';
import { isPermission, type Permission } from '../../platform/permissions.js';
import { auditActor, type AuditService } from '../audit/audit.service.js';
import { ORG_TYPES } from '../orgs/orgs.schema.js';
import { accountsRepository, sessionsRepository, smsCodesRepository, workersRepository } from './auth.repository.js';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';

const MINUTE = 60_000;
export const SESSION_POLICY = {
  staff: { idleMs: 30 * MINUTE, absoluteMs: 12 * 60 * MINUTE },
  // Workers use their own phone; a week idle, a month at most.
  worker: { idleMs: 7 * 24 * 60 * MINUTE, absoluteMs: 30 * 24 * 60 * MINUTE },
} as const;
export const LOCKOUT = { threshold: 5, durationMs: 15 * MINUTE };
export const SMS_POLICY = { ttlMs: 5 * MINUTE, maxAttempts: 5, resendAfterMs: MINUTE, perPhonePerHour: 5, perIpPerHour: 20 };
/** Touch last_seen at most this often (one write per minute per session, not per request). */
const TOUCH_EVERY_MS = MINUTE;

export const SESSION_COOKIE = { staff: 'gh_sid', worker: 'gh_wsid' } as const;

const hashToken = (token: string) => sm3(`session:${token}`);

export interface ResolvedStaff {
  actor: StaffActor;
  csrfToken: string;
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

  /** A live session for the token, or null (ending it if idle or past its absolute limit). */
  async function liveSession(kind: 'staff' | 'worker', token: string): Promise<(Session & { worker_phone_masked: string | null }) | null> {
    const s = await sessionsRepository.findLive(db, hashToken(token));
    if (!s || s.subject_type !== kind) return null;
    const at = now();
    if (at >= s.expires_at) {
      await sessionsRepository.end(db, s.id, at, 'expired');
      return null;
    }
    if (at.getTime() - s.last_seen_at.getTime() > SESSION_POLICY[kind].idleMs) {
      await sessionsRepository.end(db, s.id, at, 'idle');
      return null;
    }
    if (at.getTime() - s.last_seen_at.getTime() > TOUCH_EVERY_MS) await sessionsRepository.touch(db, s.id, at);
    return s;
  }

  async function staffActor(accountId: string, sessionId: string): Promise<StaffActor | null> {
    const account = await accountsRepository.findById(db, accountId);
    if (!account || account.status !== 'active') return null;
    const roles = await accountsRepository.rolesOf(db, [account.id]);
    const permissions = new Set<Permission>(roles.flatMap((r) => r.permissions).filter(isPermission));
    return {
      type: 'staff',
      accountId: account.id,
      username: account.username,
      displayName: account.display_name,
      orgId: account.org_id,
      orgPath: account.org_path,
      permissions,
      sessionId,
    };
  }

  return {
    async resolveStaff(token: string): Promise<ResolvedStaff | null> {
      const s = await liveSession('staff', token);
      if (!s || !s.account_id) return null;
      const actor = await staffActor(s.account_id, s.id);
      if (!actor) {
        await sessionsRepository.end(db, s.id, now(), 'account_disabled');
        return null;
      }
      return { actor, csrfToken: s.csrf_token };
    },

    async resolveWorker(token: string): Promise<ResolvedWorker | null> {
      const s = await liveSession('worker', token);
      // The worker row comes with the session (one query): the hot path of every H5 request.
      if (!s || !s.worker_id || s.worker_phone_masked === null) return null;
      return { actor: { type: 'worker', workerId: s.worker_id, phoneMasked: s.worker_phone_masked, sessionId: s.id }, csrfToken: s.csrf_token };
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
        mustChangePassword: account.must_change_password,
      };
    },

    /** Password login. Always answers the same message for an unknown user and a wrong password. */
    async login(meta: RequestMeta, username: string, password: string) {
      const name = username.trim().toLowerCase();
      const account = await accountsRepository.findByUsername(db, name);
      const at = now();
      const fail = async (reason: string, message: string, code: 'UNAUTHENTICATED' | 'ACCOUNT_LOCKED' = 'UNAUTHENTICATED') => {
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
          detail: { reason },
        });
        return new AppError(code, message);
      };
      if (!account) {
        await verifyPassword(await dummyPasswordHash(), password);
        throw await fail('unknown_user', '用户名或密码错误');
      }
      if (account.locked_until && account.locked_until > at) {
        const minutes = Math.ceil((account.locked_until.getTime() - at.getTime()) / MINUTE);
        throw await fail('locked', `密码错误次数过多，账号已锁定，请 ${minutes} 分钟后再试或联系安全管理员解锁`, 'ACCOUNT_LOCKED');
      }
      if (!(await verifyPassword(account.password_hash, password))) {
        // A lock that has run out starts a fresh count.
        if (account.locked_until && account.locked_until <= at) {
          await accountsRepository.update(db, account.id, null, { failed_logins: 0, locked_until: null });
        }
        const r = await accountsRepository.recordFailedLogin(db, account.id, LOCKOUT.threshold, new Date(at.getTime() + LOCKOUT.durationMs));
        if (r.failed_logins >= LOCKOUT.threshold) {
          throw await fail('bad_password_locked', '密码错误次数过多，账号已锁定 15 分钟', 'ACCOUNT_LOCKED');
        }
        throw await fail('bad_password', `用户名或密码错误（还可尝试 ${LOCKOUT.threshold - r.failed_logins} 次）`);
      }
      if (account.status !== 'active') throw await fail('disabled', '账号已停用，请联系系统管理员');

      await accountsRepository.update(db, account.id, null, { failed_logins: 0, locked_until: null, last_login_at: at, last_login_ip: meta.ip });
      const session = await openSession('staff', account.id, meta);
      const actor = (await staffActor(account.id, session.sessionId))!;
      await deps.audit.record({
        ...auditActor(actor, meta),
        action: 'auth.login',
        targetType: 'account',
        targetId: account.id,
        orgId: account.org_id,
        outcome: 'success',
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

    async changePassword(actor: StaffActor, meta: RequestMeta, currentPassword: string, newPassword: string) {
      const account = await accountsRepository.findById(db, actor.accountId);
      if (!account) throw new AppError('UNAUTHENTICATED', '请先登录');
      if (!(await verifyPassword(account.password_hash, currentPassword))) throw invalid({ currentPassword: '当前密码不正确' });
      const problem = passwordProblem(newPassword);
      if (problem) throw invalid({ newPassword: problem });
      if (currentPassword === newPassword) throw invalid({ newPassword: '新密码不能与当前密码相同' });
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        await accountsRepository.update(trx, account.id, null, { password_hash: hash, must_change_password: false, password_changed_at: now() });
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'auth.password_change',
          targetType: 'account',
          targetId: account.id,
          orgId: account.org_id,
          outcome: 'success',
        });
      });
    },

    /** Sends a 6-digit code; throttled per phone and per IP. Returns the code only for demo mode. */
    async sendSmsCode(meta: RequestMeta, phone: string) {
      const bidx = deps.crypto.blindIndex(phone, 'phone');
      const at = now();
      const last = await smsCodesRepository.latest(db, bidx, 'worker_login');
      if (last && at.getTime() - last.created_at.getTime() < SMS_POLICY.resendAfterMs) {
        const wait = Math.ceil((SMS_POLICY.resendAfterMs - (at.getTime() - last.created_at.getTime())) / 1000);
        throw new AppError('RATE_LIMITED', `验证码发送过于频繁，请 ${wait} 秒后再试`);
      }
      const hourAgo = new Date(at.getTime() - 60 * MINUTE);
      if ((await smsCodesRepository.countSince(db, { phoneBidx: bidx, since: hourAgo })) >= SMS_POLICY.perPhonePerHour) {
        throw new AppError('RATE_LIMITED', '该手机号本小时获取验证码次数已达上限，请稍后再试');
      }
      if ((await smsCodesRepository.countSince(db, { ip: meta.ip, since: hourAgo })) >= SMS_POLICY.perIpPerHour) {
        throw new AppError('RATE_LIMITED', '当前网络获取验证码过于频繁，请稍后再试');
      }
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await smsCodesRepository.insert(db, {
        phone_bidx: bidx,
        purpose: 'worker_login',
        code_hash: sm3(`${bidx}:${code}`),
        ip: meta.ip,
        created_at: at,
        expires_at: new Date(at.getTime() + SMS_POLICY.ttlMs),
      });
      await deps.sms.send(phone, `【智慧工会】您的登录验证码为 ${code}，5 分钟内有效。如非本人操作请忽略。`);
      return { resendAfter: SMS_POLICY.resendAfterMs / 1000, code };
    },

    async workerLogin(meta: RequestMeta, phone: string, code: string) {
      const bidx = deps.crypto.blindIndex(phone, 'phone');
      const at = now();
      const last = await smsCodesRepository.latest(db, bidx, 'worker_login');
      if (!last || last.consumed_at) throw invalid({ code: '请先获取验证码' });
      if (at >= last.expires_at) throw invalid({ code: '验证码已过期，请重新获取' });
      if (last.attempts >= SMS_POLICY.maxAttempts) throw invalid({ code: '验证码错误次数过多，请重新获取' });
      if (sm3(`${bidx}:${code}`) !== last.code_hash) {
        await smsCodesRepository.addAttempt(db, last.id);
        const left = SMS_POLICY.maxAttempts - last.attempts - 1;
        throw invalid({ code: left > 0 ? `验证码错误，还可尝试 ${left} 次` : '验证码错误次数过多，请重新获取' });
      }
      if (!(await smsCodesRepository.consume(db, last.id, at))) throw invalid({ code: '验证码已使用，请重新获取' });
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
