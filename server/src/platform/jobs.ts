// Background work behind one interface (decision 037). Two kinds:
// - periodic tasks (reminders, clean-ups, the indicator snapshot, audit anchoring): `every` runs a
//   task once per period across all processes (and once at start when asked); `perProcess` runs it
//   on every process's own timer (the audit sealer: it takes its own lock, and runs every second);
// - work queues (imports): `send` enqueues an item; a handler runs it on some process, and again on
//   another when the process running it died (handlers are safe to re-run: they take a lock and
//   check the item's state first).
// With PostgreSQL the runner is pg-boss (jobs.pgboss.ts: its own schema `pgboss`, its own small
// pool); on PGlite — one process, no network server — everything runs in this process, as timers
// and in-memory FIFO queues, the way the server ran before.
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { startBackgroundJob, type BackgroundJob } from './background-job.js';

/** Every queue the server uses: created once in the template database of the tests (global setup), at start otherwise. */
export const JOB_QUEUES = {
  /** Periodic tasks: one item per task and period (the task's name in the data). */
  tick: 'gh-tick',
  memberImport: 'gh-import-members',
  enterpriseImport: 'gh-import-enterprises',
  fundsImport: 'gh-import-funds',
} as const;
export type JobQueueName = (typeof JOB_QUEUES)[keyof typeof JOB_QUEUES];

export interface JobTimings {
  /** How often an idle worker asks PostgreSQL for work (pg-boss polling, ≥ 500 ms). Work sent by this process starts at once. */
  pollMs: number;
  /** pg-boss maintenance (expiring lost jobs, archiving), in seconds. */
  maintenanceSeconds: number;
  /**
   * How long an import may run before pg-boss counts it lost (< 24 h). An import whose process died is
   * found much sooner by the sweep (`recoverMs`): its lock is free while its state says running.
   */
  importExpireSeconds: number;
  /** How often each process looks for imports whose runner died. */
  recoverMs: number;
}

export const DEFAULT_JOB_TIMINGS: JobTimings = { pollMs: 2000, maintenanceSeconds: 60, importExpireSeconds: 4 * 3600, recoverMs: 15_000 };

/** GONGHUI_JOBS_POLL_MS, GONGHUI_JOBS_MAINTENANCE_S, GONGHUI_JOBS_IMPORT_EXPIRE_S, GONGHUI_JOBS_RECOVER_MS (tests shorten them). */
export function jobTimingsFromEnv(env: NodeJS.ProcessEnv): JobTimings {
  const num = (v: string | undefined, fallback: number, min: number, max: number) => {
    const n = Number(v);
    return v && Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : fallback;
  };
  const d = DEFAULT_JOB_TIMINGS;
  return {
    pollMs: num(env.GONGHUI_JOBS_POLL_MS, d.pollMs, 500, 60_000),
    maintenanceSeconds: num(env.GONGHUI_JOBS_MAINTENANCE_S, d.maintenanceSeconds, 1, 3600),
    importExpireSeconds: num(env.GONGHUI_JOBS_IMPORT_EXPIRE_S, d.importExpireSeconds, 1, 23 * 3600),
    recoverMs: num(env.GONGHUI_JOBS_RECOVER_MS, d.recoverMs, 200, 600_000),
  };
}

export interface QueueOptions {
  /** Seconds a run may take before it counts as lost (pg-boss), default the import expiry. */
  expireSeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
}

export interface WorkQueue<T extends object> {
  /**
   * Enqueues one item. With `trx` on PostgreSQL the item exists only once that transaction commits
   * (send it last in the transaction, then `wake`); the in-process runner holds it until `wake`.
   */
  send(data: T, trx?: Transaction<DB>): Promise<void>;
  /** After the sending transaction committed: this process looks for work now instead of at its next poll. */
  wake(): void;
  /** Resolves once every item this process sent has been handled, here or elsewhere (tests, the bench, the demo seed). */
  idle(): Promise<void>;
}

