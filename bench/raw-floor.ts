// The raw floor: a plain node:http server with the project's driver (pg, a pool of the same size)
// running exactly the SQL the project sends, with the same parameters — the yardstick a bench's
// throughput is divided by (`*_vs_raw`), measured in the same run on the same machine.
//   tsx bench/raw-floor.ts  with DATABASE_URL (and RAW_FLOOR_POOL, default 10) → prints `listening <port>`
//   POST /register {"name": "...", "requests": [[{"text": "...", "values": [...]}, …], …]}
//        a named list of requests, each a sequence of statements run on one connection, in order
//   GET  /run/<name>/<k>   runs request k of <name>; answers the last statement's rows as JSON
// Used by bench/members-search.ts; reusable by any bench (startRawFloor below).
import { spawn } from 'node:child_process';
import http from 'node:http';
import pg from 'pg';
import { connectionConfig } from '../server/src/db/database.js';

export interface Statement {
  text: string;
  values: unknown[];
}

/** Starts the floor in a child process (its own CPU, like the project's server). */
export async function startRawFloor(databaseUrl: string, poolSize = 10) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/raw-floor.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, RAW_FLOOR_POOL: String(poolSize) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      const m = /listening (\d+)/.exec(b.toString());
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`raw floor exited ${code}`)));
  });
  return {
    port,
    async register(name: string, requests: Statement[][]) {
      const res = await fetch(`http://127.0.0.1:${port}/register`, { method: 'POST', body: JSON.stringify({ name, requests }) });
      if (res.status !== 204) throw new Error(`raw floor register ${name}: ${res.status} ${await res.text()}`);
    },
    path: (name: string, k: number) => `/run/${name}/${k}`,
    stop() {
      child.kill('SIGTERM');
    },
  };
}

if (process.argv[1]?.endsWith('raw-floor.ts')) {
  pg.types.setTypeParser(1082, (v: string) => v);
  // The project's connection settings (no JIT): the same session the server's statements run in.
  const pool = new pg.Pool({ ...connectionConfig(process.env.DATABASE_URL!), max: Number(process.env.RAW_FLOOR_POOL ?? 10) });
  const registered = new Map<string, Statement[][]>();

  const run = async (statements: Statement[]) => {
    const client = await pool.connect();
    try {
      let rows: unknown[] = [];
      for (const s of statements) rows = (await client.query(s.text, s.values)).rows;
      return rows;
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  };

  const server = http.createServer((req, res) => {
    const answer = (status: number, body?: unknown) => {
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const m = /^\/run\/([^/]+)\/(\d+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && m) {
      const statements = registered.get(m[1]!)?.[Number(m[2])];
      if (!statements) return answer(404, { error: 'unknown request' });
      run(statements).then(
        (rows) => answer(200, { rows }),
        (e: Error) => answer(500, { error: e.message }),
      );
      return;
    }
    if (req.method === 'POST' && req.url === '/register') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { name: string; requests: Statement[][] };
        registered.set(body.name, body.requests);
        answer(204);
      });
      return;
    }
    answer(404, { error: 'not found' });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    console.log(`listening ${typeof a === 'object' && a ? a.port : 0}`);
  });
  process.on('SIGTERM', () => process.exit(0));
}
