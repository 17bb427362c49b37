// Row types for enterprises, 建会, collective contracts, 要约, 职代会 and 厂务公开 (migration 032). Merged into DB in schema.ts.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, DefaultedTimestamp, GeneratedId, Id, Timestamp } from './schema-common.js';

type DateCol = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;
type Json<T> = ColumnType<T, string, string>;

export type Ownership = 'state' | 'collective' | 'mixed' | 'private' | 'foreign' | 'hmt' | 'individual' | 'other';
export type EnterpriseSize = 'large' | 'medium' | 'small' | 'micro';
export type UnionKind = 'own' | 'joint' | 'industry';

export interface EnterprisesTable {
  id: GeneratedId;
  org_id: Id;
  credit_code: string;
  name: string;
  ownership: Ownership;
  industry: string;
  size: Generated<EnterpriseSize>;
  employees: Generated<number>;
  women: Generated<number>;
  migrant_workers: Generated<number>;
  address: string | null;
  division_code: string | null;
  is_platform: Generated<boolean>;
  union_org_id: Id | null;
  union_kind: UnionKind | null;
  unionised_on: NullableDate;
  congress_system: Generated<boolean>;
  disclosure_system: Generated<boolean>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface EnterpriseImportJobsTable {
  id: GeneratedId;
  org_id: Id;
  uploaded_by: Id | null;
  uploaded_by_name: string | null;
  file_name: string;
  format: string;
  headers: ColumnType<string[], string | undefined, string>;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  total: number | null;
  processed: Generated<number>;
  added: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  failed: Generated<number>;
  message: string | null;
  /** Runners that started the job (decision 037). */
  attempts: Generated<number>;
  created_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface EnterpriseImportErrorsTable {
  job_id: Id;
  row_no: number;
  cells: Json<string[]>;
  reason: string;
}

export type FoundingStatus = 'preparing' | 'elected' | 'established' | 'registered' | 'cancelled';

export interface UnionFoundingsTable {
  id: GeneratedId;
  enterprise_id: Id;
  parent_org_id: Id;
  status: Generated<FoundingStatus>;
  organiser: string;
  started_on: DateCol;
  meeting_kind: string | null;
  elected_on: NullableDate;
  term_years: number | null;
  approval_no: string | null;
  approved_on: NullableDate;
  union_org_id: Id | null;
  legal_due_on: NullableDate;
  legal_cert_no: string | null;
  legal_registered_on: NullableDate;
  /** Who started it and who recorded its election: neither may approve it (decision 045). */
  started_by: Id | null;
  elected_by: Id | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export type OfficerRole = 'chair' | 'vice_chair' | 'member' | 'funds_review' | 'women_committee';

export interface UnionOfficersTable {
  id: GeneratedId;
  founding_id: Id | null;
  enterprise_id: Id;
  union_org_id: Id | null;
  name: string;
  role: OfficerRole;
  term_start: DateCol;
  term_end: DateCol;
  reminded_at: Timestamp | null;
}

export interface ContractClause {
  key: string;
  title: string;
  text: string;
}

export interface ContractTemplatesTable {
  id: GeneratedId;
  code: string;
  version: number;
  kind: string;
  title: string;
  clauses: Json<ContractClause[]>;
  published_on: DateCol;
  created_at: CreatedAt;
}

export type ContractKind = 'general' | 'wage' | 'women' | 'safety' | 'skill_wage' | 'regional' | 'industry';
export type ContractStage = 'negotiating' | 'signed' | 'submitted' | 'accepted' | 'objection' | 'approved';

export interface ContractKeyTerms {
  wageGrowthPct?: number | null;
  minWage?: number | null;
  weeklyHours?: number | null;
  womenClauses?: string[];
}

export interface ContractVote {
  heldOn: string;
  delegates: number;
  present: number;
  for: number;
  against: number;
  abstain: number;
  passed: boolean;
}

export interface ContractsTable {
  id: GeneratedId;
  org_id: Id;
  kind: ContractKind;
  title: string;
  template_id: Id | null;
  clauses: Json<ContractClause[]>;
  stage: Generated<ContractStage>;
  union_party: string;
  employer_party: string;
  union_negotiator: string;
  employer_negotiator: string;
  key_terms: Json<ContractKeyTerms>;
  term_years: number;
  workers_covered: Generated<number>;
  women_covered: Generated<number>;
  vote: Json<ContractVote | null>;
  adopted: Generated<boolean>;
  signed_on: NullableDate;
  starts_on: NullableDate;
  ends_on: NullableDate;
  submitted_on: NullableDate;
  submitted_late: Generated<boolean>;
  accepted_on: NullableDate;
  review_opinion: string | null;
  reviewed_on: NullableDate;
  effective_on: NullableDate;
  renewed_by: Id | null;
  previous_id: Id | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface ContractEnterprisesTable {
  contract_id: Id;
  enterprise_id: Id;
}

export interface ContractRoundsTable {
  id: GeneratedId;
  contract_id: Id;
  held_on: DateCol;
  topics: string;
  minutes: Generated<string>;
}

export interface ContractRemindersTable {
  contract_id: Id;
  days_ahead: number;
  sent_at: Timestamp;
}

export interface BargainingCampaignsTable {
  id: GeneratedId;
  org_id: Id;
  title: string;
  year: number;
  starts_on: DateCol;
  ends_on: DateCol;
  criteria: Json<{ minEmployees?: number; industries?: string[]; unionisedOnly?: boolean }>;
  created_at: CreatedAt;
}

export type BargainingStage = 'pending' | 'offered' | 'responded' | 'negotiating' | 'signed';

export interface BargainingTargetsTable {
  campaign_id: Id;
  enterprise_id: Id;
  stage: Generated<BargainingStage>;
  offered_on: NullableDate;
  responded_on: NullableDate;
  negotiating_on: NullableDate;
  signed_on: NullableDate;
  contract_id: Id | null;
}

export interface CongressSessionsTable {
  id: GeneratedId;
  enterprise_id: Id;
  held_on: DateCol;
  kind: 'congress' | 'assembly';
  delegates: number;
  present: number;
  motions: Json<{ title: string; handling: string }[]>;
  resolutions: Generated<string>;
  created_at: CreatedAt;
}

export interface DisclosureItemsTable {
  id: GeneratedId;
  enterprise_id: Id;
  published_on: DateCol;
  subject: string;
  channel: string;
  created_at: CreatedAt;
}

export interface EnterprisesTables {
  enterprises: EnterprisesTable;
  enterprise_import_jobs: EnterpriseImportJobsTable;
  enterprise_import_errors: EnterpriseImportErrorsTable;
  union_foundings: UnionFoundingsTable;
  union_officers: UnionOfficersTable;
  contract_templates: ContractTemplatesTable;
  contracts: ContractsTable;
  contract_enterprises: ContractEnterprisesTable;
  contract_rounds: ContractRoundsTable;
  contract_reminders: ContractRemindersTable;
  bargaining_campaigns: BargainingCampaignsTable;
  bargaining_targets: BargainingTargetsTable;
  congress_sessions: CongressSessionsTable;
  disclosure_items: DisclosureItemsTable;
}
