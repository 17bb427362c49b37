// The members bench's IMPORT phases (issue 10 item 4, decision 013).
//
// importPhase: N synthetic members (bench/members-data.ts) loaded through the import pipeline
//   directly — CSV chunks prepared in the worker threads (validation, SM4, HMAC-SM3 blind indexes,
//   pinyin), COPY into the staging table, one set-based merge per chunk — spread over the tree's
//   enterprise unions as before: `import_rows_per_s`. Then the same first rows, prepared beforehand,
//   by plain COPY into same-shaped tables (PostgreSQL only): `import_vs_copy_ratio` = the pipeline's
//   time for those rows / COPY's.
// importJobPhase: new members uploaded as .csv files over HTTP the way the console does (each file
//   under the 20 MB upload limit, so 1,000,000 rows are several jobs), polled to completion:
//   `import_job_rows_per_s` from the first upload to the last job done.
//
// On its own (a throwaway database, dropped afterwards):
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/members-import.ts --members 200000 [--job-rows 200000] [--json]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { chinaDay } from '../server/src/platform/china-time.js';
import { createFieldCrypto, type FieldCrypto, type FieldSecrets } from '../server/src/platform/crypto.js';
import { EMPLOYMENT_FORMS } from '../server/src/modules/members/members.schema.js';
import { createPreparePool } from '../server/src/modules/imports/imports.pool.js';
import { preparedLine, stageTarget, type PreparedChunk, type PrepareTask } from '../server/src/modules/imports/imports.prepare.js';
import { IMPORT_COLUMNS, type ImportField } from '../server/src/modules/imports/imports.schema.js';
import { openStageSession } from '../server/src/modules/imports/imports.stage.js';
import { importsStageRepository } from '../server/src/modules/imports/imports.stage.repository.js';
import { ensureBuiltinRoles, seedDemo, DEMO_PASSWORD } from '../server/src/seed/demo.js';
import { BENCH_SECRETS, mulberry32, rawMember } from './members-data.js';
import { copyAtSize, copyBaseline, copyBreakdown, type CopyAtSize } from './members-copy.js';
import { loadAverage } from './pg-info.js';

const err = (...m: unknown[]) => console.error(...m);

type Org = { id: string; path: string; name: string };

// ---- generated rows as the console's CSV ----

const CSV_HEADERS = ['姓名', '证件号码', '手机号', '工作单位', '就业形态', '是否农民工', '入会日期'];
const FORM_LABEL = EMPLOYMENT_FORMS as Record<string, string>;

function csvLine(r: ReturnType<typeof rawMember>, employer: string) {
  return `${r.person.name},${r.person.idNumber},${r.person.phone},${employer},${FORM_LABEL[r.employment.employmentForm!]},${r.employment.isMigrantWorker ? '是' : '否'},${r.joined}`;
}

const employerOf = (org: Org) => org.name.replace(/工会委员会$/, '');

const idxOf = (headers: string[]) => Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.field, headers.indexOf(c.header)])) as Record<ImportField, number>;

// ---- (a) the pipeline directly, spread over the tree ----

/**
 * Loads N generated members through the import pipeline; `enterprises` are the unions they join
 * (skewed: a few large unions, many small). Returns rows/s, the import/COPY ratio (PostgreSQL) and
 * how many first rows the ratio compares.
 */
/** The import's last rows beside COPY at the same size (decisions 041, 043). */
export type AtSize = { tailRate: number; copyRate: number; ratio: number; rows: number; floors: CopyAtSize };

