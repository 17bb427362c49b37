import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../platform/context.js';
import type { AuditService } from './audit/audit.service.js';
import type { JoiningService } from './joining/joining.service.js';
import type { MembersService } from './members/members.service.js';
import type { OrgsService } from './orgs/orgs.service.js';
import type { MessagesService } from './messages/messages.service.js';
import type { HolidaysService } from './holidays/holidays.service.js';
import type { Jobs, JobTimings } from '../platform/jobs.js';

/** What a feature module gets: the app's dependencies and the core services it builds on. */
export type ModuleContext = AppDeps & {
  audit: AuditService;
  orgs: OrgsService;
  members: MembersService;
  joining: JoiningService;
  messages: MessagesService;
  /** The working-day calendar every SLA counts with. */
  holidays: HolidaysService;
  /** The server's log (app.log); lines written during a request carry its id (platform/request-context.ts). */
  log?: FastifyBaseLogger;
  /**
   * Background work (decision 037): periodic tasks and work queues, on pg-boss with PostgreSQL, in
   * this process on PGlite. Absent in a service built outside the app (tests, the bench): it then
   * runs its work in this process.
   */
  jobs?: Jobs;
  jobTimings?: JobTimings;
};
