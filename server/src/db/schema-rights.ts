// Row types for 维权 (migration 030). Merged into DB in schema.ts.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, DefaultedTimestamp, GeneratedId, Id, Numeric, Timestamp } from './schema-common.js';

type Json<T> = ColumnType<T, string, string>;
type DateCol = ColumnType<string, string, string>;
/** numeric with a default: a string out, optional in. */
type DefaultedNumeric = ColumnType<string, string | number | undefined, string | number>;

export type ConsultationChannel = 'window' | 'hotline' | 'online' | 'station' | 'petition';
export type ConsultationOutcome = 'answered' | 'to_mediation' | 'to_legal_aid' | 'to_petition' | 'to_other';

export interface RightsConsultationsTable {
  id: GeneratedId;
  org_id: Id;
  channel: ConsultationChannel;
  topic: string;
  worker_id: Id | null;
  person_id: Id | null;
  name: string;
  phone_enc: string | null;
  phone_bidx: string | null;
  phone_masked: string | null;
  employer_name: string | null;
  employer_org_id: Id | null;
  employer_enterprise_id: Id | null;
  idempotency_key: string | null;
  summary: string;
  answer: string | null;
  outcome: ConsultationOutcome | null;
  status: Generated<'open' | 'answered'>;
  handler_id: Id | null;
  handler_name: string | null;
  consulted_at: Timestamp;
  answered_at: Timestamp | null;
  callback_on: DateCol | null;
  satisfaction: number | null;
  case_id: Id | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface RightsConsultationMessagesTable {
  id: GeneratedId;
  consultation_id: Id;
  author: 'worker' | 'staff';
  author_name: string;
  body: string;
  at: Timestamp;
}

export type PoolKind = 'lawyer' | 'arbitrator' | 'cadre' | 'expert';
export interface RightsPoolTable {
  id: GeneratedId;
  org_id: Id;
  name: string;
  organisation: string;
  speciality: Generated<string>;
  kind: PoolKind;
  available: Generated<boolean>;
  created_at: CreatedAt;
}

export type CaseKind = 'mediation' | 'legal_aid';
export type CaseStatus = 'open' | 'succeeded' | 'failed' | 'withdrawn' | 'closed';
export interface RightsCasesTable {
  id: GeneratedId;
  org_id: Id;
  kind: CaseKind;
  status: Generated<CaseStatus>;
  consultation_id: Id | null;
  application_id: Id | null;
  dispute_type: string;
  employer_name: string;
  employer_enterprise_id: Id | null;
  summary: string;
  claim_amount: Numeric;
  agreed_amount: DefaultedNumeric;
  paid_amount: DefaultedNumeric;
  agreement_terms: string | null;
  stage: string | null;
  result: string | null;
  referral_to: string | null;
  referral_no: string | null;
  opened_on: DateCol;
  due_on: DateCol;
  closed_on: DateCol | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface RightsCasePartiesTable {
  id: GeneratedId;
  case_id: Id;
  name: string;
  id_enc: string | null;
  id_bidx: string | null;
  id_masked: string | null;
  phone_enc: string | null;
  phone_bidx: string | null;
  phone_masked: string | null;
  sort: number;
}

export interface RightsCaseStaffTable {
  case_id: Id;
  pool_id: Id;
  role: 'mediator' | 'lawyer';
}

export interface RightsCaseSessionsTable {
  id: GeneratedId;
  case_id: Id;
  held_on: DateCol;
  place: string;
  online: boolean;
  attendees: string;
  minutes: string;
  at: Timestamp;
}

export interface RightsCaseEventsTable {
  id: GeneratedId;
  case_id: Id;
  action: string;
  comment: string | null;
  actor_name: string | null;
  at: Timestamp;
}

export interface RightsLetterCountersTable {
  org_id: Id;
  year: number;
  last: number;
}

export type LetterKind = 'reminder' | 'opinion' | 'proposal';
export type LetterStatus = 'issued' | 'replied' | 'rectified' | 'refused' | 'escalated' | 'answered';
export interface RightsLettersTable {
  id: GeneratedId;
  org_id: Id;
  kind: LetterKind;
  year: number;
  seq: number;
  doc_no: string;
  parent_id: Id | null;
  employer_name: string;
  addressee: string;
  title: string;
  facts: string;
  legal_basis: string;
  demands: string;
  workers: Json<string[]>;
  issued_on: DateCol;
  reply_due_on: DateCol;
  status: Generated<LetterStatus>;
  reply: string | null;
  replied_on: DateCol | null;
  rectified: boolean | null;
  answer: string | null;
  answered_on: DateCol | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export type TicketStatus = 'open' | 'answered' | 'called_back' | 'closed';
export interface RightsTicketsTable {
  id: GeneratedId;
  org_id: Id;
  origin_org_id: Id;
  title: string;
  content: string;
  requester_name: string;
  phone_enc: string | null;
  phone_bidx: string | null;
  phone_masked: string | null;
  status: Generated<TicketStatus>;
  due_on: DateCol | null;
  overdue: Generated<boolean>;
  escalated_at: Timestamp | null;
  answer: string | null;
  answered_at: Timestamp | null;
  satisfaction: number | null;
  closed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface RightsTicketEventsTable {
  id: GeneratedId;
  ticket_id: Id;
  action: string;
  org_name: string | null;
  comment: string | null;
  actor_name: string | null;
  at: Timestamp;
}

// ---- 法治体检, 信息员 and risk reports (migration 036) ----
export interface RightsCheckupItemsTable {
  id: GeneratedId;
  title: string;
  guidance: Generated<string>;
  sort: Generated<number>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export type CheckupStatus = 'open' | 'rectifying' | 'closed';
export type RiskLevel = 'low' | 'medium' | 'high';
export interface RightsCheckupsTable {
  id: GeneratedId;
  org_id: Id;
  enterprise_id: Id | null;
  employer_name: string;
  checked_on: DateCol;
  staff_names: Generated<string>;
  status: Generated<CheckupStatus>;
  risk_level: RiskLevel | null;
  summary: string | null;
  recorded_on: DateCol | null;
  closed_on: DateCol | null;
  closing_note: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface RightsCheckupStaffTable {
  checkup_id: Id;
  pool_id: Id;
}

export type FindingResult = 'ok' | 'issue' | 'na';
export interface RightsCheckupFindingsTable {
  id: GeneratedId;
  checkup_id: Id;
  item_id: Id | null;
  title: string;
  sort: number;
  result: FindingResult | null;
  note: string | null;
}

export interface RightsCheckupRectificationsTable {
  id: GeneratedId;
  checkup_id: Id;
  finding_id: Id | null;
  task: string;
  owner: string;
  due_on: DateCol;
  status: Generated<'open' | 'done'>;
  done_on: DateCol | null;
  note: string | null;
  sort: number;
}

export interface RightsCheckupEventsTable {
  id: GeneratedId;
  checkup_id: Id;
  action: string;
  comment: string | null;
  actor_name: string | null;
  at: Timestamp;
}

export type InformantKind = 'gig' | 'station' | 'enterprise' | 'other';
export interface RightsInformantsTable {
  id: GeneratedId;
  org_id: Id;
  person_id: Id;
  name: string;
  kind: InformantKind;
  note: string | null;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export type RiskKind = 'wage_arrears' | 'stoppage' | 'mass_incident' | 'platform_rules' | 'other';
export type RiskGrade = 'general' | 'major' | 'severe';
export interface RightsRisksTable {
  id: GeneratedId;
  org_id: Id;
  informant_id: Id;
  worker_id: Id;
  idempotency_key: string;
  kind: RiskKind;
  place: string;
  people_affected: number;
  description: string;
  occurred_on: DateCol | null;
  status: Generated<'reported' | 'graded' | 'closed'>;
  grade: RiskGrade | null;
  graded_at: Timestamp | null;
  alerted_at: Timestamp | null;
  ticket_id: Id | null;
  close_note: string | null;
  closed_at: Timestamp | null;
  reported_at: Timestamp;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface RightsRiskPhotosTable {
  id: GeneratedId;
  worker_id: Id;
  risk_id: Id | null;
  file_name: string;
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  created_at: Timestamp;
}

export interface RightsRiskEventsTable {
  id: GeneratedId;
  risk_id: Id;
  action: string;
  comment: string | null;
  actor_name: string | null;
  at: Timestamp;
}

export interface RightsTables {
  rights_checkup_items: RightsCheckupItemsTable;
  rights_checkups: RightsCheckupsTable;
  rights_checkup_staff: RightsCheckupStaffTable;
  rights_checkup_findings: RightsCheckupFindingsTable;
  rights_checkup_rectifications: RightsCheckupRectificationsTable;
  rights_checkup_events: RightsCheckupEventsTable;
  rights_informants: RightsInformantsTable;
  rights_risks: RightsRisksTable;
  rights_risk_photos: RightsRiskPhotosTable;
  rights_risk_events: RightsRiskEventsTable;
  rights_consultations: RightsConsultationsTable;
  rights_consultation_messages: RightsConsultationMessagesTable;
  rights_pool: RightsPoolTable;
  rights_cases: RightsCasesTable;
  rights_case_parties: RightsCasePartiesTable;
  rights_case_staff: RightsCaseStaffTable;
  rights_case_sessions: RightsCaseSessionsTable;
  rights_case_events: RightsCaseEventsTable;
  rights_letter_counters: RightsLetterCountersTable;
  rights_letters: RightsLettersTable;
  rights_tickets: RightsTicketsTable;
  rights_ticket_events: RightsTicketEventsTable;
}
