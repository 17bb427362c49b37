// The rate limits' counters (@fastify/rate-limit) in PostgreSQL when several processes serve the
// same clients (decision 037): a client that spreads its requests over the processes behind nginx
// gets the same limit as on one. PGlite (one process) keeps the plugin's in-memory store.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { rateLimitRepository } from './rate-limit.repository.js';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

interface RouteInfo {
  routeInfo?: { method?: string | string[]; url?: string };
  groupId?: string;
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
      const route = o.groupId ?? `${[r?.method ?? ''].flat().join(',')} ${r?.url ?? ''}`;
      return new PostgresRateLimitStore(undefined, `${route}|`);
    }
  };
}
