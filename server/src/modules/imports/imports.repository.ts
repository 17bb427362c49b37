// SQL over import jobs and their bad rows. A job belongs to the union it imports into; staff
// see the jobs of their subtree (prefix match on that union's path).
import { sql } from 'kysely';
import type { ImportJob, ImportJobsTable } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';
import type { Insertable, Updateable } from 'kysely';

const jobColumns = [
  'j.id',
  'j.org_id',
  'j.uploaded_by',
  'j.uploaded_by_name',
  'j.file_name',
  'j.file_sm3',
  'j.file_size',
  'j.format',
  'j.status',
  'j.headers',
  'j.total',
  'j.processed',
  'j.added',
  'j.skipped',
  'j.failed',
  'j.message',
  'j.created_at',
  'j.started_at',
  'j.finished_at',
] as const;

export type ImportJobWithOrg = Omit<ImportJob, 'attempts'> & { org_name: string };

export const importsRepository = {
  async insertJob(db: Executor, row: Insertable<ImportJobsTable>): Promise<ImportJob> {
    return db.insertInto('import_jobs').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** One job by id, unscoped (the job runner; never a request's answer). */
  async job(db: Executor, id: string): Promise<ImportJob | undefined> {
    return db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async updateJob(db: Executor, id: string, patch: Updateable<ImportJobsTable>): Promise<void> {
    await db.updateTable('import_jobs').set(patch).where('id', '=', id).execute();
  },

  /** Adds a batch's counts to the job's running totals. */
  async addProgress(db: Executor, id: string, d: { processed: number; added: number; skipped: number; failed: number }): Promise<void> {
    await db
      .updateTable('import_jobs')
      .set({
        processed: sql`processed + ${d.processed}`,
        added: sql`added + ${d.added}`,
        skipped: sql`skipped + ${d.skipped}`,
        failed: sql`failed + ${d.failed}`,
      })
      .where('id', '=', id)
      .execute();
  },

  async jobInScope(db: Executor, scopePath: string, id: string): Promise<ImportJobWithOrg | undefined> {
    return db
      .selectFrom('import_jobs as j')
      .innerJoin('orgs as o', 'o.id', 'j.org_id')
      .select([...jobColumns, 'o.name as org_name'])
      .where('j.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async jobs(db: Executor, scopePath: string, limit: number, offset: number) {
    const base = db.selectFrom('import_jobs as j').innerJoin('orgs as o', 'o.id', 'j.org_id').where('o.path', 'like', `${scopePath}%`);
    const [items, total] = await Promise.all([
      base
        .select([...jobColumns, 'o.name as org_name'])
        .orderBy('j.created_at', 'desc')
        .orderBy('j.id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: items as ImportJobWithOrg[], total: Number(total.n) };
  },

  /** Jobs a previous server process left unfinished (it stopped while they ran). */
  async failUnfinished(db: Executor, before: Date, message: string, at: Date): Promise<ImportJob[]> {
    return db
      .updateTable('import_jobs')
      .set({ status: 'failed', message, finished_at: at })
      .where('status', 'in', ['queued', 'running'])
      .where('created_at', '<', before)
      .returningAll()
      .execute();
  },

  /** Jobs waiting or running, by status (the /metrics queue depth; the table holds few unfinished jobs). */
  async queueDepth(db: Executor): Promise<{ queued: number; running: number }> {
    const rows = await db
      .selectFrom('import_jobs')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('status', 'in', ['queued', 'running'])
      .groupBy('status')
      .execute();
    const out = { queued: 0, running: 0 };
    for (const r of rows) out[r.status as 'queued' | 'running'] = Number(r.n);
    return out;
  },

  async insertErrors(db: Executor, rows: { job_id: string; row_no: number; values_enc: string; reason: string }[]): Promise<void> {
    if (rows.length) await db.insertInto('import_job_errors').values(rows).execute();
  },

  async errors(db: Executor, jobId: string, afterRowNo: number, limit: number) {
    return db
      .selectFrom('import_job_errors')
      .select(['row_no', 'values_enc', 'reason'])
      .where('job_id', '=', jobId)
      .where('row_no', '>', afterRowNo)
      .orderBy('row_no')
      .limit(limit)
      .execute();
  },
};
