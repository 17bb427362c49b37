// The read replica (issue 18 item 2, decision 038): a second Kysely over a streaming replica for the
// heavy read-only work (exports, figures, the snapshot's counting, the cockpit). Its "pool" hands out
// a replica connection when the replica is reachable and not too far behind, and a primary connection
// otherwise, so a failed or lagging replica costs freshness or speed, never an answer. Nothing here
// runs in a transaction: a statement that fails because the replica went away (or was cancelled by
// recovery) is simply sent again to the primary.
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { DB } from './schema.js';

/** Reads go to the primary while the replica is this far behind (decision 038: what each routed read tolerates). */
export const DEFAULT_MAX_LAG_MS = 30_000;
/** How often the lag is measured (on a connection taken from the replica pool, at most once per interval). */
const PROBE_EVERY_MS = 5_000;
/** After a failure the replica is left alone this long: a dead host must not cost every request a connect timeout. */
const RETRY_AFTER_MS = 5_000;

export type ReplicaState = 'ok' | 'down' | 'lagging';

export interface ReplicaStatus {
  state: ReplicaState;
  /** The last measured lag (ms); null before the first measurement or while down. */
  lagMs: number | null;
  /** Since start: connections the replica handed out; connections and retried statements that went to the primary instead. */
  served: number;
  fellBack: number;
  lastError: string | null;
}

export interface Replica {
  /** Kysely over the replica, falling back to the primary: never for a transaction or a read of one's own write. */
  db: Kysely<DB>;
  status(): ReplicaStatus;
  /** Measures the lag now (the next connection does it anyway when the last measurement is older than 5 s). */
  probe(): Promise<ReplicaStatus>;
  close(): Promise<void>;
}

export interface ReplicaOptions {
  maxLagMs?: number;
  log?: (message: string) => void;
}

type Client = pg.PoolClient;
type QueryFn = (text: unknown, values?: unknown) => Promise<pg.QueryResult>;

// Connection-class failures (SQLSTATE classes 08 and 57P0x, socket errors, pg's own "terminated"),
// and 40001 "conflict with recovery": a hot standby cancels a query whose rows its replay must remove.
const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
export function isReplicaFailure(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && (e.code.startsWith('08') || CONNECTION_CODES.has(e.code) || e.code === '40001')) return true;
  return (
    !e.code &&
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message ?? '')
  );
}

const isTransactionStart = (text: unknown) => typeof text === 'string' && /^\s*(begin|start\s+transaction)\b/i.test(text);

/**
 * The pool given to Kysely's PostgresDialect: connect() answers a replica connection, wrapped so that a
 * statement failing with a connection-class error is sent again on the primary, or a primary connection.
 */
class FallbackPool {
  private readonly wrapped = new WeakMap<Client, Client>();
  private skipUntil = 0;
  private lastProbe = 0;
  private current: ReplicaStatus = { state: 'ok', lagMs: null, served: 0, fellBack: 0, lastError: null };

  constructor(
    private readonly replica: pg.Pool,
    private readonly primary: pg.Pool,
    private readonly maxLagMs: number,
    private readonly log: (message: string) => void,
  ) {}

  status(): ReplicaStatus {
    return { ...this.current };
  }

  private setState(state: ReplicaState, detail: { lagMs?: number | null; error?: string }) {
    const was = this.current.state;
    this.current.state = state;
    if (detail.lagMs !== undefined) this.current.lagMs = detail.lagMs;
    if (detail.error) this.current.lastError = detail.error;
    if (state === was) return;
    if (state === 'down') this.log(`只读副本不可用，统计与导出改由主库承担：${detail.error ?? ''}`);
    else if (state === 'lagging') this.log(`只读副本落后主库 ${Math.round(detail.lagMs ?? 0)} 毫秒（上限 ${this.maxLagMs}），统计与导出暂由主库承担`);
    else this.log('只读副本已恢复，统计与导出重新由副本承担');
  }

  markDown(err: unknown) {
    this.skipUntil = Date.now() + RETRY_AFTER_MS;
    this.lastProbe = 0; // measure again on the first connection after the pause
    this.setState('down', { lagMs: null, error: (err as Error).message });
  }

