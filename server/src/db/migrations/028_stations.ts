import { sql, type Kysely } from 'kysely';

/**
 * 阵地 (issue 14): service sites, their standards per type, inspections (验收 and yearly 星级), visits.
 * Coordinates are WGS-84 degrees (decision 019). The nearest-sites query prefilters on a bounding box
 * over the btree (latitude, longitude) index — no PostGIS, works the same on PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table stations (
      id bigserial primary key,
      org_id bigint not null references orgs (id),
      type text not null check (type in ('home', 'outdoor', 'driver', 'carnation', 'palace', 'center', 'rest', 'other')),
      name text not null check (length(name) between 2 and 60),
      address text not null check (length(address) between 2 and 120),
      longitude numeric(9, 6) not null check (longitude between 73 and 136),
      latitude numeric(8, 6) not null check (latitude between 3 and 54),
      hours jsonb not null,
      facilities text[] not null default '{}',
      services text[] not null default '{}',
      contact_name text,
      contact_phone text,
      description text,
      status text not null default 'planning' check (status in ('planning', 'operating', 'paused', 'closed')),
      accepted_at timestamptz,
      stars smallint check (stars between 1 and 5),
      rated_year integer,
      next_inspection_on date,
      -- the due date a reminder was last sent for (one reminder per due date)
      inspection_reminded_on date,
      version integer not null default 1,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (org_id, name)
    )`.execute(db);
  await sql`create index stations_org_idx on stations (org_id)`.execute(db);
  // The nearest-sites prefilter: a latitude band on the btree, longitude checked from the same index.
  await sql`create index stations_geo_idx on stations (latitude, longitude) where status in ('operating', 'paused')`.execute(db);

  await sql`
    create table station_standards (
      type text primary key,
      required_facilities text[] not null,
      items jsonb not null,
      updated_at timestamptz not null default now(),
      updated_by bigint references staff_accounts (id)
    )`.execute(db);

  await sql`
    create table station_inspections (
      id bigserial primary key,
      station_id bigint not null references stations (id),
      kind text not null check (kind in ('acceptance', 'rating')),
      year integer not null,
      passed boolean not null,
      scores jsonb not null default '[]',
      total numeric(6, 1),
      stars smallint check (stars between 1 and 5),
      missing text[] not null default '{}',
      inspector text not null,
      note text,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index station_inspections_station_idx on station_inspections (station_id, created_at)`.execute(db);
  // One rating per site per year.
  await sql`create unique index station_inspections_rating_once on station_inspections (station_id, year) where kind = 'rating'`.execute(db);

  await sql`
    create table station_visits (
      id bigserial primary key,
      station_id bigint not null references stations (id),
      source text not null check (source in ('qr', 'card', 'staff')),
      worker_id bigint references workers (id),
      service text,
      note text,
      day date not null,
      hour smallint not null check (hour between 0 and 23),
      at timestamptz not null,
      recorded_by bigint references staff_accounts (id)
    )`.execute(db);
  await sql`create index station_visits_station_idx on station_visits (station_id, day)`.execute(db);
  // A worker's QR check-in counts once per site per day.
  await sql`create unique index station_visits_qr_once on station_visits (station_id, worker_id, day) where source = 'qr'`.execute(db);
}
