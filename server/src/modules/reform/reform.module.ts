import type { App } from '../../platform/context.js';
import { createReformService, type ReformCtx } from './reform.service.js';
import { reformRoutes } from './reform.routes.js';

// 产改 (issue 16): pilot enterprises (from modules/enterprises' service) with task and problem lists and yearly 评星定级.
export function createReformModule(ctx: ReformCtx) {
  const service = createReformService(ctx);
  return {
    service,
    routes(app: App) {
      reformRoutes(app, service);
    },
  };
}

export type ReformModule = ReturnType<typeof createReformModule>;
