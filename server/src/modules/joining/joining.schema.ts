import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import { employmentInput, personInput } from '../members/members.schema.js';

/** The consent a worker gives to processing of sensitive personal information (PIPL art. 29). */
export const JOIN_CONSENT = {
  version: '2026-11-01',
  title: '敏感个人信息处理单独同意书',
  text:
    '为办理入会，工会将收集并处理您的身份证件号码、手机号码等敏感个人信息，用于实名登记会员、核验身份、' +
    '办理会籍转接和为您提供会员服务。上述信息加密存储，仅由您所在工会及上级工会的授权工作人员在履行职责时查看，' +
    '查看完整信息须经授权并留痕，不会向无关第三方提供。您可以撤回同意，但撤回后将无法继续办理入会。',
} as const;

export const JOIN_STATUSES = {
  pending: '待审核',
  awaiting_release: '待原工会转出',
  approved: '已通过',
  rejected: '未通过',
  withdrawn: '已撤回',
} as const;

export const joinSubmitBody = z.strictObject({
  person: personInput,
  employment: employmentInput,
  targetOrgId: idField('工会', '请选择要加入的工会').optional(),
  campaignToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{10,64}$/, '二维码无效')
    .optional(),
  consent: z.strictObject({ agreed: z.literal(true, { error: '请阅读并同意敏感个人信息处理' }), version: z.string() }),
  idempotencyKey: z.string({ error: '缺少幂等键' }).regex(/^[A-Za-z0-9_-]{8,64}$/, '幂等键格式错误'),
  /** 转会: the worker, already a member, asks to move to the target union. */
  transfer: z.boolean({ error: '是否转会应为是或否' }).optional(),
});
export type JoinSubmitInput = z.output<typeof joinSubmitBody>;

export const reviewBody = z.strictObject({
  action: z.enum(['approve', 'reject'], { error: '审核结果无效' }),
  reason: z.string().trim().max(500, '原因不能超过 500 个字').optional(),
  version: versionField(),
  // On approval, what of the applicant's typed identity the roll takes (decision 009); by
  // default nothing of an existing person changes.
  acceptName: z.boolean({ error: '是否采用申请人填写的姓名应为是或否' }).optional(),
  acceptPhone: z.boolean({ error: '是否采用申请人填写的手机号应为是或否' }).optional(),
  linkWorker: z.boolean({ error: '是否关联申请人的账号应为是或否' }).optional(),
});
export type ReviewInput = z.output<typeof reviewBody>;

/** The answer to every submission, whoever the ID number belongs to. */
export const SUBMITTED_MESSAGE = '已提交，等待工会审核';

export const campaignBody = z.strictObject({
  orgId: idField('工会'),
  name: z.string({ error: '请填写活动名称' }).trim().min(2, '活动名称至少 2 个字').max(60, '活动名称不能超过 60 个字'),
  employmentForms: z
    .array(z.enum(['standard', 'truck_driver', 'ride_hailing', 'courier', 'food_delivery', 'other_gig']))
    .max(6)
    .default([]),
  startsOn: dateField('开始日期', '请选择开始日期'),
  endsOn: dateField('结束日期', '请选择结束日期'),
});
