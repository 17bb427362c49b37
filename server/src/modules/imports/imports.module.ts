import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { importsRoutes } from './imports.routes.js';
import { createImportsService } from './imports.service.js';

/** Bulk import of a union's roll from .xlsx / .csv (issue 3). */
export function createImportsModule(ctx: ModuleContext) {
  const service = createImportsService(ctx);
  return {
    service,
    routes(app: App) {
      importsRoutes(app, service);
      // The preparing worker threads stop with the app (after the running job).
      app.addHook('onClose', () => service.close());
    },
  };
}
