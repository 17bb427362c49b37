import { sql, type Kysely } from 'kysely';

/**
 * A notice sent by mistake is withdrawn (撤回) by the union that sent it, with a reason: kept for the
 * record and the audit trail, but the recipients see only its title, who withdrew it and why — not its
 * body or attachments — and it no longer counts as unread, takes 回执 or reminders.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notices add column withdrawn_at timestamptz, add column withdrawn_by_name text, add column withdraw_reason text`.execute(db);
  await sql`alter table notices add constraint notices_withdrawn_complete check ((withdrawn_at is null) = (withdraw_reason is null))`.execute(db);
}
