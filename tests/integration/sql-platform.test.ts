// The job runner's and the shared rate limits' SQL, snapshotted beside their repositories
// (decision 037): a change to the queries several processes rely on shows in review as plain SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsRepository } from '../../server/src/platform/jobs.repository.js';
import { rateLimitRepository } from '../../server/src/platform/rate-limit.repository.js';
import { importJobsRepository } from '../../server/src/modules/imports/imports.jobs.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('platform repositories SQL', () => {
  it('the files of unfinished import jobs', async () => {
    const text = await captureSql(
      t,
      {
        putFile: (db) => jobsRepository.putFile(db, 'gh-import-members', '1', Buffer.from('x')),
        file: (db) => jobsRepository.file(db, 'gh-import-members', '1'),
        dropFile: (db) => jobsRepository.dropFile(db, 'gh-import-members', '1'),
      },
      'tests/integration/sql-platform.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/platform/jobs.repository.sql');
  });

  it('the shared rate-limit counters', async () => {
    const text = await captureSql(
      t,
      {
        hit: (db) => rateLimitRepository.hit(db, 'POST /api/auth/login|198.51.100.1', 60_000),
        removeExpired: (db) => rateLimitRepository.removeExpired(db),
      },
      'tests/integration/sql-platform.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/platform/rate-limit.repository.sql');
  });

  it("the import jobs' shared life (state, the uploader, attempts, the sweep, resuming, the end, the error rows)", async () => {
    const text = await captureSql(
      t,
      {
        state: (db) => importJobsRepository.state(db, 'import_jobs', '1'),
        uploader: (db) => importJobsRepository.uploader(db, 'import_jobs', '1'),
        countAttempt: (db) => importJobsRepository.countAttempt(db, 'import_jobs', '1'),
        running: (db) => importJobsRepository.running(db, 'funds_import_jobs'),
        requeue: (db) => importJobsRepository.requeue(db, 'enterprise_import_jobs', '1'),
        markEnd: (db) => importJobsRepository.markEnd(db, 'funds_import_jobs', '1', { status: 'done', message: null, finished_at: new Date(0) }),
        resumeRow: (db) => importJobsRepository.resumeRow(db, 'enterprise_import_jobs', '1'),
        errorRowsAfter: (db) => importJobsRepository.errorRowsAfter(db, 'funds_import_jobs', '1', 0),
      },
      'tests/integration/sql-platform.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/imports/imports.jobs.repository.sql');
  });
});
