// One test file = one app over its own copy of the seeded database, a manual clock and a
// recording SMS provider. Requests go through the whole Fastify pipeline (app.inject).
import type { FastifyBaseLogger, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../server/src/app.js';
import { createDeps } from '../../server/src/bootstrap.js';
import type { Config } from '../../server/src/config.js';
import { ManualClock } from '../../server/src/platform/clock.js';
import { LogSmsProvider } from '../../server/src/platform/sms.js';
import { DEMO_PASSWORD } from '../../server/src/seed/demo.js';
import { openTestDatabase, type TestReplicaOptions } from './test-db.js';

export const TEST_SECRETS: Config['secrets'] = {
  fieldEncryptionKey: '00112233445566778899aabbccddeeff',
  fieldMacKey: '11'.repeat(32),
  blindIndexKey: '22'.repeat(32),
  tokenSigningKey: '33'.repeat(32),
  auditKey: '44'.repeat(32),
};

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: 'test',
    port: 0,
    host: '127.0.0.1',
    dataDir: '/nonexistent',
    databaseUrl: null,
    demoMode: true,
    secrets: TEST_SECRETS,
    logLevel: 'silent',
    trustProxy: false,
    ...overrides,
  };
}

export interface Client {
  csrfToken: string;
  cookie: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export async function createTestApp(opts: { config?: Partial<Config>; serveWeb?: boolean; loggerInstance?: FastifyBaseLogger } & TestReplicaOptions = {}) {
  const database = await openTestDatabase(opts);
  const clock = new ManualClock(new Date('2026-11-21T02:00:00Z'));
  const sms = new LogSmsProvider();
  const deps = createDeps(testConfig(opts.config), database, { clock, sms });
  const { app, services, routes } = await buildApp(deps, {
    serveWeb: opts.serveWeb ?? false,
    ...(opts.loggerInstance && { loggerInstance: opts.loggerInstance }),
  });
  await app.ready();

  const client = (cookie: string, csrfToken: string): Client => {
    const request = (o: InjectOptions) =>
      app.inject({ ...o, headers: { ...(cookie && { cookie }), ...(csrfToken && { 'x-csrf-token': csrfToken }), ...o.headers } });
    return {
      cookie,
      csrfToken,
      request,
      get: (url) => request({ method: 'GET', url }),
      post: (url, body) => request({ method: 'POST', url, payload: (body ?? {}) as object }),
      patch: (url, body) => request({ method: 'PATCH', url, payload: (body ?? {}) as object }),
      delete: (url) => request({ method: 'DELETE', url }),
    };
  };

  return {
    app,
    routes,
    services,
    deps,
    database,
    db: database.db,
    clock,
    sms,
    anonymous: client('', ''),
    /** Signs in a staff account (demo password by default). */
    async login(username: string, password = DEMO_PASSWORD): Promise<Client> {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      return client(cookie, (res.json() as { csrfToken: string }).csrfToken);
    },
    /**
     * Signs in an account made by an administrator and changes its initial password (until then the
     * server answers only me, the password change and logout). The session stays signed in.
     */
    async firstLogin(username: string, initialPassword: string, newPassword = `${initialPassword}-New`): Promise<Client> {
      const c = await this.login(username, initialPassword);
      const res = await c.post('/api/auth/password', { currentPassword: initialPassword, newPassword });
      if (res.statusCode !== 200) throw new Error(`password change ${username} failed: ${res.statusCode} ${res.body}`);
      return c;
    },
    /** Signs in a worker through the SMS flow. */
    async workerLogin(phone: string): Promise<Client> {
      const sent = await app.inject({ method: 'POST', url: '/api/worker/sms-code', payload: { phone } });
      if (sent.statusCode !== 200) throw new Error(`sms ${sent.statusCode} ${sent.body}`);
      const code = (sent.json() as { demoCode: string }).demoCode;
      const res = await app.inject({ method: 'POST', url: '/api/worker/login', payload: { phone, code } });
      if (res.statusCode !== 200) throw new Error(`worker login ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      return client(cookie, (res.json() as { csrfToken: string }).csrfToken);
    },
    client,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** Org ids of the seeded demo tree, looked up by name. */
export async function orgIdByName(t: TestApp, name: string): Promise<string> {
  const row = await t.db.selectFrom('orgs').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}
