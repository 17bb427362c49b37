import { z } from 'zod';
import { idField, versionField } from '../../platform/fields.js';

const year = z.coerce
  .number({ error: '请选择年度' })
  .int('年度应为整数')
  .min(2000, '年度不能早于 2000 年')
  .max(2100, '年度超出范围');

export const reportQuery = z.strictObject({ orgId: idField('工会').optional(), year });
export type ReportQuery = z.output<typeof reportQuery>;

export const highlightsBody = z.strictObject({
  orgId: idField('工会'),
  year: z.number({ error: '请选择年度' }).int('年度应为整数').min(2000, '年度不能早于 2000 年').max(2100, '年度超出范围'),
  body: z.string({ error: '请填写年度工作亮点' }).trim().min(1, '请填写年度工作亮点').max(10_000, '年度工作亮点最多 10000 字'),
  /** 0 for the first text of the year, else the version read. */
  version: versionField(),
});
export type HighlightsInput = z.output<typeof highlightsBody>;
