import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { createStationsService } from './stations.service.js';
import { createCardsService } from '../cards/cards.service.js';
import { createStationFigures } from './stations.figures.js';
import { stationsRoutes } from './stations.routes.js';
import { stationsIoRoutes } from './stations.io.js';
import { startBackgroundJob } from '../../platform/background-job.js';

// 阵地 (issue 14): the register of service sites, standards / 验收 / 星级, visits, the H5's 附近驿站, figures.
export function createStationsModule(ctx: ModuleContext) {
  const cards = createCardsService(ctx);
  const service = createStationsService(ctx, (token) => cards.verify(token));
  const figures = createStationFigures(ctx);
  // Due inspections are reminded at start and then daily (like the hardship yearly reviews).
  const reminders = startBackgroundJob('station inspection reminders', () => service.sendInspectionReminders(), { everyMs: 86_400_000, atStart: true });
  return {
    service,
    routes(app: App) {
      stationsRoutes(app, service, figures, ctx.config);
      stationsIoRoutes(app, ctx, service);
      app.addHook('onClose', () => reminders.stop());
    },
  };
}

export type StationsModule = ReturnType<typeof createStationsModule>;
