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

export interface RightsTables {
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
