import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditRow, DB } from '../../db/schema.js';

export type Executor = Kysely<DB> | Transaction<DB>;

const AUDIT_LOCK_KEY = 727_001;
/** The second key of the anchoring lock (chains use 0…16). */
const ANCHOR_LOCK = 1000;
/** Chain 0 is the original chain; the rush path spreads over chains 1…AUDIT_CHAINS-1. */
export const AUDIT_CHAINS = 16;
/**
 * The deferred chain (docs/decisions/008): rows written unsealed inside a caller's single statement
 * (the enrollment rush), linked into this chain by the sealer in seal order (`seq`).
 */
export const DEFERRED_CHAIN = 16;

/** The columns of an audit row as the caller records them (everything but id, chain and hashes). */
export interface DeferredAuditRow {
  at: Date;
  actor_type: AuditRow['actor_type'];
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  org_id: string | null;
  ip: string | null;
  request_id: string | null;
  outcome: 'success' | 'failure';
  detail: string | null;
}

export const auditRepository = {
  /** Serialises appends so the chain is linear: held until the surrounding transaction ends. */
  /** lockChain without waiting: false when another transaction holds it (the sealer of another process, decision 037). */
  async tryLockChain(trx: Transaction<DB>, chain: number): Promise<boolean> {
    const r = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${AUDIT_LOCK_KEY}, ${chain}) as ok`.execute(trx);
    return r.rows[0]?.ok === true;
  },

  /** Anchoring, one process at a time: heads read and written to the file in this order (decision 037). */
  async lockAnchoring(trx: Transaction<DB>): Promise<void> {
    await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY}, ${ANCHOR_LOCK})`.execute(trx);
  },

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
  async insert(trx: Executor, row: Omit<AuditRow, 'seq' | 'hash' | 'prev_hash'> & { prev_hash: string; hash: string }): Promise<void> {
    await trx
      .with('r', (db) => db.insertInto('audit_log').values(row))
      .insertInto('audit_chain_head')
      .values({ chain: row.chain, last_id: row.id, last_hash: row.hash })
      .onConflict((oc) => oc.column('chain').doUpdateSet({ last_id: row.id, last_hash: row.hash }))
      .execute();
  },

  /** Every chain's head with its position (the deferred chain's seq), for an anchor. */
  async headsForAnchor(db: Executor): Promise<{ chain: number; last_id: string; last_hash: string; seq: string | null }[]> {
    return db
      .selectFrom('audit_chain_head as h')
      .leftJoin('audit_log as a', (j) => j.onRef('a.id', '=', 'h.last_id').on('h.chain', '=', DEFERRED_CHAIN))
      .select(['h.chain', 'h.last_id', 'h.last_hash', 'a.seq'])
      .where('h.last_id', '<>', '0')
      .orderBy('h.chain')
      .execute();
  },

  /** The recorded last unkeyed row of each chain (docs/decisions/011). */
  async legacyHeads(db: Executor) {
    return db.selectFrom('audit_legacy_heads').select(['chain', 'last_id', 'last_seq', 'last_hash', 'mac']).orderBy('chain').execute();
  },

  /** Per chain, the last sealed unkeyed row (in chain order: seq on the deferred chain, id elsewhere). */
  async lastUnkeyedRows(db: Executor): Promise<{ chain: number; last_id: string; last_seq: string | null; last_hash: string }[]> {
    const { rows } = await sql<{ chain: number; last_id: string; last_seq: string | null; last_hash: string }>`
      select distinct on (chain) chain, id::text as last_id, seq::text as last_seq, hash as last_hash
      from audit_log where hash_alg = 0 and hash is not null
      order by chain, coalesce(seq, id) desc`.execute(db);
    return rows;
  },

  async insertLegacyHeads(db: Executor, rows: { chain: number; last_id: string; last_seq: string | null; last_hash: string; mac: string }[]): Promise<void> {
    if (rows.length)
      await db
        .insertInto('audit_legacy_heads')
        .values(rows)
        .onConflict((oc) => oc.column('chain').doNothing())
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

  /** The newest rows in scope, without a total (the home page: the list's count would walk the whole trail). */
  async recent(db: Executor, scope: { orgPath: string; includeUnscoped: boolean }, f: { outcome?: 'success' | 'failure'; since?: Date; limit: number }) {
    let q = db
      .selectFrom('audit_log as a')
      .leftJoin('orgs as o', 'o.id', 'a.org_id')
      .where((eb) => eb.or([eb('o.path', 'like', `${scope.orgPath}%`), ...(scope.includeUnscoped ? [eb('a.org_id', 'is', null)] : [])]));
    if (f.outcome) q = q.where('a.outcome', '=', f.outcome);
    if (f.since) q = q.where('a.at', '>=', f.since);
    return q
      .select(['a.id', 'a.at', 'a.actor_name', 'a.action', 'a.target_type', 'a.target_id', 'a.outcome', 'a.ip', 'o.name as org_name'])
      .orderBy('a.id', 'desc')
      .limit(f.limit)
      .execute();
  },

  /** The newest row of one action (by the (action, id desc) index), e.g. the last chain verification. */
  async latestOfAction(db: Executor, action: string) {
    return db
      .selectFrom('audit_log')
      .select(['id', 'at', 'actor_name', 'outcome', 'detail'])
      .where('action', '=', action)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /** Rows of the id-ordered chains (every chain but the deferred one), one batch after `afterId`. */
  async batchAfter(db: Executor, afterId: string | null, limit: number): Promise<AuditRow[]> {
    let q = db.selectFrom('audit_log').selectAll().where('chain', '<>', DEFERRED_CHAIN).orderBy('id').limit(limit);
    if (afterId !== null) q = q.where('id', '>', afterId);
    return q.execute();
  },

  /** Sealed rows of the deferred chain in chain (seal) order, one batch after position `afterSeq`. */
  async deferredBatchAfter(db: Executor, afterSeq: string | null, limit: number): Promise<AuditRow[]> {
    let q = db.selectFrom('audit_log').selectAll().where('chain', '=', DEFERRED_CHAIN).where('seq', 'is not', null).orderBy('seq').limit(limit);
    if (afterSeq !== null) q = q.where('seq', '>', afterSeq);
    return q.execute();
  },

  /**
   * An INSERT of one unsealed audit row per row of the CTE `source`, for the caller to put in its own
   * statement (so the record and its audit row are one atomic write with no chain lock). The target id
   * is taken from `source.id`.
   */
  deferredInsertFrom(source: string, row: DeferredAuditRow) {
    return sql`
      insert into audit_log (id, at, actor_type, actor_id, actor_name, action, target_type, target_id, org_id, ip, request_id, outcome, detail, chain)
      select nextval('audit_log_id_seq'), ${row.at}, ${row.actor_type}, ${row.actor_id}, ${row.actor_name}, ${row.action}, ${row.target_type},
        ${sql.ref(`${source}.id`)}::text, ${row.org_id}, ${row.ip}, ${row.request_id}, ${row.outcome}, ${row.detail}, ${DEFERRED_CHAIN}
      from ${sql.table(source)}`;
  },

  /** One unsealed row on the deferred chain, in the caller's transaction (the sealer links it). */
  async insertDeferred(db: Executor, row: DeferredAuditRow & { target_id: string | null }) {
    await sql`
      insert into audit_log (id, at, actor_type, actor_id, actor_name, action, target_type, target_id, org_id, ip, request_id, outcome, detail, chain)
      values (nextval('audit_log_id_seq'), ${row.at}, ${row.actor_type}, ${row.actor_id}, ${row.actor_name}, ${row.action}, ${row.target_type},
        ${row.target_id}, ${row.org_id}, ${row.ip}, ${row.request_id}, ${row.outcome}, ${row.detail}, ${DEFERRED_CHAIN})`.execute(db);
  },

  /**
   * One unsealed audit row per row of the CTE named `source`, matched by id to `rows[i].targetId`:
   * a set-based insert whose SQL text is the same for any number of rows (one prepared statement).
   */
  deferredInsertManyFrom(source: string, rows: (DeferredAuditRow & { targetId: string })[]) {
    const col = <K extends keyof DeferredAuditRow>(k: K) => rows.map((r) => r[k]);
    return sql`
      insert into audit_log (id, at, actor_type, actor_id, actor_name, action, target_type, target_id, org_id, ip, request_id, outcome, detail, chain)
      select nextval('audit_log_id_seq'), x.at, x.actor_type, x.actor_id, x.actor_name, x.action, x.target_type,
        s.id::text, x.org_id, x.ip, x.request_id, x.outcome, x.detail, ${DEFERRED_CHAIN}
      from unnest(${rows.map((r) => r.targetId)}::int8[], ${col('at')}::timestamptz[], ${col('actor_type')}::text[], ${col('actor_id')}::int8[],
        ${col('actor_name')}::text[], ${col('action')}::text[], ${col('target_type')}::text[], ${col('org_id')}::int8[], ${col('ip')}::text[],
        ${col('request_id')}::text[], ${col('outcome')}::text[], ${col('detail')}::text[])
        as x(target_id, at, actor_type, actor_id, actor_name, action, target_type, org_id, ip, request_id, outcome, detail)
      join ${sql.table(source)} s on s.id = x.target_id`;
  },

  async hasUnsealed(db: Executor): Promise<boolean> {
    const r = await db.selectFrom('audit_log').select('id').where('hash', 'is', null).limit(1).executeTakeFirst();
    return r !== undefined;
  },

  /**
   * How far the sealer is behind (/metrics): the unsealed rows (counted up to `cap`, over the partial
   * index of unsealed rows) and the time of the oldest.
   */
  async sealerLag(db: Executor, cap = 100_000): Promise<{ unsealed: number; oldestAt: Date | null }> {
    const { rows } = await sql<{ n: number; oldest: Date | null }>`
      select (select count(*)::int from (select 1 from audit_log where hash is null limit ${cap}) u) as n,
        (select at from audit_log where hash is null order by id limit 1) as oldest`.execute(db);
    return { unsealed: Number(rows[0]?.n ?? 0), oldestAt: rows[0]?.oldest ?? null };
  },

  /** The oldest unsealed rows, and the deferred chain's last position (after lockChain). */
  async unsealed(trx: Executor, limit: number): Promise<{ rows: AuditRow[]; lastSeq: string | null }> {
    const rows = await trx.selectFrom('audit_log').selectAll().where('hash', 'is', null).orderBy('id').limit(limit).execute();
    // The head's row holds the last position: max(seq) would walk the index past every unsealed row (seq null).
    const last = await trx
      .selectFrom('audit_chain_head as h')
      .innerJoin('audit_log as a', 'a.id', 'h.last_id')
      .select('a.seq')
      .where('h.chain', '=', DEFERRED_CHAIN)
      .executeTakeFirst();
    return { rows, lastSeq: (last?.seq as string | null | undefined) ?? null };
  },

  /** Writes the hashes (keyed) and positions of sealed rows and moves the deferred chain's head, in one statement. */
  async seal(trx: Executor, rows: { id: string; prev_hash: string; hash: string; seq: string }[]): Promise<number> {
    const last = rows[rows.length - 1]!;
    const { rows: out } = await sql<{ n: number }>`
      with sealed as (
        update audit_log a set prev_hash = x.prev_hash, hash = x.hash, seq = x.seq, hash_alg = 1
        from unnest(${rows.map((r) => r.id)}::int8[], ${rows.map((r) => r.prev_hash)}::text[], ${rows.map((r) => r.hash)}::text[],
          ${rows.map((r) => r.seq)}::int8[]) as x(id, prev_hash, hash, seq)
        where a.id = x.id and a.hash is null
        returning a.id
      )
      , head as (update audit_chain_head set last_id = ${last.id}, last_hash = ${last.hash} where chain = ${DEFERRED_CHAIN})
      select count(*)::int as n from sealed`.execute(trx);
    return Number(out[0]!.n);
  },
};
