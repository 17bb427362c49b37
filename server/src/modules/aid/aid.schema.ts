import { z } from 'zod';
import { idField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import { AID_FUND_CODES } from './aid.service.js';
import { amountField, nonNegativeAmountField } from '../../platform/money.js';

const idString = (label: string) => idField(label);
export const fundCodeEnum = z.enum(AID_FUND_CODES, { error: '帮扶资金类别无效' });
const yearField = z.coerce.number({ error: '年度应为数字' }).int('年度应为整数').min(2000, '年度无效').max(2100, '年度无效');
const reasonField = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(2, `请填写${label}`)
    .max(200, `${label}不能超过 200 个字`);

export const budgetsQuery = z.strictObject({
  year: yearField.optional(),
  fundCode: fundCodeEnum.optional(),
  orgId: idString('工会').optional(),
  ...pageQuery,
});

export const createBudgetBody = z.strictObject({
  orgId: idString('工会'),
  year: yearField,
  fundCode: fundCodeEnum,
  amount: nonNegativeAmountField('预算金额'),
  reason: reasonField('下达事由'),
});

export const adjustBudgetBody = z.strictObject({
  amount: nonNegativeAmountField('调整后预算'),
  reason: reasonField('调整事由'),
});

export const disbursementsQuery = z.strictObject({
  orgId: idString('工会').optional(),
  year: yearField.optional(),
  fundCode: fundCodeEnum.optional(),
  cause: z.string().trim().min(1).max(30).optional(),
  category: z.string().trim().min(1).max(30).optional(),
  budgetId: idString('预算').optional(),
  hardshipFileId: idString('档案').optional(),
  status: z.enum(['paid', 'reversed'], { error: '状态无效' }).optional(),
  ...pageQuery,
});

export const disburseBody = z.strictObject({
  budgetId: idString('预算'),
  amount: amountField('发放金额'),
  membershipId: idString('会员').optional(),
  hardshipFileId: idString('困难职工档案').optional(),
  cause: z.string().trim().min(1).max(30).optional(),
  note: z.string().trim().max(200, '备注不能超过 200 个字').optional(),
});

export const reverseBody = z.strictObject({ reason: reasonField('冲正事由') });

export const figuresQuery = z.strictObject({ year: yearField.optional() });
