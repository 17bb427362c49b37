// Row types for the indicator snapshots (migration 035). Merged into DB in schema.ts.
import type { ColumnType } from 'kysely';

type DateCol = ColumnType<string, string, string>;
type BigCol = ColumnType<string, string | number | bigint, string | number | bigint>;

export interface IndicatorSnapshotsTable {
  day: DateCol;
  code: string;
  org_id: BigCol;
  org_path: string;
  /** The org's parent (null for the root): the children compared are the rows whose parent is the asked org. */
  parent_id: BigCol | null;
  /** The org's own count. */
  value: BigCol;
  /** The count over the org's whole subtree, itself included (decision 032). */
  subtree_value: BigCol;
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
