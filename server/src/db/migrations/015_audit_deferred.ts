import { sql, type Kysely } from 'kysely';

/**
 * The deferred audit chain (docs/decisions/008): the enrollment rush writes its audit row in the
 * same single statement as the enrollment, without taking a chain lock, so the row arrives unsealed
 * (no hashes) on chain 16; a sealer links such rows into that chain moments later, in the order it
 * seals them (`seq`), under the chain's lock. Sealing is the only update audit_log allows, and only
 * from unsealed to sealed with every recorded field unchanged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_log alter column prev_hash drop not null`.execute(db);
  await sql`alter table audit_log alter column hash drop not null`.execute(db);
  await sql`alter table audit_log add column seq bigint`.execute(db);
  // Every row is either on an id-ordered chain and sealed without a position, or on the deferred
  // chain and either unsealed (no hashes, no position) or sealed with a position — so no row can sit
  // where verify does not walk.
  await sql`
    alter table audit_log add constraint audit_log_sealed check (
      (chain <> 16 and hash is not null and prev_hash is not null and seq is null)
      or (chain = 16 and ((hash is null and prev_hash is null and seq is null) or (hash is not null and prev_hash is not null and seq is not null))))`.execute(
    db,
  );
  // The deferred chain is walked in seal order; the unsealed rows are few at any moment.
  await sql`create unique index audit_log_deferred_seq on audit_log (seq) where chain = 16`.execute(db);
  await sql`create index audit_log_unsealed on audit_log (id) where hash is null`.execute(db);
  await sql`insert into audit_chain_head (chain, last_id, last_hash) values (16, 0, repeat('0', 64))`.execute(db);
  await sql`
    create or replace function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' then
        if old.hash is null and new.hash is not null and new.prev_hash is not null and new.seq is not null
           and (new.id, new.at, new.actor_type, new.actor_id, new.actor_name, new.action, new.target_type, new.target_id,
                new.org_id, new.ip, new.request_id, new.outcome, new.detail, new.chain)
               is not distinct from
               (old.id, old.at, old.actor_type, old.actor_id, old.actor_name, old.action, old.target_type, old.target_id,
                old.org_id, old.ip, old.request_id, old.outcome, old.detail, old.chain) then
          return new;
        end if;
      end if;
      raise exception 'audit_log is append-only';
    end $$`.execute(db);
}
