// 经费审查 request schemas (zod, Chinese messages; unknown fields refused).
import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import { nonNegativeAmountField } from '../../platform/money.js';
import { pageQuery } from '../../platform/pagination.js';
import { FINDING_CATEGORIES, PROJECT_KINDS, SEVERITIES } from './audit-committee.constants.js';

const text = (label: string, max: number) =>
  z.string({ error: `请填写${label}` }).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 个字`);
const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export const projectBody = z
  .strictObject({
    auditedOrgId: idField('被审计工会'),
    kind: z.enum(keys(PROJECT_KINDS), { error: '审计类型无效' }),
    title: text('项目名称', 100),
    periodFrom: dateField('审计期间起'),
    periodTo: dateField('审计期间止'),
    team: text('审计组成员', 200),
  })
  .refine((b) => b.periodFrom <= b.periodTo, { message: '审计期间止不能早于起', path: ['periodTo'] });

export const findingBody = z.strictObject({
  category: z.enum(keys(FINDING_CATEGORIES), { error: '问题类别无效' }),
  description: text('问题描述', 1000),
  amount: nonNegativeAmountField('涉及金额'),
  severity: z.enum(keys(SEVERITIES), { error: '严重程度无效' }),
  responsiblePerson: text('第一责任人', 60),
  task: text('整改任务', 500),
  owner: text('整改责任人', 60),
  deadline: dateField('整改期限'),
});

export const evidenceBody = z.strictObject({ version: versionField(), evidence: text('整改情况与佐证', 1000) });
export const interviewBody = z.strictObject({
  heldOn: dateField('约谈日期'),
  interviewee: text('约谈对象', 60),
  interviewer: text('约谈人', 60),
  notes: text('约谈内容', 1000),
});
export const closeTaskBody = z.strictObject({ version: versionField(), opinion: text('销号意见', 500) });

export const projectsQuery = z.strictObject({
  status: z.enum(['open', 'reported', 'closed'], { error: '状态无效' }).optional(),
  kind: z.enum(keys(PROJECT_KINDS), { error: '审计类型无效' }).optional(),
  overdue: z.enum(['1']).optional(),
  ...pageQuery,
});
export const tasksQuery = z.strictObject({
  status: z.enum(['open', 'submitted', 'closed'], { error: '状态无效' }).optional(),
  overdue: z.enum(['1']).optional(),
  auditedOrgId: idField('被审计工会').optional(),
  ...pageQuery,
});
export const taskParams = z.strictObject({ id: idField() });

export type ProjectInput = z.output<typeof projectBody>;
export type FindingInput = z.output<typeof findingBody>;
export type ProjectsQuery = z.output<typeof projectsQuery>;
export type TasksQuery = z.output<typeof tasksQuery>;
