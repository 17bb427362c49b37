// Extension point for activity types (疗休养, 暑托班, 技能竞赛, 培训/宣讲, 知识竞赛, 交友).
//
// The core (activities.service.ts) owns activities, batches, places, enrollment modes, the waitlist
// and the rush. A type plugin adds what is specific to its type:
//   - settingsSchema: validates `activity.settings` (a JSON object) on create / update;
//   - detailsSchema:  validates the enrollment's `details` (child, family members, …) on enroll;
//   - checkEligibility: extra rules, read-only, just before the enroll statement (throw AppError with a Chinese message);
//   - reserve: rules that write (and roll back with the enrollment), in one transaction with the enroll statement;
//   - placePool / familyPlaces: which place pool the enrollment takes, and how many family places;
//   - private: participants never see each other (交友) — the core never lists other participants to workers anyway;
//   - routes: the type's own routes (check-in, attendance, rounds, quiz…), given the core helpers.
//
// Plugins are listed in `activity-types.ts` in this folder (owned by the activity types helper),
// which exports `activityTypePlugins: ActivityTypePlugin[]`; activities.module.ts registers them at
// start. `registerActivityType` may also be called directly (tests).
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import type { App, StaffActor } from '../../platform/context.js';
import type { ModuleContext } from '../module-context.js';

export const ACTIVITY_TYPES = ['recuperation', 'childcare', 'contest', 'training', 'quiz', 'social', 'lecture', 'other'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  recuperation: '疗休养',
  childcare: '暑托班',
  contest: '技能竞赛',
  training: '培训',
  quiz: '知识竞赛',
  social: '交友联谊',
  lecture: '宣讲',
  other: '其他活动',
};

export type PlacePool = 'general' | 'priority' | 'family';

/** The activity as plugins see it (camelCase, money as strings in 元). */
export interface PluginActivity {
  id: string;
  orgId: string;
  orgPath: string;
  type: ActivityType;
  title: string;
  enrollmentMode: 'fcfs' | 'lottery' | 'approval';
  startsOn: string | null;
  endsOn: string | null;
  settings: Record<string, unknown>;
}

export interface PluginBatch {
  id: string;
  activityId: string;
  title: string;
  startsOn: string | null;
  endsOn: string | null;
  placesGeneral: number;
  placesPriority: number;
  placesFamily: number;
  /** Family members one enrollment may bring (0 = none), within placesFamily. */
  familyPerPerson: number;
}

/** The enrolling member's active membership (flags for priority groups). */
export interface PluginMember {
  personId: string;
  membershipId: string;
  orgId: string;
  orgPath: string;
  employmentForm: string;
  isModelWorker: boolean;
  isMigrantWorker: boolean;
}

export interface EnrollContext {
  activity: PluginActivity;
  batch: PluginBatch;
  member: PluginMember;
  personId: string;
  membershipId: string;
  /** Already parsed by detailsSchema (or {} when the type has none). */
  details: Record<string, unknown>;
  now: Date;
}

export type Trx = Transaction<DB>;
export type Executor = Kysely<DB> | Transaction<DB>;

/** Helpers the core hands to a plugin's routes. All staff lookups are scoped to the actor's subtree (404 otherwise). */
export interface ActivitiesCore {
  ctx: ModuleContext;
  /** The activity if `actor` may see it (activity's org in actor's subtree), else throws notFound(). */
  activityForStaff(trx: Trx, actor: StaffActor, activityId: string): Promise<PluginActivity>;
  /** The signed-in worker's person + active membership, or throws AppError (未找到会员身份). */
  workerMember(trx: Trx, workerId: string): Promise<PluginMember>;
  /** The worker's live enrollment in an activity (status pending/enrolled/waitlisted/attended/no_show) or null. */
  liveEnrollment(trx: Trx, activityId: string, personId: string): Promise<{ id: string; batchId: string; status: string } | null>;
  /** Marks an enrollment attended (e.g. a session QR scan). Idempotent for an attended enrollment. */
  markAttended(trx: Trx, enrollmentId: string): Promise<void>;
}

export interface ActivityTypePlugin {
  type: ActivityType;
  /** Validates activity.settings for this type on create/update (output is stored). */
  settingsSchema?: z.ZodType;
  /** Validates the enrollment's details (child, family members…); output is stored as enrollment.details. */
  detailsSchema?: z.ZodType;
  /**
   * Throws AppError (Chinese message) when the person may not enroll. Reads only: it runs just before
   * the single enroll statement (docs/decisions/008), not inside a transaction.
   */
  checkEligibility?(db: Executor, ctx: EnrollContext): Promise<void>;
  /**
   * Rules that write and must commit or roll back with the enrollment (one class per child per
   * season): when a type has it, it runs in a transaction that also holds the enroll statement.
   */
  reserve?(trx: Trx, ctx: EnrollContext): Promise<void>;
  /** Which place pool this enrollment takes (default 'general'). 'priority' falls back to general places when the reserved ones are gone. */
  placePool?(ctx: EnrollContext): PlacePool;
  /** How many family-quota places the enrollment takes besides the member's own (default 0). */
  familyPlaces?(ctx: EnrollContext): number;
  /** Participants hidden from each other (交友). */
  private?: boolean;
  /** The type's own routes. Every route declares config.access and has a cross-org case. */
  routes?(app: App, core: ActivitiesCore): void;
}

const registry = new Map<ActivityType, ActivityTypePlugin>();

export function registerActivityType(p: ActivityTypePlugin): void {
  registry.set(p.type, p);
}

export function activityTypePlugin(type: ActivityType): ActivityTypePlugin | undefined {
  return registry.get(type);
}

export function registeredActivityTypes(): ActivityTypePlugin[] {
  return [...registry.values()];
}
