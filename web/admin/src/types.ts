// Shapes of the HTTP API (docs/api-overview.md). Ids are strings, dates YYYY-MM-DD, times ISO 8601.

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  org: { id: string; name: string; type: OrgType; typeLabel: string };
  roles: RoleRef[];
  permissions: string[];
  /** The account's duty (三员 or business): docs/decisions/010. */
  duty: Duty;
  /** Until changed, the server answers only me, the password change and logout. */
  mustChangePassword: boolean;
  /** The server's today in China time (YYYY-MM-DD, the app clock), as of sign-in or the session's restore. */
  today: string;
}

export interface AuthResponse {
  account: Me;
  csrfToken: string;
}

export interface RoleRef {
  id: string;
  code: string;
  name: string;
}

export type OrgType = 'city' | 'county' | 'town' | 'village' | 'grassroots' | 'industry_federation' | 'joint_grassroots';
export type OrgStatus = 'active' | 'dissolved';

export interface OrgDictionary {
  types: { value: OrgType; label: string }[];
  statuses: { value: OrgStatus; label: string }[];
  allowedParents: Record<string, OrgType[]>;
}

export interface OrgNode {
  id: string;
  parentId: string | null;
  name: string;
  type: OrgType;
  typeLabel: string;
  status: OrgStatus;
  divisionCode: string | null;
  childCount: number;
}

export interface OrgSearchItem extends OrgNode {
  pathNames: string[];
  /** Materialised path ('/1/21/156/'); only from /api/accounts/orgs. */
  path?: string;
}

