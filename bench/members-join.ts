// The members bench's join phase: 50 concurrent connections for 10 s (after 2 s of warm-up), each
// request a different logged-in worker submitting a join application (POST /api/worker/join).
import http from 'node:http';
import { JOIN_CONSENT } from '../server/src/modules/joining/joining.schema.js';
import { benchResidentId } from './members-data.js';
import { cpuMsSince } from './pg-info.js';

const err = (...m: unknown[]) => console.error(...m);

export async function joinPhase(
  base: string,
  workerTokens: { token: string; csrf: string; n: number }[],
  enterprises: { id: string; path: string }[],
  county: string,
  cpu?: { server: () => number; postgres: () => Promise<Map<number, number>> },
) {
  const joinOrgs = enterprises.filter((o) => o.path.startsWith(county));
  // node:http with keep-alive, as the search phase's load loop: fetch() cost the load generator about
  // as much CPU per request as the server spent, on the same two cores.
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  const post = (path: string, o: { headers: Record<string, string>; body: string }) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path, method: 'POST', agent, headers: o.headers }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(o.body);
    });
  let w = 0;
  let joins = 0;
  let failures = 0;
  // Each request a different worker; `ms` of load, counted in `joins` / `failures`.
  const load = (ms: number) => {
    const deadline = performance.now() + ms;
    return Promise.all(
      Array.from({ length: 50 }, async () => {
        while (performance.now() < deadline && w < workerTokens.length) {
          const t = workerTokens[w++]!;
          const n = 50_000_000 + t.n;
          const status = await post(`/api/worker/join`, {
            headers: {
              'content-type': 'application/json',
              cookie: `gh_wsid=${t.token}`,
              'x-csrf-token': t.csrf,
              'x-forwarded-for': `10.${(t.n >> 16) & 255}.${(t.n >> 8) & 255}.${t.n & 255}`,
            },
            body: JSON.stringify({
              person: { idType: 'resident_id', idNumber: benchResidentId(n), name: '王建国', phone: `19${String(t.n).padStart(9, '0')}` },
              employment: { employmentForm: 'courier' },
              targetOrgId: String(joinOrgs[t.n % joinOrgs.length]!.id),
              consent: { agreed: true, version: JOIN_CONSENT.version },
              idempotencyKey: `bench-${t.n}-join`,
            }),
          });
          if (status === 200) joins++;
          else if (failures++ < 3) err(`join ${status}`);
        }
      }),
    );
  };
  // 2 s of warm-up first, not counted: the server's first requests compile and prepare (V8, the
  // prepared statements, lazily loaded modules), which would otherwise land on the per-submission CPU.
  await load(2_000);
  joins = 0;
  failures = 0;
  const [server0, pg0, gen0] = cpu ? [cpu.server(), await cpu.postgres(), process.cpuUsage()] : [0, new Map<number, number>(), null];
  const joinStart = performance.now();
  await load(10_000);
  const joinRate = Math.round(joins / ((performance.now() - joinStart) / 1000));
  agent.destroy();
  err(`入会申请：${joins} 份，${joinRate} 份/秒，失败 ${failures}`);
  if (!cpu || !joins) return { joinRate, cpuMsPerJoin: null };
  // CPU per submission by side: where a join's time goes on a machine whose cores are shared.
  const gen = process.cpuUsage(gen0!);
  const perJoin = (ms: number) => Number((ms / joins).toFixed(2));
  const cpuMsPerJoin = {
    server: perJoin(cpu.server() - server0),
    postgres: perJoin(cpuMsSince(pg0, await cpu.postgres())),
    loadgen: perJoin((gen.user + gen.system) / 1000),
  };
  err(`每份 CPU 毫秒：${JSON.stringify(cpuMsPerJoin)}`);
  return { joinRate, cpuMsPerJoin };
}
