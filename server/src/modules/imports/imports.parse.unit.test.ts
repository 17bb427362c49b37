// One spreadsheet row → the member input: ID numbers and phones as people type them are stored
// canonical, and a cell with a refused character names its column (issue 9).
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../platform/validators.js';
import { parseRow } from './imports.service.js';
import type { ImportField } from './imports.schema.js';

const withX = (() => {
  for (let i = 0; i < 1000; i++) {
    const b = `32990119850101${String(i).padStart(3, '0')}`;
    if (residentIdCheckChar(b) === 'X') return b;
  }
  throw new Error('no X');
})();
const ID = `${withX}X`;
const fullWidth = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const cells = (values: Partial<Record<ImportField, string>>) => (f: ImportField) => values[f] ?? '';

describe('parseRow', () => {
  it.each([
    [`${withX}x`, '13812345678'],
    [`${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`, '+86 138 1234 5678'],
    [`${ID.slice(0, 6)}-${ID.slice(6, 14)}-${withX.slice(14)}x`, '0086-138-1234-5678'],
    [fullWidth(`${withX}ｘ`), fullWidth('13812345678')],
  ])('stores %s / %s canonical', (idNumber, phone) => {
    const r = parseRow(cells({ name: '𠀀明', idNumber, phone, emergencyContactPhone: phone }), '2026-11-21');
    expect(r).toMatchObject({
      ok: true,
      key: `resident_id:${ID}`,
      person: { idNumber: ID, phone: '13812345678', emergencyContactPhone: '13812345678', name: '𠀀明' },
    });
  });

  it('names the column that holds a refused character; NFC for the rest', () => {
    const bad = parseRow(cells({ name: '张\u200b三', idNumber: ID, phone: '13812345678', employerName: 'a\u202eb' }), '2026-11-21');
    expect(bad).toEqual({ ok: false, reason: expect.stringMatching(/^姓名：包含不允许的字符.*；工作单位：包含不允许的字符/) });
    const ok = parseRow(cells({ name: '张三', idNumber: ID, phone: '13812345678', employerName: 'Cafe\u0301' }), '2026-11-21');
    expect(ok).toMatchObject({ ok: true, employment: { employerName: 'Café' } });
  });
});
