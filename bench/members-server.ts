// The API server for the members benchmark, run as a child process so its memory is measured
// on its own: `tsx bench/members-server.ts` with DATABASE_URL and BENCH_SECRETS (JSON) set;
// prints `listening <port>` on stdout. Also imported (startServer) for the in-process PGlite run.
import { getHeapSpaceStatistics } from 'node:v8';
import type { Config } from '../server/src/config.js';
import { buildApp } from '../server/src/app.js';
import { createDeps } from '../server/src/bootstrap.js';
import { openDatabase, type Database } from '../server/src/db/database.js';
import { createServerLogger } from '../server/src/platform/logger.js';

export async function startServer(database: Database, secrets: Config['secrets']) {
  const config: Config = {
    env: 'test',
    port: 0,
    host: '127.0.0.1',
    dataDir: '/nonexistent',
    databaseUrl: null,
    demoMode: false,
    secrets,
    logLevel: 'silent',
    // Each simulated worker comes from its own address (X-Forwarded-For), as on the internet.
    trustProxy: true,
  };
  // The production logger and its one line per request, written to /dev/null: measured, not shown.
  const { app } = await buildApp(createDeps(config, database), { loggerInstance: createServerLogger({ level: 'info', dest: '/dev/null' }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, close: () => app.close() };
}

if (process.argv[1]?.endsWith('members-server.ts')) {
  // DATABASE_REPLICA_URL (the replica suite, bench/replica.ts): figures and exports read the standby.
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, poolSize: 10, replicaUrl: process.env.DATABASE_REPLICA_URL || null });
  const { port } = await startServer(database, JSON.parse(process.env.BENCH_SECRETS!) as Config['secrets']);
  console.log(`listening ${port}`);
  process.on('SIGTERM', () => process.exit(0));
  // BENCH_MEM_LOG=1: the server's memory (heap, external, RSS) at each new peak, to stderr.
  if (process.env.BENCH_MEM_LOG) {
    let max = 0;
    setInterval(() => {
      const m = process.memoryUsage();
      if (m.rss > max) {
        max = m.rss;
        const mb = (n: number) => Math.round(n / 1048576);
        console.error(
          `mem rss ${mb(m.rss)} heapTotal ${mb(m.heapTotal)} heapUsed ${mb(m.heapUsed)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)} spaces ${getHeapSpaceStatistics()
            .filter((sp) => sp.space_size > 4 * 1048576)
            .map((sp) => `${sp.space_name.replace(/_space$/, '')}:${mb(sp.space_size)}/${mb(sp.space_used_size)}`)
            .join(' ')}`,
        );
      }
    }, 100).unref();
  }
}
