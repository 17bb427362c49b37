// A union that moves to another county takes no role of the old county with it (decision 044): the
// old county can no longer edit what its role lets the moved accounts do, so the move removes those
// assignments in its transaction, audits each, and the account's very next request goes without it.
// Roles defined above the new place (built-in, the city's) or inside the moved subtree stay.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';

let t: TestApp;
let sys: Client;
let city: Client;
let dongtai: string;
let town: string;
let roleId: (code: string) => string;

beforeAll(async () => {
  t = await createTestApp();
  sys = await t.login('sysadmin');
  city = await t.login('city_admin');
  dongtai = await orgIdByName(t, '东台市总工会');
  town = (await t.db.selectFrom('orgs').select('id').where('parent_id', '=', dongtai).where('type', '=', 'town').orderBy('id').executeTakeFirstOrThrow()).id;
  const roles = (await sys.get('/api/roles')).json().items as { id: string; code: string }[];
  roleId = (code: string) => roles.find((r) => r.code === code)!.id;
});
afterAll(async () => t?.close());

async function account(username: string, orgId: string, roleIds: string[]) {
  const made = await sys.post('/api/accounts', { username, displayName: '测试账号', orgId, roleIds, password: 'Viewer#20261' });
  expect(made.statusCode, made.body).toBe(200);
  return { id: made.json().id as string, client: await t.firstLogin(username, 'Viewer#20261') };
}

const rolesOf = async (accountId: string) =>
  (await t.db.selectFrom('account_roles').select('role_id').where('account_id', '=', accountId).orderBy('role_id').execute()).map((r) => r.role_id);

it('a town moved from 东台 to 射阳: its accounts lose 东台’s role (audited, at once); city, built-in and the town’s own roles stay', async () => {
  const dtSys = await account('rm_dt_sys', dongtai, [roleId('system_admin')]);
  const dtRole = await dtSys.client.post('/api/roles', { code: 'rm_dt_viewer', name: '东台组织查看员', permissions: ['org:read'] });
  expect(dtRole.statusCode, dtRole.body).toBe(200);
  const cityRole = await sys.post('/api/roles', { code: 'rm_city_viewer', name: '市总组织查看员', permissions: ['org:read'] });
  expect(cityRole.statusCode, cityRole.body).toBe(200);
  // a role the town itself defined moves with it
  const ownRole = await t.db
    .insertInto('roles')
    .values({ code: 'rm_town_viewer', name: '本镇组织查看员', description: '', permissions: ['org:read'], org_id: town, duty: 'business' })
    .returning('id')
    .executeTakeFirstOrThrow();

  const viewer = await account('rm_town_dt', town, [dtRole.json().id]);
  const cityHolder = await account('rm_town_city', town, [cityRole.json().id]);
  const own = await account('rm_town_own', town, [roleId('leader')]);
  await t.db.insertInto('account_roles').values({ account_id: own.id, role_id: ownRole.id }).execute();
  const stayer = await account('rm_dt_stays', dongtai, [dtRole.json().id]);

  // The identity of each is cached by these reads (decision 036).
  for (const a of [viewer, cityHolder, own, stayer]) expect((await a.client.get(`/api/orgs/${town}`)).statusCode).toBe(200);

  const node = (await city.get(`/api/orgs/${town}`)).json();
  const moved = await city.post(`/api/orgs/${town}/move`, { newParentId: await orgIdByName(t, '射阳县总工会'), version: node.version });
  expect(moved.statusCode, moved.body).toBe(200);

  // Within the cache's second: the next request already goes without the role.
  expect((await viewer.client.get(`/api/orgs/${town}`)).statusCode).toBe(403);
  expect(await rolesOf(viewer.id)).toEqual([]);
  expect((await cityHolder.client.get(`/api/orgs/${town}`)).statusCode).toBe(200);
  expect(await rolesOf(cityHolder.id)).toEqual([cityRole.json().id]);
  expect((await own.client.get(`/api/orgs/${town}`)).statusCode).toBe(200);
  expect(await rolesOf(own.id)).toEqual([roleId('leader'), ownRole.id].sort((a, b) => Number(a) - Number(b)));
  // 东台's own account (not moved) keeps 东台's role
  expect(await rolesOf(stayer.id)).toEqual([dtRole.json().id]);

  const audits = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.role_removed_by_move').execute();
  expect(audits.map((a) => a.target_id)).toEqual([viewer.id]);
  expect(audits[0]).toMatchObject({ actor_name: expect.stringContaining('city_admin'), target_type: 'account' });
  expect(JSON.parse(audits[0]!.detail!)).toMatchObject({
    username: 'rm_town_dt',
    roleId: dtRole.json().id,
    roleName: '东台组织查看员',
    definedByOrgName: '东台市总工会',
  });
});
