import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
const yearField = (label: string) => z.coerce.number({ error: `${label}应为年份` }).int(`${label}应为年份`).min(2015, `${label}无效`).max(2100, `${label}无效`);

export const pilotBody = z.strictObject({
  enterpriseId: idField('企业'),
  sinceYear: yearField('试点年份'),
  note: z.string({ error: '说明应为文字' }).trim().max(500, '说明不能超过 500 个字').nullish(),
});
export const pilotListQuery = z.strictObject({
  q: z.string().trim().max(30, '搜索词过长').optional(),
  stars: z.coerce.number().int().min(0, '星级无效').max(5, '星级无效').optional(),
  orgId: idField('工会').optional(),
  ...pageQuery,
});
export const itemBody = z.strictObject({
  kind: z.enum(['task', 'problem'], { error: '清单类别应为 任务清单 或 问题清单' }),
  title: text('事项', 2, 100),
  owner: text('责任人', 1, 30),
  dueOn: dateField('完成时限'),
});
export const itemParams = z.strictObject({ id: idField(), itemId: idField() });
export const doneBody = z.strictObject({ doneOn: dateField('完成日期'), evidence: text('完成佐证', 2, 500) });
export const ratingBody = z.strictObject({
  year: yearField('年度'),
  rater: text('评定人', 2, 40),
  scores: z
    .array(z.strictObject({ criterionId: idField('评分项'), score: z.number({ error: '得分应为数字' }).int('得分应为整数').min(0, '得分不能为负') }), { error: '请逐项打分' })
    .min(1, '请逐项打分')
    .max(20),
});
export const criterionBody = z.strictObject({
  name: text('评分项名称', 2, 40),
  maxScore: z.number({ error: '满分应为整数' }).int('满分应为整数').min(1, '满分至少 1 分').max(100, '满分最多 100 分'),
});
export const criterionPatch = z.strictObject({
  name: text('评分项名称', 2, 40).optional(),
  maxScore: z.number({ error: '满分应为整数' }).int('满分应为整数').min(1, '满分至少 1 分').max(100, '满分最多 100 分').optional(),
  active: z.boolean({ error: '是否启用应为是或否' }).optional(),
  version: versionField(),
});
export const figuresQuery = z.strictObject({ orgId: idField('工会').optional(), year: yearField('年度').optional() });

export const inspectionBody = z.strictObject({
  visitedOn: dateField('督查日期'),
  inspectors: text('督查人员', 2, 100),
  findings: text('督查发现', 2, 1000),
  score: z.number({ error: '考核得分应为整数' }).int('考核得分应为整数').min(0, '考核得分应为 0–100').max(100, '考核得分应为 0–100'),
});
export const academyBody = z.strictObject({
  orgId: idField('所属工会'),
  name: text('学院名称', 2, 60),
  host: text('依托单位', 2, 60),
  foundedYear: z.number({ error: '成立年份应为整数' }).int('成立年份应为整数').min(2000, '成立年份无效').max(2100, '成立年份无效'),
  note: z.string({ error: '说明应为文字' }).trim().max(500, '说明不能超过 500 个字').nullish(),
  pilotIds: z.array(idField('试点企业'), { error: '试点企业应为列表' }).max(50, '一次最多关联 50 家').default([]),
});
export const academyPilotBody = z.strictObject({ pilotId: idField('试点企业') });
export const academyListQuery = z.strictObject({ ...pageQuery });
