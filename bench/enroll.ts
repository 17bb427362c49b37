// npm run bench -- --suite enroll [--json] [--members 20000] [--places 10000] [--concurrency 100] [--pool 20]
// The opening-minute rush: an activity with 10,000 places opens and 20,000 distinct members enroll
// over HTTP (keep-alive, `concurrency` connections) against the real server in a child process on
// PostgreSQL (DATABASE_URL, default postgres://root@127.0.0.1:5432/test; a throwaway database is
// created and dropped). Oversold places and duplicate enrollments are counted from the database.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { createAuditService } from '../server/src/modules/audit/audit.service.js';
import { admitMany, validateMemberRow, type BulkAdmitRow } from '../server/src/modules/members/members.bulk.js';
import { systemClock } from '../server/src/platform/clock.js';
import { createFieldCrypto, maskPhone, sm3 } from '../server/src/platform/crypto.js';
import { ensureBuiltinRoles, seedDemo } from '../server/src/seed/demo.js';
import { startServer } from './members-server.js';
import { residentIdCheckChar } from '../server/src/platform/validators.js';

const err = (...m: unknown[]) => console.error(...m);

function residentId(n: number): string {
  // region 3299xx does not exist: never a real person's number
  const body = `3299${String(1 + (Math.floor(n / 1000) % 99)).padStart(2, '0')}${1970 + (n % 30)}0101${String(n % 1000).padStart(3, '0')}`;
  return body + residentIdCheckChar(body);
}

const GIVEN = '建国秀英志强海燕红梅国华丽娟明伟芳军一二三四五六七八九十';
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const nameOf = (n: number) => `${SURNAMES[n % 20]}${GIVEN[Math.floor(n / 20) % GIVEN.length]}${GIVEN[Math.floor(n / 600) % GIVEN.length]}`;

