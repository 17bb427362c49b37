// npm run bench -- --suite stations [--sites N] [--json]: the nearest-sites query of 附近驿站 at city
// scale (10,000 sites over the 盐城 area by default), through the service the H5 calls. PGlite in
// memory, or a fresh database on DATABASE_URL.
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import type { Database } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { systemClock } from '../server/src/platform/clock.js';
import type { ModuleContext } from '../server/src/modules/module-context.js';
import { createStationsService } from '../server/src/modules/stations/stations.service.js';
import { STATION_TYPE_CODES } from '../server/src/modules/stations/stations.constants.js';

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 盐城 roughly: lng 119.45–121.0, lat 32.55–34.45
const BOX = { lng0: 119.45, lng1: 121.0, lat0: 32.55, lat1: 34.45 };
const FACILITIES = ['water', 'microwave', 'charging', 'toilet', 'seats', 'medkit', 'nursing', 'legal', 'wifi', 'truck_parking'];

export async function stationsSuite(args: string[], open: () => Promise<{ database: Database; cleanup: () => Promise<void> }>) {
  const sites = args.includes('--sites') ? Number(args[args.indexOf('--sites') + 1]) : 10_000;
  const queries = 500;
  const { database, cleanup } = await open();
  try {
    const db = database.db;
    await migrateToLatest(db);
    const rand = mulberry32(14);
    const city = await db
      .insertInto('orgs')
      .values({ parent_id: null, path: '/1/', depth: 0, type: 'city', name: '基准市总工会', id: 1 } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const counties: string[] = [];
    for (let i = 0; i < 10; i++) {
      const id = 2 + i;
      await db
        .insertInto('orgs')
        .values({ id, parent_id: city.id, path: `/1/${id}/`, depth: 1, type: 'county', name: `基准县${i + 1}总工会` } as never)
        .execute();
      counties.push(String(id));
    }
    // clustered like real sites: around 150 towns, plus a scatter
    const centres = Array.from({ length: 150 }, () => [BOX.lng0 + rand() * (BOX.lng1 - BOX.lng0), BOX.lat0 + rand() * (BOX.lat1 - BOX.lat0)] as const);
    const hours = JSON.stringify({ allDay: false, days: Array.from({ length: 7 }, () => ({ open: '08:00', close: '20:00' })) });
    const load0 = performance.now();
    for (let b = 0; b < sites; b += 1000) {
      const rows = Array.from({ length: Math.min(1000, sites - b) }, (_, k) => {
        const i = b + k;
        const [clng, clat] =
          rand() < 0.8 ? centres[Math.floor(rand() * centres.length)]! : [BOX.lng0 + rand() * (BOX.lng1 - BOX.lng0), BOX.lat0 + rand() * (BOX.lat1 - BOX.lat0)];
        return {
          org_id: counties[i % 10]!,
          type: STATION_TYPE_CODES[Math.floor(rand() * STATION_TYPE_CODES.length)]!,
          name: `基准阵地${i}`,
          address: `基准地址${i}`,
          longitude: (clng + (rand() - 0.5) * 0.06).toFixed(6),
          latitude: (clat + (rand() - 0.5) * 0.06).toFixed(6),
          hours,
          facilities: FACILITIES.filter(() => rand() < 0.5),
          status: (rand() < 0.9 ? 'operating' : rand() < 0.5 ? 'paused' : 'planning') as 'operating',
        };
      });
      await db.insertInto('stations').values(rows).execute();
    }
    await sql`analyze stations`.execute(db);
    const loadMs = performance.now() - load0;
    const svc = createStationsService({ database, clock: systemClock } as unknown as ModuleContext);
    const point = () => ({ lat: BOX.lat0 + rand() * (BOX.lat1 - BOX.lat0), lng: BOX.lng0 + rand() * (BOX.lng1 - BOX.lng0) });
    for (let i = 0; i < 30; i++) await svc.nearby({ ...point(), limit: 20 }); // warm-up
    const times: number[] = [];
    const filtered: number[] = [];
    for (let i = 0; i < queries; i++) {
      const q = { ...point(), limit: 20, ...(i % 3 === 1 && { type: STATION_TYPE_CODES[i % 8]! }), ...(i % 3 === 2 && { facility: FACILITIES[i % 10]! }) };
      const t = performance.now();
      const r = await svc.nearby(q);
      const ms = performance.now() - t;
      if (r.items.length === 0) throw new Error('no site found');
      (i % 3 === 0 ? times : filtered).push(ms);
    }
    // the floor on this machine at this moment: the cheapest round trip (select 1), same count
    const floor: number[] = [];
    for (let i = 0; i < queries; i++) {
      const t = performance.now();
      await sql`select 1`.execute(db);
      floor.push(performance.now() - t);
    }
    const all = [...times, ...filtered].sort((a, b) => a - b);
    const q = (arr: number[], p: number) => Number([...arr].sort((a, b) => a - b)[Math.min(arr.length - 1, Math.floor(p * arr.length))]!.toFixed(2));
    return {
      database: database.kind,
      sites,
      queries,
      limit: 20,
      load_s: Number((loadMs / 1000).toFixed(1)),
      nearby_p50_ms: q(all, 0.5),
      nearby_p95_ms: q(all, 0.95),
      nearby_p99_ms: q(all, 0.99),
      unfiltered_p95_ms: q(times, 0.95),
      filtered_p95_ms: q(filtered, 0.95),
      target_p95_ms: 20,
      select1_p95_ms: q(floor, 0.95),
      loadavg_1m: Number(loadavg()[0]!.toFixed(2)),
    };
  } finally {
    await cleanup();
  }
}
