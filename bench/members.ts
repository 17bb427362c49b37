// `npm run bench -- --suite members [--members N] [--job-rows M] [--json] [--keep] [--reuse <database>]`:
// the real 盐城 tree with 15,000 enterprise unions, N synthetic members (default 1,000,000) imported
// through the import pipeline (workers + COPY + merge, bench/members-import.ts), then the API measured
// over HTTP: roll search shapes and pages against the raw floor (bench/members-search.ts), worker joins
// (bench/members-join.ts), an import job of M rows (default min(N, 100,000)) uploaded as the console does,
// server memory; with the PostgreSQL settings and the load average.
// PostgreSQL when DATABASE_URL is set (a throwaway database; the server runs in a child process and
// its RSS is read from /proc), otherwise in-memory PGlite (server in-process; RSS is the whole bench
// process's). --keep keeps the database for reading query plans; --reuse measures a kept one again
// (no import, no joins). --phases stats,search,join,import_job picks the phases measured.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { openDatabase, type Database } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { createFieldCrypto } from '../server/src/platform/crypto.js';
import { PRODUCTION_PROCESS_ENV } from '../server/src/platform/production-env.js';
import { ensureBuiltinRoles, seedDemo, DEMO_PASSWORD } from '../server/src/seed/demo.js';
import { startServer } from './members-server.js';
import { BENCH_SECRETS } from './members-data.js';
import { importJobPhase, importPhase } from './members-import.js';
import { createWorkerSessions } from './members-workers.js';
import { joinPhase } from './members-join.js';
import { largestGrassroots, searchPhase } from './members-search.js';
import { backendPids, cpuMsByPid, cpuMsOf, loadAverage, postgresSettings } from './pg-info.js';
import { statsPhase, statsSnapshot } from './stats.js';

export { benchResidentId } from './members-data.js';

const err = (...m: unknown[]) => console.error(...m);

