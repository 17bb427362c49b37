import { z } from 'zod';
import { dateField, idField } from '../../platform/fields.js';

export const periodQuery = z.strictObject({
  orgId: idField('组织').optional(),
  from: dateField('开始日期').optional(),
  to: dateField('结束日期').optional(),
});

export const codeParam = z.strictObject({
  code: z.string({ error: '缺少指标编码' }).regex(/^[a-z_]+\.[a-z_]+$/, { error: '指标编码无效' }),
});
