import { sql, type Kysely } from 'kysely';

/**
 * 劳模工匠 (issue 16), the second part: 创新工作室 (studios with their achievements) and the problem
 * board 助企行 / 揭榜 — an enterprise of the register posts a technical problem, a studio or an
 * honoured person claims it, works it (records, visits), closes it with the result, and the
 * enterprise confirms. Both are scoped by `org_id` (the studio's managing union; the problem's: the
 * enterprise's registering union).
 * And 产改 (modules/reform): pilot enterprises with their 任务清单 / 问题清单 (owner, deadline, done with
 * an evidence note), the 评星定级 criteria (configurable by the city) and a yearly rating per pilot.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table model_studios (
      id bigserial primary key,
      org_id bigint not null references orgs (id),
      kind text not null check (kind in ('model', 'worker', 'women', 'craftsman', 'alliance')),
      name text not null check (length(name) between 2 and 60),
      lead_id bigint references model_people (id),
      enterprise_id bigint references enterprises (id),
      field text not null check (length(field) between 1 and 40),
      level text not null check (level in ('county', 'city', 'provincial', 'national')),
      named_year integer not null check (named_year between 1990 and 2100),
      members integer not null default 0 check (members between 0 and 10000),
      status text not null default 'active' check (status in ('active', 'revoked')),
      version integer not null default 1,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (org_id, name)
    )`.execute(db);
  await sql`create index model_studios_org_idx on model_studios (org_id, id)`.execute(db);

  await sql`
    create table model_studio_achievements (
      id bigserial primary key,
      studio_id bigint not null references model_studios (id),
      kind text not null check (kind in ('patent', 'innovation', 'five_small', 'apprentice', 'benefit')),
      title text not null check (length(title) between 2 and 100),
      year integer not null check (year between 1990 and 2100),
      benefit_fen bigint check (benefit_fen >= 0),
      note text check (length(note) <= 300),
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index model_studio_achievements_studio_idx on model_studio_achievements (studio_id, id)`.execute(db);

  await sql`
    create table model_problems (
      id bigserial primary key,
      org_id bigint not null references orgs (id),
      enterprise_id bigint not null references enterprises (id),
      title text not null check (length(title) between 4 and 80),
      field text not null check (length(field) between 1 and 40),
      description text not null check (length(description) between 10 and 2000),
      posted_on date not null,
      deadline date not null,
      status text not null default 'open' check (status in ('open', 'claimed', 'solved', 'confirmed', 'withdrawn')),
      studio_id bigint references model_studios (id),
      solver_id bigint references model_people (id),
      claimed_on date,
      solved_on date,
      result text check (length(result) <= 2000),
      people_involved integer check (people_involved between 1 and 1000),
      confirmed_on date,
      confirmed_by text check (length(confirmed_by) <= 30),
      confirm_note text check (length(confirm_note) <= 500),
      version integer not null default 1,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (deadline >= posted_on),
      check (status not in ('claimed', 'solved', 'confirmed') or (claimed_on is not null and (studio_id is not null or solver_id is not null))),
      check (status not in ('solved', 'confirmed') or (solved_on is not null and result is not null and people_involved is not null)),
      check (status <> 'confirmed' or confirmed_on is not null)
    )`.execute(db);
  await sql`create index model_problems_org_idx on model_problems (org_id, posted_on)`.execute(db);
  await sql`create index model_problems_studio_idx on model_problems (studio_id) where studio_id is not null`.execute(db);

  await sql`
    create table model_problem_records (
      id bigserial primary key,
      problem_id bigint not null references model_problems (id),
      kind text not null check (kind in ('visit', 'work', 'note')),
      on_day date not null,
      text text not null check (length(text) between 2 and 1000),
      actor_name text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index model_problem_records_problem_idx on model_problem_records (problem_id, id)`.execute(db);

  await sql`
    create table reform_pilots (
      id bigserial primary key,
      org_id bigint not null references orgs (id),
      enterprise_id bigint not null unique references enterprises (id),
      since_year integer not null check (since_year between 2015 and 2100),
      note text check (length(note) <= 500),
      version integer not null default 1,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index reform_pilots_org_idx on reform_pilots (org_id, id)`.execute(db);
  await sql`
    create table reform_items (
      id bigserial primary key,
      pilot_id bigint not null references reform_pilots (id),
      kind text not null check (kind in ('task', 'problem')),
      title text not null check (length(title) between 2 and 100),
      owner text not null check (length(owner) between 1 and 30),
      due_on date not null,
      status text not null default 'open' check (status in ('open', 'done')),
      done_on date,
      evidence text check (length(evidence) <= 500),
      created_at timestamptz not null default now(),
      check (status = 'open' or (done_on is not null and evidence is not null))
    )`.execute(db);
  await sql`create index reform_items_pilot_idx on reform_items (pilot_id, id)`.execute(db);
  await sql`
    create table reform_criteria (
      id bigserial primary key,
      name text not null check (length(name) between 2 and 40),
      max_score integer not null check (max_score between 1 and 100),
      sort integer not null default 0,
      active boolean not null default true,
      version integer not null default 1
    )`.execute(db);
  const criteria: [string, number][] = [
    ['思想政治引领', 20],
    ['建功立业（技能竞赛、创新）', 20],
    ['队伍建设（技能等级提升）', 25],
    ['职工权益保障', 20],
    ['组织保障与任务落实', 15],
  ];
  for (const [i, [name, max]] of criteria.entries())
    await sql`insert into reform_criteria (name, max_score, sort) values (${name}, ${max}, ${i + 1})`.execute(db);
  await sql`
    create table reform_ratings (
      id bigserial primary key,
      pilot_id bigint not null references reform_pilots (id),
      year integer not null check (year between 2015 and 2100),
      scores jsonb not null,
      total integer not null check (total between 0 and 100),
      stars integer not null check (stars between 1 and 5),
      rater text not null check (length(rater) between 2 and 40),
      rated_on date not null,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      unique (pilot_id, year)
    )`.execute(db);

  // 宣讲员 and lecture sessions: a lecturer roster per union; a lecture is an existing 培训/宣讲 activity
  // tagged with its lecturer and venue kind; it counts once somebody checked in.
  await sql`
    create table model_lecturers (
      id bigserial primary key,
      org_id bigint not null references orgs (id),
      kind text not null check (kind in ('model_teacher', 'worker_speaker', 'ideology_teacher')),
      name text not null check (length(name) between 2 and 30),
      model_person_id bigint references model_people (id),
      topic text check (length(topic) <= 100),
      active boolean not null default true,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      unique (org_id, name)
    )`.execute(db);
  await sql`
    create table model_lectures (
      id bigserial primary key,
      activity_id bigint not null unique references activities (id),
      lecturer_id bigint not null references model_lecturers (id),
      venue_kind text not null check (venue_kind in ('school', 'enterprise')),
      venue_name text not null check (length(venue_name) between 2 and 60),
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index model_lectures_lecturer_idx on model_lectures (lecturer_id)`.execute(db);
}
