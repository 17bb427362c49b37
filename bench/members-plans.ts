// EXPLAIN (ANALYZE, BUFFERS) of every roll shape, as the server sends it (the repository's SQL with
// its parameters, on the server's connection settings), on a database the members bench kept:
//   npm run bench -- --suite members --members 1000000 --keep    → 保留数据库 gonghui_bench_xxxxxxxx
//   npx tsx bench/members-plans.ts postgres://postgres@127.0.0.1:5432/gonghui_bench_xxxxxxxx
// Prints each plan's scans, sorts, buffers and times (decision 012).
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import { connectionConfig } from '../server/src/db/database.js';
import pg from 'pg';
import type { DB } from '../server/src/db/schema.js';
import { createFieldCrypto } from '../server/src/platform/crypto.js';
import { membersRepository, type RollFilters } from '../server/src/modules/members/members.repository.js';
import { rollSearchOf } from '../server/src/modules/members/members.service.js';
import { BENCH_SECRETS, benchResidentId } from '../bench/members-data.js';

const url = process.argv[2]!;
const log: { sql: string; parameters: readonly unknown[] }[] = [];
const db = new Kysely<DB>({
  dialect: new PostgresDialect({ pool: new pg.Pool({ ...connectionConfig(url), max: 1 }) }),
  log: (e) => {
    if (e.level === 'query') log.push({ sql: e.query.sql, parameters: e.query.parameters });
  },
});
const crypto = createFieldCrypto(BENCH_SECRETS);
const county = '/1/21/';
const lookup = new pg.Pool({ connectionString: url, max: 1 });
const gr = (
  await lookup.query(
    `select m.org_path, count(*) n from memberships m join orgs o on o.id=m.org_id where m.org_path like '/1/21/%' and o.type='grassroots' group by 1 order by 2 desc limit 1`,
  )
).rows[0].org_path as string;
const shapes: [string, string, Omit<RollFilters, 'limit' | 'offset'> & { q?: string }][] = [
  ['surname 王, city', '/1/', { q: '王' }],
  ['surname 王, county', county, { q: '王' }],
  ['surname 王, grassroots', gr, { q: '王' }],
  ['surname 王, county, console default status', county, { q: '王', status: ['active', 'retained'] }],
  ['two characters 王伟, city', '/1/', { q: '王伟' }],
  ['full name 王建国, city', '/1/', { q: '王建国' }],
  ['two initials wj, city', '/1/', { q: 'wj' }],
  ['initials wjg, city', '/1/', { q: 'wjg' }],
  ['full pinyin wangjianguo, city', '/1/', { q: 'wangjianguo' }],
  ['full pinyin wang, county', county, { q: 'wang' }],
  ['phone, city', '/1/', { q: `1${'3578'[123457 % 4]}${String(123457).padStart(9, '0')}` }],
  ['ID, city', '/1/', { q: benchResidentId(123456) }],
  ['last four 3456, city', '/1/', { q: '3456' }],
  ['roll page 1, city', '/1/', {}],
  ['roll page 1, county, filters (status, courier, 农民工)', county, { status: ['active', 'retained'], employmentForm: 'courier', isMigrantWorker: true }],
  ['roll by join date, city', '/1/', { sort: 'joined_asc' }],
  ['roll by join date, grassroots', gr, { sort: 'joined_asc' }],
  ['roll by name, county', county, { sort: 'name' }],
];
for (const [name, scope, f] of shapes) {
  log.length = 0;
  const filters = { ...f, search: rollSearchOf(crypto, f.q), limit: 20, offset: 0 };
  await membersRepository.roll(db, scope, filters);
  const q = log[0]!;
  const conn = await db.connection().execute(async (c) => {
    await c.executeQuery(CompiledQuery.raw(q.sql, [...q.parameters])); // warm
    const r = await c.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers, costs off) ${q.sql}`, [...q.parameters]));
    return r.rows.map((x) => x['QUERY PLAN']);
  });
  const keep = conn.filter(
    (l) => /Scan|Sort|Limit|Aggregate|Nested|Hash|Buffers: shared|Execution|Planning Time|Index Cond|Heap Fetches/.test(l) && !/Planning:$/.test(l),
  );
  console.log(`\n### ${name}\n${keep.join('\n')}`);
}
await db.destroy();
await lookup.end();
