// The service catalogue and the one workflow engine every application runs on. An application
// moves only by transitions (submit, approve, return, resubmit, reject, transfer, withdraw,
// lottery win/lose); each is a versioned update plus a timeline event plus an audit row, in one
// transaction. The application keeps a snapshot of its type's definition from submission.
//
// The parts: applications.common.ts (shapes, pure helpers), .engine.ts (forms, plan, steps, events,
// creating), .present.ts (views), .types.ts (service types), .worker.ts (H5), .staff.ts (办理),
// .export.ts (xlsx, figures), .lottery.ts (draws), .queue.ts (待我处理).
import type { ApplicationStatusKey } from './applications.schema.js';
import type { ApplicationsCtx } from './applications.common.js';
import { createAttachmentUploads } from './applications.uploads.js';
import { createApplicationsQueue } from './applications.queue.js';
import { applicationsRepository as repo } from './applications.repository.js';
import { createApplicationsEngine } from './applications.engine.js';
import { createApplicationPresenters } from './applications.present.js';
import { createServiceTypes } from './applications.types.js';
import { createWorkerApplications } from './applications.worker.js';
import { createStaffApplications } from './applications.staff.js';
import { createApplicationsExport } from './applications.export.js';
import { createApplicationsLottery } from './applications.lottery.js';

export { CONFLICT_MESSAGE, asApplication, type AidPort, type Snapshot } from './applications.common.js';

export function createApplicationsService(ctx: ApplicationsCtx) {
  const e = createApplicationsEngine(ctx);
  const uploads = createAttachmentUploads({ db: e.db, clock: ctx.clock, audit: ctx.audit, files: ctx.files });
  const p = createApplicationPresenters(ctx, e);

  const service = {
    ...createServiceTypes(ctx, e),
    /** A worker's upload (H5), or a staff account's (entry on a member's behalf), within the uploader's quota. */
    upload: uploads.upload,
    /** Deletes uploads no application took within 24 hours (the hourly clean-up). */
    expireUnlinkedUploads: uploads.expireUnlinked,
    ...createWorkerApplications(ctx, e, p),
    ...createStaffApplications(ctx, e, p),
    ...createApplicationsExport(ctx, e, p),
    ...createApplicationsLottery(ctx, e),
  };

  // 待我处理 and batch approval (applications.queue.ts) over the single-item 办理.
  return Object.assign(service, createApplicationsQueue({ db: e.db, audit: ctx.audit, presentRow: p.presentRow, act: (...a) => service.act(...a) }));
}

export type ApplicationsService = ReturnType<typeof createApplicationsService>;
export type { ApplicationStatusKey };
