import { sql, type Kysely } from 'kysely';

/**
 * Keys and the database (docs/decisions/011).
 *
 * - `key_checks`: one check value per configured key (HMAC-SM3 of a fixed label under the key, never
 *   the key), so a start with keys that did not write this data is refused instead of generating
 *   new ones, re-seeding and answering 500 on every decrypt.
 * - `audit_log.hash_alg`: 0 = the original unkeyed SM3 chain (every row written before this
 *   migration), 1 = HMAC-SM3 under GONGHUI_AUDIT_KEY (every row from now on; the sealer sets it
 *   when it seals a deferred row).
 * - `audit_legacy_heads`: per chain, the last unkeyed row, with a MAC under the audit key, recorded
 *   once by the start that first sees the audit key. Unkeyed rows are accepted by verify only up to
 *   it, so rewriting keyed rows as unkeyed ones (a downgrade) is found.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table key_checks (
      name text primary key,
      check_value text not null check (check_value ~ '^[0-9a-f]{64}$'),
      created_at timestamptz not null default now()
    )`.execute(db);

  // A constant default: no table rewrite, existing rows read as 0 (unkeyed). New rows default to keyed.
  await sql`alter table audit_log add column hash_alg smallint not null default 0`.execute(db);
  await sql`alter table audit_log alter column hash_alg set default 1`.execute(db);
  await sql`alter table audit_log add constraint audit_log_hash_alg check (hash_alg in (0, 1))`.execute(db);

  await sql`
    create table audit_legacy_heads (
      chain smallint primary key,
      last_id bigint not null,
      last_seq bigint,
      last_hash text not null,
      mac text not null,
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create function audit_legacy_heads_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_legacy_heads is append-only';
    end $$`.execute(db);
  await sql`
    create trigger audit_legacy_heads_no_update before update or delete on audit_legacy_heads
    for each row execute function audit_legacy_heads_append_only()`.execute(db);
}
