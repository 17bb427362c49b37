import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import { parseResidentId } from '../../platform/validators.js';
import { amountField, nonNegativeAmountField } from '../../platform/money.js';
import { HARDSHIP_CAUSE_CODES, HARDSHIP_STATUSES, type HardshipStatus } from './hardship.constants.js';

const idString = (label: string) => idField(label);
const causeEnum = z.enum(HARDSHIP_CAUSE_CODES, { error: '致困原因无效' });
const text = (label: string, max = 200) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
const optText = (label: string, max = 200) => z.string().trim().max(max, `${label}不能超过 ${max} 个字`).optional();
const day = (label: string) => dateField(label);
const version = versionField('缺少版本号，请刷新后重试');

const familyMember = z.strictObject({
  /** An existing member's id when editing: without a new idNumber, the stored one is kept. */
  id: idField('家庭成员').optional(),
  name: text('家庭成员姓名', 30),
  relation: text('与户主关系', 20),
  idNumber: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const parsed = parseResidentId(v);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: `家庭成员${parsed}` });
        return z.NEVER;
      }
      return parsed.number;
    }),
  health: optText('健康状况', 100),
  work: optText('就业情况', 100),
  monthlyIncome: nonNegativeAmountField('家庭成员月收入'),
});

const fileContent = {
  mainCause: causeEnum,
  secondaryCauses: z.array(causeEnum).max(8).default([]),
  headHealth: optText('户主健康状况', 100),
  headWork: optText('户主就业情况', 100),
  headMonthlyIncome: nonNegativeAmountField('户主月收入'),
  address: optText('家庭住址', 200),
  situation: text('困难情况说明', 2000),
  family: z.array(familyMember).max(20, '家庭成员最多 20 人').default([]),
};

export const createFileBody = z.strictObject({ membershipId: idString('户主（会员）'), ...fileContent });
export const updateFileBody = z.strictObject({ version, ...fileContent });
export type FileContent = Omit<z.output<typeof createFileBody>, 'membershipId'>;

export const filesQuery = z.strictObject({
  status: z.enum(Object.keys(HARDSHIP_STATUSES) as [HardshipStatus, ...HardshipStatus[]], { error: '状态无效' }).optional(),
  cause: causeEnum.optional(),
  orgId: idString('工会').optional(),
  reviewDueYear: z.coerce.number().int().min(2000, '年度无效').max(2100, '年度无效').optional(),
  q: z.string().trim().min(1).max(30).optional(),
  ...pageQuery,
});
export type FilesQuery = z.output<typeof filesQuery>;

export const reviewBody = z.strictObject({
  version,
  action: z.enum(['approve', 'reject'], { error: '审核操作无效' }),
  comment: optText('审核意见', 500),
});

export const visitBody = z.strictObject({
  version,
  visitedOn: day('核实日期'),
  visitors: text('核实人员', 100),
  findings: text('核实情况', 2000),
  photos: z.array(z.string().trim().min(1).max(300)).max(20).optional(),
});

export const countyReviewBody = z.strictObject({
  version,
  action: z.enum(['approve', 'reject'], { error: '审核操作无效' }),
  comment: optText('审核意见', 500),
  noticeStart: day('公示开始日期').optional(),
  noticeEnd: day('公示结束日期').optional(),
});

export const objectionBody = z.strictObject({
  version,
  raisedBy: text('异议人', 50),
  content: text('异议内容', 1000),
  outcome: z.enum(['upheld', 'dismissed'], { error: '处理结果无效' }),
  handling: optText('处理说明', 1000),
});

export const establishBody = z.strictObject({ version, comment: optText('备注', 500) });

export const yearlyReviewBody = z.strictObject({
  version,
  decision: z.enum(['continue', 'close'], { error: '复核结论无效' }),
  reason: text('复核说明', 500),
});

export const recordAidBody = z.strictObject({
  budgetId: idString('预算'),
  amount: amountField('发放金额'),
  note: optText('备注', 200),
});

export const pairingBody = z.strictObject({
  kind: z.enum(['unit', 'cadre'], { error: '结对类型无效' }),
  name: text('结对单位或干部', 50),
  contact: optText('联系方式', 50),
  startedOn: day('结对日期'),
});

export const pairingVisitBody = z.strictObject({ visitedOn: day('走访日期'), notes: text('走访记录', 1000) });
export const pairingParams = z.strictObject({ id: idField(), pairingId: idField() });

export const familyParams = z.strictObject({ id: idField(), memberId: idField() });
export const revealBody = z.strictObject({ reason: z.string({ error: '请说明查看事由' }).trim().min(2, '请说明查看事由').max(200) });
