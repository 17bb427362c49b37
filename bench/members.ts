// `npm run bench -- --suite members [--members N] [--json]`: the real 盐城 tree with 15,000
// enterprise unions, N synthetic members (default 1,000,000) imported through the batched
// members path (members.bulk.ts), then the API measured over HTTP: roll search and pages,
// worker joins, server memory. PostgreSQL when DATABASE_URL is set (a throwaway database; the
// server runs in a child process and its RSS is read from /proc), otherwise in-memory PGlite
// (server in-process; RSS is the whole bench process's).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../server/src/config.js';
import { openDatabase, type Database } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { systemClock } from '../server/src/platform/clock.js';
import { createFieldCrypto, maskPhone, sm3 } from '../server/src/platform/crypto.js';
import { residentIdCheckChar } from '../server/src/platform/validators.js';
import { ensureBuiltinRoles, seedDemo, DEMO_PASSWORD } from '../server/src/seed/demo.js';
import { admitMany, personValues, validateMemberRow, type BulkAdmitRow } from '../server/src/modules/members/members.bulk.js';
import { PHONE_DOMAIN } from '../server/src/modules/members/members.service.js';
import { JOIN_CONSENT } from '../server/src/modules/joining/joining.schema.js';
import { startServer } from './members-server.js';

const err = (...m: unknown[]) => console.error(...m);

// ---- synthetic people (region 3299xx does not exist: never a real person's number) ----

/** A valid 18-digit resident ID, unique per n (n < 1.4e9): birth 1966-01-01 + (n mod 14600) days. */
export function benchResidentId(n: number): string {
  const day = n % 14600;
  const k = Math.floor(n / 14600);
  const region = `3299${String(1 + (k % 99)).padStart(2, '0')}`;
  const seq = String(((Math.floor(k / 99) * 2 + (n % 2)) % 1000) + 0).padStart(3, '0');
  const birth = new Date(Date.UTC(1966, 0, 1) + day * 86400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const body = `${region}${birth}${seq}`;
  return body + residentIdCheckChar(body);
}

// Surnames with rough real frequencies (per mille), the rest spread evenly over a long tail.
const SURNAMES: [string, number][] = [
  ['王', 72],
  ['李', 71],
  ['张', 67],
  ['刘', 54],
  ['陈', 45],
  ['杨', 31],
  ['黄', 22],
  ['赵', 22],
  ['吴', 20],
  ['周', 19],
  ['徐', 17],
  ['孙', 15],
  ['马', 15],
  ['朱', 14],
  ['胡', 13],
  ['郭', 12],
  ['何', 12],
  ['高', 11],
  ['林', 11],
  ['罗', 10],
  ['郑', 10],
  ['梁', 9],
  ['谢', 8],
  ['宋', 8],
  ['唐', 7],
  ['许', 7],
  ['韩', 7],
  ['冯', 7],
  ['邓', 7],
  ['曹', 7],
  ['彭', 6],
  ['曾', 6],
  ['肖', 6],
  ['田', 6],
  ['董', 6],
  ['袁', 5],
  ['潘', 5],
  ['于', 5],
  ['蒋', 5],
  ['蔡', 5],
];
const TAIL = '余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏建国志海燕梅波辉宁琳斌浩凯晨欣怡宇轩子涵雨婷佳俊博文浩然思远晓东春兰金凤玲亮飞云鑫雪峰丹阳立新永庆德胜春生秋菊冬梅振宇晓燕红霞';
const surnameTable: string[] = [];
for (const [s, w] of SURNAMES) for (let i = 0; i < w; i++) surnameTable.push(s);
while (surnameTable.length < 1000) surnameTable.push(TAIL[surnameTable.length % TAIL.length]!);

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FORMS = ['standard', 'standard', 'standard', 'standard', 'standard', 'standard', 'courier', 'food_delivery', 'truck_driver', 'ride_hailing'];

function rawMember(n: number, rand: () => number) {
  const given =
    rand() < 0.3 ? GIVEN[Math.floor(rand() * GIVEN.length)]! : GIVEN[Math.floor(rand() * GIVEN.length)]! + GIVEN[Math.floor(rand() * GIVEN.length)]!;
  const joined = new Date(Date.UTC(2005, 0, 1) + Math.floor(rand() * 7600) * 86400_000).toISOString().slice(0, 10);
  return {
    person: {
      idType: 'resident_id',
      idNumber: benchResidentId(n),
      name: `${surnameTable[Math.floor(rand() * 1000)]}${given}`,
      phone: `1${'3578'[n % 4]}${String(n).padStart(9, '0')}`,
    },
    employment: { employmentForm: FORMS[n % FORMS.length], isMigrantWorker: rand() < 0.2 },
    joined,
  };
}

// ---- measuring ----

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2));
};

