import { z } from 'zod';
import { dateField } from '../../platform/fields.js';

export const HOLIDAY_KINDS = { holiday: '放假', workday: '调休上班' } as const;

const day = dateField();

export const yearQuery = z.strictObject({ year: z.coerce.number().int().min(2000, '年份超出范围').max(2100, '年份超出范围') });
export const dayParam = z.strictObject({ day });
export const addHolidayBody = z.strictObject({
  day,
  kind: z.enum(['holiday', 'workday'], { error: '请选择放假或调休上班' }),
  name: z.string({ error: '请填写名称' }).trim().min(1, '请填写名称').max(40, '名称最多 40 个字'),
});
export type AddHolidayInput = z.infer<typeof addHolidayBody>;

export const holidayItem = z.object({
  day: z.string(),
  kind: z.enum(['holiday', 'workday']),
  name: z.string(),
  /** 0 = 周日 … 6 = 周六 */
  weekday: z.number().int(),
  updatedAt: z.string(),
  /** Whether staff changed it (false: seeded from the State Council's notice). */
  edited: z.boolean(),
});
export const yearResponse = z.object({
  year: z.number().int(),
  items: z.array(holidayItem),
  /** The State Council notice the seed follows for this year; null when not yet published/seeded. */
  notice: z.string().nullable(),
});

export const workingCalendarResponse = z.object({ holidays: z.array(z.string()), workdays: z.array(z.string()) });
