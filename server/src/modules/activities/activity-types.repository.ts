// All SQL of the activity types (children and attendance, rounds and scores, certificates, training
// sessions and check-ins, quiz). Callers have already checked the activity is in the actor's scope
// (core.activityForStaff) or belongs to the worker; every sub-record read here is bound to that
// activity id, so an id from another activity is simply not found.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

type Trx = Transaction<DB>;

/** Enrollment statuses that keep a person in an activity (the core's "live"). */
export const LIVE_STATUSES = ['pending', 'enrolled', 'waitlisted', 'attended', 'no_show'] as const;
/** Statuses holding a place. */
export const PLACE_STATUSES = ['enrolled', 'attended', 'no_show'] as const;

// ------------------------------------------------------------------------------------------------
// 疗休养

/** The person's latest 疗休养 (enrolled or attended, another activity) starting on or after `sinceDay`. */
export async function recentRecuperation(trx: Trx | Kysely<DB>, personId: string, excludeActivityId: string, sinceDay: string) {
  return trx
    .selectFrom('activity_enrollments as e')
    .innerJoin('activities as a', 'a.id', 'e.activity_id')
    .select(['a.id', 'a.title', 'a.starts_on', sql<string>`to_char(coalesce(a.starts_on, e.enrolled_at::date), 'YYYY-MM-DD')`.as('day')])
    .where('e.person_id', '=', personId)
    .where('a.type', '=', 'recuperation')
    .where('e.status', 'in', ['enrolled', 'attended'])
    .where('a.id', '<>', excludeActivityId)
    .where(sql<boolean>`coalesce(a.starts_on, e.enrolled_at::date) >= ${sinceDay}::date`)
    .orderBy(sql`coalesce(a.starts_on, e.enrolled_at::date)`, 'desc')
    .limit(1)
    .executeTakeFirst();
}

// ------------------------------------------------------------------------------------------------
// 暑托班

/** The person is (re-)enrolling in this activity: children of their earlier enrollments here are released. */
export async function releaseChildrenOfGuardian(trx: Trx, activityId: string, personId: string, at: Date) {
  await trx
    .updateTable('activity_children')
    .set({ released_at: at })
    .where('activity_id', '=', activityId)
    .where('guardian_person_id', '=', personId)
    .where('released_at', 'is', null)
    .execute();
}

/** Frees the season slot of a child whose enrollment is no longer live (cancelled, rejected). */
export async function releaseStaleChildren(trx: Trx, season: string, childKey: string, at: Date) {
  await trx
    .updateTable('activity_children as c')
    .set({ released_at: at })
    .where('c.season', '=', season)
    .where('c.child_key', '=', childKey)
    .where('c.released_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('activity_enrollments as e')
            .select(sql`1`.as('one'))
            .whereRef('e.activity_id', '=', 'c.activity_id')
            .whereRef('e.person_id', '=', 'c.guardian_person_id')
            .where('e.status', 'in', LIVE_STATUSES),
        ),
      ),
    )
    .execute();
}

/** The unreleased class of this child in this season (another activity or batch), if any. */
export async function childInSeason(trx: Trx, season: string, childKey: string) {
  return trx
    .selectFrom('activity_children as c')
    .innerJoin('activities as a', 'a.id', 'c.activity_id')
    .innerJoin('activity_batches as b', 'b.id', 'c.batch_id')
    .select(['c.id', 'a.title', 'b.title as batch_title'])
    .where('c.season', '=', season)
    .where('c.child_key', '=', childKey)
    .where('c.released_at', 'is', null)
    .executeTakeFirst();
}

