import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { verifyPassword } from '../modules/auth/passwords.js';
import { bootstrapRoot, generatePassword, provisionDutyAccount, setAccountStatusByOperator } from './bootstrap-root.js';
import { passwordProblem } from '../modules/auth/passwords.js';

// One migrated database for the file (migrating takes a while): the refusals run first and leave
// it empty, then the bootstrap, then the operator's later acts.
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ memory: true });
  await migrateToLatest(database.db);
});
afterAll(async () => database?.close());

describe('production bootstrap', () => {
  it('refuses an initial password against the policy (e.g. one containing the username)', async () => {
    await expect(
      bootstrapRoot(database.db, { rootName: '盐城市总工会', divisionCode: '320900', username: 'sysadmin', password: 'Sysadmin#20261' }),
    ).rejects.toThrow(/用户名/);
    await expect(
      bootstrapRoot(database.db, { rootName: '盐城市总工会', divisionCode: '320900', username: 'sysadmin', password: 'Aa123456789' }),
    ).rejects.toThrow(/常见/);
    expect(await database.db.selectFrom('orgs').select('id').execute()).toHaveLength(0);
  });

  it('creates the root union and its three 三员, each with a one-time password to change; refuses a second time', async () => {
    const result = await bootstrapRoot(database.db, { rootName: '盐城市总工会', divisionCode: '320900', username: 'sysadmin' });
    expect(result.accounts.map((a) => [a.duty, a.username])).toEqual([
      ['system', 'sysadmin'],
      ['security', 'secadmin'],
      ['audit', 'auditor'],
    ]);
    expect(new Set(result.accounts.map((a) => a.password)).size).toBe(3);
    const rows = await database.db
      .selectFrom('staff_accounts as a')
      .innerJoin('account_roles as ar', 'ar.account_id', 'a.id')
      .innerJoin('roles as r', 'r.id', 'ar.role_id')
      .select(['a.username', 'a.password_hash', 'a.must_change_password', 'r.code', 'r.duty'])
      .orderBy('a.id')
      .execute();
    expect(rows.map((r) => [r.username, r.code, r.duty])).toEqual([
      ['sysadmin', 'system_admin', 'system'],
      ['secadmin', 'security_admin', 'security'],
      ['auditor', 'audit_admin', 'audit'],
    ]);
    for (const [i, row] of rows.entries()) {
      expect(row.must_change_password).toBe(true);
      expect(passwordProblem(result.accounts[i]!.password, row.username)).toBeNull();
      expect(await verifyPassword(row.password_hash, result.accounts[i]!.password)).toBe(true);
    }
    expect(result.password).toBe(result.accounts[0]!.password);
    // The initial passwords are in each account's history (no reuse at the first change).
    expect(await database.db.selectFrom('password_history').select('account_id').execute()).toHaveLength(3);
    await expect(bootstrapRoot(database.db, { rootName: '另一个', divisionCode: '320900', username: 'other' })).rejects.toThrow(/已有组织/);
  });

  it('the operator adds a security administrator of a county (the console cannot), audited', async () => {
    const orgId = '1'; // the root made above
    const entries: string[] = [];
    const made = await provisionDutyAccount(database.db, { username: 'city_sec2', duty: 'security', orgId }, async (_trx, e) => {
      entries.push(`${e.action}:${e.actorType}`);
    });
    expect(passwordProblem(made.password, 'city_sec2')).toBeNull();
    expect(entries).toEqual(['account.create:system']);
    await setAccountStatusByOperator(database.db, 'city_sec2', 'disabled', async (_trx, e) => {
      entries.push(`${e.action}:${e.actorType}`);
    });
    const row = await database.db.selectFrom('staff_accounts').select('status').where('username', '=', 'city_sec2').executeTakeFirstOrThrow();
    expect(row.status).toBe('disabled');
    expect(entries).toEqual(['account.create:system', 'account.disable:system']);
    await expect(provisionDutyAccount(database.db, { username: 'city_sec2', duty: 'audit', orgId })).rejects.toThrow(/已被使用/);
  });

  it('generated passwords always meet the policy', () => {
    for (let i = 0; i < 200; i++) expect(passwordProblem(generatePassword())).toBeNull();
  });
});
