import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import type { BargainingStage, ContractKind } from '../../db/schema-enterprises.js';
import { BARGAINING_STAGES, CONTRACT_KINDS, CONTRACT_STATUSES, WOMEN_CLAUSES, type ContractStatus } from './contracts.constants.js';
import { INDUSTRIES } from '../enterprises/enterprises.constants.js';

const text = (label: string, max = 200) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
const version = versionField('缺少版本号，请刷新后重试');
const kindEnum = z.enum(Object.keys(CONTRACT_KINDS) as [ContractKind, ...ContractKind[]], { error: '请选择合同类型' });
const count = (label: string) =>
  z
    .number({ error: `请填写${label}` })
    .int(`${label}应为整数`)
    .min(0, `${label}不能为负数`)
    .max(10_000_000, `${label}超出范围`);

const clause = z.strictObject({ key: z.string().trim().min(1).max(40), title: text('条款标题', 60), text: text('条款内容', 4000) });
const keyTerms = z.strictObject({
  wageGrowthPct: z.number({ error: '工资增长幅度应为数字' }).min(-50, '工资增长幅度超出范围').max(100, '工资增长幅度超出范围').nullish(),
  minWage: z.number({ error: '最低工资应为数字' }).min(0, '最低工资不能为负数').max(100000, '最低工资超出范围').nullish(),
  weeklyHours: z.number({ error: '周工作时间应为数字' }).min(1, '周工作时间超出范围').max(60, '周工作时间超出范围').nullish(),
  womenClauses: z
    .array(z.enum(Object.keys(WOMEN_CLAUSES) as [string, ...string[]], { error: '女职工条款无效' }))
    .max(20)
    .optional(),
});

export const createContractBody = z.strictObject({
  kind: kindEnum,
  title: text('合同名称', 100),
  /** One enterprise, or several for an area / industry contract. */
  enterpriseIds: z.array(idField('企业'), { error: '请选择企业' }).min(1, '请选择企业').max(5000, '一次最多 5000 家企业'),
  /** The union party of an area / industry contract (a 镇街 or 行业 union); else the enterprise's union. */
  orgId: idField('工会').optional(),
  templateId: idField('范本').optional(),
  termYears: z.number({ error: '请填写合同期限' }).int().min(1, '合同期限为 1 至 3 年').max(3, '合同期限为 1 至 3 年'),
  unionParty: text('工会方', 100),
  employerParty: text('企业方', 100),
  unionNegotiator: text('工会方首席代表', 30),
  employerNegotiator: text('企业方首席代表', 30),
});
export type CreateContractInput = z.infer<typeof createContractBody>;

export const updateContractBody = z.strictObject({
  version,
  title: text('合同名称', 100).optional(),
  clauses: z.array(clause).max(200).optional(),
  keyTerms: keyTerms.optional(),
  termYears: z.number().int().min(1, '合同期限为 1 至 3 年').max(3, '合同期限为 1 至 3 年').optional(),
  workersCovered: count('覆盖职工人数').optional(),
  womenCovered: count('覆盖女职工人数').optional(),
});
export type UpdateContractInput = z.infer<typeof updateContractBody>;

export const roundBody = z.strictObject({
  heldOn: dateField('协商日期'),
  topics: text('协商议题', 500),
  minutes: z.string().trim().max(5000, '纪要不能超过 5000 字').default(''),
});
export const voteBody = z
  .strictObject({
    version,
    heldOn: dateField('表决日期'),
    delegates: z.number({ error: '请填写应到代表人数' }).int().min(1, '应到代表人数至少 1 人').max(100000),
    present: count('实到人数'),
    for: count('赞成票'),
    against: count('反对票'),
    abstain: count('弃权票'),
  })
  .refine((v) => v.present <= v.delegates, { path: ['present'], message: '实到人数不能多于应到人数' })
  .refine((v) => v.for + v.against + v.abstain <= v.present, { path: ['for'], message: '票数之和不能多于实到人数' });
export const signBody = z.strictObject({ version, signedOn: dateField('签订日期'), startsOn: dateField('合同起始日期') });
export const submitBody = z.strictObject({ version, submittedOn: dateField('报送日期') });
export const acceptBody = z.strictObject({ version, acceptedOn: dateField('受理日期') });
export const reviewBody = z.strictObject({
  version,
  reviewedOn: dateField('审查日期'),
  result: z.enum(['approved', 'objection'], { error: '请选择审查结果' }),
  opinion: z.string().trim().max(1000, '审查意见不能超过 1000 字').default(''),
});
export const versionBody = z.strictObject({ version });

export const contractsQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(50).optional(),
  kind: kindEnum.optional(),
  status: z.enum(Object.keys(CONTRACT_STATUSES) as [ContractStatus, ...ContractStatus[]], { error: '状态无效' }).optional(),
  orgId: idField('组织').optional(),
  enterpriseId: idField('企业').optional(),
  /** Ends within 90 days (and in force). */
  expiring: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const templateBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,30}$/, '范本代码应为小写字母、数字、下划线'),
  kind: kindEnum,
  title: text('范本名称', 100),
  publishedOn: dateField('发布日期'),
  clauses: z.array(clause).min(1, '范本至少一条条款').max(200),
});

export const campaignBody = z.strictObject({
  orgId: idField('组织'),
  title: text('活动名称', 100),
  year: z.number().int().min(2000).max(2100),
  startsOn: dateField('开始日期'),
  endsOn: dateField('结束日期'),
  minEmployees: z.number().int().min(0).max(1_000_000).default(0),
  industries: z
    .array(z.enum(Object.keys(INDUSTRIES) as [string, ...string[]], { error: '行业门类无效' }))
    .max(20)
    .default([]),
  unionisedOnly: z.boolean().default(true),
});
export const targetParams = z.strictObject({ id: idField('要约行动'), enterpriseId: idField('企业') });
export const targetBody = z.strictObject({
  stage: z.enum(Object.keys(BARGAINING_STAGES) as [BargainingStage, ...BargainingStage[]], { error: '要约进度无效' }),
  on: dateField('日期'),
});
export const targetsQuery = z.strictObject({
  ...pageQuery,
  stage: z.enum(Object.keys(BARGAINING_STAGES) as [BargainingStage, ...BargainingStage[]], { error: '要约进度无效' }).optional(),
  orgId: idField('组织').optional(),
});
export const coverageQuery = z.strictObject({ orgId: idField('组织').optional(), year: z.coerce.number().int().min(2000).max(2100).optional() });
