// Builds the Fastify app: conventions (errors, request ids, OpenAPI, CSRF, access control),
// then each module's routes. No listening here: main.ts and the tests decide that.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyError } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps, App } from './platform/context.js';
import { AppError, type ErrorBody } from './platform/errors.js';
import { registerTextHygiene } from './platform/text.js';
import { isDataException } from './db/errors.js';
import { auditActor } from './modules/audit/audit.service.js';
import { createCoreModules } from './modules/core.js';
import { registerAccessControl } from './modules/auth/access.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { createPartnersModule, PARTNER_SIGNATURE_DOC } from './modules/partners/partners.module.js';
import { createImportsModule } from './modules/imports/imports.module.js';
import { createMatchingModule } from './modules/matching/matching.module.js';
import { createCardsModule } from './modules/cards/cards.module.js';
import { createPostersModule } from './modules/posters/posters.module.js';
import { createStatsModule } from './modules/stats/stats.module.js';
import { createHomeModule } from './modules/home/home.module.js';
import { createReportsModule } from './modules/reports/reports.module.js';
import { createTargetsModule } from './modules/targets/targets.module.js';
import { createCockpitModule } from './modules/cockpit/cockpit.module.js';
import { createAidModule } from './modules/aid/aid.module.js';
import { createHardshipModule } from './modules/hardship/hardship.module.js';
import { createRightsModule } from './modules/rights/rights.module.js';
import { createApplicationsModule } from './modules/applications/applications.module.js';
import { createActivitiesModule } from './modules/activities/activities.module.js';
import { createStationsModule } from './modules/stations/stations.module.js';
import { mapTileOrigin } from './modules/stations/stations.tiles.js';
import { createProfileModule } from './modules/profile/profile.module.js';
import { createEnterprisesModule } from './modules/enterprises/enterprises.module.js';
import { createFundsModule } from './modules/funds/funds.module.js';
import { createAuditCommitteeModule } from './modules/audit-committee/audit-committee.module.js';
import { createContractsModule } from './modules/contracts/contracts.module.js';
import { createNoticesModule } from './modules/notices/notices.module.js';
import { createModelsModule } from './modules/models/models.module.js';
import { createReformModule } from './modules/reform/reform.module.js';
import { isPhoneBrowser, LANDING_HTML } from './landing.js';

z.config(z.locales.zhCN());

import { VERSION } from './platform/version.js';
import { OneLineRequestLog } from './platform/logger.js';
import { registerRequestContext } from './platform/request-context.js';
import { registerHttpMetrics } from './platform/metrics.js';
import { registerDrain } from './platform/shutdown.js';
import { DEFAULT_JOB_TIMINGS } from './platform/jobs.js';
import { createJobsFor } from './platform/jobs.pgboss.js';
import { postgresRateLimitStore } from './platform/rate-limit-store.js';
import { rateLimitRepository } from './platform/rate-limit.repository.js';
import { registerSystemMetrics } from './modules/system/system.metrics.js';
export { VERSION };
const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '../../dist/web');

export interface BuildAppOptions {
  /** A pino logger to use (the server's); without one, nothing is logged. */
  loggerInstance?: FastifyBaseLogger;
  /** Serve the built admin console and H5 (off in most tests). */
  serveWeb?: boolean;
}

