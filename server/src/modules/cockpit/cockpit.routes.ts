import { z } from 'zod';
import type { App, StaffActor } from '../../platform/context.js';
import { idField } from '../../platform/fields.js';
import type { CockpitService } from './cockpit.service.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;

export const feedQuery = z.strictObject({
  orgId: idField('组织').optional(),
  limit: z.coerce.number({ error: '条数应为数字' }).int('条数应为整数').min(1, '条数至少为 1').max(50, '条数最多 50').optional(),
});

export function cockpitRoutes(app: App, s: CockpitService) {
  app.get(
    '/api/cockpit/feed',
    {
      config: { access: 'stats:read' },
      schema: {
        tags: ['stats'],
        summary: '数据大屏动态：近 30 天新入会、服务办结、工单办结、调解成功（按分钟、镇街汇总，不含个人信息）',
        querystring: feedQuery,
      },
    },
    async (req) => s.feed(staff(req), req.query),
  );
}
