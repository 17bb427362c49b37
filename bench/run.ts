// npm run bench [-- --suite scope|members|stats|enroll|stations|enterprises|replica] [--members N] [--json]
// Generated data at city scale, measured through the same services the API uses.
// Suites: scope — a 20,000-node org tree: scoped lookups, lazy tree, subtree counts, search,
// moving a large subtree, audit appends. Runs on PostgreSQL when DATABASE_URL is set (in a
// throwaway database), otherwise on an in-memory PGlite.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { systemClock } from '../server/src/platform/clock.js';
import type { StaffActor } from '../server/src/platform/context.js';
import { createAuditService } from '../server/src/modules/audit/audit.service.js';
import { createOrgsService } from '../server/src/modules/orgs/orgs.service.js';
import { createFieldCrypto } from '../server/src/platform/crypto.js';
import { LogSmsProvider } from '../server/src/platform/sms.js';
import type { Config } from '../server/src/config.js';
import type { OrgType } from '../server/src/db/schema.js';
import { membersSuite } from './members.js';
import { enrollSuite } from './enroll.js';
import { enterprisesSuite } from './enterprises.js';
import { stationsSuite } from './stations.js';
import { replicaSuite } from './replica.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const suite = args.includes('--suite') ? (args[args.indexOf('--suite') + 1] ?? '') : 'scope';
const log = (...m: unknown[]) => {
  if (!json) console.log(...m);
};

async function timed<T>(n: number, fn: (i: number) => Promise<T>) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2));
  return { n, p50_ms: q(0.5), p99_ms: q(0.99), max_ms: Number(times.at(-1)!.toFixed(2)) };
}