export async function importPhase(ctx: {
  database: Database;
  url: string | null;
  N: number;
  crypto: FieldCrypto;
  enterprises: Org[];
  secrets?: FieldSecrets;
}): Promise<{
  importRate: number;
  ratio: number | null;
  SAMPLE: number;
  copyRate: number | null;
  atSize: AtSize | null;
}> {
  const { database, url, N, crypto, enterprises } = ctx;
  const db = database.db;
  const SAMPLE = Math.min(N, 100_000);
  const CHUNK = 5000;
  const orgOf = (n: number) => enterprises[Math.floor(enterprises.length * Math.pow(((n * 2654435761) % 4294967296) / 4294967296, 1.6))]!;
  // Each union's county 行政区划 code, for the member numbers (as orgs.forMembership finds it).
  const { rows: codes } = await sql<{ id: string; code: string | null }>`
    select o.id, (select a.division_code from orgs a
      where a.id = any(string_to_array(trim(both '/' from o.path), '/')::bigint[]) and a.division_code is not null
      order by a.depth desc limit 1) as code
    from orgs o where o.type = 'grassroots'`.execute(db);
  const divisions = new Map(codes.map((r) => [String(r.id), r.code]));
  const idx = idxOf(CSV_HEADERS);
  const today = chinaDay(new Date());
  const pool = createPreparePool(ctx.secrets ?? BENCH_SECRETS);
  const session = await openStageSession(database);
  if (process.env.BENCH_EXPLAIN) {
    await sql`load 'auto_explain'`.execute(session.db);
    await sql`set auto_explain.log_min_duration = 500`.execute(session.db);
    await sql`set auto_explain.log_analyze = on`.execute(session.db);
    await sql`set auto_explain.log_buffers = on`.execute(session.db);
  }
  const rand = mulberry32(42);
  const actor = { type: 'import' as const, id: null, name: '基准测试导入' };
  let next = 0;
  const chunk = (): PrepareTask | null => {
    if (next >= N) return null;
    const from = next;
    next = Math.min(N, next + CHUNK);
    const lines: string[] = [];
    for (let n = from; n < next; n++) lines.push(csvLine(rawMember(n, rand), employerOf(orgOf(n))));
    // Row "numbers" are the generator's n: the union of each row is orgOf(n).
    return {
      source: { kind: 'csv', text: `${lines.join('\n')}\n`, rowNos: Int32Array.from({ length: next - from }, (_, k) => from + k), delimiter: '\n' },
      headerCount: CSV_HEADERS.length,
      idx,
      today,
    };
  };
  let done = 0;
  let timeAtSample = 0;
  // The last rows, loaded into tables nearly at their final size (compared with COPY at that size).
  const TAIL = Math.min(SAMPLE, Math.max(0, N - SAMPLE));
  let timeAtTail = 0;
  // Where the time goes: waiting for prepared chunks, staging them, staging + merging them.
  let waitMs = 0;
  let copyMs = 0;
  let mergeMs = 0;
  const t0 = performance.now();
  let lastLog = t0;
  try {
    const pending: Promise<PreparedChunk>[] = [];
    const fill = () => {
      while (pending.length < pool.size + 1) {
        const task = chunk();
        if (!task) break;
        const p = pool.run(task);
        p.catch(() => undefined);
        pending.push(p);
      }
    };
    fill();
    while (pending.length) {
      const w0 = performance.now();
      const prepared = await pending.shift()!;
      waitMs += performance.now() - w0;
      fill();
      if (prepared.bad.length) throw new Error(`generated row refused: ${JSON.stringify(prepared.bad[0])}`);
      // Each row joins its own union: the target columns per line.
      const lines = prepared.good.rowNos.map((n, k) => {
        const org = orgOf(n);
        return Buffer.concat([
          preparedLine(prepared.good, k),
          Buffer.from(`${stageTarget({ orgId: String(org.id), orgPath: org.path, divisionCode: divisions.get(String(org.id)) ?? null })}\n`),
        ]);
      });
      const m0 = performance.now();
      await session.db.transaction().execute(async (trx) => {
        await session.load(trx, [Buffer.concat(lines)]);
        copyMs += performance.now() - m0;
        const at = new Date();
        const merged = await importsStageRepository.merge(trx, { actor, year: chinaDay(at).slice(2, 4), at });
        const refused = merged.find((m) => m.outcome !== 'summary');
        if (refused) throw new Error(`merge refused a row: ${JSON.stringify(refused)}`);
      });
      mergeMs += performance.now() - m0;
      if (TAIL && !timeAtTail && done >= N - TAIL) timeAtTail = performance.now() - t0;
      done += lines.length;
      if (!timeAtSample && done >= SAMPLE) timeAtSample = performance.now() - t0;
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        err(`  已导入 ${done}（${Math.round(done / ((lastLog - t0) / 1000))} 行/秒）`);
      }
    }
  } finally {
    await session.close();
    await pool.close();
  }
  const importMs = performance.now() - t0;
  const importRate = Math.round(N / (importMs / 1000));
  err(
    `导入 ${N} 名会员：${(importMs / 1000).toFixed(1)} 秒，${importRate} 行/秒；前 ${SAMPLE} 行 ${(timeAtSample / 1000).toFixed(1)} 秒（等待准备 ${(waitMs / 1000).toFixed(1)} 秒，暂存 ${(copyMs / 1000).toFixed(1)} 秒，暂存+合并 ${(mergeMs / 1000).toFixed(1)} 秒；load ${loadAverage()}）`,
  );
  // COPY at the loaded size, before the vacuum (which then removes its rolled-back rows).
  let atSize: AtSize | null = null;
  if (database.kind === 'postgres' && TAIL >= CHUNK) {
    const tailRows = N - Math.floor((N - TAIL) / CHUNK) * CHUNK;
    const tailRate = Math.round(tailRows / ((importMs - timeAtTail) / 1000));
    const rows = Math.min(TAIL, 50_000);
    const floors = await copyAtSize(url!, crypto, rows, orgOf);
    const copyRate = floors.oneSession;
    atSize = { tailRate, copyRate, ratio: Number((copyRate / tailRate).toFixed(2)), rows, floors };
    err(
      `最后 ${tailRows} 行 ${tailRate} 行/秒；同样规模下 COPY ${rows} 行到真实的表（回滚）：一个会话 ${copyRate} 行/秒，两个会话同时 ${floors.twoSessions} 行/秒，` +
        `只留键（去掉 ${floors.readIndexes.length} 个查询用索引）${floors.keysOnly} 行/秒；导入/COPY（同规模）= ${atSize.ratio}`,
    );
    if (process.env.BENCH_COPY_BREAKDOWN)
      for (const b of await copyBreakdown(url!, crypto, rows, orgOf)) err(`  COPY ${b.name}：${b.rows_per_s} 行/秒，WAL ${b.wal_bytes_per_row} 字节/行`);
  }
  // What autovacuum does after a bulk load anyway (visibility map for index-only scans).
  await sql`vacuum analyze people`.execute(db);
  await sql`vacuum analyze memberships`.execute(db);
  await sql`analyze`.execute(db);

  // ---- COPY of the same prepared rows (the first SAMPLE rows) into same-shaped tables ----
  let ratio: number | null = null;
  let copyRate: number | null = null;
  if (database.kind === 'postgres') {
    const copyMs = await copyBaseline(url!, crypto, SAMPLE, orgOf);
    ratio = Number((timeAtSample / copyMs).toFixed(2));
    copyRate = Math.round(SAMPLE / (copyMs / 1000));
    err(`COPY ${SAMPLE} 行（people + memberships + events）：${(copyMs / 1000).toFixed(2)} 秒；导入/COPY = ${ratio}`);
  }
  return { importRate, ratio, SAMPLE, copyRate, atSize };
}

