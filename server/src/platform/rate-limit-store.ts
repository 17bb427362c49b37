// The rate limits' counters (@fastify/rate-limit) in PostgreSQL when several processes serve the
// same clients (decision 037): a client that spreads its requests over the processes behind nginx
// gets the same limit as on one — for the public routes and the signed-in limits marked
// `sharedRateLimit`; other signed-in routes count per process. PGlite (one process) keeps the
// plugin's in-memory store.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { rateLimitRepository } from './rate-limit.repository.js';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

interface RouteInfo {
  routeInfo?: { method?: string | string[]; url?: string; config?: { access?: unknown; rateLimit?: unknown } };
  groupId?: string;
}

const SHARED = new WeakSet<object>();
/**
 * A signed-in route's limit that must hold across processes too (password attempts, SMS sends): its
 * counter goes to PostgreSQL like a public route's. Other signed-in routes count per process.
 */
export function sharedRateLimit<T extends object>(options: T): T {
  SHARED.add(options);
  return options;
}

/**
 * Counts in this process (the plugin's own fixed window). For the signed-in routes' ceilings (30
 * submissions a minute …): the caller is known, the counters that guard a secret or a cost are in
 * the database already, and a round trip per request on the hot paths (a join, an enrollment) would
 * cost more than an N-times looser ceiling with N processes.
 */
class ProcessWindowStore implements FastifyRateLimitStore {
  private readonly windows = new Map<string, { hits: number; resetAt: number }>();

  incr(key: string, cb: Callback, timeWindow: number): void {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      // Expired windows go when the map grows: no timer, bounded memory.
      if (this.windows.size >= 10_000) for (const [k, v] of this.windows) if (v.resetAt <= now) this.windows.delete(k);
      w = { hits: 0, resetAt: now + timeWindow };
      this.windows.set(key, w);
    }
    w.hits++;
    cb(null, { current: w.hits, ttl: w.resetAt - now });
  }

  child(): FastifyRateLimitStore {
    return new ProcessWindowStore();
  }
}

/** A store class for the plugin's `store` option, bound to the database. */
export function postgresRateLimitStore(db: Kysely<DB>): FastifyRateLimitStoreCtor {
  return class PostgresRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _options?: unknown,
      private readonly prefix = 'global|',
    ) {}

    incr(key: string, cb: Callback, timeWindow: number): void {
      rateLimitRepository.hit(db, `${this.prefix}${key}`, timeWindow).then(
        (r) => cb(null, { current: r.hits, ttl: r.ttl }),
        (err: Error) => cb(err),
      );
    }

    /** One counter per route (as the plugin's own stores: a route's limit is its own). */
    child(routeOptions: object): FastifyRateLimitStore {
      // The plugin passes the route's merged limit options, its route in `routeInfo`.
      const o = routeOptions as RouteInfo;
      const r = o.routeInfo;
      const limit = r?.config?.rateLimit;
      const shared = r?.config?.access === 'public' || (typeof limit === 'object' && limit !== null && SHARED.has(limit));
      if (!shared) return new ProcessWindowStore();
      const route = o.groupId ?? `${[r?.method ?? ''].flat().join(',')} ${r?.url ?? ''}`;
      return new PostgresRateLimitStore(undefined, `${route}|`);
    }
  };
}
