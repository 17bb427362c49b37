import { sql, type Kysely } from 'kysely';

// 困难职工档案: one file per household, visits, notice period, yearly review, pairing (issue 4).
// One household = one open file: every person of a file (head and family members with an ID) has
// a key row by ID blind index; a partial unique index lets a blind index be in one open file only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table hardship_files (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      membership_id bigint not null references memberships(id),
      head_person_id bigint not null references people(id),
      status text not null default 'submitted'
        check (status in ('submitted', 'visiting', 'county_review', 'notice', 'established', 'closed', 'rejected')),
      main_cause text not null,
      secondary_causes jsonb not null default '[]',
      head_health text,
      head_work text,
      head_monthly_income numeric(14,2) not null default 0 check (head_monthly_income >= 0),
      household_size integer not null default 1 check (household_size >= 1),
      household_income numeric(14,2) not null default 0,
      per_capita_income numeric(14,2) not null default 0,
      address text,
      situation text not null default '',
      notice_start date,
      notice_end date,
      established_at timestamptz,
      review_due_on date,
      closed_at timestamptz,
      closed_reason text,
      reject_reason text,
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);
  await sql`create index hardship_files_org_idx on hardship_files (org_id, status)`.execute(db);
  await sql`create index hardship_files_head_idx on hardship_files (head_person_id)`.execute(db);

  await sql`
    create table hardship_family_members (
      id bigserial primary key,
      file_id bigint not null references hardship_files(id) on delete cascade,
      name text not null,
      relation text not null,
      id_enc text,
      id_bidx text,
      id_masked text,
      health text,
      work text,
      monthly_income numeric(14,2) not null default 0 check (monthly_income >= 0),
      sort integer not null default 0
    )`.execute(db);
  await sql`create index hardship_family_file_idx on hardship_family_members (file_id)`.execute(db);

  await sql`
    create table hardship_household_keys (
      file_id bigint not null references hardship_files(id) on delete cascade,
      id_bidx text not null,
      role text not null check (role in ('head', 'family')),
      is_open boolean not null default true,
      primary key (file_id, id_bidx)
    )`.execute(db);
  await sql`create unique index hardship_one_open_file on hardship_household_keys (id_bidx) where is_open`.execute(db);

  await sql`
    create table hardship_events (
      id bigserial primary key,
      file_id bigint not null references hardship_files(id) on delete cascade,
      action text not null,
      from_status text,
      to_status text,
      comment text,
      actor_id text,
      actor_name text,
      at timestamptz not null
    )`.execute(db);
  await sql`create index hardship_events_file_idx on hardship_events (file_id, id)`.execute(db);

  await sql`
    create table hardship_visits (
      id bigserial primary key,
      file_id bigint not null references hardship_files(id) on delete cascade,
      visited_on date not null,
      visitors text not null,
      findings text not null,
      photos jsonb not null default '[]',
      recorded_by text,
      at timestamptz not null
    )`.execute(db);
  await sql`create index hardship_visits_file_idx on hardship_visits (file_id)`.execute(db);

  await sql`
    create table hardship_objections (
      id bigserial primary key,
      file_id bigint not null references hardship_files(id) on delete cascade,
      raised_by text not null,
      content text not null,
      outcome text not null check (outcome in ('upheld', 'dismissed')),
      handling text,
      recorded_by text,
      at timestamptz not null
    )`.execute(db);
  await sql`create index hardship_objections_file_idx on hardship_objections (file_id)`.execute(db);

  await sql`
    create table hardship_reviews (
      id bigserial primary key,
      file_id bigint not null references hardship_files(id) on delete cascade,
      year integer not null,
      decision text not null check (decision in ('continue', 'close')),
      reason text not null,
      reviewed_by text,
      at timestamptz not null
    )`.execute(db);
  await sql`create index hardship_reviews_file_idx on hardship_reviews (file_id)`.execute(db);

  await sql`
    create table hardship_pairings (
      id bigserial primary key,
      file_id bigint not null references hardship_files(id) on delete cascade,
      kind text not null check (kind in ('unit', 'cadre')),
      name text not null,
      contact text,
      started_on date not null,
      created_by text,
      at timestamptz not null
    )`.execute(db);
  await sql`create index hardship_pairings_file_idx on hardship_pairings (file_id)`.execute(db);

  await sql`
    create table hardship_pairing_visits (
      id bigserial primary key,
      pairing_id bigint not null references hardship_pairings(id) on delete cascade,
      visited_on date not null,
      notes text not null,
      recorded_by text,
      at timestamptz not null
    )`.execute(db);
  await sql`create index hardship_pairing_visits_idx on hardship_pairing_visits (pairing_id)`.execute(db);

  await sql`alter table aid_disbursements add constraint aid_disbursements_file_fk foreign key (hardship_file_id) references hardship_files(id)`.execute(db);
}
