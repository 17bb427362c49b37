// Working days in China Standard Time: Monday to Friday, minus the statutory holidays
// (法定节假日), plus the swapped working weekends (调休上班日). The calendar is data (the
// `holidays` table, loaded by modules/holidays), so this arithmetic stays pure.
const CST = 8 * 3600_000;
const DAY = 86_400_000;

/** The special days of the calendar as 'YYYY-MM-DD' (China time). */
export interface WorkingCalendar {
  /** Days off that would otherwise be working days (or fall on a weekend inside a holiday). */
  readonly holidays: ReadonlySet<string>;
  /** Saturdays/Sundays that are working days (调休). */
  readonly workdays: ReadonlySet<string>;
}

/** No special days: Monday to Friday. What a year without a published schedule counts. */
export const WEEKDAYS_ONLY: WorkingCalendar = { holidays: new Set(), workdays: new Set() };

export function calendarOf(days: Iterable<{ day: string; kind: 'holiday' | 'workday' }>): WorkingCalendar {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const d of days) (d.kind === 'holiday' ? holidays : workdays).add(d.day);
  return { holidays, workdays };
}

const dayOf = (t: number) => new Date(t + CST).toISOString().slice(0, 10);
/** 0 = Sunday … 6 = Saturday, of a 'YYYY-MM-DD' day. */
export const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

export function isWorkingDay(day: string, cal: WorkingCalendar): boolean {
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  const dow = weekdayOf(day);
  return dow !== 0 && dow !== 6;
}

/** The instant `days` working days after `from`, at the same time of day (the SLA due time). */
export function addWorkingDays(from: Date, days: number, cal: WorkingCalendar): Date {
  let t = from.getTime();
  let left = days;
  while (left > 0) {
    t += DAY;
    if (isWorkingDay(dayOf(t), cal)) left--;
  }
  return new Date(t);
}

/** Working days after `fromDay` up to and including `toDay` ('YYYY-MM-DD'); 0 when toDay <= fromDay. */
export function workingDaysBetween(fromDay: string, toDay: string, cal: WorkingCalendar): number {
  let n = 0;
  const end = Date.parse(`${toDay}T00:00:00Z`);
  for (let t = Date.parse(`${fromDay}T00:00:00Z`) + DAY; t <= end; t += DAY) {
    if (isWorkingDay(new Date(t).toISOString().slice(0, 10), cal)) n++;
  }
  return n;
}
