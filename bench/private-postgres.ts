// A private PostgreSQL cluster for the enroll bench: `initdb` into a temporary folder as the
// `postgres` OS user, default settings (nothing tuned: the figures are "PostgreSQL as it comes"),
// its own port and socket folder. The bench may kill it (`kill -9` of its postmaster) and restart it
// (crash recovery) — which must never happen to the shared server on 5432 that the tests use — and
// removes it afterwards.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const OS_USER = 'postgres';

export function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error('找不到 PostgreSQL 程序（initdb）：请安装 PostgreSQL 或设置 PG_BIN');
  return join(root, versions[0], 'bin');
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** The pids of a process's children (read before a kill: orphans are re-parented afterwards). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export interface PrivateCluster {
  /** Connection URL of the `postgres` database, superuser `postgres`, trust over 127.0.0.1. */
  url: string;
  /** The same over the cluster's Unix socket. */
  socketUrl: string;
  port: number;
  dataDir: string;
  version: string;
  postmasterPid(): number;
  /** The postmaster and its processes (backends, walwriter, checkpointer …), for CPU accounting. */
  pids(): number[];
  /**
   * `kill -9` of the postmaster, then waits for its orphaned processes to end (they notice its death;
   * SIGKILL after `graceMs`). `killAll`: every process of the cluster gets SIGKILL at once, so no
   * orphaned backend finishes the statement it is running.
   */
  crash(killAll?: boolean, graceMs?: number): Promise<{ postmaster: number; orphans: number; orphansKilled: number }>;
  /** `pg_ctl start`: crash recovery runs before it accepts connections. */
  start(): number;
  /** Stops the cluster and removes its folder. */
  destroy(): void;
}

export async function startPrivateCluster(preferredPort = 55432): Promise<PrivateCluster> {
  const bin = binDir();
  let port = preferredPort;
  while (!(await portFree(port))) port++;
  const root = mkdtempSync(join(tmpdir(), 'gonghui-bench-pg-'));
  const dataDir = join(root, 'data');
  const sockets = join(root, 'sockets');
  const log = join(root, 'server.log');
  mkdirSync(sockets);
  for (const p of [root, sockets]) chownSync(p, uid(OS_USER), gid(OS_USER));
  // As the postgres OS user (the bench runs as root, and PostgreSQL refuses to run as root).
  const asPostgres = (cmd: string, args: string[]) =>
    execFileSync('runuser', ['-u', OS_USER, '--', join(bin, cmd), ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: root }).toString();
  const destroy = () => {
    try {
      if (existsSync(join(dataDir, 'postmaster.pid'))) asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped (or crashed)
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    asPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
    const start = () => {
      const t0 = performance.now();
      // Only where it listens is given on the command line; every other setting is initdb's default.
      // BENCH_PG_STATS=1 loads pg_stat_statements (a diagnosis run: where PostgreSQL's time goes).
      const stats = process.env.BENCH_PG_STATS
        ? ' -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.track_planning=on'
        : '';
      asPostgres('pg_ctl', ['-D', dataDir, '-l', log, '-w', '-t', '300', '-o', `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1${stats}`, 'start']);
      return performance.now() - t0;
    };
    start();
    const postmasterPid = () => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const version = asPostgres('postgres', ['--version']).trim();
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      socketUrl: `postgres://postgres@localhost:${port}/postgres?host=${encodeURIComponent(sockets)}`,
      port,
      dataDir,
      version,
      postmasterPid,
      pids() {
        try {
          const pm = postmasterPid();
          return [pm, ...childrenOf(pm)];
        } catch {
          return [];
        }
      },
      async crash(killAll = false, graceMs = 10_000) {
        const pm = postmasterPid();
        const orphans = childrenOf(pm);
        process.kill(pm, 'SIGKILL');
        if (killAll) for (const pid of orphans) process.kill(pid, 'SIGKILL');
        // Orphaned backends notice the postmaster's death and exit; the restart waits for them
        // (PostgreSQL refuses to start while they still hold the old shared memory).
        const until = Date.now() + graceMs;
        while (orphans.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        const left = orphans.filter(alive);
        for (const pid of left) process.kill(pid, 'SIGKILL');
        while (left.some(alive)) await new Promise((r) => setTimeout(r, 20));
        return { postmaster: pm, orphans: orphans.length, orphansKilled: left.length };
      },
      start,
      destroy,
    };
  } catch (e) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    destroy();
    throw new Error(`私有 PostgreSQL 启动失败：${(e as Error).message}\n${tail}`);
  }
}

function uid(user: string) {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}
function gid(user: string) {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}
