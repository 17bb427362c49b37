// The indicator catalogue against the records it counts: totals equal the rows, the children add
// up to the subtree, a new member moves the figures of the county where they joined and no other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember } from '../../../../tests/support/members.js';
import { chinaDay } from '../../platform/china-time.js';
import { INDICATORS } from './stats.catalogue.js';
import type { StatsService } from './stats.service.js';

let t: TestApp;
let city: Client;
let county: Client; // 东台市
let stats: StatsService;
let dongtai: { id: string; path: string };
let grassroots: string; // a grassroots union in 东台市

type Overview = {
  totals: Record<string, number | null>;
  own: Record<string, number | null>;
  children: { id: string; name: string; values: Record<string, number | null> }[];
  snapshot: { day: string } | null;
};

beforeAll(async () => {
  t = await createTestApp();
  city = await t.login('city_admin');
  county = await t.login('county_admin');
  stats = (t.services.features as unknown as { stats: { service: StatsService } }).stats.service;
  dongtai = await t.db.selectFrom('orgs').select(['id', 'path']).where('name', '=', '东台市总工会').executeTakeFirstOrThrow();
  grassroots = (
    await t.db.selectFrom('orgs').select('id').where('path', 'like', `${dongtai.path}%`).where('type', '=', 'grassroots').orderBy('id').limit(1).executeTakeFirstOrThrow()
  ).id;
  const sheyang = await t.db.selectFrom('orgs').select('path').where('name', '=', '射阳县总工会').executeTakeFirstOrThrow();
  const sheyangUnion = await t.db.selectFrom('orgs').select('id').where('path', 'like', `${sheyang.path}%`).where('type', '=', 'grassroots').limit(1).executeTakeFirstOrThrow();
  await makeMember(t, grassroots, 8800);
  await makeMember(t, sheyangUnion.id, 8802);
  await stats.takeSnapshot();
});
afterAll(async () => t?.close());

