import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import type { StaffActor } from '../../platform/context.js';
import type { OrgType } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';

let t: TestApp;
let city: Client;
let county: Client;
let dongtai: string;
let town: string;

beforeAll(async () => {
  t = await createTestApp();
  city = await t.login('city_admin');
  county = await t.login('county_admin');
  dongtai = await orgIdByName(t, '东台市总工会');
  town = (await t.db.selectFrom('orgs').select('id').where('parent_id', '=', dongtai).where('type', '=', 'town').orderBy('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

const VALID_CREDIT = '91350100M000100Y43';

describe('the demo tree', () => {
  it('has the real 盐城市 divisions: 10 county-level, 154 towns, 2,494 villages, a 新工联 under the city and each county', async () => {
    const count = async (type: OrgType) =>
      Number(
        (
          await t.db
            .selectFrom('orgs')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('type', '=', type)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('city')).toBe(1);
    expect(await count('county')).toBe(10);
    expect(await count('town')).toBe(154);
    expect(await count('village')).toBe(2494);
    expect(await count('industry_federation')).toBe(11);
    expect(await count('grassroots')).toBeGreaterThanOrEqual(300);
    const dt = await t.db.selectFrom('orgs').selectAll().where('id', '=', dongtai).executeTakeFirstOrThrow();
    expect(dt.division_code).toBe('320981');
  });

  it('a county admin’s tree starts at their county', async () => {
    const res = await county.get('/api/orgs/children');
    expect(res.json().items).toMatchObject([{ id: dongtai, name: '东台市总工会', type: 'county' }]);
    const kids = (await county.get(`/api/orgs/children?parentId=${dongtai}`)).json().items as { type: string }[];
    expect(kids.length).toBeGreaterThan(5);
    expect(kids.every((k) => ['town', 'industry_federation'].includes(k.type))).toBe(true);
  });

  it('search finds by name and shows the path', async () => {
    const res = await city.get(`/api/orgs/search?q=${encodeURIComponent('东台市总工会')}`);
    expect(res.json().items[0]).toMatchObject({ id: dongtai, pathNames: ['盐城市总工会', '东台市总工会'] });
  });
});

describe('create and edit', () => {
  let created: { id: string; version: number };

  it('city admin creates a grassroots union under a town; the write is audited', async () => {
    const res = await city.post('/api/orgs', {
      parentId: town,
      type: 'grassroots',
      name: '东台测试物流有限公司工会委员会',
      creditCode: VALID_CREDIT,
      divisionCode: '320981',
      foundedOn: '2024-03-01',
      longitude: 120.3,
      latitude: 32.8,
      chairName: '王建国',
    });
    expect(res.statusCode, res.body).toBe(200);
    created = res.json();
    expect(res.json()).toMatchObject({ type: 'grassroots', typeLabel: '基层工会', status: 'active', creditCode: VALID_CREDIT, longitude: 120.3 });
    expect(res.json().ancestors.map((a: { id: string }) => a.id)).toEqual(['1', dongtai, town]);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'org.create').where('target_id', '=', created.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_name).toContain('city_admin');
  });

  it('rejects a bad credit code, an unknown field and a disallowed parent type with Chinese field messages', async () => {
    const bad = await city.post('/api/orgs', { parentId: town, type: 'grassroots', name: '某公司工会', creditCode: '91350100M000100Y44' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { creditCode: expect.stringContaining('统一社会信用代码') } });
    const extra = await city.post('/api/orgs', { parentId: town, type: 'grassroots', name: '某公司工会', hacker: 1 });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.message).toContain('hacker');
    const wrongType = await city.post('/api/orgs', { parentId: town, type: 'county', name: '错误的县总工会' });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.fields.type).toBe('县(市、区)总工会不能设在镇街/园区工会之下');
    const noName = await city.post('/api/orgs', { parentId: town, type: 'grassroots' });
    expect(noName.json().error.fields.name).toBe('请填写组织名称');
  });

  it('refuses a credit code already used by another active org', async () => {
    const dup = await city.post('/api/orgs', { parentId: town, type: 'grassroots', name: '另一家公司工会', creditCode: VALID_CREDIT });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields.creditCode).toContain('已被其他组织使用');
  });

  it('edits with the version; a stale version is a conflict and nothing changes', async () => {
    const ok = await county.patch(`/api/orgs/${created.id}`, { version: created.version, address: '东台市城东新区 8 号' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().version).toBe(created.version + 1);
    const stale = await county.patch(`/api/orgs/${created.id}`, { version: created.version, address: '旧版本覆盖' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('已被他人修改');
    expect((await county.get(`/api/orgs/${created.id}`)).json().address).toBe('东台市城东新区 8 号');
  });

  it('a read-only leader cannot write (403)', async () => {
    const leader = await t.login('leader');
    expect((await leader.get(`/api/orgs/${created.id}`)).statusCode).toBe(200);
    const res = await leader.patch(`/api/orgs/${created.id}`, { version: 2, name: '领导改名' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });
});

describe('move and dissolve', () => {
  it('moves a town with its villages to another county in one step; paths and depths follow', async () => {
    const victim = await t.db
      .selectFrom('orgs')
      .selectAll()
      .where('parent_id', '=', dongtai)
      .where('type', '=', 'town')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const sheyang = await orgIdByName(t, '射阳县总工会');
    const before = await t.db.selectFrom('orgs').select('id').where('path', 'like', `${victim.path}%`).execute();
    const res = await city.post(`/api/orgs/${victim.id}/move`, { newParentId: sheyang, version: victim.version });
    expect(res.statusCode, res.body).toBe(200);
    const after = await t.db.selectFrom('orgs').selectAll().where('path', 'like', `/1/${sheyang}/${victim.id}/%`).execute();
    expect(after.map((o) => o.id).sort()).toEqual(before.map((o) => o.id).sort());
    expect(after.every((o) => o.depth === o.path.split('/').filter(Boolean).length - 1)).toBe(true);
    // 东台市's admin no longer sees it.
    expect((await county.get(`/api/orgs/${victim.id}`)).statusCode).toBe(404);
  });

  it('refuses a move into its own subtree, and moving one’s own node', async () => {
    const aTown = (
      await t.db.selectFrom('orgs').select('id').where('parent_id', '=', dongtai).where('type', '=', 'town').orderBy('id').executeTakeFirstOrThrow()
    ).id;
    const dt = (await city.get(`/api/orgs/${dongtai}`)).json();
    const cycle = await city.post(`/api/orgs/${dongtai}/move`, { newParentId: aTown, version: dt.version });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.fields.newParentId).toContain('自身或其下级');
    const own = await county.post(`/api/orgs/${dongtai}/move`, { newParentId: '1', version: dt.version });
    expect(own.statusCode).toBe(403);
  });

  it('dissolves only an org with no active children, and asks the registered guards', async () => {
    const withKids = (await city.get(`/api/orgs/${town}`)).json();
    const r1 = await city.post(`/api/orgs/${town}/dissolve`, { version: withKids.version, reason: '撤并' });
    expect(r1.statusCode).toBe(409);
    expect(r1.json().error.message).toContain('未撤销的下级组织');

    const leaf = (await city.post('/api/orgs', { parentId: town, type: 'grassroots', name: '将被撤销的公司工会' })).json();
    let guardCalls = 0;
    t.services.orgs.registerDissolveGuard(async (_trx, org) => {
      guardCalls++;
      return org.name === '将被撤销的公司工会' && guardCalls === 1 ? '该工会仍有 3 名在会会员，请先办理转出' : null;
    });
    const refused = await city.post(`/api/orgs/${leaf.id}/dissolve`, { version: leaf.version, reason: '企业注销' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('该工会仍有 3 名在会会员，请先办理转出');
    const ok = await city.post(`/api/orgs/${leaf.id}/dissolve`, { version: leaf.version, reason: '企业注销' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'dissolved', statusLabel: '已撤销', dissolveReason: '企业注销' });
    const again = await city.post(`/api/orgs/${leaf.id}/dissolve`, { version: ok.json().version, reason: '再次' });
    expect(again.statusCode).toBe(409);
  });
});

describe('moving subtrees keeps the tree consistent (property-based)', () => {
  const actor = (): StaffActor => ({
    type: 'staff',
    accountId: '1',
    username: 'city_admin',
    displayName: '市总管理员',
    orgId: '1',
    orgPath: '/1/',
    permissions: new Set(['org:read', 'org:write', 'org:dissolve']),
    sessionId: 'x',
  });
  const meta = { ip: '127.0.0.1', requestId: 'prop', userAgent: null };
  const orgInput = (parentId: string, type: OrgType, name: string) => ({
    parentId,
    type,
    name,
    creditCode: null,
    divisionCode: null,
    address: null,
    longitude: null,
    latitude: null,
    foundedOn: null,
    chairName: null,
  });
  const CHILD_TYPES: Record<OrgType, OrgType[]> = {
    city: ['county', 'industry_federation', 'grassroots'],
    county: ['town', 'industry_federation', 'grassroots', 'joint_grassroots'],
    town: ['village', 'industry_federation', 'grassroots', 'joint_grassroots'],
    village: ['grassroots', 'joint_grassroots'],
    industry_federation: ['grassroots', 'joint_grassroots'],
    grassroots: [],
    joint_grassroots: [],
  };

  async function assertConsistent(rootPath: string) {
    const rows = await t.db.selectFrom('orgs').select(['id', 'parent_id', 'path', 'depth']).where('path', 'like', `${rootPath}%`).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const r of rows) {
      if (r.path === rootPath) continue;
      const parent = byId.get(r.parent_id!);
      expect(parent, `parent of ${r.id} inside the subtree`).toBeDefined();
      expect(r.path).toBe(`${parent!.path}${r.id}/`);
      expect(r.depth).toBe(parent!.depth + 1);
    }
    expect(new Set(rows.map((r) => r.path)).size).toBe(rows.length);
  }

  it('after any sequence of moves every path is its parent’s path plus its id', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(1000), { minLength: 6, maxLength: 18 }),
        fc.array(fc.tuple(fc.nat(1000), fc.nat(1000)), { minLength: 1, maxLength: 12 }),
        async (shape, moves) => {
          const svc = t.services.orgs;
          const root = await svc.create(actor(), meta, orgInput('1', 'county', `性质测试县${++run}`));
          const nodes = [{ id: root.id, type: 'county' as OrgType }];
          for (const [i, pick] of shape.entries()) {
            const candidates = nodes.filter((n) => CHILD_TYPES[n.type].length > 0);
            const parent = candidates[pick % candidates.length]!;
            const types = CHILD_TYPES[parent.type];
            const type = types[(pick >> 3) % types.length]!;
            const o = await svc.create(actor(), meta, orgInput(parent.id, type, `节点${run}-${i}`));
            nodes.push({ id: o.id, type });
          }
          const total = nodes.length;
          for (const [a, b] of moves) {
            const node = nodes[1 + (a % (nodes.length - 1))]!;
            const target = nodes[b % nodes.length]!;
            const current = await svc.get(actor(), node.id);
            const before = (await t.db.selectFrom('orgs').select('id').where('path', 'like', `%/${node.id}/%`).execute()).map((r) => r.id).sort();
            try {
              await svc.move(actor(), meta, node.id, { newParentId: target.id, version: current.version });
              const after = (await t.db.selectFrom('orgs').select('id').where('path', 'like', `%/${node.id}/%`).execute()).map((r) => r.id).sort();
              expect(after).toEqual(before); // the subtree moved whole
              expect((await svc.get(actor(), node.id)).parentId).toBe(target.id);
            } catch (err) {
              // Refused moves (wrong type, own subtree, same parent) must be refusals, not crashes.
              expect(err).toBeInstanceOf(AppError);
              expect([400, 403]).toContain((err as AppError).status);
            }
            await assertConsistent(`/1/${root.id}/`);
          }
          const count = await t.db.selectFrom('orgs').select('id').where('path', 'like', `/1/${root.id}/%`).execute();
          expect(count.length).toBe(total);
        },
      ),
      { numRuns: 20 },
    );
  });
});
