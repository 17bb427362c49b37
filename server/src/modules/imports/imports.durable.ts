// An import as a job that survives its process (decision 037). The upload stores the file beside the
// job (PostgreSQL: `job_files`, in the upload's transaction; PGlite: in memory) and sends a queue
// item in the same transaction. A runner takes the job's lock (a session advisory lock on a
// connection of its own), checks the job is unfinished and has attempts left, and runs it: the roll
// import resumes after its last committed chunk, the register imports run again (their upserts
// make that a no-op for rows already in). So a second delivery of the same item, or a sweep that
// resends it, never makes two runners, and a job whose process died is resumed by another: the
// sweep (each process, every few seconds) finds jobs that say `running` while nobody holds their
// lock and sends them again.
// Each run — the first, or a resume after a restart — starts only if the uploader may still do what
// the upload did: an account that was disabled, moved out of the union's tree or lost the import
// permission since then does not have its file written into the roll.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { createLocalJobs, DEFAULT_JOB_TIMINGS, type JobQueueName, type Jobs } from '../../platform/jobs.js';
import { jobsRepository, tryJobLock } from '../../platform/jobs.repository.js';
import type { Permission } from '../../platform/permissions.js';
import type { Executor } from '../audit/audit.repository.js';
import { effectivePermissions } from '../auth/duties.js';
import { importJobsRepository, type ImportTable } from './imports.jobs.repository.js';
import type { ModuleContext } from '../module-context.js';

/** A job whose runner died this often (a file that takes its process down) ends failed. */
export const MAX_ATTEMPTS = 5;
export const ATTEMPTS_MESSAGE = '导入多次中断（服务重启），任务已中止。已导入的行已保存；请检查文件后重新上传，已导入的数据会自动跳过。';
export const UPLOADER_MESSAGE =
  '上传人的账号已停用、已调离该工会或已没有导入权限，任务未继续。已导入的行已保存；如需继续，请由有权限的人员重新上传同一文件，已导入的数据会自动跳过。';
const FILE_LOST_MESSAGE = '导入过程中服务重启，上传的文件未能保留，任务已中止。已导入的行已保存；请重新上传同一文件，已导入的数据会自动跳过。';

/** The runner stopped at a safe point because the server is stopping: the job goes back to the queue. */
export class HandBack extends Error {
  constructor() {
    super('the server is stopping: the import goes back to the queue');
  }
}

export interface DurableImportSpec<T extends { jobId: string }> {
  queue: JobQueueName;
  table: ImportTable;
  /** The permission the upload route asks for: the uploader must still hold it when the job runs. */
  permission: Permission;
  /** Runs or resumes the job and ends it (done / failed); throws HandBack when the server stops mid-way (shared runner). */
  run(data: T, body: Buffer): Promise<void>;
  /** Ends the job failed with this message, with its audit row. */
  fail(data: T, message: string): Promise<void>;
  /** The item that resumes a job from its row (the sweep; the uploader's request details are not kept). */
  resumeData(jobId: string): Promise<T | null>;
}

