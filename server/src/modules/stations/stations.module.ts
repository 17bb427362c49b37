import type { App } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';
import { createStationsService, type StationsDeps } from './stations.service.js';
import { createCardsService } from '../cards/cards.service.js';
import { createStationFigures } from './stations.figures.js';
import { stationsRoutes } from './stations.routes.js';
import { stationsIoRoutes } from './stations.io.js';
import { createStationPhotos } from './stations.photos.js';
import { stationPhotosRoutes } from './stations.photos.routes.js';
import { createLocalFileStore, localFilesRoot, type FileStore } from '../applications/applications.files.js';
import { jobsOf } from '../../platform/jobs.js';

// 阵地 (issue 14): the register of service sites, standards / 验收 / 星级, photos, visits, the H5's 附近驿站, figures.
// `logConsultation` is modules/rights' function that logs a consultation (a 维权咨询 given at a site becomes one).
export function createStationsModule(ctx: ModuleContext & { logConsultation?: StationsDeps['logConsultation'] }, opts: { files?: FileStore } = {}) {
  const cards = createCardsService(ctx);
  const files = opts.files ?? createLocalFileStore(localFilesRoot(ctx.config.dataDir));
  const photos = createStationPhotos(ctx, files);
  // A card's person as a blind index: the visit tells the same card again without keeping who it was.
  const verifyCard: StationsDeps['verifyCard'] = async (token) => {
    const { check, personId } = await cards.identify(token);
    return check.valid && personId
      ? { ...check, visitorKey: ctx.crypto.blindIndex(personId, 'station-card-visitor:') }
      : { valid: false, reason: check.valid ? '二维码无效' : check.reason };
  };
  const service = createStationsService(ctx, { verifyCard, logConsultation: ctx.logConsultation, photos });
  const figures = createStationFigures(ctx);
  // Due inspections are reminded at start and then daily (like the hardship yearly reviews).
  jobsOf(ctx).every('station inspection reminders', 86_400_000, () => service.sendInspectionReminders(), { atStart: true });
  return {
    service,
    photos,
    routes(app: App) {
      stationsRoutes(app, service, figures, ctx.config);
      stationsIoRoutes(app, ctx, service);
      stationPhotosRoutes(app, photos);
    },
  };
}

export type StationsModule = ReturnType<typeof createStationsModule>;
