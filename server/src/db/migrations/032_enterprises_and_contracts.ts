import { sql, type Kysely } from 'kysely';

// The 范本 texts as published (version 1); later versions are added through the API, never by editing these.
const WOMEN_TEMPLATE_CLAUSES = [
  {
    key: 'w1',
    title: '总则',
    text: '为维护女职工的合法权益和特殊利益，根据《中华人民共和国劳动法》《女职工劳动保护特别规定》等法律法规，经双方平等协商，订立本专项集体合同。',
  },
  {
    key: 'w2',
    title: '平等就业',
    text: '企业在招录、晋升、评定专业技术职称等方面不得以性别为由拒绝录用女职工或者提高对女职工的录用标准，不得在劳动合同中限制女职工结婚、生育。',
  },
  { key: 'w3', title: '孕期检查计入劳动时间', text: '怀孕女职工在劳动时间内进行产前检查，所需时间计入劳动时间，按正常出勤对待，工资照发。' },
  {
    key: 'w4',
    title: '生育假与产假合并',
    text: '女职工生育享受国家规定的产假九十八天，并享受本省规定的生育奖励假，生育奖励假与产假合并使用，期间工资福利待遇不变。',
  },
  { key: 'w5', title: '育儿假', text: '子女三周岁以下的，夫妻双方每年各享受育儿假十天，育儿假期间视为出勤，工资照发。' },
  { key: 'w6', title: '哺乳期保护', text: '对哺乳未满一周岁婴儿的女职工，企业每天安排不少于一小时的哺乳时间，不得延长劳动时间或者安排夜班劳动。' },
  { key: 'w7', title: '防范性骚扰', text: '企业建立预防和制止性骚扰工作制度，开展相关教育培训，明确受理部门和处理程序，对实施性骚扰的人员依法依规处理。' },
  { key: 'w8', title: '投诉渠道', text: '企业工会女职工委员会设立投诉电话和信箱，女职工可就权益受侵害向女职工委员会投诉，女职工委员会在十五日内答复。' },
  { key: 'w9', title: '健康检查', text: '企业每年安排女职工进行一次妇科疾病及乳腺疾病检查，费用由企业承担。' },
  { key: 'w10', title: '合同期限与履约监督', text: '本合同期限为三年。双方每年对合同履行情况进行一次检查，并向职工代表大会报告。' },
];
const GENERAL_TEMPLATE_CLAUSES = [
  { key: 'g1', title: '总则', text: '为协调劳动关系，维护双方合法权益，经平等协商，订立本集体合同。' },
  { key: 'g2', title: '劳动报酬', text: '企业职工工资年增长幅度不低于本地区工资指导线基准线，支付给职工的工资不低于当地最低工资标准。' },
  { key: 'g3', title: '工作时间', text: '实行每日工作不超过八小时、平均每周工作不超过四十小时的工时制度。' },
  { key: 'g4', title: '休息休假', text: '职工依法享受法定节假日、年休假、婚丧假等假期。' },
  { key: 'g5', title: '劳动安全卫生', text: '企业建立健全劳动安全卫生制度，为职工提供符合国家标准的劳动安全卫生条件和必要的劳动防护用品。' },
  { key: 'g6', title: '保险福利', text: '企业依法为职工缴纳社会保险费，并建立补充保险和职工福利制度。' },
  { key: 'g7', title: '合同期限', text: '本合同期限为三年，期满前三个月双方开始续签协商。' },
];

