// Row types for Kysely. Kept by hand beside the migrations: a migration that changes a table
// changes its interface here in the same commit.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint ids travel as strings. */
type Id = ColumnType<string, string | number | bigint, string | number | bigint>;
type GeneratedId = ColumnType<string, string | number | bigint | undefined, never>;

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

export type Duty = 'system' | 'security' | 'audit';

export interface RolesTable {
  id: GeneratedId;
  code: string;
  name: string;
  description: Generated<string>;
  builtin: Generated<boolean>;
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
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  singleton: Generated<boolean>;
  last_id: Id;
  last_hash: string;
}

export interface DB {
  orgs: OrgsTable;
  roles: RolesTable;
  staff_accounts: StaffAccountsTable;
  account_roles: AccountRolesTable;
  workers: WorkersTable;
  sessions: SessionsTable;
  sms_codes: SmsCodesTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
}

export type Org = Selectable<OrgsTable>;
export type NewOrg = Insertable<OrgsTable>;
export type OrgUpdate = Updateable<OrgsTable>;
export type Role = Selectable<RolesTable>;
export type StaffAccount = Selectable<StaffAccountsTable>;
export type Session = Selectable<SessionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
