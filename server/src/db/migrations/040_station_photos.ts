import { sql, type Kysely } from 'kysely';

/**
 * 阵地 (issue 14), the rest: photos of a site and of its 验收 / 星级 inspections (stored like the
 * applications' attachments: bytes in the FileStore under `stations/…`, a row per photo with its
 * checksum, and a thumbnail made at upload), and the link from a staff-logged 维权咨询 service to the
 * consultation record it became in modules/rights.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table station_photos (
      id bigserial primary key,
      station_id bigint not null references stations (id),
      -- a photo taken at an inspection (验收 or 星级评定); null: a photo of the site itself
      inspection_id bigint references station_inspections (id),
      file_name text not null,
      mime text not null check (mime in ('image/jpeg', 'image/png')),
      size integer not null check (size > 0),
      width integer not null check (width > 0),
      height integer not null check (height > 0),
      sha256 text not null,
      storage_key text not null unique,
      thumb_key text not null unique,
      thumb_size integer not null,
      caption text check (length(caption) <= 60),
      uploaded_by bigint references staff_accounts (id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index station_photos_station_idx on station_photos (station_id, id)`.execute(db);
  await sql`create index station_photos_inspection_idx on station_photos (inspection_id) where inspection_id is not null`.execute(db);
  // the per-uploader daily quota reads one account's recent uploads
  await sql`create index station_photos_uploader_idx on station_photos (uploaded_by, created_at)`.execute(db);

  await sql`alter table station_visits add column consultation_id bigint references rights_consultations (id)`.execute(db);
  await sql`create unique index station_visits_consultation_idx on station_visits (consultation_id) where consultation_id is not null`.execute(db);
}
