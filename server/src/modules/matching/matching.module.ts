import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { createMembersExport, membersExportRoutes } from '../members/members.export.js';
import { createMatchingService } from './matching.service.js';
import { matchingRoutes } from './matching.routes.js';
import { startBackgroundJob } from '../../platform/background-job.js';

const HOUR_MS = 3_600_000;

// List matching (对接部门数据) and the roll export it builds on (issue 3).
export function createMatchingModule(ctx: ModuleContext) {
  const membersExport = createMembersExport(ctx);
  const service = createMatchingService({ ...ctx, membersExport });

  // Expired lists go at start and then every hour.
  const cleanup = startBackgroundJob('match list cleanup', () => service.cleanupExpired(), { everyMs: HOUR_MS, atStart: true });

  return {
    service,
    membersExport,
    routes(app: App) {
      membersExportRoutes(app, membersExport);
      matchingRoutes(app, service);
      app.addHook('onClose', () => cleanup.stop());
    },
  };
}
