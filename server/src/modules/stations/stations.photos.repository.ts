// 阵地 photos: all SQL. A photo is always read through its site, and the site through the caller's
// scope (the owning union's path) — or, for workers, only site photos of an operating / paused site.
import { sql, type Insertable } from 'kysely';
import type { StationPhotosTable } from '../../db/schema-stations.js';
import type { Executor } from '../audit/audit.repository.js';

const COLUMNS = ['p.id', 'p.station_id', 'p.inspection_id', 'p.file_name', 'p.mime', 'p.size', 'p.width', 'p.height', 'p.caption', 'p.created_at'] as const;

export const stationPhotosRepository = {
  /** Serialises the uploads to one site for the rest of the transaction (its quota holds under parallel uploads). */
  async lockStation(db: Executor, stationId: string) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`station-photos:${stationId}`}, 0))`.execute(db);
  },

  /** Photos and bytes of one site (its own and its inspections'), and what one account uploaded since `since`. */
  async usage(db: Executor, stationId: string, accountId: string, since: Date) {
    const r = await db
      .selectFrom('station_photos')
      .select([
        sql<number>`count(*) filter (where station_id = ${stationId})::int`.as('site_files'),
        sql<string>`coalesce(sum(size) filter (where station_id = ${stationId}), 0)::bigint`.as('site_bytes'),
        sql<number>`count(*) filter (where uploaded_by = ${accountId} and created_at >= ${since})::int`.as('recent_files'),
        sql<string>`coalesce(sum(size) filter (where uploaded_by = ${accountId} and created_at >= ${since}), 0)::bigint`.as('recent_bytes'),
      ])
      .where((eb) => eb.or([eb('station_id', '=', stationId), eb.and([eb('uploaded_by', '=', accountId), eb('created_at', '>=', since)])]))
      .executeTakeFirstOrThrow();
    return {
      siteFiles: Number(r.site_files),
      siteBytes: Number(r.site_bytes),
      recentFiles: Number(r.recent_files),
      recentBytes: Number(r.recent_bytes),
    };
  },

  async insert(db: Executor, row: Insertable<StationPhotosTable>) {
    return db
      .insertInto('station_photos')
      .values(row)
      .returning(['id', 'station_id', 'inspection_id', 'file_name', 'mime', 'size', 'width', 'height', 'caption', 'created_at'])
      .executeTakeFirstOrThrow();
  },

  /** An inspection of this site (photos are added to the site's own inspections only). */
  async inspectionOf(db: Executor, stationId: string, inspectionId: string) {
    return db.selectFrom('station_inspections').select(['id', 'kind']).where('id', '=', inspectionId).where('station_id', '=', stationId).executeTakeFirst();
  },

  /** Every photo of one site, newest first (the site is already scope-checked by the caller). */
  async ofStation(db: Executor, stationId: string) {
    return db.selectFrom('station_photos as p').select(COLUMNS).where('p.station_id', '=', stationId).orderBy('p.id', 'desc').limit(500).execute();
  },

  /** One photo of a site in the staff member's scope. */
  async inScope(db: Executor, scopePath: string, stationId: string, photoId: string) {
    return db
      .selectFrom('station_photos as p')
      .innerJoin('stations as s', 's.id', 'p.station_id')
      .innerJoin('orgs as o', 'o.id', 's.org_id')
      .select([...COLUMNS, 'p.storage_key', 'p.thumb_key', 's.org_id'])
      .where('p.id', '=', photoId)
      .where('p.station_id', '=', stationId)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  /** A worker sees the site's own photos (not the inspections') of an operating or paused site. */
  async publicPhotos(db: Executor, stationId: string) {
    return db
      .selectFrom('station_photos as p')
      .select(COLUMNS)
      .where('p.station_id', '=', stationId)
      .where('p.inspection_id', 'is', null)
      .orderBy('p.id', 'desc')
      .limit(30)
      .execute();
  },

  async publicPhoto(db: Executor, stationId: string, photoId: string) {
    return db
      .selectFrom('station_photos as p')
      .innerJoin('stations as s', 's.id', 'p.station_id')
      .select(['p.id', 'p.file_name', 'p.mime', 'p.storage_key', 'p.thumb_key'])
      .where('p.id', '=', photoId)
      .where('p.station_id', '=', stationId)
      .where('p.inspection_id', 'is', null)
      .where('s.status', 'in', ['operating', 'paused'])
      .executeTakeFirst();
  },

  /** Deletes a site photo (inspection photos are part of the inspection record and stay). */
  async deleteSitePhoto(db: Executor, photoId: string) {
    return db
      .deleteFrom('station_photos')
      .where('id', '=', photoId)
      .where('inspection_id', 'is', null)
      .returning(['id', 'storage_key', 'thumb_key', 'size'])
      .executeTakeFirst();
  },
};
