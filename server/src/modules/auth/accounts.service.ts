// Staff accounts, roles and the session list, as the 三员 manage them. Everything is scoped
// to the caller's org subtree: an account outside it answers 404.
import type { Kysely, Transaction } from 'kysely';
import type { DB, Role } from '../../db/schema.js';
import type { AppDeps, RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { ALL_PERMISSIONS, PERMISSIONS, isPermission } from '../../platform/permissions.js';
import { auditActor, type AuditService } from '../audit/audit.service.js';
import { orgsRepository } from '../orgs/orgs.repository.js';
import { accountsRepository, rolesRepository, sessionsRepository, type AccountWithOrg } from './auth.repository.js';
import { DUTY_LABELS } from './builtin-roles.js';
import { SESSION_POLICY } from './auth.service.js';
import { hashPassword, passwordProblem } from './passwords.js';

export function createAccountsService(deps: AppDeps & { audit: AuditService }) {
  const db: Kysely<DB> = deps.database.db;
  const now = () => deps.clock.now();

  async function present(rows: AccountWithOrg[]) {
    const roles = await accountsRepository.rolesOf(
      db,
      rows.map((r) => r.id),
    );
    const at = now();
    return rows.map((a) => ({
      id: a.id,
      username: a.username,
      displayName: a.display_name,
      org: { id: a.org_id, name: a.org_name },
      roles: roles.filter((r) => r.account_id === a.id).map((r) => ({ id: r.id, code: r.code, name: r.name })),
      status: a.status,
      locked: !!a.locked_until && a.locked_until > at,
      lockedUntil: a.locked_until && a.locked_until > at ? a.locked_until.toISOString() : null,
      lastLoginAt: a.last_login_at ? a.last_login_at.toISOString() : null,
      createdAt: a.created_at.toISOString(),
      version: a.version,
    }));
  }
  const presentOne = async (a: AccountWithOrg) => (await present([a]))[0]!;

  /** 三员: an account may hold roles of at most one duty. */
  function checkDuties(roles: Pick<Role, 'duty' | 'name'>[]) {
    const duties = [...new Set(roles.map((r) => r.duty).filter((d) => d !== null))];
    if (duties.length > 1) {
      throw invalid({ roleIds: `系统管理员、安全管理员、审计管理员（三员）不能由同一账号兼任：${duties.map((d) => DUTY_LABELS[d]).join('、')}` });
    }
  }

  async function resolveRoles(trx: Transaction<DB>, actor: StaffActor, roleIds: string[]) {
    const unique = [...new Set(roleIds)];
    const roles = await rolesRepository.findVisibleMany(trx, actor.orgPath, unique);
    if (roles.length !== unique.length) throw invalid({ roleIds: '所选角色不存在或无权分配' });
    checkDuties(roles);
    return unique;
  }

  async function loadInScope(exec: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const a = await accountsRepository.findInScope(exec, actor.orgPath, id);
    if (!a) throw notFound('账号');
    return a;
  }

  const audit = (
    trx: Transaction<DB>,
    actor: StaffActor,
    meta: RequestMeta,
    action: string,
    a: { id: string; org_id: string; username: string },
    detail?: Record<string, unknown>,
  ) =>
    deps.audit.append(trx, {
      ...auditActor(actor, meta),
      action,
      targetType: 'account',
      targetId: a.id,
      orgId: a.org_id,
      outcome: 'success',
      detail: { username: a.username, ...detail },
    });

  /** Runs a change to one account in a transaction and answers the account as it is after. */
  async function change(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    action: string,
    fn: (trx: Transaction<DB>, a: AccountWithOrg) => Promise<Record<string, unknown> | void>,
  ) {
    await db.transaction().execute(async (trx) => {
      const a = await loadInScope(trx, actor, id);
      const detail = await fn(trx, a);
      await audit(trx, actor, meta, action, a, detail ?? undefined);
    });
    return presentOne(await loadInScope(db, actor, id));
  }

  return {
    async list(actor: StaffActor, f: { q?: string; orgId?: string; status?: 'active' | 'disabled'; page: number; pageSize: number }) {
      const { items, total } = await accountsRepository.list(db, actor.orgPath, { ...f, limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
      return { items: await present(items), total };
    },

    async get(actor: StaffActor, id: string) {
      return presentOne(await loadInScope(db, actor, id));
    },

    async create(actor: StaffActor, meta: RequestMeta, input: { username: string; displayName: string; orgId: string; roleIds: string[]; password: string }) {
      const problem = passwordProblem(input.password);
      if (problem) throw invalid({ password: problem });
      const passwordHash = await hashPassword(input.password);
      const id = await db.transaction().execute(async (trx) => {
        const org = await orgsRepository.findInScope(trx, actor.orgPath, input.orgId);
        if (!org) throw notFound('所属组织');
        if (await accountsRepository.findByUsername(trx, input.username)) throw invalid({ username: '该用户名已被使用' });
        const roleIds = await resolveRoles(trx, actor, input.roleIds);
        const a = await accountsRepository.insert(trx, {
          username: input.username,
          display_name: input.displayName,
          org_id: org.id,
          password_hash: passwordHash,
          must_change_password: true,
        });
        await accountsRepository.setRoles(trx, a.id, roleIds);
        await audit(trx, actor, meta, 'account.create', a, { roleIds });
        return a.id;
      });
      return presentOne(await loadInScope(db, actor, id));
    },

    async update(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; displayName?: string; orgId?: string; roleIds?: string[] }) {
      return change(actor, meta, id, 'account.update', async (trx, a) => {
        if (a.version !== input.version) throw conflict();
        if (input.orgId !== undefined && !(await orgsRepository.findInScope(trx, actor.orgPath, input.orgId))) throw notFound('所属组织');
        if (input.roleIds !== undefined) {
          if (a.id === actor.accountId) throw invalid({ roleIds: '不能修改自己的角色' });
          await accountsRepository.setRoles(trx, a.id, await resolveRoles(trx, actor, input.roleIds));
        }
        const updated = await accountsRepository.update(trx, a.id, input.version, {
          ...(input.displayName !== undefined && { display_name: input.displayName }),
          ...(input.orgId !== undefined && { org_id: input.orgId }),
        });
        if (!updated) throw conflict();
        // A new scope or new roles take effect at the next sign-in: end the current sessions.
        if (input.orgId !== undefined || input.roleIds !== undefined) await sessionsRepository.endAllOfAccount(trx, a.id, now(), 'account_changed');
        return { changed: Object.keys(input).filter((k) => k !== 'version') };
      });
    },

    async setStatus(actor: StaffActor, meta: RequestMeta, id: string, status: 'active' | 'disabled') {
      return change(actor, meta, id, status === 'disabled' ? 'account.disable' : 'account.enable', async (trx, a) => {
        if (a.id === actor.accountId) throw new AppError('FORBIDDEN', '不能停用或启用自己的账号');
        await accountsRepository.update(trx, a.id, null, { status });
        // Disabling ends every session of the account at once.
        const ended = status === 'disabled' ? await sessionsRepository.endAllOfAccount(trx, a.id, now(), 'account_disabled') : 0;
        return { sessionsEnded: ended };
      });
    },

    async unlock(actor: StaffActor, meta: RequestMeta, id: string) {
      return change(actor, meta, id, 'account.unlock', async (trx, a) => {
        await accountsRepository.update(trx, a.id, null, { failed_logins: 0, locked_until: null });
      });
    },

    async resetPassword(actor: StaffActor, meta: RequestMeta, id: string, password: string) {
      const problem = passwordProblem(password);
      if (problem) throw invalid({ password: problem });
      const hash = await hashPassword(password);
      return change(actor, meta, id, 'account.reset_password', async (trx, a) => {
        await accountsRepository.update(trx, a.id, null, {
          password_hash: hash,
          must_change_password: true,
          failed_logins: 0,
          locked_until: null,
          password_changed_at: now(),
        });
        await sessionsRepository.endAllOfAccount(trx, a.id, now(), 'password_reset');
      });
    },

    // ---- roles ----
    permissions() {
      return ALL_PERMISSIONS.map((code) => ({ code, ...PERMISSIONS[code] }));
    },

    async listRoles(actor: StaffActor) {
      const rows = await rolesRepository.listVisible(db, actor.orgPath);
      return rows.map(presentRole);
    },

    async createRole(actor: StaffActor, meta: RequestMeta, input: { code: string; name: string; description?: string; permissions: string[] }) {
      const perms = checkPermissions(input.permissions);
      const id = await db.transaction().execute(async (trx) => {
        if (await rolesRepository.findByCode(trx, input.code)) throw invalid({ code: '角色代码已存在' });
        const role = await rolesRepository.insert(trx, {
          code: input.code,
          name: input.name,
          description: input.description ?? '',
          permissions: perms,
          org_id: actor.orgId,
        });
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'role.create',
          targetType: 'role',
          targetId: role.id,
          orgId: actor.orgId,
          outcome: 'success',
          detail: { code: role.code, permissions: perms },
        });
        return role.id;
      });
      return presentRole((await rolesRepository.findVisible(db, actor.orgPath, id))!);
    },

    async updateRole(actor: StaffActor, meta: RequestMeta, id: string, input: { name?: string; description?: string; permissions?: string[] }) {
      await db.transaction().execute(async (trx) => {
        const role = await rolesRepository.findVisible(trx, actor.orgPath, id);
        if (!role) throw notFound('角色');
        if (role.builtin) throw new AppError('FORBIDDEN', '内置角色不能修改');
        const perms = input.permissions ? checkPermissions(input.permissions) : undefined;
        await rolesRepository.update(trx, id, { ...input, ...(perms && { permissions: perms }) });
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'role.update',
          targetType: 'role',
          targetId: id,
          orgId: role.org_id,
          outcome: 'success',
          detail: { code: role.code, ...input },
        });
      });
      return presentRole((await rolesRepository.findVisible(db, actor.orgPath, id))!);
    },

    async deleteRole(actor: StaffActor, meta: RequestMeta, id: string) {
      await db.transaction().execute(async (trx) => {
        const role = await rolesRepository.findVisible(trx, actor.orgPath, id);
        if (!role) throw notFound('角色');
        if (role.builtin) throw new AppError('FORBIDDEN', '内置角色不能删除');
        if (role.account_count > 0) throw new AppError('CONFLICT', `该角色仍有 ${role.account_count} 个账号在使用，请先调整这些账号的角色`);
        await rolesRepository.delete(trx, id);
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'role.delete',
          targetType: 'role',
          targetId: id,
          orgId: role.org_id,
          outcome: 'success',
          detail: { code: role.code },
        });
      });
    },

    // ---- sessions ----
    async listSessions(actor: StaffActor, f: { accountId?: string; page: number; pageSize: number }) {
      const at = now();
      const { items, total } = await sessionsRepository.listLiveStaff(db, actor.orgPath, {
        accountId: f.accountId,
        now: at,
        idleSince: new Date(at.getTime() - SESSION_POLICY.staff.idleMs),
        limit: f.pageSize,
        offset: (f.page - 1) * f.pageSize,
      });
      return {
        items: items.map((s) => ({
          // The public handle is the stored hash of the token, never the cookie token itself.
          id: s.id,
          account: { id: s.account_id, username: s.username, displayName: s.display_name },
          org: { id: s.org_id, name: s.org_name },
          createdAt: s.created_at.toISOString(),
          lastSeenAt: s.last_seen_at.toISOString(),
          expiresAt: s.expires_at.toISOString(),
          ip: s.ip,
          userAgent: s.user_agent,
          current: s.id === actor.sessionId,
        })),
        total,
      };
    },

    async endSession(actor: StaffActor, meta: RequestMeta, id: string) {
      await db.transaction().execute(async (trx) => {
        const s = await sessionsRepository.findStaffInScope(trx, actor.orgPath, id);
        if (!s) throw notFound('会话');
        await sessionsRepository.end(trx, s.id, now(), 'revoked');
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'session.revoke',
          targetType: 'account',
          targetId: s.account_id,
          orgId: s.org_id,
          outcome: 'success',
          detail: { username: s.username },
        });
      });
    },
  };
}

function checkPermissions(perms: string[]) {
  const bad = perms.filter((p) => !isPermission(p));
  if (bad.length) throw invalid({ permissions: `未知权限：${bad.join('、')}` });
  return [...new Set(perms)].sort();
}

function presentRole(r: Role & { account_count: number }) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    description: r.description,
    builtin: r.builtin,
    duty: r.duty,
    permissions: r.permissions,
    accountCount: r.account_count,
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
