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
import type { DB } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
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
}

/**
 * The session settings of every connection the server opens to PostgreSQL, sent in the start-up
 * packet (no round trip, nothing to configure on the server): no JIT. PostgreSQL 15 compiles any
 * statement whose estimate passes jit_above_cost — a roll search over a large scope, a count for a
 * figure — on every execution (≈ 350 ms) for queries that answer in milliseconds from their indexes
 * (decision 036). A DATABASE_URL that sets `options` itself keeps its own.
 */
export function connectionConfig(databaseUrl: string): pg.PoolConfig {
  const own = /[?&]options=/.test(databaseUrl);
  return { connectionString: databaseUrl, ...(!own && { options: '-c jit=off' }) };
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
    return {
      db,
      kind: 'postgres',
      pool,
      async close() {
        await db.destroy();
      },
    };
  }
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
