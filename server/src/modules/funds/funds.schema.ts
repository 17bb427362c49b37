// 工会经费 request schemas (zod, Chinese messages; unknown fields refused). Amounts are yuan strings
// with ≤ 2 decimals (platform/money.ts), turned into fen by the service.
import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import { amountField, nonNegativeAmountField } from '../../platform/money.js';
import { pageQuery } from '../../platform/pagination.js';

const text = (label: string, max: number) =>
  z.string({ error: `请填写${label}` }).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 个字`);
export const periodField = (label = '所属期') =>
  z.string({ error: `请填写${label}` }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, `${label}格式应为 YYYY-MM`);
const yearField = z.coerce.number({ error: '年度应为数字' }).int('年度应为整数').min(2000, '年度超出范围').max(2100, '年度超出范围');
const percent = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .regex(/^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$/, `${label}应为 0–100 之间、最多两位小数的百分数`);

export const FUNDS_CATEGORIES = ['activities', 'rights', 'aid', 'business', 'admin', 'capital', 'other'] as const;
export const CATEGORY_LABELS: Record<(typeof FUNDS_CATEGORIES)[number], string> = {
  activities: '职工活动',
  rights: '维权',
  aid: '帮扶',
  business: '业务',
  admin: '行政',
  capital: '资本性',
  other: '其他',
};
export const CHANNEL_LABELS = { tax: '税务代收', bank: '银行', refund: '返还' } as const;
const category = z.enum(FUNDS_CATEGORIES, { error: '支出类别无效' });

export const rateBody = z.strictObject({
  orgId: idField('适用地区（工会）'),
  ratePercent: percent('拨缴比例').refine((v) => Number(v) > 0 && Number(v) <= 10, '拨缴比例应在 0–10% 之间'),
  effectiveFrom: dateField('生效日期'),
  note: z.string().trim().max(200, '说明最多 200 个字').default(''),
});

export const ratiosBody = z
  .strictObject({
    orgId: idField('适用地区（工会）'),
    year: yearField,
    grassroots: percent('基层工会留成'),
    town: percent('镇街工会分成'),
    county: percent('县级工会分成'),
    city: percent('市总工会分成'),
  })
  .refine((b) => Math.round((Number(b.grassroots) + Number(b.town) + Number(b.county) + Number(b.city)) * 100) === 10000, {
    message: '各级分成比例之和应为 100%',
    path: ['grassroots'],
  });

export const receivableBody = z.strictObject({
  enterpriseId: idField('企业'),
  period: periodField(),
  payroll: nonNegativeAmountField('计缴工资总额'),
});
export const reductionBody = z.strictObject({
  version: versionField(),
  amount: nonNegativeAmountField('减免金额'),
  reason: text('减免原因', 200),
  approvedBy: text('批准文件或批准人', 100),
});
export const receivablesQuery = z.strictObject({
  orgId: idField('工会').optional(),
  period: periodField().optional(),
  year: yearField.optional(),
  arrears: z.enum(['1']).optional(),
  q: z.string().trim().min(1).max(50).optional(),
  ...pageQuery,
});

export const receiptBody = z.strictObject({
  enterpriseId: idField('企业'),
  period: periodField(),
  amount: amountField('到账金额'),
  receivedOn: dateField('到账日期'),
  channel: z.enum(['bank', 'refund'], { error: '渠道应为 银行 或 返还（税务代收请导入对账单）' }),
  sourceRef: z.string().trim().min(1).max(60, '流水号最多 60 个字').optional(),
});
export const receiptsQuery = z.strictObject({
  orgId: idField('工会').optional(),
  year: yearField.optional(),
  channel: z.enum(['tax', 'bank', 'refund'], { error: '渠道无效' }).optional(),
  ...pageQuery,
});

export const importQuery = z.strictObject({
  orgId: idField('工会').optional(),
  fileName: z.string().trim().min(1, '缺少文件名').max(200),
});
export const jobsQuery = z.strictObject({ ...pageQuery });

export const ledgerQuery = z.strictObject({ orgId: idField('工会').optional(), year: yearField });

export const allocationBody = z.strictObject({
  fromOrgId: idField('拨出工会').optional(),
  toOrgId: idField('拨入工会'),
  amount: amountField('下拨金额'),
  allocatedOn: dateField('下拨日期'),
  purpose: text('用途', 200),
});
export const allocationsQuery = z.strictObject({ orgId: idField('工会').optional(), year: yearField.optional(), ...pageQuery });

export const budgetBody = z.strictObject({
  orgId: idField('工会').optional(),
  year: yearField,
  category,
  amount: nonNegativeAmountField('预算金额'),
  note: z.string().trim().max(200, '说明最多 200 个字').default(''),
});
export const budgetQuery = z.strictObject({ orgId: idField('工会').optional(), year: yearField });

export const spendingBody = z.strictObject({
  orgId: idField('工会').optional(),
  category,
  amount: amountField('支出金额'),
  spentOn: dateField('支出日期'),
  payee: text('收款单位或个人', 100),
  purpose: text('用途', 200),
  activityId: idField('活动').optional(),
});
export const spendingQuery = z.strictObject({
  orgId: idField('工会').optional(),
  year: yearField.optional(),
  category: category.optional(),
  activityId: idField('活动').optional(),
  ...pageQuery,
});
export const voucherQuery = z.strictObject({ fileName: z.string().trim().min(1).max(200).optional() });
export const voucherParams = z.strictObject({ id: idField(), voucherId: idField() });

export type RateInput = z.output<typeof rateBody>;
export type RatiosInput = z.output<typeof ratiosBody>;
export type ReceivableInput = z.output<typeof receivableBody>;
export type ReceivablesQuery = z.output<typeof receivablesQuery>;
export type ReceiptInput = z.output<typeof receiptBody>;
export type ReceiptsQuery = z.output<typeof receiptsQuery>;
export type AllocationInput = z.output<typeof allocationBody>;
export type BudgetInput = z.output<typeof budgetBody>;
export type SpendingInput = z.output<typeof spendingBody>;
export type SpendingQuery = z.output<typeof spendingQuery>;

// ---- 会费 (decision 034) ----
export const duesQuery = z.strictObject({
  orgId: idField('工会').optional(),
  period: periodField('所属月份').optional(),
  status: z.enum(['paid', 'unpaid', 'exempt'], { error: '状态应为 已缴、未缴 或 免缴' }).optional(),
  q: z.string().trim().min(1).max(50).optional(),
  ...pageQuery,
});
export const duesSettingsBody = z.strictObject({
  orgId: idField('工会').optional(),
  enabled: z.boolean({ error: '请选择是否收缴会费' }),
  ratePercent: percent('会费比例').refine((v) => Number(v) > 0 && Number(v) <= 10, '会费比例应在 0–10% 之间'),
  version: z.number({ error: '版本号应为整数' }).int().min(0).optional(),
});
export const duesRecordBody = z.strictObject({
  orgId: idField('工会').optional(),
  period: periodField('所属月份'),
  paidOn: dateField('缴纳日期'),
  items: z
    .array(
      z.strictObject({
        membershipId: idField('会员'),
        wage: nonNegativeAmountField('月工资'),
        amount: amountField('会费金额').optional(),
      }),
      { error: '请填写缴费会员' },
    )
    .min(1, '请至少登记一名会员')
    .max(500, '一次最多登记 500 名会员'),
});
export const duesExemptionBody = z.strictObject({
  orgId: idField('工会').optional(),
  membershipId: idField('会员'),
  reason: text('免缴原因', 200),
});
export type DuesQuery = z.output<typeof duesQuery>;
export type DuesSettingsInput = z.output<typeof duesSettingsBody>;
export type DuesRecordInput = z.output<typeof duesRecordBody>;
export type DuesExemptionInput = z.output<typeof duesExemptionBody>;
