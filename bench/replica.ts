// `npm run bench -- --suite replica [--members N] [--runs R] [--json]` (issue 18 item 2, decision 038):
// a private primary cluster (bench/private-postgres.ts), the 盐城 tree with N generated members (default
// 200,000) imported through the import pipeline, then a real streaming replica — a second cluster on
// port 5433 (the next free one if taken) made by `pg_basebackup -R` from the primary. The API server
// (bench/members-server.ts, a child process) runs twice: on the primary alone, then with
// DATABASE_REPLICA_URL; each time the city's figures (overview, a five-year flow drill-down) and a county's
// roll export are timed over HTTP, and pg_stat_database of the app's database on both clusters (commits,
// rows returned) and the clusters' CPU show where the reads were served. Replication lag: the primary's
// pg_stat_replication.replay_lag, and the time until a row committed on the primary is visible on the
// standby (sampled while the figures run). Both clusters and their folders are removed at the end.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { createFieldCrypto } from '../server/src/platform/crypto.js';
import { PRODUCTION_PROCESS_ENV } from '../server/src/platform/production-env.js';
import { DEMO_PASSWORD, ensureBuiltinRoles, seedDemo } from '../server/src/seed/demo.js';
import { BENCH_SECRETS, pct } from './members-data.js';
import { importPhase } from './members-import.js';
import { cpuMsByPid, cpuMsSince, loadAverage } from './pg-info.js';
import { binDir, childrenOf, portFree, startPrivateCluster, type PrivateCluster } from './private-postgres.js';
import { statsSnapshot } from './stats.js';

const err = (...m: unknown[]) => console.error(...m);
const APP_DB = 'gonghui_bench';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

interface Standby {
  url: string;
  port: number;
  pids(): number[];
  destroy(): void;
}

