// Operations (issue 18 item 3, decision 035): /metrics in Prometheus text for this machine or a
// token holder only, the request id on every log line written while a request is handled, the
// health probes, and a stop that drains requests and ends an import at a chunk boundary.
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerLogger } from '../../server/src/platform/logger.js';
import { runWithRequest } from '../../server/src/platform/request-context.js';
import { within } from '../../server/src/modules/system/system.health.js';
import { createImportsService, SHUTDOWN_MESSAGE } from '../../server/src/modules/imports/imports.service.js';
import { IMPORT_HEADERS } from '../../server/src/modules/imports/imports.schema.js';
import type { StaffActor } from '../../server/src/platform/context.js';
import { DEMO_PASSWORD } from '../../server/src/seed/demo.js';
import { createTestApp, type Client, type TestApp } from '../support/test-app.js';
import { fakePerson } from '../support/people.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const OUTSIDE = '203.0.113.7';

let t: TestApp;
let county: Client;
const raw: string[] = [];
const lines = () => raw.map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  t = await createTestApp({ config: { metricsToken: TOKEN }, loggerInstance: createServerLogger({ level: 'info', stream: sink }) });
  county = await t.login('county_admin');
});
afterAll(async () => t?.close());

function csv(from: number, count: number): Buffer {
  const rows = Array.from({ length: count }, (_, i) => {
    const p = fakePerson(from + i);
    return IMPORT_HEADERS.map((h) => (h === '姓名' ? p.name : h === '证件号码' ? p.idNumber : h === '手机号' ? p.phone : '')).join(',');
  });
  return Buffer.from(`\uFEFF${[IMPORT_HEADERS.join(','), ...rows].join('\r\n')}\r\n`, 'utf8');
}

async function grassroots(): Promise<string> {
  return (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
}

describe('health probes', () => {
  it('ready is 503 while a migration this code knows is not applied, 200 once it is', async () => {
    const last = (await sql<{ name: string }>`select max(name) as name from kysely_migration`.execute(t.db)).rows[0]!.name;
    await sql`update kysely_migration set name = ${`${last}-hidden`} where name = ${last}`.execute(t.db);
    const pending = await t.anonymous.get('/api/health/ready');
    await sql`update kysely_migration set name = ${last} where name = ${`${last}-hidden`}`.execute(t.db);
    expect(pending.statusCode).toBe(503);
    expect(pending.json()).toEqual({ status: 'not_ready', database: 'ok', migrations: 'pending' });
    const ready = await t.anonymous.get('/api/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: 'ok', migrations: 'ok' });
  });

  it('live answers without a session and without the database; /api/health keeps its shape', async () => {
    const live = await t.anonymous.get('/api/health/live');
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'live' });
    expect((await t.anonymous.get('/api/health')).json()).toMatchObject({ status: 'ok', database: { reachable: true } });
  });

  it('a database that does not answer in time counts as not ready (the wait is bounded)', async () => {
    const started = Date.now();
    expect(await within(50, () => new Promise((r) => setTimeout(r, 1000)))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(900);
    expect(await within(50, () => Promise.reject(new Error('down')))).toBe('error');
    expect(await within(1000, () => Promise.resolve())).toBe('ok');
  });
});

describe('/metrics', () => {
  it('a scrape from this machine over HTTP shows the route pattern just requested, never the raw URL', async () => {
    expect((await county.get('/api/members?q=13800138000&page=1')).statusCode).toBe(200);
    expect((await t.anonymous.get('/api/no-such-route')).statusCode).toBe(404);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const r = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    const text = await r.text();
    expect(text).toMatch(/gonghui_http_request_duration_seconds_count\{method="GET",route="\/api\/members",status="2xx"\} 1\b/);
    expect(text).toMatch(/gonghui_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/members",status="2xx"\}/);
    expect(text).toMatch(/route="\(no route\)",status="4xx"/);
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('no-such-route');
    // Process metrics, the pool, the import queue and the sealer's lag.
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toMatch(/gonghui_db_up 1/);
    expect(text).toMatch(new RegExp(`gonghui_db_info\\{kind="${t.database.kind}"\\} 1`));
    expect(text).toMatch(/gonghui_db_pool_connections\{state="total"\} \d+/);
    expect(text).toMatch(/gonghui_db_ping_seconds \d/);
    expect(text).toMatch(/gonghui_import_jobs\{status="queued"\} 0/);
    expect(text).toMatch(/gonghui_import_jobs\{status="running"\} 0/);
    expect(text).toMatch(/gonghui_audit_unsealed_rows \d+/);
    expect(text).toMatch(/gonghui_audit_unsealed_oldest_seconds \d/);
  });

  it('the sealer lag counts unsealed audit rows and the age of the oldest', async () => {
    await t.services.audit.sealDeferred();
    expect(await t.services.audit.sealerLag()).toEqual({ unsealed: 0, oldestAgeSeconds: 0 });
    await t.db
      .transaction()
      .execute((trx) =>
        t.services.audit.appendDeferred(trx, { actorType: 'system', actorId: null, actorName: '测试', action: 'test.metrics', outcome: 'success' }),
      );
    t.clock.advance(90_000);
    const lag = await t.services.audit.sealerLag();
    expect(lag.unsealed).toBe(1);
    expect(lag.oldestAgeSeconds).toBeGreaterThanOrEqual(90);
    await t.services.audit.sealDeferred();
    expect((await t.services.audit.sealerLag()).unsealed).toBe(0);
  });

  it('is 404 from another address without the token, and from this machine through a proxy', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: TOKEN }]) {
      const r = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: OUTSIDE, headers });
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('接口不存在') } });
    }
    // nginx on the same machine connects from 127.0.0.1: a forwarded request is not a local one.
    for (const headers of [{ 'x-forwarded-for': OUTSIDE }, { 'x-real-ip': OUTSIDE }, { forwarded: `for=${OUTSIDE}` }]) {
      expect((await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1', headers })).statusCode).toBe(404);
    }
  });

  it('is 200 from another address with the token', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: OUTSIDE, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('gonghui_http_request_duration_seconds_bucket');
  });
});

