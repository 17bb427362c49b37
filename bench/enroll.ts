// npm run bench -- --suite enroll [--json] [--members 20000] [--places 10000] [--concurrency 100] [--pool 20]
//                                  [--crash-at N | --no-crash] [--crash-kill-all] [--pg-port 55432] [--unix-socket] [--no-raw]
// The opening-minute rush: an activity with 10,000 places opens and 20,000 distinct members enroll
// over HTTP (keep-alive, `concurrency` connections) against the real server in a child process.
// Everything runs on a PRIVATE PostgreSQL cluster (bench/private-postgres.ts: initdb, default
// settings — synchronous_commit on, fsync on — own port, removed afterwards), never on the shared
// server the tests use. Two runs:
//  1. the rush: throughput, latency, oversold places and duplicate enrollments counted from the database;
//  1b. the raw floor (bench/enroll-raw.ts): the same members rush a third activity through a bare
//     node:http + pg server sending the same SQL; `enroll_vs_raw` = project / floor;
//  2. the crash run: the same members rush a second activity and PostgreSQL is killed (`kill -9` of
//     the postmaster) after `--crash-at` answers (default 60 % of the requests), restarted (crash
//     recovery), and every enrollment the server acknowledged (2xx enrolled / waitlisted) is looked
//     up: `acknowledged_lost` counts those missing or changed (must be 0).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import type { DB } from '../server/src/db/schema.js';
import { createAuditService } from '../server/src/modules/audit/audit.service.js';
import { admitMany, validateMemberRow, type BulkAdmitRow } from '../server/src/modules/members/members.bulk.js';
import { systemClock } from '../server/src/platform/clock.js';
import { createFieldCrypto, maskPhone, sm3 } from '../server/src/platform/crypto.js';
import { residentIdCheckChar } from '../server/src/platform/validators.js';
import { ensureBuiltinRoles, seedDemo } from '../server/src/seed/demo.js';
import { byStatus, quantiles, rush, type Answer } from './enroll-rush.js';
import { BENCH_SECRETS } from './members-data.js';
import { startServer } from './members-server.js';
import { startPrivateCluster, type PrivateCluster } from './private-postgres.js';

const err = (...m: unknown[]) => console.error(...m);
const load1m = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

function residentId(n: number): string {
  // region 3299xx does not exist: never a real person's number
  const body = `3299${String(1 + (Math.floor(n / 1000) % 99)).padStart(2, '0')}${1970 + (n % 30)}0101${String(n % 1000).padStart(3, '0')}`;
  return body + residentIdCheckChar(body);
}

const GIVEN = '建国秀英志强海燕红梅国华丽娟明伟芳军一二三四五六七八九十';
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const nameOf = (n: number) => `${SURNAMES[n % 20]}${GIVEN[Math.floor(n / 20) % GIVEN.length]}${GIVEN[Math.floor(n / 600) % GIVEN.length]}`;
const secrets = BENCH_SECRETS;

/** `count` members, each with a worker and a live H5 session, straight into the database. */
async function seedMembers(db: Kysely<DB>, count: number) {
  const crypto = createFieldCrypto(secrets);
  await seedDemo(db, { enterprises: 300 });
  const enterprises = await db.selectFrom('orgs').select(['id']).where('type', '=', 'grassroots').orderBy('id').execute();
  const tokens: { token: string; csrf: string }[] = [];
  const BATCH = 2000;
  for (let i = 0; i < count; i += BATCH) {
    const ns = Array.from({ length: Math.min(BATCH, count - i) }, (_, k) => i + k);
    const phones = ns.map((n) => `19${String(n).padStart(9, '0')}`);
    const workers = await sql<{ id: string }>`
      insert into workers (phone_enc, phone_bidx, phone_masked)
      select * from unnest(${phones.map((p) => crypto.encrypt(p))}::text[], ${phones.map((p) => crypto.blindIndex(p, 'phone'))}::text[],
        ${phones.map(maskPhone)}::text[]) returning id::text`.execute(db);
    const rows: BulkAdmitRow[] = ns.map((n, k) => {
      const v = validateMemberRow({ person: { idType: 'resident_id', idNumber: residentId(n), name: nameOf(n), phone: phones[k] }, employment: {} });
      if (!v.ok) throw new Error(`row ${n}: ${JSON.stringify(v.fields)}`);
      return { ...v.value, orgId: String(enterprises[n % enterprises.length]!.id), workerId: workers.rows[k]!.id };
    });
    const out = await db
      .transaction()
      .execute((trx) => admitMany(trx, { crypto, clock: systemClock }, rows, { source: 'import', actor: { type: 'import', id: null, name: '基准测试' } }));
    const bad = out.find((o) => !o.ok);
    if (bad) throw new Error(`admit refused: ${JSON.stringify(bad)}`);
    const toks = workers.rows.map(() => ({ token: randomBytes(32).toString('base64url'), csrf: randomBytes(24).toString('base64url') }));
    const at = new Date();
    const exp = new Date(at.getTime() + 86400_000);
    await sql`
      insert into sessions (id, subject_type, worker_id, csrf_token, created_at, last_seen_at, expires_at)
      select s, 'worker', w, c, ${at}::timestamptz, ${at}::timestamptz, ${exp}::timestamptz
      from unnest(${toks.map((t) => sm3(`session:${t.token}`))}::text[], ${workers.rows.map((w) => w.id)}::int8[], ${toks.map((t) => t.csrf)}::text[]) as x(s, w, c)`.execute(
      db,
    );
    tokens.push(...toks);
  }
  return tokens;
}

