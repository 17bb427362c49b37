// 维权 request schemas (zod, Chinese messages). Unknown fields are refused (strictObject).
import { z } from 'zod';
import { dateField, idField, mobileField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import { parseResidentId } from '../../platform/validators.js';
import { nonNegativeAmountField } from '../../platform/money.js';
import { CHANNEL_CODES, OUTCOME_CODES, TOPIC_CODES, LEGAL_AID_STAGES, type LegalAidStage } from './rights.constants.js';

export const idempotencyKey = z.string({ error: '缺少幂等键' }).regex(/^[A-Za-z0-9_-]{8,64}$/, '幂等键格式错误');
/** The employer as an enterprise record of the register (when it exists there). */
export const enterpriseId = idField('用人单位（企业名录）').optional();
export const text = (label: string, max = 200) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
export const optText = (label: string, max = 200) => z.string().trim().max(max, `${label}不能超过 ${max} 个字`).optional();
const version = versionField('缺少版本号，请刷新后重试');
const topic = z.enum(TOPIC_CODES, { error: '咨询类别无效' });
const channel = z.enum(CHANNEL_CODES, { error: '咨询渠道无效' });
const satisfaction = z.number({ error: '请选择满意度' }).int('满意度无效').min(1, '满意度为 1–5').max(5, '满意度为 1–5');
const idNumber = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const parsed = parseResidentId(v);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed.number;
  });
const optPhone = z.union([z.literal('').transform(() => undefined), mobileField('联系电话')]).optional();

export const period = { from: dateField('开始日期').optional(), to: dateField('结束日期').optional(), orgId: idField('工会').optional() };
export type Period = { from?: string; to?: string; orgId?: string };

// ---------- consultations ----------
export const consultationBody = z.strictObject({
  orgId: idField('受理工会').optional(),
  channel,
  topic,
  name: text('咨询人姓名', 30),
  phone: optPhone,
  employerName: optText('工作单位', 100),
  enterpriseId,
  summary: text('咨询内容', 2000),
  answer: optText('解答内容', 2000),
  outcome: z.enum(OUTCOME_CODES, { error: '处理结果无效' }).optional(),
});
export type ConsultationInput = z.output<typeof consultationBody>;

export const consultationsQuery = z.strictObject({
  channel: channel.optional(),
  topic: topic.optional(),
  status: z.enum(['open', 'answered'], { error: '状态无效' }).optional(),
  outcome: z.enum(OUTCOME_CODES, { error: '处理结果无效' }).optional(),
  q: z.string().trim().min(1).max(30).optional(),
  ...period,
  ...pageQuery,
});
export type ConsultationsQuery = z.output<typeof consultationsQuery>;

export const answerBody = z.strictObject({
  version,
  answer: text('解答内容', 2000),
  outcome: z.enum(OUTCOME_CODES, { error: '处理结果无效' }).default('answered'),
});
export const callbackBody = z.strictObject({ version, callbackOn: dateField('回访日期'), satisfaction });

export const workerConsultationBody = z.strictObject({
  idempotencyKey,
  topic,
  question: text('咨询内容', 2000),
  employerName: optText('工作单位', 100),
});
export const workerFollowUpBody = z.strictObject({ body: text('追问内容', 1000) });

// ---------- cases ----------
const party = z.strictObject({ name: text('当事人姓名', 30), idNumber, phone: optPhone });
export const caseFields = {
  disputeType: topic,
  employerName: text('用人单位', 100),
  enterpriseId,
  summary: text('争议事实与请求', 2000),
  claimAmount: nonNegativeAmountField('请求金额'),
  mediatorIds: z.array(idField('调解员')).max(5, '调解员最多 5 名').default([]),
};
export const caseBody = z.strictObject({
  orgId: idField('受理工会').optional(),
  parties: z.array(party).min(1, '请至少填写一名申请人').max(50, '申请人最多 50 名'),
  ...caseFields,
});
export type CaseInput = z.output<typeof caseBody>;
export const toCaseBody = z.strictObject({ version, ...caseFields, employerName: optText('用人单位', 100) });
export type ToCaseInput = z.output<typeof toCaseBody>;

export const legalAidCaseBody = z.strictObject({
  applicationId: idField('法律援助申请').optional(),
  orgId: idField('受理工会').optional(),
  parties: z.array(party).max(50).default([]),
  disputeType: topic,
  employerName: text('用人单位', 100),
  enterpriseId,
  summary: text('案情摘要', 2000),
  claimAmount: nonNegativeAmountField('请求金额'),
  lawyerId: idField('承办律师'),
  stage: z.enum(Object.keys(LEGAL_AID_STAGES) as [LegalAidStage, ...LegalAidStage[]], { error: '援助阶段无效' }),
});
export type LegalAidCaseInput = z.output<typeof legalAidCaseBody>;

export const casesQuery = z.strictObject({
  kind: z.enum(['mediation', 'legal_aid'], { error: '案件类型无效' }).optional(),
  status: z.enum(['open', 'succeeded', 'failed', 'withdrawn', 'closed'], { error: '状态无效' }).optional(),
  overdue: z.enum(['1']).optional(),
  q: z.string().trim().min(1).max(50).optional(),
  ...period,
  ...pageQuery,
});
export type CasesQuery = z.output<typeof casesQuery>;

