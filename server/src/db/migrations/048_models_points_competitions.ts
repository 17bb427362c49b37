import { sql, type Kysely } from 'kysely';

/**
 * 劳模工匠 and 产改, the rest of issue 16 (decision 033):
 * - 创新成果积分: a points table per union (the city's is the default, a county may keep its own), and
 *   the points an achievement was scored when recorded (with the credited person, patent type, award level);
 * - 创新工作室 yearly evaluations and evidence files of achievements (files in the file store);
 * - the 分级分类 职业技能竞赛目录 (reference data), the 技能竞赛 activities tagged with a catalogue entry, and
 *   winners' 技能等级 results in the register;
 * - 产改 督查考核 visits and 工匠学院 linked to pilots;
 * - the register: one entry per ID number per contact union (the duplicate check is the caller's subtree,
 *   so another county learns nothing), and a membership that starts after the person was registered takes
 *   the roll's 劳模 flag (statement-level trigger, one set-based join per insert statement).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table model_points_tables (
      id bigserial primary key,
      org_id bigint not null unique references orgs (id),
      kinds jsonb not null,
      award jsonb not null,
      patent jsonb not null,
      benefit jsonb not null,
      ranking_enabled boolean not null default false,
      version integer not null default 1,
      updated_by bigint references staff_accounts (id),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    alter table model_studio_achievements
      add column person_id bigint references model_people (id),
      add column patent_type text check (patent_type in ('invention', 'utility', 'design')),
      add column award_level text check (award_level in ('national', 'provincial', 'city', 'county')),
      add column points integer not null default 0 check (points between 0 and 100000),
      add column points_org_id bigint references orgs (id),
      add column scored_on date`.execute(db);
  await sql`update model_studio_achievements set scored_on = (created_at at time zone 'Asia/Shanghai')::date where scored_on is null`.execute(db);
  await sql`alter table model_studio_achievements alter column scored_on set not null`.execute(db);
  await sql`create index model_studio_achievements_person_idx on model_studio_achievements (person_id, year) where person_id is not null`.execute(db);

  await sql`
    create table model_achievement_files (
      id bigserial primary key,
      achievement_id bigint not null references model_studio_achievements (id),
      file_key text not null,
      file_name text not null,
      file_mime text not null,
      bytes integer not null,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index model_achievement_files_idx on model_achievement_files (achievement_id, id)`.execute(db);

  await sql`
    create table model_studio_evaluations (
      id bigserial primary key,
      studio_id bigint not null references model_studios (id),
      year integer not null check (year between 2000 and 2100),
      scores jsonb not null,
      total integer not null check (total between 0 and 100),
      result text not null check (result in ('excellent', 'good', 'pass', 'fail')),
      evaluator text not null check (length(evaluator) between 2 and 40),
      evaluated_on date not null,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      unique (studio_id, year)
    )`.execute(db);

  await sql`
    create table model_competitions (
      id bigserial primary key,
      name text not null check (length(name) between 2 and 80),
      level text not null check (level in ('national', 'provincial', 'city', 'county')),
      category text not null check (category in ('class1', 'class2', 'other')),
      trade text not null check (length(trade) between 1 and 40),
      organiser text not null check (length(organiser) between 2 and 60),
      maps_to text not null check (maps_to in ('skill_level', 'title', 'none')),
      grants text check (length(grants) <= 40),
      active boolean not null default true,
      version integer not null default 1,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      unique (name, level)
    )`.execute(db);
  const catalogue: [string, string, string, string, string, string, string | null][] = [
    ['全国职工职业技能大赛', 'national', 'class1', '综合', '中华全国总工会、人力资源和社会保障部', 'skill_level', '技师（二级）'],
    ['江苏省职业技能大赛', 'provincial', 'class1', '综合', '江苏省人力资源和社会保障厅、江苏省总工会', 'skill_level', '技师（二级）'],
    ['盐城市职工职业技能大赛（焊工）', 'city', 'class2', '焊工', '盐城市总工会、盐城市人力资源和社会保障局', 'skill_level', '高级工（三级）'],
    ['盐城市职工职业技能大赛（电工）', 'city', 'class2', '电工', '盐城市总工会、盐城市人力资源和社会保障局', 'skill_level', '高级工（三级）'],
    ['盐城市护理技能竞赛', 'city', 'class2', '护理', '盐城市卫生健康委员会、盐城市总工会', 'title', '主管护师（推荐）'],
    ['县级职工岗位练兵技术比武', 'county', 'other', '综合', '县（市、区）总工会', 'none', null],
  ];
  for (const [name, level, category, trade, organiser, mapsTo, grants] of catalogue)
    await sql`insert into model_competitions (name, level, category, trade, organiser, maps_to, grants)
      values (${name}, ${level}, ${category}, ${trade}, ${organiser}, ${mapsTo}, ${grants})`.execute(db);
  await sql`
    create table model_competition_activities (
      id bigserial primary key,
      activity_id bigint not null unique references activities (id),
      competition_id bigint not null references model_competitions (id),
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table model_skill_results (
      id bigserial primary key,
      model_person_id bigint not null references model_people (id),
      competition_id bigint not null references model_competitions (id),
      activity_id bigint references activities (id),
      year integer not null check (year between 2000 and 2100),
      placement text not null check (length(placement) between 1 and 20),
      grants text not null check (length(grants) between 2 and 40),
      certificate_no text check (length(certificate_no) <= 40),
      org_id bigint not null references orgs (id),
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      unique (model_person_id, competition_id, year)
    )`.execute(db);

  await sql`
    create table reform_inspections (
      id bigserial primary key,
      pilot_id bigint not null references reform_pilots (id),
      visited_on date not null,
      inspectors text not null check (length(inspectors) between 2 and 100),
      findings text not null check (length(findings) between 2 and 1000),
      score integer not null check (score between 0 and 100),
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index reform_inspections_pilot_idx on reform_inspections (pilot_id, visited_on)`.execute(db);
  await sql`
    create table reform_academies (
      id bigserial primary key,
      org_id bigint not null references orgs (id),
      name text not null check (length(name) between 2 and 60),
      host text not null check (length(host) between 2 and 60),
      founded_year integer not null check (founded_year between 2000 and 2100),
      note text check (length(note) <= 500),
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      unique (org_id, name)
    )`.execute(db);
  await sql`
    create table reform_academy_pilots (
      academy_id bigint not null references reform_academies (id),
      pilot_id bigint not null references reform_pilots (id),
      primary key (academy_id, pilot_id)
    )`.execute(db);

  // one register entry per ID number per contact union: the duplicate check is the caller's subtree
  await sql`drop index model_people_id_bidx`.execute(db);
  await sql`create unique index model_people_id_bidx_org on model_people (id_bidx, org_id) where id_bidx is not null`.execute(db);
  await sql`create index model_people_id_bidx on model_people (id_bidx) where id_bidx is not null`.execute(db);

  // A membership that starts after the person was registered: a register entry whose contact union is
  // the membership's union or above links the person and, holding a 劳模 honour, sets the roll's flag.
  await sql`
    create function model_people_follow_new_memberships() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from model_people where id_bidx is not null and person_id is null limit 1)
         and not exists (select 1 from model_people mp join new_rows n on n.person_id = mp.person_id limit 1) then
        return null;
      end if;
      update model_people mp set person_id = x.person_id
        from (select distinct on (e.id) e.id, n.person_id
                from new_rows n join people p on p.id = n.person_id
                join model_people e on e.id_bidx = p.id_bidx and e.person_id is null
                join orgs o on o.id = e.org_id
               where n.status in ('active', 'retained') and starts_with(n.org_path, o.path)
               order by e.id, n.id desc) x
       where mp.id = x.id;
      update memberships m set is_model_worker = true
        from new_rows n
       where m.id = n.id and not n.is_model_worker and n.status in ('active', 'retained')
         and exists (select 1 from model_people e join orgs o on o.id = e.org_id join model_honours h on h.model_person_id = e.id
                      where e.person_id = n.person_id and starts_with(n.org_path, o.path)
                        and h.kind in ('national_model', 'provincial_model', 'city_model'));
      return null;
    end $$`.execute(db);
  await sql`
    create trigger memberships_model_flag after insert on memberships
      referencing new table as new_rows for each statement execute function model_people_follow_new_memberships()`.execute(db);
}
