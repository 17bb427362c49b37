import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { createLocalFileStore, localFilesRoot, type FileStore } from '../applications/applications.files.js';
import { createNoticeFiles } from './notices.files.js';
import { createNoticesService } from './notices.service.js';
import { createNewsService } from './news.service.js';
import { newsRoutes, noticesRoutes } from './notices.routes.js';

// 通知公告 down the tree and 资讯 to workers (issue 15 items 6–7, decision 025). Files go to the same
// store as the service applications' attachments (DATA_DIR/files, in the backups).
export function createNoticesModule(ctx: ModuleContext, opts: { files?: FileStore } = {}) {
  const store = opts.files ?? createLocalFileStore(localFilesRoot(ctx.config.dataDir));
  const files = createNoticeFiles({ db: ctx.database.db, clock: ctx.clock, audit: ctx.audit, files: store });
  const service = createNoticesService(ctx, files);
  const news = createNewsService(ctx, files);
  return {
    service,
    news,
    files,
    routes(app: App) {
      noticesRoutes(app, service, files);
      newsRoutes(app, news);
    },
  };
}

export type NoticesModule = ReturnType<typeof createNoticesModule>;
