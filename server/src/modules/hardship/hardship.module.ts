import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import type { AidModule } from '../aid/aid.module.js';
import { createHardshipService } from './hardship.service.js';
import { hardshipRoutes } from './hardship.routes.js';

const DAY_MS = 86_400_000;

// 困难职工档案: one file per household, the national establishment flow, yearly review, pairing (issue 4).
export function createHardshipModule(ctx: ModuleContext & { aid: AidModule['service'] }) {
  const service = createHardshipService(ctx);

  // Yearly-review reminders, the same way as the applications' overdue reminders: at start and then
  // daily; each file's review year is reminded once. The timer never keeps the process alive.
  const remind = () =>
    service.sendReviewReminders().catch((err: unknown) => {
      console.error('hardship review reminders failed', err);
      return 0;
    });
  let running: Promise<number> = remind();
  const timer = setInterval(() => {
    running = remind();
  }, DAY_MS);
  timer.unref();

  return {
    service,
    routes(app: App) {
      hardshipRoutes(app, service);
      app.addHook('onClose', async () => {
        clearInterval(timer);
        await running;
      });
    },
  };
}

export type HardshipModule = ReturnType<typeof createHardshipModule>;
