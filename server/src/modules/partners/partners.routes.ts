import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { App, PartnerActor, StaffActor } from '../../platform/context.js';
import { idParam, pageOf, pageQuery } from '../../platform/pagination.js';
import type { PartnersService } from './partners.service.js';
import {
  createPartnerBody,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  emptyBody,
  partnerApplicationDto,
  partnerDto,
  partnerHeaders,
  partnerJoinBody,
  partnerOutcomeDto,
  partnerRef,
  partnerWithSecretDto,
} from './partners.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const partner = (req: { actor: unknown }) => req.actor as PartnerActor;

/** Per partner (by its key), at the partner's own rate. */
const partnerRateLimit = {
  max: (req: FastifyRequest) => req.partnerCandidate?.rate_limit_per_minute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
  timeWindow: 60_000,
  keyGenerator: (req: FastifyRequest) => `partner:${String(req.headers['x-gh-key'] ?? '')}`,
};

export function partnersRoutes(app: App, partners: PartnersService) {
  // ---- staff: partner accounts ----
  app.get(
    '/api/partners',
    {
      config: { access: 'partner:manage' },
      schema: {
        tags: ['partners'],
        summary: '合作平台（本级及下级工会对接的）',
        querystring: z.strictObject({ ...pageQuery }),
        response: { 200: pageOf(partnerDto) },
      },
    },
    async (req) => partners.list(staff(req), req.query),
  );

  app.post(
    '/api/partners',
    {
      config: { access: 'partner:manage' },
      schema: {
        tags: ['partners'],
        summary: '新建合作平台接入：返回 keyId 与密钥 secret（仅此一次显示）',
        body: createPartnerBody,
        response: { 200: partnerWithSecretDto },
      },
    },
    async (req) => partners.create(staff(req), req.meta, req.body),
  );

  app.get(
    '/api/partners/:id',
    {
      config: { access: 'partner:manage' },
      schema: { tags: ['partners'], summary: '合作平台详情（不含密钥）', params: idParam, response: { 200: partnerDto } },
    },
    async (req) => partners.get(staff(req), req.params.id),
  );

  app.post(
    '/api/partners/:id/rotate-secret',
    {
      config: { access: 'partner:manage' },
      schema: {
        tags: ['partners'],
        summary: '更换密钥：旧密钥立即失效，新密钥仅此一次显示',
        params: idParam,
        body: emptyBody,
        response: { 200: partnerWithSecretDto },
      },
    },
    async (req) => partners.rotateSecret(staff(req), req.meta, req.params.id),
  );

  app.post(
    '/api/partners/:id/disable',
    {
      config: { access: 'partner:manage' },
      schema: { tags: ['partners'], summary: '停用合作平台（其签名请求一律拒绝）', params: idParam, body: emptyBody, response: { 200: partnerDto } },
    },
    async (req) => partners.setStatus(staff(req), req.meta, req.params.id, 'disabled'),
  );

  app.post(
    '/api/partners/:id/enable',
    {
      config: { access: 'partner:manage' },
      schema: { tags: ['partners'], summary: '启用合作平台', params: idParam, body: emptyBody, response: { 200: partnerDto } },
    },
    async (req) => partners.setStatus(staff(req), req.meta, req.params.id, 'active'),
  );

  // ---- the partner API: signed requests. Its own scope, whose JSON parser keeps the raw body
  // (the signature covers its exact bytes) and still gives the parsed body to the route. ----
  void app.register(async (instance) => {
    const scope = instance as unknown as App;
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
      const raw = body as Buffer;
      req.partnerRawBody = raw;
      void parseJson(req, raw.toString('utf8'), done);
    });

    scope.post(
      '/api/partner/v1/join-applications',
      {
        config: { access: 'partner', rateLimit: partnerRateLimit },
        schema: {
          tags: ['partner-api'],
          summary: '一键入会：为平台司机提交入会申请（同一 partnerRef 重复提交返回原申请）',
          description:
            'partnerRef 为平台内的司机编号，每个平台唯一；targetOrgId 缺省为平台对接的工会（只能是该工会或其下级）。平台须已取得司机对处理其敏感个人信息的单独同意。',
          headers: partnerHeaders,
          body: partnerJoinBody,
          response: { 200: partnerApplicationDto },
        },
      },
      async (req) => partners.submit(partner(req), req.meta, req.body),
    );

    scope.get(
      '/api/partner/v1/join-applications/:partnerRef',
      {
        config: { access: 'partner', rateLimit: partnerRateLimit },
        schema: {
          tags: ['partner-api'],
          summary: '查询本平台提交的入会申请结果（通过后含会员号）',
          headers: partnerHeaders,
          params: z.strictObject({ partnerRef }),
          response: { 200: partnerOutcomeDto },
        },
      },
      async (req) => partners.outcome(partner(req), req.params.partnerRef),
    );
  });
}
