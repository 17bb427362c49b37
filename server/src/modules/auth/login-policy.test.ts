// Account rules held by the server (issue 9, defect 3): the lockout under parallel guesses, one
// answer for unknown users and wrong passwords, the forced password change, the password policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { DEMO_PASSWORD } from '../../seed/demo.js';
import { ALLOWED_BEFORE_PASSWORD_CHANGE } from './access.js';
import { passwordStats } from './passwords.js';

let t: TestApp;
let sys: Client;
let leaderRole: string;

beforeAll(async () => {
  t = await createTestApp();
  sys = await t.login('sysadmin');
  leaderRole = ((await sys.get('/api/roles')).json().items as { id: string; code: string }[]).find((r) => r.code === 'leader')!.id;
});
afterAll(async () => t?.close());

const login = (username: string, password: string, ip = '10.1.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });
const accountRow = (username: string) => t.db.selectFrom('staff_accounts').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
const clientOf = (res: Awaited<ReturnType<typeof login>>) =>
  t.client(res.cookies.map((c) => `${c.name}=${c.value}`).join('; '), (res.json() as { csrfToken: string }).csrfToken);
/** Password changes from distinct addresses: the route is rate-limited per address. */
let ipSeq = 0;
const changePassword = (c: Client, currentPassword: string, newPassword: string) =>
  c.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword, newPassword }, remoteAddress: `10.2.0.${++ipSeq}` });

describe('login answers', () => {
  it('an unknown user and a wrong password get the same status, code and message, after the same hash verification', async () => {
    const before = passwordStats.verifications;
    const unknown = await login('nobody_at_all', 'Whatever#20261');
    expect(passwordStats.verifications - before, 'the unknown user is verified against a dummy hash').toBe(1);
    const mid = passwordStats.verifications;
    const wrong = await login('leader', 'Whatever#20261');
    expect(passwordStats.verifications - mid).toBe(1);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(unknown.statusCode);
    expect(wrong.json()).toEqual(unknown.json());
    expect(unknown.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: '用户名或密码错误' } });
    expect(wrong.body).not.toContain('还可尝试');
  });

  it('and take comparable time (a generous bound: both are dominated by one argon2 verification)', async () => {
    const time = async (username: string) => {
      const started = performance.now();
      await login(username, 'Whatever#20261', '10.1.9.9');
      return performance.now() - started;
    };
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 3; i++) {
      unknown.push(await time(`ghost_${i}`));
      known.push(await time('county_admin'));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(unknown)).toBeGreaterThan(mean(known) * 0.25);
    expect(mean(known)).toBeGreaterThan(mean(unknown) * 0.25);
  });
});

describe('lockout', () => {
  it('40 parallel wrong passwords: exactly 5 are checked, the account locks at 5, and the right password is refused while locked', async () => {
    const before = passwordStats.verifications;
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login('town_admin', `Wrong#guess${i}x`, `10.40.${i}.1`)));
    expect(passwordStats.verifications - before, 'password checks').toBe(5);
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 401)).toHaveLength(4);
    expect(codes.filter((c) => c === 423)).toHaveLength(36);
    const row = await accountRow('town_admin');
    expect(row.failed_logins).toBe(5);
    expect(row.locked_until!.getTime()).toBe(t.clock.now().getTime() + 15 * 60_000);
    const right = await login('town_admin', DEMO_PASSWORD, '10.40.99.1');
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('ACCOUNT_LOCKED');
    expect(passwordStats.verifications - before, 'no check while locked').toBe(5);
    const audited = await t.db
      .selectFrom('audit_log')
      .select('outcome')
      .where('action', '=', 'auth.login')
      .where('target_id', '=', row.id)
      .where('outcome', '=', 'failure')
      .execute();
    expect(audited).toHaveLength(41);
    // The lock runs out after 15 minutes; the count starts again.
    t.clock.advance(15 * 60_000 + 1);
    expect((await login('town_admin', DEMO_PASSWORD, '10.40.99.2')).statusCode).toBe(200);
    expect((await accountRow('town_admin')).failed_logins).toBe(0);
  });
});

