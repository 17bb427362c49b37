// Opens the database: PGlite under the data folder by default, PostgreSQL when DATABASE_URL
// is set. Both speak the same SQL; the rest of the code sees only Kysely<DB>.
// PGlite is loaded only when used: a PostgreSQL deployment does not carry it (≈ 40 MB of memory).
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import { join } from 'node:path';
import { PGliteDialect } from './pglite-dialect.js';
import { PostgresDialect } from 'kysely';
import { acquireDataDirLock } from './lock.js';
import { prepareMarkedStatements } from './prepared.js';
import { createReplica, type Replica } from './replica.js';
import type { DB } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  /**
   * For heavy read-only work that tolerates seconds of staleness (exports, figures, the snapshot's
   * counting, the cockpit): the read replica when DATABASE_REPLICA_URL is set, falling back to the
   * primary when it is down or too far behind; otherwise the same instance as `db`. Never for a
   * transaction, nor for a read that must see the caller's own just-made write (decision 038).
   */
  reader: Kysely<DB>;
  /** Present when a replica is configured: its state and lag. */
  replica?: Pick<Replica, 'status' | 'probe'>;
  kind: DatabaseKind;
  /** Present for PGlite: the embedded instance (backup, checkpoint). */
  pglite?: PGlite;
  /** Present for PostgreSQL: the pool, for a dedicated connection (the import's COPY into its temp table). */
  pool?: pg.Pool;
  close(): Promise<void>;
}

// node-postgres: keep int8/numeric as strings (default) and date as plain 'YYYY-MM-DD'.
pg.types.setTypeParser(1082, (v: string) => v);

export interface OpenOptions {
  databaseUrl?: string | null;
  dataDir?: string;
  /** PGlite only: start from this dump (tests) instead of a folder; runs in memory. */
  loadDataDir?: Blob;
  /** PGlite only: an empty in-memory database (tests, tools). */
  memory?: boolean;
  poolSize?: number;
  /** PostgreSQL only: DATABASE_REPLICA_URL, a streaming replica for `reader` (ignored, with a warning, on PGlite). */
  replicaUrl?: string | null;
  /** Connections to the replica (default 4: a few exports and figure requests at a time). */
  replicaPoolSize?: number;
  /** Reads stay on the primary while the replica is further behind than this (default 30 s). */
  replicaMaxLagMs?: number;
  /** Where warnings go (the replica ignored on PGlite, the replica down or lagging); default console.warn. */
  log?: (message: string) => void;
}

/**
 * The session settings of every connection the server opens to PostgreSQL, sent in the start-up
 * packet (no round trip, nothing to configure on the server): no JIT. PostgreSQL 15 compiles any
 * statement whose estimate passes jit_above_cost — a roll search over a large scope, a count for a
 * figure — on every execution (≈ 350 ms) for queries that answer in milliseconds from their indexes
 * (decision 036). A DATABASE_URL that sets `options` itself keeps its own.
 */
export function connectionConfig(databaseUrl: string, opts: { readOnly?: boolean } = {}): pg.PoolConfig {
  const own = /[?&]options=/.test(databaseUrl);
  // The replica's connections refuse writes even when it is not a standby (a copy, a promoted replica):
  // a write routed there by mistake fails loudly instead of landing where the primary never sees it.
  const options = opts.readOnly ? '-c jit=off -c default_transaction_read_only=on' : '-c jit=off';
  return { connectionString: databaseUrl, ...(!own && { options }) };
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ ...connectionConfig(opts.databaseUrl), max: opts.poolSize ?? 10 });
    // A connection that PostgreSQL ends (restart, failover, an administrator's terminate) emits
    // 'error'; without a listener that event would take the whole server down. The query that was
    // running on it fails on its own; the pool drops the client and opens a new one next time.
    const onConnectionError = (err: Error) => console.error(`[db] PostgreSQL connection lost: ${err.message}`);
    pool.on('error', onConnectionError);
    pool.on('connect', (client) => client.on('error', onConnectionError));
    prepareMarkedStatements(pool);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const replica = opts.replicaUrl ? openReplica(opts, opts.replicaUrl, pool) : null;
    return {
      db,
      reader: replica?.db ?? db,
      ...(replica && { replica }),
      kind: 'postgres',
      pool,
      async close() {
        await replica?.close();
        await db.destroy();
      },
    };
  }
  if (opts.replicaUrl) (opts.log ?? console.warn)('已忽略 DATABASE_REPLICA_URL：只读副本仅用于 PostgreSQL（DATABASE_URL），嵌入式 PGlite 没有副本');
  let release: (() => void) | null = null;
  const { PGlite } = await import('@electric-sql/pglite');
  let instance: PGlite;
  if (opts.loadDataDir || opts.memory) {
    instance = await PGlite.create(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
  } else {
    if (!opts.dataDir) throw new Error('dataDir is required for PGlite');
    release = acquireDataDirLock(opts.dataDir);
    try {
      instance = await PGlite.create(join(opts.dataDir, 'pgdata'));
    } catch (err) {
      release();
      throw err;
    }
  }
  // The same session settings as PostgreSQL's connections (connectionConfig); PGlite has no JIT compiler, but says on.
  await instance.exec('set jit = off');
  const db = new Kysely<DB>({ dialect: new PGliteDialect(instance) });
  let closed = false;
  return {
    db,
    reader: db,
    kind: 'pglite',
    pglite: instance,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await sql`checkpoint`.execute(db);
        await db.destroy();
        await instance.close();
      } finally {
        release?.();
      }
    },
  };
}

/** A small pool on the replica (same start-up settings as the primary's, read-only), behind the fallback of replica.ts. */
function openReplica(opts: OpenOptions, url: string, primary: pg.Pool): Replica {
  // A short connect timeout: while the replica host does not answer, figures wait this long once, then go to the primary.
  const pool = new pg.Pool({ ...connectionConfig(url, { readOnly: true }), max: opts.replicaPoolSize ?? 4, connectionTimeoutMillis: 2_000 });
  const onConnectionError = (err: Error) => console.error(`[db] replica connection lost: ${err.message}`);
  pool.on('connect', (client) => client.on('error', onConnectionError));
  prepareMarkedStatements(pool);
  return createReplica(pool, primary, { ...(opts.replicaMaxLagMs !== undefined && { maxLagMs: opts.replicaMaxLagMs }), ...(opts.log && { log: opts.log }) });
}
