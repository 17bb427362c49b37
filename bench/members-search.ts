// The members bench's SEARCH phase: every roll search shape over HTTP — p95 of one request at a
// time (`search_p95_ms`), throughput at 20 concurrent keep-alive connections (`search_rps`), and the
// same requests' SQL run by the raw floor (bench/raw-floor.ts) in the same run: `search_vs_raw` is
// the project's throughput over the floor's. Also the roll's pages (`list_p95_ms`).
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from '../server/src/db/schema.js';
import { connectionConfig } from '../server/src/db/database.js';
import type { FieldCrypto } from '../server/src/platform/crypto.js';
import { membersRepository } from '../server/src/modules/members/members.repository.js';
import { rollSearchOf } from '../server/src/modules/members/members.service.js';
import { httpLoad } from './http-load.js';
import { mulberry32, pct, rawMember } from './members-data.js';
import { startRawFloor, type Statement } from './raw-floor.js';

const err = (...m: unknown[]) => console.error(...m);

type Scope = 'city' | 'county' | 'grassroots';
interface Shape {
  scope: Scope;
  terms: string[];
}

export interface SearchContext {
  db: Kysely<DB>;
  /** PostgreSQL URL of the bench database (null on PGlite: no raw floor). */
  url: string | null;
  N: number;
  port: number;
  crypto: FieldCrypto;
  cookies: Record<Scope, string>;
  paths: Record<Scope, string>;
}

const SURNAMES = ['王', '李', '张'];

/** Search terms taken from members actually on the roll, per shape. */
async function shapes(db: Kysely<DB>, N: number): Promise<Record<string, Shape>> {
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
    .select(['name', 'name_initials', 'name_pinyin'])
    .where(
      'id',
      'in',
      picks.map((n) => String(n + 1)),
    )
    .execute();
  const phones = picks.map((n) => sampleRows.get(n)!.person.phone);
  const surnames = Array.from({ length: 90 }, (_, i) => SURNAMES[i % SURNAMES.length]!);
  return {
    name: { scope: 'city', terms: named.map((r, i) => (i % 2 ? r.name : r.name.slice(0, 2))) },
    pinyin: { scope: 'city', terms: named.map((r) => r.name_initials) },
    full_pinyin: { scope: 'city', terms: named.map((r) => r.name_pinyin) },
    phone: { scope: 'city', terms: phones },
    phone_last4: { scope: 'city', terms: phones.map((p) => p.slice(-4)) },
    id: { scope: 'city', terms: picks.map((n) => sampleRows.get(n)!.person.idNumber) },
    surname_city: { scope: 'city', terms: surnames },
    surname_county: { scope: 'county', terms: surnames },
    surname_grassroots: { scope: 'grassroots', terms: surnames },
  };
}

const searchPath = (q: string) => `/api/members?q=${encodeURIComponent(q)}&page=1&pageSize=20`;

/**
 * The statements the server sends for one roll search (members.service list: the one roll statement
 * on a connection without JIT), captured from the repository with the same parameters.
 */
async function captureRoll(capturing: Kysely<DB>, log: Statement[], crypto: FieldCrypto, scopePath: string, q: string): Promise<Statement[]> {
  log.length = 0;
  await membersRepository.roll(capturing, scopePath, { search: rollSearchOf(crypto, q), limit: 20, offset: 0 });
  return [...log];
}

