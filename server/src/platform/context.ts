import type { FastifyInstance, FastifyBaseLogger, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Clock } from './clock.js';
import type { FieldCrypto } from './crypto.js';
import type { Permission } from './permissions.js';
import type { SmsProvider } from './sms.js';

/** What every module's service gets: no globals, so tests can swap the clock or the SMS provider. */
export interface AppDeps {
  config: Config;
  database: Database;
  clock: Clock;
  crypto: FieldCrypto;
  sms: SmsProvider;
}

export interface StaffActor {
  type: 'staff';
  accountId: string;
  username: string;
  displayName: string;
  orgId: string;
  /** Materialised path of the account's org: the data scope is every path starting with it. */
  orgPath: string;
  permissions: ReadonlySet<Permission>;
  sessionId: string;
}

export interface WorkerActor {
  type: 'worker';
  workerId: string;
  phoneMasked: string;
  sessionId: string;
}

export interface AnonymousActor {
  type: 'anonymous';
}

/** A partner platform, identified by a verified request signature (modules/partners). */
export interface PartnerActor {
  type: 'partner';
  partnerId: string;
  name: string;
  /** The partner's default target union. */
  orgId: string;
}

export type Actor = StaffActor | WorkerActor | PartnerActor | AnonymousActor;

/** Where a request came from, for the audit trail. */
export interface RequestMeta {
  ip: string;
  requestId: string;
  userAgent: string | null;
}

/**
 * Every route declares who may call it; a route without a declaration fails at startup
 * (deny by default). 'staff' = any signed-in staff account, a Permission = staff holding it,
 * a list of permissions = staff holding any one of them (e.g. the system and the security
 * administrator both list accounts; the service then applies the duty matrix, decision 010),
 * 'partner' = a request signed by an active partner platform.
 */
export type Access = 'public' | 'worker' | 'staff' | 'partner' | Permission | readonly [Permission, ...Permission[]];

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor;
    meta: RequestMeta;
    /** The session's CSRF token (signed-in callers only). */
    csrfToken?: string;
    /** Set when a service already wrote a failure row for this request. */
    auditedFailure?: boolean;
  }
}
