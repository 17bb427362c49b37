// The activity form's batch model (ActivityFormDialog → ActivityFormBatches → BatchEligibilityEditor):
// a batch's places, its family places (one definition: the family pool and how many one enrollment
// may bring) and who may enroll in it. The checks mirror the server's (activities.eligibility.ts),
// which has the last word.
import { employmentFormLabel } from '../dict';
import type { Batch, BatchEligibility } from '../activities';

export interface EligibilityForm {
  modelWorkerOnly: boolean;
  frontlineOnly: boolean;
  employmentForms: string[];
  minAge: number | null;
  maxAge: number | null;
  sex: '' | 'M' | 'F';
}

export interface BatchForm {
  id?: string;
  title: string;
  location: string;
  dates: [string, string] | null;
  placesGeneral: number;
  placesPriority: number;
  placesFamily: number;
  familyPerPerson: number;
  eligibility: EligibilityForm;
}

export const MAX_FAMILY_PER_PERSON = 4;

export const emptyEligibility = (): EligibilityForm => ({
  modelWorkerOnly: false,
  frontlineOnly: false,
  employmentForms: [],
  minAge: null,
  maxAge: null,
  sex: '',
});

export function eligibilityForm(e: BatchEligibility | undefined): EligibilityForm {
  return {
    modelWorkerOnly: !!e?.modelWorkerOnly,
    frontlineOnly: !!e?.frontlineOnly,
    employmentForms: [...(e?.employmentForms ?? [])],
    minAge: e?.minAge ?? null,
    maxAge: e?.maxAge ?? null,
    sex: e?.sex ?? '',
  };
}

/** What the server takes: empty parts left out, so "no rule" is {}. */
export function eligibilityPayload(e: EligibilityForm): BatchEligibility {
  const out: BatchEligibility = {};
  if (e.modelWorkerOnly) out.modelWorkerOnly = true;
  if (e.frontlineOnly) out.frontlineOnly = true;
  if (e.employmentForms.length) out.employmentForms = [...e.employmentForms];
  if (e.minAge != null) out.minAge = e.minAge;
  if (e.maxAge != null) out.maxAge = e.maxAge;
  if (e.sex) out.sex = e.sex;
  return out;
}

/** The rules in words, as the server words them (仅限劳模，35–55 周岁); null = no rule. */
export function eligibilityText(e: EligibilityForm): string | null {
  const parts: string[] = [];
  if (e.modelWorkerOnly) parts.push('劳模');
  if (e.frontlineOnly) parts.push('一线职工');
  if (e.employmentForms.length) parts.push(e.employmentForms.map(employmentFormLabel).join('、'));
  if (e.minAge != null && e.maxAge != null) parts.push(`${e.minAge}–${e.maxAge} 周岁`);
  else if (e.minAge != null) parts.push(`${e.minAge} 周岁及以上`);
  else if (e.maxAge != null) parts.push(`${e.maxAge} 周岁及以下`);
  if (e.sex) parts.push(e.sex === 'F' ? '女职工' : '男职工');
  return parts.length ? `仅限${parts.join('，')}` : null;
}

/** The family places in words, as the server words them (the H5 shows the same). */
export function familyText(b: { placesFamily: number; familyPerPerson: number }): string {
  return b.placesFamily > 0 && b.familyPerPerson > 0 ? `可带家属，每人至多 ${b.familyPerPerson} 名（家属名额共 ${b.placesFamily} 个）` : '不设家属名额';
}

/** A family-places combination the enroll sheet cannot honour (field → message), as the server refuses it. */
export function familyProblems(b: { placesFamily: number; familyPerPerson: number }): Record<string, string> {
  if (b.placesFamily > 0 && b.familyPerPerson === 0) return { familyPerPerson: '设了家属名额，请填写每人可带几名' };
  if (b.familyPerPerson > 0 && b.placesFamily === 0) return { placesFamily: '每人可带家属时，请设家属名额' };
  if (b.familyPerPerson > b.placesFamily) return { placesFamily: '少于每人可带家属人数' };
  return {};
}

export function ageProblem(e: EligibilityForm): string | null {
  if (e.minAge != null && e.maxAge != null && e.minAge > e.maxAge) return '最小年龄不能大于最大年龄';
  return null;
}

export function batchFormOf(b: Batch): BatchForm {
  return {
    id: b.id,
    title: b.title,
    location: b.location ?? '',
    dates: b.startsOn && b.endsOn ? [b.startsOn, b.endsOn] : null,
    placesGeneral: b.placesGeneral,
    placesPriority: b.placesPriority,
    placesFamily: b.placesFamily,
    familyPerPerson: b.familyPerPerson ?? 0,
    eligibility: eligibilityForm(b.eligibility),
  };
}
