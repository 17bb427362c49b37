// Demo 阵地 (npm start only): sites in every county of the demo tree — 职工之家, 工会驿站, 司机之家,
// 康乃馨服务站, a 工人文化宫 per county (一县一宫) — placed near their towns, most accepted and rated
// last year, a few still 筹建, with a five months of service counts. Idempotent: a second run adds nothing.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { StationType } from '../db/schema-stations.js';
import { chinaDay, chinaYear } from '../platform/china-time.js';
import { DEFAULT_STANDARDS, SERVICES, starsFor } from '../modules/stations/stations.constants.js';
import { stationsRepository as repo } from '../modules/stations/stations.repository.js';

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLAN: { type: StationType; suffix: string; perCounty: number }[] = [
  { type: 'palace', suffix: '工人文化宫', perCounty: 1 },
  { type: 'home', suffix: '职工之家', perCounty: 2 },
  { type: 'outdoor', suffix: '户外劳动者驿站', perCounty: 3 },
  { type: 'driver', suffix: '司机之家', perCounty: 1 },
  { type: 'carnation', suffix: '康乃馨服务站', perCounty: 1 },
  { type: 'center', suffix: '职工服务中心', perCounty: 1 },
];
const FAC_EXTRA = ['wifi', 'legal', 'medkit', 'charging', 'toilet'];
const DAY = 86_400_000;

export async function seedStationsDemo(db: Kysely<DB>, now: Date): Promise<string | null> {
  const rand = mulberry32(20261206);
  const year = chinaYear(now);
  const counties = await db.selectFrom('orgs').select(['id', 'name']).where('type', '=', 'county').orderBy('sort_order').execute();
  const towns = await db
    .selectFrom('orgs')
    .select(['id', 'name', 'parent_id', 'longitude', 'latitude'])
    .where('type', '=', 'town')
    .where('longitude', 'is not', null)
    .orderBy('sort_order')
    .execute();
  let added = 0;
  for (const county of counties) {
    const own = towns.filter((t) => t.parent_id === county.id);
    if (!own.length) continue;
    const short = county.name.replace(/总工会$/, '').replace(/(市|区|县)$/, '');
    let i = 0;
    for (const p of PLAN) {
      for (let k = 0; k < p.perCounty; k++, i++) {
        const town = own[(i * 3) % own.length]!;
        const townShort = town.name.replace(/总工会$/, '').replace(/(镇|街道|乡)$/, '');
        const name = p.type === 'palace' ? `${short}${p.suffix}` : `${townShort}${p.suffix}`;
        const orgId = p.type === 'palace' || p.type === 'center' ? county.id : town.id;
        const facilities = [...new Set([...DEFAULT_STANDARDS[p.type].requiredFacilities, ...FAC_EXTRA.filter(() => rand() < 0.4)])];
        const planning = rand() < 0.12;
        const allDay = p.type === 'driver' || (p.type === 'outdoor' && rand() < 0.5);
        const open = p.type === 'palace' ? '09:00' : '08:00';
        const close = p.type === 'outdoor' ? '20:00' : '17:30';
        const hours = allDay
          ? { allDay: true, days: Array(7).fill(null) }
          : { allDay: false, days: Array.from({ length: 7 }, (_, d) => (p.type === 'home' && d >= 5 ? null : { open, close })) };
        const createdAt = new Date(Math.min(Date.parse(`${year - 1}-03-01T09:00:00+08:00`) + Math.floor(rand() * 450) * DAY, now.getTime() - 60 * DAY));
        const [row] = await repo.insertMany(db, [
          {
            org_id: orgId,
            type: p.type,
            name,
            address: `${county.name.replace(/总工会$/, '')}${town.name.replace(/总工会$/, '')}${['人民路', '建设路', '迎宾大道', '工业园区', '开发大道'][i % 5]}${10 + Math.floor(rand() * 180)} 号`,
            longitude: (Number(town.longitude) + (rand() - 0.5) * 0.04).toFixed(6),
            latitude: (Number(town.latitude) + (rand() - 0.5) * 0.04).toFixed(6),
            hours: JSON.stringify(hours),
            facilities,
            contact_name: null,
            contact_phone: `0515-8${String(Math.floor(rand() * 9_999_999)).padStart(7, '0')}`,
            description: p.type === 'driver' ? '为货车司机提供休息、热饭、充电和停车服务' : null,
            status: planning ? 'planning' : 'operating',
            created_at: createdAt,
            updated_at: createdAt,
          } as never,
        ]);
        if (!row) continue;
        added++;
        if (planning) continue;
        // accepted a month after registration, rated last year
        const acceptedAt = new Date(createdAt.getTime() + 30 * DAY);
        await repo.insertInspection(db, {
          station_id: row.id,
          kind: 'acceptance',
          year: chinaYear(acceptedAt),
          passed: true,
          missing: [],
          inspector: `${short}总工会验收组`,
          note: '设施齐全，验收通过',
          created_at: acceptedAt,
        });
        const items = DEFAULT_STANDARDS[p.type].items;
        const scores = items.map((it) => ({ code: it.code, name: it.name, maxScore: it.maxScore, score: Math.round(it.maxScore * (0.6 + rand() * 0.4)) }));
        const total = scores.reduce((a, s) => a + s.score, 0);
        const stars = starsFor(
          total,
          items.reduce((a, s) => a + s.maxScore, 0),
        );
        // the yearly rating is in March; a site accepted after it waits for next year's (its inspection is due)
        const ratingYear = now.getTime() > Date.parse(`${year}-03-20T10:00:00+08:00`) ? year : year - 1;
        const ratedAt = new Date(Date.parse(`${ratingYear}-03-20T10:00:00+08:00`));
        const rated = acceptedAt < ratedAt;
        if (rated)
          await repo.insertInspection(db, {
            station_id: row.id,
            kind: 'rating',
            year: ratingYear,
            passed: true,
            scores: JSON.stringify(scores),
            total,
            stars,
            inspector: '市总工会评定组',
            created_at: ratedAt,
          });
        await db
          .updateTable('stations')
          .set({
            accepted_at: acceptedAt,
            stars: rated ? stars : null,
            rated_year: rated ? ratingYear : null,
            next_inspection_on: rated ? `${ratingYear + 1}-03-31` : `${ratingYear}-03-31`,
          })
          .where('id', '=', row.id)
          .execute();
        // a five months of service counts (staff-logged, no personal data): a few a day on most days
        const visits: Parameters<typeof repo.insertVisits>[1] = [];
        const from = Math.max(acceptedAt.getTime(), now.getTime() - 150 * DAY);
        for (let t = from; t < now.getTime() - DAY; t += DAY) {
          const n = Math.floor(rand() * (p.type === 'outdoor' || p.type === 'driver' ? 4 : 2.5));
          for (let v = 0; v < n; v++) {
            const hour = 7 + Math.floor(rand() * 13);
            const at = new Date(
              Date.parse(`${chinaDay(new Date(t))}T${String(hour).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00+08:00`),
            );
            visits.push({ station_id: row.id, source: 'staff', service: SERVICES[Math.floor(rand() * 4)]!.code, day: chinaDay(at), hour, at });
          }
        }
        for (let c = 0; c < visits.length; c += 1000) await repo.insertVisits(db, visits.slice(c, c + 1000));
      }
    }
  }
  await sql`analyze stations`.execute(db);
  return added ? `${added} 个阵地（${counties.length} 个县区）` : null;
}
