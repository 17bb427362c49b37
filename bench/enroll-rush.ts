// The enrollment rush as a load generator: every member POSTs one enroll request over keep-alive
// HTTP, `concurrency` at a time, and every answer is kept (status, latency, what the server said).
import http from 'node:http';

export interface Answer {
  status: number;
  ms: number;
  /** `enrolled` / `waitlisted` … from a 2xx body. */
  result?: string;
  id?: string;
  position?: number | null;
}

export interface RushOptions {
  port: number;
  activityId: string;
  tokens: { token: string; csrf: string }[];
  concurrency: number;
  /** Called after every answer with the number of answers so far; returning true stops sending new requests. */
  onAnswer?: (answered: number) => boolean | void;
}

export async function rush(o: RushOptions): Promise<{ answers: (Answer | undefined)[]; wallMs: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency, maxFreeSockets: o.concurrency });
  const path = `/api/worker/activities/${o.activityId}/enroll`;
  const body = '{}';
  const post = (i: number) =>
    new Promise<Answer>((resolve) => {
      const t = performance.now();
      const req = http.request(
        {
          host: '127.0.0.1',
          port: o.port,
          path,
          method: 'POST',
          agent,
          // an answer never comes only if the server hangs: bounded, so the bench always ends
          timeout: 60_000,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            cookie: `gh_wsid=${o.tokens[i]!.token}`,
            'x-csrf-token': o.tokens[i]!.csrf,
            // each worker from its own address, as on the internet (the server trusts the proxy header)
            'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const a: Answer = { status: res.statusCode ?? 0, ms: performance.now() - t };
            try {
              const j = JSON.parse(Buffer.concat(chunks).toString()) as { id?: string; status?: string; waitlistPosition?: number | null };
              a.result = j.status;
              a.id = j.id;
              a.position = j.waitlistPosition;
            } catch {
              // not JSON: counted by status only
            }
            resolve(a);
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ status: 0, ms: performance.now() - t }));
      req.end(body);
    });

  const answers: (Answer | undefined)[] = new Array(o.tokens.length);
  let next = 0;
  let answered = 0;
  let stop = false;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < o.tokens.length && !stop) {
        const i = next++;
        answers[i] = await post(i);
        answered++;
        if (o.onAnswer?.(answered)) stop = true;
      }
    }),
  );
  const wallMs = performance.now() - t0;
  agent.destroy();
  return { answers, wallMs };
}

/** p-quantile of the latencies, ms. */
export function quantiles(answers: Answer[]) {
  const lat = answers.map((r) => r.ms).sort((a, b) => a - b);
  return (p: number) => Number(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(1));
}

export function byStatus(answers: Answer[]) {
  const out: Record<string, number> = {};
  for (const r of answers) {
    const k = `${r.status}${r.result ? `:${r.result}` : ''}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
