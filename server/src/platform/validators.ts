// National-standard identifiers.

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100 统一社会信用代码: 18 chars, last one a mod-31 check character. */
export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CHARS.indexOf(first17[i] ?? '?');
    if (v < 0) return null;
    sum += v * CREDIT_WEIGHTS[i]!;
  }
  const c = (31 - (sum % 31)) % 31;
  return CREDIT_CHARS[c]!;
}

export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

/** GB 11714 organisation code check character for the 8-character body. */
export function orgCodeCheckChar(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8[i]!;
    const v = /[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += v * weights[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** GB/T 2260 行政区划代码 (6 digits) or its town (9) / village (12) extension. */
export function isDivisionCode(code: string): boolean {
  return /^[1-9][0-9]{5}([0-9]{3}([0-9]{3})?)?$/.test(code);
}

export function isMainlandMobile(phone: string): boolean {
  return /^1[3-9][0-9]{9}$/.test(phone);
}

/** Full-width digits, letters and signs (０-９, Ａ-Ｚ, ＋, －) and the ideographic space to ASCII; trims. */
export function normaliseWidth(value: string): string {
  return value
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .trim();
}

/** Spaces, hyphens and dashes people put between groups of digits (138 1234 5678, 320902-1990…). */
const DIGIT_SEPARATORS = /[\s\-\u2010-\u2015()]/g;

/**
 * A mobile number as people type it — full-width digits, spaces, hyphens, `+86` / `0086` / `(+86)` —
 * to the stored form `13812345678`; null when it is not a mainland mobile number.
 */
export function canonicalMobile(raw: string): string | null {
  const v = normaliseWidth(raw)
    .replace(DIGIT_SEPARATORS, '')
    .replace(/^(\+86|0086)(?=1)/, '');
  return isMainlandMobile(v) ? v : null;
}

/** An ID number as typed (full-width, spaces, hyphens, lower-case x) to its stored form: ASCII, upper case, no separators. */
export function canonicalIdNumber(raw: string): string {
  return normaliseWidth(raw).replace(DIGIT_SEPARATORS, '').toUpperCase();
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 check character for the first 17 digits of a resident ID. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

export interface ResidentId {
  number: string;
  birthDate: string;
  sex: 'M' | 'F';
  regionCode: string;
}

/**
 * Parses an 18-digit 居民身份证号码 (GB 11643): full-width digits, spaces, hyphens and a
 * lower-case x are accepted; the check character, the birth date and the region prefix must be valid.
 * Returns a Chinese reason when it is not.
 */
export function parseResidentId(raw: string, today: Date = new Date()): ResidentId | string {
  const number = canonicalIdNumber(raw);
  if (!/^[0-9]{17}[0-9X]$/.test(number)) return '身份证号应为 18 位（最后一位可为 X）';
  if (residentIdCheckChar(number.slice(0, 17)) !== number[17]) return '身份证号校验位不正确，请核对';
  const y = Number(number.slice(6, 10));
  const m = Number(number.slice(10, 12));
  const d = Number(number.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || date > today) {
    return '身份证号中的出生日期无效';
  }
  if (!/^[1-9][0-9]{5}$/.test(number.slice(0, 6))) return '身份证号中的地区码无效';
  return {
    number,
    birthDate: `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`,
    sex: Number(number[16]) % 2 === 1 ? 'M' : 'F',
    regionCode: number.slice(0, 6),
  };
}

/**
 * CJK ideographs that occur in names: Extension A, the URO, the compatibility block, and every
 * supplementary-plane extension (B through H, e.g. 𠀀 U+20000, 𪚥 U+2A6A5) — real people's names use them.
 */
const HAN = '\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\u{20000}-\\u{323AF}';
const CHINESE_NAME = new RegExp(`^[${HAN}]+(·[${HAN}]+)*$`, 'u');

/**
 * Names as unions record them: Chinese with an optional middle dot (阿依古丽·买买提), or Latin
 * letters. NFC-normalised; the 2–30 limit counts characters (code points), not UTF-16 units.
 */
export function normalisePersonName(raw: string): string | null {
  const name = normaliseWidth(raw.normalize('NFC'))
    .replace(/[•・‧∙]/g, '·')
    .replace(/\s+/g, ' ');
  const length = [...name].length;
  if (CHINESE_NAME.test(name) && length >= 2 && length <= 30) return name;
  if (/^[A-Za-z][A-Za-z .'-]{1,59}$/.test(name)) return name;
  return null;
}

export function maskIdNumber(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}` : '*'.repeat(id.length);
}
