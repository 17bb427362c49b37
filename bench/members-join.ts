// The members bench's join phase: 50 concurrent connections for 10 s, each request a different
// logged-in worker submitting a join application (POST /api/worker/join).
import { JOIN_CONSENT } from '../server/src/modules/joining/joining.schema.js';
import { benchResidentId } from './members-data.js';

const err = (...m: unknown[]) => console.error(...m);

export async function joinPhase(
  base: string,
  workerTokens: { token: string; csrf: string; n: number }[],
  enterprises: { id: string; path: string }[],
  county: string,
) {
  // ---- joins: 50 concurrent connections for 10 s, each request a different logged-in worker ----
  const joinOrgs = enterprises.filter((o) => o.path.startsWith(county));
  let w = 0;
  let joins = 0;
  let failures = 0;
  const joinStart = performance.now();
  const deadline = joinStart + 10_000;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (performance.now() < deadline && w < workerTokens.length) {
        const t = workerTokens[w++]!;
        const n = 50_000_000 + t.n;
        const res = await fetch(`${base}/api/worker/join`, {
          method: 'POST',
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
        await res.arrayBuffer();
        if (res.status === 200) joins++;
        else if (failures++ < 3) err(`join ${res.status}`);
      }
    }),
  );
  const joinRate = Math.round(joins / ((performance.now() - joinStart) / 1000));
  err(`入会申请：${joins} 份，${joinRate} 份/秒，失败 ${failures}`);
  return joinRate;
}
