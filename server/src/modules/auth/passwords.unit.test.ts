import { describe, expect, it } from 'vitest';
import { commonPasswordForms, hashPassword, isCommonPassword, passwordProblem, verifyPassword } from './passwords.js';

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

describe('password policy (decision 010): username and common passwords', () => {
  it.each([
    ['Sysadmin#2026x', 'sysadmin'],
    ['xxSYSADMINxx#1', 'sysadmin'],
  ])('%s contains the username %s (case-insensitive)', (pw, username) => {
    expect(passwordProblem(pw, username)).toBe('密码不能包含用户名');
  });

  it.each([
    'Aa123456789', // as typed
    '1qaz@WSX3edc', // shifted digits: 1qaz2wsx3edc
    '1QAZ2wsx!@#', // symbols dropped: 1qaz2wsx
    'P@ssw0rd2026!', // core with look-alikes undone: password
    'Woaini@1314', // core: woaini
    'Woaini1314!', // symbols dropped: woaini1314
    'Ｑｗｅｒｔｙ１２３！', // full-width, NFKC: qwerty123!
  ])('%s is common', (pw) => {
    expect(isCommonPassword(pw)).toBe(true);
    expect(passwordProblem(pw)).toContain('常见');
  });

  it.each(['Gonghui@2026', 'Dongtai#2026x', 'Round#Three2026', 'Zq7#mUlti-Part'])('%s is not common', (pw) => {
    expect(isCommonPassword(pw)).toBe(false);
  });

  it('the forms compared', () => {
    expect(commonPasswordForms('1qaz@WSX')).toEqual(expect.arrayContaining(['1qaz@wsx', '1qaz2wsx', '1qazwsx']));
    expect(commonPasswordForms('P@ssw0rd2026!')).toContain('password');
    // A short core (under 5 letters) is not compared on its own: "Tom#2026xyz…" is not refused for "tom".
    expect(commonPasswordForms('Abc#2026')).not.toContain('abc');
  });
});
