import { describe, expect, it } from 'vitest';
import { BIGINT_MAX, dateField, idField, isCalendarDate, isDbId, mobileField } from './fields.js';

describe('ids', () => {
  it('accepts 1..9223372036854775807 and refuses the rest', () => {
    expect(String(BIGINT_MAX)).toBe('9223372036854775807');
    for (const ok of ['1', '42', '9223372036854775807', '1000000000000000000']) expect(isDbId(ok), ok).toBe(true);
    for (const bad of ['0', '-1', '01', '1.5', '1e3', '', ' 1', '9223372036854775808', '9999999999999999999', '10000000000000000000', '１２'])
      expect(isDbId(bad), bad).toBe(false);
  });

  it('idField names what is wrong', () => {
    const f = idField('组织');
    expect(f.parse('9223372036854775807')).toBe('9223372036854775807');
    expect(f.safeParse('9223372036854775808').error?.issues.map((i) => i.message)).toEqual(['组织编号超出范围']);
    expect(f.safeParse('abc').error?.issues.map((i) => i.message)).toEqual(['组织编号格式错误']);
    expect(f.safeParse(undefined).error?.issues.map((i) => i.message)).toEqual(['请选择组织']);
  });
});

describe('calendar dates', () => {
  it('accepts real days (leap years too) and refuses impossible ones', () => {
    for (const ok of ['2026-02-28', '2028-02-29', '2000-02-29', '1900-01-01', '2100-12-31', '2026-12-31']) expect(isCalendarDate(ok), ok).toBe(true);
    for (const bad of [
      '2026-02-30',
      '2026-02-29',
      '1900-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-01-00',
      '1899-12-31',
      '2101-01-01',
      '2026-1-5',
      '20260105',
      '2026-01-05T00:00:00Z',
    ])
      expect(isCalendarDate(bad), bad).toBe(false);
  });

  it('dateField says which date', () => {
    const f = dateField('出生日期');
    expect(f.safeParse('2026-02-30').error?.issues.map((i) => i.message)).toEqual(['出生日期不是有效日期（1900–2100 年的真实日期）']);
    expect(f.safeParse('2026/02/01').error?.issues.map((i) => i.message)).toEqual(['出生日期格式应为 YYYY-MM-DD']);
  });
});

describe('mobileField', () => {
  it('stores the canonical 11 digits whatever the typing', () => {
    const f = mobileField();
    for (const typed of [
      '13900001234',
      '139 0000 1234',
      '139-0000-1234',
      '+86 139 0000 1234',
      '+8613900001234',
      '0086 13900001234',
      '(+86)139-0000-1234',
      '１３９００００１２３４',
      '＋８６　１３９ ００００ １２３４',
    ])
      expect(f.parse(typed), typed).toBe('13900001234');
    for (const bad of ['1390000123', '23900001234', '+85213900001234', '86139000012345', '139000012345', '+86'])
      expect(f.safeParse(bad).error?.issues[0]?.message, bad).toBe('手机号应为 11 位大陆手机号');
  });
});
