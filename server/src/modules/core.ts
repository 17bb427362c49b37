import type { FastifyBaseLogger } from 'fastify';
import type { App, AppDeps } from '../platform/context.js';
import type { ModuleContext } from './module-context.js';
import { createAuditService } from './audit/audit.service.js';
import { auditRoutes } from './audit/audit.routes.js';
import { anchorFileFor } from './audit/audit.anchors.js';
import { createOrgsService } from './orgs/orgs.service.js';
import { orgsRoutes } from './orgs/orgs.routes.js';
import { createAuthService } from './auth/auth.service.js';
import { authRoutes } from './auth/auth.routes.js';
import { createAccountsService } from './auth/accounts.service.js';
import { accountsRoutes } from './auth/accounts.routes.js';
import { createMembersService } from './members/members.service.js';
import { membersRoutes } from './members/members.routes.js';
import { createMembersWorkerService } from './members/members.worker.js';
import { createMembersClaimService } from './members/members.claim.js';
import { membersClaimRoutes } from './members/members.claim.routes.js';
import { createMessagesService } from './messages/messages.service.js';
import { messagesRoutes } from './messages/messages.routes.js';
import { createHolidaysService } from './holidays/holidays.service.js';
import { holidaysRoutes } from './holidays/holidays.routes.js';
import { createJoiningService } from './joining/joining.service.js';
import { joiningRoutes } from './joining/joining.routes.js';

// The core every feature module builds on — the audit trail, the org tree, sign-in and accounts, the
// roll, messages, the working-day calendar, joining — built in dependency order. Each comes out as a
// module of the same shape as a feature module ({ service, routes(app) }), so app.ts registers them
// all the same way and no module imports from app.ts.
export function createCoreModules(deps: AppDeps, log: FastifyBaseLogger) {
  // Keyed with GONGHUI_AUDIT_KEY; its heads are anchored in DATA_DIR (main.ts starts the anchoring; decision 011).
  const audit = createAuditService({
    db: deps.database.db,
    clock: deps.clock,
    key: deps.config.secrets.auditKey,
    anchorFile: anchorFileFor(deps.config.dataDir),
  });
  const orgs = createOrgsService({ ...deps, audit });
  const auth = createAuthService({ ...deps, audit });
  const accounts = createAccountsService({ ...deps, audit, orgs });
  const members = createMembersService({ ...deps, audit, orgs });
  const messages = createMessagesService(deps);
  const holidays = createHolidaysService({ ...deps, audit });
  const joining = createJoiningService({ ...deps, audit, orgs, members, messages, holidays });
  // The worker's own side of the roll (members.worker.ts): the H5's 当前职工 shows the member status.
  const roll = createMembersWorkerService({ db: deps.database.db, audit });
  const context: ModuleContext = { ...deps, audit, orgs, members, joining, messages, holidays, log };
  const modules = {
    audit: { service: audit, routes: (app: App) => auditRoutes(app, { audit, orgs }) },
    orgs: { service: orgs, routes: (app: App) => orgsRoutes(app, { orgs }) },
    auth: { service: auth, routes: (app: App) => authRoutes(app, { auth, memberStatusOfWorker: (workerId) => roll.memberStatusOfWorker(workerId) }, deps) },
    accounts: { service: accounts, routes: (app: App) => accountsRoutes(app, { accounts }) },
    members: {
      service: members,
      routes: (app: App) => {
        membersRoutes(app, { members });
        membersClaimRoutes(app, createMembersClaimService({ ...deps, db: deps.database.db, audit }));
      },
    },
    joining: { service: joining, routes: (app: App) => joiningRoutes(app, { joining, orgs }) },
    messages: { service: messages, routes: (app: App) => messagesRoutes(app, messages) },
    holidays: { service: holidays, routes: (app: App) => holidaysRoutes(app, holidays) },
  };
  return { context, modules };
}

export type CoreModules = ReturnType<typeof createCoreModules>['modules'];
