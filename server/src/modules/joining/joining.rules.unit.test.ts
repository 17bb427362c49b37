import { describe, expect, it } from 'vitest';
import { ageOn, applicationProblems, birthdayAt } from './joining.rules.js';
import type { PersonInput } from '../members/members.schema.js';

const person = (birthDate: string | null, idType: PersonInput['idType'] = 'resident_id') => ({ idType, birthDate }) as PersonInput;
const grassroots = { name: '某企业工会', type: 'grassroots' as const };

describe('age on the day of applying', () => {
  it('counts whole years; the birthday itself counts', () => {
    expect(ageOn('2010-11-21', '2026-11-21')).toBe(16);
    expect(ageOn('2010-11-22', '2026-11-21')).toBe(15);
    expect(ageOn('1990-01-01', '2026-11-21')).toBe(36);
  });

  it('a 29 February birthday falls on 1 March in a common year', () => {
    expect(birthdayAt('2008-02-29', 16)).toBe('2024-02-29');
    expect(birthdayAt('2010-02-28', 16)).toBe('2026-02-28');
    expect(birthdayAt('2012-02-29', 16)).toBe('2028-02-29');
    expect(birthdayAt('2011-02-28', 17)).toBe('2028-02-28');
    expect(birthdayAt('2008-02-29', 17)).toBe('2025-03-01');
    expect(ageOn('2008-02-29', '2025-02-28')).toBe(16);
    expect(ageOn('2008-02-29', '2025-03-01')).toBe(17);
  });
});

describe('applicationProblems', () => {
  it('under 16 names the ID number (resident ID) or the birth date (other IDs)', () => {
    expect(applicationProblems(person('2010-11-22'), grassroots, '2026-11-21')).toEqual({
      'person.idNumber': '申请入会须年满 16 周岁（按申请当日计算），满 16 周岁之日为 2026-11-22',
    });
    expect(applicationProblems(person('2010-11-21'), grassroots, '2026-11-21')).toBeNull();
    expect(Object.keys(applicationProblems(person('2012-01-01', 'passport'), grassroots, '2026-11-21')!)).toEqual(['person.birthDate']);
    expect(applicationProblems(person(null, 'passport'), grassroots, '2026-11-21')).toEqual({ 'person.birthDate': '请填写出生日期' });
  });

  it('only grassroots-level unions take members', () => {
    for (const type of ['grassroots', 'joint_grassroots', 'village', 'industry_federation'] as const)
      expect(applicationProblems(person('1990-01-01'), { name: 'x', type }, '2026-11-21')).toBeNull();
    for (const type of ['city', 'county', 'town'] as const)
      expect(applicationProblems(person('1990-01-01'), { name: '东台市总工会', type }, '2026-11-21')?.targetOrgId).toContain('不直接接收会员');
  });
});