  /**
   * The replica's lag: 0 when it has replayed everything the primary had written when asked (or is not
   * in recovery at all: a copy); otherwise the age of the last transaction it replayed, an upper bound.
   */
  async measure(client: Client): Promise<number> {
    let primaryLsn: string | null = null;
    try {
      primaryLsn = (await this.primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn;
    } catch {
      // A primary that cannot tell (or is itself in recovery): the replica's own view below decides.
    }
    const r = await client.query<{ recovery: boolean; caught_up: boolean | null; age_ms: number | null }>(
      `select pg_is_in_recovery() as recovery,
              pg_last_wal_replay_lsn() >= $1::pg_lsn as caught_up,
              (extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::float8 as age_ms`,
      [primaryLsn],
    );
    const row = r.rows[0]!;
    if (!row.recovery || row.caught_up) return 0;
    return row.age_ms ?? Number.POSITIVE_INFINITY;
  }

  async probe(): Promise<ReplicaStatus> {
    this.lastProbe = 0;
    this.skipUntil = 0;
    const c = await this.connect();
    c.release();
    return this.status();
  }

  async connect(): Promise<Client> {
    if (Date.now() < this.skipUntil) return this.fromPrimary();
    let client: Client;
    try {
      client = await this.replica.connect();
    } catch (err) {
      this.markDown(err);
      return this.fromPrimary();
    }
    if (Date.now() - this.lastProbe >= PROBE_EVERY_MS) {
      this.lastProbe = Date.now();
      let lag: number;
      try {
        lag = await this.measure(client);
      } catch (err) {
        client.release(err as Error);
        this.markDown(err);
        return this.fromPrimary();
      }
      if (lag > this.maxLagMs) {
        client.release();
        this.skipUntil = Date.now() + PROBE_EVERY_MS;
        this.setState('lagging', { lagMs: lag });
        return this.fromPrimary();
      }
      this.setState('ok', { lagMs: lag });
    }
    return this.wrap(client);
  }

  private async fromPrimary(): Promise<Client> {
    this.current.fellBack++;
    return this.primary.connect();
  }

  private wrap(client: Client): Client {
    const known = this.wrapped.get(client);
    if (known) {
      this.current.served++;
      return known;
    }
    const query = client.query.bind(client) as QueryFn;
    let broken: Error | null = null;
    const self = this;
    const wrapper = {
      async query(text: unknown, values?: unknown) {
        // The reader has no transactions: a retry on the primary would leave the transaction behind.
        if (isTransactionStart(text)) throw new Error('只读副本连接不用于事务（decision 038）');
        try {
          return await query(text, values);
        } catch (err) {
          if (!isReplicaFailure(err)) throw err;
          if ((err as { code?: string }).code !== '40001') {
            broken = err as Error;
            self.markDown(err);
          }
          self.current.fellBack++;
          return (self.primary.query as QueryFn)(text, values);
        }
      },
      release() {
        // A connection that failed goes away with its error; a healthy one goes back to the pool.
        if (broken) self.wrapped.delete(client);
        client.release(broken ?? undefined);
        broken = null;
      },
    } as unknown as Client;
    this.wrapped.set(client, wrapper);
    this.current.served++;
    return wrapper;
  }

  async end() {
    await this.replica.end();
  }
}

/** The replica's Kysely over `replicaPool`, with `primaryPool` behind it. */
export function createReplica(replicaPool: pg.Pool, primaryPool: pg.Pool, opts: ReplicaOptions = {}): Replica {
  const log = opts.log ?? ((m: string) => console.warn(m));
  const pool = new FallbackPool(replicaPool, primaryPool, opts.maxLagMs ?? DEFAULT_MAX_LAG_MS, log);
  const onConnectionError = (err: Error) => pool.markDown(err);
  replicaPool.on('error', onConnectionError);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  return {
    db,
    status: () => pool.status(),
    probe: () => pool.probe(),
    close: () => db.destroy(),
  };
}
