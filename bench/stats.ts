// The indicator catalogue at city scale (issue 15): the snapshot job over the generated roll, then a city
// leader's home (GET /api/home as the 领导 account: key figures with their 12-month trends), the city's
// statistics page (GET /api/stats/overview: every indicator, the ten counties side by side), one stock
// indicator's drill-down for a county and one flow over five years, one request at a time, through the HTTP API.
import { sql } from 'kysely';
import type { Database } from '../server/src/db/database.js';
import { chinaDay } from '../server/src/platform/china-time.js';
import { STOCK_CODES } from '../server/src/modules/stats/stats.catalogue.js';
import { statsRepository } from '../server/src/modules/stats/stats.repository.js';
import { pct } from './members-data.js';

/**
 * Takes today's snapshot the way the job does (before the server starts, so its start-up run is skipped),
 * then gives it the history a year of running leaves (decision 032: the last 62 days and each month's last
 * day): today's rows copied to those days, so the home page's 12-month trends read what they will in production.
 */
export async function statsSnapshot(database: Database) {
  const t0 = performance.now();
  const day = chinaDay(new Date());
  await database.db.transaction().execute(async (trx) => {
    for (const code of STOCK_CODES) await statsRepository.snapshotStock(trx, code, day);
    await statsRepository.recordRun(trx, day, new Date(), Math.round(performance.now() - t0));
  });
  const ms = Math.round(performance.now() - t0);
  const past = new Set<string>();
  const at = (n: number) => chinaDay(new Date(Date.now() - n * 86_400_000));
  for (let n = 1; n <= 62; n++) past.add(at(n));
  for (let n = 63; n <= 400; n++) if (at(n).slice(0, 7) !== at(n - 1).slice(0, 7)) past.add(at(n));
  await sql`delete from indicator_snapshots where day <> ${day}::date`.execute(database.db);
  await sql`insert into indicator_snapshots (day, code, org_id, org_path, parent_id, value, subtree_value)
    select d::date, code, org_id, org_path, parent_id, value, subtree_value
    from indicator_snapshots cross join unnest(${[...past]}::text[]) as d
    where day = ${day}::date`.execute(database.db);
  for (const d of past) await statsRepository.recordRun(database.db, d, new Date(`${d}T02:00:00+08:00`), ms);
  // A year's rows arrive a day at a time in production, with autovacuum's analyze between; here at once.
  await sql`analyze indicator_snapshots`.execute(database.db);
  return ms;
}

export async function statsPhase(opts: { base: string; leaderCookie: string; cityCookie: string; countyCookie: string; runs?: number }) {
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
    home_p95_ms: await timeGet('/api/home', opts.leaderCookie),
    overview_p95_ms: await timeGet(`/api/stats/overview?from=${year}-01-01`, opts.cityCookie),
    indicator_drilldown_p95_ms: await timeGet(`/api/stats/indicators/members.live?from=${year}-01-01`, opts.countyCookie),
    indicator_flow_p95_ms: await timeGet(`/api/stats/indicators/members.joined?from=${year - 4}-01-01`, opts.cityCookie),
  };
}
