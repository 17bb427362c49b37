// A production database starts empty (no demo data): this creates the root union and its three
// 三员 — system, security and audit administrator — each with a one-time password that must be
// changed at the first sign-in. The console can never create a security or audit account (duty
// matrix, docs/decisions/010): the operator adds those here (`provisionDutyAccount`).
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { accountsRepository } from '../modules/auth/auth.repository.js';
import { hashPassword, PASSWORD_HISTORY, passwordProblem } from '../modules/auth/passwords.js';
import type { AuditEntry } from '../modules/audit/audit.service.js';
import { isDivisionCode } from '../platform/validators.js';
import { ensureReferenceData } from './reference.js';

export type AdminDuty = 'system' | 'security' | 'audit';

const DUTY_ROLES: Record<AdminDuty, { role: string; displayName: string }> = {
  system: { role: 'system_admin', displayName: '系统管理员' },
  security: { role: 'security_admin', displayName: '安全管理员' },
  audit: { role: 'audit_admin', displayName: '审计管理员' },
};

export interface BootstrapInput {
  rootName: string;
  divisionCode: string;
  /** The system administrator's username. */
  username: string;
  /** The system administrator's initial password (generated when absent). */
  password?: string;
  securityUsername?: string;
  auditUsername?: string;
}

export interface BootstrapResult {
  orgId: string;
  /** The system administrator's initial password. */
  password: string;
  accounts: { duty: AdminDuty; username: string; password: string }[];
}

/** A random password meeting the policy (upper, lower, digit, symbol). */
export function generatePassword(): string {
  const body = randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
  return `Gh#${body}9a`;
}

const USERNAME = /^[a-z][a-z0-9_.-]{2,31}$/;

export interface DutyAccountInput {
  username: string;
  displayName?: string;
  orgId: string;
  duty: AdminDuty;
  password?: string;
}

/** Writes an audit row in the caller's transaction (the CLI passes the app's audit service). */
export type AuditAppend = (trx: Transaction<DB>, entry: AuditEntry) => Promise<void>;

/**
 * Adds a 三员 account (the operator's act, outside the console). The password is generated unless
 * given, meets the policy, and must be changed at the first sign-in.
 */
export async function provisionDutyAccount(
  db: Kysely<DB> | Transaction<DB>,
  input: DutyAccountInput,
  audit?: AuditAppend,
): Promise<{ id: string; username: string; password: string }> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME.test(username)) throw new Error('用户名为 3-32 位，以字母开头，可含字母、数字、_ . -');
  const password = input.password ?? generatePassword();
  const problem = passwordProblem(password, username);
  if (problem) throw new Error(`${username}：${problem}`);
  const passwordHash = await hashPassword(password);
  const run = async (trx: Transaction<DB>) => {
    const org = await trx.selectFrom('orgs').select(['id']).where('id', '=', input.orgId).where('status', '=', 'active').executeTakeFirst();
    if (!org) throw new Error(`组织 ${input.orgId} 不存在或已撤销`);
    if (await accountsRepository.findByUsername(trx, username)) throw new Error(`用户名 ${username} 已被使用`);
    const role = await trx.selectFrom('roles').select('id').where('code', '=', DUTY_ROLES[input.duty].role).executeTakeFirstOrThrow();
    const account = await accountsRepository.insert(trx, {
      username,
      display_name: input.displayName ?? DUTY_ROLES[input.duty].displayName,
      org_id: org.id,
      password_hash: passwordHash,
      must_change_password: true,
    });
    await accountsRepository.setRoles(trx, account.id, [role.id]);
    await accountsRepository.addPasswordHistory(trx, account.id, passwordHash, PASSWORD_HISTORY);
    await audit?.(trx, {
      actorType: 'system',
      actorName: '运维命令行（npm run bootstrap）',
      action: 'account.create',
      targetType: 'account',
      targetId: account.id,
      orgId: org.id,
      outcome: 'success',
      detail: { username, duty: input.duty, by: 'operator' },
    });
    return account.id;
  };
  const id = db.isTransaction ? await run(db as Transaction<DB>) : await db.transaction().execute(run);
  return { id, username, password };
}

/** The operator disables or re-enables an account (the console cannot, for security and audit accounts). */
export async function setAccountStatusByOperator(db: Kysely<DB>, username: string, status: 'active' | 'disabled', audit?: AuditAppend) {
  return db.transaction().execute(async (trx) => {
    const account = await accountsRepository.findByUsername(trx, username.trim().toLowerCase());
    if (!account) throw new Error(`账号 ${username} 不存在`);
    await accountsRepository.update(trx, account.id, null, { status });
    if (status === 'disabled') {
      await trx
        .updateTable('sessions')
        .set({ ended_at: new Date(), end_reason: 'account_disabled' })
        .where('account_id', '=', account.id)
        .where('ended_at', 'is', null)
        .execute();
    }
    await audit?.(trx, {
      actorType: 'system',
      actorName: '运维命令行（npm run bootstrap）',
      action: status === 'disabled' ? 'account.disable' : 'account.enable',
      targetType: 'account',
      targetId: account.id,
      orgId: account.org_id,
      outcome: 'success',
      detail: { username: account.username, by: 'operator' },
    });
  });
}

export async function bootstrapRoot(db: Kysely<DB>, input: BootstrapInput): Promise<BootstrapResult> {
  if (!isDivisionCode(input.divisionCode)) throw new Error('行政区划代码应为 6、9 或 12 位数字');
  const usernames: Record<AdminDuty, string> = {
    system: input.username,
    security: input.securityUsername ?? 'secadmin',
    audit: input.auditUsername ?? 'auditor',
  };
  for (const u of Object.values(usernames)) if (!USERNAME.test(u)) throw new Error('用户名为 3-32 位，以字母开头');
  if (new Set(Object.values(usernames)).size !== 3) throw new Error('三员的用户名不能相同');
  await ensureReferenceData(db);
  return db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('orgs').select('id').limit(1).executeTakeFirst()) throw new Error('数据库中已有组织，无需初始化');
    const org = await trx
      .insertInto('orgs')
      .values({ id: 1, parent_id: null, path: '/1/', depth: 0, type: 'city', name: input.rootName, division_code: input.divisionCode })
      .returning('id')
      .executeTakeFirstOrThrow();
    const accounts: BootstrapResult['accounts'] = [];
    for (const duty of ['system', 'security', 'audit'] as const) {
      const made = await provisionDutyAccount(trx, {
        username: usernames[duty],
        orgId: org.id,
        duty,
        ...(duty === 'system' && input.password && { password: input.password }),
      });
      accounts.push({ duty, username: made.username, password: made.password });
    }
    return { orgId: org.id, password: accounts[0]!.password, accounts };
  });
}
