// The 三员 duty matrix, every cell (issue 9, defect 2; docs/decisions/010): for each actor duty ×
// action × target duty, the request is allowed (and takes effect, audited) or refused (nothing
// changes, and the refusal is audited). Then the attack from the issue, step by step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { DEMO_PASSWORD } from '../../seed/demo.js';
import { hashPassword } from './passwords.js';
import { ACCOUNT_ACTIONS, DUTIES, DUTY_MATRIX, type AccountAction, type Duty } from './duties.js';

/**
 * The decision, written out independently of duties.ts: for each actor duty and action, the target
 * duties allowed — B business, S system, C security, A audit.
 */
const EXPECTED: Record<Duty, Record<AccountAction, string>> = {
  system: { create: 'BS', grant: 'BS', edit: 'BS', disable: 'BS', enable: 'BS', reset_password: 'BC', unlock: 'C', end_session: '', define_role: 'BS' },
  security: { create: '', grant: '', edit: '', disable: '', enable: '', reset_password: 'SA', unlock: 'BSA', end_session: 'BSCA', define_role: '' },
  audit: { create: '', grant: '', edit: '', disable: '', enable: '', reset_password: '', unlock: '', end_session: '', define_role: '' },
  business: { create: '', grant: '', edit: '', disable: '', enable: '', reset_password: '', unlock: '', end_session: '', define_role: '' },
};
const LETTER: Record<Duty, string> = { business: 'B', system: 'S', security: 'C', audit: 'A' };
const allowed = (actor: Duty, action: AccountAction, target: Duty) => EXPECTED[actor][action].includes(LETTER[target]);

const ACTORS: Record<Duty, string> = { system: 'sysadmin', security: 'secadmin', audit: 'auditor', business: 'city_admin' };
/** The built-in role of each duty, and a second custom role of it (to grant something new). */
const ROLE: Record<Duty, string> = { business: 'leader', system: 'system_admin', security: 'security_admin', audit: 'audit_admin' };
const OTHER_ROLE: Record<Duty, { code: string; permissions: string[] }> = {
  business: { code: 'matrix_business2', permissions: ['org:read'] },
  system: { code: 'matrix_system2', permissions: ['account:read'] },
  security: { code: 'matrix_security2', permissions: ['session:read'] },
  audit: { code: 'matrix_audit2', permissions: ['audit:read'] },
};
const PERMISSION_OF: Record<Duty, string> = { business: 'member:reveal', system: 'account:write', security: 'session:revoke', audit: 'audit:read' };

let t: TestApp;
const as: Partial<Record<Duty, Client>> = {};
const roleIds: Record<string, string> = {};
let targetHash: string;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp();
  for (const d of DUTIES) as[d] = await t.login(ACTORS[d]);
  for (const d of DUTIES) {
    await t.db
      .insertInto('roles')
      .values({ code: OTHER_ROLE[d].code, name: `矩阵${d}`, permissions: OTHER_ROLE[d].permissions, org_id: '1', duty: d })
      .execute();
  }
  for (const r of await t.db.selectFrom('roles').select(['id', 'code']).execute()) roleIds[r.code] = r.id;
  targetHash = await hashPassword('Target#Pass2026');
});
afterAll(async () => t?.close());

/** A fresh account of the duty (direct insert: the matrix is what is under test, not creation). */
async function targetOf(duty: Duty, patch: { status?: 'active' | 'disabled'; locked?: boolean } = {}) {
  const username = `target_${duty}_${++seq}`;
  const row = await t.db
    .insertInto('staff_accounts')
    .values({
      username,
      display_name: '矩阵目标',
      org_id: '1',
      password_hash: targetHash,
      status: patch.status ?? 'active',
      ...(patch.locked && { failed_logins: 5, locked_until: new Date(t.clock.now().getTime() + 10 * 60_000) }),
    })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  await t.db.insertInto('account_roles').values({ account_id: row.id, role_id: roleIds[ROLE[duty]]! }).execute();
  return { id: row.id, version: row.version, username };
}