// ---- (b) import jobs over HTTP, as the console uploads them ----

/** Largest upload the server takes (platform/spreadsheet.ts), with some room. */
const FILE_BYTES = 19 * 1024 * 1024;

/**
 * Uploads `rows` new members (generator numbers from `firstN`, clear of the loaded roll) into the
 * union `orgId` as .csv files of at most 19 MB, as `username`, one job per file (the server runs
 * them one after another), and polls the jobs to completion. Rows/s from the first upload to the
 * last job done.
 */
export async function importJobPhase(opts: {
  base: string;
  orgId: string;
  rows: number;
  firstN?: number;
  username?: string;
  password?: string;
}): Promise<{ jobRate: number; jobs: number; seconds: number }> {
  const { base, orgId, rows } = opts;
  const firstN = opts.firstN ?? 600_000_000;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' },
    body: JSON.stringify({ username: opts.username ?? 'county_admin', password: opts.password ?? DEMO_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };

  // The files, built before the clock starts (the console's user has them on disk).
  const rand = mulberry32(7);
  const files: Buffer[] = [];
  let lines: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (lines.length) files.push(Buffer.from(`\uFEFF${CSV_HEADERS.join(',')}\r\n${lines.join('\r\n')}\r\n`, 'utf8'));
    lines = [];
    bytes = 0;
  };
  for (let i = 0; i < rows; i++) {
    const line = csvLine(rawMember(firstN + i, rand), '盐城某物流有限公司');
    const size = Buffer.byteLength(line) + 2;
    if (bytes + size > FILE_BYTES - 4096) flush();
    lines.push(line);
    bytes += size;
  }
  flush();

  const t0 = performance.now();
  const ids: string[] = [];
  for (const [k, file] of files.entries()) {
    const res = await fetch(`${base}/api/members/import?orgId=${orgId}&fileName=${encodeURIComponent(`基准名单-${k + 1}.csv`)}`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(file),
    });
    const body = (await res.json()) as { jobId?: string };
    if (res.status !== 200 || !body.jobId) throw new Error(`upload ${k + 1}: ${res.status} ${JSON.stringify(body)}`);
    ids.push(body.jobId);
  }
  let lastLog = t0;
  for (const id of ids) {
    for (;;) {
      const job = (await (await fetch(`${base}/api/import-jobs/${id}`, { headers: { cookie } })).json()) as {
        status: string;
        processed: number;
        total: number | null;
        added: number;
        failed: number;
        message: string | null;
      };
      if (job.status === 'failed') throw new Error(`import job ${id} failed: ${job.message}`);
      if (job.status === 'done') {
        if (job.failed) throw new Error(`import job ${id}: ${job.failed} rows refused`);
        break;
      }
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        err(`  导入任务 ${id}：${job.processed}/${job.total ?? '?'}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const jobRate = Math.round(rows / seconds);
  err(`导入任务（HTTP）：${rows} 行，${files.length} 个文件，${seconds.toFixed(1)} 秒，${jobRate} 行/秒（load ${loadAverage()}）`);
  return { jobRate, jobs: files.length, seconds: Number(seconds.toFixed(1)) };
}

// ---- on its own ----

async function standalone(args: string[]) {
  const N = args.includes('--members') ? Number(args[args.indexOf('--members') + 1]) : 200_000;
  const jobRows = args.includes('--job-rows') ? Number(args[args.indexOf('--job-rows') + 1]) : N;
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is required (a throwaway database is created beside it)');
  const name = `gonghui_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const database = await openDatabase({ databaseUrl: url, poolSize: 10 });
  const load = [loadAverage()];
  let child: ReturnType<typeof spawn> | null = null;
  try {
    await migrateToLatest(database.db);
    await ensureBuiltinRoles(database.db);
    await seedDemo(database.db, { enterprises: 15000 });
    const enterprises = await database.db.selectFrom('orgs').select(['id', 'path', 'name']).where('type', '=', 'grassroots').orderBy('id').execute();
    const crypto = createFieldCrypto(BENCH_SECRETS);
    const direct = N > 0 ? await importPhase({ database, url, N, crypto, enterprises }) : null;
    load.push(loadAverage());
    let job: Awaited<ReturnType<typeof importJobPhase>> | null = null;
    if (jobRows > 0) {
      const target = await database.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow();
      child = spawn(process.execPath, ['--import', 'tsx', 'bench/members-server.ts'], {
        env: { ...process.env, DATABASE_URL: url, BENCH_SECRETS: JSON.stringify(BENCH_SECRETS) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const port = await new Promise<number>((resolve, reject) => {
        child!.stdout!.on('data', (b: Buffer) => {
          const m = /listening (\d+)/.exec(b.toString());
          if (m) resolve(Number(m[1]));
        });
        child!.on('exit', (code) => reject(new Error(`server exited ${code}`)));
      });
      job = await importJobPhase({ base: `http://127.0.0.1:${port}`, orgId: target.org_id, rows: jobRows });
      load.push(loadAverage());
    }
    const out = {
      import_rows_per_s: direct?.importRate ?? null,
      import_job_rows_per_s: job?.jobRate ?? null,
      import_vs_copy_ratio: direct?.ratio ?? null,
      import_vs_copy_at_size_ratio: direct?.atSize?.ratio ?? null,
      _info: {
        members: N,
        job_rows: jobRows,
        job_files: job?.jobs ?? null,
        copy_rows_per_s: direct?.copyRate ?? null,
        copy_sample_rows: direct?.SAMPLE ?? null,
        import_tail_rows_per_s: direct?.atSize?.tailRate ?? null,
        copy_at_size_rows_per_s: direct?.atSize?.copyRate ?? null,
        copy_at_size_two_sessions_rows_per_s: direct?.atSize?.floors.twoSessions ?? null,
        copy_at_size_keys_only_rows_per_s: direct?.atSize?.floors.keysOnly ?? null,
        load_average: load,
      },
    };
    console.log(JSON.stringify(out, null, args.includes('--json') ? 0 : 2));
  } finally {
    child?.kill('SIGTERM');
    await database.close();
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await standalone(process.argv.slice(2));