export async function insertChild(
  trx: Trx,
  row: { activityId: string; batchId: string; guardianPersonId: string; season: string; childKey: string; name: string; birthDate: string; school: string },
) {
  return trx
    .insertInto('activity_children')
    .values({
      activity_id: row.activityId,
      batch_id: row.batchId,
      guardian_person_id: row.guardianPersonId,
      season: row.season,
      child_key: row.childKey,
      name: row.name,
      birth_date: row.birthDate,
      school: row.school,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Attendance of a child (by identity) over one season: days recorded, days present. */
export async function seasonAttendance(trx: Trx | Kysely<DB>, season: string, childKey: string) {
  const r = await trx
    .selectFrom('activity_child_attendance as t')
    .innerJoin('activity_children as c', 'c.id', 't.child_id')
    .select([sql<string>`count(*)`.as('days'), sql<string>`count(*) filter (where t.present)`.as('present')])
    .where('c.season', '=', season)
    .where('c.child_key', '=', childKey)
    .executeTakeFirstOrThrow();
  return { days: Number(r.days), present: Number(r.present) };
}

/** The children of an activity whose guardian still holds a live enrollment, with attendance counts. */
export async function childrenOfActivity(trx: Trx, activityId: string) {
  return trx
    .selectFrom('activity_children as c')
    .innerJoin('activity_enrollments as e', (j) =>
      j.onRef('e.activity_id', '=', 'c.activity_id').onRef('e.person_id', '=', 'c.guardian_person_id').on('e.status', 'in', LIVE_STATUSES),
    )
    .innerJoin('people as p', 'p.id', 'c.guardian_person_id')
    .innerJoin('activity_batches as b', 'b.id', 'c.batch_id')
    .select([
      'c.id',
      'c.name',
      'c.birth_date',
      'c.school',
      'c.batch_id',
      'b.title as batch_title',
      'e.id as enrollment_id',
      'e.status',
      'p.name as guardian_name',
      (eb) =>
        eb
          .selectFrom('activity_child_attendance as t')
          .select(sql<string>`count(*)`.as('n'))
          .whereRef('t.child_id', '=', 'c.id')
          .as('days'),
      (eb) =>
        eb
          .selectFrom('activity_child_attendance as t')
          .select(sql<string>`count(*)`.as('n'))
          .whereRef('t.child_id', '=', 'c.id')
          .where('t.present', '=', true)
          .as('present'),
    ])
    .where('c.activity_id', '=', activityId)
    .where('c.released_at', 'is', null)
    .orderBy('c.batch_id')
    .orderBy('c.id')
    .execute();
}

/** Which of these child ids are live children of the activity. */
export async function liveChildIds(trx: Trx, activityId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await trx
    .selectFrom('activity_children')
    .select('id')
    .where('activity_id', '=', activityId)
    .where('released_at', 'is', null)
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => r.id);
}

export async function upsertAttendance(trx: Trx, rows: { childId: string; day: string; present: boolean; recordedBy: string; at: Date }[]) {
  if (rows.length === 0) return;
  await trx
    .insertInto('activity_child_attendance')
    .values(rows.map((r) => ({ child_id: r.childId, day: r.day, present: r.present, recorded_by: r.recordedBy, recorded_at: r.at })))
    .onConflict((oc) =>
      oc.columns(['child_id', 'day']).doUpdateSet((eb) => ({
        present: eb.ref('excluded.present'),
        recorded_by: eb.ref('excluded.recorded_by'),
        recorded_at: eb.ref('excluded.recorded_at'),
      })),
    )
    .execute();
}

export async function attendanceOfDay(trx: Trx, activityId: string, day: string) {
  return trx
    .selectFrom('activity_children as c')
    .leftJoin('activity_child_attendance as t', (j) => j.onRef('t.child_id', '=', 'c.id').on('t.day', '=', day))
    .select(['c.id', 'c.name', 'c.batch_id', 't.present'])
    .where('c.activity_id', '=', activityId)
    .where('c.released_at', 'is', null)
    .orderBy('c.batch_id')
    .orderBy('c.id')
    .execute();
}

// ------------------------------------------------------------------------------------------------
// 技能竞赛: rounds, scores, rankings

export async function roundsOf(trx: Trx, activityId: string) {
  return trx.selectFrom('contest_rounds').select(['id', 'no', 'name', 'max_score']).where('activity_id', '=', activityId).orderBy('no').execute();
}

export async function roundOf(trx: Trx, activityId: string, roundId: string) {
  return trx
    .selectFrom('contest_rounds')
    .select(['id', 'no', 'name', 'max_score'])
    .where('activity_id', '=', activityId)
    .where('id', '=', roundId)
    .executeTakeFirst();
}

export async function insertRound(trx: Trx, activityId: string, name: string, maxScore: string) {
  return trx
    .insertInto('contest_rounds')
    .values((eb) => ({
      activity_id: activityId,
      no: eb
        .selectFrom('contest_rounds')
        .select(sql<number>`coalesce(max(no), 0) + 1`.as('n'))
        .where('activity_id', '=', activityId),
      name,
      max_score: maxScore,
    }))
    .returning(['id', 'no', 'name', 'max_score'])
    .executeTakeFirstOrThrow();
}

/** Enrollments of the activity that hold a place, among `ids`. */
export async function placeHoldersAmong(trx: Trx, activityId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return trx
    .selectFrom('activity_enrollments')
    .select(['id', 'person_id', 'status'])
    .where('activity_id', '=', activityId)
    .where('status', 'in', PLACE_STATUSES)
    .where('id', 'in', ids)
    .execute();
}

export async function upsertScores(trx: Trx, roundId: string, rows: { enrollmentId: string; score: string }[], by: string, at: Date) {
  if (rows.length === 0) return;
  await trx
    .insertInto('contest_scores')
    .values(rows.map((r) => ({ round_id: roundId, enrollment_id: r.enrollmentId, score: r.score, entered_by: by, entered_at: at })))
    .onConflict((oc) =>
      oc.columns(['round_id', 'enrollment_id']).doUpdateSet((eb) => ({
        score: eb.ref('excluded.score'),
        entered_by: eb.ref('excluded.entered_by'),
        entered_at: eb.ref('excluded.entered_at'),
      })),
    )
    .execute();
}

/** Participants (holding a place) with their scores per round, for the ranking. */
export async function participantsWithScores(trx: Trx, activityId: string) {
  const people = await trx
    .selectFrom('activity_enrollments as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .select(['e.id', 'e.person_id', 'p.name', 'e.status'])
    .where('e.activity_id', '=', activityId)
    .where('e.status', 'in', PLACE_STATUSES)
    .orderBy('e.id')
    .execute();
  const scores = await trx
    .selectFrom('contest_scores as s')
    .innerJoin('contest_rounds as r', 'r.id', 's.round_id')
    .select(['s.round_id', 's.enrollment_id', 's.score'])
    .where('r.activity_id', '=', activityId)
    .execute();
  return { people, scores };
}

// ------------------------------------------------------------------------------------------------
// Certificates

export async function insertCertificate(
  trx: Trx,
  row: { activityId: string; enrollmentId: string; personId: string; code: string; award: string; issuedOn: string; issuedBy: string },
) {
  return trx
    .insertInto('activity_certificates')
    .values({
      activity_id: row.activityId,
      enrollment_id: row.enrollmentId,
      person_id: row.personId,
      code: row.code,
      award: row.award,
      issued_on: row.issuedOn,
      issued_by: row.issuedBy,
    })
    .onConflict((oc) => oc.column('enrollment_id').doUpdateSet((eb) => ({ award: eb.ref('excluded.award') })))
    .returning('id')
    .executeTakeFirstOrThrow();
}

const certificateColumns = [
  'c.id',
  'c.code',
  'c.award',
  'c.issued_on',
  'c.activity_id',
  'c.enrollment_id',
  'c.person_id',
  'p.name as holder_name',
  'a.title as activity_title',
  'a.org_id',
  'o.name as org_name',
] as const;

function certificates(trx: Trx) {
  return trx
    .selectFrom('activity_certificates as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .innerJoin('activities as a', 'a.id', 'c.activity_id')
    .innerJoin('orgs as o', 'o.id', 'a.org_id')
    .select(certificateColumns);
}

export async function certificatesOfActivity(trx: Trx, activityId: string) {
  return certificates(trx).where('c.activity_id', '=', activityId).orderBy('c.id').execute();
}

/** A certificate by id, only when its activity's union is in the staff scope. */
export async function certificateInScope(trx: Trx, id: string, orgPath: string) {
  return certificates(trx).where('c.id', '=', id).where('a.org_path', 'like', `${orgPath}%`).executeTakeFirst();
}

/** The worker's own certificates (by the person bound to the worker account). */
export async function certificatesOfWorker(trx: Trx, workerId: string) {
  return certificates(trx).where('p.worker_id', '=', workerId).orderBy('c.id', 'desc').execute();
}

export async function certificateOfWorker(trx: Trx, id: string, workerId: string) {
  return certificates(trx).where('c.id', '=', id).where('p.worker_id', '=', workerId).executeTakeFirst();
}

export async function certificateByCode(trx: Trx, code: string) {
  return certificates(trx).where('c.code', '=', code).executeTakeFirst();
}

// ------------------------------------------------------------------------------------------------
// 培训 / 宣讲 sessions and check-ins

export async function sessionsOf(trx: Trx, activityId: string) {
  return trx
    .selectFrom('training_sessions as s')
    .select([
      's.id',
      's.title',
      's.starts_at',
      's.ends_at',
      (eb) =>
        eb
          .selectFrom('training_checkins as k')
          .select(sql<string>`count(*)`.as('n'))
          .whereRef('k.session_id', '=', 's.id')
          .as('attended'),
    ])
    .where('s.activity_id', '=', activityId)
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .execute();
}

export async function insertSession(trx: Trx, activityId: string, title: string, startsAt: Date, endsAt: Date) {
  return trx
    .insertInto('training_sessions')
    .values({ activity_id: activityId, title, starts_at: startsAt, ends_at: endsAt })
    .returning(['id', 'title', 'starts_at', 'ends_at'])
    .executeTakeFirstOrThrow();
}

export async function sessionOf(trx: Trx, activityId: string, sessionId: string) {
  return trx
    .selectFrom('training_sessions')
    .select(['id', 'title', 'starts_at', 'ends_at', 'activity_id'])
    .where('activity_id', '=', activityId)
    .where('id', '=', sessionId)
    .executeTakeFirst();
}

/** A session with its activity, for a worker's check-in (the session id comes from a signed token). */
export async function sessionForCheckin(trx: Trx, sessionId: string) {
  return trx
    .selectFrom('training_sessions as s')
    .innerJoin('activities as a', 'a.id', 's.activity_id')
    .select(['s.id', 's.title', 's.starts_at', 's.ends_at', 's.activity_id', 'a.title as activity_title', 'a.org_id', 'a.status', 'a.settings', 'a.type'])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
}

export async function insertCheckin(trx: Trx, row: { sessionId: string; personId: string; enrollmentId: string | null; at: Date }) {
  await trx
    .insertInto('training_checkins')
    .values({ session_id: row.sessionId, person_id: row.personId, enrollment_id: row.enrollmentId, checked_in_at: row.at })
    .onConflict((oc) => oc.columns(['session_id', 'person_id']).doNothing())
    .execute();
  return trx
    .selectFrom('training_checkins')
    .select('checked_in_at')
    .where('session_id', '=', row.sessionId)
    .where('person_id', '=', row.personId)
    .executeTakeFirstOrThrow();
}

export async function attendanceOfSession(trx: Trx, sessionId: string) {
  return trx
    .selectFrom('training_checkins as k')
    .innerJoin('people as p', 'p.id', 'k.person_id')
    .select(['k.person_id', 'p.name', 'k.checked_in_at', 'k.enrollment_id'])
    .where('k.session_id', '=', sessionId)
    .orderBy('k.checked_in_at')
    .execute();
}

// ------------------------------------------------------------------------------------------------
// 知识竞赛

export async function attemptCount(trx: Trx, activityId: string) {
  const r = await trx
    .selectFrom('quiz_attempts')
    .select(sql<string>`count(*)`.as('n'))
    .where('activity_id', '=', activityId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function replaceQuestions(
  trx: Trx,
  activityId: string,
  questions: { stem: string; kind: 'single' | 'multi' | 'judge'; options: { key: string; text: string }[]; answer: string[]; points: number }[],
) {
  await trx.deleteFrom('quiz_questions').where('activity_id', '=', activityId).execute();
  if (questions.length === 0) return;
  await trx
    .insertInto('quiz_questions')
    .values(
      questions.map((q, i) => ({
        activity_id: activityId,
        no: i + 1,
        stem: q.stem,
        kind: q.kind,
        options: JSON.stringify(q.options),
        answer: q.answer.join(','),
        points: q.points,
      })),
    )
    .execute();
}

export async function questionsOf(trx: Trx, activityId: string) {
  return trx
    .selectFrom('quiz_questions')
    .select(['id', 'no', 'stem', 'kind', 'options', 'answer', 'points'])
    .where('activity_id', '=', activityId)
    .orderBy('no')
    .execute();
}

export async function attemptOf(trx: Trx, activityId: string, personId: string) {
  return trx
    .selectFrom('quiz_attempts')
    .select(['id', 'started_at', 'deadline_at', 'submitted_at', 'score', 'max_score', 'late'])
    .where('activity_id', '=', activityId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

/** Starts the one attempt; a concurrent second start finds the first (unique (activity, person)). */
export async function insertAttempt(trx: Trx, row: { activityId: string; personId: string; startedAt: Date; deadlineAt: Date; maxScore: number }) {
  const inserted = await trx
    .insertInto('quiz_attempts')
    .values({ activity_id: row.activityId, person_id: row.personId, started_at: row.startedAt, deadline_at: row.deadlineAt, max_score: row.maxScore })
    .onConflict((oc) => oc.columns(['activity_id', 'person_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Submits once: only an attempt not yet submitted is updated (returns undefined otherwise). */
export async function submitAttempt(
  trx: Trx,
  attemptId: string,
  row: { submittedAt: Date; answers: { questionId: string; answer: string[] }[]; score: number; late: boolean },
) {
  return trx
    .updateTable('quiz_attempts')
    .set({ submitted_at: row.submittedAt, answers: JSON.stringify(row.answers), score: row.score, late: row.late })
    .where('id', '=', attemptId)
    .where('submitted_at', 'is', null)
    .returning(['id', 'started_at', 'deadline_at', 'submitted_at', 'score', 'max_score', 'late'])
    .executeTakeFirst();
}

/** Submitted attempts best first (score, then the earlier submission). */
export async function quizResults(trx: Trx, activityId: string) {
  return trx
    .selectFrom('quiz_attempts as q')
    .innerJoin('people as p', 'p.id', 'q.person_id')
    .select(['q.person_id', 'p.name', 'q.score', 'q.max_score', 'q.started_at', 'q.submitted_at', 'q.late'])
    .where('q.activity_id', '=', activityId)
    .where('q.submitted_at', 'is not', null)
    .orderBy('q.score', 'desc')
    .orderBy('q.submitted_at')
    .orderBy('q.person_id')
    .execute();
}

/** The person bound to a worker account (certificates outlive a membership). */
export async function personOfWorker(trx: Trx, workerId: string) {
  return trx.selectFrom('people').select(['id', 'name']).where('worker_id', '=', workerId).executeTakeFirst();
}

/** A quiz activity by id (the caller has found the worker's live enrollment in it). */
export async function quizActivity(trx: Trx, activityId: string) {
  return trx
    .selectFrom('activities')
    .select(['id', 'org_id', 'title', 'status', 'settings', 'starts_on', 'ends_on'])
    .where('id', '=', activityId)
    .where('type', '=', 'quiz')
    .executeTakeFirst();
}
