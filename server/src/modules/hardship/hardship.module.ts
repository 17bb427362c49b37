import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import type { AidModule } from '../aid/aid.module.js';
import { createHardshipService } from './hardship.service.js';
import { hardshipRoutes } from './hardship.routes.js';

// 困难职工档案: one file per household, the national establishment flow, yearly review, pairing (issue 4).
export function createHardshipModule(ctx: ModuleContext & { aid: AidModule['service'] }) {
  const service = createHardshipService(ctx);
  return {
    service,
    routes(app: App) {
      hardshipRoutes(app, service);
    },
  };
}

export type HardshipModule = ReturnType<typeof createHardshipModule>;
