import { z } from 'zod';
import type { App, StaffActor } from '../../platform/context.js';
import type { HomeService } from './home.service.js';

// Any signed-in staff account: each block of the answer is computed only when the caller holds its permission.
export function homeRoutes(app: App, s: HomeService) {
  app.get(
    '/api/home',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['home'],
        summary: '首页：按角色返回待办、指标与三员职责（各块按权限计算，数据范围为本级及下级）',
        querystring: z.strictObject({}),
      },
    },
    async (req) => s.home(req.actor as StaffActor),
  );
}
