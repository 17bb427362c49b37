// SQL of the job runner's own tables (decision 037): the file of an unfinished import job, and the
// lock a runner holds while it runs a job.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import type { Executor } from '../modules/audit/audit.repository.js';

/** Bytes of a stored job file per statement when it is read back (jobsRepository.file). */
export const FILE_SLICE = 1024 * 1024;

export const jobsRepository = {
  async putFile(db: Executor, queue: string, jobId: string, body: Buffer): Promise<void> {
    await db.insertInto('job_files').values({ queue, job_id: jobId, body }).execute();
  },

  /**
   * The file, read in slices of FILE_SLICE bytes into one buffer of its size. One `select body` of a
   * 20 MB file arrives as 40 MB of hex text: the driver's receive buffer doubles up to 64 MB on the
   * way, then the text is decoded into a buffer and copied — ~90 MB of short-lived buffers that
   * glibc keeps (the import job's peak memory, issue 10). The row does not change while it exists.
   */
  async file(db: Kysely<DB>, queue: string, jobId: string): Promise<Buffer | null> {
    const head = await db
      .selectFrom('job_files')
      .select(sql<number>`octet_length(body)`.as('size'))
      .where('queue', '=', queue)
      .where('job_id', '=', jobId)
      .executeTakeFirst();
    if (!head) return null;
    const out = Buffer.allocUnsafe(head.size);
    for (let at = 0; at < head.size; at += FILE_SLICE) {
      const r = await db
        .selectFrom('job_files')
        .select(sql<Buffer>`substring(body from ${at + 1} for ${FILE_SLICE})`.as('part'))
        .where('queue', '=', queue)
        .where('job_id', '=', jobId)
        .executeTakeFirst();
      if (!r) return null; // dropped meanwhile: the job ended elsewhere
      out.set(r.part, at); // a Buffer from pg, a Uint8Array from PGlite
    }
    return out;
  },

  async dropFile(db: Executor, queue: string, jobId: string): Promise<void> {
    await db.deleteFrom('job_files').where('queue', '=', queue).where('job_id', '=', jobId).execute();
  },
};

/** Held while a job runs; released when the job ends — or by PostgreSQL when the runner's process dies. */
export interface JobLock {
  release(): Promise<void>;
}

/**
 * A session-level advisory lock on (queue, job) over a connection of its own, or null when another
 * runner holds it. Its connection ends with the process, so a free lock on a job whose state says
 * running means its runner died (the sweep resumes such jobs). On PGlite (one process) always granted.
 */
export async function tryJobLock(database: Database, queue: string, jobId: string): Promise<JobLock | null> {
  if (!database.pool) return { release: async () => undefined };
  const client = await database.pool.connect();
  try {
    const key = [queue, jobId];
    const got = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1), ($2::bigint % 2147483647)::int) as ok', key);
    if (!got.rows[0]?.ok) {
      client.release();
      return null;
    }
    return {
      async release() {
        try {
          await client.query('select pg_advisory_unlock(hashtext($1), ($2::bigint % 2147483647)::int)', key);
          client.release();
        } catch (err) {
          // A connection that failed drops its locks with it: discard it.
          client.release(err as Error);
        }
      },
    };
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
}

/**
 * Runs `fn` while holding a session advisory lock named `name` (waiting for it), so that the same task
 * started by two processes at once runs one after the other — the indicator snapshot at start.
 */
export async function withTaskLock<T>(database: Database, name: string, fn: () => Promise<T>): Promise<T> {
  if (!database.pool) return fn();
  const client = await database.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('select pg_advisory_lock(hashtext($1), 0)', [name]);
    try {
      return await fn();
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1), 0)', [name]).catch((err: Error) => (broken = err));
    }
  } catch (err) {
    broken ??= err as Error;
    throw err;
  } finally {
    client.release(broken);
  }
}