export interface Jobs {
  /** True when several processes share the work (pg-boss on PostgreSQL). */
  readonly shared: boolean;
  /** True once `stop` began: long handlers stop at their next safe point. */
  readonly stopping: boolean;
  /** Once per `everyMs` across all processes (and once at start when `atStart`); a failure is logged, the next period tries again. */
  every(name: string, everyMs: number, run: () => Promise<unknown>, opts?: { atStart?: boolean }): void;
  /** On this process's own timer. */
  perProcess(name: string, everyMs: number, run: () => Promise<unknown>, opts?: { atStart?: boolean }): void;
  queue<T extends object>(name: JobQueueName, handler: (data: T) => Promise<void>, opts?: QueueOptions): WorkQueue<T>;
  start(): Promise<void>;
  /** Timers stop, no new work is taken, work in flight finishes (handlers see `stopping`). */
  stop(): Promise<void>;
  /** Items waiting per queue (/metrics). */
  depth(): Promise<{ queue: string; waiting: number }[]>;
}

export type JobErrorLog = (name: string, err: unknown) => void;
const logToConsole: JobErrorLog = (name, err) => console.error(`${name} failed`, err);

interface Timer {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
  atStart: boolean;
}

/** Timers started by `start` (at once when registered later), stopped (waiting for a run in flight) by `stop`. */
export function timerSet(onError: JobErrorLog) {
  const pending: Timer[] = [];
  const running: BackgroundJob[] = [];
  let started = false;
  const begin = (t: Timer) =>
    running.push(startBackgroundJob(t.name, t.run, { everyMs: t.everyMs, atStart: t.atStart, onError: (err) => onError(t.name, err) }));
  return {
    add(t: Timer) {
      if (started) begin(t);
      else pending.push(t);
    },
    start() {
      started = true;
      pending.splice(0).forEach(begin);
    },
    async stop() {
      await Promise.all(running.splice(0).map((j) => j.stop()));
    },
  };
}

/** PGlite, or a service built outside the app: everything in this process. */
export function createLocalJobs(opts: { onError?: JobErrorLog } = {}): Jobs {
  const onError = opts.onError ?? logToConsole;
  const timers = timerSet(onError);
  const queues = new Map<string, { chain: Promise<void>; waiting: number }>();
  let stopping = false;
  const add = (name: string, everyMs: number, run: () => Promise<unknown>, o: { atStart?: boolean } = {}) =>
    timers.add({ name, everyMs, run, atStart: o.atStart ?? false });
  return {
    shared: false,
    get stopping() {
      return stopping;
    },
    every: add,
    perProcess: add,
    queue<T extends object>(name: JobQueueName, handler: (data: T) => Promise<void>): WorkQueue<T> {
      const q = { chain: Promise.resolve(), waiting: 0 };
      queues.set(name, q);
      // Items sent inside a transaction wait for `wake` (called once it committed): the handler reads what the transaction wrote.
      const held: T[] = [];
      const run = (data: T) => {
        q.waiting++;
        q.chain = q.chain.then(async () => {
          q.waiting--;
          await handler(data).catch((err: unknown) => onError(name, err));
        });
      };
      return {
        // One item at a time, in the order sent (the import jobs of a process ran so before).
        async send(data, trx) {
          if (trx) held.push(data);
          else run(data);
        },
        wake() {
          held.splice(0).forEach(run);
        },
        async idle() {
          // Items sent while waiting extend the chain: wait until it stops growing.
          for (let seen: Promise<void> | null = null; seen !== q.chain;) {
            seen = q.chain;
            await seen;
          }
        },
      };
    },
    async start() {
      timers.start();
    },
    async stop() {
      stopping = true;
      await timers.stop();
      await Promise.all([...queues.values()].map((q) => q.chain));
    },
    async depth() {
      return [...queues].map(([queue, q]) => ({ queue, waiting: q.waiting }));
    },
  };
}

/** The app's job runner from a module's context (buildApp always gives one). */
export function jobsOf(ctx: { jobs?: Jobs }): Jobs {
  if (!ctx.jobs) throw new Error('this module is built by buildApp, which gives it the job runner (ctx.jobs)');
  return ctx.jobs;
}
