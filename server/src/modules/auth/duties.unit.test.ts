import { describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, dutyOfPermission } from '../../platform/permissions.js';
import { BUILTIN_ROLES } from './builtin-roles.js';
import { ACCOUNT_ACTIONS, DUTIES, DUTY_MATRIX, effectivePermissions, mayAct } from './duties.js';

describe('duties (decision 010)', () => {
  it('every built-in role holds only permissions of its own duty', () => {
    for (const r of BUILTIN_ROLES) for (const p of r.permissions) expect(dutyOfPermission(p), `${r.code} ${p}`).toBe(r.duty);
  });

  it('every permission has a duty, and the 三员 hold no business permission', () => {
    for (const p of ALL_PERMISSIONS) expect(DUTIES).toContain(dutyOfPermission(p));
    expect(dutyOfPermission('org:read')).toBe('business');
    expect(dutyOfPermission('member:reveal')).toBe('business');
  });

  it('no duty manages the passwords or locks of its own 三员 duty, and nobody provisions security or audit accounts', () => {
    for (const d of ['system', 'security', 'audit'] as const) {
      expect(mayAct(d, 'reset_password', d)).toBe(false);
      expect(mayAct(d, 'unlock', d)).toBe(false);
    }
    for (const actor of DUTIES) {
      for (const action of ['create', 'grant', 'edit', 'disable', 'enable', 'define_role'] as const) {
        expect(mayAct(actor, action, 'security')).toBe(false);
        expect(mayAct(actor, action, 'audit')).toBe(false);
      }
    }
  });

  it('the audit administrator and business staff act on no account', () => {
    for (const actor of ['audit', 'business'] as const) for (const action of ACCOUNT_ACTIONS) expect(DUTY_MATRIX[actor][action]).toEqual([]);
  });

  it('effective permissions fail closed', () => {
    expect([...effectivePermissions([{ duty: 'business', permissions: ['org:read', 'audit:read'] }])]).toEqual(['org:read']);
    expect(effectivePermissions([{ duty: null, permissions: ['audit:read'] }]).size).toBe(0);
    expect(
      effectivePermissions([
        { duty: 'business', permissions: ['org:read'] },
        { duty: 'audit', permissions: ['audit:read'] },
      ]).size,
    ).toBe(0);
  });
});
