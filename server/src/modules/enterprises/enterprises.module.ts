import type { App } from '../../platform/context.js';
import { jobsOf } from '../../platform/jobs.js';
import type { ModuleContext } from '../module-context.js';
import { createEnterprisesService } from './enterprises.service.js';
import { createFoundingService } from './enterprises.founding.js';
import { createEnterpriseImport } from './enterprises.import.js';
import { enterprisesRoutes } from './enterprises.routes.js';

const DAY_MS = 86_400_000;

// The enterprise register, 建会, 职代会 and 厂务公开 (issue 13, decision 021).
export function createEnterprisesModule(ctx: ModuleContext) {
  const service = createEnterprisesService(ctx);
  const founding = createFoundingService(ctx);
  const imports = createEnterpriseImport(ctx);
  jobsOf(ctx).every('union term reminders', DAY_MS, () => founding.sendTermReminders(), { atStart: true });
  return {
    service,
    founding,
    imports,
    routes(app: App) {
      enterprisesRoutes(app, { enterprises: service, founding, imports });
      app.addHook('onClose', () => imports.close());
    },
  };
}

export type EnterprisesModule = ReturnType<typeof createEnterprisesModule>;
