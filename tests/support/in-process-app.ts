// For an e2e file that drives the app's clock: the app runs in the test process (a ManualClock the
// test moves) on a fresh in-memory PGlite with the demo tree and its accounts (no demo story), serving
// the built pages on a free port; `api(username)` signs in over HTTP and sends JSON with the CSRF header.
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { createDeps } from '../../server/src/bootstrap.js';
import { openDatabase, type Database } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import type { Clock } from '../../server/src/platform/clock.js';
import { LogSmsProvider } from '../../server/src/platform/sms.js';
import { DEMO_PASSWORD, seedDemo } from '../../server/src/seed/demo.js';
import { ensureReferenceData } from '../../server/src/seed/reference.js';
import { testConfig } from './test-app.js';

export type ApiCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; json: any }>;

export interface InProcessApp {
  url: string;
  database: Database;
  api(username: string): Promise<ApiCall>;
  close(): Promise<void>;
}

export async function startInProcessApp(clock: Clock): Promise<InProcessApp> {
  execFileSync(process.execPath, ['scripts/build-web.mjs', '--if-needed'], { stdio: 'pipe' });
  const database = await openDatabase({ memory: true });
  await migrateToLatest(database.db);
  await ensureReferenceData(database.db);
  await seedDemo(database.db);
  const { app } = await buildApp(createDeps(testConfig(), database, { clock, sms: new LogSmsProvider() }), { serveWeb: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    database,
    async api(username: string): Promise<ApiCall> {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      expect(res.status).toBe(200);
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      return async (method, path, body) => {
        const r = await fetch(`${url}${path}`, {
          method,
          headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined && { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await r.text();
        return { status: r.status, json: text && r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
      };
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}
