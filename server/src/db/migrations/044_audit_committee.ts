import { sql, type Kysely } from 'kysely';

/**
 * 经费审查 (issue 17, decision 031): the audit committee's projects over a union's funds for a period,
 * findings (amount involved in fen), and the 整改 four-linked list: each finding (问题) has one task
 * (任务) with an owner (责任) and the evidence of its rectification (整改); 约谈 records on overdue
 * tasks; a task closes only with the committee's sign-off.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ac_projects (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      audited_org_id bigint not null references orgs(id),
      kind text not null check (kind in ('final_accounts', 'affiliate', 'special_fund', 'tracking', 'economic_responsibility')),
      title text not null,
      period_from date not null,
      period_to date not null,
      team text not null,
      status text not null default 'open' check (status in ('open', 'reported', 'closed')),
      created_by text,
      created_at timestamptz not null default now(),
      version integer not null default 1,
      check (period_from <= period_to)
    )`.execute(db);
  await sql`create index ac_projects_audited_idx on ac_projects (audited_org_id)`.execute(db);
  await sql`
    create table ac_findings (
      id bigserial primary key,
      project_id bigint not null references ac_projects(id) on delete cascade,
      category text not null check (category in ('budget', 'income', 'spending', 'assets', 'accounting', 'other')),
      description text not null,
      amount_fen bigint not null default 0 check (amount_fen >= 0),
      severity text not null check (severity in ('minor', 'major', 'serious')),
      responsible_person text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index ac_findings_project_idx on ac_findings (project_id)`.execute(db);
  await sql`
    create table ac_tasks (
      id bigserial primary key,
      finding_id bigint not null unique references ac_findings(id) on delete cascade,
      task text not null,
      owner text not null,
      deadline date not null,
      status text not null default 'open' check (status in ('open', 'submitted', 'closed')),
      evidence text,
      evidence_on date,
      signed_off_by text,
      closed_on date,
      version integer not null default 1
    )`.execute(db);
  await sql`
    create table ac_interviews (
      id bigserial primary key,
      task_id bigint not null references ac_tasks(id) on delete cascade,
      held_on date not null,
      interviewee text not null,
      interviewer text not null,
      notes text not null,
      created_by text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index ac_interviews_task_idx on ac_interviews (task_id)`.execute(db);
}
