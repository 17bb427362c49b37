// 信息员 and 劳动关系 risk report schemas (zod, Chinese messages; unknown fields refused).
import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import { idempotencyKey, optText, period, text } from './rights.schema.js';
import { RISK_PHOTO_LIMIT } from './rights.constants.js';

const version = versionField('缺少版本号，请刷新后重试');
const informantKind = z.enum(['gig', 'station', 'enterprise', 'other'], { error: '信息员类别无效' });
const riskKind = z.enum(['wage_arrears', 'stoppage', 'mass_incident', 'platform_rules', 'other'], { error: '风险类别无效' });
const grade = z.enum(['general', 'major', 'severe'], { error: '风险等级无效' });

// ---------- informants ----------
export const informantBody = z.strictObject({
  /** The member on the roll (a membership of the caller's subtree). */
  membershipId: idField('会员'),
  orgId: idField('登记工会').optional(),
  kind: informantKind,
  note: optText('备注', 200),
});
export const informantPatch = z.strictObject({
  version,
  kind: informantKind.optional(),
  note: optText('备注', 200),
  active: z.boolean({ error: '请选择是否在岗' }).optional(),
});
export const informantsQuery = z.strictObject({
  kind: informantKind.optional(),
  active: z.enum(['1', '0']).optional(),
  q: z.string().trim().min(1).max(30).optional(),
  orgId: idField('工会').optional(),
  ...pageQuery,
});
export type InformantsQuery = z.output<typeof informantsQuery>;

// ---------- risk reports ----------
export const riskReportBody = z.strictObject({
  idempotencyKey,
  kind: riskKind,
  place: text('地点', 100),
  peopleAffected: z.number({ error: '请填写涉及人数' }).int('涉及人数应为整数').min(0, '涉及人数不能为负').max(100000, '涉及人数过大'),
  description: text('情况描述', 2000),
  occurredOn: dateField('发生日期').optional(),
  photoIds: z.array(idField('照片')).max(RISK_PHOTO_LIMIT, `照片最多 ${RISK_PHOTO_LIMIT} 张`).default([]),
});
export type RiskReportInput = z.output<typeof riskReportBody>;

export const gradeBody = z.strictObject({ version, grade, comment: optText('研判意见', 500) });
export const riskTicketBody = z.strictObject({ version, comment: optText('说明', 500) });
export const riskCloseBody = z.strictObject({ version, note: text('处置结果', 1000) });
export const photoParams = z.strictObject({ id: idField(), photoId: idField() });
export const photoQuery = z.strictObject({ name: z.string().max(200, '文件名过长').optional() });

export const risksQuery = z.strictObject({
  grade: z.enum(['general', 'major', 'severe', 'none'], { error: '风险等级无效' }).optional(),
  status: z.enum(['reported', 'graded', 'closed'], { error: '状态无效' }).optional(),
  kind: riskKind.optional(),
  ...period,
  ...pageQuery,
});
export type RisksQuery = z.output<typeof risksQuery>;
