import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { postersRoutes } from './posters.routes.js';
import { createPostersService } from './posters.service.js';

// Campaign posters: printable A4 PNG / PDF with the campaign's join QR code.
export function createPostersModule(ctx: ModuleContext) {
  const service = createPostersService(ctx);
  return {
    service,
    routes(app: App) {
      postersRoutes(app, service, ctx.config);
    },
  };
}
