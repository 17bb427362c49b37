// Password policy (等保 level 3 and decision 010) and argon2id hashing.
import { readFileSync } from 'node:fs';
import argon2 from 'argon2';

/** A new password may not be any of the account's last this-many passwords (the current one included). */
export const PASSWORD_HISTORY = 5;

export const PASSWORD_RULE_TEXT = `至少 10 位，包含大写字母、小写字母、数字、符号中的至少 3 类；不能包含用户名，不能是常见密码，不能与最近 ${PASSWORD_HISTORY} 次使用过的密码相同`;

const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')),
);

// Shift + digit on a standard keyboard ("1qaz@WSX" is "1qaz2wsx" typed with shift).
const SHIFTED: Record<string, string> = { '!': '1', '@': '2', '#': '3', $: '4', '%': '5', '^': '6', '&': '7', '*': '8', '(': '9', ')': '0' };
// Letters people swap for look-alikes ("P@ssw0rd").
const LOOKALIKE: Record<string, string> = { '@': 'a', '4': 'a', '3': 'e', '1': 'i', '!': 'i', '0': 'o', $: 's', '5': 's', '7': 't', '+': 't' };
const mapChars = (s: string, table: Record<string, string>) => [...s].map((c) => table[c] ?? c).join('');

/**
 * The forms of a password compared with the list: as typed (NFKC, lower case), with shifted digits
 * undone, with symbols dropped, and its core (digits and symbols trimmed from both ends, look-alikes
 * undone) when that core is 5 letters or more — so "Woaini@2026" and "P@ssw0rd1" count as common.
 */
export function commonPasswordForms(password: string): string[] {
  const base = password.normalize('NFKC').toLowerCase();
  const forms = new Set([base, mapChars(base, SHIFTED), base.replace(/[^a-z0-9]/g, '')]);
  const core = base.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (core.length >= 5) forms.add(mapChars(core, LOOKALIKE));
  return [...forms];
}

export function isCommonPassword(password: string): boolean {
  return commonPasswordForms(password).some((f) => COMMON.has(f));
}

/**
 * The rules that need no stored hash: length, character classes, the username, the common list.
 * Returns a Chinese reason or null. (Reuse of the last passwords is checked against their hashes.)
 */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < 10) return '密码至少 10 位';
  if (password.length > 128) return '密码不能超过 128 位';
  // Classes of the password as compared (full-width letters and digits count as what they are).
  const folded = password.normalize('NFKC');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(folded)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少 3 类';
  if (username && password.normalize('NFKC').toLowerCase().includes(username.normalize('NFKC').toLowerCase())) return '密码不能包含用户名';
  if (isCommonPassword(password)) return '密码过于常见，容易被猜中（常见密码加数字、符号或替换字母也算），请换一个';
  return null;
}

// OWASP's argon2id baseline (19 MiB, 2 passes): a login costs tens of milliseconds here.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, OPTIONS);

/**
 * How many argon2 verifications this process has run. Observability, and it lets the tests prove
 * that a login for an unknown user verifies a hash too (same work, same time) and that parallel
 * guesses stop at the lockout threshold.
 */
export const passwordStats = { verifications: 0 };

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  passwordStats.verifications += 1;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Whether the password is one of these hashes (the account's recent passwords). */
export async function matchesAny(hashes: string[], password: string): Promise<boolean> {
  const results = await Promise.all(hashes.map((h) => verifyPassword(h, password)));
  return results.some(Boolean);
}

/** Verified against when the username is unknown, so timing does not reveal which usernames exist. */
let dummyHash: Promise<string> | null = null;
export const dummyPasswordHash = () => (dummyHash ??= hashPassword('dummy-Password-1'));
