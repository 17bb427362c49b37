import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { createMembersExport, membersExportRoutes } from '../members/members.export.js';
import { createMatchingService } from './matching.service.js';
import { matchingRoutes } from './matching.routes.js';
import { jobsOf } from '../../platform/jobs.js';

const HOUR_MS = 3_600_000;

// List matching (对接部门数据) and the roll export it builds on (issue 3).
export function createMatchingModule(ctx: ModuleContext) {
  const membersExport = createMembersExport(ctx);
  const service = createMatchingService({ ...ctx, membersExport });

  // Expired lists go at start and then every hour.
  jobsOf(ctx).every('match list cleanup', HOUR_MS, () => service.cleanupExpired(), { atStart: true });

  return {
    service,
    membersExport,
    routes(app: App) {
      membersExportRoutes(app, membersExport);
      matchingRoutes(app, service);
    },
  };
}
