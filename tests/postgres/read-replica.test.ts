// The read replica (issue 18 item 2, decision 038) without a real standby: DATABASE_REPLICA_URL points at
// a second copy of the seeded database, and the members made through the app land on the primary only.
// A read served by the replica does not see them; a read of the primary does — so each routed read shows
// where it was served. Then the replica goes away (dropped with its connections), and the same requests
// are answered by the primary; a replica unreachable from the start, or too far behind, is never used.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsRepository } from '../../server/src/modules/stats/stats.repository.js';
import { chinaDay } from '../../server/src/platform/china-time.js';
import { makeMember } from '../support/members.js';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../support/test-app.js';
import { databaseUrlFor, withAdminClient } from '../support/test-db.js';

type Indicator = { totals: Record<string, number | null>; children: { id: string; name: string }[] };

let t: TestApp;
let city: Client;
let cityId = '';
let cityPath = '';
const warnings: string[] = [];

const year = () => chinaDay(t.clock.now()).slice(0, 4);
const joinedFigure = async (c: Client) => {
  const r = await c.get(`/api/stats/indicators/members.joined?from=${year()}-01-01`);
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as Indicator).totals['members.joined'];
};
/** members.joined this year for the whole city, counted on the primary itself. */
const joinedOnPrimary = async () => {
  const p = {
    fromAt: new Date(`${year()}-01-01T00:00:00+08:00`),
    toAt: new Date(t.clock.now().getTime() + 86_400_000),
    fromDay: `${year()}-01-01`,
    toDay: chinaDay(t.clock.now()),
  };
  return (await statsRepository.flowByChild(t.db, 'members.joined', cityPath, p)).reduce((n, r) => n + Number(r.value), 0);
};
const exportRows = async (c: Client) => {
  const r = await c.post('/api/members/export', {});
  expect(r.statusCode, r.body).toBe(200);
  return Number(r.headers['x-row-count']);
};
const liveSnapshot = async () =>
  Number(
    (
      await t.db
        .selectFrom('indicator_snapshots')
        .select('subtree_value')
        .where('code', '=', 'members.live')
        .where('org_id', '=', cityId)
        .where('day', '=', chinaDay(t.clock.now()))
        .executeTakeFirst()
    )?.subtree_value ?? 0,
  );

beforeAll(async () => {
  t = await createTestApp({ replica: 'copy', replicaLog: (m) => warnings.push(m) });
  city = await t.login('city_admin');
  const row = await t.db.selectFrom('orgs').select(['id', 'path']).where('type', '=', 'city').orderBy('id').executeTakeFirstOrThrow();
  cityId = row.id;
  cityPath = row.path;
  const grassroots = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  // Written through the app: the primary has these three members, the replica (a copy from before) has none.
  for (const n of [9801, 9802, 9803]) await makeMember(t, grassroots, n);
});
afterAll(async () => t?.close());