describe('the forced password change', () => {
  let fresh: Client;
  beforeAll(async () => {
    const made = await sys.post('/api/accounts', {
      username: 'fresh_user',
      displayName: '新同事',
      orgId: '1',
      roleIds: [leaderRole],
      password: 'Initial#2026x',
    });
    expect(made.statusCode, made.body).toBe(200);
    const res = await login('fresh_user', 'Initial#2026x');
    expect(res.json().account.mustChangePassword).toBe(true);
    fresh = clientOf(res);
  });

  it('until the password is changed, every staff route but me, the change and logout answers 403 PASSWORD_CHANGE_REQUIRED', async () => {
    const staffRoutes = t.routes.filter((r) => r.access !== 'public' && r.access !== 'worker' && r.access !== 'partner');
    expect(staffRoutes.length).toBeGreaterThan(60);
    let refused = 0;
    for (const r of staffRoutes) {
      const key = `${r.method} ${r.url}`;
      if (ALLOWED_BEFORE_PASSWORD_CHANGE.has(key)) continue;
      const url = r.url.replace(/:[A-Za-z]+/g, '1');
      const res = await fresh.request({ method: r.method as 'GET', url, ...(r.method !== 'GET' && r.method !== 'DELETE' && { payload: {} }) });
      expect(res.statusCode, key).toBe(403);
      expect(res.json().error.code, key).toBe('PASSWORD_CHANGE_REQUIRED');
      refused++;
    }
    expect(refused).toBe(staffRoutes.length - ALLOWED_BEFORE_PASSWORD_CHANGE.size);
    expect((await fresh.get('/api/orgs/search?q=')).json().error.message).toContain('修改密码');
    expect((await fresh.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('logout still works, and the change opens the account', async () => {
    const other = clientOf(await login('fresh_user', 'Initial#2026x', '10.1.0.2'));
    expect((await other.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await changePassword(fresh, 'Initial#2026x', 'Fresh#Start2026')).statusCode).toBe(200);
    expect((await fresh.get('/api/orgs/search?q=')).statusCode).toBe(200);
    expect((await fresh.get('/api/auth/me')).json().account.mustChangePassword).toBe(false);
  });

  it('an administrator’s reset ends the sessions and forces the change again', async () => {
    const id = (await accountRow('fresh_user')).id;
    const reset = await sys.post(`/api/accounts/${id}/reset-password`, { password: 'Temporary#2026' });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().mustChangePassword).toBe(true);
    expect((await fresh.get('/api/auth/me')).statusCode).toBe(401);
    const again = clientOf(await login('fresh_user', 'Temporary#2026', '10.1.0.3'));
    expect((await again.get('/api/orgs/search?q=')).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });
});

describe('changing a password', () => {
  it('ends the account’s other sessions and keeps the one that changed it', async () => {
    const a = await t.login('leader');
    const b = await t.login('leader');
    expect((await changePassword(a, DEMO_PASSWORD, 'Chief#Change2026')).statusCode).toBe(200);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    const row = await t.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'auth.password_change')
      .where('target_id', '=', (await accountRow('leader')).id)
      .executeTakeFirstOrThrow();
    const detail = (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as { otherSessionsEnded: number };
    expect(detail.otherSessionsEnded).toBeGreaterThanOrEqual(1);
  });

  it('refuses a password containing the username or a common one (also disguised), naming the field', async () => {
    const c = await t.login('county_admin');
    for (const [password, reason] of [
      ['My-County_Admin#1', '用户名'],
      ['xCOUNTY_ADMIN2026!', '用户名'],
      ['Aa123456789', '常见'],
      ['1qaz@WSX3edc', '常见'],
      ['P@ssw0rd2026!', '常见'],
      ['Woaini@1314', '常见'],
      ['Woaini1314!', '常见'],
      ['Qwerty123456!', '常见'],
    ] as const) {
      const r = await changePassword(c, DEMO_PASSWORD, password);
      expect(r.statusCode, password).toBe(400);
      expect(r.json().error.fields.newPassword, password).toContain(reason);
    }
  });

  it('refuses the last 5 passwords, allows the sixth back', async () => {
    const c = await t.login('grassroots_admin');
    const passwords = ['Round#One2026', 'Round#Two2026', 'Round#Three2026', 'Round#Four2026', 'Round#Five2026'];
    let current = DEMO_PASSWORD;
    for (const p of passwords) {
      expect((await changePassword(c, current, p)).statusCode, p).toBe(200);
      current = p;
    }
    const same = await changePassword(c, current, current);
    expect(same.json().error.fields.newPassword).toBe('新密码不能与当前密码相同');
    const reused = await changePassword(c, current, passwords[0]!);
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.fields.newPassword).toBe('新密码不能与最近 5 次使用过的密码相同');
    // Only the last 5 are kept: the demo password is six back and may come again.
    expect((await changePassword(c, current, DEMO_PASSWORD)).statusCode).toBe(200);
    const history = await t.db
      .selectFrom('password_history')
      .select('id')
      .where('account_id', '=', (await accountRow('grassroots_admin')).id)
      .execute();
    expect(history).toHaveLength(5);
  });

  it('a wrong current password counts towards the lock', async () => {
    const c = await t.login('sheyang_admin');
    for (let i = 0; i < 5; i++) expect((await changePassword(c, `Nope#guess${i}x`, 'Sheyang#New2026')).statusCode).toBe(400);
    expect((await changePassword(c, DEMO_PASSWORD, 'Sheyang#New2026')).statusCode).toBe(423);
    expect((await login('sheyang_admin', DEMO_PASSWORD, '10.1.0.9')).statusCode).toBe(423);
  });
});

describe('the policy holds on every path that sets a password', () => {
  it('creating an account', async () => {
    for (const [password, reason] of [
      ['Pw_tester#2026', '用户名'],
      ['P@ssw0rd2026!', '常见'],
      ['short#1A', '至少 10 位'],
    ] as const) {
      const r = await sys.post('/api/accounts', { username: 'pw_tester', displayName: '密码测试', orgId: '1', roleIds: [leaderRole], password });
      expect(r.statusCode, password).toBe(400);
      expect(r.json().error.fields.password).toContain(reason);
    }
  });

  it('an administrator’s reset', async () => {
    const id = (await accountRow('city_admin')).id;
    for (const [password, reason] of [
      ['City_Admin#2026x', '用户名'],
      ['Aa123456789', '常见'],
    ] as const) {
      const r = await sys.post(`/api/accounts/${id}/reset-password`, { password });
      expect(r.statusCode, password).toBe(400);
      expect(r.json().error.fields.password).toContain(reason);
    }
    expect((await accountRow('city_admin')).must_change_password).toBe(false);
  });
});
