import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { registerActivityType, registeredActivityTypes } from './activities.plugins.js';
import { activitiesRoutes } from './activities.routes.js';
import { createActivitiesService } from './activities.service.js';
import { activityTypePlugins } from './activity-types.js';

// Activities and enrollment: quotas, windows, lottery, waitlists, check-in, certificates (issue 5).
export function createActivitiesModule(ctx: ModuleContext) {
  for (const p of activityTypePlugins) registerActivityType(p);
  const service = createActivitiesService(ctx);
  return {
    service,
    routes(app: App) {
      activitiesRoutes(app, service);
      for (const p of registeredActivityTypes()) p.routes?.(app, service.core);
    },
  };
}
