// Starts the real server (`server/src/main.ts` through tsx) as a child process on a free port
// with its own data folder, the way `npm start` does minus the front-end build.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  /** Milliseconds from spawn to "已启动". */
  startMs: number;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnServer(opts: { dataDir?: string; port?: number; env?: Record<string, string> } = {}) {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'gonghui-e2e-'));
  const env = { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...opts.env } as NodeJS.ProcessEnv;
  delete env.DATABASE_URL;
  if (opts.port) env.PORT = String(opts.port);
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, dataDir, output: () => out, exited };
}

/**
 * A copy of the data folder the e2e run's global set-up seeded (tests/support/e2e-setup.ts): a file
 * starts on the demo story without replaying it (a minute of seeding per file on PGlite). Undefined
 * outside the e2e run.
 */
function copyOfSeededDataDir(): string | undefined {
  const template = process.env.GONGHUI_E2E_SEEDED_DIR;
  if (!template || !existsSync(template)) return undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'gonghui-e2e-'));
  cpSync(template, dataDir, { recursive: true });
  return dataDir;
}

/**
 * `fresh`: an empty data folder, so the server seeds the demo itself (the first start as a new user
 * sees it); otherwise a copy of the run's seeded folder when there is one.
 */
export async function startServer(opts: { dataDir?: string; timeoutMs?: number; fresh?: boolean } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const started = Date.now();
  const { child, dataDir, output, exited } = spawnServer({ dataDir: opts.dataDir ?? (opts.fresh ? undefined : copyOfSeededDataDir()), port });
  // GONGHUI_E2E_START_MS: a loaded machine (several test runs at once) may need longer than the default,
  // which stays inside the e2e project's 120 s hook timeout.
  const deadline = started + (opts.timeoutMs ?? (Number(process.env.GONGHUI_E2E_START_MS) || 110_000));
  while (!output().includes('已启动')) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start in time:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    child,
    output,
    startMs: Date.now() - started,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
