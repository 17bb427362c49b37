// The 三员 duty matrix (docs/decisions/010): which duty may do what to an account (or a role) of
// which duty. Pure data and functions, so the service, the console and the tests read one table.
import type { StaffActor } from '../../platform/context.js';
import { DUTIES, DUTY_LABELS, dutyOfPermission, isPermission, type Duty, type Permission } from '../../platform/permissions.js';

export { DUTIES, DUTY_LABELS, type Duty };

export const ACCOUNT_ACTIONS = ['create', 'grant', 'edit', 'disable', 'enable', 'reset_password', 'unlock', 'end_session', 'define_role'] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

export const ACTION_LABELS: Record<AccountAction, string> = {
  create: '新建账号',
  grant: '分配角色',
  edit: '修改账号信息',
  disable: '停用账号',
  enable: '启用账号',
  reset_password: '重置密码',
  unlock: '解锁账号',
  end_session: '强制下线',
  define_role: '新建、修改、删除角色',
};

const NOTHING: Record<AccountAction, readonly Duty[]> = {
  create: [],
  grant: [],
  edit: [],
  disable: [],
  enable: [],
  reset_password: [],
  unlock: [],
  end_session: [],
  define_role: [],
};

/**
 * MATRIX[actor duty][action] = the duties of the accounts (or roles) the actor may act on.
 *
 * - Provisioning (create, grant, edit, disable, enable, define_role) stays inside the system duty
 *   and the business accounts it administers: nobody can hand out or switch off another 三员 duty.
 *   Security and audit accounts are provisioned by the operator (npm run bootstrap), never in the console.
 * - The 三员 passwords and locks are managed across duties, never within one: the security
 *   administrator resets and unlocks the system and audit administrators, the system administrator
 *   the security administrator. Nobody manages the credentials of their own duty.
 * - The audit administrator only reads; business staff manage no accounts.
 */
export const DUTY_MATRIX: Record<Duty, Record<AccountAction, readonly Duty[]>> = {
  system: {
    create: ['business', 'system'],
    grant: ['business', 'system'],
    edit: ['business', 'system'],
    disable: ['business', 'system'],
    enable: ['business', 'system'],
    reset_password: ['business', 'security'],
    unlock: ['security'],
    end_session: [],
    define_role: ['business', 'system'],
  },
  security: {
    ...NOTHING,
    reset_password: ['system', 'audit'],
    unlock: ['business', 'system', 'audit'],
    end_session: ['business', 'system', 'security', 'audit'],
  },
  audit: NOTHING,
  business: NOTHING,
};

export function mayAct(actor: Duty, action: AccountAction, target: Duty): boolean {
  return DUTY_MATRIX[actor][action].includes(target);
}

/** The duties among a set of permissions (an account's or a role's). */
export function dutiesOfPermissions(permissions: Iterable<string>): Set<Duty> {
  const out = new Set<Duty>();
  for (const p of permissions) if (isPermission(p)) out.add(dutyOfPermission(p));
  return out;
}

/**
 * The duty the actor acts in. A signed-in account's permissions are all of one duty (staffActor
 * grants nothing to an account whose roles mix duties); an account with no permission is business.
 */
export function actorDuty(actor: Pick<StaffActor, 'permissions'>): Duty {
  const duties = dutiesOfPermissions(actor.permissions);
  return duties.size === 1 ? [...duties][0]! : 'business';
}

/** An account's duties from its roles' duties: none means business (it can do nothing). */
export function accountDuties(roleDuties: (Duty | null)[]): Duty[] {
  const set = new Set(roleDuties.filter((d): d is Duty => d !== null));
  return set.size ? [...set] : ['business'];
}

/**
 * What an account may do, from its roles. Fails closed: a role counts only with the permissions
 * of its own duty (a role left from before migration 021 with mixed permissions, duty null, counts
 * for nothing), and an account whose roles span several duties gets no permission at all.
 */
export function effectivePermissions(roles: { duty: Duty | null; permissions: string[] }[]): Set<Permission> {
  const duties = new Set(roles.map((r) => r.duty).filter((d) => d !== null));
  if (duties.size > 1) return new Set();
  const out = new Set<Permission>();
  for (const r of roles) {
    if (r.duty === null) continue;
    for (const p of r.permissions) if (isPermission(p) && dutyOfPermission(p) === r.duty) out.add(p);
  }
  return out;
}
