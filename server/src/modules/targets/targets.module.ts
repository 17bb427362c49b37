import type { App } from '../../platform/context.js';
import { createLocalFileStore, localFilesRoot, type FileStore } from '../applications/applications.files.js';
import { createTargetFiles } from './targets.files.js';
import { targetsRoutes } from './targets.routes.js';
import { createSchemeService } from './targets.scheme.js';
import { createTargetsService, type TargetsContext } from './targets.service.js';

// 目标考核 (issue 15 item 4): yearly targets bound to indicators, cascaded down the tree, and 工作质效评价.
export function createTargetsModule(ctx: TargetsContext & { files?: FileStore }) {
  const service = createTargetsService(ctx);
  const schemes = createSchemeService(ctx);
  const files = createTargetFiles(ctx, ctx.files ?? createLocalFileStore(localFilesRoot(ctx.config.dataDir)), schemes);
  return {
    service,
    schemes,
    routes(app: App) {
      targetsRoutes(app, service, schemes, files);
    },
  };
}

export type TargetsModule = ReturnType<typeof createTargetsModule>;
