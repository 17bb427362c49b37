import type { App } from '../../platform/context.js';
import { chinaYear } from '../../platform/china-time.js';
import type { ModuleContext } from '../module-context.js';
import { createAidService } from './aid.service.js';
import { aidRoutes } from './aid.routes.js';

// Aid funds (帮扶资金): budgets per union per year per fund, disbursements that never exceed them (issue 4).
// `service.disburseIn(trx, …)` is what the workflow engine and the hardship files pay through.
export function createAidModule(ctx: ModuleContext) {
  const service = createAidService(ctx);
  const currentYear = () => chinaYear(ctx.clock.now());
  return {
    service,
    routes(app: App) {
      aidRoutes(app, service, currentYear);
    },
  };
}

export type AidModule = ReturnType<typeof createAidModule>;
