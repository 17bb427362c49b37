// The SQL each applications repository function sends, snapshotted beside the repository.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationsRepository as repo } from '../../server/src/modules/applications/applications.repository.js';
import { uploadsRepository } from '../../server/src/modules/applications/applications.uploads.repository.js';
import { applicationsQueueRepository } from '../../server/src/modules/applications/applications.queue.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const now = new Date('2026-11-21T00:00:00Z');

describe('applications repository SQL', () => {
  it('matches the snapshot', async () => {
    const text = await captureSql(
      t,
      {
        insertType: (db) =>
          repo.insertType(db, {
            code: 'sql_snapshot',
            name: '快照',
            category: '测试',
            description: '',
            applicant_scope: 'worker',
            org_id: '1',
            org_path: '/1/',
            definition: JSON.stringify({ form: [], attachments: [], steps: [], aid: null }),
            created_by: null,
          }),
        typeByCode: (db) => repo.typeByCode(db, 'hardship_aid'),
        typeById: (db) => repo.typeById(db, '1'),
        typeVisible: (db) => repo.typeVisible(db, '/1/21/', '1'),
        listTypes: (db) => repo.listTypes(db, '/1/21/', { status: 'active', q: '帮扶', category: '困难帮扶' }),
        applicationCount: (db) => repo.applicationCount(db, '1'),
        updateType: (db) => repo.updateType(db, '1', 1, { name: '改名', updated_at: now }),
        activeTypesFor: (db) => repo.activeTypesFor(db, '/1/21/'),
        workerOf: (db) => repo.workerOf(db, '1'),
        liveMembershipOfWorker: (db) => repo.liveMembershipOfWorker(db, '1'),
        orgById: (db) => repo.orgById(db, '1'),
        orgInScope: (db) => repo.orgInScope(db, '/1/21/', '21'),
        orgsOnPath: (db) => repo.orgsOnPath(db, ['1', '21']),
        transferTargets: (db) => repo.transferTargets(db, '/1/21/', 'grassroots', '2'),
        byIdempotencyKey: (db) => repo.byIdempotencyKey(db, '1', 'key-0001'),
        ofWorker: (db) => repo.ofWorker(db, '1', '1'),
        listOfWorker: (db) => repo.listOfWorker(db, '1'),
        inScope: (db) => repo.inScope(db, '/1/21/', '1'),
        updateApplication: (db) => repo.updateApplication(db, '1', 1, { status: 'returned', return_reason: '补正' }),
        eventsOf: (db) => repo.eventsOf(db, '1'),
        orgNames: (db) => repo.orgNames(db, ['1', '21']),
        personOf: (db) => repo.personOf(db, '1'),
        list: (db) =>
          repo.list(db, '/1/21/', {
            serviceTypeId: '1',
            status: 'in_review',
            orgPath: '/1/21/',
            handlingPath: '/1/21/',
            stepKey: 'county_review',
            from: '2026-11-01',
            to: '2026-11-30',
            overdue: true,
            q: '张',
            now,
            limit: 20,
            offset: 0,
          }),
        listByPhone: (db) => repo.list(db, '/1/', { q: '13900000000', phoneBidx: 'bidx', now, limit: 20, offset: 0 }),
        exportPage: (db) => repo.exportPage(db, '/1/21/', { status: 'approved', now, beforeId: '100', limit: 1000 }),
        attachmentOfWorker: (db) => repo.attachmentOfWorker(db, '1', '1'),
        attachmentsOfOwnerByIds: (db) => repo.attachmentsOfOwnerByIds(db, { workerId: '1' }, ['1', '2']),
        attachmentsOfStaffByIds: (db) => repo.attachmentsOfOwnerByIds(db, { staffId: '1' }, ['1', '2']),
        liveMembershipInScope: (db) => repo.liveMembershipInScope(db, '/1/21/', '1'),
        byStaffIdempotencyKey: (db) => repo.byStaffIdempotencyKey(db, '1', 'key-0001'),
        linkAttachments: (db) => repo.linkAttachments(db, '1', 'proof', ['1']),
        unlinkAttachments: (db) => repo.unlinkAttachments(db, '1', ['proof']),
        attachmentsOf: (db) => repo.attachmentsOf(db, '1'),
        attachmentOfApplication: (db) => repo.attachmentOfApplication(db, '1', '1'),
        overdueUnreminded: (db) => repo.overdueUnreminded(db, now, 200),
        lotteryCandidates: (db) => repo.lotteryCandidates(db, '5', 'lottery', '21'),
        draws: (db) => repo.draws(db, '/1/21/', { id: '1', serviceTypeId: '5' }),
        figures: (db) => repo.figures(db, '/1/21/', now, { from: now, to: now }),
      },
      'tests/integration/sql-applications.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/applications/applications.repository.sql');
  });

  it('matches the uploads snapshot', async () => {
    const text = await captureSql(
      t,
      {
        insert: (db) =>
          uploadsRepository.insert(db, {
            worker_id: null,
            uploaded_by: null,
            file_name: 'x.png',
            kind: 'image',
            mime: 'image/png',
            size: 1,
            sha256: '00',
            storage_key: 'applications/sql-snapshot',
            created_at: now,
          }),
        lockOwner: (db) => uploadsRepository.lockOwner(db, { workerId: '1' }),
        usageOfWorker: (db) => uploadsRepository.usage(db, { workerId: '1' }, now, now),
        usageOfStaff: (db) => uploadsRepository.usage(db, { staffId: '1' }, now, now),
        deleteExpiredUnlinked: (db) => uploadsRepository.deleteExpiredUnlinked(db, now, 200),
      },
      'tests/integration/sql-applications.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/applications/applications.uploads.repository.sql');
  });

  it('matches the queue snapshot', async () => {
    const text = await captureSql(
      t,
      {
        queue: (db) =>
          applicationsQueueRepository.queue(db, '/1/21/', { permissions: ['application:handle'], ownOrgId: '21', serviceTypeId: '1', limit: 20, offset: 0 }),
        inReviewInScope: (db) => applicationsQueueRepository.inReviewInScope(db, '/1/21/', '1'),
        summary: (db) =>
          applicationsQueueRepository.summary(db, '/1/21/', { permissions: ['application:handle'], ownOrgId: '21', now: new Date('2026-11-21T00:00:00Z'), soon: new Date('2026-11-23T00:00:00Z') }),
      },
      'tests/integration/sql-applications.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/applications/applications.queue.repository.sql');
  });
});
