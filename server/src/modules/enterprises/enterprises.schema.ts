import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import { isDivisionCode, isValidCreditCode, normaliseWidth } from '../../platform/validators.js';
import type { EnterpriseSize, OfficerRole, Ownership } from '../../db/schema-enterprises.js';
import { CONGRESS_KINDS, INDUSTRIES, OFFICER_ROLES, OWNERSHIPS, SIZES } from './enterprises.constants.js';

const text = (label: string, max = 200) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
const optText = (label: string, max = 200) =>
  z
    .string()
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`)
    .nullish()
    .transform((v) => (v ? v : null));
const count = (label: string) =>
  z
    .number({ error: `${label}应为整数` })
    .int(`${label}应为整数`)
    .min(0, `${label}不能为负数`)
    .max(10_000_000, `${label}超出范围`);
const version = versionField('缺少版本号，请刷新后重试');

export const creditCodeField = z
  .string({ error: '请填写统一社会信用代码' })
  .transform((v) => normaliseWidth(v).trim().toUpperCase())
  .refine((v) => isValidCreditCode(v), '统一社会信用代码无效（应为 18 位且校验位正确，GB 32100）');

const ownershipEnum = z.enum(Object.keys(OWNERSHIPS) as [Ownership, ...Ownership[]], { error: '请选择所有制类型' });
const industryEnum = z.enum(Object.keys(INDUSTRIES) as [string, ...string[]], { error: '请选择行业门类（GB/T 4754）' });
const sizeEnum = z.enum(Object.keys(SIZES) as [EnterpriseSize, ...EnterpriseSize[]], { error: '请选择企业规模' });

const enterpriseFields = {
  name: text('企业名称', 100),
  ownership: ownershipEnum,
  industry: industryEnum,
  size: sizeEnum,
  employees: count('职工人数'),
  women: count('女职工人数'),
  migrantWorkers: count('农民工人数'),
  address: optText('地址', 200),
  divisionCode: z
    .string()
    .nullish()
    .transform((v) => (v ? normaliseWidth(v) : null))
    .refine((v) => v === null || isDivisionCode(v), '行政区划代码应为 6、9 或 12 位数字'),
  isPlatform: z.boolean().default(false),
};

const headcountCheck = (v: any, ctx: z.RefinementCtx) => {
  if (v.employees !== undefined && v.women !== undefined && v.women > v.employees)
    ctx.addIssue({ code: 'custom', path: ['women'], message: '女职工人数不能多于职工人数' });
  if (v.employees !== undefined && v.migrantWorkers !== undefined && v.migrantWorkers > v.employees)
    ctx.addIssue({ code: 'custom', path: ['migrantWorkers'], message: '农民工人数不能多于职工人数' });
};

export const createEnterpriseBody = z
  .strictObject({ orgId: idField('所属工会'), creditCode: creditCodeField, ...enterpriseFields, unionOrgId: idField('覆盖工会').nullish() })
  .superRefine(headcountCheck);
export type CreateEnterpriseInput = z.infer<typeof createEnterpriseBody>;

export const updateEnterpriseBody = z
  .strictObject({
    version,
    ...Object.fromEntries(Object.entries(enterpriseFields).map(([k, f]) => [k, (f as z.ZodTypeAny).optional()])),
    unionOrgId: idField('覆盖工会').nullish(),
  })
  .superRefine(headcountCheck) as unknown as z.ZodType<
  { version: number; unionOrgId?: string | null } & Partial<{
    name: string;
    ownership: Ownership;
    industry: string;
    size: EnterpriseSize;
    employees: number;
    women: number;
    migrantWorkers: number;
    address: string | null;
    divisionCode: string | null;
    isPlatform: boolean;
  }>
>;
export type UpdateEnterpriseInput = z.infer<typeof updateEnterpriseBody>;

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
export const enterprisesQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(50).optional(),
  orgId: idField('组织').optional(),
  ownership: ownershipEnum.optional(),
  industry: industryEnum.optional(),
  /** 未建会 list: ≥ 25 employees and no covering union. */
  unionless: bool.optional(),
  /** Drill-down from a coverage figure. */
  figure: z
    .enum(['eligible', 'unionised', 'eligible_unionised', 'nonpublic_new', 'members_base', 'congress_due', 'congress_ok', 'disclosure_ok', 'platform'], {
      error: '统计口径无效',
    })
    .optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  isPlatform: bool.optional(),
});
export type EnterprisesQuery = z.infer<typeof enterprisesQuery>;

export const importQuery = z.strictObject({
  orgId: idField('所属工会').optional(),
  fileName: z.string().trim().min(1, '缺少文件名').max(200, '文件名过长'),
});
export const jobsQuery = z.strictObject({ ...pageQuery });

// ---- 建会 ----
export const startFoundingBody = z.strictObject({
  parentOrgId: idField('上级工会'),
  organiser: text('筹备负责人', 50),
  startedOn: dateField('筹备开始日期'),
});
const roleEnum = z.enum(Object.keys(OFFICER_ROLES) as [OfficerRole, ...OfficerRole[]], { error: '职务无效' });
export const electionBody = z.strictObject({
  version,
  meetingKind: z.enum(['会员大会', '会员代表大会'], { error: '请选择会员大会或会员代表大会' }),
  electedOn: dateField('选举日期'),
  termYears: z.number({ error: '请填写任期' }).int().min(3, '任期为 3 至 5 年').max(5, '任期为 3 至 5 年'),
  officers: z
    .array(z.strictObject({ name: text('姓名', 30), role: roleEnum }), { error: '请填写当选人员' })
    .min(1, '请填写当选人员')
    .max(60),
});
export const approvalBody = z.strictObject({
  version,
  approvalNo: text('批复文号', 60),
  approvedOn: dateField('批复日期'),
  unionName: z.string().trim().min(2, '工会名称至少 2 个字').max(100).optional(),
});
export const legalBody = z.strictObject({
  version,
  certificateNo: text('法人资格证书编号', 60),
  registeredOn: dateField('登记日期'),
});
export const foundingsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['preparing', 'elected', 'established', 'registered', 'cancelled'], { error: '状态无效' }).optional(),
  overdue: bool.optional(),
});

// ---- 职代会 / 厂务公开 ----
export const congressBody = z
  .strictObject({
    heldOn: dateField('召开日期'),
    kind: z.enum(Object.keys(CONGRESS_KINDS) as ['congress', 'assembly'], { error: '请选择会议形式' }),
    delegates: z.number({ error: '请填写应到代表人数' }).int().min(1, '应到代表人数至少 1 人').max(100000),
    present: count('实到人数'),
    motions: z
      .array(z.strictObject({ title: text('提案名称', 100), handling: text('处理情况', 200) }))
      .max(200)
      .default([]),
    resolutions: z.string().trim().max(2000, '决议不能超过 2000 个字').default(''),
  })
  .refine((v) => v.present <= v.delegates, { path: ['present'], message: '实到人数不能多于应到人数' });
export const systemsBody = z.strictObject({ version, congressSystem: z.boolean(), disclosureSystem: z.boolean() });
export const disclosureBody = z.strictObject({
  publishedOn: dateField('公开日期'),
  subject: text('公开事项', 200),
  channel: z.enum(['公开栏', '职代会', '内网/OA', '微信群', '职工大会', '其他'], { error: '请选择公开渠道' }),
});
export const democracyQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(50).optional(),
  figure: z.enum(['congress_due', 'congress_ok', 'disclosure_ok'], { error: '统计口径无效' }).optional(),
});
export const coverageQuery = z.strictObject({ orgId: idField('组织').optional(), year: z.coerce.number().int().min(2000).max(2100).optional() });
