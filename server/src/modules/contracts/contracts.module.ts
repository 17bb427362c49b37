import type { App } from '../../platform/context.js';
import { jobsOf } from '../../platform/jobs.js';
import type { ModuleContext } from '../module-context.js';
import type { EnterprisesService } from '../enterprises/enterprises.service.js';
import { createContractsService } from './contracts.service.js';
import { createCampaignsService } from './contracts.campaigns.js';
import { createCoverageService } from './contracts.coverage.js';
import { contractsRoutes } from './contracts.routes.js';

const DAY_MS = 86_400_000;

// Collective contracts, 范本, 要约行动 and the coverage figures (issue 13, decision 021).
export function createContractsModule(ctx: ModuleContext & { enterprises: EnterprisesService }) {
  const service = createContractsService(ctx);
  const campaigns = createCampaignsService(ctx);
  const coverage = createCoverageService(ctx);
  jobsOf(ctx).every('contract expiry reminders', DAY_MS, () => service.sendExpiryReminders(), { atStart: true });
  return {
    service,
    campaigns,
    coverage,
    routes(app: App) {
      contractsRoutes(app, { contracts: service, campaigns, coverage });
    },
  };
}

export type ContractsModule = ReturnType<typeof createContractsModule>;