const snapshot = async (id: string) => {
  const a = await t.db.selectFrom('staff_accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const roles = await t.db.selectFrom('account_roles').select('role_id').where('account_id', '=', id).orderBy('role_id').execute();
  const live = await t.db.selectFrom('sessions').select('id').where('account_id', '=', id).where('ended_at', 'is', null).execute();
  return { status: a.status, hash: a.password_hash, locked: a.locked_until, name: a.display_name, roles: roles.map((r) => r.role_id), live: live.length };
};

interface Cell {
  /** Sends the request; returns what to compare before and after. */
  run(c: Client, target: Duty): Promise<{ status: number; requestId: string; before: unknown; after: unknown; code?: string }>;
}

async function onAccount(
  target: Duty,
  opts: { status?: 'active' | 'disabled'; locked?: boolean; session?: boolean },
  send: (a: { id: string; version: number; username: string }, sessionId: string | null) => Promise<Awaited<ReturnType<Client['get']>>>,
) {
  const a = await targetOf(target, opts);
  let sessionId: string | null = null;
  if (opts.session) {
    sessionId = `${'f'.repeat(56)}${String(++seq).padStart(8, '0')}`;
    const at = t.clock.now();
    await t.db
      .insertInto('sessions')
      .values({
        id: sessionId,
        subject_type: 'staff',
        account_id: a.id,
        csrf_token: 'x',
        created_at: at,
        last_seen_at: at,
        expires_at: new Date(at.getTime() + 3_600_000),
      })
      .execute();
  }
  const before = await snapshot(a.id);
  const res = await send(a, sessionId);
  return {
    status: res.statusCode,
    requestId: String(res.headers['x-request-id']),
    before,
    after: await snapshot(a.id),
    code: res.json().error?.code as string | undefined,
  };
}

const CELLS: Record<AccountAction, Cell> = {
  create: {
    async run(c, target) {
      const username = `made_${target}_${++seq}`;
      const count = async () => (await t.db.selectFrom('staff_accounts').select('id').where('username', '=', username).execute()).length;
      const before = await count();
      const res = await c.post('/api/accounts', {
        username,
        displayName: '矩阵新建',
        orgId: '1',
        roleIds: [roleIds[ROLE[target]]],
        password: 'Matrix#New2026',
      });
      return { status: res.statusCode, requestId: String(res.headers['x-request-id']), before, after: await count(), code: res.json().error?.code };
    },
  },
  grant: {
    run: (c, target) => onAccount(target, {}, (a) => c.patch(`/api/accounts/${a.id}`, { version: a.version, roleIds: [roleIds[OTHER_ROLE[target].code]] })),
  },
  edit: { run: (c, target) => onAccount(target, {}, (a) => c.patch(`/api/accounts/${a.id}`, { version: a.version, displayName: '改过的名字' })) },
  disable: { run: (c, target) => onAccount(target, { session: true }, (a) => c.post(`/api/accounts/${a.id}/disable`)) },
  enable: { run: (c, target) => onAccount(target, { status: 'disabled' }, (a) => c.post(`/api/accounts/${a.id}/enable`)) },
  reset_password: {
    run: (c, target) => onAccount(target, { session: true }, (a) => c.post(`/api/accounts/${a.id}/reset-password`, { password: 'Matrix#Reset2026' })),
  },
  unlock: { run: (c, target) => onAccount(target, { locked: true }, (a) => c.post(`/api/accounts/${a.id}/unlock`)) },
  end_session: { run: (c, target) => onAccount(target, { session: true }, (_a, sessionId) => c.delete(`/api/sessions/${sessionId}`)) },
  define_role: {
    async run(c, target) {
      const code = `matrix_def_${target}_${++seq}`;
      const count = async () => (await t.db.selectFrom('roles').select('id').where('code', '=', code).execute()).length;
      const before = await count();
      const res = await c.post('/api/roles', { code, name: '矩阵角色', permissions: [PERMISSION_OF[target]] });
      return { status: res.statusCode, requestId: String(res.headers['x-request-id']), before, after: await count(), code: res.json().error?.code };
    },
  },
};

describe('the decision record and the code say the same', () => {
  it('EXPECTED equals DUTY_MATRIX', () => {
    for (const actor of DUTIES) {
      for (const action of ACCOUNT_ACTIONS) {
        expect(
          DUTY_MATRIX[actor][action]
            .map((d) => LETTER[d])
            .sort()
            .join(''),
          `${actor} ${action}`,
        ).toBe([...EXPECTED[actor][action]].sort().join(''));
      }
    }
  });
});

describe('every cell: actor duty × action × target duty', () => {
  for (const actor of DUTIES) {
    for (const action of ACCOUNT_ACTIONS) {
      for (const target of DUTIES) {
        const ok = allowed(actor, action, target);
        it(`${actor} ${action} ${target} → ${ok ? 'allowed' : 'refused'}`, async () => {
          const r = await CELLS[action].run(as[actor]!, target);
          const audit = await t.db.selectFrom('audit_log').select(['outcome', 'action', 'detail']).where('request_id', '=', r.requestId).execute();
          if (ok) {
            expect(r.status, JSON.stringify(r)).toBe(200);
            expect(r.after).not.toEqual(r.before);
            expect(audit.map((a) => a.outcome)).toContain('success');
          } else {
            expect(r.status, JSON.stringify(r)).toBe(403);
            expect(['FORBIDDEN', 'DUTY_SEPARATION']).toContain(r.code);
            expect(r.after).toEqual(r.before);
            expect(
              audit.map((a) => a.outcome),
              'the refusal is audited',
            ).toEqual(['failure']);
          }
        });
      }
    }
  }

  it('a refusal by the matrix names the duties in its audit row', async () => {
    const a = await targetOf('audit');
    const res = await as.system!.post(`/api/accounts/${a.id}/reset-password`, { password: 'Takeover#2026x' });
    expect(res.json().error).toEqual({ code: 'DUTY_SEPARATION', message: '三员职责分离：系统管理员不能对审计管理员账号执行「重置密码」' });
    const row = await t.db.selectFrom('audit_log').selectAll().where('request_id', '=', String(res.headers['x-request-id'])).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ action: 'account.reset_password', outcome: 'failure', target_id: a.id });
    const detail = typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail;
    expect(detail).toMatchObject({ reason: 'duty_separation', actorDuty: 'system', targetDuties: ['audit'] });
  });
});

