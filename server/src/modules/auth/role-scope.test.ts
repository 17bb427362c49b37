// A custom role applies where it was defined and below, never above: the union that defined it may
// change its permissions, so a county's role on a city account would let the county change what the
// city account may do. Refused on account create, on role assignment and on moving an account up;
// a role's permissions change only while every holder is inside the editor's subtree.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';

let t: TestApp;
let sys: Client;
let dtSys: Client;
let dongtai: string;
let dtRole: string;
let leaderRole: string;

beforeAll(async () => {
  t = await createTestApp();
  sys = await t.login('sysadmin');
  dongtai = await orgIdByName(t, '东台市总工会');
  const roles = (await sys.get('/api/roles')).json().items as { id: string; code: string }[];
  const roleId = (code: string) => roles.find((r) => r.code === code)!.id;
  leaderRole = roleId('leader');
  const made = await sys.post('/api/accounts', {
    username: 'rs_dt_sys',
    displayName: '东台系统管理员',
    orgId: dongtai,
    roleIds: [roleId('system_admin')],
    password: 'Dongtai#2026x',
  });
  expect(made.statusCode, made.body).toBe(200);
  dtSys = await t.firstLogin('rs_dt_sys', 'Dongtai#2026x');
  const role = await dtSys.post('/api/roles', { code: 'rs_dt_viewer', name: '东台组织查看员', permissions: ['org:read'] });
  expect(role.statusCode, role.body).toBe(200);
  dtRole = role.json().id;
});
afterAll(async () => t?.close());

const account = (username: string, orgId: string, roleIds: string[]) =>
  sys.post('/api/accounts', { username, displayName: '测试账号', orgId, roleIds, password: 'Viewer#20261' });

it('the city cannot give a county’s role to a city account, neither at creation nor later', async () => {
  const created = await account('rs_city_viewer', '1', [dtRole]);
  expect(created.statusCode, created.body).toBe(400);
  expect(created.json().error.fields.roleIds).toBe('角色「东台组织查看员」由东台市总工会定义，只能分配给东台市总工会及其下级组织的账号');

  const city = await account('rs_city_leader', '1', [leaderRole]);
  expect(city.statusCode, city.body).toBe(200);
  const assigned = await sys.patch(`/api/accounts/${city.json().id}`, { version: city.json().version, roleIds: [dtRole] });
  expect(assigned.statusCode, assigned.body).toBe(400);
  expect(assigned.json().error.fields.roleIds).toContain('只能分配给东台市总工会及其下级组织的账号');
  const roles = await t.db.selectFrom('account_roles').select('role_id').where('account_id', '=', city.json().id).execute();
  expect(roles.map((r) => r.role_id)).toEqual([leaderRole]);
});

it('an account holding a county role cannot be moved up to the city; inside the county it can', async () => {
  const below = await account('rs_dt_viewer1', dongtai, [dtRole]);
  expect(below.statusCode, below.body).toBe(200);
  const up = await sys.patch(`/api/accounts/${below.json().id}`, { version: below.json().version, orgId: '1' });
  expect(up.statusCode, up.body).toBe(400);
  expect(up.json().error.fields.orgId).toContain('由东台市总工会定义');
  const town = (await t.db.selectFrom('orgs').select('id').where('parent_id', '=', dongtai).where('type', '=', 'town').orderBy('id').executeTakeFirstOrThrow()).id;
  const down = await sys.patch(`/api/accounts/${below.json().id}`, { version: below.json().version, orgId: town });
  expect(down.statusCode, down.body).toBe(200);
});

it('the county still edits its own role for its own accounts; not once a holder sits above it', async () => {
  const edited = await dtSys.patch(`/api/roles/${dtRole}`, { permissions: ['org:read', 'member:read'] });
  expect(edited.statusCode, edited.body).toBe(200);
  expect(edited.json().permissions).toEqual(['member:read', 'org:read']);

  // A holder above the county (given before the rule, or moved there some other way): the county may not change its permissions.
  const city = await account('rs_city_legacy', '1', [leaderRole]);
  await t.db.insertInto('account_roles').values({ account_id: city.json().id, role_id: dtRole }).execute();
  const refused = await dtSys.patch(`/api/roles/${dtRole}`, { permissions: ['org:read', 'member:read', 'stats:read'] });
  expect(refused.statusCode, refused.body).toBe(400);
  expect(refused.json().error.fields.permissions).toContain('本组织以外的账号');
  const renamed = await dtSys.patch(`/api/roles/${dtRole}`, { name: '东台组织查看员（改）' });
  expect(renamed.statusCode, renamed.body).toBe(200);
});

it('the role list says which union defined a custom role, and comes highest level first (the account form offers by both)', async () => {
  const items = (await sys.get('/api/roles')).json().items as { id: string; code: string; org: { name: string; path: string } | null }[];
  const codes = items.map((r) => r.code);
  expect(codes.slice(0, 4)).toEqual(['city_admin', 'county_admin', 'town_admin', 'grassroots_admin']);
  expect(items.find((r) => r.code === 'leader')!.org).toBeNull();
  const dt = items.find((r) => r.id === dtRole)!;
  expect(dt.org).toMatchObject({ id: dongtai, name: '东台市总工会' });
  // The account form's rule, as the server's: a role applies where the account's path starts with the role's union's path.
  const account = (await sys.get('/api/accounts?q=rs_dt_viewer1')).json().items[0] as { org: { path: string } };
  expect(account.org.path.startsWith(dt.org!.path)).toBe(true);
  const options = (await sys.get(`/api/accounts/orgs?q=${encodeURIComponent('盐城市总工会')}`)).json().items as { name: string; path: string }[];
  expect(options.find((o) => o.name === '盐城市总工会')!.path.startsWith(dt.org!.path)).toBe(false);
});
