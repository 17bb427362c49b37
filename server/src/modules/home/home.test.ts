// The home page by role against the records: each block present exactly when the caller holds its
// permission, the figures and the queue scoped to the caller's subtree (a join application in 射阳县
// moves 射阳's queue and not 东台's), the 三员 see their own duties only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { JOIN_CONSENT } from '../joining/joining.schema.js';
import { chinaYear } from '../../platform/china-time.js';
import type { StatsService } from '../stats/stats.service.js';

let t: TestApp;
const as: Record<string, Client> = {};
let dongtai: { id: string; path: string };
let sheyang: { id: string; path: string };

type Home = Record<string, unknown> & {
  queue?: { total: number; overdue: number; sources: { key: string; total: number; overdue: number }[]; items: { source: string; orgName: string }[] };
  figures?: { title: string; items: { code: string; value: number | null; trend: { at: string; value: number | null }[] }[] };
  accounts?: { total: number; locked: number };
  roles?: { total: number };
  sessions?: { online: number; items: { account: { username: string } }[] };
  locked?: { total: number; items: { username: string }[] };
  refusals?: { items: { actionLabel: string }[] };
  audit?: { lastVerification: { ok: boolean; checked: number } | null; recent: { actionLabel: string }[] };
};

const BLOCKS = ['queue', 'figures', 'accounts', 'roles', 'sessions', 'locked', 'refusals', 'audit'] as const;
const home = async (c: Client) => {
  const r = await c.get('/api/home');
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Home;
};
const blocks = (h: Home) => BLOCKS.filter((b) => b in h);

const pendingJoinsUnder = async (path: string) =>
  Number(
    (
      await t.db
        .selectFrom('join_applications')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'pending')
        .where('target_org_path', 'like', `${path}%`)
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await createTestApp();
  for (const u of ['city_admin', 'county_admin', 'sheyang_admin', 'town_admin', 'grassroots_admin', 'leader', 'sysadmin', 'secadmin', 'auditor']) as[u] = await t.login(u);
  dongtai = await t.db.selectFrom('orgs').select(['id', 'path']).where('name', '=', '东台市总工会').executeTakeFirstOrThrow();
  sheyang = await t.db.selectFrom('orgs').select(['id', 'path']).where('name', '=', '射阳县总工会').executeTakeFirstOrThrow();
  await (t.services.features as unknown as { stats: { service: StatsService } }).stats.service.takeSnapshot();
});
afterAll(async () => t?.close());

