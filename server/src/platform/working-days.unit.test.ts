import { describe, expect, it } from 'vitest';
import { OFFICIAL_SCHEDULES, officialDays } from '../modules/holidays/holidays.official.js';
import { addWorkingDays, calendarOf, isWorkingDay, weekdayOf, workingDaysBetween, WEEKDAYS_ONLY } from './working-days.js';

const cal = calendarOf(officialDays());
// 10:00 China time on a day.
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
const due = (day: string, n: number, c = cal) => addWorkingDays(at(day), n, c).toISOString();

describe('working days with the holiday calendar', () => {
  it('a 3-working-day SLA from 2026-09-30 runs past 国庆 and counts the 调休 Saturday', () => {
    // 10-01…10-07 off; 10-08 Thu, 10-09 Fri, 10-10 Sat (调休上班).
    expect(due('2026-09-30', 3)).toBe(at('2026-10-10').toISOString());
    // Without the calendar it would have been Monday 10-05.
    expect(due('2026-09-30', 3, WEEKDAYS_ONLY)).toBe(at('2026-10-05').toISOString());
  });

  it('a Friday before an ordinary weekend: next Monday, then Tuesday', () => {
    expect(due('2026-11-20', 1)).toBe(at('2026-11-23').toISOString());
    expect(due('2026-11-20', 2)).toBe(at('2026-11-24').toISOString());
  });

  it('a range across 春节 2026 (02-15…02-23 off, 02-14 and 02-28 worked)', () => {
    // Feb 2026 after 02-09: 10–13 (4), 14 Sat worked (1), 24–27 (4), 28 Sat worked (1).
    expect(workingDaysBetween('2026-02-09', '2026-02-28', cal)).toBe(10);
    expect(workingDaysBetween('2026-02-09', '2026-02-28', WEEKDAYS_ONLY)).toBe(14);
    // Submitted Friday 02-13: the Saturday counts, then the holiday is skipped.
    expect(due('2026-02-13', 1)).toBe(at('2026-02-14').toISOString());
    expect(due('2026-02-13', 2)).toBe(at('2026-02-24').toISOString());
    expect(workingDaysBetween('2026-02-28', '2026-02-09', cal)).toBe(0);
  });

  it('the 15-working-day join SLA across 春节 2025', () => {
    // 2025-01-20 Mon: 21–24 (4), 26 Sun worked (1), 27 (1), 01-28…02-04 off, 05–07 (3), 08 Sat worked (1), 10–14 (5) = 15.
    expect(due('2025-01-20', 15)).toBe(at('2025-02-14').toISOString());
  });

  it('a day staff add changes the answer; years without a schedule count Monday to Friday', () => {
    const extra = calendarOf([...officialDays(), { day: '2026-11-23', kind: 'holiday' }]);
    expect(due('2026-11-20', 1, extra)).toBe(at('2026-11-24').toISOString());
    expect(due('2027-09-30', 3)).toBe(at('2027-10-05').toISOString());
  });

  it('keeps the time of day across the China midnight', () => {
    // 23:30 China time on Friday = 15:30 UTC: the next working day is Monday in China time.
    const late = new Date('2026-11-20T23:30:00+08:00');
    expect(addWorkingDays(late, 1, cal).toISOString()).toBe(new Date('2026-11-23T23:30:00+08:00').toISOString());
  });
});

describe('the published schedules', () => {
  it('match the notices: every 调休 day is a weekend, holidays are not, and the totals are right', () => {
    const days = officialDays();
    expect(new Set(days.map((d) => d.day)).size).toBe(days.length);
    for (const d of days.filter((x) => x.kind === 'workday')) expect([0, 6], d.day).toContain(weekdayOf(d.day));
    for (const d of days) expect(isWorkingDay(d.day, cal), d.day).toBe(d.kind === 'workday');
    const count = (year: number, name: string) => days.filter((d) => d.day.startsWith(`${year}`) && d.kind === 'holiday' && d.name === name).length;
    expect(count(2025, '春节')).toBe(8);
    expect(count(2025, '国庆节、中秋节')).toBe(8);
    expect(count(2026, '春节')).toBe(9);
    expect(count(2026, '国庆节')).toBe(7);
    expect(Object.keys(OFFICIAL_SCHEDULES)).toEqual(['2025', '2026']);
    // Weekdays as the notices state them.
    expect(weekdayOf('2026-02-15')).toBe(0);
    expect(weekdayOf('2026-10-10')).toBe(6);
    expect(weekdayOf('2025-01-28')).toBe(2);
  });
});
