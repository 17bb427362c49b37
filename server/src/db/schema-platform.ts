// Tables of the platform itself (decision 037): files of unfinished import jobs, shared rate-limit counters.
import type { ColumnType, Generated } from 'kysely';

export interface JobFilesTable {
  queue: string;
  job_id: string;
  body: Buffer;
  created_at: Generated<Date>;
}

export interface RateLimitHitsTable {
  key: string;
  hits: number;
  reset_at: ColumnType<Date, Date | string, Date | string>;
}

export interface PlatformTables {
  job_files: JobFilesTable;
  rate_limit_hits: RateLimitHitsTable;
}
