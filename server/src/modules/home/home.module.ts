import type { App } from '../../platform/context.js';
import { homeRoutes } from './home.routes.js';
import { createHomeService, type HomeDeps } from './home.service.js';

// The console's home page by role (issue 15, item 2): built over the other modules' services.
export function createHomeModule(deps: HomeDeps) {
  const service = createHomeService(deps);
  return {
    service,
    routes(app: App) {
      homeRoutes(app, service);
    },
  };
}

export type HomeModule = ReturnType<typeof createHomeModule>;
