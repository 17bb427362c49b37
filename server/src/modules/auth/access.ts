// Deny by default. Every route declares `config.access`; a route without one fails at startup.
// Per request: resolve the session from its cookie, check the declaration, check CSRF.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Access, App, PartnerActor, StaffActor } from '../../platform/context.js';
import type { Permission } from '../../platform/permissions.js';
import { AppError } from '../../platform/errors.js';
import { SESSION_COOKIE, type AuthService } from './auth.service.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * All an account that must change its password may reach (first sign-in, or a password reset by an
 * administrator): everything else is refused, whatever its roles, until the password is changed.
 */
export const ALLOWED_BEFORE_PASSWORD_CHANGE: ReadonlySet<string> = new Set(['GET /api/auth/me', 'POST /api/auth/password', 'POST /api/auth/logout']);

/** The permissions a route declaration asks for (any one suffices), or null for the non-permission kinds. */
export function requiredPermissions(access: Access): readonly Permission[] | null {
  if (Array.isArray(access)) return access as readonly Permission[];
  return access === 'public' || access === 'worker' || access === 'staff' || access === 'partner' ? null : [access as Permission];
}

export function routeAccess(req: FastifyRequest): Access | undefined {
  return req.routeOptions.config?.access;
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

/** Signed partner requests (modules/partners): headers on arrival, the signature once the raw body is read. */
export interface PartnerSigning {
  checkHeaders(req: FastifyRequest): Promise<void>;
  verify(req: FastifyRequest): Promise<PartnerActor>;
}

/** Returns the table of API routes as they register (the deny-by-default test reads it). */
export function registerAccessControl(app: App, auth: AuthService, partners?: PartnerSigning): RouteEntry[] {
  const table: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${String(route.method)} ${route.url} has no access declaration (config.access)`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') table.push({ method, url: route.url, access });
    // Say in the OpenAPI document who may call the route.
    const who =
      access === 'public'
        ? '公开接口'
        : access === 'worker'
          ? '需职工登录'
          : access === 'staff'
            ? '需工作人员登录'
            : access === 'partner'
              ? '合作平台签名请求（X-GH-Key、X-GH-Timestamp、X-GH-Nonce、X-GH-Signature，见安全方案 partnerSignature）'
              : `需权限 ${requiredPermissions(access)!
                  .map((p) => `\`${p}\``)
                  .join(' 或 ')}`;
    const scheme = access === 'worker' ? 'workerSession' : access === 'partner' ? 'partnerSignature' : 'staffSession';
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    route.schema = {
      ...schema,
      description: [who, schema.description].filter(Boolean).join('。'),
      ...(access !== 'public' && { security: [{ [scheme]: [] }] }),
    };
  });

  app.decorateRequest('actor', null as never);

  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    req.actor = { type: 'anonymous' };
    const access = routeAccess(req);
    if (!access) {
      // Not an API route (static files, 404s): nothing to authorise.
      if (req.url.startsWith('/api')) throw new AppError('NOT_FOUND', '接口不存在');
      return;
    }
    if (access === 'partner') {
      // Not browser calls: no session, no CSRF. The signature covers the raw body: checked below.
      if (!partners) throw new AppError('UNAUTHENTICATED', '合作平台接口未启用');
      await partners.checkHeaders(req);
      return;
    }
    const wantsWorker = access === 'worker';
    const token = req.cookies[wantsWorker ? SESSION_COOKIE.worker : SESSION_COOKIE.staff];
    let csrfToken: string | null = null;
    let mustChangePassword = false;
    if (token && access !== 'public') {
      const resolved = wantsWorker ? await auth.resolveWorker(token) : await auth.resolveStaff(token);
      if (resolved) {
        req.actor = resolved.actor;
        csrfToken = resolved.csrfToken;
        req.csrfToken = csrfToken;
        mustChangePassword = 'mustChangePassword' in resolved && resolved.mustChangePassword;
      }
    }
    if (access === 'public') {
      // Cross-site form posts to public endpoints are refused by origin (login CSRF).
      if (!SAFE_METHODS.has(req.method)) checkSameOrigin(req);
      return;
    }
    if (req.actor.type === 'anonymous') throw new AppError('UNAUTHENTICATED', '请先登录');
    if (!SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== csrfToken) {
      throw new AppError('CSRF_FAILED', '请求校验失败（CSRF），请刷新页面后重试');
    }
    if (mustChangePassword) {
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      if (!ALLOWED_BEFORE_PASSWORD_CHANGE.has(`${method} ${req.routeOptions.url}`)) {
        throw new AppError('PASSWORD_CHANGE_REQUIRED', '请先修改密码：首次登录或密码被重置后，须修改密码才能继续使用系统');
      }
    }
    if (access === 'worker' || access === 'staff') return;
    const needed = requiredPermissions(access)!;
    if (req.actor.type !== 'staff' || !needed.some((p) => (req.actor as StaffActor).permissions.has(p))) {
      throw new AppError('FORBIDDEN', '您没有执行此操作的权限');
    }
  });
  // Partner routes run only with a verified signature (after parsing, before validation).
  app.addHook('preValidation', async (req: FastifyRequest) => {
    if (routeAccess(req) !== 'partner') return;
    if (!partners) throw new AppError('UNAUTHENTICATED', '合作平台接口未启用');
    req.actor = await partners.verify(req);
  });
  return table;
}

function checkSameOrigin(req: FastifyRequest) {
  const site = req.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') {
    throw new AppError('CSRF_FAILED', '不接受来自其他站点的请求');
  }
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    const host = req.headers.host;
    try {
      if (new URL(origin).host !== host) throw new AppError('CSRF_FAILED', '不接受来自其他站点的请求');
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('CSRF_FAILED', '请求来源无效');
    }
  }
}