/** A published fcfs activity of the city union, open now, one batch of `places` general places. */
async function createActivity(db: Kysely<DB>, title: string, places: number) {
  const city = await db.selectFrom('orgs').select(['id', 'path']).where('type', '=', 'city').executeTakeFirstOrThrow();
  const now = new Date();
  const act = await db
    .insertInto('activities')
    .values({
      org_id: city.id,
      org_path: city.path,
      type: 'recuperation',
      title,
      description: '',
      locations: '[]',
      starts_on: null,
      ends_on: null,
      cost_per_person: '500.00',
      budget: '5000000.00',
      eligibility: '{}',
      enrollment_mode: 'fcfs',
      opens_at: now,
      closes_at: new Date(now.getTime() + 3600_000),
      cancel_deadline: null,
      contact_name: null,
      contact_phone: null,
      settings: '{}',
      status: 'published',
      published_at: now,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const batch = await db
    .insertInto('activity_batches')
    .values({ activity_id: act.id, title: '第一批', location: null, starts_on: null, ends_on: null, places_general: places, lottery_places: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`vacuum analyze`.execute(db);
  return { activityId: String(act.id), batchId: String(batch.id) };
}

/** The API server as a child process (its own CPU accounting). BENCH_PROF=dir writes a V8 CPU profile there. */
async function startServerChild(url: string, pool: number, script = 'bench/enroll.ts') {
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', script], {
    env: { ...process.env, DATABASE_URL: url, BENCH_SECRETS: JSON.stringify(secrets), BENCH_POOL: String(pool) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      const m = /listening (\d+)/.exec(b.toString());
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, port };
}

async function stopChild(child: ChildProcess | null) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * CPU (user + system, ms) of the given processes. The first may count its ended children too
 * (`withEndedChildrenOfFirst`: the postmaster, whose backends and autovacuum workers come and go —
 * a process that ended between two readings would otherwise take its CPU with it).
 */
function cpuMsOf(pids: number[], withEndedChildrenOfFirst = false) {
  let total = 0;
  for (const [i, pid] of pids.entries()) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += ((Number(f[11]) + Number(f[12]) + (i === 0 && withEndedChildrenOfFirst ? Number(f[13]) + Number(f[14]) : 0)) * 1000) / 100;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

const count = async (db: Kysely<DB>, activityId: string, status: 'enrolled' | 'waitlisted') =>
  Number(
    (
      await db
        .selectFrom('activity_enrollments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('activity_id', '=', activityId)
        .where('status', '=', status)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Oversold places, duplicate live enrollments and the counters, from the database. */
async function tally(db: Kysely<DB>, activityId: string, places: number) {
  const enrolled = await count(db, activityId, 'enrolled');
  const waitlisted = await count(db, activityId, 'waitlisted');
  const dup = await sql<{ n: string }>`
    select count(*)::text as n from (
      select person_id from activity_enrollments where activity_id = ${activityId} and status in ('pending','enrolled','waitlisted','attended','no_show')
      group by person_id having count(*) > 1) d`.execute(db);
  const taken = (await db.selectFrom('activity_batches').select(['taken_general']).where('activity_id', '=', activityId).executeTakeFirstOrThrow())
    .taken_general;
  return { oversold: Math.max(0, enrolled - places, taken - places), duplicates: Number(dup.rows[0]!.n), enrolled, waitlisted, taken };
}

/** WAL flushes so far (pg_stat_wal): fewer flushes than enrollments shows group commit at work. */
async function walCounters(db: Kysely<DB>) {
  // backends report their statistics when idle, at most once a second
  await new Promise((r) => setTimeout(r, 1200));
  const { rows } = await sql<{ wal_sync: string }>`select wal_sync::text from pg_stat_wal`.execute(db);
  return { walSync: Number(rows[0]!.wal_sync) };
}

async function pgSettings(db: Kysely<DB>) {
  const names = ['synchronous_commit', 'fsync', 'shared_buffers', 'wal_sync_method', 'commit_delay', 'commit_siblings', 'wal_writer_delay', 'max_connections'];
  const { rows } = await sql<{ name: string; value: string }>`
    select name, current_setting(name) as value from pg_settings where name = any(${names}::text[]) order by name`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}

/**
 * Every acknowledged enrollment (2xx, enrolled / waitlisted) must exist after the restart with the
 * status it was answered with; a waitlist position answered must be within the durable waitlist count.
 */
async function acknowledgedLost(db: Kysely<DB>, acked: Answer[], activityId: string, batchId: string) {
  const rows = await db.selectFrom('activity_enrollments').select(['id', 'status']).where('activity_id', '=', activityId).execute();
  const status = new Map(rows.map((r) => [String(r.id), r.status as string]));
  const wl = await db.selectFrom('activity_batch_waitlists').select('waitlisted').where('batch_id', '=', batchId).executeTakeFirst();
  const durableWaitlist = Number(wl?.waitlisted ?? 0);
  let lost = 0;
  for (const a of acked) {
    const s = status.get(a.id!);
    if (s !== a.result) lost++;
    else if (a.result === 'waitlisted' && (a.position == null || a.position > durableWaitlist)) lost++;
  }
  const positions = acked.filter((a) => a.result === 'waitlisted').map((a) => a.position);
  const ackedIds = new Set(acked.map((a) => a.id));
  return {
    lost,
    duplicatePositions: positions.length - new Set(positions).size,
    durableWaitlist,
    committedNotAcknowledged: rows.filter((r) => !ackedIds.has(String(r.id))).length,
  };
}

/** The statements that took PostgreSQL's time during the rush (BENCH_PG_STATS=1). */
async function printStatementStats(db: Kysely<DB>) {
  const { rows } = await sql<Record<string, unknown>>`
    select calls, round(total_exec_time::numeric, 0) as exec_ms, round(total_plan_time::numeric, 0) as plan_ms, rows,
      left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as query
    from pg_stat_statements order by total_exec_time + total_plan_time desc limit 15`.execute(db);
  for (const r of rows) err(JSON.stringify(r));
}

export async function enrollSuite(args: string[]) {
  const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
  const MEMBERS = opt('--members', 20_000);
  const PLACES = opt('--places', 10_000);
  const CONCURRENCY = opt('--concurrency', 100);
  const POOL = opt('--pool', 20);
  const CRASH_AT = args.includes('--no-crash') ? 0 : opt('--crash-at', Math.round(MEMBERS * 0.6));
  const KILL_ALL = args.includes('--crash-kill-all');

  const cluster: PrivateCluster = await startPrivateCluster(opt('--pg-port', 55432));
  // Ctrl-C during a run still removes the private cluster.
  const onSignal = () => {
    cluster.destroy();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  err(`私有 PostgreSQL：${cluster.version}，端口 ${cluster.port}，目录 ${cluster.dataDir}`);
  // --unix-socket: the server and the bench reach PostgreSQL over its Unix socket instead of TCP loopback.
  const viaSocket = args.includes('--unix-socket');
  const u = new URL(viaSocket ? cluster.socketUrl : cluster.url);
  u.pathname = '/gonghui_bench_enroll';
  const url = u.toString();
  let database: Database | null = null;
  let child: ChildProcess | null = null;
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('create database gonghui_bench_enroll');
    await admin.end();
    database = await openDatabase({ databaseUrl: url, poolSize: 4 });
    let db = database.db;
    const settings = await pgSettings(db);
    await migrateToLatest(db);
    await ensureBuiltinRoles(db);
    let t0 = performance.now();
    const tokens = await seedMembers(db, MEMBERS);
    err(`准备 ${MEMBERS} 名会员及会话：${((performance.now() - t0) / 1000).toFixed(1)} 秒`);

    // ---- run 1: the rush ----
    const normal = await createActivity(db, '基准测试：万人疗休养', PLACES);
    const server = await startServerChild(url, POOL);
    child = server.child;
    err(`服务器端口 ${server.port}，开始报名…`);
    const serverCpu = () => cpuMsOf([server.child.pid!]);
    const genCpuMs = () => {
      const c = process.cpuUsage();
      return (c.user + c.system) / 1000;
    };
    if (process.env.BENCH_PG_STATS) {
      await sql`create extension if not exists pg_stat_statements`.execute(db);
      await sql`select pg_stat_statements_reset()`.execute(db);
    }
    const wal0 = await walCounters(db);
    const load0 = load1m();
    const [cpu0, pg0, gen0] = [serverCpu(), cpuMsOf(cluster.pids(), true), genCpuMs()];
    const run = await rush({ port: server.port, activityId: normal.activityId, tokens, concurrency: CONCURRENCY });
    const [serverCpuMs, postgresCpuMs, loadgenCpuMs] = [serverCpu() - cpu0, cpuMsOf(cluster.pids(), true) - pg0, genCpuMs() - gen0];
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const loadAfter = load1m();
    const wal1 = await walCounters(db);
    const answers = run.answers.filter((a): a is Answer => !!a);
    const q = quantiles(answers);
    const t = await tally(db, normal.activityId, PLACES);
    const audits = Number(
      (
        await db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action', '=', 'activity.enroll')
          .executeTakeFirstOrThrow()
      ).n,
    );
    const ok = answers.filter((r) => r.status === 200).length;
    // The audit trail of the rush (spread over several hash chains) still verifies.
    const verified = await createAuditService({ db, clock: systemClock, key: secrets.auditKey }).verify();
    const out: Record<string, unknown> = {
      oversold: t.oversold,
      duplicates: t.duplicates,
      enroll_per_s: Math.round(ok / (run.wallMs / 1000)),
      p50_ms: q(0.5),
      p99_ms: q(0.99),
      max_ms: q(1),
      acknowledged_lost: null as number | null,
      requests: MEMBERS,
      places: PLACES,
      concurrency: CONCURRENCY,
      server_pool: POOL,
      wall_s: Number((run.wallMs / 1000).toFixed(2)),
      enrolled: t.enrolled,
      waitlisted: t.waitlisted,
      taken: t.taken,
      audit_rows: audits,
      audit_chain_ok: verified.ok,
      responses: byStatus(answers),
      // group commit at work: WAL flushes (fdatasync) during the rush, and enrollments per flush
      wal_flushes: wal1.walSync - wal0.walSync,
      enrollments_per_wal_flush: Number((ok / Math.max(1, wal1.walSync - wal0.walSync)).toFixed(2)),
      server_cpu_ms_per_request: Number((serverCpuMs / MEMBERS).toFixed(2)),
      server_cpu_share: Number((serverCpuMs / run.wallMs).toFixed(2)),
      postgres_cpu_ms_per_request: Number((postgresCpuMs / MEMBERS).toFixed(2)),
      postgres_cpu_share: Number((postgresCpuMs / run.wallMs).toFixed(2)),
      loadgen_cpu_share: Number((loadgenCpuMs / run.wallMs).toFixed(2)),
      load_avg_1m_before: load0,
      load_avg_1m: loadAfter,
      load_average: load,
      postgres: { version: cluster.version, private_cluster: true, connection: viaSocket ? 'unix socket' : 'tcp 127.0.0.1', ...settings },
    };
    out.cpu_ms_per_enrollment = Number(((serverCpuMs + postgresCpuMs) / Math.max(1, ok)).toFixed(2));
    err(JSON.stringify(out));
    if (process.env.BENCH_PG_STATS) await printStatementStats(db);

    // ---- the raw floor: the same SQL through a bare node:http + pg server, same members, same concurrency ----
    if (!args.includes('--no-raw')) {
      const rawAct = await createActivity(db, '基准测试：原始下限', PLACES);
      const raw = await startServerChild(url, POOL, 'bench/enroll-raw.ts');
      try {
        const rawCpu = () => cpuMsOf([raw.child.pid!]);
        const [c0, p0] = [rawCpu(), cpuMsOf(cluster.pids(), true)];
        const rawLoad = load1m();
        const rawRun = await rush({ port: raw.port, activityId: rawAct.activityId, tokens, concurrency: CONCURRENCY });
        const [rawServerMs, rawPgMs] = [rawCpu() - c0, cpuMsOf(cluster.pids(), true) - p0];
        const rawAnswers = rawRun.answers.filter((a): a is Answer => !!a);
        const rawOk = rawAnswers.filter((r) => r.status === 200).length;
        const rq = quantiles(rawAnswers);
        const rt = await tally(db, rawAct.activityId, PLACES);
        const rawRate = Math.round(rawOk / (rawRun.wallMs / 1000));
        out.raw_floor = {
          what: 'the same SQL (session, enroll context, grouped claim-and-insert with audit rows) through a bare node:http + pg server',
          enroll_per_s: rawRate,
          p50_ms: rq(0.5),
          p99_ms: rq(0.99),
          oversold: rt.oversold,
          duplicates: rt.duplicates,
          responses: byStatus(rawAnswers),
          server_cpu_ms_per_request: Number((rawServerMs / MEMBERS).toFixed(2)),
          postgres_cpu_ms_per_request: Number((rawPgMs / MEMBERS).toFixed(2)),
          load_avg_1m_before: rawLoad,
          load_avg_1m: load1m(),
        };
        out.enroll_vs_raw = Number((Number(out.enroll_per_s) / Math.max(1, rawRate)).toFixed(2));
        err(JSON.stringify({ raw_floor: out.raw_floor, enroll_vs_raw: out.enroll_vs_raw }));
      } finally {
        await stopChild(raw.child);
      }
    }

    // ---- run 2: the same rush on a second activity; PostgreSQL is killed mid-rush ----
    if (CRASH_AT > 0) {
      const crashAct = await createActivity(db, '基准测试：崩溃恢复', PLACES);
      // The bench's own connections die with the server; it reconnects after the restart.
      await database.close();
      database = null;
      err(`崩溃测试：第 ${CRASH_AT} 个应答后 kill -9 PostgreSQL…`);
      const crash: { killed?: ReturnType<PrivateCluster['crash']> } = {};
      const crashLoad = load1m();
      const run2 = await rush({
        port: server.port,
        activityId: crashAct.activityId,
        tokens,
        concurrency: CONCURRENCY,
        onAnswer: (n) => {
          if (n >= CRASH_AT && !crash.killed) crash.killed = cluster.crash(KILL_ALL);
          return !!crash.killed;
        },
      });
      const killed = await (crash.killed ?? cluster.crash(KILL_ALL));
      await stopChild(child);
      child = null;
      const recoveryMs = cluster.start();
      database = await openDatabase({ databaseUrl: url, poolSize: 4 });
      db = database.db;
      const answers2 = run2.answers.filter((a): a is Answer => !!a);
      const acked = answers2.filter((a) => a.status >= 200 && a.status < 300 && (a.result === 'enrolled' || a.result === 'waitlisted') && a.id);
      const check = await acknowledgedLost(db, acked, crashAct.activityId, crashAct.batchId);
      const t2 = await tally(db, crashAct.activityId, PLACES);
      const verified2 = await createAuditService({ db, clock: systemClock, key: secrets.auditKey }).verify();
      out.acknowledged_lost = check.lost;
      out.crash_run = {
        crash_after_answers: CRASH_AT,
        sent: answers2.length,
        acknowledged: acked.length,
        acknowledged_enrolled: acked.filter((a) => a.result === 'enrolled').length,
        acknowledged_waitlisted: acked.filter((a) => a.result === 'waitlisted').length,
        acknowledged_lost: check.lost,
        duplicate_positions: check.duplicatePositions,
        committed_not_acknowledged: check.committedNotAcknowledged,
        responses: byStatus(answers2),
        killed_postmaster_pid: killed.postmaster,
        killed_all_processes_at_once: KILL_ALL,
        orphaned_processes: killed.orphans,
        orphans_needing_sigkill: killed.orphansKilled,
        restart_with_recovery_s: Number((recoveryMs / 1000).toFixed(2)),
        oversold: t2.oversold,
        duplicates: t2.duplicates,
        enrolled: t2.enrolled,
        waitlisted: t2.waitlisted,
        taken: t2.taken,
        durable_waitlist_count: check.durableWaitlist,
        audit_chain_ok: verified2.ok,
        load_avg_1m: crashLoad,
      };
      err(JSON.stringify(out.crash_run));
    }
    return out;
  } catch (e) {
    err('基准测试失败', e);
    throw e;
  } finally {
    await stopChild(child);
    await database?.close().catch(() => undefined);
    cluster.destroy();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// Run as the server child process (`tsx bench/enroll.ts` with DATABASE_URL, BENCH_SECRETS, BENCH_POOL).
if (process.argv[1]?.endsWith('enroll.ts')) {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, poolSize: Number(process.env.BENCH_POOL ?? 20) });
  const { port } = await startServer(database, JSON.parse(process.env.BENCH_SECRETS!) as Parameters<typeof startServer>[1]);
  console.log(`listening ${port}`);
  process.on('SIGTERM', () => process.exit(0));
}
