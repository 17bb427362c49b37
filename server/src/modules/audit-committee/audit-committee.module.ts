import type { App } from '../../platform/context.js';
import { createLocalFileStore, localFilesRoot, type FileStore } from '../applications/applications.files.js';
import type { ModuleContext } from '../module-context.js';
import { createAuditPapers } from './audit-committee.papers.js';
import { auditCommitteeRoutes } from './audit-committee.routes.js';
import { createAuditCommitteeService } from './audit-committee.service.js';

// 经费审查 (issue 17, decisions 031, 034): the audit committee's projects, findings and 整改 to closure, working papers.
export function createAuditCommitteeModule(ctx: ModuleContext & { files?: FileStore }) {
  const service = createAuditCommitteeService(ctx);
  const papers = createAuditPapers(ctx, ctx.files ?? createLocalFileStore(localFilesRoot(ctx.config.dataDir)));
  return {
    service,
    papers,
    routes(app: App) {
      auditCommitteeRoutes(app, service, papers);
    },
  };
}
