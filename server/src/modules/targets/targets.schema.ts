import { z } from 'zod';
import { idField, versionField } from '../../platform/fields.js';

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, min > 1 ? `${label}至少 ${min} 个字` : `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label}应为文字` })
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`)
    .nullish();

const yearField = z.coerce.number({ error: '年度应为数字' }).int('年度应为整数').min(2020, '年度无效').max(2100, '年度无效');
const codeField = z.string({ error: '请选择指标' }).regex(/^[a-z_]+\.[a-z_]+$/, '指标编码无效');
const comparisonField = z.enum(['gte', 'lte'], { error: '比较方式应为“不低于”或“不高于”' });
const valueField = (label: string) =>
  z
    .number({ error: `请填写${label}` })
    .min(0, `${label}不能为负数`)
    .max(99_999_999_999, `${label}过大`);
const scoreField = (label: string) =>
  z
    .number({ error: `请填写${label}` })
    .min(0, `${label}不能为负数`)
    .max(100, `${label}不能超过 100 分`);

export const yearQuery = z.strictObject({
  year: yearField.optional(),
  orgId: idField('组织').optional(),
});

export const setTargetsBody = z.strictObject({
  year: yearField,
  indicatorCode: codeField,
  comparison: comparisonField,
  note: optionalText('说明', 200),
  /** A county cascading its own target to its towns. */
  parentTargetId: idField('分解的目标').optional(),
  items: z
    .array(z.strictObject({ orgId: idField('下级组织'), value: valueField('目标值') }), { error: '请填写各下级组织的目标值' })
    .min(1, '请至少为一个下级组织填写目标值')
    .max(300, '一次最多下达 300 个组织'),
});

export const updateTargetBody = z.strictObject({
  value: valueField('目标值'),
  comparison: comparisonField.optional(),
  note: optionalText('说明', 200),
  version: versionField(),
});

export const deleteTargetQuery = z.strictObject({ version: z.coerce.number({ error: '缺少版本号' }).int().min(0) });

const schemeItem = z
  .strictObject({
    id: idField('考核项').optional(),
    kind: z.enum(['indicator', 'manual'], { error: '考核项类型应为“指标”或“人工评分”' }),
    name: text('考核项名称', 2, 60),
    indicatorCode: codeField.nullish(),
    rule: z.enum(['linear', 'threshold', 'floor60'], { error: '计分规则无效' }).nullish(),
    weight: z.number({ error: '请填写分值' }).gt(0, '分值应大于 0').max(100, '分值不能超过 100'),
    description: optionalText('评分说明', 300),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'indicator' && !v.indicatorCode) ctx.addIssue({ code: 'custom', path: ['indicatorCode'], message: '指标类考核项请选择指标' });
    if (v.kind === 'indicator' && !v.rule) ctx.addIssue({ code: 'custom', path: ['rule'], message: '指标类考核项请选择计分规则' });
  });

export const saveSchemeBody = z.strictObject({
  year: yearField,
  name: text('方案名称', 2, 60),
  items: z.array(schemeItem, { error: '请填写考核项' }).min(1, '请至少设置一个考核项').max(30, '考核项最多 30 项'),
  version: versionField().optional(),
});

export const claimBody = z.strictObject({
  itemId: idField('考核项'),
  score: scoreField('自评分'),
  evidence: text('佐证说明', 4, 2000),
  version: versionField().optional(),
});

export const reviewBody = z.strictObject({
  action: z.enum(['confirm', 'return'], { error: '审核结果应为“确认”或“退回”' }),
  score: scoreField('确认得分').optional(),
  note: optionalText('审核意见', 500),
  version: versionField(),
});

export const evidenceQuery = z.strictObject({ name: z.string().max(200, '文件名过长').optional() });

export type SetTargetsInput = z.infer<typeof setTargetsBody>;
export type SchemeInput = z.infer<typeof saveSchemeBody>;