export async function enrollSuite(args: string[]) {
  const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
  const MEMBERS = opt('--members', 20_000);
  const PLACES = opt('--places', 10_000);
  const CONCURRENCY = opt('--concurrency', 100);
  const baseUrl = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const name = `gonghui_bench_enroll_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  const db = database.db;
  let child: ChildProcess | null = null;
  try {
    const secrets = { fieldEncryptionKey: '00'.repeat(16), fieldMacKey: '11'.repeat(32), blindIndexKey: '22'.repeat(32), tokenSigningKey: '33'.repeat(32) };
    const crypto = createFieldCrypto(secrets);
    await migrateToLatest(db);
    await ensureBuiltinRoles(db);
    let t0 = performance.now();
    await seedDemo(db, { enterprises: 300 });
    const city = await db.selectFrom('orgs').select(['id', 'path']).where('type', '=', 'city').executeTakeFirstOrThrow();
    const enterprises = await db.selectFrom('orgs').select(['id']).where('type', '=', 'grassroots').orderBy('id').execute();

    // ---- 20,000 members, each with a worker and a live H5 session, straight into the database ----
    const tokens: { token: string; csrf: string }[] = [];
    const BATCH = 2000;
    for (let i = 0; i < MEMBERS; i += BATCH) {
      const ns = Array.from({ length: Math.min(BATCH, MEMBERS - i) }, (_, k) => i + k);
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
    err(`准备 ${MEMBERS} 名会员及会话：${((performance.now() - t0) / 1000).toFixed(1)} 秒`);

    // ---- the activity: published, window open now, one batch of PLACES places ----
    const now = new Date();
    const act = await db
      .insertInto('activities')
      .values({
        org_id: city.id,
        org_path: city.path,
        type: 'recuperation',
        title: '基准测试：万人疗休养',
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
    await db
      .insertInto('activity_batches')
      .values({ activity_id: act.id, title: '第一批', location: null, starts_on: null, ends_on: null, places_general: PLACES, lottery_places: null })
      .execute();
    await sql`vacuum analyze`.execute(db);
    err('活动已发布，启动服务器…');

    // ---- the server, as a child process (its own CPU accounting) ----
    // BENCH_PROF=dir writes a V8 CPU profile of the server to that folder.
    const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
    child = spawn(process.execPath, [...prof, '--import', 'tsx', 'bench/enroll.ts'], {
      env: { ...process.env, DATABASE_URL: url, BENCH_SECRETS: JSON.stringify(secrets), BENCH_POOL: String(opt('--pool', 20)) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child!.stdout!.on('data', (b: Buffer) => {
        const m = /listening (\d+)/.exec(b.toString());
        if (m) resolve(Number(m[1]));
      });
      child!.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    });

    err(`服务器端口 ${port}，开始报名…`);
    // ---- the rush ----
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY, maxFreeSockets: CONCURRENCY });
    const path = `/api/worker/activities/${act.id}/enroll`;
    const body = '{}';
    const post = (i: number) =>
      new Promise<{ status: number; ms: number; result?: string }>((resolve) => {
        const t = performance.now();
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path,
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              cookie: `gh_wsid=${tokens[i]!.token}`,
              'x-csrf-token': tokens[i]!.csrf,
              // each worker from its own address, as on the internet (the server trusts the proxy header)
              'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString();
              let result: string | undefined;
              try {
                result = (JSON.parse(text) as { status?: string }).status;
              } catch {
                result = undefined;
              }
              resolve({ status: res.statusCode ?? 0, ms: performance.now() - t, result });
            });
          },
        );
        req.on('error', () => resolve({ status: 0, ms: performance.now() - t }));
        req.end(body);
      });

    // warm up the connections (and JIT) with a few requests by the first members? No: every member
    // enrolls exactly once, the first CONCURRENCY requests open the connections.
    // CPU the server process used (user + system, ms), to tell CPU starvation from lock waits.
    const cpuMs = () => {
      const f = readFileSync(`/proc/${child!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
    };
    // PostgreSQL's own processes (same machine), and this load generator, for the CPU breakdown.
    const pgCpuMs = () => {
      let total = 0;
      for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          if (!stat.includes('(postgres)')) continue;
          const f = stat.split(') ')[1]!.split(' ');
          total += ((Number(f[11]) + Number(f[12])) * 1000) / 100;
        } catch {
          // the process ended meanwhile
        }
      }
      return total;
    };
    const genCpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const cpu0 = cpuMs();
    const pg0 = pgCpuMs();
    const gen0 = genCpuMs();
    const results: { status: number; ms: number; result?: string }[] = new Array(MEMBERS);
    let next = 0;
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < MEMBERS) {
          const i = next++;
          results[i] = await post(i);
        }
      }),
    );
    const wallMs = performance.now() - t0;
    const serverCpuMs = cpuMs() - cpu0;
    const postgresCpuMs = pgCpuMs() - pg0;
    const loadgenCpuMs = genCpuMs() - gen0;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    agent.destroy();

    const lat = results.map((r) => r.ms).sort((a, b) => a - b);
    const q = (p: number) => Number(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(1));
    const byStatus: Record<string, number> = {};
    for (const r of results) byStatus[`${r.status}${r.result ? `:${r.result}` : ''}`] = (byStatus[`${r.status}${r.result ? `:${r.result}` : ''}`] ?? 0) + 1;

    // ---- counted from the database ----
    const enrolled = Number(
      (
        await db
          .selectFrom('activity_enrollments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('activity_id', '=', act.id)
          .where('status', '=', 'enrolled')
          .executeTakeFirstOrThrow()
      ).n,
    );
    const waitlisted = Number(
      (
        await db
          .selectFrom('activity_enrollments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('activity_id', '=', act.id)
          .where('status', '=', 'waitlisted')
          .executeTakeFirstOrThrow()
      ).n,
    );
    const dup = await sql<{ n: string }>`
      select count(*)::text as n from (
        select person_id from activity_enrollments where activity_id = ${act.id} and status in ('pending','enrolled','waitlisted','attended','no_show')
        group by person_id having count(*) > 1) d`.execute(db);
    const taken = (await db.selectFrom('activity_batches').select(['taken_general']).where('activity_id', '=', act.id).executeTakeFirstOrThrow()).taken_general;
    const audits = Number(
      (
        await db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action', '=', 'activity.enroll')
          .executeTakeFirstOrThrow()
      ).n,
    );
    const ok = results.filter((r) => r.status === 200).length;
    // The audit trail of the rush (spread over several hash chains) still verifies.
    const verified = await createAuditService({ db, clock: systemClock }).verify();
    const out = {
      oversold: Math.max(0, enrolled - PLACES),
      duplicates: Number(dup.rows[0]!.n),
      enroll_per_s: Math.round(ok / (wallMs / 1000)),
      p50_ms: q(0.5),
      p99_ms: q(0.99),
      max_ms: q(1),
      requests: MEMBERS,
      places: PLACES,
      concurrency: CONCURRENCY,
      server_pool: opt('--pool', 20),
      wall_s: Number((wallMs / 1000).toFixed(2)),
      enrolled,
      waitlisted,
      taken,
      audit_rows: audits,
      audit_chain_ok: verified.ok,
      responses: byStatus,
      server_cpu_ms_per_request: Number((serverCpuMs / MEMBERS).toFixed(2)),
      server_cpu_share: Number((serverCpuMs / wallMs).toFixed(2)),
      postgres_cpu_ms_per_request: Number((postgresCpuMs / MEMBERS).toFixed(2)),
      postgres_cpu_share: Number((postgresCpuMs / wallMs).toFixed(2)),
      loadgen_cpu_share: Number((loadgenCpuMs / wallMs).toFixed(2)),
      load_average: load,
    };
    err(JSON.stringify(out));
    return out;
  } catch (e) {
    err('基准测试失败', e);
    throw e;
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await database.close();
    if (process.env.BENCH_KEEP) err(`保留数据库 ${name}`);
    else {
      await new Promise((r) => setTimeout(r, 300));
      await admin.query(`drop database ${name}`).catch(() => admin.query(`drop database ${name} with (force)`));
    }
    await admin.end();
  }
}

// Run as the server child process (`tsx bench/enroll.ts` with DATABASE_URL, BENCH_SECRETS, BENCH_POOL).
if (process.argv[1]?.endsWith('enroll.ts')) {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, poolSize: Number(process.env.BENCH_POOL ?? 20) });
  const { port } = await startServer(database, JSON.parse(process.env.BENCH_SECRETS!) as Parameters<typeof startServer>[1]);
  console.log(`listening ${port}`);
  process.on('SIGTERM', () => process.exit(0));
}
