import type { FastifyReply } from 'fastify';
import { sharedRateLimit } from '../../platform/rate-limit-store.js';
import { z } from 'zod';
import type { App, AppDeps, StaffActor, WorkerActor } from '../../platform/context.js';
import { okResponse } from '../../platform/pagination.js';
import { mobileField } from '../../platform/fields.js';
import type { AuthService } from './auth.service.js';
import { SESSION_COOKIE, SESSION_POLICY } from './auth.service.js';

const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  org: z.object({ id: z.string(), name: z.string(), type: z.string(), typeLabel: z.string() }),
  roles: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  permissions: z.array(z.string()),
  /** The account's duty (三员 or business, decision 010). */
  duty: z.enum(['system', 'security', 'audit', 'business']),
  /** Until changed, the server answers only me, the password change and logout. */
  mustChangePassword: z.boolean(),
  /** The server's today in China time (YYYY-MM-DD, the app clock): the console's default year and dates. */
  today: z.string(),
});
const phoneField = mobileField('手机号', '请输入正确的 11 位手机号');

// Login endpoints are public: limited per IP on top of the account lockout.
const loginRateLimit = sharedRateLimit({ max: 20, timeWindow: 60_000 });

/** `memberStatusOfWorker` comes from modules/cards (the H5's 当前职工 shows the member status). */
export function authRoutes(
  app: App,
  { auth, memberStatusOfWorker }: { auth: AuthService; memberStatusOfWorker: (workerId: string) => Promise<string | null> },
  deps: AppDeps,
) {
  const secure = deps.config.env === 'production';
  const setCookie = (reply: FastifyReply, kind: 'staff' | 'worker', token: string) =>
    reply.setCookie(SESSION_COOKIE[kind], token, {
      httpOnly: true,
      sameSite: 'strict',
      secure,
      path: '/',
      ...(kind === 'worker' && { maxAge: SESSION_POLICY.worker.absoluteMs / 1000 }),
    });
  const clearCookie = (reply: FastifyReply, kind: 'staff' | 'worker') => reply.clearCookie(SESSION_COOKIE[kind], { path: '/' });

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: loginRateLimit },
      schema: {
        tags: ['auth'],
        summary: '工作人员登录',
        body: z.strictObject({
          username: z.string({ error: '请输入用户名' }).trim().min(1, '请输入用户名').max(64),
          password: z.string({ error: '请输入密码' }).min(1, '请输入密码').max(128),
        }),
        response: { 200: z.object({ account: meSchema, csrfToken: z.string() }) },
      },
    },
    async (req, reply) => {
      req.auditedFailure = true; // the service audits failures itself, with the username
      const { token, csrfToken, actor } = await auth.login(req.meta, req.body.username, req.body.password);
      setCookie(reply, 'staff', token);
      return { account: await auth.me(actor), csrfToken };
    },
  );

  app.get(
    '/api/auth/me',
    { config: { access: 'staff' }, schema: { tags: ['auth'], summary: '当前账号', response: { 200: z.object({ account: meSchema, csrfToken: z.string() }) } } },
    async (req) => {
      const actor = req.actor as StaffActor;
      return { account: await auth.me(actor), csrfToken: req.csrfToken! };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'staff' }, schema: { tags: ['auth'], summary: '退出登录', response: { 200: okResponse } } },
    async (req, reply) => {
      await auth.logout(req.actor as StaffActor, req.meta);
      clearCookie(reply, 'staff');
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: 'staff', rateLimit: loginRateLimit },
      schema: {
        tags: ['auth'],
        summary: '修改本人密码',
        body: z.strictObject({
          currentPassword: z.string({ error: '请输入当前密码' }).min(1, '请输入当前密码'),
          newPassword: z.string({ error: '请输入新密码' }),
        }),
        response: { 200: okResponse },
      },
    },
    async (req) => {
      await auth.changePassword(req.actor as StaffActor, req.meta, req.body.currentPassword, req.body.newPassword);
      return { ok: true as const };
    },
  );

  // ---- workers (H5) ----
  app.post(
    '/api/worker/sms-code',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags: ['worker'],
        summary: '发送登录验证码',
        body: z.strictObject({ phone: phoneField }),
        response: { 200: z.object({ sent: z.literal(true), resendAfter: z.number(), demoCode: z.string().optional() }) },
      },
    },
    async (req) => {
      const { resendAfter, code } = await auth.sendSmsCode(req.meta, req.body.phone);
      return { sent: true as const, resendAfter, ...(deps.config.demoMode && { demoCode: code }) };
    },
  );

  const workerSchema = z.object({ id: z.string(), phoneMasked: z.string() });
  app.post(
    '/api/worker/login',
    {
      config: { access: 'public', rateLimit: loginRateLimit },
      schema: {
        tags: ['worker'],
        summary: '职工短信验证码登录',
        body: z.strictObject({ phone: phoneField, code: z.string({ error: '请输入验证码' }).regex(/^[0-9]{6}$/, '验证码为 6 位数字') }),
        response: { 200: z.object({ worker: workerSchema, csrfToken: z.string() }) },
      },
    },
    async (req, reply) => {
      const { token, csrfToken, worker } = await auth.workerLogin(req.meta, req.body.phone, req.body.code);
      setCookie(reply, 'worker', token);
      return { worker, csrfToken };
    },
  );

  app.get(
    '/api/worker/me',
    {
      config: { access: 'worker' },
      schema: {
        tags: ['worker'],
        summary: '当前职工',
        response: { 200: z.object({ worker: workerSchema.extend({ memberStatus: z.string().nullable() }), csrfToken: z.string() }) },
      },
    },
    async (req) => {
      const actor = req.actor as WorkerActor;
      const memberStatus = await memberStatusOfWorker(actor.workerId);
      return { worker: { id: actor.workerId, phoneMasked: actor.phoneMasked, memberStatus }, csrfToken: req.csrfToken! };
    },
  );

  app.post(
    '/api/worker/logout',
    { config: { access: 'worker' }, schema: { tags: ['worker'], summary: '职工退出登录', response: { 200: okResponse } } },
    async (req, reply) => {
      await auth.logout(req.actor as WorkerActor, req.meta);
      clearCookie(reply, 'worker');
      return { ok: true as const };
    },
  );
}
