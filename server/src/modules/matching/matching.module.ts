import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';

// Scaffolding: filled in by the matching work (issue 3).
export function createMatchingModule(ctx: ModuleContext) {
  void ctx;
  return {
    routes(app: App) {
      void app;
    },
  };
}
