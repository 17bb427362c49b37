import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { DEMO_PASSWORD } from '../../seed/demo.js';
import { chinaDay } from '../../platform/china-time.js';

let t: TestApp;
const MIN = 60_000;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const login = (username: string, password: string, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

describe('password login', () => {
  it('sets an httpOnly SameSite=Strict cookie and a fresh session id at every login', async () => {
    const a = await login('leader', DEMO_PASSWORD);
    expect(a.statusCode, a.body).toBe(200);
    const cookie = a.cookies.find((c) => c.name === 'gh_sid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.path).toBe('/');
    // A session id planted before login (fixation) is never adopted.
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'leader', password: DEMO_PASSWORD },
      cookies: { gh_sid: 'attacker-chosen' },
    });
    const bCookie = b.cookies.find((c) => c.name === 'gh_sid')!;
    expect(bCookie.value).not.toBe('attacker-chosen');
    expect(bCookie.value).not.toBe(cookie.value);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { gh_sid: 'attacker-chosen' } });
    expect(me.statusCode).toBe(401);
  });

  it('answers an unknown user and a wrong password alike', async () => {
    const unknown = await login('nobody_here', 'Whatever#2026');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.message).toBe('用户名或密码错误');
    const failures = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login').where('outcome', '=', 'failure').execute();
    expect(failures.some((f) => f.actor_name === 'nobody_here')).toBe(true);
  });

  it('locks for 15 minutes after 5 wrong passwords, even for the right one, then lets in', async () => {
    for (let i = 1; i <= 4; i++) {
      const r = await login('town_admin', 'Wrong#password1', `10.0.1.${i}`);
      expect(r.statusCode).toBe(401);
      // Nothing before authentication tells how many tries are left (or that the user exists).
      expect(r.json().error).toEqual({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
    }
    const fifth = await login('town_admin', 'Wrong#password1', '10.0.1.5');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('ACCOUNT_LOCKED');
    const right = await login('town_admin', DEMO_PASSWORD, '10.0.1.6');
    expect(right.statusCode).toBe(423);
    expect(right.json().error.message).toContain('15 分钟');
    t.clock.advance(14 * MIN);
    expect((await login('town_admin', DEMO_PASSWORD, '10.0.1.7')).statusCode).toBe(423);
    t.clock.advance(2 * MIN);
    const after = await login('town_admin', DEMO_PASSWORD, '10.0.1.8');
    expect(after.statusCode, after.body).toBe(200);
  });

  it('a security admin can unlock a locked account', async () => {
    for (let i = 0; i < 5; i++) await login('grassroots_admin', 'Wrong#password1', `10.0.2.${i}`);
    expect((await login('grassroots_admin', DEMO_PASSWORD, '10.0.2.9')).statusCode).toBe(423);
    const sec = await t.login('secadmin');
    const id = (await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).id;
    expect((await sec.get(`/api/accounts/${id}`)).json().locked).toBe(true);
    const r = await sec.post(`/api/accounts/${id}/unlock`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().locked).toBe(false);
    expect((await login('grassroots_admin', DEMO_PASSWORD, '10.0.2.10')).statusCode).toBe(200);
  });

  it('limits login attempts per IP', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 22; i++) codes.push((await login('nobody', 'Xx#1234567890', '10.9.9.9')).statusCode);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.slice(20)).toEqual([429, 429]);
    const body = (await login('nobody', 'Xx#1234567890', '10.9.9.9')).json();
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toContain('请求过于频繁');
  });
});