export async function buildApp(deps: AppDeps, opts: BuildAppOptions = {}) {
  const app = Fastify({
    ...(opts.loggerInstance ? { loggerInstance: opts.loggerInstance } : { logger: false }),
    logController: new OneLineRequestLog(),
    genReqId: () => randomUUID(),
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // The core services every feature builds on, as modules of the same shape (modules/core.ts).
  const core = createCoreModules(deps, app.log);
  // Background work: pg-boss on PostgreSQL (several processes share it), in this process on PGlite (decision 037).
  const jobTimings = deps.config.jobs ?? DEFAULT_JOB_TIMINGS;
  const jobs = createJobsFor(deps.database, jobTimings, (name, err) => app.log.error({ err, job: name }, `后台任务失败：${name}`));
  const moduleContext = { ...core.context, jobs, jobTimings };
  const { audit, orgs, members, joining, messages, holidays } = moduleContext;
  const auth = core.modules.auth.service;
  const accounts = core.modules.accounts.service;
  const aid = createAidModule(moduleContext);
  const hardship = createHardshipModule({ ...moduleContext, aid: aid.service });
  const enterprises = createEnterprisesModule(moduleContext);
  const rights = createRightsModule({ ...moduleContext, enterprises: enterprises.service });
  // Targets measure progress by the indicator catalogue (issue 15 item 4).
  const stats = createStatsModule(moduleContext);
  // 宣讲 sessions of modules/models are tagged activities (issue 16)
  const activities = createActivitiesModule(moduleContext);
  const features = {
    aid,
    hardship,
    applications: createApplicationsModule({ ...moduleContext, aid: aid.service, hardship: hardship.service }),
    activities,
    // a 维权咨询 given at a site is logged through the rights service (issue 14 item 3)
    stations: createStationsModule({ ...moduleContext, logConsultation: rights.service.consultations.create }),
    partners: createPartnersModule(moduleContext),
    imports: createImportsModule(moduleContext),
    matching: createMatchingModule(moduleContext),
    cards: createCardsModule(moduleContext),
    posters: createPostersModule(moduleContext),
    stats,
    targets: createTargetsModule({ ...moduleContext, stats: stats.service }),
    cockpit: createCockpitModule(moduleContext),
    rights,
    enterprises,
    contracts: createContractsModule({ ...moduleContext, enterprises: enterprises.service }),
    notices: createNoticesModule(moduleContext),
    // 劳模工匠 (issue 16): the honours register keeps the roll's 劳模 flag in sync
    models: createModelsModule({ ...moduleContext, enterprises: enterprises.service, activities: activities.service, hardship: hardship.service }),
    reform: createReformModule({ ...moduleContext, enterprises: enterprises.service }),
    reports: createReportsModule(moduleContext),
    // 工会经费 and 经费审查 (issue 17)
    funds: createFundsModule(moduleContext),
    auditCommittee: createAuditCommitteeModule(moduleContext),
  };
  // The worker's own H5 (issue 11): needs sign-in resolution for the session probes, and the worker's service applications for 注销.
  const profile = createProfileModule({ ...moduleContext, auth, applications: features.applications.service });
  // The home page by role (issue 15 item 2): the caller's blocks from the other modules' queues and counts.
  const home = createHomeModule({
    ...moduleContext,
    accounts,
    applications: features.applications.service,
    hardship: hardship.service,
    contracts: features.contracts.service,
    rights: rights.service,
    stats: stats.service,
  });
  const services = { audit, orgs, auth, accounts, members, joining, messages, holidays, features, profile, jobs };
  // Links the audit rows of single-statement writes (the enrollment rush) into their chain (decision 008).
  const sealer = audit.startSealer((err) => app.log.error({ err }, 'audit sealing failed'));
  app.addHook('onClose', () => sealer.stop());
  // Timers stop, no new work is taken, work in flight ends (an import at its next chunk boundary).
  app.addHook('onClose', () => jobs.stop());

  // Request meta, x-request-id and the request's AsyncLocalStorage store (every log line in it carries reqId), decision 035.
  registerRequestContext(app);
  // One histogram observation per answered request; the rest is read when /metrics is scraped (decision 035).
  const metrics = registerHttpMetrics(app);
  // Closing waits for the requests in flight, then ends their kept-alive connections (graceful stop).
  registerDrain(app);
  const refreshMetrics = registerSystemMetrics(metrics, deps, {
    importQueue: () => features.imports.service.queueDepth(),
    sealerLag: () => audit.sealerLag(),
    jobQueues: () => jobs.depth(),
  });
  // The map's tile server (MAP_TILE_URL) is the one other host pages may load images from (decision 019).
  const tileOrigin = mapTileOrigin();
  app.addHook('onSend', async (_req, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      // Element Plus and Vant set inline styles; scripts come only from our own origin.
      void reply.header(
        'content-security-policy',
        `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:${tileOrigin ? ` ${tileOrigin}` : ''}; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`,
      );
    }
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'same-origin');
    void reply.header('x-frame-options', 'DENY');
    return payload;
  });

  await app.register(cookie);
  // Several processes share the counters in PostgreSQL; PGlite (one process) counts in memory (decision 037).
  // A database that does not answer lets the request through rather than failing it.
  const sharedLimits = deps.database.kind === 'postgres';
  if (sharedLimits) jobs.every('rate limit clean-up', 3_600_000, () => rateLimitRepository.removeExpired(deps.database.db));
  await app.register(rateLimit, {
    global: false,
    ...(sharedLimits && { store: postgresRateLimitStore(deps.database.db), skipOnError: true }),
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      error: { code: 'RATE_LIMITED', message: `请求过于频繁，请 ${Math.ceil(ctx.ttl / 1000)} 秒后再试` },
    }),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: '智慧工会服务平台 API', version: VERSION, description: 'gonghui API。错误统一为 { error: { code, message, fields } }。' },
      components: {
        securitySchemes: {
          staffSession: { type: 'apiKey', in: 'cookie', name: 'gh_sid' },
          workerSession: { type: 'apiKey', in: 'cookie', name: 'gh_wsid' },
          partnerSignature: { type: 'apiKey', in: 'header', name: 'X-GH-Signature', description: PARTNER_SIGNATURE_DOC },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  const routes = registerAccessControl(app, auth, features.partners.signing);
  // After the access control (a partner's signature is checked over the raw bytes first): refuses
  // control, zero-width and bidi characters in any string and NFC-normalises the rest.
  registerTextHygiene(app);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    let status = 500;
    let body: ErrorBody;
    if (err instanceof AppError) {
      status = err.status;
      body = { error: { code: err.code, message: err.message, ...(err.fields && { fields: err.fields }) } };
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      const fields: Record<string, string> = {};
      for (const issue of err.validation) {
        const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
        const key =
          issue.keyword === 'unrecognized_keys' ? ((issue.params as { keys?: string[] }).keys ?? []).join(',') : path || err.validationContext || 'body';
        const message = issue.keyword === 'unrecognized_keys' ? `不允许的字段：${key}` : issue.message;
        fields[key] ??= message ?? '格式错误';
      }
      body = { error: { code: 'VALIDATION_FAILED', message: `请求参数有误：${Object.values(fields).join('；')}`, fields } };
    } else if (err.statusCode === 429) {
      status = 429;
      body = { error: { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' } };
    } else if (err.statusCode === 413) {
      status = 413;
      body = { error: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大' } };
    } else if (isDataException(err)) {
      // The shared fields (platform/fields.ts) keep such values out; a route that still lets one
      // through gets 400 too, and the warning says which route to fix.
      req.log.warn({ err, route: req.routeOptions.url }, 'the database refused a request value');
      status = 400;
      body = { error: { code: 'VALIDATION_FAILED', message: '请求参数超出范围或格式错误，请检查后重试' } };
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      body = { error: { code: 'VALIDATION_FAILED', message: `请求格式错误：${err.message}` } };
    } else {
      req.log.error({ err }, 'unhandled error');
      body = { error: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试' } };
    }
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((req, reply) => {
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `接口不存在：${req.method} ${req.url.split('?')[0]}` } });
  });

  // Every failed write by a signed-in caller leaves an audit row (successes are written by
  // the services inside their transactions). onSend, so the row exists before the answer leaves.
  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode < 400 || req.method === 'GET' || req.auditedFailure) return payload;
    if (!req.actor || req.actor.type === 'anonymous') return payload;
    req.auditedFailure = true;
    try {
      const actor = req.actor;
      await audit.record({
        ...auditActor(actor, req.meta),
        action: `${req.method} ${req.routeOptions.url ?? req.url}`,
        orgId: actor.type === 'staff' ? actor.orgId : null,
        outcome: 'failure',
        detail: { status: reply.statusCode },
      });
    } catch (err) {
      req.log.error({ err }, 'failed to audit a failed request');
    }
    return payload;
  });

  await app.register(async (api) => {
    systemRoutes(api as App, deps, { metrics: { metrics, refresh: refreshMetrics } });
    for (const module of [...Object.values(core.modules), ...Object.values(features), profile, home]) module.routes(api as App);
  });

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  if (opts.serveWeb !== false) {
    for (const name of ['admin', 'h5'] as const) {
      const root = join(WEB_DIST, name);
      const index = join(root, 'index.html');
      // The wildcard route serves assets as they are rebuilt; the app's entry has its own route
      // because ignoreTrailingSlash keeps `/h5/` from matching `/h5/*`.
      await app.register(fastifyStatic, { root, prefix: `/${name}/`, decorateReply: name === 'admin', wildcard: true, index: false });
      app.get(`/${name}`, { schema: { hide: true } }, (_req, reply) => {
        if (!existsSync(index)) {
          return reply
            .status(503)
            .type('text/html; charset=utf-8')
            .send(`<meta charset="utf-8"><p>页面尚未构建：请运行 <code>npm run build</code> 后刷新。</p>`);
        }
        return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
      });
    }
    // The site root: phones to the worker H5, desktops to a page with both doors (issue 11, item 8).
    app.get('/', { schema: { hide: true } }, (req, reply) => {
      void reply.header('vary', 'user-agent');
      if (isPhoneBrowser(req.headers['user-agent'])) return reply.redirect('/h5/');
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(LANDING_HTML);
    });
  }

  // Last: every module has registered its tasks and queues.
  await jobs.start();
  return { app, services, routes };
}

export type Services = Awaited<ReturnType<typeof buildApp>>['services'];
