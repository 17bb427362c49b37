// Row types for Kysely. Kept by hand beside the migrations: a migration that changes a table
// changes its interface here in the same commit.
import type { PlatformTables } from './schema-platform.js';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

import type { CreatedAt, DefaultedTimestamp, GeneratedId, Id, Timestamp } from './schema-common.js';

export type OrgType = 'city' | 'county' | 'town' | 'village' | 'grassroots' | 'industry_federation' | 'joint_grassroots';
export type OrgStatus = 'active' | 'dissolved';

export interface OrgsTable {
  id: GeneratedId;
  parent_id: Id | null;
  path: string;
  depth: number;
  type: OrgType;
  name: string;
  credit_code: string | null;
  division_code: string | null;
  address: string | null;
  longitude: string | null;
  latitude: string | null;
  founded_on: string | null;
  chair_name: string | null;
  status: Generated<OrgStatus>;
  dissolved_at: Timestamp | null;
  dissolve_reason: string | null;
  sort_order: Generated<number>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

/** Every permission's and every role's duty (docs/decisions/010). */
export type Duty = 'system' | 'security' | 'audit' | 'business';

export interface RolesTable {
  id: GeneratedId;
  code: string;
  name: string;
  description: Generated<string>;
  builtin: Generated<boolean>;
  /** Null only for a role left from before migration 021 whose permissions mix duties: it grants nothing. */
  duty: Duty | null;
  permissions: string[];
  org_id: Id | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface StaffAccountsTable {
  id: GeneratedId;
  username: string;
  display_name: string;
  org_id: Id;
  password_hash: string;
  must_change_password: Generated<boolean>;
  status: Generated<'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  last_login_ip: string | null;
  password_changed_at: DefaultedTimestamp;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

/** The argon2 hashes of an account's recent passwords, newest first (migration 021): no reuse of the last 5. */
export interface PasswordHistoryTable {
  id: GeneratedId;
  account_id: Id;
  password_hash: string;
  created_at: CreatedAt;
}

export interface AccountRolesTable {
  account_id: Id;
  role_id: Id;
}

export interface WorkersTable {
  id: GeneratedId;
  phone_enc: string;
  phone_bidx: string;
  phone_masked: string;
  created_at: CreatedAt;
  last_login_at: Timestamp | null;
  /** 注销 (migration 025): the phone is released (phone_bidx `closed:<id>`), sessions ended. */
  closed_at: Timestamp | null;
}

/** A member's request to change roll data they may not change themselves (migration 025). */
export interface MemberChangeRequestsTable {
  id: GeneratedId;
  person_id: Id;
  membership_id: Id;
  org_id: Id;
  worker_id: Id;
  changes: ColumnType<Record<string, { from: string | null; to: string | null }>, string, string>;
  status: 'pending' | 'approved' | 'refused' | 'withdrawn';
  version: Generated<number>;
  reviewed_by: Id | null;
  reviewed_at: Timestamp | null;
  review_note: string | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface SessionsTable {
  id: string;
  subject_type: 'staff' | 'worker';
  account_id: Id | null;
  worker_id: Id | null;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ended_at: Timestamp | null;
  end_reason: string | null;
}

export interface SmsCodesTable {
  id: GeneratedId;
  phone_bidx: string;
  purpose: string;
  code_hash: string;
  ip: string | null;
  attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
}

export type ActorType = 'staff' | 'worker' | 'partner' | 'anonymous' | 'system';

export interface AuditLogTable {
  id: Id;
  at: Timestamp;
  actor_type: ActorType;
  actor_id: Id | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  org_id: Id | null;
  ip: string | null;
  request_id: string | null;
  outcome: 'success' | 'failure';
  detail: string | null;
  /** Null only on the deferred chain until the row is sealed (migration 015, docs/decisions/008). */
  prev_hash: string | null;
  hash: string | null;
  /** Which hash chain the row belongs to (migration 013: several chains, docs/decisions/007). */
  chain: Generated<number>;
  /** Position in the deferred chain, set when the row is sealed; null on every other chain. */
  seq: Generated<string | null>;
  /** 0 = unkeyed SM3 (rows before migration 022), 1 = HMAC-SM3 under the audit key (docs/decisions/011). */
  hash_alg: Generated<number>;
}

/** Per chain, the last unkeyed audit row, MACed under the audit key (migration 022, docs/decisions/011). */
export interface AuditLegacyHeadsTable {
  chain: number;
  last_id: Id;
  last_seq: string | null;
  last_hash: string;
  mac: string;
  recorded_at: Generated<Timestamp>;
}

/** One check value per configured key: HMAC-SM3 of a fixed label under the key (migration 022). */
export interface KeyChecksTable {
  name: string;
  check_value: string;
  created_at: Generated<Timestamp>;
}

export interface AuditChainHeadTable {
  singleton: Generated<boolean>;
  chain: Generated<number>;
  last_id: Id;
  last_hash: string;
}

export type IdType = 'resident_id' | 'hk_macao_permit' | 'taiwan_permit' | 'passport' | 'foreign_permanent';
export type EmploymentForm = 'standard' | 'truck_driver' | 'ride_hailing' | 'courier' | 'food_delivery' | 'other_gig';
export type MembershipStatus = 'active' | 'retained' | 'transferred_out' | 'left';
export type MembershipSource = 'qr' | 'h5' | 'partner' | 'import' | 'staff' | 'transfer';

export interface PeopleTable {
  id: GeneratedId;
  id_type: IdType;
  id_enc: string;
  id_bidx: string;
  id_last4: string;
  id_masked: string;
  name: string;
  name_initials: string;
  name_pinyin: string;
  sex: 'M' | 'F' | null;
  birth_date: string | null;
  ethnicity: string | null;
  phone_enc: string | null;
  phone_bidx: string | null;
  phone_masked: string | null;
  education: string | null;
  political_status: string | null;
  hukou_type: 'urban' | 'rural' | null;
  hukou_region: string | null;
  emergency_contact_name: string | null;
  emergency_contact_phone_enc: string | null;
  emergency_contact_phone_masked: string | null;
  member_no: string | null;
  worker_id: Id | null;
  /** 住址 (migration 025): changed by the member through a change request their union reviews. */
  address: string | null;
  /** When staff typed this phone onto an existing person; the phone-match link skips it (decision 022). */
  phone_set_by_staff_at: Date | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface MembershipsTable {
  id: GeneratedId;
  person_id: Id;
  org_id: Id;
  org_path: string;
  status: MembershipStatus;
  employer_name: string | null;
  job_title: string | null;
  employment_form: Generated<EmploymentForm>;
  skill_grade: string | null;
  is_migrant_worker: Generated<boolean>;
  is_model_worker: Generated<boolean>;
  /** 一线职工 (migration 027): read by activity batches limited to front-line workers. */
  is_frontline: Generated<boolean>;
  joined_on: string;
  ended_on: string | null;
  source: MembershipSource;
  /** The person's name keys, copied by trigger (migration 024) for scope-first search. */
  search_name: Generated<string>;
  search_initials: Generated<string>;
  search_pinyin: Generated<string>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface MemberNoCountersTable {
  prefix: string;
  last_value: string;
}

export type MembershipEventType = 'join' | 'transfer_out' | 'transfer_in' | 'retain' | 'restore' | 'leave';

export interface MembershipEventsTable {
  id: GeneratedId;
  person_id: Id;
  membership_id: Id | null;
  org_id: Id;
  type: MembershipEventType;
  reason: string | null;
  actor_type: string;
  actor_id: Id | null;
  actor_name: string | null;
  at: Timestamp;
}

export interface CampaignsTable {
  id: GeneratedId;
  org_id: Id;
  name: string;
  employment_forms: Generated<string[]>;
  starts_on: string;
  ends_on: string;
  token: string;
  scan_count: Generated<number>;
  created_by: Id | null;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface ConsentsTable {
  id: GeneratedId;
  worker_id: Id | null;
  person_id: Id | null;
  purpose: string;
  text_version: string;
  agreed_at: Timestamp;
  ip: string | null;
}

export type JoinApplicationStatus = 'pending' | 'awaiting_release' | 'approved' | 'rejected' | 'withdrawn';

export interface JoinApplicationsTable {
  id: GeneratedId;
  /** The person on the roll, set on approval (submitting never touches the roll, decision 009). */
  person_id: Id | null;
  target_org_id: Id;
  target_org_path: string;
  campaign_id: Id | null;
  channel: 'qr' | 'h5' | 'partner' | 'staff';
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  status: Generated<JoinApplicationStatus>;
  transfer_from_membership_id: Id | null;
  worker_id: Id | null;
  partner_id: Id | null;
  partner_ref: string | null;
  consent_id: Id | null;
  idempotency_key: string | null;
  submitted_at: Timestamp;
  due_at: Timestamp;
  reviewed_at: Timestamp | null;
  reviewed_by: Id | null;
  released_at: Timestamp | null;
  released_by: Id | null;
  reject_reason: string | null;
  membership_id: Id | null;
  version: Generated<number>;
  // What the applicant typed, kept apart from the roll: the ID and phones encrypted, with blind
  // indexes (domains 'id' and 'phone', as for people) and masked copies.
  applicant_name: string;
  applicant_id_type: IdType;
  applicant_id_enc: string;
  applicant_id_bidx: string;
  applicant_id_masked: string;
  applicant_sex: 'M' | 'F' | null;
  applicant_birth_date: string | null;
  applicant_phone_enc: string | null;
  applicant_phone_bidx: string | null;
  applicant_phone_masked: string | null;
  applicant_extra: ColumnType<ApplicantExtra, string | undefined, string>;
  /** What the reviewer accepted on approval and what it did (null until approved). */
  accepted: ColumnType<JoinAccepted | null, string | null | undefined, string | null>;
}

/** The rest of the join form, beside the applicant_* columns. */
export interface ApplicantExtra {
  ethnicity?: string | null;
  education?: string | null;
  politicalStatus?: string | null;
  hukouType?: 'urban' | 'rural' | null;
  hukouRegion?: string | null;
  emergencyContactName?: string | null;
  emergencyContactPhoneEnc?: string | null;
  emergencyContactPhoneMasked?: string | null;
}

/** The reviewer's decision on identity at approval (decision 009). */
export interface JoinAccepted {
  acceptName: boolean;
  acceptPhone: boolean;
  linkWorker: boolean;
  /** A new person was created on the roll from the application. */
  createdPerson: boolean;
  nameChanged: boolean;
  phoneChanged: boolean;
  /** The applicant's worker account is now linked to the person. */
  linked: boolean;
  /** The account linked to the person before (a relink), if another. */
  previousWorkerId: string | null;
}

export interface MessagesTable {
  id: GeneratedId;
  worker_id: Id | null;
  account_id: Id | null;
  title: string;
  body: string;
  link: string | null;
  /** join | application | hardship | aid | activity | system */
  category: Generated<string>;
  read_at: Timestamp | null;
  created_at: CreatedAt;
}

export type ImportJobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ImportJobsTable {
  id: GeneratedId;
  org_id: Id;
  uploaded_by: Id | null;
  uploaded_by_name: string | null;
  file_name: string;
  file_sm3: string;
  file_size: ColumnType<number, number, number>;
  format: 'xlsx' | 'csv';
  status: Generated<ImportJobStatus>;
  headers: Generated<string[]>;
  total: number | null;
  processed: Generated<number>;
  added: Generated<number>;
  skipped: Generated<number>;
  failed: Generated<number>;
  message: string | null;
  /** Runners that started the job (decision 037). */
  attempts: Generated<number>;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface ImportJobErrorsTable {
  job_id: Id;
  row_no: number;
  values_enc: string;
  reason: string;
}

export interface MatchListsTable {
  id: GeneratedId;
  org_id: Id;
  name: string;
  file_name: string | null;
  row_count: number;
  invalid_count: number;
  created_by: Id | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface MatchListRowsTable {
  list_id: Id;
  row_no: number;
  id_bidx: string | null;
  phone_bidx: string | null;
  name_masked: string | null;
  id_masked: string | null;
  phone_masked: string | null;
  plate_masked: string | null;
  invalid_reason: string | null;
}

export interface PartnersTable {
  id: GeneratedId;
  name: string;
  org_id: Id;
  key_id: string;
  secret_enc: string;
  status: Generated<'active' | 'disabled'>;
  rate_limit_per_minute: Generated<number>;
  created_by: Id | null;
  secret_rotated_at: Timestamp;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface PartnerNoncesTable {
  partner_id: Id;
  nonce: string;
  seen_at: Timestamp;
}

import type { ServicesTables } from './schema-services.js';
import type { AidTables } from './schema-aid.js';
import type { HardshipTables } from './schema-hardship.js';
import type { ActivitiesTables } from './schema-activities.js';
import type { ActivityTypesTables } from './schema-activity-types.js';
import type { HolidaysTables } from './schema-holidays.js';
import type { StatsTables } from './schema-stats.js';
import type { EnterprisesTables } from './schema-enterprises.js';
import type { StationsTables } from './schema-stations.js';
import type { TargetsTables } from './schema-targets.js';
import type { RightsTables } from './schema-rights.js';
import type { ReportsTables } from './schema-reports.js';
import type { NoticesTables } from './schema-notices.js';
import type { FundsTables } from './schema-funds.js';
import type { ModelsTables } from './schema-models.js';
import type { ReformTables } from './schema-reform.js';

// Tables added per module (issue 4 onwards) keep their row types in schema-<module>.ts.
export interface DB
  extends
    PlatformTables,
    ServicesTables,
    AidTables,
    HardshipTables,
    ActivitiesTables,
    ActivityTypesTables,
    HolidaysTables,
    StatsTables,
    RightsTables,
    StationsTables,
    EnterprisesTables,
    NoticesTables,
    ReportsTables,
    TargetsTables,
    ModelsTables,
    ReformTables,
    FundsTables {
  match_lists: MatchListsTable;
  match_list_rows: MatchListRowsTable;
  import_jobs: ImportJobsTable;
  import_job_errors: ImportJobErrorsTable;
  people: PeopleTable;
  memberships: MembershipsTable;
  member_no_counters: MemberNoCountersTable;
  membership_events: MembershipEventsTable;
  campaigns: CampaignsTable;
  consents: ConsentsTable;
  join_applications: JoinApplicationsTable;
  member_change_requests: MemberChangeRequestsTable;
  messages: MessagesTable;
  partners: PartnersTable;
  partner_nonces: PartnerNoncesTable;
  orgs: OrgsTable;
  roles: RolesTable;
  staff_accounts: StaffAccountsTable;
  account_roles: AccountRolesTable;
  workers: WorkersTable;
  sessions: SessionsTable;
  password_history: PasswordHistoryTable;
  sms_codes: SmsCodesTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  audit_legacy_heads: AuditLegacyHeadsTable;
  key_checks: KeyChecksTable;
}

export type Org = Selectable<OrgsTable>;
export type NewOrg = Insertable<OrgsTable>;
export type OrgUpdate = Updateable<OrgsTable>;
export type Role = Selectable<RolesTable>;
export type StaffAccount = Selectable<StaffAccountsTable>;
export type Session = Selectable<SessionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type Person = Selectable<PeopleTable>;
export type Membership = Selectable<MembershipsTable>;
export type JoinApplication = Selectable<JoinApplicationsTable>;
export type Campaign = Selectable<CampaignsTable>;
export type Partner = Selectable<PartnersTable>;
export type ImportJob = Selectable<ImportJobsTable>;
