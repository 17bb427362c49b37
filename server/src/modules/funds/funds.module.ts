import type { App } from '../../platform/context.js';
import { jobsOf } from '../../platform/jobs.js';
import { createLocalFileStore, localFilesRoot, type FileStore } from '../applications/applications.files.js';
import type { ModuleContext } from '../module-context.js';
import { createFundsBudgets } from './funds.budgets.js';
import { createStatementImport } from './funds.import.js';
import { fundsRoutes } from './funds.routes.js';
import { createFundsService } from './funds.service.js';
import { createFundsDues } from './funds.dues.js';

// 工会经费 (issue 17, decision 031): collection, sharing between levels, 下拨, budgets and spending.
export function createFundsModule(ctx: ModuleContext & { files?: FileStore }) {
  const service = createFundsService(ctx);
  const imports = createStatementImport(ctx, service);
  const dues = createFundsDues(ctx);
  const budgets = createFundsBudgets(ctx, ctx.files ?? createLocalFileStore(localFilesRoot(ctx.config.dataDir)));
  // 催缴 on a schedule: once a day, past months still in arrears (each receivable at most once in 30 days)
  jobsOf(ctx).every('funds arrears reminders', 86_400_000, () => service.sendDueReminders());
  return {
    service,
    imports,
    budgets,
    dues,
    routes(app: App) {
      fundsRoutes(app, { funds: service, imports, budgets, dues });
      app.addHook('onClose', () => imports.close());
    },
  };
}

export type FundsModule = ReturnType<typeof createFundsModule>;
