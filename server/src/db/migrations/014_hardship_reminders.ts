import { sql, type Kysely } from 'kysely';

// Yearly-review reminders of 困难职工档案: the daily job claims (file, review year) here before it
// messages the union, so each review is reminded once however often the job runs (decision 006).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table hardship_review_reminders (
      file_id bigint not null references hardship_files(id) on delete cascade,
      review_year int not null,
      due_on date not null,
      org_id bigint not null references orgs(id),
      sent_at timestamptz not null,
      primary key (file_id, review_year)
    )`.execute(db);
  // The job's scan: established files by due date.
  await sql`create index hardship_files_review_due_idx on hardship_files (review_due_on) where status = 'established'`.execute(db);
}
