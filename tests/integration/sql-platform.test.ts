// The job runner's and the shared rate limits' SQL, snapshotted beside their repositories
// (decision 037): a change to the queries several processes rely on shows in review as plain SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsRepository } from '../../server/src/platform/jobs.repository.js';
import { rateLimitRepository } from '../../server/src/platform/rate-limit.repository.js';
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
});
