// npx tsx bench/members-export.ts [--rows 100000] [--full] [--explain]
// The roll export at scale: generates members with multi-row inserts, then downloads
// POST /api/members/export over real HTTP as the city's admin, reading the response as it
// streams, and reports the time and the peak RSS (process.memoryUsage().rss, sampled every
// 20 ms) next to the RSS before the export. Runs on PostgreSQL when DATABASE_URL is set (in a
// throwaway database), otherwise on an in-memory PGlite. --explain prints the plan of a middle page.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { createDeps } from '../server/src/bootstrap.js';
import { openDatabase, type Database } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { maskPhone } from '../server/src/platform/crypto.js';
import { maskIdNumber, residentIdCheckChar } from '../server/src/platform/validators.js';
import { ID_DOMAIN, PHONE_DOMAIN } from '../server/src/modules/members/members.service.js';
import { DEMO_PASSWORD, ensureBuiltinRoles, seedDemo } from '../server/src/seed/demo.js';
import { testConfig } from '../tests/support/test-app.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => (args.includes(name) ? (args[args.indexOf(name) + 1] ?? dflt) : dflt);
const ROWS = Number(arg('--rows', '100000'));
const FULL = args.includes('--full');
const mb = (n: number) => Math.round(n / 1024 / 1024);

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

/** Synthetic, clearly fake IDs: region 3299xx does not exist; unique for n < 99 × 36,500 × 1,000. */
function fakeId(n: number): string {
  const region = `3299${String(1 + (n % 99)).padStart(2, '0')}`;
  const day = new Date(Date.UTC(1970, 0, 1) + (Math.floor(n / 99) % 12000) * 86_400_000);
  const birth = day.toISOString().slice(0, 10).replace(/-/g, '');
  const body = `${region}${birth}${String(Math.floor(n / (99 * 12000)) % 1000).padStart(3, '0')}`;
  return body + residentIdCheckChar(body);
}

async function main() {
  const { database, cleanup } = await open();
  try {
    await migrateToLatest(database.db);
    await ensureBuiltinRoles(database.db);
    await seedDemo(database.db);
    const deps = createDeps(testConfig(), database);
    const orgs = await database.db.selectFrom('orgs').select(['id', 'path']).where('type', '=', 'grassroots').execute();
    const c = deps.crypto;
    const t0 = performance.now();
    const BATCH = 1000;
    for (let start = 0; start < ROWS; start += BATCH) {
      const people = [];
      for (let n = start; n < Math.min(ROWS, start + BATCH); n++) {
        const id = fakeId(n);
        const phone = `139${String(n).padStart(8, '0')}`;
        people.push({
          id_type: 'resident_id' as const,
          id_enc: c.encrypt(id),
          id_bidx: c.blindIndex(`resident_id:${id}`, ID_DOMAIN),
          id_last4: id.slice(-4),
          id_masked: maskIdNumber(id),
          name: `${'王李张刘陈杨赵黄周吴'[n % 10]}${'建国秀英志强海燕红梅'[(n * 7) % 10]}${n % 3 ? '' : '华'}`,
          name_initials: 'x',
          name_pinyin: 'x',
          sex: Number(id[16]) % 2 ? ('M' as const) : ('F' as const),
          birth_date: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
          phone_enc: c.encrypt(phone),
          phone_bidx: c.blindIndex(phone, PHONE_DOMAIN),
          phone_masked: maskPhone(phone),
          member_no: `32090026${String(n).padStart(7, '0')}`,
          ethnicity: null,
          education: null,
          political_status: null,
          hukou_type: null,
          hukou_region: null,
          emergency_contact_name: null,
          emergency_contact_phone_enc: null,
          emergency_contact_phone_masked: null,
          worker_id: null,
        });
      }
      const inserted = await database.db.insertInto('people').values(people).returning('id').execute();
      await database.db
        .insertInto('memberships')
        .values(
          inserted.map((p, i) => {
            const org = orgs[(start + i) % orgs.length]!;
            return {
              person_id: p.id,
              org_id: org.id,
              org_path: org.path,
              status: 'active' as const,
              employer_name: (start + i) % 50 === 0 ? '=HYPERLINK("http://x","y")' : `某某物流有限公司${(start + i) % 300}`,
              employment_form: 'truck_driver' as const,
              joined_on: '2026-03-01',
              source: 'import' as const,
              job_title: null,
              skill_grade: null,
              ended_on: null,
            };
          }),
        )
        .execute();
    }
    const { sql } = await import('kysely');
    await sql`analyze`.execute(database.db); // what autovacuum does after a bulk load
    const genMs = performance.now() - t0;
    if (args.includes('--explain')) {
      const mid = await database.db
        .selectFrom('memberships')
        .select(['id', 'org_path'])
        .orderBy('org_path')
        .orderBy('id')
        .offset(Math.floor(ROWS / 2))
        .limit(1)
        .executeTakeFirstOrThrow();
      const plan = await sql<{
        'QUERY PLAN': string;
      }>`explain analyze select m.id, m.org_id, m.status, p.name, p.id_masked from memberships m join people p on p.id = m.person_id where m.org_path like '/1/%' and (m.org_path, m.id) > (${mid.org_path}, ${mid.id}) order by m.org_path, m.id limit 2000`.execute(
        database.db,
      );
      console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }

    const { app } = await buildApp(deps, { serveWeb: false });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const login = await fetch(`${address}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'city_admin', password: DEMO_PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((s) => s.split(';')[0])
      .join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };

    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const file = `/tmp/gonghui-export-bench-${process.pid}.xlsx`;
    const t1 = performance.now();
    const res = await fetch(`${address}/api/members/export`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ filters: {}, full: FULL, ...(FULL && { reason: '基准测试' }) }),
    });
    if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file));
    const exportMs = performance.now() - t1;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    // Read it back (streaming) to check every row is there.
    let rows = 0;
    let escaped = 0;
    for await (const ws of new ExcelJS.stream.xlsx.WorkbookReader(file, {
      sharedStrings: 'cache',
      styles: 'ignore',
      hyperlinks: 'ignore',
      worksheets: 'emit',
    })) {
      for await (const row of ws) {
        rows++;
        if (String((row.values as unknown[])[10] ?? '').startsWith("'=")) escaped++;
      }
    }
    const size = (await import('node:fs')).statSync(file).size;
    await rm(file, { force: true });
    await app.close();
    console.log(
      JSON.stringify(
        {
          database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
          members: ROWS,
          full: FULL,
          generate_s: Number((genMs / 1000).toFixed(1)),
          export_s: Number((exportMs / 1000).toFixed(1)),
          rows_per_s: Math.round(ROWS / (exportMs / 1000)),
          file_mb: Number((size / 1024 / 1024).toFixed(1)),
          data_rows_in_file: rows - 1,
          escaped_cells: escaped,
          rss_before_mb: mb(before),
          rss_peak_mb: mb(peak),
          rss_growth_mb: mb(peak - before),
        },
        null,
        2,
      ),
    );
  } finally {
    await cleanup();
  }
}

await main();