describe('sessions', () => {
  it('tell the console the server’s today in China time (the app clock), at login, on me and on the session probe', async () => {
    const c = await t.login('leader');
    const day = () => chinaDay(t.clock.now());
    expect((await c.get('/api/auth/me')).json().account.today).toBe(day());
    t.clock.set(new Date(Date.parse(`${day()}T15:59:00Z`) + 2 * MIN)); // 00:01 China time the next day
    const next = await t.login('leader');
    const probe = (await next.get('/api/session/staff')).json();
    expect(probe.loggedIn).toBe(true);
    expect(probe.account.today).toBe(day());
    expect(probe.account.today).not.toBe(new Date(t.clock.now()).toISOString().slice(0, 10)); // not the UTC day
  });

  it('end after 30 idle minutes (and stay alive while used)', async () => {
    const c = await t.login('leader');
    t.clock.advance(29 * MIN);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(29 * MIN);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(31 * MIN);
    const res = await c.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('end after 12 hours however busy', async () => {
    const c = await t.login('leader');
    for (let h = 0; h < 11 * 3; h++) {
      t.clock.advance(20 * MIN);
      expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    }
    t.clock.advance(61 * MIN - 1); // 11h + 61min > 12h
    t.clock.advance(0);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('logout ends the session', async () => {
    const c = await t.login('leader');
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('an admin lists sessions and ends one', async () => {
    const victim = await t.login('county_admin');
    const sec = await t.login('secadmin');
    const list = (await sec.get('/api/sessions?pageSize=100')).json();
    const mine = list.items.filter((s: { current: boolean }) => s.current);
    expect(mine).toHaveLength(1);
    const target = list.items.find((s: { account: { username: string }; current: boolean }) => s.account.username === 'county_admin');
    expect(target).toBeTruthy();
    expect(target.id).toMatch(/^[0-9a-f]{64}$/);
    expect(victim.cookie).not.toContain(target.id); // the list never exposes the cookie token
    expect((await sec.delete(`/api/sessions/${target.id}`)).statusCode).toBe(200);
    const afterAll = (await sec.get('/api/sessions?pageSize=100')).json();
    expect(afterAll.items.some((s: { id: string }) => s.id === target.id)).toBe(false);
  });

  it('disabling an account ends its sessions at once', async () => {
    const victim = await t.login('sheyang_admin');
    expect((await victim.get('/api/auth/me')).statusCode).toBe(200);
    const sys = await t.login('sysadmin');
    const id = (await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'sheyang_admin').executeTakeFirstOrThrow()).id;
    const r = await sys.post(`/api/accounts/${id}/disable`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().status).toBe('disabled');
    expect((await victim.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login('sheyang_admin', DEMO_PASSWORD, '10.0.3.1')).json().error.message).toContain('已停用');
    await sys.post(`/api/accounts/${id}/enable`);
    expect((await login('sheyang_admin', DEMO_PASSWORD, '10.0.3.2')).statusCode).toBe(200);
  });
});

describe('CSRF', () => {
  let c: Client;
  beforeAll(async () => {
    c = await t.login('city_admin');
  });
  const body = { parentId: '1', type: 'industry_federation', name: 'CSRF 测试联合会' };

  it('refuses a state-changing request without the token, or with a wrong one', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/api/orgs', payload: body, headers: { cookie: c.cookie } });
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('CSRF_FAILED');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/orgs', payload: body, headers: { cookie: c.cookie, 'x-csrf-token': 'forged' } });
    expect(wrong.statusCode).toBe(403);
    const count = await t.db.selectFrom('orgs').select('id').where('name', '=', 'CSRF 测试联合会').execute();
    expect(count).toHaveLength(0);
  });

  it('accepts it with the session’s token', async () => {
    const ok = await c.post('/api/orgs', body);
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('refuses a cross-site login post', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'leader', password: DEMO_PASSWORD },
      headers: { origin: 'https://evil.example', host: 'gonghui.local' },
    });
    expect(r.statusCode).toBe(403);
  });
});

describe('accounts and roles', () => {
  let sys: Client;
  let roles: { id: string; code: string }[];
  beforeAll(async () => {
    sys = await t.login('sysadmin');
    roles = (await sys.get('/api/roles')).json().items;
  });
  const role = (code: string) => roles.find((r) => r.code === code)!.id;

  it('requires ≥ 10 characters and 3 classes', async () => {
    for (const [password, msg] of [
      ['Short#1', '至少 10 位'],
      ['alllowercase12', '至少 3 类'],
    ] as const) {
      const r = await sys.post('/api/accounts', { username: 'weakpw', displayName: '弱密码', orgId: '1', roleIds: [role('leader')], password });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.fields.password).toContain(msg);
    }
  });

  it('never puts two of the 三员 duties in one account', async () => {
    const r = await sys.post('/api/accounts', {
      username: 'superuser',
      displayName: '超级用户',
      orgId: '1',
      roleIds: [role('system_admin'), role('audit_admin')],
      password: 'Strong#Pass2026',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields.roleIds).toContain('三员');
    const id = (await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'secadmin').executeTakeFirstOrThrow()).id;
    const acc = (await sys.get(`/api/accounts/${id}`)).json();
    const p = await sys.patch(`/api/accounts/${id}`, { version: acc.version, roleIds: [role('security_admin'), role('system_admin')] });
    expect(p.statusCode).toBe(400);
  });

  it('creates an account that must change its password at first login; the change is enforced by policy', async () => {
    const r = await sys.post('/api/accounts', {
      username: 'new_staff',
      displayName: '新同事',
      orgId: '1',
      roleIds: [role('leader')],
      password: 'Initial#2026',
    });
    expect(r.statusCode, r.body).toBe(200);
    const c = await t.login('new_staff', 'Initial#2026');
    expect((await c.get('/api/auth/me')).json().account.mustChangePassword).toBe(true);
    expect((await c.post('/api/auth/password', { currentPassword: 'Initial#2026', newPassword: 'weak' })).json().error.fields.newPassword).toContain(
      '至少 10 位',
    );
    expect((await c.post('/api/auth/password', { currentPassword: 'Nope#20261', newPassword: 'Better#20261' })).json().error.fields.currentPassword).toBe(
      '当前密码不正确',
    );
    expect((await c.post('/api/auth/password', { currentPassword: 'Initial#2026', newPassword: 'Better#20261' })).statusCode).toBe(200);
    expect((await c.get('/api/auth/me')).json().account.mustChangePassword).toBe(false);
  });

  it('custom roles: create, use, refuse to delete while used, built-ins are read-only', async () => {
    const created = await sys.post('/api/roles', { code: 'org_viewer', name: '组织查看员', permissions: ['org:read'] });
    expect(created.statusCode, created.body).toBe(200);
    const badPerm = await sys.post('/api/roles', { code: 'bad_role', name: '错误角色', permissions: ['org:destroy'] });
    expect(badPerm.json().error.fields.permissions).toContain('org:destroy');
    const acc = await sys.post('/api/accounts', {
      username: 'viewer1',
      displayName: '查看员',
      orgId: '1',
      roleIds: [created.json().id],
      password: 'Viewer#20261',
    });
    expect(acc.statusCode).toBe(200);
    const del = await sys.delete(`/api/roles/${created.json().id}`);
    expect(del.statusCode).toBe(409);
    const builtin = await sys.patch(`/api/roles/${role('leader')}`, { permissions: ['org:read', 'org:write'] });
    expect(builtin.statusCode).toBe(403);
    const perms = (await sys.get('/api/permissions')).json().items;
    expect(perms.find((p: { code: string }) => p.code === 'audit:read').label).toBe('查看审计日志');
  });

  it('a city admin (no account:write) cannot manage accounts', async () => {
    const city = await t.login('city_admin');
    expect((await city.get('/api/accounts')).statusCode).toBe(403);
  });
});
