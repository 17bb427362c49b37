// Roles and the permission catalogue. A role holds the permissions of one duty, fixed when it is
// made; who may define a role of which duty is the duty matrix's `define_role` (decision 010).
import type { Kysely } from 'kysely';
import type { DB, Role } from '../../db/schema.js';
import type { AppDeps, RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { ALL_PERMISSIONS, DUTY_LABELS, PERMISSIONS, isPermission, type Duty } from '../../platform/permissions.js';
import { auditActor, type AuditService } from '../audit/audit.service.js';
import { rolesRepository } from './auth.repository.js';
import { actorDuty, DUTIES, dutiesOfPermissions, mayAct } from './duties.js';
import { createDutyAudit, requireDuty } from './duty-guard.js';

function checkPermissions(perms: string[]) {
  const bad = perms.filter((p) => !isPermission(p));
  if (bad.length) throw invalid({ permissions: `未知权限：${bad.join('、')}` });
  return [...new Set(perms)].sort();
}

/** The one duty of a set of permissions (business when empty); mixing duties is refused. */
export function roleDutyOf(perms: string[]): Duty {
  const duties = dutiesOfPermissions(perms);
  if (duties.size > 1) {
    const names = DUTIES.filter((d) => duties.has(d)).map((d) => DUTY_LABELS[d]);
    throw invalid({ permissions: `三员职责分离：一个角色只能包含同一职责的权限，所选权限分属：${names.join('、')}` });
  }
  return duties.size ? [...duties][0]! : 'business';
}

// Highest level first, as people read a hierarchy: the built-in roles from the city's down to the
// grassroots' (then the read-only and 三员 roles), then custom roles by the level of the union that defined them.
const BUILTIN_SENIORITY = ['city_admin', 'county_admin', 'town_admin', 'grassroots_admin'];
const seniority = (r: Role & { org_path: string | null }) => {
  if (r.builtin) {
    const i = BUILTIN_SENIORITY.indexOf(r.code);
    return [0, i < 0 ? BUILTIN_SENIORITY.length : i];
  }
  return [1, r.org_path ? r.org_path.split('/').filter(Boolean).length : 0];
};
function bySeniority(a: Role & { org_path: string | null }, b: Role & { org_path: string | null }): number {
  const [x, y] = [seniority(a), seniority(b)];
  return x[0]! - y[0]! || x[1]! - y[1]! || Number(a.id) - Number(b.id);
}

export function createRolesService(deps: AppDeps & { audit: AuditService }) {
  const db: Kysely<DB> = deps.database.db;
  const guarded = createDutyAudit(deps);

  function presentRole(actor: StaffActor, r: Role & { account_count: number; org_path: string | null; org_name: string | null }) {
    const duty = actorDuty(actor);
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      description: r.description,
      builtin: r.builtin,
      duty: r.duty,
      permissions: r.permissions,
      accountCount: r.account_count,
      // The union that defined a custom role: it may be held only by accounts of that union's subtree
      // (accounts.service `roleFromBelow`), so the account form offers it only there.
      org: r.org_id && r.org_path ? { id: r.org_id, name: r.org_name ?? '', path: r.org_path } : null,
      assignable: r.duty !== null && mayAct(duty, 'grant', r.duty),
      // A mixed role from before the rule may be edited down to one duty by anyone who defines roles.
      editable: !r.builtin && (r.duty === null ? DUTIES.some((d) => mayAct(duty, 'define_role', d)) : mayAct(duty, 'define_role', r.duty)),
    };
  }

  const audit = (
    trx: Parameters<AuditService['append']>[0],
    actor: StaffActor,
    meta: RequestMeta,
    action: string,
    role: Pick<Role, 'id' | 'org_id'>,
    detail: object,
  ) =>
    deps.audit.append(trx, {
      ...auditActor(actor, meta),
      action,
      targetType: 'role',
      targetId: role.id,
      orgId: role.org_id,
      outcome: 'success',
      detail: { ...detail },
    });

  return {
    permissions(actor: StaffActor) {
      const duty = actorDuty(actor);
      return {
        items: ALL_PERMISSIONS.map((code) => ({ code, ...PERMISSIONS[code], dutyLabel: DUTY_LABELS[PERMISSIONS[code].duty] })),
        duties: DUTIES.map((d) => ({ code: d, label: DUTY_LABELS[d], definable: mayAct(duty, 'define_role', d) })),
      };
    },

    async listRoles(actor: StaffActor) {
      const rows = await rolesRepository.listVisible(db, actor.orgPath);
      return rows.sort(bySeniority).map((r) => presentRole(actor, r));
    },

    async createRole(actor: StaffActor, meta: RequestMeta, input: { code: string; name: string; description?: string; permissions: string[] }) {
      const perms = checkPermissions(input.permissions);
      const duty = roleDutyOf(perms);
      const id = await guarded(() =>
        db.transaction().execute(async (trx) => {
          requireDuty(actor, meta, 'define_role', [duty], { type: 'role', id: null, orgId: actor.orgId, name: input.code });
          if (await rolesRepository.findByCode(trx, input.code)) throw invalid({ code: '角色代码已存在' });
          const role = await rolesRepository.insert(trx, {
            code: input.code,
            name: input.name,
            description: input.description ?? '',
            permissions: perms,
            org_id: actor.orgId,
            duty,
          });
          await audit(trx, actor, meta, 'role.create', role, { code: role.code, duty, permissions: perms });
          return role.id;
        }),
      );
      return presentRole(actor, (await rolesRepository.findVisible(db, actor.orgPath, id))!);
    },

    async updateRole(actor: StaffActor, meta: RequestMeta, id: string, input: { name?: string; description?: string; permissions?: string[] }) {
      await guarded(() =>
        db.transaction().execute(async (trx) => {
          const role = await rolesRepository.findVisible(trx, actor.orgPath, id);
          if (!role) throw notFound('角色');
          if (role.builtin) throw new AppError('FORBIDDEN', '内置角色不能修改');
          const perms = input.permissions ? checkPermissions(input.permissions) : undefined;
          const newDuty = perms ? roleDutyOf(perms) : role.duty;
          if (newDuty === null) throw invalid({ permissions: '该角色混合了多种职责的权限，已失效；请把权限改为同一职责后保存' });
          // The duty is fixed: accounts holding the role were checked against it when it was granted.
          if (role.duty !== null && newDuty !== role.duty) {
            throw invalid({ permissions: `角色的职责不能更改（本角色属于「${DUTY_LABELS[role.duty]}」职责），如需其他职责请新建角色` });
          }
          requireDuty(actor, meta, 'define_role', [newDuty], { type: 'role', id, orgId: role.org_id, name: role.code });
          // New permissions change what every holder may do: only holders inside the caller's subtree
          // (a union above may have been given this role before the rule, or moved away from it).
          if (perms && (await rolesRepository.holdersOutside(trx, id, actor.orgPath)) > 0) {
            throw invalid({ permissions: '该角色已分配给本组织以外的账号，不能修改其权限；请由上级组织先调整这些账号的角色' });
          }
          await rolesRepository.update(trx, id, {
            ...(input.name !== undefined && { name: input.name }),
            ...(input.description !== undefined && { description: input.description }),
            ...(perms && { permissions: perms }),
            ...(role.duty === null && { duty: newDuty }),
          });
          await audit(trx, actor, meta, 'role.update', role, { code: role.code, duty: newDuty, ...input });
        }),
      );
      return presentRole(actor, (await rolesRepository.findVisible(db, actor.orgPath, id))!);
    },

    async deleteRole(actor: StaffActor, meta: RequestMeta, id: string) {
      await guarded(() =>
        db.transaction().execute(async (trx) => {
          const role = await rolesRepository.findVisible(trx, actor.orgPath, id);
          if (!role) throw notFound('角色');
          if (role.builtin) throw new AppError('FORBIDDEN', '内置角色不能删除');
          // A mixed role from before the rule grants nothing: anyone who manages roles may remove it.
          if (role.duty !== null) requireDuty(actor, meta, 'define_role', [role.duty], { type: 'role', id, orgId: role.org_id, name: role.code });
          if (role.account_count > 0) throw new AppError('CONFLICT', `该角色仍有 ${role.account_count} 个账号在使用，请先调整这些账号的角色`);
          await rolesRepository.delete(trx, id);
          await audit(trx, actor, meta, 'role.delete', role, { code: role.code });
        }),
      );
    },
  };
}

export type RolesService = ReturnType<typeof createRolesService>;
