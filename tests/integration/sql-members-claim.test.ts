// The H5 claim's queries (decision 044) as SQL, snapshotted beside them (members.claim.repository.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { membersClaimRepository } from '../../server/src/modules/members/members.claim.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('members claim repository SQL', () => {
  it('claim', async () => {
    const text = await captureSql(
      t,
      {
        workerPhone: (db) => membersClaimRepository.workerPhone(db, '1'),
        workerForUpdate: (db) => membersClaimRepository.workerForUpdate(db, '1'),
        peopleWithPhone: (db) => membersClaimRepository.peopleWithPhone(db, 'pb'),
        unionOfPerson: (db) => membersClaimRepository.unionOfPerson(db, '1'),
        failedClaimsSince: (db) => membersClaimRepository.failedClaimsSince(db, '1', new Date('2026-11-21T00:00:00Z')),
        clearPhoneMark: (db) => membersClaimRepository.clearPhoneMark(db, '1'),
      },
      'tests/integration/sql-members-claim.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/members/members.claim.repository.sql');
  });
});
