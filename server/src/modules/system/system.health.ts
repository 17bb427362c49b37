// The health probes (issue 18 item 3). live: the process answers (no database) — for a supervisor
// deciding to restart it. ready: the database answers `select 1` within a short time and every
// migration this code knows is applied — for a load balancer deciding to send it traffic. While the
// app closes, Fastify itself answers 503 to new requests, so a draining process drops out.
import type { AppDeps } from '../../platform/context.js';
import { migrations } from '../../db/migrations/index.js';
import { systemRepository } from './system.repository.js';

export const READY_TIMEOUT_MS = 2000;

export type DatabaseCheck = 'ok' | 'timeout' | 'error';

/** Resolves to what `work` did within `ms`: 'ok', 'error', or 'timeout' (the work goes on unobserved). */
export async function within(ms: number, work: () => Promise<unknown>): Promise<DatabaseCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DatabaseCheck>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    timer.unref();
  });
  const done = work().then(
    () => 'ok' as const,
    () => 'error' as const,
  );
  try {
    return await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createHealth(deps: AppDeps, opts: { timeoutMs?: number } = {}) {
  const db = deps.database.db;
  const timeoutMs = opts.timeoutMs ?? READY_TIMEOUT_MS;
  const known = Object.keys(migrations);
  // Once every known migration is applied it stays so: asked again only until then.
  let migrated = false;

  return {
    /** The database answers a trivial statement in time. */
    database: (): Promise<DatabaseCheck> => within(timeoutMs, () => systemRepository.ping(db)),

    async ready(): Promise<{ ready: boolean; database: DatabaseCheck; migrations: 'ok' | 'pending' | 'unknown' }> {
      const database = await within(timeoutMs, () => systemRepository.ping(db));
      if (database !== 'ok') return { ready: false, database, migrations: 'unknown' };
      if (!migrated) {
        let applied: Set<string>;
        try {
          applied = new Set(await systemRepository.appliedMigrations(db));
        } catch {
          return { ready: false, database, migrations: 'unknown' };
        }
        migrated = known.every((name) => applied.has(name));
      }
      return { ready: migrated, database, migrations: migrated ? 'ok' : 'pending' };
    },
  };
}

export type Health = ReturnType<typeof createHealth>;
