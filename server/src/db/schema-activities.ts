// Row types for activities, batches, enrollments (see migrations/011_activities.ts). Merged into DB in schema.ts.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CreatedAt, DefaultedTimestamp, GeneratedId, Id, Numeric, Timestamp } from './schema-common.js';

type Json<T> = ColumnType<T, string | undefined, string>;

export type ActivityTypeCode = 'recuperation' | 'childcare' | 'contest' | 'training' | 'quiz' | 'social' | 'lecture' | 'other';
export type ActivityStatus = 'draft' | 'published' | 'closed' | 'cancelled';
export type EnrollmentMode = 'fcfs' | 'lottery' | 'approval';
export type EnrollmentStatus = 'pending' | 'enrolled' | 'waitlisted' | 'attended' | 'no_show' | 'cancelled' | 'rejected';

export interface ActivitiesTable {
  id: GeneratedId;
  org_id: Id;
  org_path: string;
  type: ActivityTypeCode;
  title: string;
  description: Generated<string>;
  locations: Json<string[]>;
  starts_on: string | null;
  ends_on: string | null;
  cost_per_person: Numeric;
  /** Per person, in fen (migration 027): what the union pays and what the member pays; cost_per_person is their sum. */
  union_share_fen: Generated<number>;
  personal_share_fen: Generated<number>;
  budget: Numeric;
  eligibility: Json<Record<string, unknown>>;
  enrollment_mode: EnrollmentMode;
  opens_at: Timestamp | null;
  closes_at: Timestamp | null;
  cancel_deadline: Timestamp | null;
  contact_name: string | null;
  contact_phone: string | null;
  settings: Json<Record<string, unknown>>;
  status: Generated<ActivityStatus>;
  published_at: Timestamp | null;
  cancel_reason: string | null;
  lottery_seed: string | null;
  lottery_drawn_at: Timestamp | null;
  created_by: Id | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface ActivityBatchesTable {
  id: GeneratedId;
  activity_id: Id;
  title: string;
  location: string | null;
  starts_on: string | null;
  ends_on: string | null;
  sort_order: Generated<number>;
  places_general: number;
  places_priority: Generated<number>;
  places_family: Generated<number>;
  /** Family members one enrollment may bring, 0–4, within places_family (migration 027). */
  family_per_person: Generated<number>;
  /** Who may enroll in this batch (activities.eligibility.ts, migration 027). */
  eligibility: ColumnType<Record<string, unknown>, string | undefined, string>;
  taken_general: Generated<number>;
  taken_priority: Generated<number>;
  taken_family: Generated<number>;
  lottery_places: number | null;
  lottery_candidates: ColumnType<string[] | null, string | null | undefined, string | null>;
  lottery_candidates_hash: string | null;
  lottery_order: ColumnType<string[] | null, string | null | undefined, string | null>;
}

export interface ActivityEnrollmentsTable {
  id: GeneratedId;
  activity_id: Id;
  batch_id: Id;
  person_id: Id;
  membership_id: Id | null;
  worker_id: Id | null;
  org_id: Id;
  org_path: string;
  status: EnrollmentStatus;
  pool: Generated<'general' | 'priority'>;
  taken_pool: 'general' | 'priority' | null;
  family_count: Generated<number>;
  details: Json<Record<string, unknown>>;
  draw_rank: number | null;
  reason: string | null;
  created_at: DefaultedTimestamp;
  enrolled_at: Timestamp | null;
  /** When a waitlisted enrollment got its place (migration 018); null for every other way in. */
  promoted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  cancelled_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
}

export type Activity = Selectable<ActivitiesTable>;
/** Waitlisted enrollments per batch, kept by a trigger (migration 016). */
export interface ActivityBatchWaitlistsTable {
  batch_id: Id;
  waitlisted: number;
}

export type ActivityBatch = Selectable<ActivityBatchesTable>;
export type ActivityEnrollment = Selectable<ActivityEnrollmentsTable>;

export interface ActivitiesTables {
  activities: ActivitiesTable;
  activity_batches: ActivityBatchesTable;
  activity_batch_waitlists: ActivityBatchWaitlistsTable;
  activity_enrollments: ActivityEnrollmentsTable;
}
