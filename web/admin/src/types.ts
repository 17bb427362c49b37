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
  mustChangePassword: boolean;
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
  org: { id: string; name: string };
  roles: RoleRef[];
  status: AccountStatus;
  locked: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  version: number;
}

export interface PermissionItem {
  code: string;
  label: string;
  group: string;
}

export type Duty = 'system' | 'security' | 'audit';

export interface Role {
  id: string;
  code: string;
  name: string;
  description: string | null;
  builtin: boolean;
  duty: Duty | null;
  permissions: string[];
  accountCount: number;
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
  targetType: string | null;
  targetId: string | null;
  orgId: string | null;
  orgName: string | null;
  ip: string | null;
  outcome: AuditOutcome;
  detail: unknown;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  problems: { id: string; kind: 'modified' | 'missing' | 'head_mismatch'; message: string }[];
  verifiedAt: string;
}
