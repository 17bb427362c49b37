// Issue 18 item 1, decision 037: two real server processes on one PostgreSQL database. A member
// import is started on process A; once its first chunk is committed, an enrollment rush goes
// through both processes and A is killed with SIGKILL mid-rush (and mid-import). Afterwards: no
// batch oversold, nobody enrolled twice, every enrollment a process acknowledged is in the database
// as answered, and the import finished on B — resumed after A's committed chunks, every row once.
// PostgreSQL only (vitest.config.ts lists this file in the PostgreSQL run only).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../support/test-db.js';
import { freePort } from '../support/server-process.js';
import { TEST_SECRETS } from '../support/test-app.js';
import { fakePerson } from '../support/people.js';
import type { Database } from '../../server/src/db/database.js';
import type { DB } from '../../server/src/db/schema.js';
import { secretEnvName, SECRET_KEYS } from '../../server/src/config.js';
import { admitMany, validateMemberRow, type BulkAdmitRow } from '../../server/src/modules/members/members.bulk.js';
import { IMPORT_HEADERS } from '../../server/src/modules/imports/imports.schema.js';
import { systemClock } from '../../server/src/platform/clock.js';
import { createFieldCrypto, maskPhone, sm3 } from '../../server/src/platform/crypto.js';
import { DEMO_PASSWORD } from '../../server/src/seed/demo.js';
import { rush, type Answer } from '../../bench/enroll-rush.js';
import { buildApp } from '../../server/src/app.js';
import { createDeps } from '../../server/src/bootstrap.js';
import { openDatabase } from '../../server/src/db/database.js';
import { ManualClock } from '../../server/src/platform/clock.js';
import { testConfig } from '../support/test-app.js';

const MEMBERS = 600;
const PLACES = 200;
const IMPORT_ROWS = 25_000; // five chunks of CHUNK_ROWS: A commits the first, dies during a later one
const KILL_AFTER_ANSWERS = 60; // answers from A before it is killed

