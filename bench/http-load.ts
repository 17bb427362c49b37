// A small autocannon-like load loop: `concurrency` keep-alive connections, each sending the next
// request as soon as its answer is read, for `durationMs`. Requests go round-robin over `paths`.
import http from 'node:http';
import { pct } from './members-data.js';

export async function httpLoad(opts: { port: number; paths: string[]; headers?: Record<string, string>; concurrency?: number; durationMs?: number }) {
  const concurrency = opts.concurrency ?? 20;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const times: number[] = [];
  let next = 0;
  let errors = 0;
  const once = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: opts.port, path, agent, headers: opts.headers }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  const start = performance.now();
  const deadline = start + (opts.durationMs ?? 5000);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const status = await once(opts.paths[next++ % opts.paths.length]!).catch(() => 0);
        if (status === 200) times.push(performance.now() - t);
        else errors++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { rps: Math.round(times.length / seconds), p50_ms: times.length ? pct(times, 0.5) : null, p99_ms: times.length ? pct(times, 0.99) : null, errors };
}
