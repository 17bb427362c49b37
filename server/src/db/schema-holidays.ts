// Row types for the holiday calendar (migration 019). Merged into DB in schema.ts.
import type { ColumnType } from 'kysely';
import type { DefaultedTimestamp } from './schema-common.js';

/** 'holiday' = a day off (法定节假日); 'workday' = a weekend day worked (调休上班日). */
export type HolidayKind = 'holiday' | 'workday';
type DateCol = ColumnType<string, string, string>;

export interface HolidaysTable {
  day: DateCol;
  kind: HolidayKind;
  name: string;
  /** Set when staff remove the day: the row stays so the start-up seed does not bring it back. */
  removed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  updated_at: DefaultedTimestamp;
  /** The staff account of the last change; null for the seeded official schedule. */
  updated_by: ColumnType<string | null, string | number | bigint | null | undefined, string | number | bigint | null>;
}

export interface HolidaysTables {
  holidays: HolidaysTable;
}