interface Server {
  name: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

let database: Database & { url?: string };
let db: Kysely<DB>;
const servers: Server[] = [];
const dirs: string[] = [];

/** `node --import tsx server/src/main.ts` on DATABASE_URL, with the test keys; resolves once it listens. */
async function startServer(name: string, url: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `gonghui-2p-${name}-`));
  dirs.push(dataDir);
  const keys = Object.fromEntries(SECRET_KEYS.map((k) => [secretEnvName(k), TEST_SECRETS[k]]));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      ...keys,
      NODE_ENV: 'production',
      DEMO_MODE: 'false',
      DATABASE_URL: url,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'true',
      PUBLIC_BASE_URL: 'http://127.0.0.1',
      GONGHUI_JOBS_RECOVER_MS: '500',
      GONGHUI_JOBS_MAINTENANCE_S: '5',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  const deadline = Date.now() + 90_000;
  while (!out.includes('已启动')) {
    if (child.exitCode !== null) throw new Error(`server ${name} exited early:\n${out}`);
    if (Date.now() > deadline) throw new Error(`server ${name} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const s = { name, port, child, output: () => out, exited };
  servers.push(s);
  return s;
}

/** Members with a worker account and a live H5 session each, straight into the database (as bench/enroll.ts). */
async function seedMembers(count: number, from: number) {
  const crypto = createFieldCrypto(TEST_SECRETS);
  const unions = await db.selectFrom('orgs').select('id').where('type', '=', 'grassroots').where('status', '=', 'active').orderBy('id').limit(20).execute();
  const people = Array.from({ length: count }, (_, k) => fakePerson(from + k, { phone: `19${String(from + k).padStart(9, '0')}` }));
  const workers = await sql<{ id: string }>`
    insert into workers (phone_enc, phone_bidx, phone_masked)
    select * from unnest(${people.map((p) => crypto.encrypt(p.phone))}::text[], ${people.map((p) => crypto.blindIndex(p.phone, 'phone'))}::text[],
      ${people.map((p) => maskPhone(p.phone))}::text[]) returning id::text`.execute(db);
  const rows: BulkAdmitRow[] = people.map((p, k) => {
    const v = validateMemberRow({ person: { idType: 'resident_id', idNumber: p.idNumber, name: p.name, phone: p.phone }, employment: {} });
    if (!v.ok) throw new Error(JSON.stringify(v.fields));
    return { ...v.value, orgId: String(unions[k % unions.length]!.id), workerId: workers.rows[k]!.id };
  });
  const admitted = await db
    .transaction()
    .execute((trx) => admitMany(trx, { crypto, clock: systemClock }, rows, { source: 'import', actor: { type: 'import', id: null, name: '双进程测试' } }));
  expect(admitted.every((a) => a.ok)).toBe(true);
  const tokens = workers.rows.map(() => ({ token: randomBytes(32).toString('base64url'), csrf: randomBytes(24).toString('base64url') }));
  const at = new Date();
  await sql`
    insert into sessions (id, subject_type, worker_id, csrf_token, created_at, last_seen_at, expires_at)
    select s, 'worker', w, c, ${at}::timestamptz, ${at}::timestamptz, ${new Date(at.getTime() + 3600_000)}::timestamptz
    from unnest(${tokens.map((t) => sm3(`session:${t.token}`))}::text[], ${workers.rows.map((w) => w.id)}::int8[], ${tokens.map((t) => t.csrf)}::text[]) as x(s, w, c)`.execute(
    db,
  );
  return tokens;
}

/** A published first-come-first-served activity of the city union with one batch of `places`. */
async function createActivity(places: number) {
  const city = await db.selectFrom('orgs').select(['id', 'path']).where('type', '=', 'city').executeTakeFirstOrThrow();
  const now = new Date();
  const act = await db
    .insertInto('activities')
    .values({
      org_id: city.id,
      org_path: city.path,
      type: 'recuperation',
      title: '双进程抢报测试',
      description: '',
      locations: '[]',
      starts_on: null,
      ends_on: null,
      cost_per_person: '500.00',
      budget: '5000000.00',
      eligibility: '{}',
      enrollment_mode: 'fcfs',
      opens_at: new Date(now.getTime() - 60_000),
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
  return { activityId: String(act.id), batchId: String(batch.id) };
}

function importCsv(rows: number): Buffer {
  const lines = Array.from({ length: rows }, (_, i) => {
    const p = fakePerson(i);
    return IMPORT_HEADERS.map((h) => (h === '姓名' ? p.name : h === '证件号码' ? p.idNumber : h === '手机号' ? p.phone : '')).join(',');
  });
  return Buffer.from(`\uFEFF${[IMPORT_HEADERS.join(','), ...lines].join('\r\n')}\r\n`, 'utf8');
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
}, 60_000);

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.exited));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await database?.close();
});

describe('two server processes on one PostgreSQL (issue 18 item 1)', () => {
  it('survive kill -9 of one mid-rush and mid-import: 0 oversold, 0 duplicates, 0 acknowledged lost, the import finishes on the other', async () => {
    const tokens = await seedMembers(MEMBERS, 60_000);
    const { activityId, batchId } = await createActivity(PLACES);
    // B polls rarely, so the import goes to A (whose upload wakes its own worker); B still takes it over
    // at once through its own recovery sweep, which wakes B's worker.
    const [a, b] = await Promise.all([
      startServer('A', database.url!, { GONGHUI_JOBS_POLL_MS: '500' }),
      startServer('B', database.url!, { GONGHUI_JOBS_POLL_MS: '60000' }),
    ]);

    // The import, uploaded to A.
    const login = await fetch(`http://127.0.0.1:${a.port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'county_admin', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const target = (await db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
    const upload = await fetch(`http://127.0.0.1:${a.port}/api/members/import?orgId=${target}&fileName=${encodeURIComponent('双进程.csv')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', cookie, 'x-csrf-token': csrfToken },
      body: new Uint8Array(importCsv(IMPORT_ROWS)),
    });
    expect(upload.status, await upload.clone().text()).toBe(200);
    const { jobId } = (await upload.json()) as { jobId: string };
    const job = () => db.selectFrom('import_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    // A has committed its first chunk (and is working on the next).
    await until('the first chunk on A', async () => (await job()).processed > 0, 60_000);

    // The rush through both processes; A is killed after its KILL_AFTER_ANSWERS-th answer.
    const half = MEMBERS / 2;
    let killedAt: { processed: number; status: string } | null = null;
    const [onA, onB] = await Promise.all([
      rush({
        port: a.port,
        activityId,
        tokens: tokens.slice(0, half),
        concurrency: 10,
        onAnswer: (n) => {
          if (n >= KILL_AFTER_ANSWERS && a.child.signalCode === null) {
            a.child.kill('SIGKILL');
            void job().then((j) => (killedAt = { processed: j.processed, status: j.status }));
          }
          return a.child.signalCode !== null;
        },
      }),
      rush({ port: b.port, activityId, tokens: tokens.slice(half), concurrency: 10 }),
    ]);
    await a.exited;
    expect(a.child.signalCode).toBe('SIGKILL');

    // Every answer that said enrolled / waitlisted is in the database, as answered.
    const acked = [...onA.answers, ...onB.answers].filter((x): x is Answer => !!x && x.status >= 200 && x.status < 300);
    expect(acked.length).toBeGreaterThan(KILL_AFTER_ANSWERS);
    const rows = await db.selectFrom('activity_enrollments').select(['id', 'status', 'person_id']).where('activity_id', '=', activityId).execute();
    const status = new Map(rows.map((r) => [String(r.id), r.status as string]));
    const lost = acked.filter((x) => status.get(x.id!) !== x.result);
    expect(lost).toEqual([]);
    // Nobody twice, the batch not oversold, its counter equal to the rows.
    expect(new Set(rows.map((r) => r.person_id)).size).toBe(rows.length);
    const enrolled = rows.filter((r) => r.status === 'enrolled').length;
    expect(enrolled).toBeLessThanOrEqual(PLACES);
    const counter = await sql<{ taken: number }>`select taken_general as taken from activity_batches where id = ${batchId}`.execute(db);
    expect(Number(counter.rows[0]!.taken)).toBe(enrolled);
    // B went on answering after A died: every one of its members got an answer.
    expect(onB.answers.filter((x) => x && x.status >= 200 && x.status < 300)).toHaveLength(half);

    // The import A was running when it died finishes on B, resumed after A's committed chunks.
    const done = await until(
      'the import to finish on B',
      async () => {
        const j = await job();
        return j.status === 'done' || j.status === 'failed' ? j : null;
      },
      90_000,
    );
    // Read just after the kill: unfinished — still marked running, or already handed back to the queue
    // by B's sweep if B was quicker than this read (attempts 2 below shows A had started it).
    expect(['running', 'queued']).toContain(killedAt!.status);
    expect(killedAt!.processed).toBeLessThan(IMPORT_ROWS);
    expect(done).toMatchObject({ status: 'done', total: IMPORT_ROWS, processed: IMPORT_ROWS, added: IMPORT_ROWS, skipped: 0, failed: 0, attempts: 2 });
    const members = await sql<{ n: string }>`select count(*) as n from memberships where org_id = ${target} and status = 'active'`.execute(db);
    expect(Number(members.rows[0]!.n)).toBeGreaterThanOrEqual(IMPORT_ROWS);
    expect(b.output()).toContain('导入任务的执行进程已中断');
    // Its file is gone with the job.
    expect(await db.selectFrom('job_files').select('job_id').where('job_id', '=', jobId).execute()).toEqual([]);
  }, 240_000);
});

describe('two app instances on one PostgreSQL share what must be shared', () => {
  // Two apps, each with its own pool, as two processes would be.
  const apps: Awaited<ReturnType<typeof buildApp>>['app'][] = [];
  const pools: Database[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const own = await openDatabase({ databaseUrl: database.url!, poolSize: 4 });
      pools.push(own);
      const { app } = await buildApp(createDeps(testConfig(), own, { clock: new ManualClock(new Date()) }), { serveWeb: false });
      await app.ready();
      apps.push(app);
    }
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const p of pools) await p.close();
  });

  const login = (i: number, username: string, password: string, remoteAddress: string) =>
    apps[i]!.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password } });

  it('a rate limit counts the requests a client spreads over both (login: 20 a minute per address)', async () => {
    const ip = '198.51.100.9';
    for (let n = 0; n < 20; n++) expect((await login(n % 2, 'nobody_here', 'Wrong-Password-1', ip)).statusCode).toBe(401);
    const over = await login(0, 'nobody_here', 'Wrong-Password-1', ip);
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect((await login(1, 'nobody_here', 'Wrong-Password-1', ip)).statusCode).toBe(429);
    // Another address has its own count; the counter is one row per route and address.
    expect((await login(1, 'nobody_here', 'Wrong-Password-1', '198.51.100.10')).statusCode).toBe(401);
    const rows = await db.selectFrom('rate_limit_hits').select(['key', 'hits']).where('key', 'like', '%198.51.100.9').execute();
    expect(rows).toEqual([{ key: expect.stringContaining('/api/auth/login'), hits: 22 }]);
  });

  it('a signed-in route counts per process unless its limit is marked shared (the password change is, an upload is not)', async () => {
    const ip = '198.51.100.30';
    const signed = await login(0, 'city_admin', DEMO_PASSWORD, ip);
    expect(signed.statusCode).toBe(200);
    const cookie = String(signed.headers['set-cookie']).split(';')[0]!;
    const headers = { cookie, 'x-csrf-token': (signed.json() as { csrfToken: string }).csrfToken };
    const upload = await apps[0]!.inject({ method: 'POST', url: '/api/notices/reply-files', remoteAddress: ip, headers, payload: { x: 1 } });
    expect(upload.statusCode).not.toBe(429);
    const password = await apps[0]!.inject({
      method: 'POST',
      url: '/api/auth/password',
      remoteAddress: ip,
      headers,
      payload: { currentPassword: 'Wrong-Password-1', newPassword: 'Another-Password-9' },
    });
    expect(password.statusCode).not.toBe(200);
    const keys = (await db.selectFrom('rate_limit_hits').select('key').where('key', 'like', `%${ip}`).execute()).map((r) => r.key);
    expect(keys.some((k) => k.includes('/api/auth/password'))).toBe(true);
    expect(keys.some((k) => k.includes('/api/notices/reply-files'))).toBe(false);
  });

  it('failed passwords lock an account after 5, wherever they were tried', async () => {
    const ip = '198.51.100.20';
    for (let n = 0; n < 4; n++) expect((await login(n % 2, 'town_admin', 'Wrong-Password-1', ip)).statusCode).toBe(401);
    expect((await login(0, 'town_admin', 'Wrong-Password-1', ip)).json().error.code).toBe('ACCOUNT_LOCKED');
    const right = await login(1, 'town_admin', DEMO_PASSWORD, ip);
    expect(right.statusCode).not.toBe(200);
    expect(right.json().error.message).toContain('锁定');
  });
});
