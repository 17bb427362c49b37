// The job runner on PostgreSQL (decision 037): pg-boss 10 in its own schema `pgboss`, over its own
// small pool opened with the same start-up settings as the app's (connectionConfig).
// - Periodic tasks: each process keeps the timers it kept before, but a tick only *sends* an item
//   to the `gh-tick` queue, throttled by pg-boss to one per task and period (singletonKey = task,
//   singletonSeconds = period): whichever process sends first in a period gets the run, the others'
//   sends are no-ops. The item runs on whichever process fetches it; a run lost with its process
//   is expired and retried by pg-boss.
// - Work queues: one worker per queue and process, one item at a time; an item sent here wakes this
//   process's worker at once, the others find it at their next poll.
import type PgBoss from 'pg-boss';
import { CompiledQuery, type Transaction } from 'kysely';
import type pg from 'pg';
import { connectionConfig, type Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import {
  createLocalJobs,
  JOB_QUEUES,
  timerSet,
  type JobErrorLog,
  type JobQueueName,
  type Jobs,
  type JobTimings,
  type QueueOptions,
  type WorkQueue,
} from './jobs.js';

export const JOB_SCHEMA = 'pgboss';
/** A periodic run that takes longer than this counts as lost (its process died) and is retried elsewhere. */
const TICK_EXPIRE_SECONDS = 3600;
/** Completed items stay in the job table this long: a daily task's throttle slot lives as long as they do. */
const ARCHIVE_AFTER_SECONDS = 86_400 + 3600;

type Boss = PgBoss;

/** pg-boss's options: its own pool of a few connections (workers poll on it; the app's pool stays the app's). */
export function bossOptions(databaseUrl: string, timings: Pick<JobTimings, 'pollMs' | 'maintenanceSeconds'>): PgBoss.ConstructorOptions {
  const { connectionString, options } = connectionConfig(databaseUrl);
  return {
    connectionString: connectionString!,
    ...(options && ({ options } as object)),
    max: 3,
    application_name: 'gonghui-jobs',
    schema: JOB_SCHEMA,
    // Periodic tasks are throttled sends (above), not pg-boss cron: no cron monitor, no extra queue.
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: timings.maintenanceSeconds,
    pollingIntervalSeconds: timings.pollMs / 1000,
    archiveCompletedAfterSeconds: ARCHIVE_AFTER_SECONDS,
    archiveFailedAfterSeconds: 7 * 86_400,
    deleteAfterDays: 7,
  };
}

async function loadBoss(): Promise<typeof PgBoss> {
  return (await import('pg-boss')).default;
}

/**
 * Installs pg-boss's schema and the server's queues (the tests' template database: every copy then
 * starts without creating tables). Idempotent.
 */
export async function installJobSchema(databaseUrl: string): Promise<void> {
  const Ctor = await loadBoss();
  const boss = new Ctor({ ...bossOptions(databaseUrl, { pollMs: 2000, maintenanceSeconds: 60 }), supervise: false, max: 1 });
  boss.on('error', (err) => console.error('[jobs]', err));
  await boss.start();
  try {
    for (const name of Object.values(JOB_QUEUES)) await boss.createQueue(name);
  } finally {
    await boss.stop({ graceful: false });
  }
}

/** pg-boss's `db` option over a Kysely transaction: its insert commits (or not) with the caller's writes. */
function inTransaction(trx: Transaction<DB>): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[]) {
      const r = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: r.rows as unknown[] };
    },
  };
}

