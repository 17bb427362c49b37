// Prometheus metrics (prom-client, decision 035). Per request: one histogram observation in a
// callback onResponse hook — labelled by method, route PATTERN (never the raw URL: query strings
// carry phone numbers and names) and status class, so the label sets stay few. Everything else is
// read when scraped. The process metrics (CPU, memory, event-loop lag, GC) belong to the process,
// not to an app: one registry, started at the first scrape (tests that never scrape pay nothing).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { App } from './context.js';

/** Seconds; from a cached answer to a slow export. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const STATUS_CLASS = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;

let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export interface AppMetrics {
  registry: Registry;
  /** The text a scrape answers: the process's metrics, then the app's. */
  text(): Promise<string>;
  contentType: string;
}

/** Creates the app's registry and its request histogram; registers the onResponse hook. */
export function registerHttpMetrics(app: App): AppMetrics {
  const registry = new Registry();
  const requests = new Histogram({
    name: 'gonghui_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status class: latency in seconds (_count is the request count)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    requests.observe(
      { method: req.method, route: req.routeOptions.url ?? '(no route)', status: STATUS_CLASS[Math.floor(reply.statusCode / 100)] ?? 'other' },
      reply.elapsedTime / 1000,
    );
    done();
  });
  return {
    registry,
    async text() {
      return `${await processMetrics().metrics()}\n${await registry.metrics()}`;
    },
    contentType: registry.contentType,
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * Who may read /metrics (decision 035): a request carrying `Authorization: Bearer <METRICS_TOKEN>`
 * (when the token is configured), or one from this machine's loopback that no proxy forwarded —
 * nginx on the same machine connects from 127.0.0.1 too, so a request bearing X-Forwarded-For,
 * X-Real-IP or Forwarded came from outside whatever its socket says. The socket's own address is
 * used, never `req.ip` (which TRUST_PROXY takes from a header). Anyone else gets 404.
 */
export function metricsAllowed(req: FastifyRequest, token: string | null | undefined): boolean {
  if (token) {
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) {
      // Hashes are compared: equal lengths for timingSafeEqual, and no length leaked.
      if (timingSafeEqual(sha256(auth.slice(7).trim()), sha256(token))) return true;
    }
  }
  const h = req.headers;
  if (h['x-forwarded-for'] !== undefined || h['x-real-ip'] !== undefined || h.forwarded !== undefined) return false;
  return LOOPBACK.test(req.raw.socket?.remoteAddress ?? '');
}
