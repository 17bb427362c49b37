// Request bodies of the worker's own H5 (state, 个人信息, phone change, change requests, 注销) and
// the union's review of change requests. Chinese messages name the field.
import { z } from 'zod';
import { mobileField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';

export const CHANGE_FIELDS = { employerName: '工作单位', address: '住址' } as const;
export type ChangeField = keyof typeof CHANGE_FIELDS;

export const CHANGE_STATUSES = { pending: '待工会审核', approved: '已通过', refused: '未通过', withdrawn: '已撤回' } as const;

const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label}应为文字` })
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

export const changeRequestBody = z
  .strictObject({
    employerName: optionalText('工作单位', 100),
    address: optionalText('住址', 200),
  })
  .refine((b) => b.employerName !== undefined || b.address !== undefined, { message: '请填写要变更的工作单位或住址', path: ['employerName'] });

export const phoneCodeBody = z.strictObject({ phone: mobileField('新手机号', '请输入正确的 11 位手机号') });

export const phoneChangeBody = z.strictObject({
  phone: mobileField('新手机号', '请输入正确的 11 位手机号'),
  code: z.string({ error: '请输入验证码' }).regex(/^[0-9]{6}$/, '验证码为 6 位数字'),
});

/** 注销 needs the worker to type the words: a tap alone closes nothing. */
export const CLOSE_CONFIRMATION = '确认注销';
export const closeAccountBody = z.strictObject({
  confirm: z.literal(CLOSE_CONFIRMATION, { error: `请输入“${CLOSE_CONFIRMATION}”以确认` }),
});

export const changeListQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['pending', 'approved', 'refused', 'withdrawn'], { error: '状态无效' }).optional(),
});

export const changeReviewBody = z
  .strictObject({
    decision: z.enum(['approve', 'refuse'], { error: '请选择通过或不通过' }),
    reason: z.string().trim().max(200, '说明不能超过 200 个字').optional(),
    version: versionField(),
  })
  .refine((b) => b.decision === 'approve' || (b.reason && b.reason.length > 0), { message: '不通过时请填写原因', path: ['reason'] });
