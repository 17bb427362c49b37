// The system routes' repository as SQL, snapshotted beside it (system.repository.sql): the health probes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemRepository } from '../../server/src/modules/system/system.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('system repository SQL', () => {
  it('the probes', async () => {
    const text = await captureSql(
      t,
      {
        ping: (db) => systemRepository.ping(db),
        appliedMigrations: (db) => systemRepository.appliedMigrations(db),
      },
      'tests/integration/sql-system.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/system/system.repository.sql');
  });
});
