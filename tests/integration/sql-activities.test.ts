// The activities repositories' SQL, reviewed as plain text (activities.repository.sql, activities.rush.repository.sql,
// activities.reports.repository.sql).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activitiesRepository as repo } from '../../server/src/modules/activities/activities.repository.js';
import { rushRepository } from '../../server/src/modules/activities/activities.rush.repository.js';
import { activityReportsRepository as reports } from '../../server/src/modules/activities/activities.reports.repository.js';
import { auditRepository, type DeferredAuditRow } from '../../server/src/modules/audit/audit.repository.js';
import { captureSql } from '../support/sql-capture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const now = new Date('2026-11-21T02:00:00Z');
const deferredRow: DeferredAuditRow = {
  at: now,
  actor_type: 'worker',
  actor_id: '1',
  actor_name: '138****0000',
  action: 'activity.enroll',
  target_type: 'activity_enrollment',
  org_id: '1',
  ip: '127.0.0.1',
  request_id: 'r',
  outcome: 'success',
  detail: '{}',
};
const deferredAudit = auditRepository.deferredInsertFrom('e', deferredRow);
const batch = {
  title: 'A',
  location: null,
  starts_on: null,
  ends_on: null,
  sort_order: 0,
  places_general: 10,
  places_priority: 2,
  places_family: 1,
  family_per_person: 1,
  eligibility: '{}',
};

it('activities repository SQL', async () => {
  const text = await captureSql(
    t,
    {
      byIdInScope: (db) => repo.byIdInScope(db, '/1/', '1', true),
      list: (db) =>
        repo.list(db, '/1/', {
          type: 'recuperation',
          status: 'published',
          mode: 'fcfs',
          orgPath: '/1/2/',
          q: '疗',
          from: '2026-01-01',
          to: '2026-12-31',
          limit: 20,
          offset: 0,
        }),
      openToPath: (db) => repo.openToPath(db, '/1/2/3/', { type: 'training', limit: 500, offset: 0 }),
      batchesOf: (db) => repo.batchesOf(db, ['1', '2']),
      insertBatch: (db) => repo.insertBatch(db, '1', batch).catch(() => null),
      updateBatch: (db) => repo.updateBatch(db, '1', '1', batch),
      claim: (db) => repo.claim(db, '1', 'priority', 1),
      release: (db) => repo.release(db, '1', 'general', 0),
      releaseAllPlaces: (db) => repo.releaseAllPlaces(db, '1'),
      enrollMember: (db) => repo.enrollMember(db, '1', '1'),
      enrollActivity: (db) => repo.enrollActivity(db, '1'),
      claimAndInsert: (db) =>
        repo
          .claimAndInsert(
            db,
            {
              id: '999999',
              activityId: '1',
              batchId: '1',
              personId: '1',
              membershipId: '1',
              workerId: '1',
              orgId: '1',
              orgPath: '/1/',
              pool: 'general',
              familyCount: 0,
              details: '{}',
              now,
              waitlistIfFull: true,
            },
            deferredAudit,
          )
          .catch(() => null),
      insertPending: (db) =>
        repo
          .insertPending(
            db,
            {
              id: '999998',
              activityId: '1',
              batchId: '1',
              personId: '1',
              membershipId: '1',
              workerId: '1',
              orgId: '1',
              orgPath: '/1/',
              pool: 'general',
              familyCount: 0,
              details: '{}',
              now,
            },
            deferredAudit,
          )
          .catch(() => null),
      enrollmentInScope: (db) => repo.enrollmentInScope(db, '/1/', '1', true),
      waitlistHead: (db) => repo.waitlistHead(db, '1', 20),
      promoteEnrollment: (db) => repo.promoteEnrollment(db, '1', 'general', now),
      waitlistPosition: (db) => repo.waitlistPosition(db, { batch_id: '1', id: '5', draw_rank: null }),
      mine: (db) => repo.mine(db, '1'),
      workerMember: (db) => repo.workerMember(db, '1'),
    },
    'tests/integration/sql-activities.test.ts',
  );
  await expect(text).toMatchFileSnapshot('../../server/src/modules/activities/activities.repository.sql');
});

it('the reports repository SQL', async () => {
  const text = await captureSql(
    t,
    {
      enrollmentsOfActivity: (db) =>
        reports.enrollmentsOfActivity(db, '1', { batchId: '1', statuses: ['enrolled', 'waitlisted'], q: '王', orgPath: '/1/', limit: 20, offset: 0 }),
      rosterPage: (db) => reports.rosterPage(db, '1', { statuses: ['enrolled'] }, '10', 2000),
      countRoster: (db) => reports.countRoster(db, '1', { batchId: '1', statuses: ['enrolled'] }),
      figures: (db) => reports.figures(db, '/1/', { type: 'recuperation', from: '2026-01-01', to: '2026-12-31' }),
      participantsByType: (db) => reports.participantsByType(db, '/1/', {}),
    },
    'tests/integration/sql-activities.test.ts',
  );
  await expect(text).toMatchFileSnapshot('../../server/src/modules/activities/activities.reports.repository.sql');
});

it('the rush repository SQL', async () => {
  const text = await captureSql(
    t,
    {
      claimAndInsertGroup: (db) =>
        rushRepository
          .claimAndInsertGroup(
            db,
            {
              activityId: '1',
              batchId: '1',
              members: ['999997', '999996'].map((id, i) => ({
                id,
                personId: String(i + 1),
                membershipId: String(i + 1),
                workerId: String(i + 1),
                orgId: '1',
                orgPath: '/1/',
                details: '{}',
                now,
              })),
            },
            [
              { ...deferredRow, targetId: '999997' },
              { ...deferredRow, targetId: '999996' },
            ],
          )
          .catch(() => null),
    },
    'tests/integration/sql-activities.test.ts',
  );
  await expect(text).toMatchFileSnapshot('../../server/src/modules/activities/activities.rush.repository.sql');
});
