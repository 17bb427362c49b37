// The worker's own H5 (state, 个人信息, phone change, change requests, 注销), the session probes a
// cold page load asks, and the union's review of change requests.
import type { App, StaffActor, WorkerActor } from '../../platform/context.js';
import { idParam, okResponse } from '../../platform/pagination.js';
import { sharedRateLimit } from '../../platform/rate-limit-store.js';
import { SESSION_COOKIE } from '../auth/auth.service.js';
import type { ProfileChangesService } from './profile.changes.js';
import type { ProfileService } from './profile.service.js';
import { changeListQuery, changeRequestBody, changeReviewBody, closeAccountBody, phoneChangeBody, phoneCodeBody } from './profile.schema.js';

const worker = (req: { actor: unknown }) => req.actor as WorkerActor;
const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const smsRateLimit = sharedRateLimit({ max: 10, timeWindow: 60_000 });

export function profileRoutes(
  app: App,
  profile: ProfileService,
  changes: ProfileChangesService,
  opts: { demoMode: boolean; openServiceApplications: (w: WorkerActor) => Promise<number> },
) {
  // ---- session probes: 200 whether signed in or not, so a cold load logs no 401 (issue 11, item 14) ----
  app.get(
    '/api/session/worker',
    { config: { access: 'public' }, schema: { tags: ['worker'], summary: '职工登录状态（未登录时 loggedIn=false，不报 401）' } },
    async (req) => profile.workerProbe(req.cookies[SESSION_COOKIE.worker]),
  );
  app.get(
    '/api/session/staff',
    { config: { access: 'public' }, schema: { tags: ['auth'], summary: '工作人员登录状态（未登录时 loggedIn=false，不报 401）' } },
    async (req) => profile.staffProbe(req.cookies[SESSION_COOKIE.staff]),
  );

  // ---- the worker's own ----
  app.get(
    '/api/worker/state',
    { config: { access: 'worker' }, schema: { tags: ['worker'], summary: '我的状态：会籍、入会申请、未读消息（首页、我的、入会、会员卡共用）' } },
    async (req) => profile.state(worker(req)),
  );
  app.get('/api/worker/profile', { config: { access: 'worker' }, schema: { tags: ['worker'], summary: '个人信息' } }, async (req) =>
    profile.profile(worker(req)),
  );

  app.post(
    '/api/worker/profile/phone-code',
    { config: { access: 'worker', rateLimit: smsRateLimit }, schema: { tags: ['worker'], summary: '更换手机号：向新手机号发送验证码', body: phoneCodeBody } },
    async (req) => {
      const { resendAfter, code } = await profile.sendPhoneCode(worker(req), req.meta, req.body.phone);
      return { sent: true as const, resendAfter, ...(opts.demoMode && { demoCode: code }) };
    },
  );
  app.post(
    '/api/worker/profile/phone',
    {
      config: { access: 'worker', rateLimit: smsRateLimit },
      schema: { tags: ['worker'], summary: '更换手机号（新手机号的验证码），登录手机号与名册手机号一并更换', body: phoneChangeBody },
    },
    async (req) => profile.changePhone(worker(req), req.meta, req.body.phone, req.body.code),
  );

  app.get('/api/worker/profile/changes', { config: { access: 'worker' }, schema: { tags: ['worker'], summary: '我的信息变更申请' } }, async (req) => ({
    items: await changes.mine(worker(req)),
  }));
  app.post(
    '/api/worker/profile/changes',
    {
      config: { access: 'worker', rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: { tags: ['worker'], summary: '申请变更工作单位、住址（工会审核）', body: changeRequestBody },
    },
    async (req) => changes.submit(worker(req), req.meta, req.body),
  );
  app.post(
    '/api/worker/profile/changes/:id/withdraw',
    { config: { access: 'worker' }, schema: { tags: ['worker'], summary: '撤回信息变更申请（审核前）', params: idParam, response: { 200: okResponse } } },
    async (req) => {
      await changes.withdraw(worker(req), req.meta, req.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/worker/account/close',
    {
      config: { access: 'worker', rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: { tags: ['worker'], summary: '注销职工账号（会籍保留在名册，登录与会话结束）', body: closeAccountBody, response: { 200: okResponse } },
    },
    async (req, reply) => {
      const w = worker(req);
      await profile.closeAccount(w, req.meta, await opts.openServiceApplications(w));
      reply.clearCookie(SESSION_COOKIE.worker, { path: '/' });
      return { ok: true as const };
    },
  );

  // ---- the union's review ----
  app.get(
    '/api/member-change-requests',
    { config: { access: 'member:write' }, schema: { tags: ['members'], summary: '会员信息变更申请（本级及下级工会）', querystring: changeListQuery } },
    async (req) => changes.list(staff(req), req.query),
  );
  app.post(
    '/api/member-change-requests/:id/review',
    {
      config: { access: 'member:write' },
      schema: { tags: ['members'], summary: '审核会员信息变更申请（通过即更新名册），带版本号', params: idParam, body: changeReviewBody },
    },
    async (req) => changes.review(staff(req), req.meta, req.params.id, req.body),
  );
}
