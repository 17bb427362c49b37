import { z } from 'zod';
import { idField } from '../../platform/fields.js';
import { employmentInput, personInput } from '../members/members.schema.js';

export const PARTNER_STATUSES = { active: '启用', disabled: '已停用' } as const;

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 120;
/** A signed request is accepted within this distance of the server's clock. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;
/** Nonces are kept this long (more than twice the window, so a replay is always caught). */
export const NONCE_RETENTION_MS = 10 * 60_000;

/** What a partner must send to sign a request; shown in the OpenAPI document. */
export const PARTNER_SIGNATURE_DOC = [
  '合作平台（如货运平台）以签名请求调用 /api/partner/v1/*，不使用会话与 CSRF。每个请求带四个请求头：',
  '`X-GH-Key`: 接入密钥编号（keyId）；`X-GH-Timestamp`: Unix 时间（秒），与服务器时间相差不超过 5 分钟；',
  '`X-GH-Nonce`: 16-64 位随机串（字母、数字、`_`、`-`），同一平台每个 nonce 只能使用一次；',
  '`X-GH-Signature`: base64url（无填充）编码的 HMAC-SM3(secret, canonical)。',
  'canonical = `${METHOD}\\n${path（含查询串，与请求行一致）}\\n${timestamp}\\n${nonce}\\n${SM3(原始请求体) 的小写十六进制}`，',
  '无请求体时对空串求 SM3。签名错误、时间戳过期、nonce 重复、平台停用或密钥未知均返回 401，并记入审计日志。',
  '每个平台按 keyId 限流（默认每分钟 120 次）。示例客户端：examples/partner-client.mjs。',
].join('');

const idString = idField();

export const createPartnerBody = z.strictObject({
  name: z.string({ error: '请填写平台名称' }).trim().min(2, '平台名称至少 2 个字').max(60, '平台名称不能超过 60 个字'),
  orgId: idField('工会', '请选择默认接收申请的工会'),
  rateLimitPerMinute: z
    .number({ error: '限流应为数字' })
    .int('限流应为整数')
    .min(1, '限流至少每分钟 1 次')
    .max(6000, '限流最多每分钟 6000 次')
    .default(DEFAULT_RATE_LIMIT_PER_MINUTE),
});

export const emptyBody = z.strictObject({});

export const partnerDto = z.object({
  id: z.string(),
  name: z.string(),
  org: z.object({ id: z.string(), name: z.string() }),
  keyId: z.string(),
  status: z.enum(['active', 'disabled']),
  statusLabel: z.string(),
  rateLimitPerMinute: z.number().int(),
  secretRotatedAt: z.string(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type PartnerDto = z.infer<typeof partnerDto>;

/** The secret is in this answer only (create, rotate): it is never shown again. */
export const partnerWithSecretDto = partnerDto.extend({ secret: z.string() });

// ---- the partner API ----
export const partnerRef = z
  .string({ error: '请填写平台内的司机编号（partnerRef）' })
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'partnerRef 应为 1-64 位字母、数字或 _ . : -');

export const partnerJoinBody = z.strictObject({
  partnerRef,
  person: personInput,
  employment: employmentInput,
  targetOrgId: idString.optional(),
});

export const partnerHeaders = z.object({
  'x-gh-key': z.string().describe('接入密钥编号 keyId'),
  'x-gh-timestamp': z.string().describe('Unix 时间（秒）'),
  'x-gh-nonce': z.string().describe('16-64 位随机串，每个只用一次'),
  'x-gh-signature': z.string().describe('base64url(HMAC-SM3(secret, canonical))'),
});

export const partnerApplicationDto = z.object({
  id: z.string(),
  partnerRef: z.string(),
  status: z.enum(['pending', 'awaiting_release', 'approved', 'rejected', 'withdrawn']),
  statusLabel: z.string(),
});

export const partnerOutcomeDto = partnerApplicationDto.extend({
  memberNo: z.string().nullable().describe('会员号（通过后）'),
  rejectReason: z.string().nullable(),
  submittedAt: z.string(),
  reviewedAt: z.string().nullable(),
});
