// Row types for 工会经费 (migration 043) and 经费审查 (migration 044). Merged into DB in schema.ts.
// Money columns are bigint fen: they travel as strings (never floats), turned into bigint by the services.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, DefaultedTimestamp, GeneratedId, Id, Timestamp } from './schema-common.js';

type DateCol = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;
/** bigint fen: read as a string, written from a bigint / string. */
export type Fen = ColumnType<string, bigint | string, bigint | string>;
type Json<T> = ColumnType<T, string, string>;

export type FundsLevel = 'grassroots' | 'town' | 'county' | 'city';
export type FundsChannel = 'tax' | 'bank' | 'refund';
export type FundsCategory = 'activities' | 'rights' | 'aid' | 'business' | 'admin' | 'capital' | 'other';

export interface FundsRatesTable {
  id: GeneratedId;
  org_id: Id;
  rate_bp: number;
  effective_from: DateCol;
  note: Generated<string>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface FundsShareRatiosTable {
  id: GeneratedId;
  org_id: Id;
  year: number;
  grassroots_bp: number;
  town_bp: number;
  county_bp: number;
  city_bp: number;
  created_by: string | null;
  created_at: CreatedAt;
  version: Generated<number>;
}

export interface FundsReceivablesTable {
  id: GeneratedId;
  enterprise_id: Id;
  union_org_id: Id;
  period: string;
  payroll_fen: Fen;
  rate_bp: number;
  due_fen: Fen;
  reduced_fen: ColumnType<string, bigint | string | undefined, bigint | string>;
  reduction_reason: string | null;
  reduction_approved_by: string | null;
  last_reminded_on: NullableDate;
  created_at: CreatedAt;
  version: Generated<number>;
}

export interface FundsImportJobsTable {
  id: GeneratedId;
  org_id: Id;
  uploaded_by: Id | null;
  uploaded_by_name: string | null;
  file_name: string;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  processed: Generated<number>;
  added: Generated<number>;
  duplicate: Generated<number>;
  failed: Generated<number>;
  /** Runners that started the job (decision 037). */
  attempts: Generated<number>;
  headers: ColumnType<string[], string | undefined, string>;
  message: string | null;
  created_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface FundsImportErrorsTable {
  job_id: Id;
  row_no: number;
  cells: Json<string[]>;
  reason: string;
}

export interface FundsReceiptsTable {
  id: GeneratedId;
  enterprise_id: Id;
  union_org_id: Id;
  period: string;
  amount_fen: Fen;
  received_on: DateCol;
  channel: FundsChannel;
  source_ref: string | null;
  import_job_id: Id | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface FundsReceiptSharesTable {
  receipt_id: Id;
  level: FundsLevel;
  org_id: Id;
  amount_fen: Fen;
}

export interface FundsAllocationsTable {
  id: GeneratedId;
  from_org_id: Id;
  to_org_id: Id;
  amount_fen: Fen;
  allocated_on: DateCol;
  purpose: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface FundsBudgetsTable {
  id: GeneratedId;
  org_id: Id;
  year: number;
  category: FundsCategory;
  amount_fen: Fen;
  note: Generated<string>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface FundsSpendingTable {
  id: GeneratedId;
  org_id: Id;
  category: FundsCategory;
  amount_fen: Fen;
  spent_on: DateCol;
  payee: string;
  purpose: string;
  activity_id: Id | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface FundsSpendingVouchersTable {
  id: GeneratedId;
  spending_id: Id;
  file_key: string;
  file_name: string;
  file_mime: string;
  bytes: number;
  created_at: CreatedAt;
}

export type AcProjectKind = 'final_accounts' | 'affiliate' | 'special_fund' | 'tracking' | 'economic_responsibility';
export type AcFindingCategory = 'budget' | 'income' | 'spending' | 'assets' | 'accounting' | 'other';
export type AcSeverity = 'minor' | 'major' | 'serious';

export interface AcProjectsTable {
  id: GeneratedId;
  org_id: Id;
  audited_org_id: Id;
  kind: AcProjectKind;
  title: string;
  period_from: DateCol;
  period_to: DateCol;
  team: string;
  status: Generated<'open' | 'reported' | 'closed'>;
  created_by: string | null;
  created_at: CreatedAt;
  version: Generated<number>;
}

export interface AcFindingsTable {
  id: GeneratedId;
  project_id: Id;
  category: AcFindingCategory;
  description: string;
  amount_fen: ColumnType<string, bigint | string | undefined, bigint | string>;
  severity: AcSeverity;
  responsible_person: string;
  created_at: CreatedAt;
}

export interface AcTasksTable {
  id: GeneratedId;
  finding_id: Id;
  task: string;
  owner: string;
  deadline: DateCol;
  status: Generated<'open' | 'submitted' | 'closed'>;
  evidence: string | null;
  evidence_on: NullableDate;
  signed_off_by: string | null;
  closed_on: NullableDate;
  version: Generated<number>;
}

export interface AcInterviewsTable {
  id: GeneratedId;
  task_id: Id;
  held_on: DateCol;
  interviewee: string;
  interviewer: string;
  notes: string;
  created_by: string | null;
  created_at: CreatedAt;
}

/** 会费 per member union (migration 049): the switch and the rate (basis points of the wage). */
export interface FundsDuesSettingsTable {
  org_id: Id;
  enabled: Generated<boolean>;
  rate_bp: Generated<number>;
  updated_by: string | null;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface FundsDuesExemptionsTable {
  id: GeneratedId;
  org_id: Id;
  membership_id: Id;
  reason: string;
  created_by: string | null;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface FundsDuesTable {
  id: GeneratedId;
  org_id: Id;
  membership_id: Id;
  period: string;
  wage_fen: ColumnType<string, bigint | string, bigint | string>;
  amount_fen: ColumnType<string, bigint | string, bigint | string>;
  paid_on: DateCol;
  created_by: string | null;
  created_at: CreatedAt;
}

/** 经审 working papers (底稿, migration 049): files of an audit project in the file store. */
export interface AcPapersTable {
  id: GeneratedId;
  project_id: Id;
  title: string;
  file_key: string;
  file_name: string;
  file_mime: string;
  bytes: number;
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export interface FundsTables {
  funds_rates: FundsRatesTable;
  funds_share_ratios: FundsShareRatiosTable;
  funds_receivables: FundsReceivablesTable;
  funds_import_jobs: FundsImportJobsTable;
  funds_import_errors: FundsImportErrorsTable;
  funds_receipts: FundsReceiptsTable;
  funds_receipt_shares: FundsReceiptSharesTable;
  funds_allocations: FundsAllocationsTable;
  funds_budgets: FundsBudgetsTable;
  funds_spending: FundsSpendingTable;
  funds_spending_vouchers: FundsSpendingVouchersTable;
  funds_dues_settings: FundsDuesSettingsTable;
  funds_dues_exemptions: FundsDuesExemptionsTable;
  funds_dues: FundsDuesTable;
  ac_papers: AcPapersTable;
  ac_projects: AcProjectsTable;
  ac_findings: AcFindingsTable;
  ac_tasks: AcTasksTable;
  ac_interviews: AcInterviewsTable;
}
