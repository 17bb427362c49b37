// The request a piece of code runs for, without passing it down (decision 035): an AsyncLocalStorage
// store entered in the first onRequest hook, so every log line written while the request is handled
// — by a route, a service, a repository, a job it queued — carries the request's id (`reqId`, the
// same label Fastify's own request logger uses; the pino mixin in logger.ts adds it).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { App } from './context.js';

export interface RequestStore {
  readonly reqId: string;
}

const storage = new AsyncLocalStorage<RequestStore>();
const kStore = Symbol('gonghui.requestStore');
type WithStore = FastifyRequest & { [kStore]?: RequestStore };

/** The request being handled here, if any (background timers and start-up code have none). */
export function currentRequest(): RequestStore | undefined {
  return storage.getStore();
}

/** Runs `fn` as if handling the request `reqId` (tests, and work handed to another async context). */
export function runWithRequest<T>(reqId: string, fn: () => T): T {
  return storage.run({ reqId }, fn);
}

/**
 * Registers the hooks; call before any other onRequest hook (app.ts), so the access control and
 * everything after it runs inside the store. Callback hooks, no promise per request.
 * - onRequest: request meta for the audit trail, the x-request-id header, and the store.
 * - preValidation: the store again — the body is parsed on the socket's events, whose async context
 *   is not the request's; without this a POST's handler would run outside it.
 */
export function registerRequestContext(app: App): void {
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    req.meta = { ip: req.ip, requestId: req.id, userAgent: req.headers['user-agent'] ?? null };
    void reply.header('x-request-id', req.id);
    const store: RequestStore = { reqId: req.id };
    (req as WithStore)[kStore] = store;
    storage.run(store, done);
  });
  app.addHook('preValidation', (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const store = (req as WithStore)[kStore];
    if (store && storage.getStore() !== store) storage.run(store, done);
    else done();
  });
}
