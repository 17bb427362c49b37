// The SQL each activity-types repository function sends, snapshotted beside the repository
// (server/src/modules/activities/activity-types.repository.sql).
import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../server/src/db/schema.js';
import * as repo from '../../server/src/modules/activities/activity-types.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const at = new Date('2026-11-21T00:00:00Z');
/** The SQL is captured as it is sent; a call failing on missing rows still shows its SQL. */
const quiet =
  (f: (trx: Transaction<DB>) => Promise<unknown>) =>
  (trx: Transaction<DB>): Promise<unknown> =>
    f(trx).catch(() => undefined);

describe('activity-types repository SQL', () => {
  it('matches the snapshot', async () => {
    const calls: Record<string, (trx: Transaction<DB>) => Promise<unknown>> = {
      recentRecuperation: (trx) => repo.recentRecuperation(trx, '7', '8', '2023-11-21'),
      releaseChildrenOfGuardian: (trx) => repo.releaseChildrenOfGuardian(trx, '8', '7', at),
      releaseStaleChildren: (trx) => repo.releaseStaleChildren(trx, '2027:childcare', 'k', at),
      childInSeason: (trx) => repo.childInSeason(trx, '2027:childcare', 'k'),
      insertChild: quiet((trx) =>
        repo.insertChild(trx, {
          activityId: '8',
          batchId: '9',
          guardianPersonId: '7',
          season: '2027:childcare',
          childKey: 'k',
          name: '小甲',
          birthDate: '2018-01-01',
          school: '一小',
        }),
      ),
      seasonAttendance: (trx) => repo.seasonAttendance(trx, '2026:childcare', 'k'),
      childrenOfActivity: (trx) => repo.childrenOfActivity(trx, '8'),
      liveChildIds: (trx) => repo.liveChildIds(trx, '8', ['1', '2']),
      upsertAttendance: quiet((trx) => repo.upsertAttendance(trx, [{ childId: '1', day: '2027-07-01', present: true, recordedBy: '1', at }])),
      attendanceOfDay: (trx) => repo.attendanceOfDay(trx, '8', '2027-07-01'),
      roundsOf: (trx) => repo.roundsOf(trx, '8'),
      roundOf: (trx) => repo.roundOf(trx, '8', '3'),
      insertRound: quiet((trx) => repo.insertRound(trx, '8', '初赛', '100.00')),
      placeHoldersAmong: (trx) => repo.placeHoldersAmong(trx, '8', ['1', '2']),
      upsertScores: quiet((trx) => repo.upsertScores(trx, '3', [{ enrollmentId: '1', score: '90.00' }], '1', at)),
      participantsWithScores: (trx) => repo.participantsWithScores(trx, '8'),
      insertCertificate: quiet((trx) =>
        repo.insertCertificate(trx, {
          activityId: '8',
          enrollmentId: '1',
          personId: '7',
          code: 'ABCDEFGHJKMNPQRSTUVW',
          award: '一等奖',
          issuedOn: '2026-11-21',
          issuedBy: '1',
        }),
      ),
      certificatesOfActivity: (trx) => repo.certificatesOfActivity(trx, '8'),
      certificateInScope: (trx) => repo.certificateInScope(trx, '5', '/1/2/'),
      certificatesOfWorker: (trx) => repo.certificatesOfWorker(trx, '4'),
      certificateOfWorker: (trx) => repo.certificateOfWorker(trx, '5', '4'),
      certificateByCode: (trx) => repo.certificateByCode(trx, 'ABCDEFGHJKMNPQRSTUVW'),
      sessionsOf: (trx) => repo.sessionsOf(trx, '8'),
      insertSession: quiet((trx) => repo.insertSession(trx, '8', '第一讲', at, new Date(at.getTime() + 3_600_000))),
      sessionOf: (trx) => repo.sessionOf(trx, '8', '6'),
      sessionForCheckin: (trx) => repo.sessionForCheckin(trx, '6'),
      insertCheckin: quiet((trx) => repo.insertCheckin(trx, { sessionId: '6', personId: '7', enrollmentId: null, at })),
      attendanceOfSession: (trx) => repo.attendanceOfSession(trx, '6'),
      attemptCount: (trx) => repo.attemptCount(trx, '8'),
      replaceQuestions: quiet((trx) =>
        repo.replaceQuestions(trx, '8', [
          {
            stem: '题',
            kind: 'single',
            options: [
              { key: 'A', text: '甲' },
              { key: 'B', text: '乙' },
            ],
            answer: ['A'],
            points: 5,
          },
        ]),
      ),
      questionsOf: (trx) => repo.questionsOf(trx, '8'),
      attemptOf: (trx) => repo.attemptOf(trx, '8', '7'),
      insertAttempt: quiet((trx) =>
        repo.insertAttempt(trx, { activityId: '8', personId: '7', startedAt: at, deadlineAt: new Date(at.getTime() + 600_000), maxScore: 5 }),
      ),
      submitAttempt: (trx) => repo.submitAttempt(trx, '9', { submittedAt: at, answers: [{ questionId: '1', answer: ['A'] }], score: 5, late: false }),
      quizResults: (trx) => repo.quizResults(trx, '8'),
      quizActivity: (trx) => repo.quizActivity(trx, '8'),
      personOfWorker: (trx) => repo.personOfWorker(trx, '4'),
    };
    const text = await captureSql(t, calls, 'tests/integration/sql-activity-types.test.ts');
    await expect(text).toMatchFileSnapshot('../../server/src/modules/activities/activity-types.repository.sql');
  });
});
