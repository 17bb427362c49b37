// Staff accounts and the session list, as the 三员 manage them. Everything is scoped to the
// caller's org subtree (an account outside it answers 404), and every change to an account is
// checked against the duty matrix (duties.ts, decision 010): refusals are audited too.
import type { Kysely, Transaction } from 'kysely';
import type { DB, Role } from '../../db/schema.js';
import type { AppDeps, RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { auditActor, type AuditService } from '../audit/audit.service.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import { orgsRepository } from '../orgs/orgs.repository.js';
import { accountsRepository, rolesRepository, sessionsRepository, type AccountWithOrg, type RoleOrg } from './auth.repository.js';
import { SESSION_POLICY } from './auth.service.js';
import { accountDuties, actorDuty, DUTIES, DUTY_LABELS, mayAct, type AccountAction, type Duty } from './duties.js';
import { createDutyAudit, requireDuty } from './duty-guard.js';
import { hashPassword, PASSWORD_HISTORY, passwordProblem } from './passwords.js';
import { createRolesService } from './roles.service.js';

type Exec = Kysely<DB> | Transaction<DB>;

/**
 * A custom role applies to accounts of the union that defined it and below, never above: that union
 * may edit the role, so a role from below on an account above would let it change what the account
 * above may do. Answers the first role that does not apply at `accountOrgPath` (built-ins apply everywhere).
 */
function roleFromBelow<R extends RoleOrg>(roles: readonly R[], accountOrgPath: string): R | undefined {
  return roles.find((r) => r.org_path !== null && !accountOrgPath.startsWith(r.org_path));
}

export function createAccountsService(deps: AppDeps & { audit: AuditService; orgs: OrgsService }) {
  const db: Kysely<DB> = deps.database.db;
  const now = () => deps.clock.now();
  const guarded = createDutyAudit(deps);

  // A union moved to another county: an account in it keeps no role defined by a union that is no
  // longer above it (the old county could not edit what it may do any more, yet its role would stay).
  // Removed in the move's transaction, one audit row per removal; the identity cache forgets at once.
  deps.orgs.registerMoveHook(async (trx, _oldPath, newPath, { actor, meta }) => {
    const stale = await accountsRepository.rolesDefinedOutside(trx, newPath);
    const byAccount = new Map<string, typeof stale>();
    for (const r of stale) byAccount.set(r.account_id, [...(byAccount.get(r.account_id) ?? []), r]);
    for (const [accountId, roles] of byAccount)
      await accountsRepository.removeRoles(
        trx,
        accountId,
        roles.map((r) => r.role_id),
      );
    for (const r of stale)
      await deps.audit.append(trx, {
        ...auditActor(actor, meta),
        action: 'account.role_removed_by_move',
        targetType: 'account',
        targetId: r.account_id,
        orgId: r.org_id,
        outcome: 'success',
        detail: { username: r.username, roleId: r.role_id, roleName: r.role_name, definedByOrgId: r.role_org_id, definedByOrgName: r.role_org_name },
      });
  });

  async function dutiesOf(exec: Exec, accountId: string): Promise<Duty[]> {
    return accountDuties((await accountsRepository.rolesOf(exec, [accountId])).map((r) => r.duty));
  }

  async function present(actor: StaffActor, rows: AccountWithOrg[]) {
    const roles = await accountsRepository.rolesOf(
      db,
      rows.map((r) => r.id),
    );
    const at = now();
    const duty = actorDuty(actor);
    return rows.map((a) => {
      const own = roles.filter((r) => r.account_id === a.id);
      const duties = accountDuties(own.map((r) => r.duty));
      const may = (action: AccountAction) => duties.every((d) => mayAct(duty, action, d));
      const self = a.id === actor.accountId;
      const locked = !!a.locked_until && a.locked_until > at;
      return {
        id: a.id,
        username: a.username,
        displayName: a.display_name,
        org: { id: a.org_id, name: a.org_name, path: a.org_path },
        roles: own.map((r) => ({ id: r.id, code: r.code, name: r.name })),
        duty: duties.length === 1 ? duties[0]! : null,
        status: a.status,
        locked,
        lockedUntil: locked ? a.locked_until!.toISOString() : null,
        mustChangePassword: a.must_change_password,
        lastLoginAt: a.last_login_at ? a.last_login_at.toISOString() : null,
        createdAt: a.created_at.toISOString(),
        version: a.version,
        actions: {
          edit: may('edit'),
          grant: may('grant') && !self,
          disable: may('disable') && !self && a.status === 'active',
          enable: may('enable') && !self && a.status === 'disabled',
          resetPassword: may('reset_password') && !self,
          unlock: may('unlock') && locked,
        },
      };
    });
  }
  const presentOne = async (actor: StaffActor, a: AccountWithOrg) => (await present(actor, [a]))[0]!;

  /**
   * The roles to grant to an account of the union at `accountOrgPath`: visible to the caller, each defined by
   * that union or one above it, each of one valid duty, all of the same duty.
   */
  async function resolveRoles(
    trx: Transaction<DB>,
    actor: StaffActor,
    roleIds: string[],
    accountOrgPath: string,
  ): Promise<{ ids: string[]; duty: Duty }> {
    const unique = [...new Set(roleIds)];
    const roles: (Role & RoleOrg)[] = await rolesRepository.findVisibleMany(trx, actor.orgPath, unique);
    if (roles.length !== unique.length) throw invalid({ roleIds: '所选角色不存在或无权分配' });
    const below = roleFromBelow(roles, accountOrgPath);
    if (below) throw invalid({ roleIds: `角色「${below.name}」由${below.org_name}定义，只能分配给${below.org_name}及其下级组织的账号` });
    const mixed = roles.find((r) => r.duty === null);
    if (mixed) throw invalid({ roleIds: `角色「${mixed.name}」混合了多种职责的权限，已失效，不能分配` });
    const duties = new Set(roles.map((r) => r.duty!));
    if (duties.size > 1) {
      const names = DUTIES.filter((d) => duties.has(d)).map((d) => DUTY_LABELS[d]);
      throw invalid({ roleIds: `三员职责分离：一个账号的角色必须属于同一职责，不能兼任：${names.join('、')}` });
    }
    return { ids: unique, duty: [...duties][0]! };
  }

  async function loadInScope(exec: Exec, actor: StaffActor, id: string) {
    const a = await accountsRepository.findInScope(exec, actor.orgPath, id);
    if (!a) throw notFound('账号');
    return a;
  }

  const target = (a: { id: string; org_id: string; username: string }) => ({ type: 'account' as const, id: a.id, orgId: a.org_id, name: a.username });

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

  /**
   * Runs a change to one account in a transaction (the account and its duties read inside it) and
   * answers the account as it is after. A duty refusal is audited after the rollback.
   */
  async function change(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    action: string,
    fn: (trx: Transaction<DB>, a: AccountWithOrg, duties: Duty[]) => Promise<Record<string, unknown> | void>,
  ) {
    await guarded(() =>
      db.transaction().execute(async (trx) => {
        const a = await loadInScope(trx, actor, id);
        const detail = await fn(trx, a, await dutiesOf(trx, a.id));
        await audit(trx, actor, meta, action, a, detail ?? undefined);
      }),
    );
    return presentOne(actor, await loadInScope(db, actor, id));
  }

  return {
    ...createRolesService(deps),

    async list(actor: StaffActor, f: { q?: string; orgId?: string; status?: 'active' | 'disabled'; page: number; pageSize: number }) {
      const { items, total } = await accountsRepository.list(db, actor.orgPath, { ...f, limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
      return { items: await present(actor, items), total };
    },

    async get(actor: StaffActor, id: string) {
      return presentOne(actor, await loadInScope(db, actor, id));
    },

    /** Orgs to bind an account to or filter by: the 三员 hold no org:read (it is a business permission). */
    async orgOptions(actor: StaffActor, f: { q: string; status?: 'active' | 'dissolved'; page: number; pageSize: number }) {
      return deps.orgs.search(actor, f);
    },

    async create(actor: StaffActor, meta: RequestMeta, input: { username: string; displayName: string; orgId: string; roleIds: string[]; password: string }) {
      const problem = passwordProblem(input.password, input.username);
      if (problem) throw invalid({ password: problem });
      const passwordHash = await hashPassword(input.password);
      const id = await guarded(() =>
        db.transaction().execute(async (trx) => {
          const org = await orgsRepository.findInScope(trx, actor.orgPath, input.orgId);
          if (!org) throw notFound('所属组织');
          const roles = await resolveRoles(trx, actor, input.roleIds, org.path);
          requireDuty(actor, meta, 'create', [roles.duty], { type: 'account', id: null, orgId: org.id, name: input.username });
          if (await accountsRepository.findByUsername(trx, input.username)) throw invalid({ username: '该用户名已被使用' });
          const a = await accountsRepository.insert(trx, {
            username: input.username,
            display_name: input.displayName,
            org_id: org.id,
            password_hash: passwordHash,
            must_change_password: true,
          });
          await accountsRepository.setRoles(trx, a.id, roles.ids);
          await accountsRepository.addPasswordHistory(trx, a.id, passwordHash, PASSWORD_HISTORY);
          await audit(trx, actor, meta, 'account.create', a, { roleIds: roles.ids, duty: roles.duty });
          return a.id;
        }),
      );
      return presentOne(actor, await loadInScope(db, actor, id));
    },

    async update(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; displayName?: string; orgId?: string; roleIds?: string[] }) {
      return change(actor, meta, id, 'account.update', async (trx, a, duties) => {
        if (a.version !== input.version) throw conflict();
        if (input.displayName !== undefined || input.orgId !== undefined) requireDuty(actor, meta, 'edit', duties, target(a));
        const newOrg = input.orgId === undefined ? undefined : await orgsRepository.findInScope(trx, actor.orgPath, input.orgId);
        if (input.orgId !== undefined && !newOrg) throw notFound('所属组织');
        const orgPath = newOrg?.path ?? a.org_path;
        if (newOrg && input.roleIds === undefined) {
          // The roles it keeps must still apply at its new union (a role from below would let that union change what it may do).
          const below = roleFromBelow(await accountsRepository.roleOrgsOf(trx, a.id), orgPath);
          if (below) throw invalid({ orgId: `该账号的角色「${below.name}」由${below.org_name}定义，只适用于${below.org_name}及其下级组织；请先调整角色` });
        }
        let granted: Duty | undefined;
        if (input.roleIds !== undefined) {
          if (a.id === actor.accountId) throw invalid({ roleIds: '不能修改自己的角色' });
          const roles = await resolveRoles(trx, actor, input.roleIds, orgPath);
          // Both what the account is and what it becomes must be the caller's to give.
          requireDuty(actor, meta, 'grant', [...new Set([...duties, roles.duty])], target(a));
          await accountsRepository.setRoles(trx, a.id, roles.ids);
          granted = roles.duty;
        }
        const updated = await accountsRepository.update(trx, a.id, input.version, {
          ...(input.displayName !== undefined && { display_name: input.displayName }),
          ...(input.orgId !== undefined && { org_id: input.orgId }),
        });
        if (!updated) throw conflict();
        // A new scope or new roles take effect at the next sign-in: end the current sessions.
        if (input.orgId !== undefined || input.roleIds !== undefined) await sessionsRepository.endAllOfAccount(trx, a.id, now(), 'account_changed');
        return { changed: Object.keys(input).filter((k) => k !== 'version'), ...(granted && { duty: granted }) };
      });
    },

    async setStatus(actor: StaffActor, meta: RequestMeta, id: string, status: 'active' | 'disabled') {
      return change(actor, meta, id, status === 'disabled' ? 'account.disable' : 'account.enable', async (trx, a, duties) => {
        if (a.id === actor.accountId) throw new AppError('FORBIDDEN', '不能停用或启用自己的账号');
        requireDuty(actor, meta, status === 'disabled' ? 'disable' : 'enable', duties, target(a));
        await accountsRepository.update(trx, a.id, null, { status });
        // Disabling ends every session of the account at once.
        const ended = status === 'disabled' ? await sessionsRepository.endAllOfAccount(trx, a.id, now(), 'account_disabled') : 0;
        return { sessionsEnded: ended };
      });
    },

    async unlock(actor: StaffActor, meta: RequestMeta, id: string) {
      return change(actor, meta, id, 'account.unlock', async (trx, a, duties) => {
        requireDuty(actor, meta, 'unlock', duties, target(a));
        await accountsRepository.update(trx, a.id, null, { failed_logins: 0, locked_until: null });
      });
    },

    /**
     * Sets a temporary password the holder must change at the next sign-in (until then the
     * account can do nothing else), and ends its sessions. Checked against the policy but not
     * against the holder's previous passwords: that would let the administrator test guesses of them.
     */
    async resetPassword(actor: StaffActor, meta: RequestMeta, id: string, password: string) {
      const before = await loadInScope(db, actor, id);
      const problem = passwordProblem(password, before.username);
      if (problem) throw invalid({ password: problem });
      const hash = await hashPassword(password);
      return change(actor, meta, id, 'account.reset_password', async (trx, a, duties) => {
        if (a.id === actor.accountId) throw new AppError('FORBIDDEN', '不能重置自己的密码，请使用“修改密码”');
        requireDuty(actor, meta, 'reset_password', duties, target(a));
        await accountsRepository.update(trx, a.id, null, {
          password_hash: hash,
          must_change_password: true,
          failed_logins: 0,
          locked_until: null,
          password_changed_at: now(),
        });
        await accountsRepository.addPasswordHistory(trx, a.id, hash, PASSWORD_HISTORY);
        const ended = await sessionsRepository.endAllOfAccount(trx, a.id, now(), 'password_reset');
        return { duties, sessionsEnded: ended };
      });
    },

    /** Accounts in the caller's subtree by state (the 三员 home page). */
    async summary(actor: StaffActor) {
      return accountsRepository.summary(db, actor.orgPath, now());
    },

    /** Accounts in the caller's subtree locked by failed logins now, soonest to unlock first. */
    async lockedAccounts(actor: StaffActor, limit: number) {
      const rows = await accountsRepository.locked(db, actor.orgPath, now(), limit);
      return rows.map((a) => ({
        id: a.id,
        username: a.username,
        displayName: a.display_name,
        orgName: a.org_name,
        lockedUntil: a.locked_until!.toISOString(),
        failedLogins: a.failed_logins,
      }));
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
      await guarded(() =>
        db.transaction().execute(async (trx) => {
          const s = await sessionsRepository.findStaffInScope(trx, actor.orgPath, id);
          if (!s || !s.account_id) throw notFound('会话');
          const account = { id: s.account_id, org_id: s.org_id, username: s.username };
          requireDuty(actor, meta, 'end_session', await dutiesOf(trx, s.account_id), target(account));
          await sessionsRepository.end(trx, s.id, now(), 'revoked');
          await audit(trx, actor, meta, 'session.revoke', account);
        }),
      );
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