const liveIn = async (path: string) =>
  Number(
    (
      await t.db
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('org_path', 'like', `${path}%`)
        .where('status', 'in', ['active', 'retained'])
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the indicator catalogue', () => {
  it('lists every indicator with its definition; the codes are unique', async () => {
    const r = await city.get('/api/stats/indicators');
    expect(r.statusCode).toBe(200);
    const codes = r.json().items.map((i: { code: string }) => i.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(INDICATORS.map((i) => i.code));
    for (const i of r.json().items) expect(i.definition.length).toBeGreaterThan(4);
  });

  it('the city: members on the roll equal the rows; the counties add up to the city', async () => {
    const o = (await city.get('/api/stats/overview')).json() as Overview;
    expect(o.snapshot?.day).toBe(chinaDay(t.clock.now()));
    expect(o.totals['members.live']).toBe(await liveIn('/1/'));
    expect(o.totals['members.live']).toBeGreaterThan(0);
    const children = o.children.reduce((n, c) => n + (c.values['members.live'] ?? 0), 0);
    expect(children + (o.own['members.live'] ?? 0)).toBe(o.totals['members.live']);
    const dt = o.children.find((c) => c.id === dongtai.id)!;
    expect(dt.values['members.live']).toBe(await liveIn(dongtai.path));
    // a ratio is computed from its parts, not summed
    const gig = o.totals['members.gig']!;
    expect(o.totals['members.gig_share']).toBe(Math.round((gig / o.totals['members.live']!) * 1000) / 10);
  });

  it('a member joining in 东台市 moves 东台市’s figures by one (new members now, the roll at the next snapshot) and no other county’s', async () => {
    const before = (await city.get('/api/stats/overview')).json() as Overview;
    await makeMember(t, grassroots, 8801);
    const fresh = (await city.get('/api/stats/overview')).json() as Overview;
    const dt = (o: Overview) => o.children.find((c) => c.id === dongtai.id)!.values;
    expect(dt(fresh)['members.joined']).toBe(dt(before)['members.joined']! + 1);
    expect(dt(fresh)['join.received']).toBe(dt(before)['join.received']! + 1);
    expect(dt(fresh)['join.approved']).toBe(dt(before)['join.approved']! + 1);
    expect(dt(fresh)['members.live']).toBe(dt(before)['members.live']); // the snapshot has not run yet
    await stats.takeSnapshot();
    const after = (await city.get('/api/stats/overview')).json() as Overview;
    expect(dt(after)['members.live']).toBe(dt(before)['members.live']! + 1);
    for (const c of after.children.filter((x) => x.id !== dongtai.id)) {
      expect(c.values['members.live']).toBe(before.children.find((x) => x.id === c.id)!.values['members.live']);
    }
  });

  it('the drill-down: the roll filtered by a county (所属工会) lists the members of its whole subtree, as many as the figure', async () => {
    const o = (await city.get('/api/stats/overview')).json() as Overview;
    const figure = o.children.find((c) => c.id === dongtai.id)!.values['members.live'];
    const rows = (await city.get(`/api/members?orgId=${dongtai.id}&status=active,retained`)).json();
    expect(figure).toBeGreaterThan(0);
    expect(rows.total).toBe(figure);
    expect((await county.get(`/api/members?orgId=${o.children.find((c) => c.name === '射阳县总工会')!.id}`)).statusCode).toBe(404);
  });

  it('维权: a consultation logged by 东台市 counts in 东台市’s 维权咨询 (the seeds’ 咨询人次 as a query over the ledger)', async () => {
    const before = (await city.get('/api/stats/indicators/rights.consultations')).json();
    const r = await county.post('/api/rights/consultations', { channel: 'hotline', topic: 'pay', name: '王小明', summary: '工资拖欠两个月', answer: '可申请调解' });
    expect(r.statusCode, r.body).toBe(200);
    const after = (await city.get('/api/stats/indicators/rights.consultations')).json();
    expect(after.totals['rights.consultations']).toBe(before.totals['rights.consultations'] + 1);
    const dt = (o: { children: { id: string; values: Record<string, number> }[] }) => o.children.find((c) => c.id === dongtai.id)!.values['rights.consultations'] ?? 0;
    expect(dt(after)).toBe(dt(before) + 1);
  });

  it('one indicator for a county: its towns compared, a monthly trend over the period, the rows’ page named', async () => {
    const r = await county.get(`/api/stats/indicators/members.joined?from=${chinaDay(t.clock.now()).slice(0, 4)}-01-01`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.org.id).toBe(dongtai.id);
    expect(body.indicator.rows.path).toBe('/members');
    expect(body.trend.length).toBeGreaterThan(0);
    const trendSum = body.trend.reduce((n: number, x: { value: number }) => n + x.value, 0);
    expect(trendSum).toBe(body.totals['members.joined']);
    const childSum = body.children.reduce((n: number, c: { values: Record<string, number> }) => n + c.values['members.joined']!, 0);
    expect(childSum + body.own['members.joined']).toBe(body.totals['members.joined']);
  });

  it('集体协商 and 建制率 in the catalogue agree with the coverage page of 企业与建会 (the same records, counted the same day)', async () => {
    // three enterprises under 东台's union: two covered by a union, one of them holding a 职代会 this year
    const ids: string[] = [];
    for (const [i, covered] of [true, true, false].entries()) {
      const e = await t.db
        .insertInto('enterprises')
        .values({ org_id: dongtai.id, credit_code: `91320981MA9STAT0${i}X`, name: `统计测试企业${i}`, ownership: 'private', industry: 'C', employees: 40, union_org_id: covered ? grassroots : null, union_kind: covered ? 'own' : null, congress_system: i === 0 } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(e.id);
    }
    await t.db.insertInto('congress_sessions').values({ enterprise_id: ids[0]!, held_on: chinaDay(t.clock.now()), kind: 'congress', delegates: 30, present: 28 } as never).execute();
    await stats.takeSnapshot();
    const coverage = (await city.get('/api/coverage')).json() as { figures: { key: string; numerator: number | null; denominator: number | null }[] };
    const fig = (key: string) => coverage.figures.find((f) => f.key === key)!;
    const o = (await city.get('/api/stats/overview')).json() as Overview;
    expect(o.totals['enterprises.unionised']).toBe(fig('congress_rate').denominator);
    expect(o.totals['enterprises.congress_ok']).toBe(fig('congress_rate').numerator);
    expect(o.totals['enterprises.disclosure_ok']).toBe(fig('disclosure_rate').numerator);
    const effective = coverage.figures.filter((f) => f.key.startsWith('contracts_')).reduce((n, f) => n + (f.numerator ?? 0), 0);
    expect(o.totals['contracts.effective']).toBe(effective);
    expect(o.totals['enterprises.unionised']).toBeGreaterThanOrEqual(2);
    expect(o.totals['enterprises.congress_ok']).toBeGreaterThanOrEqual(1);
    const rate = o.totals['enterprises.congress_rate'];
    expect(rate).toBe(Math.round((o.totals['enterprises.congress_ok']! / o.totals['enterprises.unionised']!) * 1000) / 10);
  });

  it('a town: its own count and its children’s add up to its figure, from its own snapshot rows', async () => {
    const town = await t.db.selectFrom('orgs').select(['id', 'path']).where('parent_id', '=', dongtai.id).where('type', '=', 'town').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const o = (await county.get(`/api/stats/overview?orgId=${town.id}`)).json() as Overview;
    expect(o.totals['members.live']).toBe(await liveIn(town.path));
    const children = o.children.reduce((n, c) => n + (c.values['members.live'] ?? 0), 0);
    expect(children + (o.own['members.live'] ?? 0)).toBe(o.totals['members.live']);
  });

  it('refuses an unknown indicator (404), a period that ends before it starts (400), and a county asking for the city (404)', async () => {
    expect((await city.get('/api/stats/indicators/members.nothing')).statusCode).toBe(404);
    const bad = await city.get('/api/stats/overview?from=2026-05-01&to=2026-04-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.to).toContain('不能早于');
    const cityId = (await t.db.selectFrom('orgs').select('id').where('type', '=', 'city').executeTakeFirstOrThrow()).id;
    expect((await county.get(`/api/stats/overview?orgId=${cityId}`)).statusCode).toBe(404);
    expect((await t.anonymous.get('/api/stats/overview')).statusCode).toBe(401);
  });
  // last: it moves the clock past every session's idle timeout
  it('months of daily snapshots keep the last 62 days and each month’s last day; the home trend still has every month', async () => {
    const start = t.clock.now();
    for (let d = 0; d < 100; d++) {
      t.clock.advance(86_400_000);
      await stats.takeSnapshot();
    }
    const runs = (await t.db.selectFrom('indicator_snapshot_runs').select('day').orderBy('day').execute()).map((r) => String(r.day));
    const days = new Set(runs);
    const today = chinaDay(t.clock.now());
    const day = (n: number) => chinaDay(new Date(t.clock.now().getTime() - n * 86_400_000));
    for (let n = 0; n <= 62; n++) expect(days.has(day(n)), day(n)).toBe(true);
    const older = runs.filter((d) => d < day(62));
    expect(older.length).toBeGreaterThan(0);
    // each older day kept is the last run of its month, one per month
    for (const d of older) expect(runs.filter((x) => x.slice(0, 7) === d.slice(0, 7)).at(-1)).toBe(d);
    expect(new Set(older.map((d) => d.slice(0, 7))).size).toBe(older.length);
    const rows = await t.db.selectFrom('indicator_snapshots').select('day').distinct().execute();
    expect(rows.length).toBe(runs.length);
    // the leader's home: a stock's trend has a value in each of the last 5 months (all from kept days)
    const leader = await t.login('leader');
    const home = (await leader.get('/api/home')).json();
    const live = home.figures.items.find((i: { code: string }) => i.code === 'members.live');
    expect(live.value).toBe(await liveIn('/1/'));
    for (const point of live.trend.slice(-5)) expect(point.value, point.at).toBe(await liveIn('/1/'));
    expect(today > chinaDay(start)).toBe(true);
  });
});
