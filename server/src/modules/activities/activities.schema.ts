import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import { EMPLOYMENT_FORMS, employmentFormEnum } from '../members/members.schema.js';
import { ACTIVITY_TYPE_LABELS, ACTIVITY_TYPES } from './activities.plugins.js';
import { batchEligibilitySchema, MAX_FAMILY_PER_PERSON } from './activities.eligibility.js';

export const ACTIVITY_STATUSES = { draft: '草稿', published: '已发布', closed: '已结束', cancelled: '已取消' } as const;
export const ENROLLMENT_MODES = { fcfs: '先到先得', lottery: '报名抽签', approval: '报名审核' } as const;
export const ENROLLMENT_STATUSES = {
  pending: '待审核',
  enrolled: '报名成功',
  waitlisted: '候补中',
  attended: '已参加',
  no_show: '未到场',
  cancelled: '已取消',
  rejected: '未通过',
} as const;
export const PLACE_POOLS = { general: '普通名额', priority: '优先名额', family: '家属名额' } as const;
export const ENROLL_STATES = { not_open: '报名未开始', open: '报名中', closed: '报名已截止', drawn: '已抽签', ended: '活动已结束' } as const;

export const dictionary = () => {
  const list = (o: Record<string, string>) => Object.entries(o).map(([value, label]) => ({ value, label }));
  return {
    types: list(ACTIVITY_TYPE_LABELS),
    statuses: list(ACTIVITY_STATUSES),
    modes: list(ENROLLMENT_MODES),
    enrollmentStatuses: list(ENROLLMENT_STATUSES),
    pools: list(PLACE_POOLS),
    enrollStates: list(ENROLL_STATES),
    employmentForms: list(EMPLOYMENT_FORMS),
  };
};

const idString = (label: string) => idField(label);
const day = (label: string) => dateField(label, `请选择${label}`);
const instant = (label: string) => z.iso.datetime({ offset: true, error: `${label}应为 ISO 8601 时间` }).transform((s) => new Date(s));
const money = (label: string) =>
  z
    .union([z.string(), z.number()], { error: `${label}应为金额` })
    .transform((v) => String(v).trim())
    .refine((v) => /^\d{1,12}(\.\d{1,2})?$/.test(v), `${label}应为不超过两位小数的非负金额（元）`)
    .transform((v) => Number.parseFloat(v).toFixed(2));
/** A per-person share in yuan, at most 1,000,000 (stored in fen). */
const share = (label: string) => money(label).refine((v) => Number.parseFloat(v) <= 1_000_000, `${label}每人不能超过 1000000 元`);
const places = (label: string) =>
  z
    .number({ error: `${label}应为整数` })
    .int(`${label}应为整数`)
    .min(0, `${label}不能为负数`)
    .max(100_000, `${label}不能超过 100000`);

export const activityTypeEnum = z.enum(ACTIVITY_TYPES, { error: '活动类型无效' });
export const modeEnum = z.enum(['fcfs', 'lottery', 'approval'], { error: '报名方式无效' });

export const eligibilitySchema = z.strictObject({
  employmentForms: z.array(employmentFormEnum).max(6).optional(),
  modelWorkerOnly: z.boolean().optional(),
  newEmploymentOnly: z.boolean().optional(),
  migrantWorkerOnly: z.boolean().optional(),
});
export type Eligibility = z.output<typeof eligibilitySchema>;

export const batchInput = z.strictObject({
  id: idString('批次').optional(),
  title: z.string({ error: '请填写批次名称' }).trim().min(1, '请填写批次名称').max(60, '批次名称不能超过 60 个字'),
  location: z.string().trim().max(100, '地点不能超过 100 个字').nullish(),
  startsOn: day('批次开始日期').nullish(),
  endsOn: day('批次结束日期').nullish(),
  placesGeneral: places('名额'),
  placesPriority: places('优先名额').default(0),
  placesFamily: places('家属名额').default(0),
  /** Family members one enrollment may bring (0–4); omitted on an existing batch = unchanged. */
  familyPerPerson: z
    .number({ error: '每人可带家属应为整数' })
    .int('每人可带家属应为整数')
    .min(0, '每人可带家属不能为负数')
    .max(MAX_FAMILY_PER_PERSON, `每人至多带 ${MAX_FAMILY_PER_PERSON} 名家属`)
    .optional(),
  /** Who may enroll in this batch; omitted on an existing batch = unchanged. */
  eligibility: batchEligibilitySchema.optional(),
});
export type BatchInputDto = z.output<typeof batchInput>;

