// Service type definitions (form, attachments, steps, aid) and the request bodies of the
// applications API. Labels are the Chinese the console and the H5 show.
import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import { codePointLength } from '../../platform/text.js';
import { PERMISSIONS, type Permission } from '../../platform/permissions.js';
import { invalid } from '../../platform/errors.js';

export const APPLICATION_STATUSES = {
  in_review: '办理中',
  returned: '待补正',
  approved: '已办结',
  rejected: '不予通过',
  withdrawn: '已撤回',
  not_selected: '未中签',
} as const;
export type ApplicationStatusKey = keyof typeof APPLICATION_STATUSES;

export const ACTION_LABELS = {
  submit: '提交申请',
  approve: '审核通过',
  return: '退回补正',
  resubmit: '补正后重新提交',
  reject: '不予通过',
  transfer: '转办',
  withdraw: '撤回申请',
  lottery_win: '中签',
  lottery_lose: '未中签',
  complete: '办结',
} as const;

export const STEP_ACTIONS = { approve: '通过', return: '退回补正', reject: '不予通过', transfer: '转办' } as const;
export type StepAction = keyof typeof STEP_ACTIONS;

export const LEVELS = { grassroots: '基层工会', town: '镇街工会', county: '县级工会', city: '市总工会' } as const;
export type Level = keyof typeof LEVELS;
export const LEVEL_ORDER: Level[] = ['grassroots', 'town', 'county', 'city'];

export const STEP_KINDS = { review: '审核', lottery: '抽签' } as const;
export const APPLICANT_SCOPES = { member: '仅限会员', worker: '所有职工' } as const;
export const FIELD_TYPES = {
  text: '单行文本',
  textarea: '多行文本',
  number: '数字',
  amount: '金额（元）',
  date: '日期',
  select: '下拉选择',
  id_number: '身份证号',
  phone: '手机号',
  file: '附件',
} as const;
export type FieldType = keyof typeof FIELD_TYPES;
export const SERVICE_STATUSES = { active: '启用', disabled: '停用' } as const;
export const CATEGORIES = ['困难帮扶', '法律服务', '权益维护', '心理关爱', '助学', '互助保障', '就业服务'];

const key = z.string({ error: '请填写标识' }).regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, '标识须以字母开头，只含字母、数字、下划线，最长 40 位');
const label = z.string({ error: '请填写名称' }).trim().min(1, '请填写名称').max(40, '名称不能超过 40 个字');
const money = z.string({ error: '请填写金额' }).regex(/^\d{1,12}(\.\d{1,2})?$/, '金额格式应为元，最多两位小数');

export const formField = z.strictObject({
  key,
  label,
  type: z.enum(Object.keys(FIELD_TYPES) as [FieldType, ...FieldType[]], { error: '字段类型无效' }),
  required: z.boolean().default(false),
  options: z.array(z.string().trim().min(1, '选项不能为空').max(40, '选项不能超过 40 个字')).max(50, '选项最多 50 个').optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  maxLength: z.number().int().min(1).max(5000).optional(),
  placeholder: z.string().max(60).optional(),
});
export type FormField = z.output<typeof formField>;

export const attachmentDef = z.strictObject({
  key,
  label,
  required: z.boolean().default(false),
  kinds: z.array(z.enum(['image', 'pdf'], { error: '附件类型只能是图片或 PDF' })).min(1, '请选择允许的附件类型'),
  maxCount: z.number().int().min(1, '附件数量至少 1 个').max(20, '附件数量最多 20 个').default(5),
});
export type AttachmentDef = z.output<typeof attachmentDef>;

const permissionKeys = Object.keys(PERMISSIONS) as [Permission, ...Permission[]];
export const stepDef = z.strictObject({
  key,
  name: label,
  kind: z.enum(['review', 'lottery']).default('review'),
  level: z.enum(LEVEL_ORDER as [Level, ...Level[]], { error: '办理层级无效' }),
  permission: z.enum(permissionKeys, { error: '权限无效' }).default('application:handle'),
  slaDays: z.number({ error: '请填写办理时限' }).int().min(1, '办理时限至少 1 个工作日').max(60, '办理时限最多 60 个工作日'),
  actions: z.array(z.enum(['approve', 'return', 'reject', 'transfer'], { error: '操作无效' })).default([]),
  places: z.number().int().min(1, '名额至少 1 个').max(100000).optional(),
});
export type StepDef = z.output<typeof stepDef>;

export const aidConfig = z.strictObject({
  fundCode: z.string().trim().min(1).max(40).optional(),
  fundField: key.optional(),
  amountField: key,
  payLevel: z.enum(LEVEL_ORDER as [Level, ...Level[]], { error: '付款层级无效' }),
  maxAmount: money,
});
export type AidConfig = z.output<typeof aidConfig>;

