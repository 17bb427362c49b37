import type { App } from '../../platform/context.js';
import type { AuthService } from '../auth/auth.service.js';
import type { ModuleContext } from '../module-context.js';
import type { WorkerActor } from '../../platform/context.js';
import { createProfileChangesService } from './profile.changes.js';
import { profileRoutes } from './profile.routes.js';
import { createProfileService } from './profile.service.js';

/**
 * The worker's own H5 (issue 11): one state for every page, 个人信息 with the phone change and
 * change requests the union reviews, 注销, and the session probes of a cold page load.
 */
export function createProfileModule(
  ctx: ModuleContext & { auth: AuthService; applications: { mine(w: WorkerActor): Promise<{ items: { status: string }[] }> } },
) {
  const service = createProfileService(ctx);
  const changes = createProfileChangesService(ctx);
  const openServiceApplications = async (w: WorkerActor) =>
    (await ctx.applications.mine(w)).items.filter((a) => a.status === 'in_review' || a.status === 'returned').length;
  return {
    service,
    changes,
    routes(app: App) {
      profileRoutes(app, service, changes, { demoMode: ctx.config.demoMode, openServiceApplications });
    },
  };
}
