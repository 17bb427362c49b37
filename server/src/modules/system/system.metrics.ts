// What /metrics reports besides the requests (platform/metrics.ts), read when scraped: the
// database pool, a ping's time, the import job queue, the job queues, the audit sealer's lag and the
// read replica's state and lag. A source that
// fails (the database is down) leaves its gauge empty for that scrape; gonghui_db_up says why.
import { Gauge } from 'prom-client';
import type { AppDeps } from '../../platform/context.js';
import type { AppMetrics } from '../../platform/metrics.js';
import { systemRepository } from './system.repository.js';
import { within } from './system.health.js';

export interface MetricSources {
  /** Import jobs waiting or running (modules/imports). */
  importQueue(): Promise<{ queued: number; running: number }>;
  /** Unsealed audit rows and the oldest one's age (modules/audit). */
  sealerLag(): Promise<{ unsealed: number; oldestAgeSeconds: number }>;
  /** Items waiting per job queue (platform/jobs.ts, decision 037). */
  jobQueues?(): Promise<{ queue: string; waiting: number }[]>;
}

const SCRAPE_TIMEOUT_MS = 2000;

/** Registers the gauges; returns the reads to run before each scrape's text. */
export function registerSystemMetrics(metrics: AppMetrics, deps: AppDeps, sources: MetricSources): () => Promise<void> {
  const { database } = deps;
  const pool = database.pool;
  const registers = [metrics.registry];
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers });

  gauge('gonghui_db_info', 'The database this process uses (kind: postgres or pglite)', ['kind']).set({ kind: database.kind }, 1);
  const connections = gauge(
    'gonghui_db_pool_connections',
    'Database connections by state: total, idle, waiting (clients queued for one), max. PGlite is one in-process connection: total 1, max 1 (its wait shows in gonghui_db_ping_seconds)',
    ['state'],
  );
  const up = gauge('gonghui_db_up', 'Whether the database answered select 1 within 2 s at this scrape');
  const ping = gauge('gonghui_db_ping_seconds', 'Time a select 1 took at this scrape, including the wait for a connection');
  const imports = gauge('gonghui_import_jobs', 'Member import jobs by status: queued, running', ['status']);
  const unsealed = gauge('gonghui_audit_unsealed_rows', 'Audit rows written unsealed, not yet linked into their chain by the sealer (counted up to 100000)');
  const oldest = gauge('gonghui_audit_unsealed_oldest_seconds', 'Age in seconds of the oldest audit row the sealer has not linked yet (0 when none)');
  const waiting = gauge(
    'gonghui_job_queue_waiting',
    'Items waiting in each job queue (gh-tick: periodic tasks; gh-import-*: imports), across all processes on PostgreSQL',
    ['queue'],
  );

  // The read replica (decision 038), when one is configured: whether reads go there, and how far behind it is.
  const replicaState = database.replica
    ? gauge('gonghui_replica_state', 'The read replica: 1 for the current state (ok: reads go there; down or lagging: reads on the primary)', ['state'])
    : null;
  const replicaLag = database.replica
    ? gauge('gonghui_replica_lag_seconds', "The read replica's last measured replay lag in seconds (empty while down)")
    : null;

  return async function refresh() {
    if (database.replica && replicaState && replicaLag) {
      const r = await database.replica.probe().catch(() => database.replica!.status());
      for (const state of ['ok', 'down', 'lagging'] as const) replicaState.set({ state }, r.state === state ? 1 : 0);
      if (r.lagMs === null) replicaLag.reset();
      else replicaLag.set(r.lagMs / 1000);
    }
    if (pool) {
      connections.set({ state: 'total' }, pool.totalCount);
      connections.set({ state: 'idle' }, pool.idleCount);
      connections.set({ state: 'waiting' }, pool.waitingCount);
      connections.set({ state: 'max' }, pool.options.max ?? 10);
    } else {
      connections.set({ state: 'total' }, 1);
      connections.set({ state: 'max' }, 1);
    }
    const started = process.hrtime.bigint();
    const answered = await within(SCRAPE_TIMEOUT_MS, () => systemRepository.ping(database.db));
    up.set(answered === 'ok' ? 1 : 0);
    if (answered !== 'ok') {
      for (const g of [ping, imports, unsealed, oldest]) g.reset();
      return;
    }
    ping.set(Number(process.hrtime.bigint() - started) / 1e9);
    const [queue, lag, queues] = await Promise.allSettled([sources.importQueue(), sources.sealerLag(), sources.jobQueues?.() ?? Promise.resolve([])]);
    if (queues.status === 'fulfilled') for (const q of queues.value) waiting.set({ queue: q.queue }, q.waiting);
    else waiting.reset();
    if (queue.status === 'fulfilled') {
      imports.set({ status: 'queued' }, queue.value.queued);
      imports.set({ status: 'running' }, queue.value.running);
    } else imports.reset();
    if (lag.status === 'fulfilled') {
      unsealed.set(lag.value.unsealed);
      oldest.set(lag.value.oldestAgeSeconds);
    } else {
      unsealed.reset();
      oldest.reset();
    }
  };
}
