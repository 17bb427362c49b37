// The stored file of an unfinished import job (decision 040): `job_files.body` is kept uncompressed
// (STORAGE EXTERNAL, migration 053), so each 1 MiB slice `jobsRepository.file` reads fetches only its
// own TOAST chunks instead of decompressing the value up to it; the slices put the file back byte for byte.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../tests/support/test-db.js';
import type { Database } from '../db/database.js';
import { FILE_SLICE, jobsRepository } from './jobs.repository.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database?.close());

describe('job files', () => {
  it('job_files.body is stored external (uncompressed, out of line)', async () => {
    const r = await sql<{ attstorage: string }>`
      select attstorage from pg_attribute where attrelid = 'job_files'::regclass and attname = 'body'`.execute(database.db);
    expect(r.rows).toEqual([{ attstorage: 'e' }]);
  });

  it('a compressible file is stored uncompressed and read back in slices byte for byte', async () => {
    // A CSV-like body (the default storage compresses it several times) of 2.5 slices, with random bytes in it.
    const line = Buffer.from('张三,320981198001011234,13800000000,男,汉族,东台某某纺织有限公司\r\n');
    const body = Buffer.concat([...Array.from({ length: Math.ceil((FILE_SLICE * 2.5) / line.length) }, () => line), randomBytes(1000)]);
    await jobsRepository.putFile(database.db, 'gh-import-members', '9001', body);
    const stored = await sql<{ compression: string | null; size: number }>`
      select pg_column_compression(body) as compression, pg_column_size(body) as size
      from job_files where queue = 'gh-import-members' and job_id = 9001`.execute(database.db);
    expect(stored.rows[0]).toMatchObject({ compression: null });
    expect(Number(stored.rows[0]!.size)).toBeGreaterThanOrEqual(body.length);
    const back = await jobsRepository.file(database.db, 'gh-import-members', '9001');
    expect(back?.length).toBe(body.length);
    expect(back!.equals(body)).toBe(true);
    await jobsRepository.dropFile(database.db, 'gh-import-members', '9001');
    expect(await jobsRepository.file(database.db, 'gh-import-members', '9001')).toBeNull();
  });
});
