// The State Council's published holiday schedules (国务院办公厅关于…部分节假日安排的通知), seeded
// into `holidays` at every start (missing days only). A year is added here once its notice is
// out; until then SLAs in that year count Monday to Friday. 2027: not yet published.
import type { HolidayKind } from '../../db/schema-holidays.js';

export interface OfficialSchedule {
  notice: string;
  /** Inclusive ranges of days off. */
  holidays: { from: string; to: string; name: string }[];
  /** Weekend days that are working days (调休上班). */
  workdays: { day: string; name: string }[];
}

export const OFFICIAL_SCHEDULES: Record<number, OfficialSchedule> = {
  2025: {
    notice: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
    holidays: [
      { from: '2025-01-01', to: '2025-01-01', name: '元旦' },
      { from: '2025-01-28', to: '2025-02-04', name: '春节' },
      { from: '2025-04-04', to: '2025-04-06', name: '清明节' },
      { from: '2025-05-01', to: '2025-05-05', name: '劳动节' },
      { from: '2025-05-31', to: '2025-06-02', name: '端午节' },
      { from: '2025-10-01', to: '2025-10-08', name: '国庆节、中秋节' },
    ],
    workdays: [
      { day: '2025-01-26', name: '春节调休' },
      { day: '2025-02-08', name: '春节调休' },
      { day: '2025-04-27', name: '劳动节调休' },
      { day: '2025-09-28', name: '国庆节、中秋节调休' },
      { day: '2025-10-11', name: '国庆节、中秋节调休' },
    ],
  },
  2026: {
    notice: '国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）',
    holidays: [
      { from: '2026-01-01', to: '2026-01-03', name: '元旦' },
      { from: '2026-02-15', to: '2026-02-23', name: '春节' },
      { from: '2026-04-04', to: '2026-04-06', name: '清明节' },
      { from: '2026-05-01', to: '2026-05-05', name: '劳动节' },
      { from: '2026-06-19', to: '2026-06-21', name: '端午节' },
      { from: '2026-09-25', to: '2026-09-27', name: '中秋节' },
      { from: '2026-10-01', to: '2026-10-07', name: '国庆节' },
    ],
    workdays: [
      { day: '2026-01-04', name: '元旦调休' },
      { day: '2026-02-14', name: '春节调休' },
      { day: '2026-02-28', name: '春节调休' },
      { day: '2026-05-09', name: '劳动节调休' },
      { day: '2026-09-20', name: '国庆节调休' },
      { day: '2026-10-10', name: '国庆节调休' },
    ],
  },
};

/** Every day of the published schedules, one row each. */
export function officialDays(): { day: string; kind: HolidayKind; name: string }[] {
  const out: { day: string; kind: HolidayKind; name: string }[] = [];
  for (const s of Object.values(OFFICIAL_SCHEDULES)) {
    for (const h of s.holidays) {
      for (let t = Date.parse(`${h.from}T00:00:00Z`); t <= Date.parse(`${h.to}T00:00:00Z`); t += 86_400_000) {
        out.push({ day: new Date(t).toISOString().slice(0, 10), kind: 'holiday', name: h.name });
      }
    }
    for (const w of s.workdays) out.push({ day: w.day, kind: 'workday', name: w.name });
  }
  return out;
}
