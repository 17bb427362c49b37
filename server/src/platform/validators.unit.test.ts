import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isDivisionCode, isMainlandMobile, isValidCreditCode, normaliseWidth, orgCodeCheckChar } from './validators.js';
import { syntheticUnionCreditCode } from '../seed/demo.js';

describe('GB 32100 统一社会信用代码', () => {
  it('accepts published valid codes and rejects a changed check character', () => {
    for (const code of ['91350100M000100Y43', '91110000600037341L', '91440300708461136T']) {
      expect(isValidCreditCode(code), code).toBe(true);
      const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
      expect(isValidCreditCode(wrong), wrong).toBe(false);
    }
  });

  it('rejects letters outside the GB 32100 alphabet (I O Z S V) and wrong lengths', () => {
    expect(isValidCreditCode('91350100M000100YI3')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(creditCodeCheckChar('91350100M000100O4')).toBeNull();
  });

  it('every synthetic union code of the demo data validates, and a single changed character is caught', () => {
    let seed = 1;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    fc.assert(
      fc.property(fc.constantFrom('320900', '320981', '320924'), fc.nat(16), fc.integer({ min: 1, max: 9 }), (division, pos, delta) => {
        const code = syntheticUnionCreditCode(division, rand);
        expect(isValidCreditCode(code)).toBe(true);
        const digits = '0123456789';
        const ch = code[pos]!;
        if (!digits.includes(ch)) return;
        const changed = code.slice(0, pos) + digits[(Number(ch) + delta) % 10] + code.slice(pos + 1);
        expect(isValidCreditCode(changed)).toBe(false);
      }),
    );
  });

  it('GB 11714 check character of the organisation code', () => {
    expect(orgCodeCheckChar('M000100Y')).toBe('4'); // from 91350100M000100Y43
    expect(orgCodeCheckChar('60003734')).toBe('1');
  });
});

describe('other identifiers', () => {
  it('行政区划代码 6, 9 or 12 digits', () => {
    expect(isDivisionCode('320981')).toBe(true);
    expect(isDivisionCode('320981001')).toBe(true);
    expect(isDivisionCode('320981001001')).toBe(true);
    expect(isDivisionCode('32098')).toBe(false);
    expect(isDivisionCode('0209810')).toBe(false);
  });
  it('mainland mobile numbers', () => {
    expect(isMainlandMobile('13812345678')).toBe(true);
    expect(isMainlandMobile('12812345678')).toBe(false);
    expect(isMainlandMobile('1381234567')).toBe(false);
  });
  it('full-width digits and letters become ASCII', () => {
    expect(normaliseWidth(' １３８１２３４５６７８ ')).toBe('13812345678');
    expect(normaliseWidth('９１３５０１００Ｍ')).toBe('91350100M');
  });
});

describe('GB 11643 居民身份证号码', () => {
  const today = new Date('2026-11-21T00:00:00Z');
  it('parses a valid number: birth date and sex from the digits; lower-case x and full-width digits accepted', async () => {
    const { parseResidentId, residentIdCheckChar } = await import('./validators.js');
    const body = '32990119900307123';
    const id = body + residentIdCheckChar(body);
    expect(parseResidentId(id, today)).toEqual({ number: id, birthDate: '1990-03-07', sex: 'M', regionCode: '329901' });
    const withX = (() => {
      for (let i = 0; i < 1000; i++) {
        const b = `32990119850101${String(i).padStart(3, '0')}`;
        if (residentIdCheckChar(b) === 'X') return b;
      }
      throw new Error('no X');
    })();
    expect(parseResidentId(`${withX}x`, today)).toMatchObject({ number: `${withX}X` });
    const fullWidth = id.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(parseResidentId(fullWidth, today)).toMatchObject({ number: id });
  });
  it('refuses a wrong check digit, an impossible or future birth date, a wrong length', async () => {
    const { parseResidentId, residentIdCheckChar } = await import('./validators.js');
    const body = '32990119900307123';
    const good = body + residentIdCheckChar(body);
    const bad = body + (good[17] === '0' ? '1' : '0');
    expect(parseResidentId(bad, today)).toBe('身份证号校验位不正确，请核对');
    const feb30 = '32990119900230123';
    expect(parseResidentId(feb30 + residentIdCheckChar(feb30), today)).toBe('身份证号中的出生日期无效');
    const future = '32990120300101123';
    expect(parseResidentId(future + residentIdCheckChar(future), today)).toBe('身份证号中的出生日期无效');
    expect(parseResidentId('3299011990030712', today)).toContain('18 位');
  });
  it('names: Chinese with a middle dot, Latin letters; masks', async () => {
    const { normalisePersonName, maskIdNumber } = await import('./validators.js');
    expect(normalisePersonName('阿依古丽•买买提')).toBe('阿依古丽·买买提');
    expect(normalisePersonName('张三')).toBe('张三');
    expect(normalisePersonName('张')).toBeNull();
    expect(normalisePersonName('张3')).toBeNull();
    expect(normalisePersonName('John Smith')).toBe('John Smith');
    expect(maskIdNumber('320981199001011234')).toBe('3209**********1234');
  });
});

describe('as people type them (issue 9)', () => {
  const today = new Date('2026-11-21T00:00:00Z');
  it('ID numbers with spaces, hyphens, full-width digits and a lower-case x become the canonical 18 characters', async () => {
    const { canonicalIdNumber, parseResidentId, residentIdCheckChar } = await import('./validators.js');
    const withX = (() => {
      for (let i = 0; i < 1000; i++) {
        const b = `32990119850101${String(i).padStart(3, '0')}`;
        if (residentIdCheckChar(b) === 'X') return b;
      }
      throw new Error('no X');
    })();
    const id = `${withX}X`;
    const fw = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    for (const typed of [
      `${withX}x`,
      `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`,
      `${id.slice(0, 6)}-${id.slice(6, 14)}-${id.slice(14).toLowerCase()}`,
      fw(`${withX}ｘ`),
      `\u3000${fw(id.slice(0, 6))}－${id.slice(6)} `,
    ]) {
      expect(canonicalIdNumber(typed), typed).toBe(id);
      expect(parseResidentId(typed, today), typed).toMatchObject({ number: id });
    }
  });

  it('mobile numbers with +86 / 0086, spaces, hyphens and full-width digits', async () => {
    const { canonicalMobile } = await import('./validators.js');
    for (const typed of [
      '13812345678',
      '+86 138 1234 5678',
      '0086-138-1234-5678',
      '(+86) 13812345678',
      '＋８６１３８１２３４５６７８',
      '138\u30001234\u30005678',
    ])
      expect(canonicalMobile(typed), typed).toBe('13812345678');
    for (const bad of ['8613812345678', '+86 12812345678', '138123456789', '+1 13812345678', '']) expect(canonicalMobile(bad), bad).toBeNull();
  });

  it('names: CJK outside the BMP (Extension B and later) count as one character each; NFC', async () => {
    const { normalisePersonName } = await import('./validators.js');
    expect(normalisePersonName('𠀀明')).toBe('𠀀明'); // U+20000, Extension B
    expect(normalisePersonName('王𪚥')).toBe('王𪚥'); // U+2A6A5
    expect(normalisePersonName('陈𫟷')).toBe('陈𫟷'); // U+2B7F7, Extension D
    expect(normalisePersonName('𰀀林')).toBe('𰀀林'); // U+30000, Extension G
    expect(normalisePersonName('㐀丽')).toBe('㐀丽'); // Extension A
    expect(normalisePersonName('𠀀')).toBeNull(); // one character, though two UTF-16 units
    expect(normalisePersonName('𠀀'.repeat(30))).toBe('𠀀'.repeat(30)); // 30 characters, 60 UTF-16 units
    expect(normalisePersonName('𠀀'.repeat(31))).toBeNull();
    expect(normalisePersonName('\uf900山')).toBe('\u8c48山'); // a compatibility ideograph is stored in its unified (NFC) form
    expect(normalisePersonName('Jose\u0301 Li')).toBeNull(); // Latin names are ASCII letters
    expect(normalisePersonName('😀三')).toBeNull();
  });
});
