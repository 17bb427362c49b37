import { sql, type Kysely } from 'kysely';

/**
 * The year's highlights a union writes for its annual work report (issue 15, item 5; decision 027):
 * one text per union and year, version-checked, printed into the report's .docx beside the figures
 * computed from the records.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table annual_highlights (
      org_id bigint not null references orgs(id),
      year int not null check (year between 2000 and 2100),
      body text not null,
      version int not null default 1,
      updated_by bigint references staff_accounts(id),
      updated_at timestamptz not null default now(),
      primary key (org_id, year)
    )`.execute(db);
}
