// What a bench ran with: the PostgreSQL settings that move query times, and the machine's load.
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';

const SETTINGS = ['jit', 'shared_buffers', 'work_mem', 'random_page_cost', 'effective_cache_size', 'synchronous_commit', 'max_parallel_workers_per_gather'];

export async function postgresSettings<T>(db: Kysely<T>): Promise<Record<string, string>> {
  const { rows } = await sql<{ name: string; setting: string; unit: string | null }>`
    select name, setting, unit from pg_settings where name in (${sql.join(SETTINGS)}) order by name`.execute(db);
  const version = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
  return {
    server_version: version.rows[0]!.v,
    ...Object.fromEntries(rows.map((r) => [r.name, r.unit && r.unit !== 'ms' ? `${r.setting} × ${r.unit}` : r.setting])),
  };
}

/** The 1, 5 and 15 minute load averages (Linux), e.g. "1.52 1.20 0.88". */
export const loadAverage = () => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return null;
  }
};
