// Row types for hardship case files (see migrations). Merged into DB in schema.ts.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, DefaultedTimestamp, Id, GeneratedId, Numeric, Timestamp } from './schema-common.js';

export type HardshipFileStatus = 'submitted' | 'visiting' | 'county_review' | 'notice' | 'established' | 'closed' | 'rejected';
/** jsonb: written as a JSON string, read as the parsed value. */
type Json<T> = ColumnType<T, string, string>;
/** A date column: 'YYYY-MM-DD' in and out (pg and PGlite parse dates differently, so we cast to text when reading). */
type DateCol = ColumnType<string, string, string>;

export interface HardshipFilesTable {
  id: GeneratedId;
  org_id: Id;
  membership_id: Id;
  head_person_id: Id;
  status: Generated<HardshipFileStatus>;
  main_cause: string;
  secondary_causes: Json<string[]>;
  head_health: string | null;
  head_work: string | null;
  head_monthly_income: Numeric;
  household_size: number;
  household_income: Numeric;
  per_capita_income: Numeric;
  address: string | null;
  situation: string;
  notice_start: DateCol | null;
  notice_end: DateCol | null;
  established_at: Timestamp | null;
  review_due_on: DateCol | null;
  closed_at: Timestamp | null;
  closed_reason: string | null;
  reject_reason: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface HardshipFamilyMembersTable {
  id: GeneratedId;
  file_id: Id;
  name: string;
  relation: string;
  id_enc: string | null;
  id_bidx: string | null;
  id_masked: string | null;
  health: string | null;
  work: string | null;
  monthly_income: Numeric;
  sort: number;
}

export interface HardshipHouseholdKeysTable {
  file_id: Id;
  id_bidx: string;
  role: 'head' | 'family';
  is_open: Generated<boolean>;
}

export interface HardshipEventsTable {
  id: GeneratedId;
  file_id: Id;
  action: string;
  from_status: string | null;
  to_status: string | null;
  comment: string | null;
  actor_id: string | null;
  actor_name: string | null;
  at: Timestamp;
}

export interface HardshipVisitsTable {
  id: GeneratedId;
  file_id: Id;
  visited_on: DateCol;
  visitors: string;
  findings: string;
  photos: Json<string[]>;
  recorded_by: string | null;
  at: Timestamp;
}

export interface HardshipObjectionsTable {
  id: GeneratedId;
  file_id: Id;
  raised_by: string;
  content: string;
  outcome: 'upheld' | 'dismissed';
  handling: string | null;
  recorded_by: string | null;
  at: Timestamp;
}

export interface HardshipReviewsTable {
  id: GeneratedId;
  file_id: Id;
  year: number;
  decision: 'continue' | 'close';
  reason: string;
  reviewed_by: string | null;
  at: Timestamp;
}

export interface HardshipPairingsTable {
  id: GeneratedId;
  file_id: Id;
  kind: 'unit' | 'cadre';
  name: string;
  contact: string | null;
  started_on: DateCol;
  created_by: string | null;
  at: Timestamp;
}

export interface HardshipPairingVisitsTable {
  id: GeneratedId;
  pairing_id: Id;
  visited_on: DateCol;
  notes: string;
  recorded_by: string | null;
  at: Timestamp;
}

/** One row per yearly-review reminder sent: the claim that keeps the daily job from sending it twice. */
export interface HardshipReviewRemindersTable {
  file_id: Id;
  review_year: number;
  due_on: DateCol;
  org_id: Id;
  sent_at: Timestamp;
}

export interface HardshipTables {
  hardship_files: HardshipFilesTable;
  hardship_family_members: HardshipFamilyMembersTable;
  hardship_household_keys: HardshipHouseholdKeysTable;
  hardship_events: HardshipEventsTable;
  hardship_visits: HardshipVisitsTable;
  hardship_objections: HardshipObjectionsTable;
  hardship_reviews: HardshipReviewsTable;
  hardship_pairings: HardshipPairingsTable;
  hardship_pairing_visits: HardshipPairingVisitsTable;
  hardship_review_reminders: HardshipReviewRemindersTable;
}
