// The roll's search is scope-first (decision 012): on a table large enough for the planner to choose
// honestly — 120,000 people, 王 / 李 / 张 about 7 % each, spread over the whole city — a common
// surname searched in one county reads that county's 王 from memberships_name_head_idx, in the
// page's order, and never walks the city's 王 (no Seq Scan, no people-first walk by name).
// PostgreSQL only (tests/postgres runs in the PostgreSQL run, vitest.config.ts): the plans asserted
// are PostgreSQL 15's, and generating the table in PGlite takes minutes.
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../server/src/db/schema.js';
import { PGliteDialect } from '../../server/src/db/pglite-dialect.js';
import { membersRepository, type RollFilters } from '../../server/src/modules/members/members.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PEOPLE = 120_000;
let t: TestApp;
let logged: Kysely<DB>;
const log: { sql: string; parameters: readonly unknown[] }[] = [];
let county: { path: string; wang: number };
let cityWang: number;
let cityPath: string;

describe('roll search plans at scale (PostgreSQL)', () => {
  beforeAll(async () => {
    t = await createTestApp();
    const db = t.db;
    // People with the real surname skew, generated set-based (seconds, not minutes).
    await sql`
      insert into people (id_type, id_enc, id_bidx, id_last4, id_masked, name, name_initials, name_pinyin, phone_masked)
      select 'resident_id', 'x', 'plan-' || i, lpad((i % 10000)::text, 4, '0'), '3299**********' || lpad((i % 10000)::text, 4, '0'),
        s.surname || g.given, s.initial || g.initial, s.pinyin || g.pinyin, '139****' || lpad((i % 10000)::text, 4, '0')
      from generate_series(1, ${PEOPLE}) as i,
        lateral (select (array['王','李','张','刘','陈','杨','赵','黄','周','吴','徐','孙','胡','朱','高','林','何','郭','马','罗'])[k] as surname,
                        (array['w','l','z','l','c','y','z','h','z','w','x','s','h','z','g','l','h','g','m','l'])[k] as initial,
                        (array['wang','li','zhang','liu','chen','yang','zhao','huang','zhou','wu','xu','sun','hu','zhu','gao','lin','he','guo','ma','luo'])[k] as pinyin
                 from (select case when i % 100 < 21 then 1 + i % 3 else 4 + i % 17 end as k) kk) s,
        lateral (select (array['伟','芳','军','静','强'])[1 + (i / 7) % 5] as given,
                        (array['w','f','j','j','q'])[1 + (i / 7) % 5] as initial,
                        (array['wei','fang','jun','jing','qiang'])[1 + (i / 7) % 5] as pinyin) g`.execute(db);
    // One membership each, spread over every union below the counties (the trigger copies the name keys).
    await sql`
      with unions as (select id, path, row_number() over (order by id) - 1 as k, count(*) over () as n from orgs where depth >= 2),
           ppl as (select id, row_number() over (order by id) - 1 as k from people where id_bidx like 'plan-%')
      insert into memberships (person_id, org_id, org_path, status, joined_on, source)
      select ppl.id, u.id, u.path, 'active', date '2010-01-01' + (ppl.k % 5000)::int, 'import'
      from ppl join unions u on u.k = (ppl.k * 7919) % u.n`.execute(db);
    await sql`analyze people`.execute(db);
    await sql`analyze memberships`.execute(db);
    const counties = await sql<{ path: string; wang: number }>`
      select o.path, (select count(*)::int from memberships m where m.org_path like o.path || '%' and m.search_name like '王%') as wang
      from orgs o where o.type = 'county' order by wang desc`.execute(db);
    county = counties.rows[Math.floor(counties.rows.length / 2)]!;
    cityPath = (await sql<{ path: string }>`select path from orgs where type = 'city' order by id limit 1`.execute(db)).rows[0]!.path;
    cityWang = (await sql<{ n: number }>`select count(*)::int as n from memberships where search_name like '王%'`.execute(db)).rows[0]!.n;
    logged = new Kysely<DB>({
      dialect:
        t.database.kind === 'postgres'
          ? new PostgresDialect({ pool: new pg.Pool({ connectionString: (t.database as { url?: string }).url, max: 1 }) })
          : new PGliteDialect(t.database.pglite!),
      log: (e) => {
        if (e.level === 'query') log.push({ sql: e.query.sql, parameters: e.query.parameters });
      },
    });
  }, 180_000);

  afterAll(async () => {
    if (t?.database.kind === 'postgres') await logged?.destroy();
    await t?.close();
  });

  interface PlanNode {
    'Node Type': string;
    'Relation Name'?: string;
    'Index Name'?: string;
    'Actual Rows'?: number;
    'Actual Loops'?: number;
    Plans?: PlanNode[];
  }
  const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

  /** The plan (EXPLAIN ANALYZE) of the one roll statement the repository sends for these filters. */
  async function explain(scopePath: string, f: Omit<RollFilters, 'limit' | 'offset'>) {
    log.length = 0;
    await membersRepository.roll(logged, scopePath, { ...f, limit: 20, offset: 0 });
    expect(log).toHaveLength(1);
    const q = log[0]!;
    // EXPLAIN the very statement with its parameters (a prepared statement gets the same custom plan).
    const plan = await logged.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] | string }>(
      CompiledQuery.raw(`explain (analyze, format json) ${q.sql}`, [...q.parameters]),
    );
    const raw = plan.rows[0]!['QUERY PLAN'];
    return nodes((typeof raw === 'string' ? (JSON.parse(raw) as [{ Plan: PlanNode }]) : raw)[0].Plan);
  }

  it('a common surname in one county reads only that county’s 王, from the head index (no walk of the city’s 王)', async () => {
    expect(cityWang).toBeGreaterThan(8000);
    expect(county.wang).toBeGreaterThan(50);
    expect(county.wang).toBeLessThan(cityWang / 3);
    const plan = await explain(county.path, { status: ['active', 'retained'], search: { kind: 'name', value: '王' } });
    expect(plan.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] !== 'orgs')).toEqual([]);
    // Every read of memberships goes through the head index (an index or bitmap scan of it) …
    // (the page's 20 rows are then read by id: memberships_pkey, at most 20 rows)
    const byId = plan.filter((n) => n['Index Name'] === 'memberships_pkey');
    for (const r of byId) expect(r['Actual Rows']! * (r['Actual Loops'] ?? 1)).toBeLessThanOrEqual(20);
    const reads = plan.filter((n) => n['Index Name']?.startsWith('memberships_') && n['Index Name'] !== 'memberships_pkey');
    expect(reads.length).toBeGreaterThanOrEqual(2); // the page and the capped count
    for (const r of reads) {
      expect(r['Node Type']).toMatch(/^(Index (Only )?Scan|Bitmap Index Scan)$/);
      expect(r['Index Name']).toBe('memberships_name_head_idx');
      // … and, scope first, none returns more rows than the county has 王.
      expect(r['Actual Rows']! * (r['Actual Loops'] ?? 1)).toBeLessThanOrEqual(county.wang);
    }
    expect(plan.some((n) => n['Relation Name'] === 'people' && n['Index Name'] !== 'people_pkey')).toBe(false);
  });

  it('the same surname city-wide reads one page and a capped count, not all of the city’s 王', async () => {
    const plan = await explain(cityPath, { search: { kind: 'name', value: '王' } });
    expect(plan.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] !== 'orgs')).toEqual([]);
    const scans = plan.filter((n) => n['Relation Name'] === 'memberships');
    for (const s of scans) expect(s['Actual Rows']!).toBeLessThanOrEqual(10_001);
  });

  it('a filter no index holds reads at most 50,000 rows of a large scope for its count, and labels the total an estimate', async () => {
    const city = await t.login('city_admin');
    const filtered = await city.get('/api/members?employmentForm=courier&isMigrantWorker=true&page=1&pageSize=20');
    expect(filtered.statusCode, filtered.body).toBe(200);
    const body = filtered.json<{ total: number; totalIsEstimate: boolean; totalCapped: boolean; items: unknown[] }>();
    expect(body.totalIsEstimate).toBe(true);
    expect(body.totalCapped).toBe(false);
    // Without the filter the count is exact up to the cap on the index: 1万+, not an estimate.
    const all = (await city.get('/api/members?page=1&pageSize=20')).json<{ total: number; totalIsEstimate: boolean; totalCapped: boolean }>();
    expect(all).toMatchObject({ total: 10_001, totalCapped: true, totalIsEstimate: false });
    const plan = await explain(cityPath, { employmentForm: 'courier', isMigrantWorker: true });
    for (const r of plan.filter((n) => n['Relation Name'] === 'memberships')) expect(r['Actual Rows']!).toBeLessThanOrEqual(50_000);
  });
});