const activityFields = {
  type: activityTypeEnum,
  title: z.string({ error: '请填写活动名称' }).trim().min(2, '活动名称至少 2 个字').max(60, '活动名称不能超过 60 个字'),
  description: z.string().trim().max(5000, '活动介绍不能超过 5000 个字').default(''),
  locations: z.array(z.string().trim().min(1).max(100, '地点不能超过 100 个字')).max(20, '地点最多 20 个').default([]),
  startsOn: day('开始日期').nullish(),
  endsOn: day('结束日期').nullish(),
  /** The total per person; with the shares given it must be their sum, alone it is all paid by the union. */
  costPerPerson: money('人均费用').optional(),
  unionShare: share('工会承担').optional(),
  personalShare: share('个人自付').optional(),
  budget: money('预算').default('0.00'),
  eligibility: eligibilitySchema.default({}),
  enrollmentMode: modeEnum,
  opensAt: instant('报名开始时间').nullish(),
  closesAt: instant('报名截止时间').nullish(),
  cancelDeadline: instant('取消截止时间').nullish(),
  contactName: z.string().trim().max(30, '联系人不能超过 30 个字').nullish(),
  contactPhone: z.string().trim().max(30, '联系电话不能超过 30 个字').nullish(),
  settings: z.record(z.string(), z.unknown()).default({}),
  batches: z.array(batchInput, { error: '请至少设置一个批次' }).min(1, '请至少设置一个批次').max(200, '批次最多 200 个'),
};

export const createActivityBody = z.strictObject({ orgId: idString('工会').optional(), ...activityFields });
export type CreateActivityInput = z.output<typeof createActivityBody>;

export const updateActivityBody = z.strictObject({
  version: versionField(),
  ...Object.fromEntries(Object.entries(activityFields).map(([k, v]) => [k, (v as z.ZodType).optional()])),
}) as unknown as z.ZodType<{ version: number } & Partial<Omit<CreateActivityInput, 'orgId'>>>;
export type UpdateActivityInput = { version: number } & Partial<Omit<CreateActivityInput, 'orgId'>>;

export const versionBody = z.strictObject({ version: versionField() });
export const cancelActivityBody = z.strictObject({
  version: versionField(),
  reason: z.string({ error: '请填写取消原因' }).trim().min(2, '取消原因至少 2 个字').max(500, '取消原因不能超过 500 个字'),
});
export const drawBody = z.strictObject({
  seed: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/, '种子应为 8–128 位字母、数字、下划线或连字符')
    .optional(),
});

export const listActivitiesQuery = z.strictObject({
  type: activityTypeEnum.optional(),
  status: z.enum(['draft', 'published', 'closed', 'cancelled'], { error: '活动状态无效' }).optional(),
  mode: modeEnum.optional(),
  orgId: idString('工会').optional(),
  q: z.string().trim().max(30, '关键词不能超过 30 个字').optional(),
  from: day('开始日期').optional(),
  to: day('结束日期').optional(),
  ...pageQuery,
});

export const workerListQuery = z.strictObject({ type: activityTypeEnum.optional(), ...pageQuery });

const statusList = z
  .string()
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(z.enum(Object.keys(ENROLLMENT_STATUSES) as [keyof typeof ENROLLMENT_STATUSES], { error: '报名状态无效' })));

export const enrollmentsQuery = z.strictObject({
  batchId: idString('批次').optional(),
  status: statusList.optional(),
  q: z.string().trim().max(30, '关键词不能超过 30 个字').optional(),
  orgId: idString('工会').optional(),
  ...pageQuery,
});

export const rosterQuery = z.strictObject({ batchId: idString('批次').optional(), status: statusList.optional() });

export const enrollBody = z.strictObject({
  batchId: idString('批次').optional(),
  details: z.record(z.string(), z.unknown()).default({}),
});

export const reviewBody = z.strictObject({
  action: z.enum(['approve', 'reject'], { error: '审核结果无效' }),
  reason: z.string().trim().max(500, '原因不能超过 500 个字').optional(),
});

export const attendanceBody = z.strictObject({ result: z.enum(['attended', 'no_show'], { error: '到场结果无效' }) });

export const figuresQuery = z.strictObject({ type: activityTypeEnum.optional(), from: day('开始日期').optional(), to: day('结束日期').optional() });
