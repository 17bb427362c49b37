import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditRow, DB } from '../../db/schema.js';

export type Executor = Kysely<DB> | Transaction<DB>;

const AUDIT_LOCK_KEY = 727_001;
/** Chain 0 is the original chain; the rush path spreads over chains 1…AUDIT_CHAINS-1. */
export const AUDIT_CHAINS = 16;

export const auditRepository = {
  /** Serialises appends so the chain is linear: held until the surrounding transaction ends. */
  async lockChain(trx: Transaction<DB>, chain = 0): Promise<void> {
    if (chain === 0) await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
    else await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY}, ${chain})`.execute(trx);
  },

  async head(trx: Executor, chain = 0): Promise<{ last_id: string; last_hash: string } | undefined> {
    return trx.selectFrom('audit_chain_head').select(['last_id', 'last_hash']).where('chain', '=', chain).executeTakeFirst();
  },

  async heads(db: Executor): Promise<{ chain: number; last_id: string; last_hash: string }[]> {
    return db.selectFrom('audit_chain_head').select(['chain', 'last_id', 'last_hash']).orderBy('chain').execute();
  },

  /**
   * Spread chains: locks the chain by updating its (pre-created) head row and returns the head and
   * the next row id — one round trip. Undefined when the head row does not exist.
   */
  async lockHeadAndNextId(trx: Executor, chain: number): Promise<{ id: string; last_hash: string | null } | undefined> {
    const { rows } = await sql<{ id: string; last_hash: string }>`
      update audit_chain_head set last_id = last_id where chain = ${chain}
      returning last_hash, nextval('audit_log_id_seq')::text as id`.execute(trx);
    return rows[0];
  },

  /** The chain's head hash and the next row id in one round trip (after lockChain). */
  async headAndNextId(trx: Executor, chain: number): Promise<{ id: string; last_hash: string | null }> {
    const { rows } = await sql<{ id: string; last_hash: string | null }>`
      select nextval('audit_log_id_seq')::text as id, (select last_hash from audit_chain_head where chain = ${chain}) as last_hash`.execute(trx);
    return rows[0]!;
  },

  async nextId(trx: Executor): Promise<string> {
    const { rows } = await sql<{ id: string }>`select nextval('audit_log_id_seq')::text as id`.execute(trx);
    return rows[0]!.id;
  },

  /** The row and its chain's new head, in one statement. */
  async insert(trx: Executor, row: AuditRow): Promise<void> {
    await trx
      .with('r', (db) => db.insertInto('audit_log').values(row))
      .insertInto('audit_chain_head')
      .values({ chain: row.chain, last_id: row.id, last_hash: row.hash })
      .onConflict((oc) => oc.column('chain').doUpdateSet({ last_id: row.id, last_hash: row.hash }))
      .execute();
  },

  async list(
    db: Executor,
    scope: { orgPath: string; includeUnscoped: boolean },
    f: { action?: string; actor?: string; outcome?: 'success' | 'failure'; from?: Date; to?: Date; limit: number; offset: number },
  ) {
    let q = db
      .selectFrom('audit_log as a')
      .leftJoin('orgs as o', 'o.id', 'a.org_id')
      .where((eb) => eb.or([eb('o.path', 'like', `${scope.orgPath}%`), ...(scope.includeUnscoped ? [eb('a.org_id', 'is', null)] : [])]));
    if (f.action) q = q.where('a.action', 'like', `%${f.action}%`);
    if (f.actor) q = q.where('a.actor_name', 'like', `%${f.actor}%`);
    if (f.outcome) q = q.where('a.outcome', '=', f.outcome);
    if (f.from) q = q.where('a.at', '>=', f.from);
    if (f.to) q = q.where('a.at', '<', f.to);
    const [items, total] = await Promise.all([
      q.selectAll('a').select('o.name as org_name').orderBy('a.id', 'desc').limit(f.limit).offset(f.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  /** Rows in chain order, one batch after `afterId`. */
  async batchAfter(db: Executor, afterId: string | null, limit: number): Promise<AuditRow[]> {
    let q = db.selectFrom('audit_log').selectAll().orderBy('id').limit(limit);
    if (afterId !== null) q = q.where('id', '>', afterId);
    return q.execute();
  },
};
