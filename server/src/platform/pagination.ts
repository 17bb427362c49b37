import { z } from 'zod';

export const pageQuery = {
  page: z.coerce.number().int().min(1, '页码应从 1 开始').default(1),
  pageSize: z.coerce.number().int().min(1).max(200, '每页最多 200 条').default(20),
};

export const pageOf = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), total: z.number().int() });

export const offsetOf = (q: { page: number; pageSize: number }) => (q.page - 1) * q.pageSize;

/** `/:id` path parameters: a decimal id within the bigint range (platform/fields.ts). */
export { idParam } from './fields.js';

export const okResponse = z.object({ ok: z.literal(true) });
