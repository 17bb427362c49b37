import { z } from 'zod';
import { VERSION } from '../../platform/version.js';
import { PUBLIC_BASE_WARNING, publicBaseMissing } from '../../platform/public-url.js';
import type { App, AppDeps } from '../../platform/context.js';
import { metricsAllowed, type AppMetrics } from '../../platform/metrics.js';
import { createHealth } from './system.health.js';

const databaseCheck = z.enum(['ok', 'timeout', 'error']);
const readyBody = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: databaseCheck,
  migrations: z.enum(['ok', 'pending', 'unknown']),
});
/** The probes are polled by load balancers and supervisors from a few addresses: generous, per address. */
const READY_RATE_LIMIT = { max: 300, timeWindow: 60_000 };

/** `metrics`: the registry and the reads before a scrape (app.ts); without it there is no /metrics. */
export function systemRoutes(app: App, deps: AppDeps, opts: { metrics?: { metrics: AppMetrics; refresh: () => Promise<void> } } = {}) {
  const health = createHealth(deps);
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: '健康检查',
        response: {
          200: z.object({
            status: z.enum(['ok', 'degraded']),
            version: z.string(),
            database: z.object({ kind: z.enum(['pglite', 'postgres']), reachable: z.boolean() }),
          }),
          503: z.object({
            status: z.enum(['ok', 'degraded']),
            version: z.string(),
            database: z.object({ kind: z.enum(['pglite', 'postgres']), reachable: z.boolean() }),
          }),
        },
      },
    },
    async (_req, reply) => {
      const reachable = (await health.database()) === 'ok';
      const body = { status: reachable ? ('ok' as const) : ('degraded' as const), version: VERSION, database: { kind: deps.database.kind, reachable } };
      return reply.status(reachable ? 200 : 503).send(body);
    },
  );

  app.get(
    '/api/health/live',
    {
      // No database, no work: a rate limit would cost more than the answer.
      config: { access: 'public' },
      schema: { tags: ['system'], summary: '存活探针（进程在运行，不访问数据库）', response: { 200: z.object({ status: z.literal('live') }) } },
    },
    async () => ({ status: 'live' as const }),
  );

  app.get(
    '/api/health/ready',
    {
      config: { access: 'public', rateLimit: READY_RATE_LIMIT },
      schema: {
        tags: ['system'],
        summary: '就绪探针（数据库 2 秒内应答 select 1，且数据库迁移已全部执行；否则 503）',
        response: { 200: readyBody, 503: readyBody },
      },
    },
    async (_req, reply) => {
      const r = await health.ready();
      return reply.status(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not_ready', database: r.database, migrations: r.migrations });
    },
  );

  if (opts.metrics) {
    const { metrics, refresh } = opts.metrics;
    // Not under /api: not in the OpenAPI document, not behind a session. Who may read it: decision 035.
    app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
      if (!metricsAllowed(req, deps.config.metricsToken)) return reply.callNotFound();
      await refresh();
      return reply
        .header('cache-control', 'no-store')
        .type(metrics.contentType)
        .send(await metrics.text());
    });
  }

  app.get(
    '/api/config',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: '前端公共配置',
        response: {
          200: z.object({
            appName: z.string(),
            version: z.string(),
            demoMode: z.boolean(),
            // Where links that leave the system point (QR codes the console shows); null: this page's address.
            publicBaseUrl: z.string().nullable(),
            publicBaseWarning: z.string().nullable(),
          }),
        },
      },
    },
    async () => ({
      appName: '智慧工会服务平台',
      version: VERSION,
      demoMode: deps.config.demoMode,
      publicBaseUrl: deps.config.publicBaseUrl ?? null,
      publicBaseWarning: publicBaseMissing(deps.config) ? PUBLIC_BASE_WARNING : null,
    }),
  );
}
