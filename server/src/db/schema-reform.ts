// Row types of modules/reform (产改, issue 16): pilots, their task / problem lists, criteria, ratings.
import type { ColumnType, JSONColumnType } from 'kysely';
import type { CreatedAt, GeneratedId, Id } from './schema-common.js';

type NullableId = ColumnType<string | null, string | number | bigint | null | undefined, string | number | bigint | null>;
type Opt<T> = ColumnType<T, T | undefined, T>;

export interface ReformScore {
  criterionId: string;
  name: string;
  max: number;
  score: number;
}

export interface ReformTables {
  reform_pilots: {
    id: GeneratedId;
    org_id: Id;
    enterprise_id: Id;
    since_year: number;
    note: Opt<string | null>;
    version: Opt<number>;
    created_by: NullableId;
    created_at: CreatedAt;
  };
  reform_items: {
    id: GeneratedId;
    pilot_id: Id;
    kind: 'task' | 'problem';
    title: string;
    owner: string;
    due_on: ColumnType<string, string, string>;
    status: Opt<'open' | 'done'>;
    done_on: ColumnType<string | null, string | null | undefined, string | null>;
    evidence: Opt<string | null>;
    created_at: CreatedAt;
  };
  reform_criteria: {
    id: GeneratedId;
    name: string;
    max_score: number;
    sort: Opt<number>;
    active: Opt<boolean>;
    version: Opt<number>;
  };
  reform_ratings: {
    id: GeneratedId;
    pilot_id: Id;
    year: number;
    scores: JSONColumnType<ReformScore[], string, string>;
    total: number;
    stars: number;
    rater: string;
    rated_on: ColumnType<string, string, string>;
    created_by: NullableId;
    created_at: CreatedAt;
  };
  // migration 048: 督查考核 visits and 工匠学院
  reform_inspections: {
    id: GeneratedId;
    pilot_id: Id;
    visited_on: ColumnType<string, string, string>;
    inspectors: string;
    findings: string;
    score: number;
    created_by: NullableId;
    created_at: CreatedAt;
  };
  reform_academies: {
    id: GeneratedId;
    org_id: Id;
    name: string;
    host: string;
    founded_year: number;
    note: Opt<string | null>;
    created_by: NullableId;
    created_at: CreatedAt;
  };
  reform_academy_pilots: {
    academy_id: Id;
    pilot_id: Id;
  };
}
