import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { cardsRoutes } from './cards.routes.js';
import { createCardsService } from './cards.service.js';

/** 电子会员卡: the worker's card and the public check of its QR code. */
export function createCardsModule(ctx: ModuleContext) {
  const service = createCardsService(ctx);
  return {
    service,
    routes(app: App) {
      cardsRoutes(app, service);
    },
  };
}
