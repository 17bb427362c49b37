// Partner platforms (一键入会): accounts kept by staff, signed requests (HMAC-SM3 over the method,
// path, timestamp, nonce and the body's SM3), and the partner API onto join applications.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { PartnerActor, RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import { JOIN_STATUSES } from '../joining/joining.schema.js';
import type { EmploymentInput, PersonInput } from '../members/members.schema.js';
import type { ModuleContext } from '../module-context.js';
import { partnersRepository as repo } from './partners.repository.js';
import { NONCE_RETENTION_MS, PARTNER_STATUSES, SIGNATURE_WINDOW_MS, type PartnerDto } from './partners.schema.js';

interface PartnerCandidate {
  id: string;
  name: string;
  org_id: string;
  secret_enc: string;
  rate_limit_per_minute: number;
  timestamp: string;
  nonce: string;
  signature: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The partner named by X-GH-Key, before its signature is checked. */
    partnerCandidate?: PartnerCandidate;
    /** The raw body of a partner request (the signature covers it). */
    partnerRawBody?: Buffer;
  }
}

const KEY_ID = /^[A-Za-z0-9_-]{8,64}$/;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;
const NONCE_PURGE_EVERY_MS = 60_000;

const header = (req: FastifyRequest, name: string) => {
  const v = req.headers[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
};

/** The string a partner signs. */
export function canonicalRequest(method: string, pathWithQuery: string, timestamp: string, nonce: string, body: Buffer) {
  return `${method.toUpperCase()}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${createHash('sm3').update(body).digest('hex')}`;
}

interface PartnerRow {
  id: string;
  name: string;
  org_id: string;
  org_name: string;
  key_id: string;
  status: 'active' | 'disabled';
  rate_limit_per_minute: number;
  secret_rotated_at: Date;
  created_at: Date;
  version: number;
}

function present(p: PartnerRow): PartnerDto {
  return {
    id: p.id,
    name: p.name,
    org: { id: p.org_id, name: p.org_name },
    keyId: p.key_id,
    status: p.status,
    statusLabel: PARTNER_STATUSES[p.status],
    rateLimitPerMinute: p.rate_limit_per_minute,
    secretRotatedAt: p.secret_rotated_at.toISOString(),
    createdAt: p.created_at.toISOString(),
    version: p.version,
  };
}

export function createPartnersService(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();
  const newKeyId = () => `ghk_${randomBytes(12).toString('hex')}`;
  const newSecret = () => randomBytes(32).toString('base64url');
  let lastPurge = 0;

  /** Refuses a partner request: audited as a failure, answered 401. */
  async function refuse(req: FastifyRequest, partner: { id: string; name: string; org_id: string } | null, reason: string, message: string): Promise<never> {
    const keyId = header(req, 'x-gh-key');
    await ctx.audit.record({
      ...auditActor({ type: 'anonymous' }, req.meta),
      actorType: 'partner',
      actorId: partner?.id ?? null,
      actorName: partner?.name ?? (keyId ? `未知密钥 ${keyId.slice(0, 64)}` : null),
      action: 'partner.auth',
      targetType: 'partner',
      targetId: partner?.id ?? null,
      orgId: partner?.org_id ?? null,
      outcome: 'failure',
      detail: { reason, keyId: keyId?.slice(0, 64) ?? null, method: req.method, path: req.url.slice(0, 200) },
    });
    req.auditedFailure = true;
    throw new AppError('UNAUTHENTICATED', message);
  }

  async function changeInScope(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    action: string,
    patch: { status?: 'active' | 'disabled'; secret_enc?: string; secret_rotated_at?: Date },
  ) {
    await db.transaction().execute(async (trx) => {
      const p = await repo.inScopeForUpdate(trx, actor.orgPath, id);
      if (!p) throw notFound('合作平台');
      await repo.update(trx, p.id, { ...patch, updated_at: now() });
      await ctx.audit.append(trx, {
        ...auditActor(actor, meta),
        action,
        targetType: 'partner',
        targetId: p.id,
        orgId: p.org_id,
        outcome: 'success',
        detail: { name: p.name, keyId: p.key_id, ...(patch.status && { status: patch.status }) },
      });
    });
  }

  const service = {
    // ---- staff: partner accounts (partner:manage), scoped by the partner's org ----
    async list(actor: StaffActor, f: { page: number; pageSize: number }) {
      const { items, total } = await repo.list(db, actor.orgPath, { limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
      return { items: items.map(present), total };
    },

    async get(actor: StaffActor, id: string) {
      const p = await repo.inScope(db, actor.orgPath, id);
      if (!p) throw notFound('合作平台');
      return present(p);
    },

    /** Answers the partner with its secret: the only time the secret is shown. */
    async create(actor: StaffActor, meta: RequestMeta, input: { name: string; orgId: string; rateLimitPerMinute: number }) {
      const org = await ctx.orgs.findInScope(actor, input.orgId);
      if (!org) throw notFound('组织');
      if (org.status !== 'active') throw invalid({ orgId: '该工会已撤销' });
      const secret = newSecret();
      const keyId = newKeyId();
      const id = await db.transaction().execute(async (trx) => {
        const p = await repo.insert(trx, {
          name: input.name,
          org_id: org.id,
          key_id: keyId,
          secret_enc: ctx.crypto.encrypt(secret),
          rate_limit_per_minute: input.rateLimitPerMinute,
          created_by: actor.accountId,
          secret_rotated_at: now(),
        });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'partner.create',
          targetType: 'partner',
          targetId: p.id,
          orgId: org.id,
          outcome: 'success',
          detail: { name: input.name, keyId, rateLimitPerMinute: input.rateLimitPerMinute },
        });
        return p.id;
      });
      return { ...(await service.get(actor, id)), secret };
    },

    /** A new secret (the old one stops working at once), shown once. */
    async rotateSecret(actor: StaffActor, meta: RequestMeta, id: string) {
      const secret = newSecret();
      await changeInScope(actor, meta, id, 'partner.rotate_secret', { secret_enc: ctx.crypto.encrypt(secret), secret_rotated_at: now() });
      return { ...(await service.get(actor, id)), secret };
    },

    async setStatus(actor: StaffActor, meta: RequestMeta, id: string, status: 'active' | 'disabled') {
      await changeInScope(actor, meta, id, status === 'active' ? 'partner.enable' : 'partner.disable', { status });
      return service.get(actor, id);
    },

    // ---- signed requests (called by the access hook, modules/auth/access.ts) ----
    signing: {
      /** On arrival: the headers are there, the key is known and active, the time is within the window. */
      async checkHeaders(req: FastifyRequest): Promise<void> {
        const keyId = header(req, 'x-gh-key');
        const timestamp = header(req, 'x-gh-timestamp');
        const nonce = header(req, 'x-gh-nonce');
        const signature = header(req, 'x-gh-signature');
        if (!keyId || !timestamp || !nonce || !signature) {
          return refuse(req, null, 'missing_headers', '请求未签名：缺少 X-GH-Key、X-GH-Timestamp、X-GH-Nonce 或 X-GH-Signature 请求头');
        }
        const partner = KEY_ID.test(keyId) ? await repo.byKeyId(db, keyId) : undefined;
        if (!partner) return refuse(req, null, 'unknown_key', '接入密钥（X-GH-Key）无效');
        if (partner.status !== 'active') return refuse(req, partner, 'disabled', '该合作平台已停用，请联系工会');
        if (!TIMESTAMP.test(timestamp) || Math.abs(Number(timestamp) * 1000 - now().getTime()) > SIGNATURE_WINDOW_MS) {
          return refuse(req, partner, 'stale_timestamp', '请求时间戳（X-GH-Timestamp）无效或已过期：须为 Unix 秒，与服务器时间相差不超过 5 分钟');
        }
        if (!NONCE.test(nonce)) return refuse(req, partner, 'bad_nonce', '随机串（X-GH-Nonce）应为 16-64 位字母、数字、_ 或 -');
        req.partnerCandidate = { ...partner, timestamp, nonce, signature };
      },

      /** Once the raw body is read: the signature, then the nonce (used once). */
      async verify(req: FastifyRequest): Promise<PartnerActor> {
        const c = req.partnerCandidate;
        if (!c) return refuse(req, null, 'missing_headers', '请求未签名');
        const canonical = canonicalRequest(req.method, req.url, c.timestamp, c.nonce, req.partnerRawBody ?? Buffer.alloc(0));
        const expected = Buffer.from(createHmac('sm3', ctx.crypto.decrypt(c.secret_enc)).update(canonical).digest('base64url'));
        const given = Buffer.from(c.signature);
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          return refuse(req, c, 'bad_signature', '签名（X-GH-Signature）校验失败，请检查密钥与待签名串');
        }
        const at = now();
        if (at.getTime() - lastPurge >= NONCE_PURGE_EVERY_MS) {
          lastPurge = at.getTime();
          await repo.purgeNonces(db, new Date(at.getTime() - NONCE_RETENTION_MS));
        }
        if (!(await repo.useNonce(db, c.id, c.nonce, at))) {
          return refuse(req, c, 'replayed_nonce', '重复的请求（X-GH-Nonce 已使用过），请用新的随机串重新签名');
        }
        return { type: 'partner', partnerId: c.id, name: c.name, orgId: c.org_id };
      },
    },

    // ---- the partner API ----
    async submit(
      actor: PartnerActor,
      meta: RequestMeta,
      input: { partnerRef: string; person: PersonInput; employment: EmploymentInput; targetOrgId?: string },
    ) {
      const existing = await ctx.joining.applicationByPartnerRef(actor.partnerId, input.partnerRef);
      if (existing) return presentApplication(existing);
      // A partner files into its own union or a union below it, nowhere else: any other union
      // answers 404 as if it did not exist (data scope), and nothing is written.
      const home = await ctx.orgs.forMembership(db, actor.orgId);
      if (!home) throw notFound('工会');
      const targetOrgId = input.targetOrgId ?? actor.orgId;
      try {
        const { app } = await ctx.joining.createApplication({
          person: input.person,
          employment: input.employment,
          targetOrgId,
          within: { path: home.org.path, refuse: () => notFound('工会') },
          campaignId: null,
          channel: 'partner',
          workerId: null,
          partnerId: actor.partnerId,
          partnerRef: input.partnerRef,
          idempotencyKey: null,
          consent: null,
          audit: auditActor(actor, meta),
        });
        return presentApplication({ ...app, partner_ref: input.partnerRef });
      } catch (err) {
        // The same partnerRef raced itself: answer with the one that won.
        const again = await ctx.joining.applicationByPartnerRef(actor.partnerId, input.partnerRef);
        if (again) return presentApplication(again);
        throw err;
      }
    },

    /** Only the calling partner's own applications: another partner's reference is not found. */
    async outcome(actor: PartnerActor, partnerRef: string) {
      const a = await ctx.joining.applicationByPartnerRef(actor.partnerId, partnerRef);
      if (!a) throw notFound('入会申请');
      return {
        ...presentApplication(a),
        memberNo: a.status === 'approved' ? a.member_no : null,
        rejectReason: a.reject_reason,
        submittedAt: a.submitted_at.toISOString(),
        reviewedAt: a.reviewed_at?.toISOString() ?? null,
      };
    },
  };

  function presentApplication(a: { id: string; partner_ref: string | null; status: keyof typeof JOIN_STATUSES }) {
    return { id: a.id, partnerRef: a.partner_ref ?? '', status: a.status, statusLabel: JOIN_STATUSES[a.status] };
  }

  return service;
}

export type PartnersService = ReturnType<typeof createPartnersService>;
