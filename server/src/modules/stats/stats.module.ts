import type { App } from '../../platform/context.js';
import { jobsOf } from '../../platform/jobs.js';
import { withTaskLock } from '../../platform/jobs.repository.js';
import type { ModuleContext } from '../module-context.js';
import { statsRoutes } from './stats.routes.js';
import { createStatsService } from './stats.service.js';

const HOUR_MS = 3_600_000;

// The indicator catalogue (issue 15): stock figures snapshotted per org at start and every hour.
export function createStatsModule(ctx: ModuleContext) {
  const service = createStatsService(ctx);
  // At start only when today has no snapshot yet (a restart, or the bench that took one, does not count a million rows again).
  // Under one lock across processes: a snapshot deletes and rewrites the day's rows, so two at once would
  // leave the day's figures twice (processes starting together; decision 037).
  const locked = <T>(fn: () => Promise<T>) => withTaskLock(ctx.database, 'indicator-snapshot', fn);
  const first = locked(() => service.takeSnapshot({ ifMissing: true })).catch((err: unknown) => console.error('indicator snapshot failed', err));
  // Hourly, once across all processes.
  jobsOf(ctx).every('indicator snapshot', HOUR_MS, () => locked(() => service.takeSnapshot()));
  return {
    service,
    routes(app: App) {
      statsRoutes(app, service);
      app.addHook('onClose', async () => {
        await first;
      });
    },
  };
}

export type StatsModule = ReturnType<typeof createStatsModule>;