export interface ServiceDefinition {
  form: FormField[];
  attachments: AttachmentDef[];
  steps: StepDef[];
  aid: AidConfig | null;
}

const definitionShape = {
  form: z.array(formField).max(40, '表单字段最多 40 个'),
  attachments: z.array(attachmentDef).max(20, '附件要求最多 20 项'),
  steps: z.array(stepDef).max(10, '办理环节最多 10 个'),
  aid: aidConfig.nullable().optional(),
};

export const serviceTypeBody = z.strictObject({
  code: z.string({ error: '请填写事项编码' }).regex(/^[a-z][a-z0-9_]{1,39}$/, '事项编码须以小写字母开头，只含小写字母、数字、下划线，2-40 位'),
  name: z.string({ error: '请填写事项名称' }).trim().min(2, '事项名称至少 2 个字').max(40, '事项名称不能超过 40 个字'),
  category: z.string({ error: '请填写分类' }).trim().min(1, '请填写分类').max(20, '分类不能超过 20 个字'),
  description: z.string().trim().max(2000, '说明不能超过 2000 个字').default(''),
  applicantScope: z.enum(['member', 'worker'], { error: '申请对象无效' }),
  orgId: idField('工会').optional(),
  ...definitionShape,
});
export type ServiceTypeInput = z.output<typeof serviceTypeBody>;

export const serviceTypePatch = z.strictObject({
  version: versionField(),
  name: serviceTypeBody.shape.name.optional(),
  category: serviceTypeBody.shape.category.optional(),
  description: z.string().trim().max(2000, '说明不能超过 2000 个字').optional(),
  applicantScope: serviceTypeBody.shape.applicantScope.optional(),
  form: definitionShape.form.optional(),
  attachments: definitionShape.attachments.optional(),
  steps: definitionShape.steps.optional(),
  aid: aidConfig.nullable().optional(),
});
export type ServiceTypePatch = z.output<typeof serviceTypePatch>;

export const versionBody = z.strictObject({ version: versionField() });

/** The checks zod cannot express: unique keys, step order, field references. Throws 400 with Chinese messages. */
export function validateDefinition(d: ServiceDefinition): void {
  const f: Record<string, string> = {};
  const dupes = (items: { key: string }[], prefix: string, what: string) => {
    const seen = new Set<string>();
    items.forEach((it, i) => {
      if (seen.has(it.key)) f[`${prefix}.${i}.key`] = `${what}标识“${it.key}”重复`;
      seen.add(it.key);
    });
  };
  dupes(d.form, 'form', '字段');
  dupes(d.attachments, 'attachments', '附件');
  dupes(d.steps, 'steps', '环节');
  d.form.forEach((x, i) => {
    if (x.type === 'select') {
      if (!x.options?.length) f[`form.${i}.options`] = `“${x.label}”是下拉选择，请填写选项`;
      else if (new Set(x.options).size !== x.options.length) f[`form.${i}.options`] = `“${x.label}”的选项有重复`;
    } else if (x.options?.length) f[`form.${i}.options`] = `只有下拉选择字段才能设置选项`;
    if ((x.min !== undefined || x.max !== undefined) && x.type !== 'number' && x.type !== 'amount')
      f[`form.${i}.min`] = `只有数字或金额字段才能设置最小值、最大值`;
    if (x.min !== undefined && x.max !== undefined && x.min > x.max) f[`form.${i}.max`] = `“${x.label}”的最大值不能小于最小值`;
    if (x.maxLength !== undefined && x.type !== 'text' && x.type !== 'textarea') f[`form.${i}.maxLength`] = `只有文本字段才能设置最大长度`;
  });
  if (d.steps.length === 0) f.steps = '至少需要一个办理环节';
  d.steps.forEach((s, i) => {
    const prev = d.steps[i - 1];
    if (prev && LEVEL_ORDER.indexOf(s.level) < LEVEL_ORDER.indexOf(prev.level))
      f[`steps.${i}.level`] = `办理层级须自下而上：“${s.name}”（${LEVELS[s.level]}）不能在“${prev.name}”（${LEVELS[prev.level]}）之后`;
    if (s.kind === 'review') {
      if (!s.actions.includes('approve')) f[`steps.${i}.actions`] = `审核环节“${s.name}”须允许“通过”`;
      if (s.places !== undefined) f[`steps.${i}.places`] = '只有抽签环节才能设置名额';
    } else {
      if (!s.places) f[`steps.${i}.places`] = `抽签环节“${s.name}”须设置名额`;
      if (s.actions.some((a) => a === 'approve' || a === 'transfer')) f[`steps.${i}.actions`] = '抽签环节由抽签决定去留，只能设置“退回补正”“不予通过”';
    }
    if (new Set(s.actions).size !== s.actions.length) f[`steps.${i}.actions`] = `环节“${s.name}”的操作有重复`;
  });
  if (d.aid) {
    const a = d.aid;
    if (!!a.fundCode === !!a.fundField) f['aid.fundCode'] = '资金来源须二选一：固定资金编码，或取自一个下拉字段';
    if (a.fundField) {
      const ff = d.form.find((x) => x.key === a.fundField);
      if (!ff || ff.type !== 'select') f['aid.fundField'] = '资金来源字段须是表单中的下拉选择字段';
    }
    const af = d.form.find((x) => x.key === a.amountField);
    if (!af || af.type !== 'amount') f['aid.amountField'] = '申请金额字段须是表单中的金额字段';
    else if (!af.required) f['aid.amountField'] = '申请金额字段须为必填';
    if (!(Number(a.maxAmount) > 0)) f['aid.maxAmount'] = '最高金额须大于 0';
    const last = d.steps[d.steps.length - 1];
    if (last && last.kind === 'lottery') f['aid.payLevel'] = '发放资金的事项，最后一个环节须是审核环节';
  }
  if (Object.keys(f).length) throw invalid(f, `服务事项定义有误：${Object.values(f).join('；')}`);
}

