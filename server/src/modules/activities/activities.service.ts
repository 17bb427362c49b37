// Activities and enrollment: the common core of every activity type (issue 5). Places are held by
// the database (see 011_activities.ts); this service decides who may enroll, in which mode, and keeps
// the waitlist moving.
//
// The parts: activities.common.ts (DTOs, checks), .core.ts (shared internals, the plugin core),
// .manage.ts (activities), .draw.ts (lottery), .staff.ts (enrollments, figures), .worker.ts (H5).
import type { ModuleContext } from '../module-context.js';
import { createActivitiesInternals } from './activities.core.js';
import { activitiesRepository } from './activities.repository.js';
import { createActivitiesManagement } from './activities.manage.js';
import { createActivitiesDraw } from './activities.draw.js';
import { createActivitiesStaff } from './activities.staff.js';
import { createActivitiesWorker } from './activities.worker.js';

export type { BatchDto } from './activities.common.js';

export function createActivitiesService(ctx: ModuleContext) {
  const i = createActivitiesInternals(ctx);
  return {
    core: i.core,
    ...createActivitiesManagement(ctx, i),
    ...createActivitiesDraw(ctx, i),
    ...createActivitiesStaff(ctx, i),
    ...createActivitiesWorker(ctx, i),
  };
}

export type ActivitiesService = ReturnType<typeof createActivitiesService>;
