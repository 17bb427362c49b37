// SQL of the import jobs' shared life (decision 037): the three job tables (the roll's, the enterprise
// register's, the 税务代收 statement's) have the same status / attempts / uploader columns, and the two
// statement imports the same error-row tables, so one set of queries serves them, by table name.
import { sql } from 'kysely';
import type { Executor } from '../audit/audit.repository.js';
import type { Duty } from '../auth/duties.js';

export type ImportTable = 'import_jobs' | 'enterprise_import_jobs' | 'funds_import_jobs';
/** The register imports' job tables (enterprises, 税务代收 statements) and their error rows. */
export type StatementImportTable = 'enterprise_import_jobs' | 'funds_import_jobs';
const ERRORS: Record<StatementImportTable, 'enterprise_import_errors' | 'funds_import_errors'> = {
  enterprise_import_jobs: 'enterprise_import_errors',
  funds_import_jobs: 'funds_import_errors',
};

export const importJobsRepository = {
  async state(db: Executor, table: ImportTable, id: string) {
    const r = await sql<{ status: string; attempts: number }>`select status, attempts from ${sql.table(table)} where id = ${id}`.execute(db);
    return r.rows[0] ?? null;
  },

  /**
   * The job's uploader as the job starts or resumes: the account's status, whether its union still
   * covers the job's union, and its roles (duty and permissions). Null when the job has no uploader
   * or the account is gone.
   */
  async uploader(db: Executor, table: ImportTable, id: string) {
    const r = await sql<{ status: string; covers: boolean; roles: { duty: Duty | null; permissions: string[] }[] }>`
      select a.status, starts_with(jo.path, ao.path) as covers,
        coalesce((select json_agg(json_build_object('duty', r.duty, 'permissions', r.permissions) order by r.id)
          from account_roles ar join roles r on r.id = ar.role_id where ar.account_id = a.id), '[]'::json) as roles
      from ${sql.table(table)} j
      join orgs jo on jo.id = j.org_id
      join staff_accounts a on a.id = j.uploaded_by
      join orgs ao on ao.id = a.org_id
      where j.id = ${id}`.execute(db);
    return r.rows[0] ?? null;
  },

  async countAttempt(db: Executor, table: ImportTable, id: string) {
    await sql`update ${sql.table(table)} set attempts = attempts + 1 where id = ${id}`.execute(db);
  },

  async running(db: Executor, table: ImportTable) {
    const r = await sql<{ id: string }>`select id from ${sql.table(table)} where status = 'running' order by id limit 100`.execute(db);
    return r.rows.map((x) => String(x.id));
  },

  async requeue(db: Executor, table: ImportTable, id: string) {
    await sql`update ${sql.table(table)} set status = 'queued' where id = ${id} and status = 'running'`.execute(db);
  },

  /** A register import's end (done or failed, with its message). */
  async markEnd(db: Executor, table: StatementImportTable, id: string, end: { status: 'done' | 'failed'; message: string | null; finished_at: Date }) {
    await sql`update ${sql.table(table)} set status = ${end.status}, message = ${end.message}, finished_at = ${end.finished_at} where id = ${id}`.execute(db);
  },

  /** What resuming a register import needs from its row: the union, its path (the scope), the file name, the uploader. */
  async resumeRow(db: Executor, table: StatementImportTable, id: string) {
    const r = await sql<{ org_id: string; path: string; file_name: string; uploaded_by: string; uploaded_by_name: string | null }>`
      select j.org_id::text as org_id, o.path, j.file_name, j.uploaded_by::text as uploaded_by, j.uploaded_by_name
      from ${sql.table(table)} j join orgs o on o.id = j.org_id
      where j.id = ${id}`.execute(db);
    return r.rows[0] ?? null;
  },

  /** A register import's error rows after `afterRowNo`, 1,000 at a time (the error report streams them). */
  async errorRowsAfter(db: Executor, table: StatementImportTable, jobId: string, afterRowNo: number) {
    const r = await sql<{ row_no: number; reason: string; cells: string[] }>`
      select row_no, reason, cells from ${sql.table(ERRORS[table])}
      where job_id = ${jobId} and row_no > ${afterRowNo}
      order by row_no limit 1000`.execute(db);
    return r.rows;
  },
};