async function openBench(opts: { keep: boolean; reuse: string | null }): Promise<{ database: Database; url: string | null; cleanup: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { database: await openDatabase({ memory: true }), url: null, cleanup: async () => {} };
  if (opts.reuse && !/^gonghui_bench_[0-9a-f]{8}$/.test(opts.reuse))
    throw new Error(`--reuse 需要一个保留的基准数据库名（gonghui_bench_xxxxxxxx）：${opts.reuse}`);
  const name = opts.reuse ?? `gonghui_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  if (!opts.reuse) await admin.query(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 10 });
  return {
    database,
    url: u.toString(),
    cleanup: async () => {
      await database.close();
      // --keep (or BENCH_KEEP=1) keeps the generated database for looking at query plans afterwards.
      if (opts.keep || opts.reuse || process.env.BENCH_KEEP) console.error(`保留数据库 ${name}`);
      else await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

/** `--suite stats` is this suite with only the indicator phase after the import (no search, joins or import job). */
export async function membersSuite(args: string[], opts: { statsOnly?: boolean } = {}) {
  const N = args.includes('--members') ? Number(args[args.indexOf('--members') + 1]) : 1_000_000;
  const reuse = args.includes('--reuse') ? (args[args.indexOf('--reuse') + 1] ?? null) : null;
  const { database, url, cleanup } = await openBench({ keep: args.includes('--keep'), reuse });
  const db = database.db;
  let child: ChildProcess | null = null;
  const loadAtStart = loadAverage();
  try {
    const secrets = BENCH_SECRETS;
    const crypto = createFieldCrypto(secrets);
    await migrateToLatest(db);
    let importRate: number | null = null;
    let ratio: number | null = null;
    let SAMPLE = 0;
    let atSize: Awaited<ReturnType<typeof importPhase>>['atSize'] = null;
    if (!reuse) {
      await ensureBuiltinRoles(db);
      const t0 = performance.now();
      const seeded = await seedDemo(db, { enterprises: 15000 });
      err(`演示组织树：${seeded.orgs} 个工会组织，${((performance.now() - t0) / 1000).toFixed(1)} 秒（${database.kind}）`);
    }
    const enterprises = await db.selectFrom('orgs').select(['id', 'path', 'name']).where('type', '=', 'grassroots').orderBy('id').execute();
    const county = (await db.selectFrom('orgs').select(['id', 'path']).where('name', '=', '东台市总工会').executeTakeFirstOrThrow()).path;
    const city = (await db.selectFrom('orgs').select('path').where('type', '=', 'city').orderBy('id').executeTakeFirstOrThrow()).path;
    if (!reuse) ({ importRate, ratio, SAMPLE, atSize } = await importPhase({ database, url, N, crypto, enterprises }));
    const workerTokens = reuse ? [] : await createWorkerSessions(db, crypto);
    // The grassroots scope measured is the county's largest union: its admin account moves there.
    const grassroots = await largestGrassroots(db, county);
    await db.updateTable('staff_accounts').set({ org_id: grassroots.org_id }).where('username', '=', 'grassroots_admin').execute();

    // The indicator snapshot over the generated roll, before the server (whose start-up run then skips it).
    const snapshotMs = await statsSnapshot(database);
    err(`指标快照：${snapshotMs} 毫秒`);

    // ---- the server ----
    let port: number;
    let stop: () => Promise<void>;
    let rss: () => number;
    if (url) {
      // BENCH_PROF=dir writes a V8 CPU profile of the server there.
      const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
      // BENCH_SERVER_FLAGS: node flags for the server child only (e.g. V8 heap settings under test).
      const flags = process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? [];
      child = spawn(process.execPath, [...prof, ...flags, '--import', 'tsx', 'bench/members-server.ts'], {
        // The malloc and V8 settings production runs with (decisions 029, 040, 042): the server as it runs.
        env: { ...PRODUCTION_PROCESS_ENV, ...process.env, DATABASE_URL: url, BENCH_SECRETS: JSON.stringify(secrets) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      port = await new Promise<number>((resolve, reject) => {
        child!.stdout!.on('data', (b: Buffer) => {
          const m = /listening (\d+)/.exec(b.toString());
          if (m) resolve(Number(m[1]));
        });
        child!.on('exit', (code) => reject(new Error(`server exited ${code}`)));
      });
      const pid = child.pid!;
      rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
      stop = async () => {
        child!.kill('SIGTERM');
      };
    } else {
      const s = await startServer(database, secrets);
      port = s.port;
      rss = () => process.memoryUsage().rss / 1024 / 1024;
      stop = s.close;
    }
    let peakRss = rss();
    // Peak per phase too: which work holds the memory.
    let phase = 'start';
    const peakByPhase: Record<string, number> = {};
    const sample = () => {
      const r = rss();
      peakRss = Math.max(peakRss, r);
      peakByPhase[phase] = Math.round(Math.max(peakByPhase[phase] ?? 0, r));
    };
    sample();
    const sampler = setInterval(sample, 100);
    const base = `http://127.0.0.1:${port}`;

    const login = async (username: string) => {
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.0.${username.length}` },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      return res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    };
    const cookies = {
      leader: await login('leader'),
      city: await login('city_admin'),
      county: await login('county_admin'),
      grassroots: await login('grassroots_admin'),
    };
    // --phases join,search,… runs only those phases (for profiling one of them); all by default.
    const only = args.includes('--phases') ? (args[args.indexOf('--phases') + 1] ?? '').split(',') : null;
    const runs = (p: string) => !only || only.includes(p);
    phase = 'stats';
    const st =
      runs('stats') || opts.statsOnly ? await statsPhase({ base, leaderCookie: cookies.leader, cityCookie: cookies.city, countyCookie: cookies.county }) : {};
    if (opts.statsOnly) {
      clearInterval(sampler);
      await stop();
      child = null;
      return {
        ...st,
        snapshot_job_ms: snapshotMs,
        peak_rss_mb: Math.round(peakRss),
        postgres: database.kind === 'postgres' ? await postgresSettings(db) : null,
        load_average: { start: loadAtStart, end: loadAverage() },
        _info: { database: database.kind, members: N },
      };
    }
    phase = 'search';
    const s = runs('search')
      ? await searchPhase({ db, url, N, port, crypto, cookies, paths: { city, county, grassroots: grassroots.path } })
      : { search: null, rps: null, vsRaw: null, rawRps: null, listP95: null, hits: null, listByShape: null };
    phase = 'join';
    const serverPid = child?.pid;
    const cpu = serverPid ? { server: () => cpuMsOf([serverPid]), postgres: async () => cpuMsByPid(await backendPids(db)) } : undefined;
    const join = reuse || !runs('join') ? null : await joinPhase(base, workerTokens, enterprises, county, cpu);
    const joinRate = join?.joinRate ?? null;
    // The import as a console user runs it (CSV upload → job → poll), last: it adds its rows to one union.
    const jobRows = args.includes('--job-rows') ? Number(args[args.indexOf('--job-rows') + 1]) : Math.min(N, 100_000);
    const jobUnion = enterprises.find((o) => o.path.startsWith(county))!;
    phase = 'import_job';
    const job = reuse || jobRows <= 0 || !runs('import_job') ? null : await importJobPhase({ base, orgId: String(jobUnion.id), rows: jobRows });
    clearInterval(sampler);
    sample();
    await stop();
    child = null;

    return {
      import_rows_per_s: importRate,
      import_vs_copy_ratio: ratio,
      import_vs_copy_at_size_ratio: atSize?.ratio ?? null,
      import_job_rows_per_s: job?.jobRate ?? null,
      search_p95_ms: s.search,
      search_rps: s.rps,
      search_vs_raw: s.vsRaw,
      search_raw_rps: s.rawRps,
      list_p95_ms: s.listP95,
      ...st,
      snapshot_job_ms: snapshotMs,
      join_req_per_s: joinRate,
      peak_rss_mb: Math.round(peakRss),
      postgres: database.kind === 'postgres' ? await postgresSettings(db) : null,
      load_average: { start: loadAtStart, end: loadAverage() },
      _info: {
        database: database.kind,
        members: N,
        copy_sample_rows: SAMPLE,
        import_tail_rows_per_s: atSize?.tailRate ?? null,
        copy_at_size_rows_per_s: atSize?.copyRate ?? null,
        copy_at_size_two_sessions_rows_per_s: atSize?.floors.twoSessions ?? null,
        copy_at_size_keys_only_rows_per_s: atSize?.floors.keysOnly ?? null,
        copy_at_size_read_indexes: atSize?.floors.readIndexes.length ?? null,
        copy_at_size_rows: atSize?.rows ?? null,
        import_job_rows: jobRows,
        search_hits_capped: s.hits,
        peak_rss_by_phase_mb: peakByPhase,
        list_p95_by_shape_ms: s.listByShape,
        grassroots_members: grassroots.n,
        join_cpu_ms_per_submission: join?.cpuMsPerJoin ?? null,
        rss_source: url ? 'server child process (/proc VmRSS)' : 'bench process (in-process server)',
      },
    };
  } finally {
    child?.kill('SIGTERM');
    await cleanup();
  }
}