// ---- applications ----

const idString = idField();
const fieldValue = z.union([z.string().max(5000, '内容不能超过 5000 个字'), z.number()]);
const attachmentMap = z.record(key, z.array(idString).max(20, '附件最多 20 个'));

export const submitBody = z.strictObject({
  serviceTypeId: idString,
  orgId: idString.optional(),
  applicantName: z
    .string()
    .trim()
    .refine((v) => codePointLength(v) >= 2, '请填写姓名')
    .refine((v) => codePointLength(v) <= 30, '姓名不能超过 30 个字')
    .optional(),
  values: z.record(key, fieldValue).default({}),
  attachments: attachmentMap.default({}),
  idempotencyKey: z.string({ error: '缺少幂等键' }).regex(/^[A-Za-z0-9_-]{8,64}$/, '幂等键格式错误'),
});
export type SubmitInput = z.output<typeof submitBody>;

export const staffSubmitBody = z.strictObject({
  serviceTypeId: idString,
  membershipId: idString,
  values: z.record(key, fieldValue).default({}),
  attachments: attachmentMap.default({}),
  idempotencyKey: z.string({ error: '缺少幂等键' }).regex(/^[A-Za-z0-9_-]{8,64}$/, '幂等键格式错误'),
});
export type StaffSubmitInput = z.output<typeof staffSubmitBody>;

export const resubmitBody = z.strictObject({
  version: versionField(),
  values: z.record(key, fieldValue).optional(),
  attachments: attachmentMap.optional(),
  comment: z.string({ error: '请说明补正了什么' }).trim().min(1, '请说明补正了什么').max(500, '说明不能超过 500 个字'),
});
export type ResubmitInput = z.output<typeof resubmitBody>;

export const actionBody = z.strictObject({
  action: z.enum(['approve', 'return', 'reject', 'transfer'], { error: '操作无效' }),
  version: versionField(),
  comment: z.string().trim().max(500, '意见不能超过 500 个字').optional(),
  amount: money.optional(),
  toOrgId: idString.optional(),
});
export type ActionInput = z.output<typeof actionBody>;

const dateString = dateField();
const bool = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const listQuery = {
  serviceTypeId: idString.optional(),
  status: z.enum(Object.keys(APPLICATION_STATUSES) as [ApplicationStatusKey, ...ApplicationStatusKey[]], { error: '状态无效' }).optional(),
  orgId: idString.optional(),
  handlingOrgId: idString.optional(),
  stepKey: key.optional(),
  from: dateString.optional(),
  to: dateString.optional(),
  overdue: bool,
  q: z.string().trim().min(1).max(30).optional(),
};
export type ListFilters = {
  serviceTypeId?: string;
  status?: ApplicationStatusKey;
  orgId?: string;
  handlingOrgId?: string;
  stepKey?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
  q?: string;
};

/** 待我处理: `own` (default) — handled by the caller's own union; `subtree` — anywhere below it too. */
export const queueQuery = {
  serviceTypeId: idString.optional(),
  scope: z.enum(['own', 'subtree'], { error: '范围无效' }).default('own'),
};

export const batchApproveBody = z.strictObject({
  items: z
    .array(z.strictObject({ id: idString, version: versionField() }), { error: '请选择要批量通过的申请' })
    .min(1, '请选择要批量通过的申请')
    .max(50, '一次最多批量通过 50 件'),
  comment: z.string().trim().max(500, '意见不能超过 500 个字').optional(),
});

export const lotteryBody = z.strictObject({
  serviceTypeId: idString,
  stepKey: key,
  orgId: idString,
  seed: z
    .string()
    .regex(/^[0-9a-f]{16,64}$/, '种子须为 16-64 位十六进制')
    .optional(),
});
