// Who may apply where (issue 9, decision 009): an applicant at least 16 years old on the day of
// applying (China time), into a grassroots-level union. Pure functions: the service calls them
// with the day and the union it already has.
import type { Org } from '../../db/schema.js';
import { acceptsMembers, ORG_TYPES } from '../orgs/orgs.schema.js';
import type { PersonInput } from '../members/members.schema.js';

/** 《工会法》: workers who are at least 16 may join. */
export const MIN_JOIN_AGE = 16;

/**
 * The day someone born on `birthDate` turns `years` (YYYY-MM-DD). Born on 29 February: the
 * birthday in a common year is 1 March (the day after 28 February has passed).
 */
export function birthdayAt(birthDate: string, years: number): string {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (m === 2 && d === 29 && !leap) return `${year}-03-01`;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Whole years of age on `day` (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return birthdayAt(birthDate, years) <= day ? years : years - 1;
}

/** Field errors for an applicant and a target union, or null when both are fine. */
export function applicationProblems(person: PersonInput, target: Pick<Org, 'name' | 'type'>, today: string): Record<string, string> | null {
  const fields = applicantFields(person, today);
  if (!acceptsMembers(target.type)) {
    fields.targetOrgId = `“${target.name}”是${ORG_TYPES[target.type]}，不直接接收会员：请选择基层工会（本单位工会、联合基层工会、村（社区）工会或新就业形态劳动者行业工会联合会）`;
  }
  return Object.keys(fields).length ? fields : null;
}

/** Whether the applicant alone passes (the target's part is checked where the target is read). */
export const applicantAcceptable = (person: PersonInput, today: string) => Object.keys(applicantFields(person, today)).length === 0;

function applicantFields(person: PersonInput, today: string): Record<string, string> {
  const fields: Record<string, string> = {};
  // A resident ID carries the birth date (checked against the number by the schema).
  const ageField = person.idType === 'resident_id' ? 'person.idNumber' : 'person.birthDate';
  if (!person.birthDate) fields['person.birthDate'] = '请填写出生日期';
  else if (person.birthDate > today) fields[ageField] = '出生日期不能晚于今天';
  else if (birthdayAt(person.birthDate, MIN_JOIN_AGE) > today)
    fields[ageField] = `申请入会须年满 ${MIN_JOIN_AGE} 周岁（按申请当日计算），满 ${MIN_JOIN_AGE} 周岁之日为 ${birthdayAt(person.birthDate, MIN_JOIN_AGE)}`;
  return fields;
}