describe('with a replica, the heavy reads are served there', () => {
  it('a figure and its drill-down come from the replica: the members just written on the primary are not in it', async () => {
    expect(await joinedOnPrimary()).toBe(3);
    expect(await joinedFigure(city)).toBe(0);
    // And what only the replica has shows: a union renamed there alone is named so in the children compared.
    const dongtai = await orgIdByName(t, '东台市总工会');
    const replica = new pg.Client({ connectionString: databaseUrlFor(t.database.replicaName!) });
    await replica.connect();
    try {
      await replica.query(`update orgs set name = '东台市总工会（副本）' where id = $1`, [dongtai]);
    } finally {
      await replica.end();
    }
    const r = (await city.get(`/api/stats/indicators/members.joined?from=${year()}-01-01`)).json() as Indicator;
    expect(r.children.find((c) => c.id === dongtai)?.name).toBe('东台市总工会（副本）');
    const overview = (await city.get(`/api/stats/overview?from=${year()}-01-01`)).json() as Indicator;
    expect(overview.totals['members.joined']).toBe(0);
    expect(t.database.replica!.status()).toMatchObject({ state: 'ok', lagMs: 0 });
    expect(t.database.replica!.status().served).toBeGreaterThan(0);
  });

  it('the roll export and the cockpit feed read the replica; the export is still audited on the primary', async () => {
    expect(await exportRows(city)).toBe(0);
    const audited = await t.db.selectFrom('audit_log').select('detail').where('action', '=', 'member.export').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(String(audited.detail))).toMatchObject({ rows: 0 });
    const live = await t.db
      .selectFrom('memberships')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    expect(live.n).toBe(3);
    const feed = (await city.get('/api/cockpit/feed')).json() as { items: { kind: string }[] };
    expect(feed.items.filter((i) => i.kind === 'join')).toEqual([]);
  });

  it('the snapshot job counts on the replica and stores the rows on the primary', async () => {
    await t.services.features.stats.service.takeSnapshot();
    // Counted on the replica: no live member; stored on the primary (the replica, a plain copy, never gets it).
    const run = await t.db.selectFrom('indicator_snapshot_runs').select('taken_at').where('day', '=', chinaDay(t.clock.now())).executeTakeFirstOrThrow();
    expect(new Date(run.taken_at).getTime()).toBe(t.clock.now().getTime());
    expect(await liveSnapshot()).toBe(0);
    const grassrootsOrgs = await t.db
      .selectFrom('indicator_snapshots')
      .select('subtree_value')
      .where('code', '=', 'orgs.grassroots')
      .where('org_id', '=', cityId)
      .where('day', '=', chinaDay(t.clock.now()))
      .executeTakeFirstOrThrow();
    // The same figure the one-statement count on the primary gives for what both databases share.
    const counted = await statsRepository.countStock(t.db, 'orgs.grassroots', chinaDay(t.clock.now()));
    expect(Number(grassrootsOrgs.subtree_value)).toBe(Number(counted.find((r) => r.org_id === cityId)!.subtree_value));
  });

  it('every other routed read answers over the replica (its connections refuse writes: a write routed there would fail)', async () => {
    const leader = await t.login('leader');
    expect((await leader.get('/api/home')).statusCode).toBe(200);
    for (const url of [
      '/api/applications/export',
      '/api/hardship/files/export.xlsx',
      '/api/stations/export.xlsx',
      `/api/reports/yearly.xlsx?year=${year()}`,
      `/api/orgs/${cityId}/application-figures`,
    ]) {
      const r = await city.get(url);
      expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBe(200);
    }
    const sheet = (await city.get(`/api/reports/yearly?year=${year()}`)).json() as {
      sheets: { key: string; rows: { kind: string; values: Record<string, number> }[] }[];
    };
    expect(sheet.sheets.find((s) => s.key === 'members')!.rows.find((r) => r.kind === 'total')!.values.members ?? 0).toBe(0);
    await expect(sql`update orgs set name = name where id = ${cityId}`.execute(t.database.reader)).rejects.toThrow(/read-only/);
    await expect(t.database.reader.transaction().execute(async () => {})).rejects.toThrow(/事务/);
  });

  it('/metrics shows the replica serving', async () => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' })).body;
    expect(text).toMatch(/gonghui_replica_state\{state="ok"\} 1/);
    expect(text).toMatch(/gonghui_replica_state\{state="down"\} 0/);
  });

  it('when the replica goes away, the same requests are answered by the primary', async () => {
    await withAdminClient((c) => c.query(`drop database ${t.database.replicaName!} with (force)`));
    expect(await joinedFigure(city)).toBe(3);
    expect(await exportRows(city)).toBe(3);
    const feed = (await city.get('/api/cockpit/feed')).json() as { items: { kind: string; count: number }[] };
    expect(feed.items.filter((i) => i.kind === 'join').reduce((n, i) => n + i.count, 0)).toBe(3);
    await t.services.features.stats.service.takeSnapshot();
    expect(await liveSnapshot()).toBe(3);
    expect(t.database.replica!.status().state).toBe('down');
    expect(warnings.some((w) => w.includes('只读副本不可用'))).toBe(true);
    const text = (await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' })).body;
    expect(text).toMatch(/gonghui_replica_state\{state="down"\} 1/);
    expect(text).toMatch(/gonghui_replica_state\{state="ok"\} 0/);
  });
});

describe('a replica that cannot serve is not used', () => {
  it('unreachable from the start: figures and exports come from the primary', async () => {
    const logs: string[] = [];
    const u = await createTestApp({ replica: 'postgres://postgres@127.0.0.1:1/nowhere', replicaLog: (m) => logs.push(m) });
    try {
      const c = await u.login('city_admin');
      const grassroots = (await u.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
      await makeMember(u, grassroots, 9811);
      const r = await c.get(`/api/stats/indicators/members.joined?from=${chinaDay(u.clock.now()).slice(0, 4)}-01-01`);
      expect(r.statusCode, r.body).toBe(200);
      expect((r.json() as Indicator).totals['members.joined']).toBe(1);
      expect(Number((await c.post('/api/members/export', {})).headers['x-row-count'])).toBe(1);
      expect(u.database.replica!.status()).toMatchObject({ state: 'down' });
      expect(u.database.replica!.status().fellBack).toBeGreaterThan(0);
      expect(logs.some((m) => m.includes('只读副本不可用'))).toBe(true);
    } finally {
      await u.close();
    }
  });

  it('further behind than the bound: reads stay on the primary until it catches up', async () => {
    const logs: string[] = [];
    // A bound below any lag (even 0 ms) makes the copy "too far behind".
    const u = await createTestApp({ replica: 'copy', replicaMaxLagMs: -1, replicaLog: (m) => logs.push(m) });
    try {
      const c = await u.login('city_admin');
      const grassroots = (await u.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
      await makeMember(u, grassroots, 9821);
      expect(Number((await c.post('/api/members/export', {})).headers['x-row-count'])).toBe(1);
      expect(u.database.replica!.status()).toMatchObject({ state: 'lagging', lagMs: 0, served: 0 });
      expect(logs.some((m) => m.includes('落后主库'))).toBe(true);
    } finally {
      await u.close();
    }
  });
});
