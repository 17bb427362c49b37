import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';

describe('password policy (等保 level 3)', () => {
  it.each([
    ['Abcdefgh1', '至少 10 位'],
    ['abcdefghij', '至少 3 类'],
    ['abcdefgh12', '至少 3 类'],
  ])('%s is refused', (pw, msg) => {
    expect(passwordProblem(pw)).toContain(msg);
  });
  it.each(['Abcdefgh12', 'abcdefgh1!', 'ABCDEFGH1!', 'Gonghui@2026'])('%s is accepted', (pw) => {
    expect(passwordProblem(pw)).toBeNull();
  });
  it('hashes with argon2id and verifies', async () => {
    const h = await hashPassword('Gonghui@2026');
    expect(h).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(h, 'Gonghui@2026')).toBe(true);
    expect(await verifyPassword(h, 'Gonghui@2027')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});
