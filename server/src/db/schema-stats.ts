// Row types for the indicator snapshots (migration 035). Merged into DB in schema.ts.
import type { ColumnType } from 'kysely';

type DateCol = ColumnType<string, string, string>;
type BigCol = ColumnType<string, string | number | bigint, string | number | bigint>;

export interface IndicatorSnapshotsTable {
  day: DateCol;
  code: string;
  org_id: BigCol;
  org_path: string;
  value: BigCol;
}

export interface IndicatorSnapshotRunsTable {
  day: DateCol;
  taken_at: Date;
  duration_ms: number;
}

export interface StatsTables {
  indicator_snapshots: IndicatorSnapshotsTable;
  indicator_snapshot_runs: IndicatorSnapshotRunsTable;
}
