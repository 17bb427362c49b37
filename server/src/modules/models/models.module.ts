import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { createModelsService } from './models.service.js';
import { modelsRoutes } from './models.routes.js';
import { modelsIoRoutes } from './models.io.js';
import { createBoard, type BoardCtx } from './models.board.js';
import { modelsBoardRoutes } from './models.board.routes.js';
import { createLectures, type LecturesCtx } from './models.lectures.js';

// 劳模工匠 (issue 16): the honours register with entitlements and the grants ledger, its xlsx import;
// 创新工作室 and the problem board 助企行 (enterprises come from modules/enterprises' service).
export function createModelsModule(ctx: ModuleContext & { enterprises: BoardCtx['enterprises']; activities: LecturesCtx['activities'] }) {
  const service = createModelsService(ctx);
  const board = createBoard(ctx);
  const lectures = createLectures(ctx);
  return {
    service,
    board,
    lectures,
    routes(app: App) {
      modelsRoutes(app, service);
      modelsIoRoutes(app, ctx, service);
      modelsBoardRoutes(app, board, lectures);
    },
  };
}

export type ModelsModule = ReturnType<typeof createModelsModule>;