describe('the request id on log lines', () => {
  it('a line a service writes while handling a request carries that request id', async () => {
    raw.length = 0;
    const orgId = await grassroots();
    const res = await county.request({
      method: 'POST',
      url: `/api/members/import?orgId=${orgId}&fileName=${encodeURIComponent('日志.csv')}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: csv(8000, 3),
    });
    expect(res.statusCode, res.body).toBe(200);
    await t.services.features.imports.service.idle();
    const reqId = res.headers['x-request-id'];
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    const queued = lines().find((l) => l.msg === '会员导入任务已排队');
    expect(queued).toMatchObject({ reqId, importJob: res.json().jobId });
    // Fastify's own request line binds the id already: it appears once, not twice.
    const requestLine = raw.find((l) => l.includes('"msg":"req"') && l.includes(reqId as string))!;
    expect(requestLine.match(/"reqId":/g)).toHaveLength(1);
  });

  it('a line written outside any request has no request id; inside one, it has', async () => {
    raw.length = 0;
    t.app.log.info('outside');
    runWithRequest('r-1', () => t.app.log.info('inside'));
    const [outside, inside] = lines();
    expect(outside).toMatchObject({ msg: 'outside' });
    expect(outside).not.toHaveProperty('reqId');
    expect(inside).toMatchObject({ msg: 'inside', reqId: 'r-1' });
  });
});

describe('stopping', () => {
  it('an import stops at a chunk boundary when the server stops; a queued one does not start; both say so', async () => {
    const s = t.services;
    const svc = createImportsService(
      { ...t.deps, audit: s.audit, orgs: s.orgs, members: s.members, joining: s.joining, messages: s.messages, holidays: s.holidays },
      { chunkRows: 2 },
    );
    const acc = await t.db
      .selectFrom('staff_accounts as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select(['a.id', 'a.org_id', 'o.path'])
      .where('a.username', '=', 'county_admin')
      .executeTakeFirstOrThrow();
    const actor: StaffActor = {
      type: 'staff',
      accountId: acc.id,
      username: 'county_admin',
      displayName: '县总管理员',
      orgId: acc.org_id,
      orgPath: acc.path,
      permissions: new Set(['member:import']),
      sessionId: 'test',
    };
    const meta = { ip: '127.0.0.1', requestId: 'stop', userAgent: null };
    const orgId = await grassroots();
    const running = await svc.start(actor, meta, { orgId, fileName: '停止.csv' }, csv(8100, 400));
    const queued = await svc.start(actor, meta, { orgId, fileName: '排队.csv' }, csv(8600, 4));
    // On PostgreSQL the job first checks its uploader on a connection of its own: wait until it has begun
    // (read its file: the total is known; 200 chunks of 2 rows take far longer than this wait's last
    // step). On PGlite this read would queue behind the job's own statements on the one connection.
    if (t.deps.database.kind === 'postgres') {
      for (let i = 0; i < 1000 && (await svc.get(actor, running.jobId)).total === null; i++) await new Promise((r) => setTimeout(r, 5));
    }
    await svc.close();
    const first = await svc.get(actor, running.jobId);
    expect(first).toMatchObject({ status: 'failed', message: SHUTDOWN_MESSAGE, total: 400 });
    expect(first.processed).toBeLessThan(400);
    expect(first.processed % 2).toBe(0); // whole chunks only
    expect(first.added).toBe(first.processed);
    expect(await svc.get(actor, queued.jobId)).toMatchObject({ status: 'failed', message: SHUTDOWN_MESSAGE, processed: 0 });
    expect(await svc.queueDepth()).toEqual({ queued: 0, running: 0 });
  });
});

describe('closing the app', () => {
  let c: TestApp;
  beforeAll(async () => {
    c = await createTestApp();
  });
  afterAll(async () => c?.database.close());

  it('waits for a request in flight, and answers it, before it closes', async () => {
    await c.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = c.app.server.address() as AddressInfo;
    // The sign-in waits for the account row (PostgreSQL) or the one connection (PGlite) held here.
    let closedAt = 0;
    let answeredAt = 0;
    c.app.server.on('request', (_req, res: import('node:http').ServerResponse) => res.on('finish', () => (answeredAt = Date.now())));
    const held = c.db.transaction().execute(async (trx) => {
      await sql`select id from staff_accounts where username = 'city_admin' for update`.execute(trx);
      await new Promise((r) => setTimeout(r, 700));
    });
    await new Promise((r) => setTimeout(r, 50));
    const login = fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'city_admin', password: DEMO_PASSWORD }),
    }).then((r) => r.status);
    await new Promise((r) => setTimeout(r, 150));
    // Resolves only once the sign-in is answered and its kept-alive connection is closed (not after 72 s).
    await c.app.close().then(() => (closedAt = Date.now()));
    await held;
    expect(await login).toBe(200);
    expect(answeredAt).toBeGreaterThan(0);
    expect(closedAt).toBeGreaterThanOrEqual(answeredAt);
    expect(closedAt - answeredAt).toBeLessThan(5000);
  });
});
