// A production database starts empty (no demo data): this creates the root union and its
// first system administrator, who then creates every other account.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { hashPassword, passwordProblem } from '../modules/auth/passwords.js';
import { isDivisionCode } from '../platform/validators.js';
import { ensureReferenceData } from './reference.js';

export interface BootstrapInput {
  rootName: string;
  divisionCode: string;
  username: string;
  password?: string;
}

/** A random password meeting the policy (upper, lower, digit, symbol). */
export function generatePassword(): string {
  const body = randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
  return `Gh#${body}9a`;
}

export async function bootstrapRoot(db: Kysely<DB>, input: BootstrapInput): Promise<{ password: string; orgId: string }> {
  if (!isDivisionCode(input.divisionCode)) throw new Error('行政区划代码应为 6、9 或 12 位数字');
  if (!/^[a-z][a-z0-9_.-]{2,31}$/.test(input.username)) throw new Error('用户名为 3-32 位，以字母开头');
  const password = input.password ?? generatePassword();
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  await ensureReferenceData(db);
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('orgs').select('id').limit(1).executeTakeFirst()) throw new Error('数据库中已有组织，无需初始化');
    const org = await trx
      .insertInto('orgs')
      .values({ id: 1, parent_id: null, path: '/1/', depth: 0, type: 'city', name: input.rootName, division_code: input.divisionCode })
      .returning('id')
      .executeTakeFirstOrThrow();
    const account = await trx
      .insertInto('staff_accounts')
      .values({ username: input.username, display_name: '系统管理员', org_id: org.id, password_hash: passwordHash, must_change_password: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    const role = await trx.selectFrom('roles').select('id').where('code', '=', 'system_admin').executeTakeFirstOrThrow();
    await trx.insertInto('account_roles').values({ account_id: account.id, role_id: role.id }).execute();
    return { password, orgId: org.id };
  });
}
