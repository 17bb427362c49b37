// 法治体检 request schemas (zod, Chinese messages; unknown fields refused).
import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import { enterpriseId, optText, period, text } from './rights.schema.js';

const version = versionField('缺少版本号，请刷新后重试');
const riskLevel = z.enum(['low', 'medium', 'high'], { error: '风险等级无效' });

// ---------- the checklist template (city-wide) ----------
export const checkupItemBody = z.strictObject({
  title: text('体检项目', 60),
  guidance: optText('检查要点', 500),
  sort: z.number({ error: '请填写排序' }).int('排序应为整数').min(0).max(10000).default(0),
});
export const checkupItemPatch = z.strictObject({
  version,
  title: text('体检项目', 60).optional(),
  guidance: optText('检查要点', 500),
  sort: z.number({ error: '排序应为整数' }).int('排序应为整数').min(0).max(10000).optional(),
  active: z.boolean({ error: '请选择是否启用' }).optional(),
});

// ---------- check-ups ----------
export const checkupBody = z
  .strictObject({
    orgId: idField('体检工会').optional(),
    enterpriseId,
    employerName: optText('用人单位', 100),
    checkedOn: dateField('体检日期'),
    poolIds: z.array(idField('律师或工作人员')).min(1, '请从调解员与专家库选择至少一名律师或工作人员').max(10, '最多选择 10 名'),
    staffNames: optText('参加人员', 200),
  })
  .refine((b) => !!b.enterpriseId || !!b.employerName, { message: '请选择企业名录中的企业或填写用人单位名称', path: ['employerName'] });
export type CheckupInput = z.output<typeof checkupBody>;

const finding = z.strictObject({
  id: idField('体检项目'),
  result: z.enum(['ok', 'issue', 'na'], { error: '请选择每一项的体检结论' }),
  note: optText('情况说明', 1000),
});
const rectification = z.strictObject({
  findingId: idField('对应体检项目').optional(),
  task: text('整改事项', 300),
  owner: text('整改责任人', 60),
  dueOn: dateField('整改期限'),
});
export const findingsBody = z.strictObject({
  version,
  findings: z.array(finding).min(1, '请填写体检结论').max(100),
  riskLevel,
  summary: text('体检意见', 2000),
  rectifications: z.array(rectification).max(50, '整改事项最多 50 项').default([]),
});
export type FindingsInput = z.output<typeof findingsBody>;

export const rectificationDoneBody = z.strictObject({ version, doneOn: dateField('完成日期'), note: text('整改情况', 1000) });
export const followUpBody = z.strictObject({ version, comment: text('跟进情况', 1000) });
export const closeCheckupBody = z.strictObject({ version, note: text('办结意见', 1000) });
export const rectificationParams = z.strictObject({ id: idField(), rectificationId: idField() });

export const checkupsQuery = z.strictObject({
  status: z.enum(['open', 'rectifying', 'closed'], { error: '状态无效' }).optional(),
  riskLevel: riskLevel.optional(),
  /** Only check-ups with a rectification past its deadline and not done. */
  overdue: z.enum(['1']).optional(),
  q: z.string().trim().min(1).max(50).optional(),
  ...period,
  ...pageQuery,
});
export type CheckupsQuery = z.output<typeof checkupsQuery>;