export function createPgBossJobs(opts: { databaseUrl: string; timings: JobTimings; onError: JobErrorLog }): Jobs {
  const { timings, onError } = opts;
  const timers = timerSet(onError);
  const tasks = new Map<string, () => Promise<unknown>>();
  const queues = new Map<JobQueueName, { handler: (data: object) => Promise<void>; options: QueueOptions; workerId?: string; sent: Set<string> }>();
  let boss: Boss | null = null;
  let tickWorker: string | null = null;
  let stopping = false;

  const sendTick = async (name: string, everyMs: number) => {
    if (!boss || stopping) return;
    const id = await boss.sendThrottled(
      JOB_QUEUES.tick,
      { task: name },
      { expireInSeconds: TICK_EXPIRE_SECONDS, retryLimit: 2, retryDelay: 30 },
      Math.max(1, Math.floor(everyMs / 1000)),
      name,
    );
    if (id && tickWorker) boss.notifyWorker(tickWorker);
  };

  const every = (name: string, everyMs: number, run: () => Promise<unknown>, o: { atStart?: boolean } = {}) => {
    tasks.set(name, run);
    timers.add({ name: `${name} (schedule)`, everyMs, run: () => sendTick(name, everyMs), atStart: o.atStart ?? false });
  };

  async function waitHandled(name: string, id: string) {
    for (;;) {
      const job = boss ? await boss.getJobById(name, id, { includeArchive: true }) : null;
      if (!job || ['completed', 'failed', 'cancelled'].includes(job.state)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    shared: true,
    get stopping() {
      return stopping;
    },
    every,
    perProcess(name, everyMs, run, o = {}) {
      timers.add({ name, everyMs, run, atStart: o.atStart ?? false });
    },
    queue<T extends object>(name: JobQueueName, handler: (data: T) => Promise<void>, options: QueueOptions = {}): WorkQueue<T> {
      const q = { handler: handler as (data: object) => Promise<void>, options, sent: new Set<string>() } as {
        handler: (data: object) => Promise<void>;
        options: QueueOptions;
        workerId?: string;
        sent: Set<string>;
      };
      queues.set(name, q);
      return {
        async send(data, trx) {
          if (!boss) throw new Error(`job queue ${name} used before the jobs started`);
          const id = await boss.send(name, data, trx ? { db: inTransaction(trx) } : {});
          if (id) remember(q.sent, id);
          if (!trx) this.wake();
        },
        wake() {
          if (boss && q.workerId) boss.notifyWorker(q.workerId);
        },
        async idle() {
          for (const id of [...q.sent]) {
            await waitHandled(name, id);
            q.sent.delete(id);
          }
        },
      };
    },
    async start() {
      const Ctor = await loadBoss();
      const b = new Ctor(bossOptions(opts.databaseUrl, timings));
      // Without a listener an 'error' event would end the process; pg-boss retries its own polling.
      b.on('error', (err) => onError('job queue', err));
      await b.start();
      boss = b;
      const work = { pollingIntervalSeconds: timings.pollMs / 1000, batchSize: 1 };
      await b.createQueue(JOB_QUEUES.tick);
      tickWorker = await b.work<{ task: string }>(JOB_QUEUES.tick, work, async ([job]) => {
        const run = tasks.get(job!.data.task);
        if (!run) throw new Error(`unknown periodic task ${job!.data.task}`);
        try {
          await run();
        } catch (err) {
          onError(job!.data.task, err);
          throw err;
        }
      });
      for (const [name, q] of queues) {
        await b.createQueue(name, {
          name,
          expireInSeconds: q.options.expireSeconds ?? timings.importExpireSeconds,
          retryLimit: q.options.retryLimit ?? 5,
          retryDelay: q.options.retryDelaySeconds ?? 1,
        });
        q.workerId = await b.work<object>(name, work, async ([job]) => {
          try {
            await q.handler(job!.data);
            q.sent.delete(job!.id);
          } catch (err) {
            if (!stopping) onError(name, err);
            throw err;
          }
        });
      }
      timers.start();
    },
    async stop() {
      stopping = true;
      await timers.stop();
      // Graceful: workers take no new items; the ones in flight finish (an import hands itself back at
      // its next chunk boundary and is retried by another process); then the pool closes.
      await boss?.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
    async depth() {
      if (!boss) return [];
      const b = boss;
      return Promise.all([JOB_QUEUES.tick, ...queues.keys()].map(async (queue) => ({ queue, waiting: await b.getQueueSize(queue) })));
    },
  };
}

/**
 * The ids idle() waits for: sent here and not yet handled here. An item another process handled stays
 * until idle() looks it up, so the oldest are let go past a bound rather than kept for the process's life.
 */
const SENT_KEPT = 1_000;
function remember(sent: Set<string>, id: string) {
  sent.add(id);
  if (sent.size > SENT_KEPT) sent.delete(sent.values().next().value!);
}

/** The connection string of an open pool (the tests open their database before the config knows it). */
export function poolUrl(pool: pg.Pool): string | null {
  return (pool.options as { connectionString?: string }).connectionString ?? null;
}

/** pg-boss on PostgreSQL, the in-process runner on PGlite. */
export function createJobsFor(database: Database, timings: JobTimings, onError: JobErrorLog): Jobs {
  const url = database.kind === 'postgres' && database.pool ? poolUrl(database.pool) : null;
  return url ? createPgBossJobs({ databaseUrl: url, timings, onError }) : createLocalJobs({ onError });
}
