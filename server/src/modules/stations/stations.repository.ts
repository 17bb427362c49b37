// 阵地: all SQL. Every read by outside id is prefix-scoped by the owning union's path.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { StationInspectionsTable, StationStatus, StationType, StationVisitsTable, StationsTable, StandardItem } from '../../db/schema-stations.js';
import type { Executor } from '../audit/audit.repository.js';

export interface ListFilters {
  orgPath?: string;
  type?: StationType;
  status?: StationStatus;
  stars?: number;
  q?: string;
  facility?: string;
  ratedYear?: number;
  limit: number;
  offset: number;
}

export interface NearbyFilters {
  lat: number;
  lng: number;
  type?: StationType;
  facility?: string;
  limit: number;
}

const ROW = [
  's.id',
  's.org_id',
  's.type',
  's.name',
  's.address',
  's.longitude',
  's.latitude',
  's.hours',
  's.facilities',
  's.contact_name',
  's.contact_phone',
  's.description',
  's.status',
  's.accepted_at',
  's.stars',
  's.rated_year',
  's.next_inspection_on',
  's.version',
  's.created_at',
  's.updated_at',
] as const;

export const stationsRepository = {
  async insert(db: Executor, row: Insertable<StationsTable>) {
    return db.insertInto('stations').values(row).returning(['id', 'version']).executeTakeFirstOrThrow();
  },

  /** Version-checked; no row when someone else changed it first. */
  async update(db: Executor, id: string, version: number, set: Updateable<StationsTable>) {
    return db
      .updateTable('stations')
      .set({ ...set, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id', 'version'])
      .executeTakeFirst();
  },

  async inScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('stations as s')
      .innerJoin('orgs as o', 'o.id', 's.org_id')
      .select([...ROW, 'o.name as org_name', 'o.path as org_path'])
      .where('s.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async list(db: Executor, scopePath: string, f: ListFilters) {
    let q = db.selectFrom('stations as s').innerJoin('orgs as o', 'o.id', 's.org_id').where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.type) q = q.where('s.type', '=', f.type);
    if (f.status) q = q.where('s.status', '=', f.status);
    if (f.stars !== undefined) q = f.stars === 0 ? q.where('s.stars', 'is', null) : q.where('s.stars', '=', f.stars);
    if (f.ratedYear !== undefined) q = q.where('s.rated_year', '=', f.ratedYear);
    if (f.facility) q = q.where(sql<boolean>`s.facilities @> array[${f.facility}]::text[]`);
    if (f.q) q = q.where((eb) => eb.or([eb('s.name', 'like', `%${f.q}%`), eb('s.address', 'like', `%${f.q}%`)]));
    const items = await q
      .select([...ROW, 'o.name as org_name'])
      .orderBy('o.path')
      .orderBy('s.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const total = await q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return { items, total: Number(total.n) };
  },

  /** Every site in scope for the map: small rows. */
  async mapPoints(db: Executor, scopePath: string) {
    return db
      .selectFrom('stations as s')
      .innerJoin('orgs as o', 'o.id', 's.org_id')
      .select(['s.id', 's.name', 's.type', 's.status', 's.stars', 's.longitude', 's.latitude'])
      .where('o.path', 'like', `${scopePath}%`)
      .where('s.status', '<>', 'closed')
      .orderBy('s.id')
      .limit(20_000)
      .execute();
  },

  /**
   * The sites nearest a point inside a box of ±`halfLat` degrees latitude (longitude widened by 1/cos):
   * the box is a range on the (latitude, longitude) btree; ordering by the planar distance in metres-like units.
   */
  async nearbyInBox(db: Executor, f: NearbyFilters, halfLat: number | null) {
    const cos = Math.cos((f.lat * Math.PI) / 180);
    // the nearest ids first (a narrow sort: id and distance), then their rows and unions
    let near = db
      .selectFrom('stations as s')
      .select(['s.id', sql<number>`(s.latitude::float8 - ${f.lat}::float8) ^ 2 + ((s.longitude::float8 - ${f.lng}::float8) * ${cos}::float8) ^ 2`.as('d2')])
      .where('s.status', 'in', ['operating', 'paused']);
    if (halfLat !== null) {
      const halfLng = halfLat / cos;
      near = near
        .where('s.latitude', '>=', (f.lat - halfLat).toFixed(6))
        .where('s.latitude', '<=', (f.lat + halfLat).toFixed(6))
        .where('s.longitude', '>=', (f.lng - halfLng).toFixed(6))
        .where('s.longitude', '<=', (f.lng + halfLng).toFixed(6));
    }
    if (f.type) near = near.where('s.type', '=', f.type);
    if (f.facility) near = near.where(sql<boolean>`s.facilities @> array[${f.facility}]::text[]`);
    return db
      .selectFrom(near.orderBy('d2').orderBy('s.id').limit(f.limit).as('n'))
      .innerJoin('stations as s', 's.id', 'n.id')
      .innerJoin('orgs as o', 'o.id', 's.org_id')
      .select([
        's.id',
        's.type',
        's.name',
        's.address',
        's.longitude',
        's.latitude',
        's.hours',
        's.facilities',
        's.stars',
        's.status',
        's.contact_phone',
        'o.name as org_name',
        'n.d2',
      ])
      .orderBy('n.d2')
      .orderBy('s.id')
      .execute();
  },

  /** A site as a worker may see it: operating or paused. */
  async publicById(db: Executor, id: string) {
    return db
      .selectFrom('stations as s')
      .innerJoin('orgs as o', 'o.id', 's.org_id')
      .select([...ROW, 'o.name as org_name'])
      .where('s.id', '=', id)
      .where('s.status', 'in', ['operating', 'paused'])
      .executeTakeFirst();
  },

  /** Towns (镇街) with coordinates: the worker's fallback when location is refused. */
  async towns(db: Executor) {
    return db
      .selectFrom('orgs as t')
      .innerJoin('orgs as c', 'c.id', 't.parent_id')
      .select(['t.id', 't.name', 'c.name as county_name', 't.longitude', 't.latitude'])
      .where('t.type', '=', 'town')
      .where('t.longitude', 'is not', null)
      .where('t.latitude', 'is not', null)
      .where('t.dissolved_at', 'is', null)
      .orderBy('c.sort_order')
      .orderBy('t.sort_order')
      .execute();
  },

  async standards(db: Executor) {
    return db.selectFrom('station_standards').selectAll().execute();
  },

  async upsertStandard(db: Executor, type: StationType, requiredFacilities: string[], items: StandardItem[], by: string, at: Date) {
    await db
      .insertInto('station_standards')
      .values({ type, required_facilities: requiredFacilities, items: JSON.stringify(items), updated_by: by, updated_at: at })
      .onConflict((oc) =>
        oc.column('type').doUpdateSet({ required_facilities: requiredFacilities, items: JSON.stringify(items), updated_by: by, updated_at: at }),
      )
      .execute();
  },

  async insertInspection(db: Executor, row: Insertable<StationInspectionsTable>) {
    return db
      .insertInto('station_inspections')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .returning(['id'])
      .executeTakeFirst();
  },

  async inspections(db: Executor, stationId: string) {
    return db.selectFrom('station_inspections').selectAll().where('station_id', '=', stationId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  },

  async insertVisit(db: Executor, row: Insertable<StationVisitsTable>) {
    return db
      .insertInto('station_visits')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .returning(['id'])
      .executeTakeFirst();
  },

  async insertVisits(db: Executor, rows: Insertable<StationVisitsTable>[]) {
    if (rows.length) await db.insertInto('station_visits').values(rows).execute();
  },

  /** Counts for one site: per month (of `since`), per day (last 30 days), per hour, per source and service. */
  async visitCounts(db: Executor, stationId: string, sinceMonth: string, sinceDay: string) {
    const base = db.selectFrom('station_visits').where('station_id', '=', stationId);
    const [perMonth, perDay, perHour, bySource, byService, total] = await Promise.all([
      base
        .select([sql<string>`to_char(day, 'YYYY-MM')`.as('month'), sql<string>`count(*)`.as('n')])
        .where('day', '>=', sinceMonth)
        .groupBy(sql`to_char(day, 'YYYY-MM')`)
        .orderBy('month')
        .execute(),
      base
        .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), sql<string>`count(*)`.as('n')])
        .where('day', '>=', sinceDay)
        .groupBy('day')
        .orderBy('day')
        .execute(),
      base
        .select(['hour', sql<string>`count(*)`.as('n')])
        .groupBy('hour')
        .orderBy('hour')
        .execute(),
      base
        .select(['source', sql<string>`count(*)`.as('n')])
        .groupBy('source')
        .execute(),
      base
        .select(['service', sql<string>`count(*)`.as('n')])
        .where('service', 'is not', null)
        .groupBy('service')
        .execute(),
      base.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { perMonth, perDay, perHour, bySource, byService, total: Number(total.n) };
  },

  /** The latest visits of one site with the worker's masked phone: shown only to the site's own union. */
  async recentVisits(db: Executor, stationId: string, limit: number) {
    return db
      .selectFrom('station_visits as v')
      .leftJoin('workers as w', 'w.id', 'v.worker_id')
      .select(['v.id', 'v.source', 'v.service', 'v.note', 'v.at', 'v.consultation_id', 'w.phone_masked'])
      .where('v.station_id', '=', stationId)
      .orderBy('v.at', 'desc')
      .orderBy('v.id', 'desc')
      .limit(limit)
      .execute();
  },

  /** Member-card visits of one site on one day (what the scan dialog shows after each scan). */
  async cardVisitsOn(db: Executor, stationId: string, day: string) {
    const r = await db
      .selectFrom('station_visits')
      .select(sql<string>`count(*)`.as('n'))
      .where('station_id', '=', stationId)
      .where('day', '=', day)
      .where('source', '=', 'card')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /** The visit a 维权咨询 was logged with, when its site is in scope (the way back from the consultation). */
  async visitOfConsultation(db: Executor, scopePath: string, consultationId: string) {
    return db
      .selectFrom('station_visits as v')
      .innerJoin('stations as s', 's.id', 'v.station_id')
      .innerJoin('orgs as o', 'o.id', 's.org_id')
      .select(['v.station_id', 's.name as station_name', 'v.at'])
      .where('v.consultation_id', '=', consultationId)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async workerExists(db: Executor, workerId: string) {
    return db.selectFrom('workers').select('id').where('id', '=', workerId).where('closed_at', 'is', null).executeTakeFirst();
  },

  // ---- figures per subtree (counts only: no personal data leaves a site's union) ----
  async figures(db: Executor, path: string, yearStart: string, yearEnd: string) {
    const inTree = db.selectFrom('stations as s').innerJoin('orgs as o', 'o.id', 's.org_id').where('o.path', 'like', `${path}%`);
    const [byTypeStatus, byStars, perMonth, towns] = await Promise.all([
      inTree
        .select(['s.type', 's.status', sql<string>`count(*)`.as('n')])
        .groupBy(['s.type', 's.status'])
        .execute(),
      inTree
        .select([sql<number>`coalesce(s.stars, 0)`.as('stars'), sql<string>`count(*)`.as('n')])
        .where('s.status', '<>', 'closed')
        .groupBy(sql`coalesce(s.stars, 0)`)
        .execute(),
      inTree
        .innerJoin('station_visits as v', 'v.station_id', 's.id')
        .select([sql<string>`to_char(v.day, 'YYYY-MM')`.as('month'), sql<string>`count(*)`.as('n')])
        .where('v.day', '>=', yearStart)
        .where('v.day', '<', yearEnd)
        .groupBy(sql`to_char(v.day, 'YYYY-MM')`)
        .orderBy('month')
        .execute(),
      db
        .selectFrom('orgs as t')
        .innerJoin('orgs as c', 'c.id', 't.parent_id')
        .select(['t.id', 't.name', 'c.name as county_name'])
        .where('t.type', '=', 'town')
        .where('t.dissolved_at', 'is', null)
        .where('t.path', 'like', `${path}%`)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('stations as s2')
                .innerJoin('orgs as o2', 'o2.id', 's2.org_id')
                .select(sql`1`.as('x'))
                .where('s2.status', 'in', ['operating', 'paused'])
                .where(sql<boolean>`o2.path like t.path || '%'`),
            ),
          ),
        )
        .orderBy('t.path')
        .execute(),
    ]);
    return { byTypeStatus, byStars, perMonth, townsWithout: towns };
  },

  /** Sites whose inspection (验收 or yearly 星级) is due by `day` and not yet reminded for that date. */
  async dueUnreminded(db: Executor, day: string) {
    return db
      .selectFrom('stations as s')
      .select(['s.id', 's.name', 's.org_id', 's.next_inspection_on'])
      .where('s.status', 'in', ['operating', 'paused'])
      .where('s.next_inspection_on', '<=', day)
      .where((eb) => eb.or([eb('s.inspection_reminded_on', 'is', null), eb('s.inspection_reminded_on', '<>', eb.ref('s.next_inspection_on'))]))
      .orderBy('s.id')
      .limit(500)
      .execute();
  },

  async markReminded(db: Executor, id: string, due: string) {
    await db.updateTable('stations').set({ inspection_reminded_on: due }).where('id', '=', id).execute();
  },

  async orgsInScopeByName(db: Executor, scopePath: string, names: string[]) {
    if (!names.length) return [];
    return db
      .selectFrom('orgs')
      .select(['id', 'name', 'path'])
      .where('name', 'in', names)
      .where('path', 'like', `${scopePath}%`)
      .where('dissolved_at', 'is', null)
      .execute();
  },

  async insertMany(db: Executor, rows: Insertable<StationsTable>[]) {
    if (!rows.length) return [];
    return db
      .insertInto('stations')
      .values(rows)
      .onConflict((oc) => oc.columns(['org_id', 'name']).doNothing())
      .returning(['id'])
      .execute();
  },

  async orgByName(db: Executor, name: string) {
    return db.selectFrom('orgs').select(['id', 'path', 'longitude', 'latitude']).where('name', '=', name).orderBy('depth').executeTakeFirst();
  },

  async existingNames(db: Executor, orgIds: string[]) {
    if (!orgIds.length) return [];
    return db.selectFrom('stations').select(['org_id', 'name']).where('org_id', 'in', orgIds).execute();
  },
};