export const sessionBody = z.strictObject({
  version,
  heldOn: dateField('调解日期'),
  place: text('地点', 100),
  online: z.boolean().default(false),
  attendees: text('参加人员', 300),
  minutes: text('调解笔录', 4000),
});
export const closeCaseBody = z.strictObject({
  version,
  outcome: z.enum(['succeeded', 'failed', 'withdrawn', 'closed'], { error: '结案方式无效' }),
  agreedAmount: nonNegativeAmountField('协议金额').optional(),
  paidAmount: nonNegativeAmountField('已履行金额').optional(),
  agreementTerms: optText('协议内容', 4000),
  result: optText('结果说明', 1000),
  referralTo: z.enum(['法院', '劳动人事争议仲裁委员会', '人社部门'], { error: '对接机构无效' }).optional(),
  referralNo: optText('对接案号', 60),
});
export const stageBody = z.strictObject({
  version,
  stage: z.enum(Object.keys(LEGAL_AID_STAGES) as [LegalAidStage, ...LegalAidStage[]], { error: '援助阶段无效' }),
  comment: optText('说明', 500),
});
export const partyParams = z.strictObject({ id: idField(), partyId: idField() });
export const revealBody = z.strictObject({
  field: z.enum(['idNumber', 'phone'], { error: '字段无效' }),
  reason: z.string({ error: '请说明查看事由' }).trim().min(2, '请说明查看事由').max(200),
});

// ---------- pool ----------
export const poolBody = z.strictObject({
  name: text('姓名', 30),
  organisation: text('所在单位', 100),
  speciality: optText('专长', 100),
  kind: z.enum(['lawyer', 'arbitrator', 'cadre', 'expert'], { error: '类别无效' }),
  available: z.boolean().default(true),
});
export const poolPatch = z.strictObject({ available: z.boolean({ error: '请选择是否可选派' }) });
export const poolQuery = z.strictObject({
  kind: z.enum(['lawyer', 'arbitrator', 'cadre', 'expert'], { error: '类别无效' }).optional(),
  available: z.enum(['1']).optional(),
  ...pageQuery,
});

// ---------- letters ----------
export const letterBody = z.strictObject({
  kind: z.enum(['reminder', 'opinion'], { error: '文书类型无效' }),
  employerName: text('用人单位', 100),
  subject: text('事由', 60),
  facts: text('违法事实', 4000),
  legalBasis: text('法律依据', 2000),
  demands: text('整改要求', 2000),
  workers: z.array(text('涉及职工姓名', 30)).max(200).default([]),
  replyDays: z.number({ error: '请填写回复期限' }).int().min(1, '回复期限至少 1 天').max(60, '回复期限最多 60 天'),
});
export type LetterInput = z.output<typeof letterBody>;
export const letterReplyBody = z.strictObject({
  version,
  reply: text('用人单位回复', 2000),
  repliedOn: dateField('回复日期'),
  rectified: z.boolean({ error: '请选择是否整改' }),
});
export const escalateBody = z.strictObject({
  version,
  addressee: z.enum(['劳动保障监察机构', '人力资源和社会保障部门', '人民法院', '人民检察院'], { error: '主送机关无效' }),
  demands: text('建议事项', 2000),
  replyDays: z.number({ error: '请填写答复期限' }).int().min(1).max(60),
});
export const letterAnswerBody = z.strictObject({ version, answer: text('答复内容', 2000), answeredOn: dateField('答复日期') });
export const lettersQuery = z.strictObject({
  kind: z.enum(['reminder', 'opinion', 'proposal'], { error: '文书类型无效' }).optional(),
  status: z.enum(['issued', 'replied', 'rectified', 'refused', 'escalated', 'answered'], { error: '状态无效' }).optional(),
  overdue: z.enum(['1']).optional(),
  ...period,
  ...pageQuery,
});
export type LettersQuery = z.output<typeof lettersQuery>;

// ---------- tickets ----------
export const ticketBody = z.strictObject({
  title: text('诉求标题', 60),
  content: text('诉求内容', 2000),
  requesterName: text('诉求人姓名', 30),
  phone: optPhone,
});
export const dispatchBody = z.strictObject({
  version,
  orgId: idField('承办工会'),
  days: z.number({ error: '请填写办理时限' }).int().min(1, '办理时限至少 1 个工作日').max(30, '办理时限最多 30 个工作日'),
  comment: optText('派单说明', 500),
});
export const ticketAnswerBody = z.strictObject({ version, answer: text('办理结果', 2000) });
export const ticketCallbackBody = z.strictObject({ version, satisfaction, comment: optText('回访记录', 500) });
export const ticketCloseBody = z.strictObject({ version, comment: optText('说明', 500) });
export const ticketsQuery = z.strictObject({
  status: z.enum(['open', 'answered', 'called_back', 'closed'], { error: '状态无效' }).optional(),
  overdue: z.enum(['1']).optional(),
  ...period,
  ...pageQuery,
});
export type TicketsQuery = z.output<typeof ticketsQuery>;

export const figuresQuery = z.strictObject(period);
export const mediatorsBody = z.strictObject({ version, poolIds: z.array(idField('调解员')).min(1, '请选择调解员').max(5, '调解员最多 5 名') });
