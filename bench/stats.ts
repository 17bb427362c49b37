// The indicator catalogue at city scale (issue 15): the snapshot job over the generated roll, then a city
// leader's home (GET /api/stats/overview: every indicator, the ten counties side by side) and one
// indicator's drill-down for a county, one request at a time, through the HTTP API.
import type { Database } from '../server/src/db/database.js';
import { chinaDay } from '../server/src/platform/china-time.js';
import { STOCK_CODES } from '../server/src/modules/stats/stats.catalogue.js';
import { statsRepository } from '../server/src/modules/stats/stats.repository.js';
import { pct } from './members-data.js';

/** Takes today's snapshot the way the job does (before the server starts, so its start-up run is skipped). */
export async function statsSnapshot(database: Database) {
  const t0 = performance.now();
  const day = chinaDay(new Date());
  await database.db.transaction().execute(async (trx) => {
    for (const code of STOCK_CODES) await statsRepository.snapshotStock(trx, code, day);
    await statsRepository.recordRun(trx, day, new Date(), Math.round(performance.now() - t0));
  });
  return Math.round(performance.now() - t0);
}

export async function statsPhase(opts: { base: string; cityCookie: string; countyCookie: string; runs?: number }) {
  const runs = opts.runs ?? 40;
  const timeGet = async (path: string, cookie: string) => {
    const times: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const t = performance.now();
      const res = await fetch(`${opts.base}${path}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      if (i >= 3) times.push(performance.now() - t); // the first three warm the plans and the caches
    }
    return Number(pct(times, 0.95).toFixed(1));
  };
  const year = new Date().getFullYear();
  return {
    home_p95_ms: await timeGet(`/api/stats/overview?from=${year}-01-01`, opts.cityCookie),
    indicator_drilldown_p95_ms: await timeGet(`/api/stats/indicators/members.live?from=${year}-01-01`, opts.countyCookie),
    indicator_flow_p95_ms: await timeGet(`/api/stats/indicators/members.joined?from=${year - 4}-01-01`, opts.cityCookie),
  };
}
