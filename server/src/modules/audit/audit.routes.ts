import { z } from 'zod';
import { dateField } from '../../platform/fields.js';
import type { App, StaffActor } from '../../platform/context.js';
import { pageOf, pageQuery } from '../../platform/pagination.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import type { AuditService } from './audit.service.js';
import { VERIFY_PROBLEM_KINDS } from './audit.verify.js';
import { auditActionLabel, auditTargetText } from './audit.labels.js';

const auditItem = z.object({
  id: z.string(),
  at: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  /** The action in Chinese words (登录, 新建账号 …). */
  actionLabel: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  /** The object in words: 账号「张三（zhangsan）」, 服务申请「SQ00000002」, 会员 #12. */
  targetText: z.string(),
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  ip: z.string().nullable(),
  outcome: z.enum(['success', 'failure']),
  detail: z.unknown(),
});

const day = dateField();

export function auditRoutes(app: App, { audit, orgs }: { audit: AuditService; orgs: OrgsService }) {
  app.get(
    '/api/audit',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: '审计日志（仅审计管理员）',
        querystring: z.strictObject({
          action: z.string().trim().max(50).optional(),
          actor: z.string().trim().max(50).optional(),
          outcome: z.enum(['success', 'failure']).optional(),
          from: day.optional(),
          to: day.optional(),
          ...pageQuery,
        }),
        response: { 200: pageOf(auditItem) },
      },
    },
    async (req) => {
      const q = req.query;
      // Dates are China Standard Time days; `to` is inclusive.
      const from = q.from ? new Date(`${q.from}T00:00:00+08:00`) : undefined;
      const to = q.to ? new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined;
      const { items, total } = await audit.list(req.actor as StaffActor, await orgs.rootPath(), {
        action: q.action,
        actor: q.actor,
        outcome: q.outcome,
        from,
        to,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      const names = await audit.targetNames(items.flatMap((r) => (r.target_type && r.target_id ? [{ type: r.target_type, id: r.target_id }] : [])));
      const targetName = (type: string | null, id: string | null) =>
        !type || !id ? null : type === 'application' && /^\d+$/.test(id) ? `SQ${id.padStart(8, '0')}` : (names.get(`${type}:${id}`) ?? null);
      return {
        total,
        items: items.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorType: r.actor_type,
          actorId: r.actor_id,
          actorName: r.actor_name,
          action: r.action,
          actionLabel: auditActionLabel(r.action),
          targetType: r.target_type,
          targetId: r.target_id,
          targetText: auditTargetText(r.target_type, r.target_id, targetName(r.target_type, r.target_id)),
          orgId: r.org_id,
          orgName: r.org_name,
          ip: r.ip,
          outcome: r.outcome,
          detail: r.detail ? (JSON.parse(r.detail) as unknown) : null,
        })),
      };
    },
  );

  app.get(
    '/api/audit/verify',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: '校验审计日志哈希链',
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            problems: z.array(z.object({ id: z.string(), kind: z.enum(VERIFY_PROBLEM_KINDS), message: z.string() })),
            verifiedAt: z.string(),
            // The chain heads anchored outside the database (DATA_DIR/audit-anchors.log) that were checked.
            anchors: z.object({ checked: z.number().int(), latestAt: z.string().nullable() }),
          }),
        },
      },
    },
    async (req) => {
      const result = await audit.verify();
      const actor = req.actor as StaffActor;
      await audit.record({
        actorType: 'staff',
        actorId: actor.accountId,
        actorName: `${actor.displayName}（${actor.username}）`,
        action: 'audit.verify',
        orgId: actor.orgId,
        ip: req.meta.ip,
        requestId: req.meta.requestId,
        outcome: 'success',
        detail: { ok: result.ok, checked: result.checked, problems: result.problems.length, anchors: result.anchors.checked },
      });
      return result;
    },
  );
}