async function openBench(): Promise<{ database: Database; url: string | null; cleanup: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { database: await openDatabase({ memory: true }), url: null, cleanup: async () => {} };
  const name = `gonghui_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 10 });
  return {
    database,
    url: u.toString(),
    cleanup: async () => {
      await database.close();
      // BENCH_KEEP=1 keeps the generated database for looking at query plans afterwards.
      if (process.env.BENCH_KEEP) console.error(`保留数据库 ${name}`);
      else await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

/** COPY … FROM STDIN through node-postgres without extra packages (a minimal submittable). */
function copyIn(client: pg.PoolClient, text: string, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let error: unknown = null;
    const q = {
      submit(connection: { query(t: string): void }) {
        connection.query(text);
      },
      handleCopyInResponse(connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }) {
        const buf = Buffer.from(data, 'utf8');
        for (let i = 0; i < buf.length; i += 1 << 20) connection.sendCopyFromChunk(buf.subarray(i, i + (1 << 20)));
        connection.endCopyFrom();
      },
      handleCommandComplete() {},
      handleError(e: unknown) {
        error = e;
      },
      handleReadyForQuery() {
        if (error) reject(error as Error);
        else resolve();
      },
    };
    void client.query(q as unknown as string);
  });
}

const tsv = (v: unknown) => (v === null || v === undefined ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'));

export async function membersSuite(args: string[]) {
  const N = args.includes('--members') ? Number(args[args.indexOf('--members') + 1]) : 1_000_000;
  const { database, url, cleanup } = await openBench();
  const db = database.db;
  let child: ChildProcess | null = null;
  try {
    const secrets = {
      fieldEncryptionKey: '00'.repeat(16),
      fieldMacKey: '11'.repeat(32),
      blindIndexKey: '22'.repeat(32),
      tokenSigningKey: '33'.repeat(32),
      auditKey: '44'.repeat(32),
    };
    const crypto = createFieldCrypto(secrets);
    await migrateToLatest(db);
    await ensureBuiltinRoles(db);
    let t0 = performance.now();
    const seeded = await seedDemo(db, { enterprises: 15000 });
    err(`演示组织树：${seeded.orgs} 个工会组织，${((performance.now() - t0) / 1000).toFixed(1)} 秒（${database.kind}）`);
    const enterprises = await db.selectFrom('orgs').select(['id', 'path', 'name']).where('type', '=', 'grassroots').orderBy('id').execute();
    const county = (await db.selectFrom('orgs').select(['id', 'path']).where('name', '=', '东台市总工会').executeTakeFirstOrThrow()).path;

    // ---- import: validation + encryption + blind indexes + pinyin + batched inserts ----
    const BATCH = 2000;
    const streams = database.kind === 'postgres' ? 2 : 1;
    const actor = { type: 'import' as const, id: null, name: '基准测试导入' };
    const rand = mulberry32(42);
    let next = 0;
    let done = 0;
    let timeAtSample = 0;
    const SAMPLE = Math.min(N, 100_000);
    const orgOf = (n: number) => enterprises[Math.floor(enterprises.length * Math.pow(((n * 2654435761) % 4294967296) / 4294967296, 1.6))]!;
    t0 = performance.now();
    let lastLog = t0;
    await Promise.all(
      Array.from({ length: streams }, async () => {
        while (next < N) {
          const from = next;
          next = Math.min(N, next + BATCH);
          const rows: BulkAdmitRow[] = [];
          for (let n = from; n < next; n++) {
            const raw = rawMember(n, rand);
            const checked = validateMemberRow(raw);
            if (!checked.ok) throw new Error(`row ${n}: ${JSON.stringify(checked.fields)}`);
            const org = orgOf(n);
            rows.push({
              ...checked.value,
              employment: { ...checked.value.employment, employerName: org.name.replace(/工会委员会$/, '') },
              orgId: String(org.id),
              joinedOn: raw.joined,
            });
          }
          const out = await db.transaction().execute((trx) => admitMany(trx, { crypto, clock: systemClock }, rows, { source: 'import', actor }));
          const bad = out.find((o) => !o.ok);
          if (bad) throw new Error(`import refused a row: ${JSON.stringify(bad)}`);
          done += rows.length;
          if (!timeAtSample && done >= SAMPLE) timeAtSample = performance.now() - t0;
          if (performance.now() - lastLog > 10_000) {
            lastLog = performance.now();
            err(`  已导入 ${done}（${Math.round(done / ((lastLog - t0) / 1000))} 行/秒）`);
          }
        }
      }),
    );
    const importMs = performance.now() - t0;
    const importRate = Math.round(N / (importMs / 1000));
    err(`导入 ${N} 名会员：${(importMs / 1000).toFixed(1)} 秒，${importRate} 行/秒；前 ${SAMPLE} 行 ${(timeAtSample / 1000).toFixed(1)} 秒`);
    // What autovacuum does after a bulk load anyway (visibility map for index-only scans).
    await sql`vacuum analyze people`.execute(db);
    await sql`vacuum analyze memberships`.execute(db);
    await sql`analyze`.execute(db);

    // ---- COPY of the same prepared rows (the first SAMPLE rows) into same-shaped tables ----
    let ratio: number | null = null;
    if (database.kind === 'postgres') {
      const peopleCols = [
        'id',
        'id_type',
        'id_enc',
        'id_bidx',
        'id_last4',
        'id_masked',
        'name',
        'name_initials',
        'name_pinyin',
        'sex',
        'birth_date',
        'ethnicity',
        'phone_enc',
        'phone_bidx',
        'phone_masked',
        'education',
        'political_status',
        'hukou_type',
        'hukou_region',
        'emergency_contact_name',
        'emergency_contact_phone_enc',
        'emergency_contact_phone_masked',
        'member_no',
        'worker_id',
      ];
      const r2 = mulberry32(42);
      const p: string[] = [];
      const m: string[] = [];
      const e: string[] = [];
      const now = new Date().toISOString();
      for (let n = 0; n < SAMPLE; n++) {
        const raw = rawMember(n, r2);
        const v = validateMemberRow(raw);
        if (!v.ok) throw new Error('bad row');
        const org = orgOf(n);
        p.push([n + 1, ...personValues(crypto, v.value.person, null, `32098126${String(n).padStart(7, '0')}`)].map(tsv).join('\t'));
        m.push(
          [n + 1, n + 1, org.id, org.path, 'active', org.name, v.value.employment.employmentForm, v.value.employment.isMigrantWorker, raw.joined, 'import']
            .map(tsv)
            .join('\t'),
        );
        e.push([n + 1, n + 1, org.id, 'join', 'import', '基准测试导入', now].map(tsv).join('\t'));
      }
      const pool = new pg.Pool({ connectionString: url!, max: 1 });
      const client = await pool.connect();
      try {
        await client.query('create table copy_people (like people including all)');
        await client.query('create table copy_memberships (like memberships including all)');
        await client.query('create table copy_events (like membership_events including all)');
        const c0 = performance.now();
        await client.query('begin');
        await copyIn(client, `copy copy_people (${peopleCols.join(',')}) from stdin`, p.join('\n') + '\n');
        await copyIn(
          client,
          'copy copy_memberships (person_id, id, org_id, org_path, status, employer_name, employment_form, is_migrant_worker, joined_on, source) from stdin',
          m.join('\n') + '\n',
        );
        await copyIn(client, 'copy copy_events (person_id, membership_id, org_id, type, actor_type, actor_name, at) from stdin', e.join('\n') + '\n');
        await client.query('commit');
        const copyMs = performance.now() - c0;
        ratio = Number((timeAtSample / copyMs).toFixed(2));
        err(`COPY ${SAMPLE} 行（people + memberships + events）：${(copyMs / 1000).toFixed(2)} 秒；导入/COPY = ${ratio}`);
        await client.query('drop table copy_people, copy_memberships, copy_events');
      } finally {
        client.release();
        await pool.end();
      }
    }

    // ---- workers with sessions (as after an SMS login), for the join phase ----
    const WORKERS = 20_000;
    const workerTokens: { token: string; csrf: string; n: number }[] = [];
    for (let i = 0; i < WORKERS; i += 2000) {
      const phones: string[] = [];
      for (let k = i; k < Math.min(WORKERS, i + 2000); k++) phones.push(`19${String(k).padStart(9, '0')}`);
      const ids = await sql<{ id: string }>`
        insert into workers (phone_enc, phone_bidx, phone_masked)
        select * from unnest(${phones.map((ph) => crypto.encrypt(ph))}::text[], ${phones.map((ph) => crypto.blindIndex(ph, PHONE_DOMAIN))}::text[],
          ${phones.map(maskPhone)}::text[]) returning id`.execute(db);
      const toks = ids.rows.map((r, k) => ({
        id: String(r.id),
        token: randomBytes(32).toString('base64url'),
        csrf: randomBytes(24).toString('base64url'),
        n: i + k,
      }));
      const at = new Date();
      const exp = new Date(at.getTime() + 86400_000);
      await sql`
        insert into sessions (id, subject_type, worker_id, csrf_token, created_at, last_seen_at, expires_at)
        select s, 'worker', w, c, ${at}::timestamptz, ${at}::timestamptz, ${exp}::timestamptz
        from unnest(${toks.map((t) => sm3(`session:${t.token}`))}::text[], ${toks.map((t) => t.id)}::int8[], ${toks.map((t) => t.csrf)}::text[]) as x(s, w, c)`.execute(
        db,
      );
      workerTokens.push(...toks);
    }

    // ---- the server ----
    let port: number;
    let stop: () => Promise<void>;
    let rss: () => number;
    if (url) {
      child = spawn(process.execPath, ['--import', 'tsx', 'bench/members-server.ts'], {
        env: { ...process.env, DATABASE_URL: url, BENCH_SECRETS: JSON.stringify(secrets) },
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
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rss())), 100);
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
    const cityCookie = await login('city_admin');
    const countyCookie = await login('county_admin');
    const get = async (cookie: string, path: string) => {
      const t = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { cookie } });
      const body = (await res.json()) as { total: number; items: unknown[] };
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, body };
    };

    // Search terms taken from members actually on the roll.
    const Q = 250;
    const picks = Array.from({ length: Q }, (_, i) => Math.floor((((i * 7919 + 13) % 1000) / 1000) * N));
    const sampleRand = mulberry32(42);
    const sampleRows = new Map<number, ReturnType<typeof rawMember>>();
    const wanted = new Set(picks);
    for (let n = 0; n < N && sampleRows.size < wanted.size; n++) {
      const r = rawMember(n, sampleRand);
      if (wanted.has(n)) sampleRows.set(n, r);
    }
    const named = await db
      .selectFrom('people')
      .select(['name', 'name_initials'])
      .where(
        'id',
        'in',
        picks.map((n) => String(n + 1)),
      )
      .execute();
    const search: Record<string, number> = {};
    const measure = async (kind: string, terms: string[], cookie: string) => {
      const times: number[] = [];
      await get(cookie, `/api/members?q=${encodeURIComponent(terms[0]!)}`); // warm-up
      for (const q of terms) times.push((await get(cookie, `/api/members?q=${encodeURIComponent(q)}&page=1&pageSize=20`)).ms);
      search[kind] = pct(times, 0.95);
    };
    await measure(
      'name',
      named.map((r, i) => (i % 2 ? r.name : r.name.slice(0, 2))),
      cityCookie,
    );
    await measure(
      'pinyin',
      named.map((r) => r.name_initials),
      cityCookie,
    );
    await measure(
      'phone',
      picks.map((n) => sampleRows.get(n)!.person.phone),
      cityCookie,
    );
    await measure(
      'id',
      picks.map((n) => sampleRows.get(n)!.person.idNumber),
      cityCookie,
    );
    const listTimes: number[] = [];
    for (let i = 0; i < 120; i++) listTimes.push((await get(cityCookie, `/api/members?page=${1 + (i % 10)}&pageSize=20`)).ms);
    for (let i = 0; i < 120; i++) listTimes.push((await get(countyCookie, `/api/members?page=${1 + (i % 10)}&pageSize=20`)).ms);
    const listP95 = pct(listTimes, 0.95);
    const cityTotal = (await get(cityCookie, '/api/members?page=1&pageSize=20')).body.total;
    err(`检索 p95：${JSON.stringify(search)}；列表 p95 ${listP95} 毫秒（市级 total=${cityTotal}）`);

    // ---- joins: 50 concurrent connections for 10 s, each request a different logged-in worker ----
    const joinOrgs = enterprises.filter((o) => o.path.startsWith(county));
    let w = 0;
    let joins = 0;
    let failures = 0;
    const joinStart = performance.now();
    const deadline = joinStart + 10_000;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (performance.now() < deadline && w < workerTokens.length) {
          const t = workerTokens[w++]!;
          const n = 50_000_000 + t.n;
          const res = await fetch(`${base}/api/worker/join`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              cookie: `gh_wsid=${t.token}`,
              'x-csrf-token': t.csrf,
              'x-forwarded-for': `10.${(t.n >> 16) & 255}.${(t.n >> 8) & 255}.${t.n & 255}`,
            },
            body: JSON.stringify({
              person: { idType: 'resident_id', idNumber: benchResidentId(n), name: '王建国', phone: `19${String(t.n).padStart(9, '0')}` },
              employment: { employmentForm: 'courier' },
              targetOrgId: String(joinOrgs[t.n % joinOrgs.length]!.id),
              consent: { agreed: true, version: JOIN_CONSENT.version },
              idempotencyKey: `bench-${t.n}-join`,
            }),
          });
          await res.arrayBuffer();
          if (res.status === 200) joins++;
          else if (failures++ < 3) err(`join ${res.status}`);
        }
      }),
    );
    const joinRate = Math.round(joins / ((performance.now() - joinStart) / 1000));
    err(`入会申请：${joins} 份，${joinRate} 份/秒，失败 ${failures}`);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, rss());
    await stop();
    child = null;

    return {
      import_rows_per_s: importRate,
      import_vs_copy_ratio: ratio,
      search_p95_ms: search,
      list_p95_ms: listP95,
      join_req_per_s: joinRate,
      peak_rss_mb: Math.round(peakRss),
      _info: {
        database: database.kind,
        members: N,
        copy_sample_rows: SAMPLE,
        rss_source: url ? 'server child process (/proc VmRSS)' : 'bench process (in-process server)',
      },
    };
  } finally {
    child?.kill('SIGTERM');
    await cleanup();
  }
}
