import { z } from 'zod';
import { dateField, idField, mobileField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import { amountField, nonNegativeAmountField } from '../../platform/money.js';
import { BENEFIT_CODES, HONOUR_KIND_CODES, MODEL_STATUS_CODES } from './models.constants.js';

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label}应为文字` })
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`)
    .nullish();

export const honourKindEnum = z.enum(HONOUR_KIND_CODES, { error: '荣誉类别无效' });
export const statusEnum = z.enum(MODEL_STATUS_CODES, { error: '状态应为 在岗、退休 或 去世' });
export const benefitEnum = z.enum(BENEFIT_CODES, { error: '待遇项目无效' });
const yearField = (label = '年度') => z.coerce.number({ error: `${label}应为年份` }).int(`${label}应为年份`).min(1950, `${label}无效`).max(2100, `${label}无效`);

export const honourBody = z.strictObject({
  kind: honourKindEnum,
  year: yearField('授予年份'),
  awardingBody: text('授予单位', 2, 60),
  certificateNo: optionalText('证书编号', 40),
});

export const createPersonBody = z.strictObject({
  orgId: idField('联系工会'),
  name: text('姓名', 2, 30),
  sex: z.enum(['M', 'F'], { error: '性别应为 男 或 女' }).nullish(),
  idNumber: z.string({ error: '身份证号应为文字' }).trim().max(30, '身份证号过长').nullish(),
  phone: mobileField().nullish(),
  employer: optionalText('工作单位', 100),
  jobTitle: optionalText('职务/岗位', 40),
  status: statusEnum.default('active'),
  note: optionalText('备注', 500),
  honours: z.array(honourBody, { error: '荣誉应为列表' }).min(1, '请至少填写一项荣誉').max(20, '荣誉最多 20 项'),
});
export type CreatePersonInput = z.infer<typeof createPersonBody>;

export const updatePersonBody = z.strictObject({
  orgId: idField('联系工会').optional(),
  phone: mobileField().nullish(),
  employer: optionalText('工作单位', 100),
  jobTitle: optionalText('职务/岗位', 40),
  status: statusEnum.optional(),
  note: optionalText('备注', 500),
  version: versionField(),
});
export type UpdatePersonInput = z.infer<typeof updatePersonBody>;

export const listQuery = z.strictObject({
  q: z.string().trim().max(30, '搜索词过长').optional(),
  kind: honourKindEnum.optional(),
  status: statusEnum.optional(),
  orgId: idField('工会').optional(),
  onRoll: z.enum(['yes', 'no'], { error: '是否在册应为 yes 或 no' }).optional(),
  ...pageQuery,
});
export type ListQuery = z.infer<typeof listQuery>;

export const personYearQuery = z.strictObject({ year: yearField().optional() });
export const honourParams = z.strictObject({ id: idField(), honourId: idField() });

export const grantBody = z.strictObject({
  benefit: benefitEnum,
  year: yearField(),
  grantedOn: dateField('发放日期'),
  // Positive when given; at most the city's standard (checked in the service, which knows the standard).
  amount: amountField('金额').nullish(),
  note: optionalText('说明', 200),
});
export type GrantInput = z.infer<typeof grantBody>;

export const ruleBody = z.strictObject({
  amount: nonNegativeAmountField('标准金额').nullish(),
  note: optionalText('说明', 200),
  active: z.boolean({ error: '是否启用应为是或否' }).optional(),
  version: versionField(),
});
export const ruleCreateBody = z.strictObject({
  honourKind: honourKindEnum,
  benefit: benefitEnum,
  amount: nonNegativeAmountField('标准金额').nullish(),
  note: optionalText('说明', 200),
});
