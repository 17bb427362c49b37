import type { App } from '../../platform/context.js';
import { startBackgroundJob } from '../../platform/background-job.js';
import type { ModuleContext } from '../module-context.js';
import { rightsRoutes } from './rights.routes.js';
import { rightsWorkerRoutes } from './rights.worker.routes.js';
import { createRightsService } from './rights.service.js';

const HOUR_MS = 3_600_000;

// 维权 (issue 12): consultations, cases with the pool, 一函两书, 12351 tickets, figures.
export function createRightsModule(ctx: ModuleContext) {
  const service = createRightsService(ctx);
  // Overdue 12351 tickets are flagged and escalated: at start and then hourly.
  const sweep = startBackgroundJob('rights ticket overdue sweep', () => service.tickets.sweepOverdue(), { everyMs: HOUR_MS, atStart: true });
  return {
    service,
    routes(app: App) {
      rightsRoutes(app, service);
      rightsWorkerRoutes(app, service);
      app.addHook('onClose', () => sweep.stop());
    },
  };
}

export type RightsModule = ReturnType<typeof createRightsModule>;
