import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';

// Scaffolding: filled in by the cards work (issue 3).
export function createCardsModule(ctx: ModuleContext) {
  void ctx;
  return {
    routes(app: App) {
      void app;
    },
  };
}
