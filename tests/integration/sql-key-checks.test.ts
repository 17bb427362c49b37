// The key checks repository's queries as SQL, snapshotted beside it (db/key-checks.repository.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyChecksRepository } from '../../server/src/db/key-checks.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('key checks repository SQL', () => {
  it('key checks', async () => {
    const text = await captureSql(
      t,
      {
        tableExists: (db) => keyChecksRepository.tableExists(db),
        all: (db) => keyChecksRepository.all(db),
        insertMissing: (db) => keyChecksRepository.insertMissing(db, [{ name: 'GONGHUI_FIELD_KEY', check_value: 'a'.repeat(64) }]),
      },
      'tests/integration/sql-key-checks.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/db/key-checks.repository.sql');
  });
});
