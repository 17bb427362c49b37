// The worker's own H5 repository (issue 11) as SQL, snapshotted beside it (profile.repository.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileRepository } from '../../server/src/modules/profile/profile.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const at = new Date('2026-11-21T00:00:00Z');
const phone = { phone_enc: 'enc', phone_bidx: 'bidx', phone_masked: '138****0000' };

describe('profile repository SQL', () => {
  it('profile', async () => {
    const text = await captureSql(
      t,
      {
        personOfWorker: (db) => profileRepository.personOfWorker(db, '1'),
        insertRequest: (db) =>
          profileRepository
            .insertRequest(db, { person_id: '1', membership_id: '1', org_id: '1', worker_id: '1', changes: '{}', created_at: at, updated_at: at })
            .catch(() => undefined),
        requestsOfWorker: (db) => profileRepository.requestsOfWorker(db, '1'),
        pendingOfWorkerForUpdate: (db) => profileRepository.pendingOfWorkerForUpdate(db, '1', '1'),
        pageInScope: (db) => profileRepository.pageInScope(db, '/1/', { status: 'pending', limit: 20, offset: 0 }),
        findInScopeForUpdate: (db) => profileRepository.findInScopeForUpdate(db, '/1/', '1'),
        decide: (db) => profileRepository.decide(db, '1', 1, { status: 'approved', reviewed_by: '1', reviewed_at: at, review_note: null }),
        liveMembershipForUpdate: (db) => profileRepository.liveMembershipForUpdate(db, '1', '1'),
        setEmployer: (db) => profileRepository.setEmployer(db, '1', '某公司', at),
        setAddress: (db) => profileRepository.setAddress(db, '1', '某地', at),
        withdrawPendingOfWorker: (db) => profileRepository.withdrawPendingOfWorker(db, '1', at),
        workerForUpdate: (db) => profileRepository.workerForUpdate(db, '1'),
        setWorkerPhone: (db) => profileRepository.setWorkerPhone(db, '1', phone),
        otherPersonWithPhone: (db) => profileRepository.otherPersonWithPhone(db, 'bidx', '1'),
        setPersonPhone: (db) => profileRepository.setPersonPhone(db, '1', phone, at),
        endWorkerSessions: (db) => profileRepository.endWorkerSessions(db, '1', at, 'phone_changed', 'keep'),
        closeWorker: (db) => profileRepository.closeWorker(db, '1', at, 'enc'),
        unlinkWorker: (db) => profileRepository.unlinkWorker(db, '1'),
      },
      'tests/integration/sql-profile.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/profile/profile.repository.sql');
  });
});
