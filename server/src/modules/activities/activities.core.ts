// The activities service's shared internals: scoped reads, the worker's member row, enrollment
// views, waitlist promotion, and the core the type plugins use. Split out of activities.service.ts.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ActivityEnrollment } from '../../db/schema-activities.js';
import type { StaffActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { ACTIVITY_TYPE_LABELS, activityTypePlugin, type ActivitiesCore, type Trx } from './activities.plugins.js';
import { activitiesRepository as repo, type ActivityRow } from './activities.repository.js';
import { keyedGate } from '../../platform/gate.js';
import { rushGroups } from './activities.rush.js';
import {
  CLAIMS_PER_BATCH,
  H5_ENROLLMENTS,
  asDay,
  detailDto,
  iso,
  pluginActivity,
  pluginMember,
  statusLabel,
  type Executor,
  type MemberRow,
} from './activities.common.js';

export function createActivitiesInternals(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  // A few enroll statements per batch in PostgreSQL at once; the rest queue here (platform/gate.ts).
  const claimGate = keyedGate(CLAIMS_PER_BATCH);
  // The fcfs general pool: enrollments of a batch go in as groups, one durable commit each (activities.rush.ts).
  const rush = rushGroups(db);
  const clock = ctx.clock;

  async function load(exec: Executor, a: ActivityRow) {
    const [orgName, batches] = [await repo.orgName(exec, a.org_id), await repo.batchesOf(exec, [a.id])];
    return detailDto(a, orgName, batches);
  }

  async function inScope(exec: Executor, actor: StaffActor, id: string, forUpdate = false) {
    const a = await repo.byIdInScope(exec, actor.orgPath, id, forUpdate);
    if (!a) throw notFound('活动');
    return a;
  }

  function validateSettings(type: ActivityRow['type'], settings: Record<string, unknown>) {
    const p = activityTypePlugin(type);
    if (!p?.settingsSchema) return settings;
    const r = p.settingsSchema.safeParse(settings);
    if (!r.success) {
      const fields: Record<string, string> = {};
      for (const issue of r.error.issues) fields[['settings', ...issue.path.map(String)].join('.')] = issue.message;
      throw invalid(fields);
    }
    return r.data as Record<string, unknown>;
  }

  async function workerMember(exec: Executor, workerId: string) {
    const m = await repo.workerMember(exec, workerId);
    if (!m) throw new AppError('VALIDATION_FAILED', '您还不是工会会员，入会后才能报名活动');
    return m;
  }

  /** The activity as a worker may see it (published or closed, open to their union, eligible). */
  async function activityForWorker(exec: Executor, m: MemberRow, id: string) {
    const a = await repo.byId(exec, id);
    if (!a || a.status === 'draft' || !m.org_path.startsWith(a.org_path)) throw notFound('活动');
    return a;
  }

  async function enrollmentDto(
    exec: Executor,
    e: ActivityEnrollment,
    a: Pick<ActivityRow, 'id' | 'title' | 'type' | 'enrollment_mode' | 'cancel_deadline'>,
    b: { title: string; starts_on: unknown; ends_on: unknown },
  ) {
    const now = clock.now();
    return {
      id: e.id,
      activity: { id: a.id, title: a.title, type: a.type, typeLabel: ACTIVITY_TYPE_LABELS[a.type] },
      batch: { id: e.batch_id, title: b.title, startsOn: asDay(b.starts_on as string | null), endsOn: asDay(b.ends_on as string | null) },
      status: e.status,
      statusLabel: statusLabel(e.status, a.enrollment_mode),
      pool: e.pool,
      familyCount: e.family_count,
      waitlistPosition: e.status === 'waitlisted' ? await repo.waitlistPosition(exec, e) : null,
      details: e.details,
      createdAt: iso(e.created_at)!,
      enrolledAt: iso(e.enrolled_at),
      promotedAt: iso(e.promoted_at),
      cancelledAt: iso(e.cancelled_at),
      reason: e.reason,
      canCancel: ['pending', 'enrolled', 'waitlisted'].includes(e.status) && (!a.cancel_deadline || now < a.cancel_deadline),
    };
  }

  async function staffEnrollment(exec: Executor, e: ActivityEnrollment) {
    const a = (await repo.byId(exec, e.activity_id))!;
    const b = (await repo.batch(exec, e.activity_id, e.batch_id))!;
    const p = await exec.selectFrom('people').select(['id', 'name', 'id_masked', 'phone_masked']).where('id', '=', e.person_id).executeTakeFirstOrThrow();
    return {
      ...(await enrollmentDto(exec, e, a, b)),
      person: { id: p.id, name: p.name, idMasked: p.id_masked, phoneMasked: p.phone_masked },
      org: { id: e.org_id, name: await repo.orgName(exec, e.org_id) },
      drawRank: e.draw_rank,
    };
  }

  /**
   * A place was freed in a batch: promote waitlisted people in order while places last (a person
   * whose family places do not fit is skipped, keeping their position). Returns who was promoted.
   */
  async function promote(trx: Trx, actorEntry: ReturnType<typeof auditActor>, a: ActivityRow, batchId: string) {
    const promoted: { workerId: string | null; id: string }[] = [];
    const head = await repo.waitlistHead(trx, batchId, 20);
    for (const w of head) {
      let pool: 'general' | 'priority' | null = null;
      if (w.pool === 'priority' && (await repo.claim(trx, batchId, 'priority', w.family_count))) pool = 'priority';
      else if (await repo.claim(trx, batchId, 'general', w.family_count)) pool = 'general';
      if (!pool) continue;
      const now = clock.now();
      // The head was read `for update`, so it is still waitlisted; anything else is a bug.
      if (!(await repo.promoteEnrollment(trx, w.id, pool, now))) throw new Error(`enrollment ${w.id} is no longer waitlisted`);
      await ctx.audit.append(trx, {
        ...actorEntry,
        action: 'activity.enroll.promote',
        targetType: 'activity_enrollment',
        targetId: w.id,
        orgId: a.org_id,
        outcome: 'success',
        detail: { activityId: a.id, batchId },
      });
      if (w.worker_id) {
        await ctx.messages.send(
          trx,
          { workerId: w.worker_id },
          { title: '候补成功：您已获得活动名额', body: `您候补的活动“${a.title}”有名额空出，您已报名成功。`, link: H5_ENROLLMENTS, category: 'activity' },
        );
      }
      promoted.push({ workerId: w.worker_id, id: w.id });
      break;
    }
    return promoted;
  }

  async function smsPromoted(a: { title: string }, promoted: { workerId: string | null }[]) {
    for (const p of promoted) await ctx.messages.smsWorker(p.workerId, `您候补的活动“${a.title}”有名额空出，您已报名成功，请登录智慧工会查看。`);
  }

  const core: ActivitiesCore = {
    ctx,
    async activityForStaff(trx, actor, activityId) {
      return pluginActivity(await inScope(trx, actor, activityId));
    },
    async workerMember(trx, workerId) {
      return pluginMember(await workerMember(trx, workerId));
    },
    async liveEnrollment(trx, activityId, personId) {
      const r = await repo.liveOf(trx, activityId, personId);
      return r ? { id: r.id, batchId: r.batch_id, status: r.status } : null;
    },
    async markAttended(trx, enrollmentId) {
      const e = await repo.enrollment(trx, enrollmentId, true);
      if (!e) throw notFound('报名记录');
      if (e.status === 'attended') return;
      if (e.status !== 'enrolled' && e.status !== 'no_show') throw new AppError('VALIDATION_FAILED', '该报名未获得名额，不能签到');
      await repo.setEnrollment(trx, e.id, { status: 'attended' }, clock.now());
    },
  };

  return {
    db,
    claimGate,
    rush,
    clock,
    load,
    inScope,
    validateSettings,
    workerMember,
    activityForWorker,
    enrollmentDto,
    staffEnrollment,
    promote,
    smsPromoted,
    core,
  };
}

export type ActivitiesInternals = ReturnType<typeof createActivitiesInternals>;