async function open(): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { database: await openDatabase({ memory: true }), cleanup: async () => {} };
  const name = `gonghui_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 10 });
  return {
    database,
    cleanup: async () => {
      await database.close();
      await admin.query(`drop database ${name}`);
      await admin.end();
    },
  };
}

/** city → 10 counties → 200 towns → ~2,500 villages → ~17,000 enterprise unions ≈ 20,000 nodes. */
async function generateTree(database: Database) {
  const rows: { id: number; parent_id: number | null; path: string; depth: number; type: OrgType; name: string }[] = [];
  let id = 0;
  const add = (parent: (typeof rows)[number] | null, type: OrgType, name: string) => {
    const row = { id: ++id, parent_id: parent?.id ?? null, path: `${parent?.path ?? '/'}${id + 0}/`, depth: parent ? parent.depth + 1 : 0, type, name };
    rows.push(row);
    return row;
  };
  const city = add(null, 'city', '基准市总工会');
  for (let c = 0; c < 10; c++) {
    const county = add(city, 'county', `基准县${c}总工会`);
    for (let t = 0; t < 20; t++) {
      const town = add(county, 'town', `基准县${c}镇${t}总工会`);
      for (let v = 0; v < 12; v++) add(town, 'village', `基准县${c}镇${t}村${v}工会`);
      for (let e = 0; e < 85; e++) add(town, 'grassroots', `基准县${c}镇${t}企业${e}有限公司工会委员会`);
    }
  }
  for (let i = 0; i < rows.length; i += 1000)
    await database.db
      .insertInto('orgs')
      .values(rows.slice(i, i + 1000))
      .execute();
  await sql`select setval(pg_get_serial_sequence('orgs', 'id'), ${id})`.execute(database.db);
  await sql`analyze orgs`.execute(database.db);
  return rows;
}

async function scopeSuite() {
  const { database, cleanup } = await open();
  try {
    await migrateToLatest(database.db);
    const started = performance.now();
    const rows = await generateTree(database);
    log(`生成组织树：${rows.length} 个节点，${((performance.now() - started) / 1000).toFixed(1)} 秒（${database.kind}）`);
    const config = {
      secrets: { fieldEncryptionKey: '00'.repeat(16), fieldMacKey: '11'.repeat(32), blindIndexKey: '22'.repeat(32), tokenSigningKey: '33'.repeat(32) },
    } as Config;
    const deps = { config, database, clock: systemClock, crypto: createFieldCrypto(config.secrets), sms: new LogSmsProvider() };
    const audit = createAuditService({ db: database.db, clock: systemClock, key: '44'.repeat(32) });
    const orgs = createOrgsService({ ...deps, audit });
    const county = rows.find((r) => r.type === 'county')!;
    const actor = (path: string): StaffActor => ({
      type: 'staff',
      accountId: '1',
      username: 'bench',
      displayName: 'bench',
      orgId: '1',
      orgPath: path,
      permissions: new Set(['org:read', 'org:write']),
      sessionId: 'b',
    });
    const cityActor = actor('/1/');
    const countyActor = actor(county.path);
    const enterprises = rows.filter((r) => r.type === 'grassroots');
    const outside = enterprises.filter((r) => !r.path.startsWith(county.path));
    const meta = { ip: '127.0.0.1', requestId: 'bench', userAgent: null };

    // The scope predicate must be an index range scan, not a table scan.
    const town = rows.find((r) => r.type === 'town')!;
    const plan = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) select id from orgs where path like ${`${town.path}%`}`.execute(database.db);
    const planText = JSON.stringify(plan.rows[0]);
    const results = {
      database: database.kind,
      org_nodes: rows.length,
      scope_predicate_uses_index: /Index (Only )?Scan|Bitmap Index Scan/.test(planText),
      scoped_get_in_scope: await timed(500, (i) => orgs.get(countyActor, String(enterprises[i % 1700]!.id))),
      scoped_get_out_of_scope_404: await timed(500, (i) => orgs.get(countyActor, String(outside[i]!.id)).catch(() => null)),
      children_of_town: await timed(200, (i) => orgs.children(cityActor, String(rows.find((r) => r.type === 'town' && r.id > i)!.id))),
      search_by_name_city_scope: await timed(100, (i) => orgs.search(cityActor, { q: `企业${i % 85}有限`, page: 1, pageSize: 20 })),
      detail_with_subtree_count_county: await timed(100, () => orgs.get(cityActor, String(county.id))),
      move_town_subtree_98_nodes: await timed(20, async (i) => {
        const town = rows.filter((r) => r.type === 'town')[i]!;
        const target = rows.filter((r) => r.type === 'county')[(i % 9) + 1]!;
        const current = await orgs.get(cityActor, String(town.id));
        if (current.parentId === String(target.id)) return;
        await orgs.move(cityActor, meta, String(town.id), { newParentId: String(target.id), version: current.version });
      }),
      audit_append: await timed(500, (i) => audit.record({ actorType: 'system', action: 'bench.append', outcome: 'success', detail: { i } })),
    };
    return results;
  } finally {
    await cleanup();
  }
}

const suites: Record<string, () => Promise<unknown>> = {
  enterprises: () => enterprisesSuite(args, open),
  scope: scopeSuite,
  members: () => membersSuite(args),
  stats: () => membersSuite(args, { statsOnly: true }),
  enroll: () => enrollSuite(args),
  stations: () => stationsSuite(args, open),
  replica: () => replicaSuite(args),
};
if (!suites[suite]) {
  console.error(`未知的基准测试套件：${suite}（可用：${Object.keys(suites).join('、')}）`);
  process.exit(1);
}
const result = await suites[suite]!();
if (suite === 'members' || suite === 'stats') {
  // --json: exactly the target figures; details of the run go to stderr.
  const { _info, ...figures } = result as Record<string, unknown>;
  console.error(JSON.stringify(_info));
  if (json) console.log(JSON.stringify(figures));
  else
    console.table(
      Object.fromEntries(
        Object.entries(figures).flatMap(([k, v]) => (v && typeof v === 'object' ? Object.entries(v).map(([kk, vv]) => [`${k}.${kk}`, vv]) : [[k, v]])),
      ),
    );
} else if (suite === 'replica') {
  console.log(JSON.stringify(result, null, json ? undefined : 2));
} else if (suite === 'enroll') {
  if (json) console.log(JSON.stringify(result));
  else console.log(result);
} else if (json) console.log(JSON.stringify({ suite, ...(result as object) }));
else console.table(Object.fromEntries(Object.entries(result as Record<string, unknown>).filter(([, v]) => typeof v === 'object')));
process.exit(0);
