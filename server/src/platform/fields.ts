// Shared zod building blocks every schema uses for ids, calendar dates and mobile numbers, so a
// rule is written once: an id past PostgreSQL's bigint or a day like 2026-02-30 is a 400 naming the
// field everywhere, never a 500 from the database.
import { z } from 'zod';
import { canonicalMobile } from './validators.js';

/** PostgreSQL `bigint`'s largest value: every id column is a bigint. */
export const BIGINT_MAX = 9223372036854775807n;
const ID_SHAPE = /^[1-9][0-9]{0,18}$/;

/** A decimal id within 1..9223372036854775807. */
export function isDbId(v: string): boolean {
  return ID_SHAPE.test(v) && (v.length < 19 || BigInt(v) <= BIGINT_MAX);
}

const DAY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Years a date field accepts: births, foundings, activities; beyond this is a typing slip. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

/** `YYYY-MM-DD` naming a day that exists (no 2026-02-30, no 2026-13-01), years 1900–2100. */
export function isCalendarDate(v: string): boolean {
  const m = DAY_SHAPE.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < MIN_YEAR || y > MAX_YEAR) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * An id in a body, query or path: `idField('组织')` → "请选择组织" when missing, "组织编号格式错误"
 * when not a decimal, "组织编号超出范围" past the bigint range.
 */
export const idField = (label = '', missing = label ? `请选择${label}` : '缺少编号') =>
  z
    .string({ error: missing })
    .regex(ID_SHAPE, `${label}编号格式错误`)
    .refine((v) => !ID_SHAPE.test(v) || isDbId(v), `${label}编号超出范围`);

/** `/:id` path parameters. */
export const idParam = z.strictObject({ id: idField() });

/** A calendar day `YYYY-MM-DD`: `dateField('出生日期')`. */
export const dateField = (label = '日期', missing = `请填写${label}`) =>
  z
    .string({ error: missing })
    .regex(DAY_SHAPE, `${label}格式应为 YYYY-MM-DD`)
    .refine((v) => !DAY_SHAPE.test(v) || isCalendarDate(v), `${label}不是有效日期（${MIN_YEAR}–${MAX_YEAR} 年的真实日期）`);

/** A mainland mobile number as typed (+86, spaces, hyphens, full-width) → `13812345678`. */
export const mobileField = (label = '手机号', message = `${label}应为 11 位大陆手机号`) =>
  z.string({ error: `请填写${label}` }).transform((v, ctx) => {
    const phone = canonicalMobile(v);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return phone;
  });

/** PostgreSQL `int`'s largest value: row versions are ints. */
export const INT_MAX = 2_147_483_647;

/** A row's `version` for an optimistic edit (a stale one answers 409). */
export const versionField = (missing = '缺少版本号') =>
  z.number({ error: missing }).int('版本号应为整数').min(0, '版本号超出范围').max(INT_MAX, '版本号超出范围');