export function createDurableImports<T extends { jobId: string }>(ctx: ModuleContext, spec: DurableImportSpec<T>) {
  const db = ctx.database.db;
  // A service built outside the app (a test, the bench) runs its jobs in this process.
  let own: Jobs | null = null;
  if (!ctx.jobs) {
    own = createLocalJobs();
    void own.start();
  }
  const jobs = ctx.jobs ?? own!;
  const shared = jobs.shared;
  const memory = new Map<string, Buffer>();
  const files = {
    put: (trx: Executor, id: string, body: Buffer) => (shared ? jobsRepository.putFile(trx, spec.queue, id, body) : void memory.set(id, body)),
    get: async (id: string) => (shared ? jobsRepository.file(db, spec.queue, id) : (memory.get(id) ?? null)),
    drop: async (id: string) => (shared ? jobsRepository.dropFile(db, spec.queue, id) : void memory.delete(id)),
  };

  /** True when the job's uploader may still import into its union (account active, union in its tree, permission held). */
  async function uploaderMay(jobId: string): Promise<boolean> {
    const who = await importJobsRepository.uploader(db, spec.table, jobId);
    return !!who && who.status === 'active' && who.covers && effectivePermissions(who.roles).has(spec.permission);
  }

  let stopping = false;
  let current: Promise<void> = Promise.resolve();

  /** Back to the queue (a new item, so no retry is used up): another process, or the next start, resumes it. */
  async function handBack(data: T) {
    await db.transaction().execute(async (trx) => {
      await importJobsRepository.requeue(trx, spec.table, data.jobId);
      await queue.send(data, trx);
    });
  }

  /** PGlite (one process): the job was just queued here and nothing else can run it; it starts at once, as before. */
  async function handleHere(data: T): Promise<void> {
    const body = memory.get(data.jobId);
    memory.delete(data.jobId);
    if (!body) return spec.fail(data, FILE_LOST_MESSAGE);
    if (!(await uploaderMay(data.jobId))) return spec.fail(data, UPLOADER_MESSAGE);
    await spec.run(data, body);
  }

  async function handle(data: T): Promise<void> {
    if (!shared) return handleHere(data);
    const lock = await tryJobLock(ctx.database, spec.queue, data.jobId);
    if (!lock) return; // another runner has it; that one ends it
    try {
      const state = await importJobsRepository.state(db, spec.table, data.jobId);
      if (!state || state.status === 'done' || state.status === 'failed') return await files.drop(data.jobId);
      // A stopping process takes no job: it leaves it queued for the others.
      if (stopping || jobs.stopping) return await handBack(data);
      if (state.attempts >= MAX_ATTEMPTS) {
        await spec.fail(data, ATTEMPTS_MESSAGE);
        return await files.drop(data.jobId);
      }
      if (!(await uploaderMay(data.jobId))) {
        await spec.fail(data, UPLOADER_MESSAGE);
        return await files.drop(data.jobId);
      }
      const body = await files.get(data.jobId);
      if (!body) return await spec.fail(data, FILE_LOST_MESSAGE);
      await importJobsRepository.countAttempt(db, spec.table, data.jobId);
      try {
        await spec.run(data, body);
      } catch (err) {
        if (err instanceof HandBack) return await handBack(data);
        throw err;
      }
      const after = await importJobsRepository.state(db, spec.table, data.jobId);
      if (after?.status === 'done' || after?.status === 'failed') await files.drop(data.jobId);
    } finally {
      await lock.release();
    }
  }

  const queue = jobs.queue<T>(spec.queue, (data) => (current = handle(data)));

  if (shared) {
    const timings = ctx.jobTimings ?? DEFAULT_JOB_TIMINGS;
    jobs.perProcess(
      `${spec.queue} recovery`,
      timings.recoverMs,
      async () => {
        for (const id of await importJobsRepository.running(db, spec.table)) {
          const lock = await tryJobLock(ctx.database, spec.queue, id);
          if (!lock) continue; // its runner is alive
          try {
            // Read again under the lock: a runner that just finished has changed it.
            if ((await importJobsRepository.state(db, spec.table, id))?.status !== 'running') continue;
            const data = await spec.resumeData(id);
            if (!data) continue;
            await db.transaction().execute(async (trx) => {
              await importJobsRepository.requeue(trx, spec.table, id);
              await queue.send(data, trx);
            });
            queue.wake();
            ctx.log?.warn({ importJob: id, queue: spec.queue }, '导入任务的执行进程已中断：任务重新排队，由其他进程继续');
          } finally {
            await lock.release();
          }
        }
      },
      { atStart: true },
    );
  }

  return {
    shared,
    /** In the upload's transaction: the file and the queue item commit with the job row. */
    async enqueue(trx: Transaction<DB>, data: T, body: Buffer) {
      await files.put(trx, data.jobId, body);
      await queue.send(data, trx);
    },
    /** After the upload's transaction committed: start now if this process is free. */
    wake: () => queue.wake(),
    idle: () => queue.idle(),
    /** True once the server is stopping: a running import ends (PGlite) or hands itself back (PostgreSQL) at its next chunk. */
    stopping: () => stopping || jobs.stopping,
    /**
     * App close: a running job stops at its next safe point. PGlite: queued ones end failed (their files
     * were in this process's memory). PostgreSQL: they stay queued for the other processes.
     */
    async close() {
      stopping = true;
      if (shared) await current.catch(() => undefined);
      else await queue.idle();
      await own?.stop();
    },
  };
}
