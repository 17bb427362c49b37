// Row types for the annual report's highlights (migration 039). Merged into DB in schema.ts.
import type { ColumnType } from 'kysely';

type BigCol = ColumnType<string, string | number | bigint, string | number | bigint>;

export interface AnnualHighlightsTable {
  org_id: BigCol;
  year: number;
  body: string;
  version: ColumnType<number, number | undefined, number>;
  updated_by: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ReportsTables {
  annual_highlights: AnnualHighlightsTable;
}
