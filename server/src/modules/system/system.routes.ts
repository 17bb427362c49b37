import { sql } from 'kysely';
import { z } from 'zod';
import { VERSION } from '../../platform/version.js';
import { PUBLIC_BASE_WARNING, publicBaseMissing } from '../../platform/public-url.js';
import type { App, AppDeps } from '../../platform/context.js';

export function systemRoutes(app: App, deps: AppDeps) {
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
      let reachable = true;
      try {
        await sql`select 1`.execute(deps.database.db);
      } catch {
        reachable = false;
      }
      const body = { status: reachable ? ('ok' as const) : ('degraded' as const), version: VERSION, database: { kind: deps.database.kind, reachable } };
      return reply.status(reachable ? 200 : 503).send(body);
    },
  );

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
