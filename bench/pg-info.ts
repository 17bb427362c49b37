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

/** CPU (user + system, ms) of each given process from /proc; a process that ended is left out. */
export function cpuMsByPid(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.set(pid, ((Number(f[11]) + Number(f[12])) * 1000) / 100);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

export const cpuMsOf = (pids: number[]) => [...cpuMsByPid(pids).values()].reduce((a, b) => a + b, 0);

/** CPU spent since `before` by the processes read now (a process that started since counts from 0). */
export const cpuMsSince = (before: Map<number, number>, now: Map<number, number>) => [...now].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);

/** The pids of the backends connected to this database (the server's pool), and PostgreSQL's WAL writer. */
export async function backendPids<T>(db: Kysely<T>): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database() or backend_type = 'walwriter'`.execute(db);
  return rows.map((r) => r.pid);
}
