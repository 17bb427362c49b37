import { z } from 'zod';
import type { App, StaffActor, WorkerActor } from '../../platform/context.js';
import { idParam, okResponse, pageQuery } from '../../platform/pagination.js';
import { idField, versionField } from '../../platform/fields.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import type { JoiningService } from './joining.service.js';
import { campaignBody, joinSubmitBody, reviewBody } from './joining.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const worker = (req: { actor: unknown }) => req.actor as WorkerActor;
const idString = idField();

export function joiningRoutes(app: App, { joining, orgs }: { joining: JoiningService; orgs: OrgsService }) {
  // ---- worker (H5) ----
  app.get(
    '/api/worker/join/consent',
    { config: { access: 'worker' }, schema: { tags: ['joining'], summary: '敏感个人信息处理同意书（当前版本）' } },
    async () => joining.consent(),
  );

  app.get(
    '/api/worker/join/unions',
    {
      config: { access: 'worker' },
      schema: {
        tags: ['joining'],
        summary: '查找可申请加入的工会（只列基层工会；under 为县、镇工会时列其下级）',
        querystring: z
          .strictObject({
            q: z.string().trim().max(30, '工会名称不能超过 30 个字').default(''),
            under: idString.optional(),
          })
          .refine((v) => v.q || v.under, { message: '请输入工会名称', path: ['q'] }),
      },
    },
    async (req) => orgs.searchPublic(req.query.q, { underId: req.query.under }),
  );

  app.get(
    '/api/worker/join/unions/:id',
    { config: { access: 'worker' }, schema: { tags: ['joining'], summary: '工会入会二维码指向的工会', params: idParam } },
    async (req) => orgs.publicUnion(req.params.id),
  );

  app.post(
    '/api/worker/join',
    {
      config: { access: 'worker', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: { tags: ['joining'], summary: '提交入会申请（带幂等键）', body: joinSubmitBody },
    },
    async (req) =>
      joining.submitFromWorker(worker(req), req.meta, {
        person: req.body.person,
        employment: req.body.employment,
        targetOrgId: req.body.targetOrgId,
        campaignToken: req.body.campaignToken,
        consentVersion: req.body.consent.version,
        idempotencyKey: req.body.idempotencyKey,
        transfer: req.body.transfer,
      }),
  );

  app.get('/api/worker/join', { config: { access: 'worker' }, schema: { tags: ['joining'], summary: '我的入会申请' } }, async (req) => ({
    items: await joining.mine(worker(req)),
  }));

  app.post(
    '/api/worker/join/:id/withdraw',
    { config: { access: 'worker' }, schema: { tags: ['joining'], summary: '撤回入会申请（审核前）', params: idParam, response: { 200: okResponse } } },
    async (req) => {
      await joining.withdraw(worker(req), req.meta, req.params.id);
      return { ok: true as const };
    },
  );

  // ---- public: what a campaign QR opens ----
  app.get(
    '/api/public/campaigns/:token',
    {
      config: { access: 'public', rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        tags: ['joining'],
        summary: '扫码：入会活动信息（计入扫码次数）',
        params: z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/, '二维码无效') }),
      },
    },
    async (req) => joining.resolveCampaign(req.params.token),
  );

  // ---- staff ----
  app.get(
    '/api/join-applications',
    {
      config: { access: 'join:review' },
      schema: {
        tags: ['joining'],
        summary: '入会申请（本级及下级）；releaseQueue=true 为待我方转出的会籍转接',
        querystring: z.strictObject({
          status: z.enum(['pending', 'awaiting_release', 'approved', 'rejected', 'withdrawn']).optional(),
          overdue: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional(),
          releaseQueue: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional(),
          campaignId: idString.optional(),
          orgId: idString.optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => joining.list(staff(req), req.query),
  );

  app.get(
    '/api/join-applications/:id',
    { config: { access: 'join:review' }, schema: { tags: ['joining'], summary: '入会申请详情', params: idParam } },
    async (req) => joining.getForStaff(staff(req), req.params.id),
  );

  app.post(
    '/api/join-applications/:id/review',
    { config: { access: 'join:review' }, schema: { tags: ['joining'], summary: '审核入会申请（通过 / 不通过），带版本号', params: idParam, body: reviewBody } },
    async (req) => joining.review(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/join-applications/:id/release',
    {
      config: { access: 'join:review' },
      schema: { tags: ['joining'], summary: '原工会办理会籍转出', params: idParam, body: z.strictObject({ version: versionField() }) },
    },
    async (req) => joining.release(staff(req), req.meta, req.params.id, req.body),
  );

  app.get(
    '/api/orgs/:id/join-figures',
    { config: { access: 'join:review' }, schema: { tags: ['joining'], summary: '组织（含下级）的入会申请：待审核、超期、待转出', params: idParam } },
    async (req) => joining.counts(staff(req), req.params.id),
  );

  app.get(
    '/api/campaigns',
    { config: { access: 'campaign:manage' }, schema: { tags: ['joining'], summary: '入会活动', querystring: z.strictObject({ ...pageQuery }) } },
    async (req) => joining.listCampaigns(staff(req), req.query),
  );
  app.post(
    '/api/campaigns',
    { config: { access: 'campaign:manage' }, schema: { tags: ['joining'], summary: '新建入会活动（生成二维码）', body: campaignBody } },
    async (req) => joining.createCampaign(staff(req), req.meta, req.body),
  );
  app.get(
    '/api/campaigns/:id',
    { config: { access: 'campaign:manage' }, schema: { tags: ['joining'], summary: '入会活动详情与扫码、入会统计', params: idParam } },
    async (req) => joining.getCampaign(staff(req), req.params.id),
  );
}
