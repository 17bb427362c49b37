import type { App } from '../../platform/context.js';
import { jobsOf } from '../../platform/jobs.js';
import { createLocalFileStore, localFilesRoot, type FileStore } from '../applications/applications.files.js';
import type { RightsCtx } from './rights.common.js';
import { rightsCheckupRoutes } from './rights.checkups.routes.js';
import { rightsRiskRoutes } from './rights.risks.routes.js';
import { rightsRoutes } from './rights.routes.js';
import { rightsWorkerRoutes } from './rights.worker.routes.js';
import { createRightsService } from './rights.service.js';

const HOUR_MS = 3_600_000;

// 维权 (issue 12): consultations, cases with the pool, 一函两书, 12351 tickets, 法治体检, 信息员 risk reports, figures.
export function createRightsModule(ctx: RightsCtx, opts: { files?: FileStore } = {}) {
  // Risk photos go to the same file store as application attachments (keys under rights/).
  const files = opts.files ?? createLocalFileStore(localFilesRoot(ctx.config.dataDir));
  const service = createRightsService({ ...ctx, files });
  // Overdue 12351 tickets are flagged and escalated: at start and then hourly.
  jobsOf(ctx).every('rights ticket overdue sweep', HOUR_MS, () => service.tickets.sweepOverdue(), { atStart: true });
  // Risk photos no report took within 24 hours are deleted: hourly.
  jobsOf(ctx).every('rights risk photo clean-up', HOUR_MS, () => service.risks.expirePhotos());
  return {
    service,
    routes(app: App) {
      rightsRoutes(app, service);
      rightsWorkerRoutes(app, service);
      rightsCheckupRoutes(app, service);
      rightsRiskRoutes(app, service);
    },
  };
}

export type RightsModule = ReturnType<typeof createRightsModule>;