describe('GET /api/home', () => {
  it('anonymous → 401', async () => {
    expect((await t.anonymous.get('/api/home')).statusCode).toBe(401);
  });

  it('a 领导 (read-only): key figures with a 12-month trend; no queue, no 三员 blocks', async () => {
    const h = await home(as.leader!);
    expect(blocks(h)).toEqual(['figures']);
    expect(h.figures!.title).toBe('关键指标');
    const codes = h.figures!.items.map((i) => i.code);
    expect(codes).toContain('members.live');
    expect(codes).toContain('members.joined');
    for (const i of h.figures!.items) expect(i.trend).toHaveLength(12);
    // the last month of the trend is this month; new members this year = the monthly bars of this year summed
    const joined = h.figures!.items.find((i) => i.code === 'members.joined')!;
    const year = String(chinaYear(t.clock.now()));
    expect(joined.trend.at(-1)!.at).toBe(t.clock.now().toISOString().slice(0, 7));
    expect(joined.trend.filter((p) => p.at.startsWith(year)).reduce((n, p) => n + (p.value ?? 0), 0)).toBe(joined.value);
    const direct = await t.db
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('org_path', 'like', '/1/%')
      .where('joined_on', '>=', `${year}-01-01`)
      .where('joined_on', '<=', t.clock.now().toISOString().slice(0, 10))
      .executeTakeFirstOrThrow();
    expect(joined.value).toBe(Number(direct.n));
    // every figure (stocks from the snapshot, flows from the months, ratios from their parts) as the statistics page has it
    const overview = (await as.leader!.get(`/api/stats/overview?from=${year}-01-01`)).json();
    for (const i of h.figures!.items) expect(i.value, i.code).toBe(overview.totals[i.code]);
  });

  it('county staff: the queue (待我处理, overdue, expiring) and their modules’ figures; no 三员 blocks', async () => {
    const h = await home(as.county_admin!);
    expect(blocks(h)).toEqual(['queue', 'figures']);
    expect(h.figures!.title).toBe('本岗指标');
    const keys = h.queue!.sources.map((s) => s.key);
    expect(keys).toEqual(expect.arrayContaining(['applications', 'joins', 'hardship_reviews', 'contracts', 'rights_cases', 'rights_tickets']));
    const joins = h.queue!.sources.find((s) => s.key === 'joins')!;
    expect(joins.total).toBe(await pendingJoinsUnder(dongtai.path));
    expect(h.queue!.total).toBe(h.queue!.sources.filter((s) => s.key === 'applications' || s.key === 'joins').reduce((n, s) => n + s.total, 0));
  });

  it('every overdue matter counted is listed or said to be elsewhere; day deadlines are China dates, moments ISO', async () => {
    // An open mediation case in 东台 past its limit (the demo's fall due after the test clock's day).
    const made = await as.county_admin!.post('/api/rights/cases', {
      parties: [{ name: '钱师傅', idNumber: fakePerson(7301).idNumber, phone: '13900007301' }],
      disputeType: 'injury',
      employerName: '东台某物流公司',
      summary: '工伤待遇',
      claimAmount: '30000',
      mediatorIds: [],
    });
    expect(made.statusCode, made.body).toBe(200);
    await t.db.updateTable('rights_cases').set({ due_on: '2026-11-01' }).where('id', '=', made.json().id).execute();
    for (const u of ['city_admin', 'county_admin', 'sheyang_admin', 'town_admin']) {
      const q = (await home(as[u]!)).queue as unknown as {
        sources: { key: string; total: number; overdue: number }[];
        items: { source: string; dueAt: string | null; dueOn: string | null; overdue: boolean }[];
        more: number;
      };
      expect(q.items.length + q.more, u).toBe(q.sources.reduce((n, s) => n + s.total, 0));
      for (const key of ['rights_cases', 'rights_tickets']) {
        const s = q.sources.find((x) => x.key === key)!;
        // The demo's overdue mediation cases fit in the list: each one counted is a row.
        if (s.overdue && q.items.length < 8) expect(q.items.filter((i) => i.source === key && i.overdue).length, `${u} ${key}`).toBe(s.overdue);
      }
      for (const i of q.items) {
        if (['contracts', 'rights_cases', 'rights_tickets'].includes(i.source)) {
          expect(i.dueAt, u).toBeNull();
          expect(i.dueOn, u).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        } else expect(i.dueOn, u).toBeNull();
      }
    }
    // The demo has an overdue mediation case in 东台: counted and listed.
    const dt = (await home(as.county_admin!)).queue as unknown as { sources: { key: string; overdue: number }[]; items: { source: string }[] };
    expect(dt.sources.find((s) => s.key === 'rights_cases')!.overdue).toBeGreaterThan(0);
    expect(dt.items.some((i) => i.source === 'rights_cases')).toBe(true);
  });

  it('a join application in 射阳县 moves 射阳’s queue and not 东台’s', async () => {
    const before = { dt: await home(as.county_admin!), sy: await home(as.sheyang_admin!) };
    const union = await t.db
      .selectFrom('orgs')
      .select('id')
      .where('path', 'like', `${sheyang.path}%`)
      .where('type', '=', 'grassroots')
      .where('status', '=', 'active')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const person = fakePerson(9701);
    const worker = await t.workerLogin(person.phone);
    const applied = await worker.post('/api/worker/join', {
      person,
      employment: {},
      targetOrgId: union.id,
      consent: { agreed: true, version: JOIN_CONSENT.version },
      idempotencyKey: 'home-test-join',
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const after = { dt: await home(as.county_admin!), sy: await home(as.sheyang_admin!) };
    const joins = (h: Home) => h.queue!.sources.find((s) => s.key === 'joins')!.total;
    expect(joins(after.sy)).toBe(joins(before.sy) + 1);
    expect(joins(after.dt)).toBe(joins(before.dt));
    expect(joins(after.sy)).toBe(await pendingJoinsUnder(sheyang.path));
    // its first items are 射阳’s own: no 东台 union's name among 东台's items is from 射阳
    const sheyangNames = new Set((await t.db.selectFrom('orgs').select('name').where('path', 'like', `${sheyang.path}%`).execute()).map((o) => o.name));
    for (const i of after.dt.queue!.items) expect(sheyangNames.has(i.orgName)).toBe(false);
  });

  it('town and grassroots staff see their queue and figures', async () => {
    for (const u of ['town_admin', 'grassroots_admin']) {
      const h = await home(as[u]!);
      expect(blocks(h), u).toEqual(['queue', 'figures']);
    }
  });

  it('系统管理员: accounts and roles only; the account count is the subtree’s', async () => {
    const h = await home(as.sysadmin!);
    expect(blocks(h)).toEqual(['accounts', 'roles']);
    const n = await t.db.selectFrom('staff_accounts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(h.accounts!.total).toBe(Number(n.n));
    expect(h.roles!.total).toBeGreaterThan(0);
  });

  it('安全管理员: sessions, locked accounts and refusals; a locked account shows up', async () => {
    for (let i = 0; i < 5; i++) await t.anonymous.post('/api/auth/login', { username: 'town_admin', password: 'wrong-Password-1' });
    const h = await home(as.secadmin!);
    expect(blocks(h)).toEqual(['sessions', 'locked', 'refusals']);
    expect(h.locked!.items.map((a) => a.username)).toContain('town_admin');
    expect(h.locked!.total).toBeGreaterThanOrEqual(1);
    // the nine accounts this file signed in; the first five listed, the latest seen first
    expect(h.sessions!.online).toBeGreaterThanOrEqual(9);
    expect(h.sessions!.items).toHaveLength(5);
    expect(h.refusals!.items.some((r) => r.actionLabel === '登录')).toBe(true);
  });

  it('审计管理员: the last chain verification and recent events only', async () => {
    const first = await home(as.auditor!);
    expect(blocks(first)).toEqual(['audit']);
    expect((await as.auditor!.get('/api/audit/verify')).statusCode).toBe(200);
    const h = await home(as.auditor!);
    expect(h.audit!.lastVerification).toMatchObject({ ok: true });
    expect(h.audit!.lastVerification!.checked).toBeGreaterThan(0);
    expect(h.audit!.recent.length).toBeGreaterThan(0);
    expect(h.audit!.recent[0]!.actionLabel).toBe('校验审计日志');
  });

  it('unknown query fields are refused', async () => {
    expect((await as.leader!.get('/api/home?orgId=1')).statusCode).toBe(400);
  });
});
