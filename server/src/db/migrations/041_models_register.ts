import { sql, type Kysely } from 'kysely';

/**
 * 劳模工匠 (issue 16), the honours register: people honoured (on the roll — linked to `people` — or
 * not) with their honours, the entitlement rules per honour kind (configurable by the city) and the
 * ledger of what was given. The contact union (`org_id`) looks after the person; the data scope is
 * its subtree. The roll's 劳模 flag follows the register (modules/models keeps it in sync on write).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table model_people (
      id bigserial primary key,
      org_id bigint not null references orgs (id),
      person_id bigint references people (id),
      name text not null check (length(name) between 2 and 30),
      sex char(1) check (sex in ('M', 'F')),
      id_enc text,
      id_bidx text,
      id_masked text,
      phone_enc text,
      phone_masked text,
      employer text check (length(employer) <= 100),
      job_title text check (length(job_title) <= 40),
      status text not null default 'active' check (status in ('active', 'retired', 'deceased')),
      note text check (length(note) <= 500),
      version integer not null default 1,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // one register entry per ID number, city-wide (an import of the same file adds nothing)
  await sql`create unique index model_people_id_bidx on model_people (id_bidx) where id_bidx is not null`.execute(db);
  await sql`create index model_people_org_idx on model_people (org_id, id)`.execute(db);
  await sql`create index model_people_person_idx on model_people (person_id) where person_id is not null`.execute(db);

  await sql`
    create table model_honours (
      id bigserial primary key,
      model_person_id bigint not null references model_people (id),
      kind text not null check (kind in ('national_model', 'provincial_model', 'city_model', 'mayday_national', 'mayday_provincial',
        'mayday_city', 'craftsman_national', 'craftsman_provincial', 'craftsman_city', 'skill_expert')),
      year integer not null check (year between 1950 and 2100),
      awarding_body text not null check (length(awarding_body) between 2 and 60),
      certificate_no text check (length(certificate_no) <= 40),
      created_at timestamptz not null default now(),
      unique (model_person_id, kind, year)
    )`.execute(db);
  await sql`create index model_honours_kind_idx on model_honours (kind, model_person_id)`.execute(db);

  await sql`
    create table model_entitlement_rules (
      id bigserial primary key,
      honour_kind text not null,
      benefit text not null check (benefit in ('recuperation', 'checkup', 'hardship_subsidy', 'spring_visit')),
      amount_fen bigint check (amount_fen >= 0),
      note text not null default '' check (length(note) <= 200),
      active boolean not null default true,
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      unique (honour_kind, benefit)
    )`.execute(db);
  // the defaults: every 劳模 kind gets all four yearly; 五一 medals and 工匠 get 体检 and 春节慰问
  const yearly: [string, string, number | null, string][] = [];
  for (const k of ['national_model', 'provincial_model', 'city_model']) {
    const visit = k === 'national_model' ? 200000 : k === 'provincial_model' ? 150000 : 100000;
    yearly.push([k, 'recuperation', null, '每年优先安排疗休养一次']);
    yearly.push([k, 'checkup', null, '每年健康体检一次']);
    yearly.push([k, 'hardship_subsidy', 300000, '困难劳模每年补助（需经困难认定）']);
    yearly.push([k, 'spring_visit', visit, '春节走访慰问']);
  }
  for (const k of ['mayday_national', 'mayday_provincial', 'mayday_city', 'craftsman_national', 'craftsman_provincial', 'craftsman_city']) {
    yearly.push([k, 'checkup', null, '每年健康体检一次']);
    yearly.push([k, 'spring_visit', 50000, '春节走访慰问']);
  }
  for (const [kind, benefit, fen, note] of yearly)
    await sql`insert into model_entitlement_rules (honour_kind, benefit, amount_fen, note) values (${kind}, ${benefit}, ${fen}, ${note})`.execute(db);

  await sql`
    create table model_grants (
      id bigserial primary key,
      model_person_id bigint not null references model_people (id),
      benefit text not null check (benefit in ('recuperation', 'checkup', 'hardship_subsidy', 'spring_visit')),
      year integer not null check (year between 2000 and 2100),
      granted_on date not null,
      amount_fen bigint check (amount_fen >= 0),
      note text check (length(note) <= 200),
      org_id bigint not null references orgs (id),
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      -- each entitlement is yearly: given once per person, benefit and year (holds under races)
      unique (model_person_id, benefit, year)
    )`.execute(db);
}
