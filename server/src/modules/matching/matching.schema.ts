import { SPREADSHEET_UPLOAD_LIMIT } from '../../platform/spreadsheet.js';
import { z } from 'zod';
import { idField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import { normaliseWidth } from '../../platform/validators.js';

/** How long an uploaded outside list is kept. */
export const LIST_TTL_DAYS = 30;
export const UPLOAD_LIMIT_BYTES = SPREADSHEET_UPLOAD_LIMIT;
export const MAX_LIST_ROWS = 200_000;
/** What an upload may be sent as: the raw file as the request body. */

const idString = idField();

export const uploadQuery = z.strictObject({
  orgId: idField('组织', '请选择名单所属工会'),
  name: z.string({ error: '请填写名单名称' }).trim().min(1, '请填写名单名称').max(50, '名单名称不能超过 50 个字'),
  fileName: z.string().trim().max(200, '文件名不能超过 200 个字').optional(),
});
export type UploadQuery = z.output<typeof uploadQuery>;

export const listQuery = z.strictObject({ orgId: idString.optional(), ...pageQuery });

/** Column headers recognised in an outside list (others are ignored). */
export const COLUMN_ALIASES = {
  name: ['姓名'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '证件号码'],
  phone: ['手机号', '手机号码', '联系电话', '电话'],
  plate: ['车牌号', '车牌号码', '车牌'],
} as const;

/** A name with the surname kept: 张* / 欧** / 阿依古丽·*. */
export function maskName(raw: string | null | undefined): string | null {
  const n = normaliseWidth(raw ?? '')
    .replace(/[•・‧∙]/g, '·')
    .replace(/\s+/g, ' ');
  if (!n) return null;
  if (n.includes('·')) return `${n.split('·')[0]}·*`;
  const chars = [...n];
  if (/^[\u3400-\u9fff]/.test(n)) return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
  return `${chars[0]}***`;
}

/** A plate with the province and city letter and the last two kept: 苏J·***45. */
export function maskPlate(raw: string | null | undefined): string | null {
  const p = normaliseWidth(raw ?? '')
    .toUpperCase()
    .replace(/[\s·.\-•]/g, '');
  if (!p) return null;
  const chars = [...p];
  if (chars.length < 5) return '*'.repeat(chars.length);
  return `${chars.slice(0, 2).join('')}·${'*'.repeat(chars.length - 4)}${chars.slice(-2).join('')}`;
}
