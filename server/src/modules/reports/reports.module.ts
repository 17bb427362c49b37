import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { reportsRoutes } from './reports.routes.js';
import { createReportsService } from './reports.service.js';

// 统计年报 and the annual work report (issue 15, item 5).
export function createReportsModule(ctx: ModuleContext) {
  const service = createReportsService(ctx);
  return {
    service,
    routes(app: App) {
      reportsRoutes(app, service);
    },
  };
}

export type ReportsModule = ReturnType<typeof createReportsModule>;
