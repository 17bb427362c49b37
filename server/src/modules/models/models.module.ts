import type { App } from '../../platform/context.js';
import { createLocalFileStore, localFilesRoot, type FileStore } from '../applications/applications.files.js';
import type { HardshipService } from '../hardship/hardship.service.js';
import type { ModuleContext } from '../module-context.js';
import { createModelsService } from './models.service.js';
import { modelsRoutes } from './models.routes.js';
import { modelsIoRoutes } from './models.io.js';
import { createBoard, type BoardCtx } from './models.board.js';
import { modelsBoardRoutes } from './models.board.routes.js';
import { createLectures, type LecturesCtx } from './models.lectures.js';
import { createPoints } from './models.points.js';
import { createStudioReview } from './models.studio-review.js';
import { createCompetitions } from './models.competitions.js';
import { modelsPointsRoutes } from './models.points.routes.js';

// 劳模工匠 (issue 16): the honours register with entitlements and the grants ledger, its xlsx import;
// 创新工作室 and the problem board 助企行 (enterprises come from modules/enterprises' service);
// 创新成果积分, studio evaluations and evidence files, the competition catalogue (decision 033).
export function createModelsModule(
  ctx: ModuleContext & {
    enterprises: BoardCtx['enterprises'];
    activities: LecturesCtx['activities'];
    hardship?: Pick<HardshipService, 'filesOfIdIndex'>;
    files?: FileStore;
  },
) {
  const points = createPoints(ctx);
  const review = createStudioReview(ctx, ctx.files ?? createLocalFileStore(localFilesRoot(ctx.config.dataDir)));
  const competitions = createCompetitions(ctx);
  const service = createModelsService(ctx, {
    pointsByYear: points.personYears,
    skillResults: competitions.results,
    ...(ctx.hardship && { hardshipFiles: ctx.hardship.filesOfIdIndex }),
  });
  const board = createBoard(ctx, { points, review });
  const lectures = createLectures(ctx);
  return {
    service,
    board,
    lectures,
    points,
    review,
    competitions,
    routes(app: App) {
      modelsRoutes(app, service);
      modelsIoRoutes(app, ctx, service);
      modelsBoardRoutes(app, board, lectures);
      modelsPointsRoutes(app, { points, review, competitions });
    },
  };
}

export type ModelsModule = ReturnType<typeof createModelsModule>;
