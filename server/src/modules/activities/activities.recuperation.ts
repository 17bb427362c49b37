// 疗休养: priority groups with reserved places, "at most once in N years", family places within the
// batch's family quota. Budget vs spend is the core's cost report (family places count as spend).
import { chinaDay } from '../../platform/china-time.js';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import type { ActivityTypePlugin, EnrollContext, Executor } from './activities.plugins.js';
import { recentRecuperation } from './activity-types.repository.js';
import { windowStart } from './activity-types.rules.js';

export const PRIORITY_GROUPS = ['model_worker', 'frontline', 'new_forms'] as const;
export type PriorityGroup = (typeof PRIORITY_GROUPS)[number];
export const PRIORITY_GROUP_LABELS: Record<PriorityGroup, string> = { model_worker: '劳模', frontline: '一线职工', new_forms: '新就业形态' };

export const recuperationSettings = z.strictObject({
  onceInYears: z
    .number({ error: '限参加年限应为 1 到 10 的整数' })
    .int('限参加年限应为整数')
    .min(1, '限参加年限至少 1 年')
    .max(10, '限参加年限至多 10 年')
    .optional(),
  priorityGroups: z
    .array(z.enum(PRIORITY_GROUPS, { error: '优先群体应为 劳模、一线职工 或 新就业形态' }))
    .max(3)
    .optional(),
});

export const FAMILY_RELATIONS = ['spouse', 'child', 'parent', 'other'] as const;
export const FAMILY_RELATION_LABELS = { spouse: '配偶', child: '子女', parent: '父母', other: '其他' } as const;

export const recuperationDetails = z.strictObject({
  family: z
    .array(
      z.strictObject({
        name: z
          .string({ error: '请填写家属姓名' })
          .trim()
          .min(1, '请填写家属姓名')
          .max(30, '家属姓名不能超过 30 个字')
          .regex(/^[^\d<>]+$/, '家属姓名不能含数字或尖括号'),
        relation: z.enum(FAMILY_RELATIONS, { error: '家属关系应为 配偶、子女、父母 或 其他' }),
      }),
    )
    .max(4, '至多 4 名家属')
    .optional(),
  /** 双职工家庭 (both spouses are members): shown to staff. */
  dualWorkerFamily: z.boolean().optional(),
  /** 一线职工, declared by the member and checked by staff on review. */
  frontline: z.boolean().optional(),
});

type Settings = z.infer<typeof recuperationSettings>;
type Details = z.infer<typeof recuperationDetails>;

/**
 * Which priority groups the member is in: 劳模 and 新就业形态 come from the roll; 一线职工 is declared
 * by the member and counts only where staff review each sign-up (approval mode) — elsewhere a
 * declaration nobody checks would jump the queue.
 */
export function priorityGroupsOf(ctx: EnrollContext): PriorityGroup[] {
  const groups: PriorityGroup[] = [];
  if (ctx.member.isModelWorker) groups.push('model_worker');
  if ((ctx.details as Details).frontline === true && ctx.activity.enrollmentMode === 'approval') groups.push('frontline');
  if (ctx.member.employmentForm && ctx.member.employmentForm !== 'standard') groups.push('new_forms');
  return groups;
}

/** Beijing date of an instant. */

export const recuperationPlugin: ActivityTypePlugin = {
  type: 'recuperation',
  settingsSchema: recuperationSettings,
  detailsSchema: recuperationDetails,

  async checkEligibility(trx: Executor, ctx: EnrollContext) {
    const settings = ctx.activity.settings as Settings;
    const details = ctx.details as Details;
    const family = details.family ?? [];
    // Family places are the batch's (family_per_person within places_family, migration 027).
    const perPerson = ctx.batch.placesFamily > 0 ? ctx.batch.familyPerPerson : 0;
    if (family.length > 0 && perPerson === 0) {
      throw new AppError('VALIDATION_FAILED', '本批次不设家属名额', { 'details.family': '本批次不设家属名额' });
    }
    if (family.length > perPerson) {
      throw new AppError('VALIDATION_FAILED', `本批次每人至多带 ${perPerson} 名家属`, { 'details.family': `本批次每人至多带 ${perPerson} 名家属` });
    }
    const years = settings.onceInYears;
    if (years) {
      const since = windowStart(chinaDay(ctx.now), years);
      const prev = await recentRecuperation(trx, ctx.personId, ctx.activity.id, since);
      if (prev) {
        throw new AppError('VALIDATION_FAILED', `您已于 ${prev.day.slice(0, 4)} 年参加疗休养「${prev.title}」，每 ${years} 年限参加一次，暂不能报名`, {
          activity: `${years} 年内已参加过疗休养`,
        });
      }
    }
  },

  placePool(ctx) {
    const wanted = (ctx.activity.settings as Settings).priorityGroups ?? [...PRIORITY_GROUPS];
    return priorityGroupsOf(ctx).some((g) => wanted.includes(g)) ? 'priority' : 'general';
  },

  familyPlaces(ctx) {
    return ((ctx.details as Details).family ?? []).length;
  },
};
