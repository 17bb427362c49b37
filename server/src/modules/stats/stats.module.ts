import type { App } from '../../platform/context.js';
import { startBackgroundJob } from '../../platform/background-job.js';
import type { ModuleContext } from '../module-context.js';
import { statsRoutes } from './stats.routes.js';
import { createStatsService } from './stats.service.js';

const HOUR_MS = 3_600_000;

// The indicator catalogue (issue 15): stock figures snapshotted per org at start and every hour.
export function createStatsModule(ctx: ModuleContext) {
  const service = createStatsService(ctx);
  // At start only when today has no snapshot yet (a restart, or the bench that took one, does not count a million rows again).
  const first = service.takeSnapshot({ ifMissing: true }).catch((err: unknown) => console.error('indicator snapshot failed', err));
  const snapshots = startBackgroundJob('indicator snapshot', () => service.takeSnapshot(), { everyMs: HOUR_MS });
  return {
    service,
    routes(app: App) {
      statsRoutes(app, service);
      app.addHook('onClose', async () => {
        await first;
        await snapshots.stop();
      });
    },
  };
}

export type StatsModule = ReturnType<typeof createStatsModule>;
