import { sql, type Kysely } from 'kysely';

/**
 * `job_files.body` is stored uncompressed out of line (STORAGE EXTERNAL, decision 040 "Later"). The
 * job reads the file back in 1 MiB slices (`jobsRepository.file`); on a compressed value (the default,
 * EXTENDED: a CSV shrinks ~6×) every `substring` decompresses the value from its start to the slice's
 * end, ~10× the file's size over one read of a 20 MiB CSV (PostgreSQL 15: ~110–150 ms of the server's
 * time against 10–16 ms). Uncompressed, a slice fetches only its own TOAST chunks. The cost: a CSV
 * takes its full size on disk while its job is unfinished (the row is dropped at the job's end); an
 * .xlsx (already a zip) was stored uncompressed anyway. Rows written before this keep their storage.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table job_files alter column body set storage external`.execute(db);
}
