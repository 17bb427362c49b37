// The import's repositories as SQL, snapshotted beside them (imports.repository.sql,
// imports.stage.repository.sql): the job bookkeeping, and the staging table with its set-based merge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importsRepository } from '../../server/src/modules/imports/imports.repository.js';
import { importsStageRepository, stageCopySql } from '../../server/src/modules/imports/imports.stage.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const at = new Date('2026-11-21T00:00:00Z');

describe('imports repository SQL', () => {
  it('jobs and their error rows', async () => {
    const text = await captureSql(
      t,
      {
        insertJob: (db) =>
          importsRepository.insertJob(db, {
            org_id: '1',
            uploaded_by: null,
            uploaded_by_name: '快照',
            file_name: 'a.csv',
            file_sm3: '0'.repeat(64),
            file_size: 1,
            format: 'csv',
            total: null,
            message: null,
            created_at: at,
            started_at: null,
            finished_at: null,
          }),
        updateJob: (db) => importsRepository.updateJob(db, '1', { status: 'running', started_at: at }),
        addProgress: (db) => importsRepository.addProgress(db, '1', { processed: 10, added: 7, skipped: 2, failed: 1 }),
        jobInScope: (db) => importsRepository.jobInScope(db, '/1/', '1'),
        jobs: (db) => importsRepository.jobs(db, '/1/', 20, 0),
        failUnfinished: (db) => importsRepository.failUnfinished(db, at, '中断', at),
        queueDepth: (db) => importsRepository.queueDepth(db),
        errors: (db) => importsRepository.errors(db, '1', 0, 1000),
      },
      'tests/integration/sql-imports.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/imports/imports.repository.sql');
  });

  it('the staging table and the merge', async () => {
    const text = await captureSql(
      t,
      {
        createStage: (db) => importsStageRepository.createStage(db),
        merge: async (db) => {
          await importsStageRepository.createStage(db);
          return importsStageRepository.merge(db, { actor: { type: 'import', id: '1', name: 'a.csv' }, year: '26', at });
        },
        dropStage: (db) => importsStageRepository.dropStage(db),
      },
      'tests/integration/sql-imports.test.ts',
    );
    await expect(`${text}\n-- COPY (PostgreSQL)\n${stageCopySql('stdin')};\n\n-- COPY (PGlite)\n${stageCopySql('blob')};\n`).toMatchFileSnapshot(
      '../../server/src/modules/imports/imports.stage.repository.sql',
    );
  });
});
