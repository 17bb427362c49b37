// Row types for targets and 工作质效评价 (migration 038). Merged into DB in schema.ts.
import type { ColumnType } from 'kysely';
import type { CreatedAt, DefaultedTimestamp, GeneratedId, Id, Numeric, Timestamp } from './schema-common.js';

type NullableId = ColumnType<string | null, string | number | bigint | null | undefined, string | number | bigint | null>;
type Version = ColumnType<number, number | undefined, number>;

export type TargetComparison = 'gte' | 'lte';
export type ScoringRule = 'linear' | 'threshold' | 'floor60';
export type ManualScoreStatus = 'submitted' | 'confirmed' | 'returned';

export interface TargetsTable {
  id: GeneratedId;
  year: number;
  org_id: Id;
  set_by_org_id: Id;
  indicator_code: string;
  comparison: TargetComparison;
  value: Numeric;
  parent_id: NullableId;
  note: string | null;
  version: Version;
  created_by: NullableId;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface TargetSchemesTable {
  id: GeneratedId;
  org_id: Id;
  year: number;
  name: string;
  version: Version;
  created_by: NullableId;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface TargetSchemeItemsTable {
  id: GeneratedId;
  scheme_id: Id;
  position: number;
  kind: 'indicator' | 'manual';
  name: string;
  indicator_code: string | null;
  rule: ScoringRule | null;
  weight: Numeric;
  description: string | null;
}

export interface TargetManualScoresTable {
  id: GeneratedId;
  item_id: Id;
  org_id: Id;
  claimed_score: Numeric;
  evidence: string;
  file_key: string | null;
  file_name: string | null;
  file_mime: string | null;
  status: ColumnType<ManualScoreStatus, ManualScoreStatus | undefined, ManualScoreStatus>;
  confirmed_score: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  review_note: string | null;
  submitted_by: Id;
  submitted_at: Timestamp;
  reviewed_by: NullableId;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  version: Version;
}

export interface TargetsTables {
  targets: TargetsTable;
  target_schemes: TargetSchemesTable;
  target_scheme_items: TargetSchemeItemsTable;
  target_manual_scores: TargetManualScoresTable;
}
