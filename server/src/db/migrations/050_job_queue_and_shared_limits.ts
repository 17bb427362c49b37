import { sql, type Kysely } from 'kysely';

/**
 * Issue 18 item 1, decision 037: several server processes on one PostgreSQL.
 * - `job_files`: the uploaded file of an import job while the job is unfinished, so that any process
 *   can run (or resume) it; removed when the job ends. (PGlite keeps them in memory: one process.)
 * - `attempts` on the three import job tables: how often a runner started the job; a file that takes
 *   its process down every time ends `failed` after a few attempts instead of going round forever.
 * - `rate_limit_hits`: request counters of the rate limits shared by all processes — UNLOGGED (no
 *   WAL: a lost window after a database crash only lets a few more requests through), one row per
 *   route and client, its window's end beside the count.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table job_files (
      queue text not null,
      job_id bigint not null,
      body bytea not null,
      created_at timestamptz not null default now(),
      primary key (queue, job_id)
    )`.execute(db);
  for (const table of ['import_jobs', 'enterprise_import_jobs', 'funds_import_jobs']) {
    await sql`alter table ${sql.table(table)} add column attempts integer not null default 0`.execute(db);
  }
  await sql`
    create unlogged table rate_limit_hits (
      key text primary key,
      hits integer not null,
      reset_at timestamptz not null
    )`.execute(db);
  await sql`create index rate_limit_hits_reset on rate_limit_hits (reset_at)`.execute(db);
}
