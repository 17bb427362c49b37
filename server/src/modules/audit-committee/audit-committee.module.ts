import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { auditCommitteeRoutes } from './audit-committee.routes.js';
import { createAuditCommitteeService } from './audit-committee.service.js';

// 经费审查 (issue 17, decision 031): the audit committee's projects, findings and 整改 to closure.
export function createAuditCommitteeModule(ctx: ModuleContext) {
  const service = createAuditCommitteeService(ctx);
  return {
    service,
    routes(app: App) {
      auditCommitteeRoutes(app, service);
    },
  };
}
