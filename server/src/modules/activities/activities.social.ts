// 交友联谊: sign-up with privacy. The plugin marks the type private; the worker routes (core and ours)
// never return other participants — a worker sees only counts and their own enrollment. The short
// introduction in the details is seen by staff only.
import { z } from 'zod';
import type { ActivityTypePlugin } from './activities.plugins.js';

export const socialDetails = z.strictObject({
  intro: z.string().trim().max(200, '自我介绍不能超过 200 字').optional(),
});

export const socialPlugin: ActivityTypePlugin = { type: 'social', detailsSchema: socialDetails, private: true };
