import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import type { AidModule } from '../aid/aid.module.js';
import type { HardshipModule } from '../hardship/hardship.module.js';
import { createLocalFileStore, localFilesRoot, type FileStore } from './applications.files.js';
import { createApplicationsService, type AidPort } from './applications.service.js';
import { applicationsRoutes } from './applications.routes.js';
import { jobsOf } from '../../platform/jobs.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

// Worker services: the service catalogue and the one workflow engine every application runs on (issue 4).
export function createApplicationsModule(
  ctx: ModuleContext & { aid: AidModule['service']; hardship: HardshipModule['service'] },
  opts: { files?: FileStore } = {},
) {
  const files = opts.files ?? createLocalFileStore(localFilesRoot(ctx.config.dataDir));
  const service = createApplicationsService({ ...ctx, aid: ctx.aid as unknown as AidPort, files });

  // Overdue reminders: at start and then daily; each overdue step is reminded once.
  jobsOf(ctx).every('application reminders', DAY_MS, () => service.sendReminders(), { atStart: true });
  // Uploads no application took within 24 hours: at start and then hourly (issue 9, orphan uploads).
  jobsOf(ctx).every('orphan upload cleanup', HOUR_MS, () => service.expireUnlinkedUploads(), { atStart: true });

  return {
    service,
    files,
    routes(app: App) {
      applicationsRoutes(app, service);
    },
  };
}

export type ApplicationsModule = ReturnType<typeof createApplicationsModule>;
