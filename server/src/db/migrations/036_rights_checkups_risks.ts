import { sql, type Kysely } from 'kysely';

/**
 * 维权, the rest of issue 12 (decision 024): 法治体检 (a city-wide checklist template, check-ups of an
 * employer with findings per item, a risk level and a rectification list to closure), 信息员 (informants
 * on the roll, registered per union) and their 劳动关系 risk reports with photos, graded and turned into a
 * 12351 ticket; the employer of a consultation / case / check-up linkable to the enterprise register;
 * the H5 consultation's idempotency key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // ---- the employer as an enterprise record, and the H5 idempotency key ----
  await sql`alter table rights_consultations add column employer_enterprise_id bigint references enterprises(id)`.execute(db);
  await sql`alter table rights_consultations add column idempotency_key text`.execute(db);
  await sql`create unique index rights_consultations_idem on rights_consultations (worker_id, idempotency_key) where idempotency_key is not null`.execute(db);
  await sql`alter table rights_cases add column employer_enterprise_id bigint references enterprises(id)`.execute(db);

  // ---- 法治体检 ----
  // The checklist template: one city-wide list, edited by the city federation; a check-up copies the
  // active items' titles when it is opened (a later edit does not rewrite past check-ups).
  await sql`
    create table rights_checkup_items (
      id bigserial primary key,
      title text not null,
      guidance text not null default '',
      sort integer not null default 0,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);
  const items: [string, string][] = [
    ['劳动合同签订率', '全员书面劳动合同签订情况，新入职一个月内签订'],
    ['工资按时足额支付', '按月足额支付，不低于最低工资标准，加班工资依法支付'],
    ['社会保险缴纳', '五项社会保险全员、足额、按时缴纳'],
    ['工时与休息休假', '标准工时或经批准的特殊工时，带薪年休假落实'],
    ['女职工四期保护', '经期、孕期、产期、哺乳期特殊保护，女职工专项集体合同'],
    ['职代会与厂务公开', '职工代表大会按期召开，厂务公开制度落实'],
    ['集体合同', '综合集体合同、工资专项集体合同签订与履行'],
  ];
  for (const [i, [title, guidance]] of items.entries())
    await sql`insert into rights_checkup_items (title, guidance, sort) values (${title}, ${guidance}, ${(i + 1) * 10})`.execute(db);

  await sql`
    create table rights_checkups (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      enterprise_id bigint references enterprises(id),
      employer_name text not null,
      checked_on date not null,
      staff_names text not null default '',
      status text not null default 'open' check (status in ('open', 'rectifying', 'closed')),
      risk_level text check (risk_level in ('low', 'medium', 'high')),
      summary text,
      recorded_on date,
      closed_on date,
      closing_note text,
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);
  await sql`create index rights_checkups_org_idx on rights_checkups (org_id, checked_on desc)`.execute(db);
  await sql`create index rights_checkups_enterprise_idx on rights_checkups (enterprise_id) where enterprise_id is not null`.execute(db);
  await sql`
    create table rights_checkup_staff (
      checkup_id bigint not null references rights_checkups(id) on delete cascade,
      pool_id bigint not null references rights_pool(id),
      primary key (checkup_id, pool_id)
    )`.execute(db);
  await sql`
    create table rights_checkup_findings (
      id bigserial primary key,
      checkup_id bigint not null references rights_checkups(id) on delete cascade,
      item_id bigint references rights_checkup_items(id),
      title text not null,
      sort integer not null default 0,
      result text check (result in ('ok', 'issue', 'na')),
      note text
    )`.execute(db);
  await sql`create index rights_checkup_findings_idx on rights_checkup_findings (checkup_id, sort)`.execute(db);
  await sql`
    create table rights_checkup_rectifications (
      id bigserial primary key,
      checkup_id bigint not null references rights_checkups(id) on delete cascade,
      finding_id bigint references rights_checkup_findings(id),
      task text not null,
      owner text not null,
      due_on date not null,
      status text not null default 'open' check (status in ('open', 'done')),
      done_on date,
      note text,
      sort integer not null default 0
    )`.execute(db);
  await sql`create index rights_checkup_rectifications_idx on rights_checkup_rectifications (checkup_id, sort)`.execute(db);
  await sql`create index rights_checkup_rectifications_open_idx on rights_checkup_rectifications (due_on) where status = 'open'`.execute(db);
  await sql`
    create table rights_checkup_events (
      id bigserial primary key,
      checkup_id bigint not null references rights_checkups(id) on delete cascade,
      action text not null,
      comment text,
      actor_name text,
      at timestamptz not null
    )`.execute(db);
  await sql`create index rights_checkup_events_idx on rights_checkup_events (checkup_id, id)`.execute(db);

  // ---- 信息员 and their risk reports ----
  // A person on the roll marked as an informant by a union (its registry); one live registration per person.
  await sql`
    create table rights_informants (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      person_id bigint not null references people(id),
      name text not null,
      kind text not null check (kind in ('gig', 'station', 'enterprise', 'other')),
      note text,
      active boolean not null default true,
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);
  await sql`create unique index rights_informants_one_live on rights_informants (person_id) where active`.execute(db);
  await sql`create index rights_informants_org_idx on rights_informants (org_id)`.execute(db);

  // `org_id` the union handling the report (the informant's registry union); a 12351 ticket made from it.
  await sql`
    create table rights_risks (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      informant_id bigint not null references rights_informants(id),
      worker_id bigint not null references workers(id),
      idempotency_key text not null,
      kind text not null check (kind in ('wage_arrears', 'stoppage', 'mass_incident', 'platform_rules', 'other')),
      place text not null,
      people_affected integer not null check (people_affected >= 0),
      description text not null,
      occurred_on date,
      status text not null default 'reported' check (status in ('reported', 'graded', 'closed')),
      grade text check (grade in ('general', 'major', 'severe')),
      graded_at timestamptz,
      alerted_at timestamptz,
      ticket_id bigint references rights_tickets(id),
      close_note text,
      closed_at timestamptz,
      reported_at timestamptz not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      unique (worker_id, idempotency_key)
    )`.execute(db);
  await sql`create index rights_risks_org_idx on rights_risks (org_id, reported_at desc)`.execute(db);
  await sql`create unique index rights_risks_one_ticket on rights_risks (ticket_id) where ticket_id is not null`.execute(db);
  // Photos: uploaded first (risk_id null), taken by the report; an untaken one is deleted after 24 h.
  await sql`
    create table rights_risk_photos (
      id bigserial primary key,
      worker_id bigint not null references workers(id),
      risk_id bigint references rights_risks(id),
      file_name text not null,
      mime text not null,
      size integer not null,
      sha256 text not null,
      storage_key text not null unique,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index rights_risk_photos_risk_idx on rights_risk_photos (risk_id)`.execute(db);
  await sql`create index rights_risk_photos_unlinked_idx on rights_risk_photos (worker_id, created_at) where risk_id is null`.execute(db);
  await sql`
    create table rights_risk_events (
      id bigserial primary key,
      risk_id bigint not null references rights_risks(id) on delete cascade,
      action text not null,
      comment text,
      actor_name text,
      at timestamptz not null
    )`.execute(db);
  await sql`create index rights_risk_events_idx on rights_risk_events (risk_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'rights_risk_events',
    'rights_risk_photos',
    'rights_risks',
    'rights_informants',
    'rights_checkup_events',
    'rights_checkup_rectifications',
    'rights_checkup_findings',
    'rights_checkup_staff',
    'rights_checkups',
    'rights_checkup_items',
  ])
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  await sql`drop index if exists rights_consultations_idem`.execute(db);
  await sql`alter table rights_consultations drop column if exists idempotency_key`.execute(db);
  await sql`alter table rights_consultations drop column if exists employer_enterprise_id`.execute(db);
  await sql`alter table rights_cases drop column if exists employer_enterprise_id`.execute(db);
}
