import { sql, type Kysely } from 'kysely';

/**
 * The H5 claim (decision 044) counts an account's wrong ID numbers of the last 24 hours from the
 * audit trail. Through `audit_log_action_idx (action, id desc)` that count would walk every claim the
 * city ever audited; only the failures are counted, by account and time, so a small partial index holds them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index audit_log_claim_failures on audit_log (actor_id, at) where action = 'member.claim' and outcome = 'failure'`.execute(db);
}