export async function searchPhase(ctx: SearchContext) {
  const { db, port, cookies } = ctx;
  const base = `http://127.0.0.1:${port}`;
  const get = async (cookie: string, path: string) => {
    const t = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    const body = (await res.json()) as { total: number; items: unknown[] };
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - t, body };
  };

  // ---- one request at a time: p95 per shape ----
  const all = await shapes(db, ctx.N);
  const search: Record<string, number> = {};
  const hits: Record<string, number> = {};
  for (const [kind, shape] of Object.entries(all)) {
    const cookie = cookies[shape.scope];
    await get(cookie, searchPath(shape.terms[0]!)); // warm-up
    const times: number[] = [];
    let total = 0;
    for (const q of shape.terms) {
      const r = await get(cookie, searchPath(q));
      times.push(r.ms);
      total = Math.max(total, r.body.total);
    }
    search[kind] = pct(times, 0.95);
    hits[kind] = total;
  }

  // ---- the roll's pages: default order pages 1–10, first pages with filters, by join date ----
  const list: Record<string, number[]> = {};
  const page = async (name: string, scope: Scope, path: string) => (list[name] ??= []).push((await get(cookies[scope], path)).ms);
  for (let i = 0; i < 120; i++) await page('city_pages', 'city', `/api/members?page=${1 + (i % 10)}&pageSize=20`);
  for (let i = 0; i < 120; i++) await page('county_pages', 'county', `/api/members?page=${1 + (i % 10)}&pageSize=20`);
  const forms = ['courier', 'food_delivery', 'truck_driver', 'ride_hailing', 'standard'];
  for (const scope of ['city', 'county', 'grassroots'] as const)
    for (let i = 0; i < 40; i++) {
      await page(
        `${scope}_filtered`,
        scope,
        `/api/members?status=active,retained&employmentForm=${forms[i % forms.length]}&isMigrantWorker=${i % 2 ? 'true' : 'false'}&page=1&pageSize=20`,
      );
      await page(
        `${scope}_by_join_date`,
        scope,
        `/api/members?status=active,retained&sort=${i % 2 ? 'joined_asc' : 'joined_desc'}&page=${1 + (i % 3)}&pageSize=20`,
      );
    }
  const listP95 = pct(Object.values(list).flat(), 0.95);
  const listByShape = Object.fromEntries(Object.entries(list).map(([k, v]) => [k, pct(v, 0.95)]));
  const cityTotal = (await get(cookies.city, '/api/members?page=1&pageSize=20')).body.total;
  err(`检索 p95：${JSON.stringify(search)}；命中（封顶 10001）：${JSON.stringify(hits)}`);
  err(`列表 p95 ${listP95} 毫秒 ${JSON.stringify(listByShape)}（市级 total=${cityTotal}）`);

  // ---- throughput at 20 concurrent: the project, then the raw floor with the same SQL ----
  const rps: Record<string, number> = {};
  const vsRaw: Record<string, number | null> = {};
  const rawRps: Record<string, number> = {};
  let floor: Awaited<ReturnType<typeof startRawFloor>> | null = null;
  let capturing: Kysely<DB> | null = null;
  const log: Statement[] = [];
  if (ctx.url) {
    floor = await startRawFloor(ctx.url, 10);
    capturing = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ ...connectionConfig(ctx.url), max: 1 }) }),
      log: (e) => {
        if (e.level === 'query') log.push({ text: e.query.sql, values: [...e.query.parameters] });
      },
    });
  }
  try {
    let warm = false;
    for (const [kind, shape] of Object.entries(all)) {
      // The first shape at 20 concurrent would also pay for the pools' new connections and the code
      // paths concurrency reaches first (on both servers): 2 s of it, not counted, before any shape.
      if (!warm) await httpLoad({ port, paths: shape.terms.map(searchPath), headers: { cookie: cookies[shape.scope] }, concurrency: 20, durationMs: 2000 });
      const project = await httpLoad({
        port,
        paths: shape.terms.map(searchPath),
        headers: { cookie: cookies[shape.scope] },
        concurrency: 20,
        durationMs: 5000,
      });
      rps[kind] = project.rps;
      if (project.errors) err(`  ${kind}: ${project.errors} 个请求失败`);
      if (floor && capturing) {
        const requests: Statement[][] = [];
        for (const q of shape.terms) requests.push(await captureRoll(capturing, log, ctx.crypto, ctx.paths[shape.scope], q));
        await floor.register(kind, requests);
        if (!warm) await httpLoad({ port: floor.port, paths: requests.map((_, k) => floor!.path(kind, k)), concurrency: 20, durationMs: 2000 });
        const raw = await httpLoad({ port: floor.port, paths: requests.map((_, k) => floor!.path(kind, k)), concurrency: 20, durationMs: 5000 });
        if (raw.errors) err(`  raw ${kind}: ${raw.errors} 个请求失败`);
        rawRps[kind] = raw.rps;
        vsRaw[kind] = raw.rps ? Number((project.rps / raw.rps).toFixed(2)) : null;
      } else vsRaw[kind] = null;
      warm = true;
      err(`  ${kind}: ${project.rps} 次/秒（p99 ${project.p99_ms} 毫秒）；原始下限 ${rawRps[kind] ?? '—'} 次/秒；比值 ${vsRaw[kind] ?? '—'}`);
    }
  } finally {
    floor?.stop();
    await capturing?.destroy();
  }

  return { search, hits, listP95, listByShape, rps, rawRps, vsRaw };
}

/** The grassroots union of the bench: the county's largest (its admin account is moved there). */
export async function largestGrassroots(db: Kysely<DB>, countyPath: string) {
  const r = await sql<{ org_id: string; path: string; n: number }>`
    select m.org_id, o.path, count(*)::int as n from memberships m join orgs o on o.id = m.org_id
    where m.org_path like ${`${countyPath}%`} and o.type = 'grassroots'
    group by m.org_id, o.path order by n desc limit 1`.execute(db);
  return r.rows[0]!;
}
