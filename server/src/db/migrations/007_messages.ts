import { sql, type Kysely } from 'kysely';

// The message centre serves staff as well as workers: unread counts and a staff inbox by account.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index messages_account_idx on messages (account_id, created_at desc) where account_id is not null`.execute(db);
  await sql`create index messages_worker_unread_idx on messages (worker_id) where read_at is null and worker_id is not null`.execute(db);
  await sql`alter table messages add column category text not null default 'system'`.execute(db);
}