export interface OrgDetail extends OrgNode {
  statusLabel: string;
  creditCode: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  foundedOn: string | null;
  chairName: string | null;
  ancestors: { id: string; name: string }[];
  descendantCount: number;
  dissolvedAt: string | null;
  dissolveReason: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Editable org fields (POST /api/orgs adds parentId and type, PATCH adds version). */
export interface OrgFields {
  name: string;
  creditCode: string | null;
  divisionCode: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  foundedOn: string | null;
  chairName: string | null;
}

export type AccountStatus = 'active' | 'disabled';

export interface Account {
  id: string;
  username: string;
  displayName: string;
  org: { id: string; name: string; path: string };
  roles: RoleRef[];
  /** Null for an account left with roles of several duties (it can do nothing). */
  duty: Duty | null;
  status: AccountStatus;
  locked: boolean;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  version: number;
  /** What the signed-in account may do to this one under the duty matrix. */
  actions: { edit: boolean; grant: boolean; disable: boolean; enable: boolean; resetPassword: boolean; unlock: boolean };
}

export interface PermissionItem {
  code: string;
  label: string;
  group: string;
  duty: Duty;
  dutyLabel: string;
}

/** Every permission and every role belongs to one duty (三员 separation, decision 010). */
export type Duty = 'system' | 'security' | 'audit' | 'business';

export interface DutyItem {
  code: Duty;
  label: string;
  /** The signed-in account may define roles of this duty. */
  definable: boolean;
}

export interface PermissionCatalogue {
  items: PermissionItem[];
  duties: DutyItem[];
}

export interface Role {
  id: string;
  code: string;
  name: string;
  description: string | null;
  builtin: boolean;
  /** Null only for a role from before the duty rule whose permissions mix duties: it grants nothing. */
  duty: Duty | null;
  permissions: string[];
  accountCount: number;
  /** The union that defined a custom role (null: built-in); only accounts at or below it may hold the role. */
  org: { id: string; name: string; path: string } | null;
  /** The signed-in account may give this role to an account. */
  assignable: boolean;
  /** The signed-in account may edit or delete this role. */
  editable: boolean;
}

export interface SessionItem {
  id: string;
  account: { id: string; username: string; displayName: string };
  org: { id: string; name: string };
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export type AuditOutcome = 'success' | 'failure';

export interface AuditEntry {
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  /** The action in Chinese words. */
  actionLabel: string;
  targetType: string | null;
  targetId: string | null;
  /** The object in words: 账号「张三（zhangsan）」, 会员 #12. */
  targetText: string;
  orgId: string | null;
  orgName: string | null;
  ip: string | null;
  outcome: AuditOutcome;
  detail: unknown;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  problems: { id: string; kind: 'modified' | 'missing' | 'head_mismatch' | 'unkeyed' | 'anchor_mismatch'; message: string }[];
  verifiedAt: string;
  /** Chain heads anchored outside the database that were checked (decision 011). */
  anchors: { checked: number; latestAt: string | null };
}

// ---- members and joining ----

export interface OrgRef {
  id: string;
  name: string;
}

export type MemberStatus = 'active' | 'retained' | 'transferred_out' | 'left';

export interface MemberRow {
  id: string;
  personId: string;
  name: string;
  sex: 'M' | 'F' | null;
  idMasked: string;
  phoneMasked: string;
  memberNo: string | null;
  org: OrgRef;
  status: MemberStatus;
  statusLabel: string;
  employmentForm: string;
  employmentFormLabel: string;
  employerName: string | null;
  joinedOn: string;
  isMigrantWorker: boolean;
  isModelWorker: boolean;
}

export interface MemberHistoryEvent {
  id: string;
  type: 'join' | 'transfer_out' | 'transfer_in' | 'retain' | 'restore' | 'leave';
  org: OrgRef;
  reason: string | null;
  actorName: string | null;
  at: string;
}

export interface MemberDetail extends MemberRow {
  idType: string;
  idTypeLabel: string;
  birthDate: string | null;
  ethnicity: string | null;
  education: string | null;
  politicalStatus: string | null;
  hukouType: 'urban' | 'rural' | null;
  hukouRegion: string | null;
  emergencyContactName: string | null;
  emergencyContactPhoneMasked: string | null;
  address: string | null;
  jobTitle: string | null;
  skillGrade: string | null;
  isFrontline: boolean;
  endedOn: string | null;
  source: string | null;
  version: number;
  history: MemberHistoryEvent[];
}

export interface MemberFigures {
  orgId: string;
  byStatus: { status: MemberStatus; label: string; count: number }[];
  byEmploymentForm: { form: string; label: string; count: number }[];
  newPerMonth: { month: string; count: number }[];
}

export interface JoinFigures {
  pending: number;
  overdue: number;
  awaiting_release: number;
}

export type JoinStatus = 'pending' | 'awaiting_release' | 'approved' | 'rejected' | 'withdrawn';

export interface JoinApplicationRow {
  id: string;
  status: JoinStatus;
  statusLabel: string;
  channel: string;
  name: string;
  idMasked: string;
  phoneMasked: string;
  targetOrg: OrgRef;
  fromOrgName: string | null;
  isTransfer: boolean;
  /** Where the typed ID number stands on the roll (decision 009). */
  rollStatus: JoinRollStatus;
  rollStatusLabel: string;
  /** The typed name differs from the roll record of the same ID number. */
  nameDiffers: boolean;
  phoneDiffers: boolean;
  employmentFormLabel: string | null;
  submittedAt: string;
  dueAt: string;
  overdue: boolean;
  version: number;
}

export type JoinRollStatus = 'new' | 'member_here' | 'member_elsewhere' | 'former';

/** What the reviewer accepted on approval and what it did. */
export interface JoinAccepted {
  acceptName: boolean;
  acceptPhone: boolean;
  linkWorker: boolean;
  createdPerson: boolean;
  nameChanged: boolean;
  phoneChanged: boolean;
  linked: boolean;
  previousWorkerId: string | null;
}

export interface JoinApplicationDetail {
  id: string;
  status: JoinStatus;
  statusLabel: string;
  channel: string;
  /** What the applicant typed. */
  applicant: {
    name: string;
    idType: string;
    idTypeLabel: string;
    idMasked: string;
    phoneMasked: string | null;
    sex: 'M' | 'F' | null;
    birthDate: string | null;
    ageAtSubmission: number | null;
    education: string | null;
    politicalStatus: string | null;
    hukouType: 'urban' | 'rural' | null;
    hukouRegion: string | null;
    ethnicity: string | null;
    emergencyContactName: string | null;
    emergencyContactPhoneMasked: string | null;
  };
  /** The roll record of the same ID number, as it is now. */
  roll: {
    personId: string;
    name: string;
    phoneMasked: string | null;
    sex: 'M' | 'F' | null;
    birthDate: string | null;
    memberNo: string | null;
    account: 'none' | 'applicant' | 'other';
    membership: { orgId: string; orgName: string | null; status: string; statusLabel: string; inTarget: boolean } | null;
  } | null;
  rollStatus: JoinRollStatus;
  rollStatusLabel: string;
  differences: { name: boolean; phone: boolean };
  /** phoneOnRoll: the approval links by itself; phoneTyped: the same phone, but staff typed or imported it (only a tick links). */
  account: { phoneMasked: string; phoneOnRoll: boolean; phoneTyped?: boolean } | null;
  otherOpenApplications: number;
  accepted: JoinAccepted | null;
  fromOrgName: string | null;
  employment: {
    employerName?: string;
    jobTitle?: string;
    employmentForm?: string;
    skillGrade?: string;
    isMigrantWorker?: boolean;
    isModelWorker?: boolean;
  } | null;
  employmentFormLabel: string | null;
  targetOrg: OrgRef;
  isTransfer: boolean;
  canReview: boolean;
  canRelease: boolean;
  submittedAt: string;
  dueAt: string;
  overdue: boolean;
  reviewedAt: string | null;
  rejectReason: string | null;
  version: number;
}

export interface Campaign {
  id: string;
  org: OrgRef;
  name: string;
  employmentForms: string[];
  startsOn: string;
  endsOn: string;
  joinPath: string;
  token: string;
  scans: number;
  applications: number;
  joined: number;
}

export type ImportJobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ImportJob {
  id: string;
  org: OrgRef;
  fileName: string;
  status: ImportJobStatus;
  total: number;
  processed: number;
  added: number;
  skipped: number;
  failed: number;
  startedAt: string | null;
  finishedAt: string | null;
  errorReportAvailable: boolean;
  createdAt?: string;
  error?: string | null;
}

export interface MatchListRow {
  id: string;
  name: string;
  org: OrgRef;
  rowCount: number;
  invalidCount: number;
  createdAt: string;
  expiresAt: string;
}

export interface MatchListDetail extends MatchListRow {
  summary: {
    total: number;
    members: number;
    nonMembers: number;
    membersElsewhere: number;
    invalid: number;
    byUnion: { org: OrgRef; members: number }[];
  };
}
