// SQL for accounts, roles, sessions, workers and SMS codes. Account reads are scoped by the
// account's org path, like every org-owned row.
import { PREPARED } from '../../db/prepared.js';
import { sql } from 'kysely';
import type { Role, Session, StaffAccount } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';
import { identityChanged } from './identity-cache.js';

/** The union that defined a role: a custom role applies to accounts of that union and below it. */
export interface RoleOrg {
  org_path: string | null;
  org_name: string | null;
}

export type AccountWithOrg = StaffAccount & { org_name: string; org_path: string; org_type: string };

export interface LiveWorkerSession {
  id: string;
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
  worker_id: string;
  worker_phone_masked: string;
}

export interface LiveStaffSession {
  id: string;
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
  account_id: string;
  username: string;
  display_name: string;
  account_status: StaffAccount['status'];
  must_change_password: boolean;
  org_id: string;
  org_path: string;
  roles: Pick<Role, 'duty' | 'permissions'>[];
}

export const accountsRepository = {
  async findByUsername(db: Executor, username: string): Promise<AccountWithOrg | undefined> {
    return db
      .selectFrom('staff_accounts as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .selectAll('a')
      .select(['o.name as org_name', 'o.path as org_path', 'o.type as org_type'])
      .where('a.username', '=', username)
      .executeTakeFirst();
  },

  async findById(db: Executor, id: string): Promise<AccountWithOrg | undefined> {
    return db
      .selectFrom('staff_accounts as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .selectAll('a')
      .select(['o.name as org_name', 'o.path as org_path', 'o.type as org_type'])
      .where('a.id', '=', id)
      .executeTakeFirst();
  },

  async findInScope(db: Executor, scopePath: string, id: string): Promise<AccountWithOrg | undefined> {
    return db
      .selectFrom('staff_accounts as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .selectAll('a')
      .select(['o.name as org_name', 'o.path as org_path', 'o.type as org_type'])
      .where('a.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async list(
    db: Executor,
    scopePath: string,
    f: { q?: string; orgId?: string; status?: 'active' | 'disabled'; limit: number; offset: number },
  ): Promise<{ items: AccountWithOrg[]; total: number }> {
    let q = db.selectFrom('staff_accounts as a').innerJoin('orgs as o', 'o.id', 'a.org_id').where('o.path', 'like', `${scopePath}%`);
    if (f.q) {
      const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('a.username', 'like', pattern), eb('a.display_name', 'like', pattern)]));
    }
    if (f.orgId) q = q.where('a.org_id', '=', f.orgId);
    if (f.status) q = q.where('a.status', '=', f.status);
    const [items, total] = await Promise.all([
      q.selectAll('a').select(['o.name as org_name', 'o.path as org_path', 'o.type as org_type']).orderBy('a.id').limit(f.limit).offset(f.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  /** Accounts in the subtree by state, in one statement (the home page of the 三员). */
  async summary(db: Executor, scopePath: string, now: Date) {
    const r = await db
      .selectFrom('staff_accounts as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select([
        sql<number>`count(*)::int`.as('total'),
        sql<number>`count(*) filter (where a.status = 'active')::int`.as('active'),
        sql<number>`count(*) filter (where a.status = 'disabled')::int`.as('disabled'),
        sql<number>`count(*) filter (where a.status = 'active' and a.locked_until > ${now})::int`.as('locked'),
        sql<number>`count(*) filter (where a.status = 'active' and a.must_change_password)::int`.as('must_change'),
        sql<number>`count(*) filter (where a.status = 'active' and a.last_login_at is null)::int`.as('never_signed_in'),
      ])
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirstOrThrow();
    return {
      total: Number(r.total),
      active: Number(r.active),
      disabled: Number(r.disabled),
      locked: Number(r.locked),
      mustChangePassword: Number(r.must_change),
      neverSignedIn: Number(r.never_signed_in),
    };
  },

  /** Accounts in the subtree locked now (failed logins), the soonest to unlock first. */
  async locked(db: Executor, scopePath: string, now: Date, limit: number) {
    return db
      .selectFrom('staff_accounts as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select(['a.id', 'a.username', 'a.display_name', 'a.locked_until', 'a.failed_logins', 'o.name as org_name'])
      .where('o.path', 'like', `${scopePath}%`)
      .where('a.status', '=', 'active')
      .where('a.locked_until', '>', now)
      .orderBy('a.locked_until')
      .limit(limit)
      .execute();
  },

  async insert(db: Executor, row: { username: string; display_name: string; org_id: string; password_hash: string; must_change_password: boolean }) {
    return db.insertInto('staff_accounts').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async update(db: Executor, id: string, version: number | null, patch: Partial<Omit<StaffAccount, 'id' | 'created_at' | 'version'>>) {
    identityChanged();
    let q = db
      .updateTable('staff_accounts')
      .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id);
    if (version !== null) q = q.where('version', '=', version);
    return q.returningAll().executeTakeFirst();
  },

  /**
   * Claims one password attempt before the (slow) password check: counts it as failed and locks at
   * the threshold, in one statement. Answers nothing while the account is locked, so parallel
   * guesses stop at the threshold: the row lock orders them and each re-reads the count. A lock
   * that has run out starts a fresh count. A right password then clears the count (recordLogin).
   */
  async claimLoginAttempt(db: Executor, id: string, f: { threshold: number; now: Date; lockUntil: Date }) {
    const expired = sql<boolean>`(locked_until is not null and locked_until <= ${f.now})`;
    return db
      .updateTable('staff_accounts')
      .set({
        failed_logins: sql`case when ${expired} then 1 else failed_logins + 1 end`,
        locked_until: sql`case when ${expired} then null when failed_logins + 1 >= ${f.threshold} then ${f.lockUntil}::timestamptz else locked_until end`,
      })
      .where('id', '=', id)
      .where(sql<boolean>`((locked_until is null and failed_logins < ${f.threshold}) or locked_until <= ${f.now})`)
      .returning(['failed_logins', 'locked_until'])
      .executeTakeFirst();
  },

  /** A right password: the count starts again (no version bump: sign-ins do not collide with edits). */
  async clearFailedLogins(db: Executor, id: string) {
    await db.updateTable('staff_accounts').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
  },

  async recordLogin(db: Executor, id: string, at: Date, ip: string) {
    await db.updateTable('staff_accounts').set({ failed_logins: 0, locked_until: null, last_login_at: at, last_login_ip: ip }).where('id', '=', id).execute();
  },

  /** The hashes of the account's most recent passwords, newest first. */
  async recentPasswordHashes(db: Executor, accountId: string, limit: number): Promise<string[]> {
    const rows = await db
      .selectFrom('password_history')
      .select('password_hash')
      .where('account_id', '=', accountId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.password_hash);
  },

  /** Remembers a password the account now has, keeping only the newest `keep`. */
  async addPasswordHistory(db: Executor, accountId: string, hash: string, keep: number) {
    await db.insertInto('password_history').values({ account_id: accountId, password_hash: hash }).execute();
    await db
      .deleteFrom('password_history')
      .where('account_id', '=', accountId)
      .where('id', 'not in', (eb) => eb.selectFrom('password_history').select('id').where('account_id', '=', accountId).orderBy('id', 'desc').limit(keep))
      .execute();
  },

  async rolesOf(db: Executor, accountIds: string[]): Promise<(Role & { account_id: string })[]> {
    if (accountIds.length === 0) return [];
    return db
      .selectFrom('account_roles as ar')
      .innerJoin('roles as r', 'r.id', 'ar.role_id')
      .selectAll('r')
      .select('ar.account_id')
      .where('ar.account_id', 'in', accountIds)
      .orderBy('r.id')
      .execute();
  },

  /** An account's roles with the union that defined each (null for a built-in role): checked when the account changes union. */
  async roleOrgsOf(db: Executor, accountId: string): Promise<(Pick<Role, 'id' | 'name'> & RoleOrg)[]> {
    return db
      .selectFrom('account_roles as ar')
      .innerJoin('roles as r', 'r.id', 'ar.role_id')
      .leftJoin('orgs as o', 'o.id', 'r.org_id')
      .select(['r.id', 'r.name', 'o.path as org_path', 'o.name as org_name'])
      .where('ar.account_id', '=', accountId)
      .orderBy('r.id')
      .execute();
  },

  async setRoles(db: Executor, accountId: string, roleIds: string[]) {
    identityChanged();
    await db.deleteFrom('account_roles').where('account_id', '=', accountId).execute();
    if (roleIds.length)
      await db
        .insertInto('account_roles')
        .values(roleIds.map((role_id) => ({ account_id: accountId, role_id })))
        .execute();
  },

  /**
   * After a move: assignments of accounts in the subtree at `path` whose role was defined by a union
   * that is no longer the account's union or above it (built-in roles have no union and always apply).
   */
  async rolesDefinedOutside(db: Executor, path: string) {
    return db
      .selectFrom('account_roles as ar')
      .innerJoin('staff_accounts as a', 'a.id', 'ar.account_id')
      .innerJoin('orgs as ao', 'ao.id', 'a.org_id')
      .innerJoin('roles as r', 'r.id', 'ar.role_id')
      .innerJoin('orgs as ro', 'ro.id', 'r.org_id')
      .select(['ar.account_id', 'a.username', 'a.org_id', 'ar.role_id', 'r.name as role_name', 'r.org_id as role_org_id', 'ro.name as role_org_name'])
      .where('ao.path', 'like', `${path}%`)
      .where(sql<boolean>`not starts_with(ao.path, ro.path)`)
      .orderBy('ar.account_id')
      .orderBy('ar.role_id')
      .execute();
  },

  /** Removes some of an account's roles (the caller audits each). */
  async removeRoles(db: Executor, accountId: string, roleIds: string[]) {
    identityChanged();
    await db.deleteFrom('account_roles').where('account_id', '=', accountId).where('role_id', 'in', roleIds).execute();
  },
};

export const rolesRepository = {
  /** Built-in roles and the custom roles of orgs in the caller's subtree. */
  async listVisible(db: Executor, scopePath: string) {
    return db
      .selectFrom('roles as r')
      .leftJoin('orgs as o', 'o.id', 'r.org_id')
      .selectAll('r')
      .select(['o.path as org_path', 'o.name as org_name'])
      .select(sql<number>`(select count(*)::int from account_roles ar where ar.role_id = r.id)`.as('account_count'))
      .where((eb) => eb.or([eb('r.org_id', 'is', null), eb('o.path', 'like', `${scopePath}%`)]))
      .orderBy('r.builtin', 'desc')
      .orderBy('r.id')
      .execute();
  },

  async findVisible(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('roles as r')
      .leftJoin('orgs as o', 'o.id', 'r.org_id')
      .selectAll('r')
      .select(['o.path as org_path', 'o.name as org_name'])
      .select(sql<number>`(select count(*)::int from account_roles ar where ar.role_id = r.id)`.as('account_count'))
      .where('r.id', '=', id)
      .where((eb) => eb.or([eb('r.org_id', 'is', null), eb('o.path', 'like', `${scopePath}%`)]))
      .executeTakeFirst();
  },

  /** With the path and name of the union that defined each role (null for a built-in role). */
  async findVisibleMany(db: Executor, scopePath: string, ids: string[]): Promise<(Role & RoleOrg)[]> {
    if (ids.length === 0) return [];
    return db
      .selectFrom('roles as r')
      .leftJoin('orgs as o', 'o.id', 'r.org_id')
      .selectAll('r')
      .select(['o.path as org_path', 'o.name as org_name'])
      .where('r.id', 'in', ids)
      .where((eb) => eb.or([eb('r.org_id', 'is', null), eb('o.path', 'like', `${scopePath}%`)]))
      .execute();
  },

  /** How many accounts holding the role sit outside `scopePath` (a role's editor may change only what its own subtree may do). */
  async holdersOutside(db: Executor, id: string, scopePath: string) {
    const r = await db
      .selectFrom('account_roles as ar')
      .innerJoin('staff_accounts as a', 'a.id', 'ar.account_id')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('ar.role_id', '=', id)
      .where('o.path', 'not like', `${scopePath}%`)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async findByCode(db: Executor, code: string) {
    return db.selectFrom('roles').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async insert(
    db: Executor,
    row: { code: string; name: string; description: string; permissions: string[]; org_id: string | null; builtin?: boolean; duty?: Role['duty'] },
  ) {
    return db.insertInto('roles').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async update(db: Executor, id: string, patch: { name?: string; description?: string; permissions?: string[]; duty?: Role['duty'] }) {
    identityChanged();
    return db
      .updateTable('roles')
      .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  async delete(db: Executor, id: string) {
    identityChanged();
    await db.deleteFrom('roles').where('id', '=', id).execute();
  },
};

/**
 * When the identity look-up may move the idle clock: `at` is the app clock's now (never now(): tests
 * use a manual clock), `idleSince` = at − the idle limit, `touchBefore` = at − the touch interval.
 */
export interface KeepAlive {
  at: Date;
  idleSince: Date;
  touchBefore: Date;
}

/**
 * The idle clock folded into the identity statement (issue 10 item 2: one round trip per request):
 * a data-modifying CTE moves last_seen_at only on a session the service keeps — not past its
 * absolute limit (expires_at > at) or its idle limit (last_seen_at >= idleSince) — and last seen
 * before touchBefore, i.e. at most once a minute. The select beside it sees the row as it was
 * (one snapshot), so the service judges the same last_seen_at as before. Its commit does not wait
 * for the WAL flush (synchronous_commit off for this statement's own transaction): a crash may lose
 * a minute of idle time, never a login or a logout, and a request does not queue behind a disk flush
 * for it; a look-up that touches nothing writes nothing. Call it outside a transaction: inside one,
 * the setting would apply to the caller's commit.
 */
function touchWhenDue(id: string, kind: 'staff' | 'worker', keep: KeepAlive | undefined) {
  if (!keep) return sql``;
  return sql`
      with no_wait as (select set_config('synchronous_commit', 'off', true) as v),
      touched as (
        update sessions set last_seen_at = ${keep.at}
        where id = ${id} and ended_at is null and subject_type = ${sql.lit(kind)}
          and expires_at > ${keep.at} and last_seen_at >= ${keep.idleSince} and last_seen_at < ${keep.touchBefore}
          and exists (select 1 from no_wait)
        returning 1
      )`;
}

export const sessionsRepository = {
  async insert(db: Executor, row: Session) {
    await db.insertInto('sessions').values(row).execute();
  },

  /**
   * Who is asking, for a staff request, in one prepared statement: the live session, its account with
   * the account's union, and the duty and permissions of each of its roles (issue 10: one round trip).
   * With `keep`, the same statement also moves the idle clock (see `touchWhenDue`).
   */
  async findLiveStaff(db: Executor, id: string, keep?: KeepAlive): Promise<LiveStaffSession | undefined> {
    const { rows } = await sql<LiveStaffSession>`${sql.raw(PREPARED)}${touchWhenDue(id, 'staff', keep)}
      select s.id, s.csrf_token, s.last_seen_at, s.expires_at,
        a.id::text as account_id, a.username, a.display_name, a.status as account_status, a.must_change_password,
        a.org_id::text as org_id, o.path as org_path,
        coalesce((select json_agg(json_build_object('duty', r.duty, 'permissions', r.permissions))
                  from account_roles ar join roles r on r.id = ar.role_id where ar.account_id = a.id), '[]'::json) as roles
      from sessions s
      join staff_accounts a on a.id = s.account_id
      join orgs o on o.id = a.org_id
      where s.id = ${id} and s.ended_at is null and s.subject_type = 'staff'`.execute(db);
    return rows[0];
  },

  /** Who is asking, for an H5 request: the live worker session with the worker's masked phone, one prepared statement (+ the idle clock with `keep`). */
  async findLiveWorker(db: Executor, id: string, keep?: KeepAlive): Promise<LiveWorkerSession | undefined> {
    // Columns by name, not s.*: a prepared statement whose result shape changed (a column added by a
    // rolling deploy) fails on every connection that prepared it.
    const { rows } = await sql<LiveWorkerSession>`${sql.raw(PREPARED)}${touchWhenDue(id, 'worker', keep)}
      select s.id, s.csrf_token, s.last_seen_at, s.expires_at, s.worker_id::text as worker_id, w.phone_masked as worker_phone_masked
      from sessions s
      join workers w on w.id = s.worker_id
      where s.id = ${id} and s.ended_at is null and s.subject_type = 'worker'`.execute(db);
    return rows[0];
  },

  async end(db: Executor, id: string, at: Date, reason: string) {
    identityChanged();
    await db.updateTable('sessions').set({ ended_at: at, end_reason: reason }).where('id', '=', id).where('ended_at', 'is', null).execute();
  },

  /** Every live session of the account but one (a password change keeps the session that made it). */
  async endOthersOfAccount(db: Executor, accountId: string, keepId: string, at: Date, reason: string) {
    identityChanged();
    const r = await db
      .updateTable('sessions')
      .set({ ended_at: at, end_reason: reason })
      .where('account_id', '=', accountId)
      .where('id', '<>', keepId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async endAllOfAccount(db: Executor, accountId: string, at: Date, reason: string) {
    identityChanged();
    const r = await db
      .updateTable('sessions')
      .set({ ended_at: at, end_reason: reason })
      .where('account_id', '=', accountId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  /** Live staff sessions whose account belongs to the caller's subtree. */
  async listLiveStaff(db: Executor, scopePath: string, f: { accountId?: string; now: Date; idleSince: Date; limit: number; offset: number }) {
    let q = db
      .selectFrom('sessions as s')
      .innerJoin('staff_accounts as a', 'a.id', 's.account_id')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .where('s.ended_at', 'is', null)
      .where('s.expires_at', '>', f.now)
      .where('s.last_seen_at', '>', f.idleSince)
      .where('o.path', 'like', `${scopePath}%`);
    if (f.accountId) q = q.where('a.id', '=', f.accountId);
    const [items, total] = await Promise.all([
      q
        .select(['s.id', 's.created_at', 's.last_seen_at', 's.expires_at', 's.ip', 's.user_agent'])
        .select(['a.id as account_id', 'a.username', 'a.display_name', 'o.id as org_id', 'o.name as org_name'])
        .orderBy('s.last_seen_at', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  async findStaffInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('sessions as s')
      .innerJoin('staff_accounts as a', 'a.id', 's.account_id')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select(['s.id', 's.account_id', 'a.username', 'o.id as org_id'])
      .where('s.id', '=', id)
      .where('s.ended_at', 'is', null)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },
};

export const workersRepository = {
  async findByPhoneIndex(db: Executor, bidx: string) {
    return db.selectFrom('workers').selectAll().where('phone_bidx', '=', bidx).executeTakeFirst();
  },
  async findById(db: Executor, id: string) {
    return db.selectFrom('workers').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async upsertByPhone(db: Executor, row: { phone_enc: string; phone_bidx: string; phone_masked: string; last_login_at: Date }) {
    return db
      .insertInto('workers')
      .values(row)
      .onConflict((oc) => oc.column('phone_bidx').doUpdateSet({ last_login_at: row.last_login_at }))
      .returningAll()
      .executeTakeFirstOrThrow();
  },
};

export const smsCodesRepository = {
  /** Serialises code issuing per phone until the transaction ends. */
  async lockPhone(trx: Executor, phoneBidx: string) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`sms:${phoneBidx}`}, 0))`.execute(trx);
  },
  async countSince(db: Executor, f: { phoneBidx?: string; ip?: string; since: Date }) {
    let q = db
      .selectFrom('sms_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('created_at', '>', f.since);
    if (f.phoneBidx) q = q.where('phone_bidx', '=', f.phoneBidx);
    if (f.ip) q = q.where('ip', '=', f.ip);
    return Number((await q.executeTakeFirstOrThrow()).n);
  },
  async latest(db: Executor, phoneBidx: string, purpose: string) {
    return db
      .selectFrom('sms_codes')
      .selectAll()
      .where('phone_bidx', '=', phoneBidx)
      .where('purpose', '=', purpose)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  },
  async insert(db: Executor, row: { phone_bidx: string; purpose: string; code_hash: string; ip: string; created_at: Date; expires_at: Date }) {
    await db.insertInto('sms_codes').values(row).execute();
  },
  /**
   * One try of the latest code: a wrong hash counts an attempt, the right one consumes the code;
   * no row when the code is used, expired or out of attempts (re-checked on the locked row).
   */
  async spend(db: Executor, f: { phoneBidx: string; purpose: string; codeHash: string; at: Date; maxAttempts: number }) {
    const right = sql<boolean>`code_hash = ${f.codeHash}`;
    return db
      .updateTable('sms_codes')
      .set({
        attempts: sql`attempts + (case when ${right} then 0 else 1 end)`,
        consumed_at: sql`case when ${right} then ${f.at}::timestamptz else null end`,
      })
      .where('id', '=', (eb) =>
        eb
          .selectFrom('sms_codes as latest')
          .select('latest.id')
          .where('latest.phone_bidx', '=', f.phoneBidx)
          .where('latest.purpose', '=', f.purpose)
          .orderBy('latest.created_at', 'desc')
          .orderBy('latest.id', 'desc')
          .limit(1),
      )
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', f.at)
      .where('attempts', '<', f.maxAttempts)
      .returning(['attempts', sql<boolean>`consumed_at is not null`.as('ok')])
      .executeTakeFirst();
  },
};
