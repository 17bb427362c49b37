// Tampering with the audit trail as a database superuser would (docs/decisions/011): around the
// append-only trigger (session_replication_role = replica), rewriting rows and recomputing every
// later hash so the chain is consistent again — with plain SM3, or HMAC-SM3 under a guessed key.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditRow, DB } from '../../server/src/db/schema.js';
import { GENESIS_HASH, auditKey, type Unhashed } from '../../server/src/modules/audit/audit.hash.js';
import { DEFERRED_CHAIN } from '../../server/src/modules/audit/audit.repository.js';

export const otherKey = auditKey('55'.repeat(32));
/** Plain SM3 (the unkeyed scheme), as anyone can compute it. */
export const plainSm3 = (row: Unhashed) => otherKey.hashRow(row, 0);

export async function asSuperuser<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    return fn(trx);
  });
}

/** A chain's rows in chain order (seal order on the deferred chain). */
export async function chainRows(db: Kysely<DB> | Transaction<DB>, chain: number): Promise<AuditRow[]> {
  const q = db.selectFrom('audit_log').selectAll().where('chain', '=', chain);
  return chain === DEFERRED_CHAIN ? q.where('seq', 'is not', null).orderBy('seq').execute() : q.orderBy('id').execute();
}

export interface ChainSnapshot {
  chain: number;
  rows: AuditRow[];
  head: { last_id: string; last_hash: string };
}

export async function snapshotChain(db: Kysely<DB>, chain: number): Promise<ChainSnapshot> {
  const head = await db.selectFrom('audit_chain_head').select(['last_id', 'last_hash']).where('chain', '=', chain).executeTakeFirstOrThrow();
  return { chain, rows: await chainRows(db, chain), head };
}

/** Puts a chain back as it was (rows changed, deleted or added since the snapshot). */
export async function restoreChain(db: Kysely<DB>, s: ChainSnapshot): Promise<void> {
  await asSuperuser(db, async (trx) => {
    await trx.deleteFrom('audit_log').where('chain', '=', s.chain).where('hash', 'is not', null).execute();
    if (s.rows.length) await trx.insertInto('audit_log').values(s.rows).execute();
    await trx.updateTable('audit_chain_head').set(s.head).where('chain', '=', s.chain).execute();
  });
}

/**
 * Changes one row and recomputes its hash and every later hash of its chain with `hash`, marking the
 * rows `alg`; moves the chain's head. The result is a consistent chain — under the wrong scheme.
 */
export async function rewriteFrom(
  db: Kysely<DB>,
  chain: number,
  fromId: string,
  change: Partial<Pick<AuditRow, 'actor_name' | 'action' | 'detail'>>,
  hash: (row: Unhashed) => string,
  alg: number,
  opts: { untilId?: string } = {},
): Promise<void> {
  await asSuperuser(db, async (trx) => {
    const rows = await chainRows(trx, chain);
    const start = rows.findIndex((r) => r.id === fromId);
    if (start < 0) throw new Error(`row ${fromId} is not on chain ${chain}`);
    let prev = start === 0 ? GENESIS_HASH : rows[start - 1]!.hash!;
    for (const row of rows.slice(start)) {
      const { hash: _old, seq: _seq, hash_alg: _alg, prev_hash: _prev, ...rest } = { ...row, ...(row.id === fromId ? change : {}) };
      const next = hash({ ...rest, prev_hash: prev });
      await trx
        .updateTable('audit_log')
        .set({ ...(row.id === fromId ? change : {}), prev_hash: prev, hash: next, hash_alg: alg })
        .where('id', '=', row.id)
        .execute();
      prev = next;
      if (row.id === opts.untilId) return;
    }
    await trx.updateTable('audit_chain_head').set({ last_hash: prev }).where('chain', '=', chain).execute();
  });
}