describe('roles and accounts never mix duties', () => {
  it('a role mixing duties is refused on create and on edit; a role keeps its duty', async () => {
    const sys = as.system!;
    const mixed = await sys.post('/api/roles', { code: 'mixed_role', name: '混合角色', permissions: ['org:read', 'account:read'] });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().error.fields.permissions).toContain('系统管理员、业务');
    const role = (await sys.post('/api/roles', { code: 'plain_role', name: '普通角色', permissions: ['org:read'] })).json();
    expect(role.duty).toBe('business');
    const edit = await sys.patch(`/api/roles/${role.id}`, { permissions: ['org:read', 'role:read'] });
    expect(edit.statusCode).toBe(400);
    const move = await sys.patch(`/api/roles/${role.id}`, { permissions: ['role:read'] });
    expect(move.json().error.fields.permissions).toContain('职责不能更改');
  });

  it('an account’s roles must all be one duty (checked on create and on every grant)', async () => {
    const sys = as.system!;
    const both = [roleIds.leader, roleIds.system_admin];
    const created = await sys.post('/api/accounts', { username: 'two_hats', displayName: '兼任', orgId: '1', roleIds: both, password: 'TwoHats#2026x' });
    expect(created.statusCode).toBe(400);
    expect(created.json().error.fields.roleIds).toContain('三员职责分离');
    const a = await targetOf('business');
    const granted = await sys.patch(`/api/accounts/${a.id}`, { version: a.version, roleIds: both });
    expect(granted.statusCode).toBe(400);
    expect((await snapshot(a.id)).roles).toEqual([roleIds.leader]);
  });

  it('an account left holding roles of two duties (from before the rule) can do nothing', async () => {
    const a = await targetOf('business');
    await t.db.insertInto('account_roles').values({ account_id: a.id, role_id: roleIds.audit_admin! }).execute();
    const c = await t.login(a.username, 'Target#Pass2026');
    const me = (await c.get('/api/auth/me')).json().account;
    expect(me.permissions).toEqual([]);
    expect((await c.get('/api/audit')).statusCode).toBe(403);
    expect((await c.get('/api/orgs/search?q=')).statusCode).toBe(403);
  });

  it('a role from before the rule with mixed permissions (duty null) grants nothing', async () => {
    const legacy = await t.db
      .insertInto('roles')
      .values({ code: 'legacy_mixed', name: '旧混合角色', permissions: ['audit:read', 'member:reveal'], org_id: '1', duty: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const a = await targetOf('business');
    await t.db.deleteFrom('account_roles').where('account_id', '=', a.id).execute();
    await t.db.insertInto('account_roles').values({ account_id: a.id, role_id: legacy.id }).execute();
    const c = await t.login(a.username, 'Target#Pass2026');
    expect((await c.get('/api/auth/me')).json().account.permissions).toEqual([]);
    const sys = as.system!;
    const listed = ((await sys.get('/api/roles')).json().items as { code: string; duty: string | null; assignable: boolean }[]).find(
      (r) => r.code === 'legacy_mixed',
    )!;
    expect(listed).toMatchObject({ duty: null, assignable: false });
  });
});

describe('the attack from the issue, step by step', () => {
  it('sysadmin cannot make a super-role, read the audit trail, reveal ID numbers, take over the auditor or disable secadmin', async () => {
    const sys = as.system!;
    const auditorId = (await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'auditor').executeTakeFirstOrThrow()).id;
    const secadminId = (await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'secadmin').executeTakeFirstOrThrow()).id;
    const auditorBefore = await snapshot(auditorId);

    // 1. A custom role holding audit:read, member:reveal, account:* and role:*.
    const superRole = await sys.post('/api/roles', {
      code: 'super_role',
      name: '超级角色',
      permissions: ['audit:read', 'member:reveal', 'account:read', 'account:write', 'account:unlock', 'role:read', 'role:write'],
    });
    expect(superRole.statusCode).toBe(400);
    expect(superRole.json().error.fields.permissions).toContain('三员职责分离');
    // …nor one of the audit duty alone, nor one with the security administrator's powers.
    for (const permissions of [['audit:read'], ['account:unlock']]) {
      const r = await sys.post('/api/roles', { code: `sneaky_${permissions[0]!.replace(':', '_')}`, name: '偷偷的角色', permissions });
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('DUTY_SEPARATION');
    }
    expect(await t.db.selectFrom('roles').select('id').where('code', 'in', ['super_role', 'sneaky_audit_read', 'sneaky_account_unlock']).execute()).toEqual([]);

    // 2. …and an account with it: nor with the audit administrator's role.
    const account = await sys.post('/api/accounts', {
      username: 'audit_twin',
      displayName: '影子',
      orgId: '1',
      roleIds: [roleIds.audit_admin],
      password: 'Twin#Reader2026',
    });
    expect(account.statusCode).toBe(403);
    expect(account.json().error.code).toBe('DUTY_SEPARATION');

    // 3. Read the audit trail and reveal full ID numbers with its own account.
    expect((await sys.get('/api/audit')).statusCode).toBe(403);
    expect((await sys.post('/api/members/1/reveal', { reason: '想看' })).statusCode).toBe(403);

    // 4. Reset the auditor's password and sign in as the auditor.
    const reset = await sys.post(`/api/accounts/${auditorId}/reset-password`, { password: 'Takeover#2026x' });
    expect(reset.statusCode).toBe(403);
    expect(reset.json().error.code).toBe('DUTY_SEPARATION');
    const asAuditor = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'auditor', password: 'Takeover#2026x' },
      remoteAddress: '10.66.0.1',
    });
    expect(asAuditor.statusCode).toBe(401);
    expect(await snapshot(auditorId)).toEqual(auditorBefore);

    // 5. Disable secadmin.
    const disable = await sys.post(`/api/accounts/${secadminId}/disable`);
    expect(disable.statusCode).toBe(403);
    expect(disable.json().error.code).toBe('DUTY_SEPARATION');
    expect((await t.login('secadmin')).csrfToken).toBeTruthy();

    // Every refused step is in the audit trail, and the auditor reads it.
    const auditor = await t.login('auditor', DEMO_PASSWORD);
    const trail = (await auditor.get('/api/audit?outcome=failure&pageSize=100')).json().items as { action: string }[];
    for (const action of ['account.reset_password', 'account.disable', 'account.create', 'role.define_role']) {
      expect(trail.map((r) => r.action)).toContain(action);
    }
  });

  it('the security administrator resets the system administrator’s password; the new one only opens the change-password screen', async () => {
    const sec = as.security!;
    const a = await targetOf('system');
    const reset = await sec.post(`/api/accounts/${a.id}/reset-password`, { password: 'Handover#2026x' });
    expect(reset.statusCode, reset.body).toBe(200);
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: a.username, password: 'Handover#2026x' },
      remoteAddress: '10.66.0.2',
    });
    expect(c.json().account.mustChangePassword).toBe(true);
    const client = t.client(c.cookies.map((k) => `${k.name}=${k.value}`).join('; '), c.json().csrfToken);
    expect((await client.get('/api/accounts')).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });
});