/**
 * Enterprises, 建会, collective contracts, 要约行动, 职代会 and 厂务公开 (issue 13, decision 021).
 * An enterprise sits under the union that registered it (`org_id`, its 县/镇 union): that org's path
 * is the data scope. Its covering union (`union_org_id`) is its own 基层工会 or a 联合会.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table enterprises (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      credit_code text not null unique,
      name text not null,
      ownership text not null check (ownership in ('state', 'collective', 'mixed', 'private', 'foreign', 'hmt', 'individual', 'other')),
      industry text not null check (industry ~ '^[A-T]$'),
      size text not null default 'small' check (size in ('large', 'medium', 'small', 'micro')),
      employees integer not null default 0 check (employees >= 0),
      women integer not null default 0 check (women >= 0 and women <= employees),
      migrant_workers integer not null default 0 check (migrant_workers >= 0 and migrant_workers <= employees),
      address text,
      division_code text,
      is_platform boolean not null default false,
      union_org_id bigint references orgs(id),
      union_kind text check (union_kind in ('own', 'joint', 'industry')),
      unionised_on date,
      congress_system boolean not null default false,
      disclosure_system boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index enterprises_org_idx on enterprises (org_id)`.execute(db);
  await sql`create index enterprises_union_idx on enterprises (union_org_id)`.execute(db);

  await sql`
    create table enterprise_import_jobs (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      uploaded_by bigint,
      uploaded_by_name text,
      file_name text not null,
      format text not null,
      headers jsonb not null default '[]',
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      total integer,
      processed integer not null default 0,
      added integer not null default 0,
      updated integer not null default 0,
      unchanged integer not null default 0,
      failed integer not null default 0,
      message text,
      created_at timestamptz not null,
      finished_at timestamptz
    )`.execute(db);
  await sql`create index enterprise_import_jobs_org_idx on enterprise_import_jobs (org_id, id desc)`.execute(db);
  await sql`
    create table enterprise_import_errors (
      job_id bigint not null references enterprise_import_jobs(id) on delete cascade,
      row_no integer not null,
      cells jsonb not null,
      reason text not null,
      primary key (job_id, row_no)
    )`.execute(db);

  await sql`
    create table union_foundings (
      id bigserial primary key,
      enterprise_id bigint not null references enterprises(id),
      parent_org_id bigint not null references orgs(id),
      status text not null default 'preparing' check (status in ('preparing', 'elected', 'established', 'registered', 'cancelled')),
      organiser text not null,
      started_on date not null,
      meeting_kind text,
      elected_on date,
      term_years integer,
      approval_no text,
      approved_on date,
      union_org_id bigint references orgs(id),
      legal_due_on date,
      legal_cert_no text,
      legal_registered_on date,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index union_foundings_one_open on union_foundings (enterprise_id) where status in ('preparing', 'elected')`.execute(db);
  await sql`create index union_foundings_parent_idx on union_foundings (parent_org_id, status)`.execute(db);

  await sql`
    create table union_officers (
      id bigserial primary key,
      founding_id bigint references union_foundings(id),
      enterprise_id bigint not null references enterprises(id),
      union_org_id bigint references orgs(id),
      name text not null,
      role text not null check (role in ('chair', 'vice_chair', 'member', 'funds_review', 'women_committee')),
      term_start date not null,
      term_end date not null,
      reminded_at timestamptz
    )`.execute(db);
  await sql`create index union_officers_enterprise_idx on union_officers (enterprise_id)`.execute(db);
  await sql`create index union_officers_term_idx on union_officers (term_end) where reminded_at is null`.execute(db);

  await sql`
    create table contract_templates (
      id bigserial primary key,
      code text not null,
      version integer not null,
      kind text not null,
      title text not null,
      clauses jsonb not null,
      published_on date not null,
      created_at timestamptz not null default now(),
      unique (code, version)
    )`.execute(db);

  await sql`
    create table contracts (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      kind text not null check (kind in ('general', 'wage', 'women', 'safety', 'skill_wage', 'regional', 'industry')),
      title text not null,
      template_id bigint references contract_templates(id),
      clauses jsonb not null default '[]',
      stage text not null default 'negotiating' check (stage in ('negotiating', 'signed', 'submitted', 'accepted', 'objection', 'approved')),
      union_party text not null,
      employer_party text not null,
      union_negotiator text not null,
      employer_negotiator text not null,
      key_terms jsonb not null default '{}',
      term_years integer not null check (term_years between 1 and 3),
      workers_covered integer not null default 0 check (workers_covered >= 0),
      women_covered integer not null default 0 check (women_covered >= 0),
      vote jsonb,
      adopted boolean not null default false,
      signed_on date,
      starts_on date,
      ends_on date,
      submitted_on date,
      submitted_late boolean not null default false,
      accepted_on date,
      review_opinion text,
      reviewed_on date,
      effective_on date,
      renewed_by bigint references contracts(id),
      previous_id bigint references contracts(id),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index contracts_org_idx on contracts (org_id, stage)`.execute(db);
  await sql`create index contracts_ends_idx on contracts (ends_on) where ends_on is not null`.execute(db);
  await sql`
    create table contract_enterprises (
      contract_id bigint not null references contracts(id) on delete cascade,
      enterprise_id bigint not null references enterprises(id),
      primary key (contract_id, enterprise_id)
    )`.execute(db);
  await sql`create index contract_enterprises_enterprise_idx on contract_enterprises (enterprise_id)`.execute(db);
  await sql`
    create table contract_rounds (
      id bigserial primary key,
      contract_id bigint not null references contracts(id) on delete cascade,
      held_on date not null,
      topics text not null,
      minutes text not null default ''
    )`.execute(db);
  await sql`
    create table contract_reminders (
      contract_id bigint not null references contracts(id) on delete cascade,
      days_ahead integer not null,
      sent_at timestamptz not null,
      primary key (contract_id, days_ahead)
    )`.execute(db);

  await sql`
    create table bargaining_campaigns (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      title text not null,
      year integer not null,
      starts_on date not null,
      ends_on date not null,
      criteria jsonb not null default '{}',
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table bargaining_targets (
      campaign_id bigint not null references bargaining_campaigns(id) on delete cascade,
      enterprise_id bigint not null references enterprises(id),
      stage text not null default 'pending' check (stage in ('pending', 'offered', 'responded', 'negotiating', 'signed')),
      offered_on date,
      responded_on date,
      negotiating_on date,
      signed_on date,
      contract_id bigint references contracts(id),
      primary key (campaign_id, enterprise_id)
    )`.execute(db);
  await sql`create index bargaining_targets_enterprise_idx on bargaining_targets (enterprise_id)`.execute(db);

  await sql`
    create table congress_sessions (
      id bigserial primary key,
      enterprise_id bigint not null references enterprises(id),
      held_on date not null,
      kind text not null check (kind in ('congress', 'assembly')),
      delegates integer not null check (delegates > 0),
      present integer not null check (present >= 0 and present <= delegates),
      motions jsonb not null default '[]',
      resolutions text not null default '',
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index congress_sessions_enterprise_idx on congress_sessions (enterprise_id, held_on desc)`.execute(db);
  await sql`
    create table disclosure_items (
      id bigserial primary key,
      enterprise_id bigint not null references enterprises(id),
      published_on date not null,
      subject text not null,
      channel text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index disclosure_items_enterprise_idx on disclosure_items (enterprise_id, published_on desc)`.execute(db);

  // The city's model texts (范本), version 1.
  await sql`
    insert into contract_templates (code, version, kind, title, clauses, published_on) values
      ('women', 1, 'women', '女职工权益保护专项集体合同范本', ${JSON.stringify(WOMEN_TEMPLATE_CLAUSES)}::jsonb, '2026-03-08'),
      ('general', 1, 'general', '综合集体合同范本', ${JSON.stringify(GENERAL_TEMPLATE_CLAUSES)}::jsonb, '2026-01-01')`.execute(db);
}
