// Row types for activity types (children, attendance, rounds, scores, certificates, training, quiz)
// (see migrations/012_activity_types.ts). Merged into DB in schema.ts.
import type { ColumnType } from 'kysely';
import type { CreatedAt, GeneratedId, Id, Numeric, Timestamp } from './schema-common.js';

type Json<T> = ColumnType<T, string, string>;

export interface ActivityChildrenTable {
  id: GeneratedId;
  activity_id: Id;
  batch_id: Id;
  guardian_person_id: Id;
  season: string;
  child_key: string;
  name: string;
  birth_date: ColumnType<string, string, string>;
  school: string;
  released_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface ActivityChildAttendanceTable {
  child_id: Id;
  day: ColumnType<string, string, string>;
  present: boolean;
  recorded_by: Id | null;
  recorded_at: Timestamp;
}

export interface ContestRoundsTable {
  id: GeneratedId;
  activity_id: Id;
  no: number;
  name: string;
  max_score: Numeric;
  created_at: CreatedAt;
}

export interface ContestScoresTable {
  round_id: Id;
  enrollment_id: Id;
  score: Numeric;
  entered_by: Id | null;
  entered_at: Timestamp;
}

export interface ActivityCertificatesTable {
  id: GeneratedId;
  activity_id: Id;
  enrollment_id: Id;
  person_id: Id;
  code: string;
  award: string;
  issued_on: ColumnType<string, string, string>;
  issued_by: Id | null;
  created_at: CreatedAt;
}

export interface TrainingSessionsTable {
  id: GeneratedId;
  activity_id: Id;
  title: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  created_at: CreatedAt;
}

export interface TrainingCheckinsTable {
  session_id: Id;
  person_id: Id;
  enrollment_id: Id | null;
  checked_in_at: Timestamp;
}

export interface QuizQuestionsTable {
  id: GeneratedId;
  activity_id: Id;
  no: number;
  stem: string;
  kind: 'single' | 'multi' | 'judge';
  options: Json<{ key: string; text: string }[]>;
  /** Option keys joined by commas, sorted: 'A,C'. Never sent to a worker before submitting. */
  answer: string;
  points: number;
}

export interface QuizAttemptsTable {
  id: GeneratedId;
  activity_id: Id;
  person_id: Id;
  started_at: Timestamp;
  deadline_at: Timestamp;
  submitted_at: Timestamp | null;
  answers: ColumnType<{ questionId: string; answer: string[] }[] | null, string | null | undefined, string | null>;
  score: number | null;
  max_score: number;
  late: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface ActivityTypesTables {
  activity_children: ActivityChildrenTable;
  activity_child_attendance: ActivityChildAttendanceTable;
  contest_rounds: ContestRoundsTable;
  contest_scores: ContestScoresTable;
  activity_certificates: ActivityCertificatesTable;
  training_sessions: TrainingSessionsTable;
  training_checkins: TrainingCheckinsTable;
  quiz_questions: QuizQuestionsTable;
  quiz_attempts: QuizAttemptsTable;
}
