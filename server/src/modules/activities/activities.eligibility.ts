// Who may enroll in a batch, and the family places a batch offers (issue 11, item 3; decision 017).
// A batch's rules are data held by the server (activity_batches.eligibility), never read from its
// title: a batch called 劳模专批 without the 劳模 rule is open to all, one called anything with the
// rule is not. The rules are checked against the member's record (the roll: 劳模, 一线职工, 就业形态;
// the person: birth date, sex) before the enroll statement, with the member read in the same
// statement as the activity's version (repository enrollMember): no extra round trip on the rush.
import { z } from 'zod';
import type { EmploymentForm } from '../../db/schema.js';
import { EMPLOYMENT_FORMS, employmentFormEnum } from '../members/members.schema.js';

const age = (label: string) =>
  z
    .number({ error: `${label}应为整数` })
    .int(`${label}应为整数`)
    .min(16, `${label}不能小于 16 周岁`)
    .max(100, `${label}不能大于 100 周岁`);

export const batchEligibilitySchema = z
  .strictObject({
    modelWorkerOnly: z.boolean({ error: '仅限劳模应为是或否' }).optional(),
    frontlineOnly: z.boolean({ error: '仅限一线职工应为是或否' }).optional(),
    employmentForms: z.array(employmentFormEnum).max(6, '就业形态最多 6 项').optional(),
    minAge: age('最小年龄').nullish(),
    maxAge: age('最大年龄').nullish(),
    sex: z.enum(['M', 'F'], { error: '性别限制应为 男 或 女' }).nullish(),
  })
  .refine((e) => e.minAge == null || e.maxAge == null || e.minAge <= e.maxAge, { message: '最小年龄不能大于最大年龄', path: ['maxAge'] })
  .transform((e) => {
    // Stored without empty parts, so "no rule" is always {}.
    const out: BatchEligibility = {};
    if (e.modelWorkerOnly) out.modelWorkerOnly = true;
    if (e.frontlineOnly) out.frontlineOnly = true;
    if (e.employmentForms?.length) out.employmentForms = [...new Set(e.employmentForms)];
    if (e.minAge != null) out.minAge = e.minAge;
    if (e.maxAge != null) out.maxAge = e.maxAge;
    if (e.sex) out.sex = e.sex;
    return out;
  });

export interface BatchEligibility {
  modelWorkerOnly?: true;
  frontlineOnly?: true;
  employmentForms?: EmploymentForm[];
  minAge?: number;
  maxAge?: number;
  sex?: 'M' | 'F';
}

/** What the rules need to know about a member (from the roll and the person). */
export interface EligibilityMember {
  is_model_worker: boolean;
  is_frontline: boolean;
  employment_form: EmploymentForm;
  sex: 'M' | 'F' | null;
  birth_date: string | null;
}

/** A stored rule read back (tolerates a row written before a field existed). */
export function batchRule(v: unknown): BatchEligibility {
  const r = batchEligibilitySchema.safeParse(v ?? {});
  return r.success ? r.data : {};
}

/** Whole years of age on a day (both YYYY-MM-DD). */
export function ageOn(birth: string, day: string): number {
  const [by, bm, bd] = birth.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const formLabel = (f: string) => EMPLOYMENT_FORMS[f as EmploymentForm] ?? f;

function ageText(e: BatchEligibility): string | null {
  if (e.minAge != null && e.maxAge != null) return `${e.minAge}–${e.maxAge} 周岁`;
  if (e.minAge != null) return `${e.minAge} 周岁及以上`;
  if (e.maxAge != null) return `${e.maxAge} 周岁及以下`;
  return null;
}

/** The rules in words, for the console and the H5 (null = open to every member of the activity). */
export function describeBatchEligibility(e: BatchEligibility): string | null {
  const parts: string[] = [];
  if (e.modelWorkerOnly) parts.push('劳模');
  if (e.frontlineOnly) parts.push('一线职工');
  if (e.employmentForms?.length) parts.push(e.employmentForms.map(formLabel).join('、'));
  const a = ageText(e);
  if (a) parts.push(a);
  if (e.sex) parts.push(e.sex === 'F' ? '女职工' : '男职工');
  return parts.length ? `仅限${parts.join('，')}` : null;
}

/**
 * Why this member may not enroll in the batch (null = may). `today` is the China date of the
 * enrollment: ages are whole years on that day.
 */
export function batchIneligibility(e: BatchEligibility, m: EligibilityMember, today: string): string | null {
  if (e.modelWorkerOnly && !m.is_model_worker) return '本批次仅限劳模报名';
  if (e.frontlineOnly && !m.is_frontline) return '本批次仅限一线职工报名（以会员名册登记为准）';
  if (e.employmentForms?.length && !e.employmentForms.includes(m.employment_form)) {
    return `本批次仅限${e.employmentForms.map(formLabel).join('、')}报名`;
  }
  if (e.minAge != null || e.maxAge != null) {
    if (!m.birth_date) return '本批次有年龄要求，您的会员信息缺少出生日期，请联系所在工会补充';
    const years = ageOn(m.birth_date, today);
    if ((e.minAge != null && years < e.minAge) || (e.maxAge != null && years > e.maxAge)) return `本批次仅限 ${ageText(e)}的会员报名`;
  }
  if (e.sex) {
    if (!m.sex) return '本批次限定性别，您的会员信息缺少性别，请联系所在工会补充';
    if (m.sex !== e.sex) return e.sex === 'F' ? '本批次仅限女职工报名' : '本批次仅限男职工报名';
  }
  return null;
}

/** Most family members one enrollment may bring (also the schema's bound). */
export const MAX_FAMILY_PER_PERSON = 4;

/**
 * Family places of one batch as the enroll sheet can honour them, or the field messages that
 * refuse the combination: a pool without a per-person number (nobody could use it), a per-person
 * number without a pool (nobody could bring anyone), more per person than the pool holds, or
 * family places on a type whose sign-up takes no family members.
 */
export function familyPlacesProblems(b: { placesFamily: number; familyPerPerson: number }, takesFamily: boolean): Record<string, string> {
  if (!takesFamily) {
    if (b.placesFamily > 0 || b.familyPerPerson > 0) return { placesFamily: '该类型活动报名不带家属，家属名额和每人可带家属应为 0' };
    return {};
  }
  if (b.placesFamily > 0 && b.familyPerPerson === 0) {
    return { familyPerPerson: `已设家属名额 ${b.placesFamily} 个，请填写每人可带家属人数（1–${MAX_FAMILY_PER_PERSON} 名），或把家属名额改为 0` };
  }
  if (b.familyPerPerson > 0 && b.placesFamily === 0) {
    return { placesFamily: `每人可带家属 ${b.familyPerPerson} 名，请设置本批次家属名额，或把每人可带家属改为 0` };
  }
  if (b.familyPerPerson > b.placesFamily) {
    return { placesFamily: `家属名额（${b.placesFamily} 个）少于每人可带家属人数（${b.familyPerPerson} 名），请调整` };
  }
  return {};
}

/** The family places in words, the same on every page (console list, H5 detail, enroll sheet). */
export function describeFamilyPlaces(b: { placesFamily: number; familyPerPerson: number }): string {
  return b.placesFamily > 0 && b.familyPerPerson > 0 ? `可带家属，每人至多 ${b.familyPerPerson} 名（家属名额共 ${b.placesFamily} 个）` : '不设家属名额';
}
