// Row types of modules/models (劳模工匠, issue 16): the honours register, entitlement rules and grants.
import type { ColumnType } from 'kysely';
import type { CreatedAt, DefaultedTimestamp, GeneratedId, Id } from './schema-common.js';

type NullableId = ColumnType<string | null, string | number | bigint | null | undefined, string | number | bigint | null>;
type Opt<T> = ColumnType<T, T | undefined, T>;

export type HonourKind =
  | 'national_model'
  | 'provincial_model'
  | 'city_model'
  | 'mayday_national'
  | 'mayday_provincial'
  | 'mayday_city'
  | 'craftsman_national'
  | 'craftsman_provincial'
  | 'craftsman_city'
  | 'skill_expert';
export type ModelStatus = 'active' | 'retired' | 'deceased';
export type Benefit = 'recuperation' | 'checkup' | 'hardship_subsidy' | 'spring_visit';

export interface ModelPeopleTable {
  id: GeneratedId;
  org_id: Id;
  person_id: NullableId;
  name: string;
  sex: Opt<'M' | 'F' | null>;
  id_enc: Opt<string | null>;
  id_bidx: Opt<string | null>;
  id_masked: Opt<string | null>;
  phone_enc: Opt<string | null>;
  phone_masked: Opt<string | null>;
  employer: Opt<string | null>;
  job_title: Opt<string | null>;
  status: Opt<ModelStatus>;
  note: Opt<string | null>;
  version: Opt<number>;
  created_by: NullableId;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface ModelHonoursTable {
  id: GeneratedId;
  model_person_id: Id;
  kind: HonourKind;
  year: number;
  awarding_body: string;
  certificate_no: Opt<string | null>;
  created_at: CreatedAt;
}

export interface ModelEntitlementRulesTable {
  id: GeneratedId;
  honour_kind: HonourKind;
  benefit: Benefit;
  /** bigint fen, travels as a string */
  amount_fen: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  note: Opt<string>;
  active: Opt<boolean>;
  version: Opt<number>;
  updated_at: DefaultedTimestamp;
}

export interface ModelGrantsTable {
  id: GeneratedId;
  model_person_id: Id;
  benefit: Benefit;
  year: number;
  granted_on: ColumnType<string, string, string>;
  amount_fen: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  note: Opt<string | null>;
  org_id: Id;
  created_by: NullableId;
  created_at: CreatedAt;
}

export interface ModelsTables extends ModelsBoardTables, ModelsMoreTables {
  model_people: ModelPeopleTable;
  model_honours: ModelHonoursTable;
  model_entitlement_rules: ModelEntitlementRulesTable;
  model_grants: ModelGrantsTable;
}

// ---- migration 042: 创新工作室 and the problem board ----
export type StudioKind = 'model' | 'worker' | 'women' | 'craftsman' | 'alliance';
export type StudioLevel = 'county' | 'city' | 'provincial' | 'national';
export type AchievementKind = 'patent' | 'innovation' | 'five_small' | 'apprentice' | 'benefit';
export type ProblemStatus = 'open' | 'claimed' | 'solved' | 'confirmed' | 'withdrawn';
type Day = ColumnType<string, string, string>;
type OptDay = ColumnType<string | null, string | null | undefined, string | null>;

export interface ModelStudiosTable {
  id: GeneratedId;
  org_id: Id;
  kind: StudioKind;
  name: string;
  lead_id: NullableId;
  enterprise_id: NullableId;
  field: string;
  level: StudioLevel;
  named_year: number;
  members: Opt<number>;
  status: Opt<'active' | 'revoked'>;
  version: Opt<number>;
  created_by: NullableId;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface ModelStudioAchievementsTable {
  id: GeneratedId;
  studio_id: Id;
  kind: AchievementKind;
  title: string;
  year: number;
  benefit_fen: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  note: Opt<string | null>;
  created_by: NullableId;
  created_at: CreatedAt;
  // migration 048: 创新成果积分
  person_id: NullableId;
  patent_type: Opt<PatentType | null>;
  award_level: Opt<AwardLevel | null>;
  points: Opt<number>;
  points_org_id: NullableId;
  scored_on: Day;
}

export interface ModelProblemsTable {
  id: GeneratedId;
  org_id: Id;
  enterprise_id: Id;
  title: string;
  field: string;
  description: string;
  posted_on: Day;
  deadline: Day;
  status: Opt<ProblemStatus>;
  studio_id: NullableId;
  solver_id: NullableId;
  claimed_on: OptDay;
  solved_on: OptDay;
  result: Opt<string | null>;
  people_involved: Opt<number | null>;
  confirmed_on: OptDay;
  confirmed_by: Opt<string | null>;
  confirm_note: Opt<string | null>;
  version: Opt<number>;
  created_by: NullableId;
  /** The accounts that claimed and solved it: neither may confirm it (decision 045). */
  claimed_by: NullableId;
  solved_by: NullableId;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface ModelProblemRecordsTable {
  id: GeneratedId;
  problem_id: Id;
  kind: 'visit' | 'work' | 'note';
  on_day: Day;
  text: string;
  actor_name: string;
  created_at: CreatedAt;
}

export interface ModelLecturersTable {
  id: GeneratedId;
  org_id: Id;
  kind: 'model_teacher' | 'worker_speaker' | 'ideology_teacher';
  name: string;
  model_person_id: NullableId;
  topic: Opt<string | null>;
  active: Opt<boolean>;
  created_by: NullableId;
  created_at: CreatedAt;
}

export interface ModelLecturesTable {
  id: GeneratedId;
  activity_id: Id;
  lecturer_id: Id;
  venue_kind: 'school' | 'enterprise';
  venue_name: string;
  created_by: NullableId;
  created_at: CreatedAt;
}

export interface ModelsBoardTables {
  model_lecturers: ModelLecturersTable;
  model_lectures: ModelLecturesTable;
  model_studios: ModelStudiosTable;
  model_studio_achievements: ModelStudioAchievementsTable;
  model_problems: ModelProblemsTable;
  model_problem_records: ModelProblemRecordsTable;
}

// ---- migration 048: 创新成果积分, evaluations, evidence files, the competition catalogue ----
export type PatentType = 'invention' | 'utility' | 'design';
export type AwardLevel = 'national' | 'provincial' | 'city' | 'county';
export type EvaluationResult = 'excellent' | 'good' | 'pass' | 'fail';
export type CompetitionLevel = 'national' | 'provincial' | 'city' | 'county';
type Json<T> = ColumnType<T, string, string>;

/** A points table: base points per achievement kind, per award level, per patent type, and benefit bands (fen ≥ min → points). */
export interface PointsTable {
  kinds: Record<AchievementKind, number>;
  award: Record<AwardLevel, number>;
  patent: Record<PatentType, number>;
  benefit: { minFen: string; points: number }[];
}

export interface ModelsMoreTables {
  model_points_tables: {
    id: GeneratedId;
    org_id: Id;
    kinds: Json<PointsTable['kinds']>;
    award: Json<PointsTable['award']>;
    patent: Json<PointsTable['patent']>;
    benefit: Json<PointsTable['benefit']>;
    ranking_enabled: Opt<boolean>;
    version: Opt<number>;
    updated_by: NullableId;
    updated_at: DefaultedTimestamp;
  };
  model_achievement_files: {
    id: GeneratedId;
    achievement_id: Id;
    file_key: string;
    file_name: string;
    file_mime: string;
    bytes: number;
    created_by: NullableId;
    created_at: CreatedAt;
  };
  model_studio_evaluations: {
    id: GeneratedId;
    studio_id: Id;
    year: number;
    scores: Json<{ name: string; max: number; score: number }[]>;
    total: number;
    result: EvaluationResult;
    evaluator: string;
    evaluated_on: Day;
    created_by: NullableId;
    created_at: CreatedAt;
  };
  model_competitions: {
    id: GeneratedId;
    name: string;
    level: CompetitionLevel;
    category: 'class1' | 'class2' | 'other';
    trade: string;
    organiser: string;
    maps_to: 'skill_level' | 'title' | 'none';
    grants: Opt<string | null>;
    active: Opt<boolean>;
    version: Opt<number>;
    created_by: NullableId;
    created_at: CreatedAt;
  };
  model_competition_activities: {
    id: GeneratedId;
    activity_id: Id;
    competition_id: Id;
    created_by: NullableId;
    created_at: CreatedAt;
  };
  model_skill_results: {
    id: GeneratedId;
    model_person_id: Id;
    competition_id: Id;
    activity_id: NullableId;
    year: number;
    placement: string;
    grants: string;
    certificate_no: Opt<string | null>;
    org_id: Id;
    created_by: NullableId;
    created_at: CreatedAt;
  };
}
