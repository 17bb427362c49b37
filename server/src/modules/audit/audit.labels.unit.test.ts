// Every action string the server writes to the audit trail has a Chinese label. The source is scanned
// (not a hand list): a new `action: 'x.y'`, a new `audit(trx, …, 'x.y', …)` helper call, or a new
// template `x.${…}` without labels fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, AUDIT_DYNAMIC_ACTIONS, AUDIT_TARGET_LABELS, auditActionLabel, auditTargetText } from './audit.labels.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.includes('.test') && !e.name.includes('test-helpers') ? [p] : [];
  });
}

const files = sources(SRC).map((p) => ({ p, text: readFileSync(p, 'utf8') }));
// Action namespaces: the first word of every labelled action (auth, account, member, activity …).
const namespaces = [...new Set(Object.keys(AUDIT_ACTION_LABELS).map((a) => a.split('.')[0]!))];

/** `action: '…'` literals (incl. both arms of a ternary), and quoted `ns.word` literals of a known namespace anywhere. */
function writtenActions(): { literals: Map<string, string>; templates: Map<string, string> } {
  const literals = new Map<string, string>();
  const templates = new Map<string, string>();
  const nsLiteral = new RegExp(`'((?:${namespaces.join('|')})\\.[a-z_]+(?:\\.[a-z_]+)*)'`, 'g');
  for (const { p, text } of files) {
    for (const m of text.matchAll(/\baction: ([^\n]+)/g)) {
      const expr = m[1]!;
      const tpl = /^`([^`]+)`/.exec(expr);
      if (tpl) {
        // an action template is ASCII (`member.${…}`); a Chinese message under an `action` field key is not one
        if (/^[\x20-\x7e]+$/.test(tpl[1]!)) templates.set(tpl[1]!, p);
        continue;
      }
      for (const lit of expr.matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) literals.set(lit[1]!, p);
    }
    // Indicator codes (members.live, rights.consultations …) share the namespaces but are not actions.
    if (p.includes('/modules/stats/')) continue;
    for (const m of text.matchAll(nsLiteral)) literals.set(m[1]!, p);
  }
  return { literals, templates };
}

describe('audit action labels', () => {
  const { literals, templates } = writtenActions();

  it('finds the actions the code writes (the scan itself works)', () => {
    expect(literals.size).toBeGreaterThan(80);
    expect(literals.has('auth.login')).toBe(true);
    expect(literals.has('activity.publish')).toBe(true); // an arm of a ternary
    expect(literals.has('session.revoke')).toBe(true); // a positional argument of a local audit helper
    expect(templates.has('application.${input.action}')).toBe(true);
  });

  it('has a Chinese label for every literal action string in server/src', () => {
    const missing = [...literals].filter(([a]) => !AUDIT_ACTION_LABELS[a]).map(([a, p]) => `${a} (${p.slice(SRC.length + 1)})`);
    expect(missing).toEqual([]);
  });

  it('knows the values of every template action and labels each one', () => {
    const unknown = [...templates].filter(([t]) => !(t in AUDIT_DYNAMIC_ACTIONS)).map(([t, p]) => `${t} (${p.slice(SRC.length + 1)})`);
    expect(unknown).toEqual([]);
    const unlabelled = Object.values(AUDIT_DYNAMIC_ACTIONS)
      .flat()
      .filter((a) => !AUDIT_ACTION_LABELS[a]);
    expect(unlabelled).toEqual([]);
  });

  it('labels are Chinese words, not codes', () => {
    for (const [code, label] of Object.entries(AUDIT_ACTION_LABELS)) expect(label, code).toMatch(/[\u4e00-\u9fff]/);
    for (const [code, label] of Object.entries(AUDIT_TARGET_LABELS)) expect(label, code).toMatch(/^[\u4e00-\u9fff]+$/);
  });

  it('has a label for every target type the code writes', () => {
    const types = new Set<string>();
    for (const { text } of files) for (const m of text.matchAll(/targetType: '([a-z_]+)'/g)) types.add(m[1]!);
    expect(types.size).toBeGreaterThan(15);
    expect([...types].filter((t) => !AUDIT_TARGET_LABELS[t])).toEqual([]);
  });

  it('words a row as people read it', () => {
    expect(auditActionLabel('auth.login')).toBe('登录');
    expect(auditActionLabel('POST /api/orgs')).toBe('接口访问');
    expect(auditActionLabel('unknown.thing')).toBe('unknown.thing');
    expect(auditTargetText('account', '9', '张三')).toBe('账号「张三」');
    expect(auditTargetText('membership', '12', null)).toBe('会员 #12');
    expect(auditTargetText(null, null, null)).toBe('—');
  });
});
