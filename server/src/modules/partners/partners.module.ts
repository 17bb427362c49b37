import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { partnersRoutes } from './partners.routes.js';
import { createPartnersService } from './partners.service.js';

export { PARTNER_SIGNATURE_DOC } from './partners.schema.js';

/** Partner platforms (一键入会): staff-managed accounts, signed requests, the partner API. */
export function createPartnersModule(ctx: ModuleContext) {
  const service = createPartnersService(ctx);
  return {
    service,
    /** Used by the access hook (modules/auth/access.ts) for routes declared `access: 'partner'`. */
    signing: service.signing,
    routes(app: App) {
      partnersRoutes(app, service);
    },
  };
}
