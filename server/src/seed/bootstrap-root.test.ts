import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { verifyPassword } from '../modules/auth/passwords.js';
import { bootstrapRoot, generatePassword } from './bootstrap-root.js';
import { passwordProblem } from '../modules/auth/passwords.js';

describe('production bootstrap', () => {
  it('creates the root union and one system administrator who must change the password; refuses a second time', async () => {
    const database = await openDatabase({ memory: true });
    try {
      await migrateToLatest(database.db);
      const { password } = await bootstrapRoot(database.db, { rootName: '盐城市总工会', divisionCode: '320900', username: 'sysadmin' });
      expect(passwordProblem(password)).toBeNull();
      const account = await database.db.selectFrom('staff_accounts').selectAll().executeTakeFirstOrThrow();
      expect(account.must_change_password).toBe(true);
      expect(await verifyPassword(account.password_hash, password)).toBe(true);
      const roles = await database.db.selectFrom('account_roles as ar').innerJoin('roles as r', 'r.id', 'ar.role_id').select('r.code').execute();
      expect(roles.map((r) => r.code)).toEqual(['system_admin']);
      await expect(bootstrapRoot(database.db, { rootName: '另一个', divisionCode: '320900', username: 'other' })).rejects.toThrow(/已有组织/);
    } finally {
      await database.close();
    }
  });

  it('generated passwords always meet the policy', () => {
    for (let i = 0; i < 200; i++) expect(passwordProblem(generatePassword())).toBeNull();
  });
});
