import { sql, type Kysely } from 'kysely';

/**
 * Several audit hash chains (docs/decisions/007): one advisory lock serialised every audited write
 * including its commit, which capped the enrollment rush. Chain 0 is the original chain (every
 * existing row and every ordinary append); the rush path spreads over chains 1…AUDIT_CHAINS-1.
 * Each chain links its own rows by prev_hash and has its own head; verify walks every chain.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_log add column chain smallint not null default 0`.execute(db);
  await sql`create index audit_log_chain_idx on audit_log (chain, id)`.execute(db);
  await sql`alter table audit_chain_head add column chain smallint not null default 0`.execute(db);
  await sql`alter table audit_chain_head drop constraint audit_chain_head_pkey`.execute(db);
  await sql`alter table audit_chain_head add primary key (chain)`.execute(db);
  // Heads of the spread chains exist from the start (empty chain: last_id 0, the genesis hash), so an
  // append locks its chain by updating its head row and reads the head in the same statement.
  await sql`insert into audit_chain_head (chain, last_id, last_hash) select c, 0, repeat('0', 64) from generate_series(1, 15) c`.execute(db);
}
