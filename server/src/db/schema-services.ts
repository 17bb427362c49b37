// Row types for service types, applications, steps, events, attachments (see migrations). Merged into DB in schema.ts.
import type { Generated, Selectable } from 'kysely';
import type { CreatedAt, DefaultedTimestamp, GeneratedId, Id, Numeric, Timestamp } from './schema-common.js';

export type ApplicationStatus = 'in_review' | 'returned' | 'approved' | 'rejected' | 'withdrawn' | 'not_selected';
export type ApplicationAction = 'submit' | 'approve' | 'return' | 'resubmit' | 'reject' | 'transfer' | 'withdraw' | 'lottery_win' | 'lottery_lose' | 'complete';

export interface ServiceTypesTable {
  id: GeneratedId;
  code: string;
  name: string;
  category: string;
  description: Generated<string>;
  applicant_scope: 'member' | 'worker';
  org_id: Id | null;
  org_path: string | null;
  /** ServiceDefinition (applications.schema.ts) as JSON. */
  definition: unknown;
  builtin: Generated<boolean>;
  status: Generated<'active' | 'disabled'>;
  version: Generated<number>;
  created_by: Id | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface ApplicationsTable {
  id: GeneratedId;
  service_type_id: Id;
  snapshot: unknown;
  worker_id: Id | null;
  entered_by: Id | null;
  person_id: Id | null;
  applicant_name: string;
  applicant_phone_masked: string;
  applicant_phone_bidx: string;
  applicant_id_masked: string | null;
  org_id: Id;
  org_path: string;
  status: ApplicationStatus;
  plan: unknown;
  step_index: number | null;
  step_key: string | null;
  step_permission: string | null;
  handling_org_id: Id | null;
  handling_org_path: string | null;
  step_entry: Generated<number>;
  step_started_at: Timestamp | null;
  step_due_at: Timestamp | null;
  form_values: unknown;
  requested_amount: Numeric | null;
  granted_amount: Numeric | null;
  return_reason: string | null;
  reject_reason: string | null;
  reviewed: Generated<boolean>;
  idempotency_key: string;
  submitted_at: Timestamp;
  finished_at: Timestamp | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface ApplicationEventsTable {
  id: GeneratedId;
  application_id: Id;
  action: ApplicationAction;
  step_index: number | null;
  step_key: string | null;
  step_name: string | null;
  actor_type: 'staff' | 'worker' | 'system';
  actor_id: Id | null;
  actor_name: string;
  org_id: Id | null;
  comment: string | null;
  detail: unknown;
  handling_seconds: number | null;
  at: Timestamp;
}

export interface ApplicationAttachmentsTable {
  id: GeneratedId;
  worker_id: Id | null;
  uploaded_by: Id | null;
  application_id: Id | null;
  def_key: string | null;
  file_name: string;
  kind: 'image' | 'pdf';
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  created_at: CreatedAt;
}

export interface ApplicationRemindersTable {
  application_id: Id;
  step_entry: number;
  org_id: Id;
  sent_at: Timestamp;
}

export interface LotteryDrawsTable {
  id: GeneratedId;
  service_type_id: Id;
  step_key: string;
  org_id: Id;
  org_path: string;
  seed: string;
  places: number;
  candidate_ids: unknown;
  winner_ids: unknown;
  drawn_by: Id | null;
  drawn_by_name: string;
  drawn_at: Timestamp;
}

export interface ServicesTables {
  service_types: ServiceTypesTable;
  applications: ApplicationsTable;
  application_events: ApplicationEventsTable;
  application_attachments: ApplicationAttachmentsTable;
  application_reminders: ApplicationRemindersTable;
  lottery_draws: LotteryDrawsTable;
}

export type ServiceTypeRow = Selectable<ServiceTypesTable>;
export type ApplicationRow = Selectable<ApplicationsTable>;
export type ApplicationEventRow = Selectable<ApplicationEventsTable>;
export type ApplicationAttachmentRow = Selectable<ApplicationAttachmentsTable>;