/** `pg_basebackup -R` from the primary into a new folder, started as a hot standby on `preferredPort` (or the next free one). */
async function startStandby(primary: PrivateCluster, preferredPort = 5433): Promise<Standby> {
  const bin = binDir();
  let port = preferredPort;
  while (!(await portFree(port))) port++;
  const root = mkdtempSync(join(tmpdir(), 'gonghui-bench-replica-'));
  const dataDir = join(root, 'data');
  const sockets = join(root, 'sockets');
  mkdirSync(sockets);
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  for (const p of [root, sockets]) chownSync(p, uid, gid);
  // PostgreSQL refuses to run as root: every program runs as the postgres OS user.
  const asPostgres = (cmd: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: root }).toString();
  const postmasterPid = () => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const destroy = () => {
    try {
      if (existsSync(join(dataDir, 'postmaster.pid'))) asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    // initdb's pg_hba trusts replication connections from 127.0.0.1; -R writes standby.signal and primary_conninfo.
    asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast']);
    asPostgres('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      join(root, 'server.log'),
      '-w',
      '-t',
      '300',
      '-o',
      `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      pids() {
        try {
          const pm = postmasterPid();
          return [pm, ...childrenOf(pm)];
        } catch {
          return [];
        }
      },
      destroy,
    };
  } catch (e) {
    const log = join(root, 'server.log');
    const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    destroy();
    throw new Error(`只读副本启动失败：${(e as Error).message}\n${tail}`);
  }
}

interface Counters {
  xact_commit: number;
  tup_returned: number;
  tup_fetched: number;
}

async function counters(url: string): Promise<Counters> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // The counters are flushed by each backend at the end of its transactions (at most every second): read after a pause.
    const r = await c.query<Counters>(
      `select xact_commit::float8 as xact_commit, tup_returned::float8 as tup_returned, tup_fetched::float8 as tup_fetched
       from pg_stat_database where datname = $1`,
      [APP_DB],
    );
    return r.rows[0]!;
  } finally {
    await c.end();
  }
}
const delta = (a: Counters, b: Counters) => ({
  xact_commit: b.xact_commit - a.xact_commit,
  tup_returned: b.tup_returned - a.tup_returned,
  tup_fetched: b.tup_fetched - a.tup_fetched,
});

/** The API server as a child process (bench/members-server.ts); `replicaUrl` sets DATABASE_REPLICA_URL. */
async function startApp(primaryUrl: string, replicaUrl: string | null) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/members-server.ts'], {
    env: {
      ...PRODUCTION_PROCESS_ENV,
      ...process.env,
      DATABASE_URL: primaryUrl,
      DATABASE_REPLICA_URL: replicaUrl ?? '',
      BENCH_SECRETS: JSON.stringify(BENCH_SECRETS),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      const m = /listening (\d+)/.exec(b.toString());
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      const ended = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await ended;
    },
  };
}

async function login(base: string, username: string) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.1.${username.length}` },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

/** p95 of figures and of a county's roll export over HTTP (the first three requests of each warm plans and caches). */
async function measure(base: string, runs: number) {
  const city = await login(base, 'city_admin');
  const county = await login(base, 'county_admin');
  const year = new Date().getFullYear();
  const time = async (n: number, fn: () => Promise<Response>) => {
    const times: number[] = [];
    for (let i = 0; i < n + 3; i++) {
      const t = performance.now();
      const res = await fn();
      if (res.status !== 200) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      if (i >= 3) times.push(performance.now() - t);
    }
    return Number(pct(times, 0.95).toFixed(1));
  };
  const get = (path: string, cookie: string) => () => fetch(`${base}${path}`, { headers: { cookie } });
  let exportRows = 0;
  const figures = {
    overview_p95_ms: await time(runs, get(`/api/stats/overview?from=${year}-01-01`, city.cookie)),
    indicator_flow_5y_p95_ms: await time(runs, get(`/api/stats/indicators/members.joined?from=${year - 4}-01-01`, city.cookie)),
    cockpit_feed_p95_ms: await time(runs, get('/api/cockpit/feed', city.cookie)),
  };
  const exportP95 = await time(Math.max(3, Math.round(runs / 4)), async () => {
    const res = await fetch(`${base}/api/members/export`, {
      method: 'POST',
      headers: { cookie: county.cookie, 'x-csrf-token': county.csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    exportRows = Number(res.headers.get('x-row-count'));
    return res;
  });
  return { ...figures, county_export_p95_ms: exportP95, county_export_rows: exportRows };
}

/** Time from a commit acknowledged by the primary until the row is visible on the standby, sampled every 200 ms until stopped. */
function visibilityLag(primaryUrl: string, standbyUrl: string) {
  const samples: number[] = [];
  let running = true;
  const done = (async () => {
    const p = new pg.Client({ connectionString: primaryUrl });
    const s = new pg.Client({ connectionString: standbyUrl });
    await p.connect();
    await s.connect();
    try {
      for (let i = 1; running; i++) {
        await p.query('update bench_lag set n = $1', [i]);
        const t0 = performance.now(); // from the commit's acknowledgement to the row visible on the standby
        while ((await s.query<{ n: number }>('select n from bench_lag')).rows[0]?.n !== i) {
          await sleep(1);
          if (performance.now() - t0 > 30_000) throw new Error('副本 30 秒内未见主库的提交');
        }
        samples.push(performance.now() - t0);
        await sleep(200);
      }
    } finally {
      await p.end();
      await s.end();
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { samples: samples.length, p50_ms: samples.length ? pct(samples, 0.5) : null, p95_ms: samples.length ? pct(samples, 0.95) : null };
    },
  };
}

async function replayLagMs(primaryUrl: string) {
  const c = new pg.Client({ connectionString: primaryUrl });
  await c.connect();
  try {
    const r = await c.query<{ state: string; replay_lag_ms: number | null; bytes_behind: number }>(
      `select state, (extract(epoch from replay_lag) * 1000)::float8 as replay_lag_ms,
              pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 as bytes_behind
       from pg_stat_replication`,
    );
    return r.rows[0] ?? null;
  } finally {
    await c.end();
  }
}

export async function replicaSuite(args: string[]) {
  const N = args.includes('--members') ? Number(args[args.indexOf('--members') + 1]) : 200_000;
  const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 20;
  const loadAtStart = loadAverage();
  const primary = await startPrivateCluster(55432);
  let standby: Standby | null = null;
  let app: Awaited<ReturnType<typeof startApp>> | null = null;
  try {
    const admin = new pg.Client({ connectionString: primary.url });
    await admin.connect();
    await admin.query(`create database ${APP_DB}`);
    // The lag probe's own table, in the postgres database (replicated like every other): the app's schema stays as migrated.
    await admin.query('create table bench_lag (n int not null); insert into bench_lag values (0)');
    await admin.end();
    const appUrl = withDb(primary.url, APP_DB);
    const database = await openDatabase({ databaseUrl: appUrl, poolSize: 10 });
    try {
      await migrateToLatest(database.db);
      await ensureBuiltinRoles(database.db);
      const t0 = performance.now();
      const seeded = await seedDemo(database.db, { enterprises: 15000 });
      err(`演示组织树：${seeded.orgs} 个工会组织，${((performance.now() - t0) / 1000).toFixed(1)} 秒`);
      const enterprises = await database.db.selectFrom('orgs').select(['id', 'path', 'name']).where('type', '=', 'grassroots').orderBy('id').execute();
      await importPhase({ database, url: appUrl, N, crypto: createFieldCrypto(BENCH_SECRETS), enterprises });
      err(`指标快照：${await statsSnapshot(database)} 毫秒`);
    } finally {
      await database.close();
    }

    const t1 = performance.now();
    standby = await startStandby(primary, 5433);
    const basebackupMs = Math.round(performance.now() - t1);
    err(`只读副本：端口 ${standby.port}，pg_basebackup + 启动 ${(basebackupMs / 1000).toFixed(1)} 秒`);
    const standbyAppUrl = withDb(standby.url, APP_DB);

    const phase = async (replicaUrl: string | null) => {
      app = await startApp(appUrl, replicaUrl);
      await sleep(1500);
      const before = { primary: await counters(appUrl), standby: await counters(standbyAppUrl) };
      const cpuBefore = { primary: cpuMsByPid(primary.pids()), standby: cpuMsByPid(standby!.pids()) };
      const lag = visibilityLag(primary.url, standby!.url);
      const figures = await measure(app.base, runs);
      const visibility = await lag.stop();
      const replay = await replayLagMs(primary.url);
      const cpu = {
        primary_ms: Math.round(cpuMsSince(cpuBefore.primary, cpuMsByPid(primary.pids()))),
        standby_ms: Math.round(cpuMsSince(cpuBefore.standby, cpuMsByPid(standby!.pids()))),
      };
      await app.stop();
      app = null;
      await sleep(1500); // pg_stat_database is flushed by the backends as they end
      const after = { primary: await counters(appUrl), standby: await counters(standbyAppUrl) };
      return {
        ...figures,
        primary_db: delta(before.primary, after.primary),
        replica_db: delta(before.standby, after.standby),
        cluster_cpu: cpu,
        lag: { commit_visible_on_replica: visibility, pg_stat_replication: replay },
      };
    };
    const primaryOnly = await phase(null);
    const withReplica = await phase(standbyAppUrl);
    return {
      suite: 'replica',
      members: N,
      runs,
      primary_only: primaryOnly,
      with_replica: withReplica,
      replica_setup: { port: standby.port, pg_basebackup_and_start_ms: basebackupMs, version: primary.version },
      load_average: { start: loadAtStart, end: loadAverage() },
    };
  } finally {
    if (app) await (app as { stop(): Promise<void> }).stop().catch(() => {});
    standby?.destroy();
    primary.destroy();
  }
}
