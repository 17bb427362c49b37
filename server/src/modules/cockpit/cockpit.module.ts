import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { cockpitRoutes } from './cockpit.routes.js';
import { createCockpitService } from './cockpit.service.js';

// 数据大屏 (issue 15 item 3): the live feed; the cockpit's figures come from the indicator catalogue.
export function createCockpitModule(ctx: ModuleContext) {
  const service = createCockpitService(ctx);
  return {
    service,
    routes(app: App) {
      cockpitRoutes(app, service);
    },
  };
}

export type CockpitModule = ReturnType<typeof createCockpitModule>;
