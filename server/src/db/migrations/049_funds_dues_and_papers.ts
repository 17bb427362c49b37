import { sql, type Kysely } from 'kysely';

/**
 * Issue 17, decision 034: 会费 (members' dues) per member union — a switch and a rate per union
 * (basis points of the wage, 50 = 0.5 %), exemptions with their reason, and what each member paid
 * for a month (one row per membership and month: a bulk record for a month run twice adds nothing);
 * and the audit committee's working papers (底稿: files in the file store, like the spending vouchers).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table funds_dues_settings (
      org_id bigint primary key references orgs(id),
      enabled boolean not null default false,
      rate_bp integer not null default 50 check (rate_bp > 0 and rate_bp <= 1000),
      updated_by text,
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);

  // An exemption (免缴) of one membership by its union, with the reason; revoking keeps the row.
  await sql`
    create table funds_dues_exemptions (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      membership_id bigint not null references memberships(id),
      reason text not null,
      created_by text,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      revoked_by text
    )`.execute(db);
  await sql`create unique index funds_dues_exemptions_live on funds_dues_exemptions (org_id, membership_id) where revoked_at is null`.execute(db);

  await sql`
    create table funds_dues (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      membership_id bigint not null references memberships(id),
      period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      wage_fen bigint not null check (wage_fen >= 0),
      amount_fen bigint not null check (amount_fen > 0),
      paid_on date not null,
      created_by text,
      created_at timestamptz not null default now(),
      unique (membership_id, period)
    )`.execute(db);
  await sql`create index funds_dues_org_idx on funds_dues (org_id, period)`.execute(db);

  await sql`
    create table ac_papers (
      id bigserial primary key,
      project_id bigint not null references ac_projects(id) on delete cascade,
      title text not null,
      file_key text not null,
      file_name text not null,
      file_mime text not null,
      bytes integer not null,
      uploaded_by text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index ac_papers_project_idx on ac_papers (project_id)`.execute(db);
}
