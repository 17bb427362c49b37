// The worker on H5: open activities, detail, enroll (the rush), own enrollments, cancel.
// Split out of activities.service.ts.
import { chinaDay, chinaMinute } from '../../platform/china-time.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { EnrollmentStatus } from '../../db/schema-activities.js';
import type { RequestMeta, WorkerActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { ACTIVITY_TYPE_LABELS, activityTypePlugin, type EnrollContext } from './activities.plugins.js';
import { activitiesRepository as repo, type ActivityRow, type BatchRow } from './activities.repository.js';
import { batchIneligibility, batchRule } from './activities.eligibility.js';
import { ACTIVITY_STATUSES, ENROLLMENT_STATUSES } from './activities.schema.js';
import {
  asDay,
  batchDto,
  eligibilityMember,
  enrollState,
  ineligibility,
  pluginActivity,
  pluginBatch,
  pluginMember,
  statusLabel,
  summaryDto,
  type Executor,
} from './activities.common.js';
import type { ActivitiesInternals } from './activities.core.js';

/** Activities kept for the enroll path at most (oldest first out). */
const ENROLL_ACTIVITIES_KEPT = 200;

export function createActivitiesWorker(ctx: ModuleContext, i: ActivitiesInternals) {
  const { db, claimGate, rush, clock, load, workerMember, activityForWorker, enrollmentDto, promote, smsPromoted } = i;
  // The rush reads the same activity and batches thousands of times: they are kept here with the
  // activity row's version and used only while each request's own statement (member, version, id)
  // still reads that version, so a request sees the activity as of its own read, as before; a
  // changed or unknown version costs one more round trip for the fresh rows.
  const activities = new Map<string, { version: string; activity: ActivityRow; batches: BatchRow[] }>();
  const enrollContext = async (workerId: string, activityId: string) => {
    const { version, enrollmentId, member } = await repo.enrollMember(db, workerId, activityId);
    let kept = version === null ? undefined : activities.get(activityId);
    if (version !== null && kept?.version !== version) {
      const fresh = await repo.enrollActivity(db, activityId);
      kept = fresh.activity && fresh.version ? { version: fresh.version, activity: fresh.activity, batches: fresh.batches } : undefined;
      activities.delete(activityId);
      if (kept) {
        if (activities.size >= ENROLL_ACTIVITIES_KEPT) activities.delete(activities.keys().next().value!);
        activities.set(activityId, kept);
      }
    }
    return { member, activity: kept?.activity, batches: kept?.batches ?? [], enrollmentId };
  };
  return {
    // ---------------- worker ----------------
    async openToWorker(worker: WorkerActor, q: { type?: string; page: number; pageSize: number }) {
      const m = await repo.workerMember(db, worker.workerId);
      if (!m) return { items: [], total: 0, serverTime: clock.now().toISOString() };
      const all = (await repo.openToPath(db, m.org_path, { type: q.type, limit: 500, offset: 0 })).filter((a) => !ineligibility(a, m));
      const page = all.slice(offsetOf(q), offsetOf(q) + q.pageSize);
      const batches = await repo.batchesOf(
        db,
        page.map((a) => a.id),
      );
      const mine = await repo.liveOfMany(
        db,
        page.map((a) => a.id),
        m.person_id,
      );
      const now = clock.now();
      return {
        total: all.length,
        // The phone counts down on the server's clock (as on the detail), never on its own.
        serverTime: now.toISOString(),
        items: page.map((a) => {
          const e = mine.find((x) => x.activity_id === a.id);
          return {
            ...summaryDto(a, a.org_name, batches.filter((b) => b.activity_id === a.id).map(batchDto)),
            enrollState: enrollState(a, now),
            myEnrollment: e ? { id: e.id, status: e.status, statusLabel: statusLabel(e.status, a.enrollment_mode) } : null,
          };
        }),
      };
    },

    async workerDetail(worker: WorkerActor, id: string) {
      const m = await workerMember(db, worker.workerId);
      const a = await activityForWorker(db, m, id);
      if (ineligibility(a, m)) throw notFound('活动');
      const d = await load(db, a);
      const now = clock.now();
      // Why a batch is not open to this worker, before they try (the same rule the enroll checks).
      const who = eligibilityMember(m);
      const today = chinaDay(now);
      const batches = d.batches.map((b) => ({ ...b, notOpenToMe: batchIneligibility(b.eligibility, who, today) }));
      const live = await repo.liveOf(db, a.id, m.person_id);
      let myEnrollment = null;
      if (live) {
        const e = (await repo.enrollment(db, live.id))!;
        const b = (await repo.batch(db, a.id, e.batch_id))!;
        myEnrollment = await enrollmentDto(db, e, a, b);
      }
      return {
        ...d,
        batches,
        serverTime: now.toISOString(),
        opensInMs: a.opens_at ? Math.max(0, a.opens_at.getTime() - now.getTime()) : 0,
        enrollState: enrollState(a, now),
        myEnrollment,
      };
    },

    /** The rush path: reads outside the transaction, then one short transaction (audit + claim-and-insert). */
    async enroll(worker: WorkerActor, meta: RequestMeta, id: string, input: { batchId?: string; details: Record<string, unknown> }) {
      const { member: m, activity: a, batches, enrollmentId } = await enrollContext(worker.workerId, id);
      if (!m) throw new AppError('VALIDATION_FAILED', '您还不是工会会员，入会后才能报名活动');
      if (!a || a.status === 'draft' || !m.org_path.startsWith(a.org_path)) throw notFound('活动');
      const why = ineligibility(a, m);
      if (why) throw new AppError('VALIDATION_FAILED', why);
      if (a.status !== 'published') throw new AppError('VALIDATION_FAILED', `活动${ACTIVITY_STATUSES[a.status]}，不能报名`);
      const now = clock.now();
      if (a.opens_at && now < a.opens_at) throw new AppError('VALIDATION_FAILED', `报名尚未开始，开始时间 ${chinaMinute(a.opens_at)}`);
      if ((a.closes_at && now >= a.closes_at) || a.lottery_drawn_at) throw new AppError('VALIDATION_FAILED', '报名已截止');
      let batch: BatchRow | undefined;
      if (input.batchId) batch = batches.find((b) => b.id === input.batchId);
      else if (batches.length === 1) batch = batches[0];
      else throw invalid({ batchId: '请选择批次' });
      if (!batch) throw notFound('批次');
      // The batch's own rules, from the member's record read with the activity (no extra round trip).
      const closed = batchIneligibility(batchRule(batch.eligibility), eligibilityMember(m), chinaDay(now));
      if (closed) throw new AppError('VALIDATION_FAILED', closed, { batchId: closed });

      const plugin = activityTypePlugin(a.type);
      let details = input.details;
      if (plugin?.detailsSchema) {
        const r = plugin.detailsSchema.safeParse(details);
        if (!r.success) {
          const fields: Record<string, string> = {};
          for (const issue of r.error.issues) fields[['details', ...issue.path.map(String)].join('.')] = issue.message;
          throw invalid(fields);
        }
        details = r.data as Record<string, unknown>;
      }
      const ectx: EnrollContext = {
        activity: pluginActivity(a),
        batch: pluginBatch(batch),
        member: pluginMember(m),
        personId: m.person_id,
        membershipId: m.membership_id,
        details,
        now,
      };
      const pool = plugin?.placePool?.(ectx) === 'priority' ? 'priority' : 'general';
      const familyCount = Math.max(0, Math.trunc(plugin?.familyPlaces?.(ectx) ?? 0));
      const base = {
        id: enrollmentId,
        activityId: a.id,
        batchId: batch.id,
        personId: m.person_id,
        membershipId: m.membership_id,
        workerId: worker.workerId,
        orgId: m.org_id,
        orgPath: m.org_path,
        pool,
        familyCount,
        details: JSON.stringify(details),
        now,
      } as const;

      // Type rules (e.g. once in N years) only read, so they run before the write; the write itself
      // is one statement — claim, enrollment and audit row — with no transaction round trips.
      if (plugin?.checkEligibility) await plugin.checkEligibility(db, ectx);
      const auditEntry = {
        ...auditActor(worker, meta),
        action: 'activity.enroll',
        targetType: 'activity_enrollment',
        orgId: a.org_id,
        outcome: 'success',
        detail: { activityId: a.id, batchId: batch.id, mode: a.enrollment_mode },
      } as const;
      const write = async (exec: Executor) => {
        const audit = ctx.audit.deferredInsertFrom('e', auditEntry);
        if (a.enrollment_mode !== 'fcfs') return repo.insertPending(exec, base, audit);
        let row: { id: string; status: EnrollmentStatus; position: number | null } | undefined;
        if (pool === 'priority') row = await repo.claimAndInsert(exec, { ...base, waitlistIfFull: false }, audit);
        return row ?? (await repo.claimAndInsert(exec, { ...base, pool: 'general', waitlistIfFull: true }, audit))!;
      };
      try {
        const reserve = plugin?.reserve;
        const row: { id: string; status: EnrollmentStatus; position?: number | null } = reserve
          ? await db.transaction().execute(async (trx) => {
              await reserve(trx, ectx);
              return write(trx);
            })
          : a.enrollment_mode === 'fcfs' && pool === 'general' && familyCount === 0
            ? // the rush: grouped with the other enrollments of this batch, one durable commit per group
              await rush(batch.id, { claim: base, audit: ctx.audit.deferredRow(auditEntry) })
            : await claimGate(batch.id, () => write(db));
        return this.enrollResult(a, batch, row.id, row.status, pool, familyCount, details, now, row.position ?? null);
      } catch (err) {
        if (isUniqueViolation(err, 'activity_enrollments_one_live')) throw conflict('您已报名该活动');
        throw err;
      }
    },

    enrollResult(
      a: ActivityRow,
      b: BatchRow,
      id: string,
      status: EnrollmentStatus,
      pool: 'general' | 'priority',
      familyCount: number,
      details: Record<string, unknown>,
      now: Date,
      position: number | null,
    ) {
      return {
        id,
        activity: { id: a.id, title: a.title, type: a.type, typeLabel: ACTIVITY_TYPE_LABELS[a.type] },
        batch: { id: b.id, title: b.title, startsOn: asDay(b.starts_on), endsOn: asDay(b.ends_on) },
        status,
        statusLabel: statusLabel(status, a.enrollment_mode),
        pool,
        familyCount,
        waitlistPosition: position,
        details,
        createdAt: now.toISOString(),
        enrolledAt: status === 'enrolled' ? now.toISOString() : null,
        promotedAt: null,
        cancelledAt: null,
        reason: null,
        canCancel: !a.cancel_deadline || now < a.cancel_deadline,
      };
    },

    async mine(worker: WorkerActor) {
      const rows = await repo.mine(db, worker.workerId);
      const items = [];
      for (const r of rows) {
        items.push(
          await enrollmentDto(
            db,
            r,
            { id: r.activity_id, title: r.activity_title, type: r.activity_type, enrollment_mode: 'fcfs', cancel_deadline: r.cancel_deadline },
            { title: r.batch_title, starts_on: r.batch_starts_on, ends_on: r.batch_ends_on },
          ),
        );
      }
      // pending reads 待抽签 for lottery activities
      const modes = new Map((await repo.modesOf(db, [...new Set(rows.map((r) => r.activity_id))])).map((x) => [x.id, x.enrollment_mode]));
      for (const it of items) if (it.status === 'pending') it.statusLabel = statusLabel('pending', modes.get(it.activity.id) ?? 'approval');
      return { items };
    },

    async mineOne(worker: WorkerActor, id: string) {
      const e = await repo.enrollmentOfWorker(db, worker.workerId, id);
      if (!e) throw notFound('报名记录');
      const a = (await repo.byId(db, e.activity_id))!;
      const b = (await repo.batch(db, a.id, e.batch_id))!;
      return enrollmentDto(db, e, a, b);
    },

    async cancel(worker: WorkerActor, meta: RequestMeta, id: string) {
      let promoted: { workerId: string | null; id: string }[] = [];
      let title = '';
      const out = await db.transaction().execute(async (trx) => {
        const e = await repo.enrollmentOfWorker(trx, worker.workerId, id, true);
        if (!e) throw notFound('报名记录');
        if (!['pending', 'enrolled', 'waitlisted'].includes(e.status))
          throw new AppError('VALIDATION_FAILED', `该报名当前为“${ENROLLMENT_STATUSES[e.status]}”，不能取消`);
        const a = (await repo.byId(trx, e.activity_id))!;
        title = a.title;
        const now = clock.now();
        if (a.cancel_deadline && now >= a.cancel_deadline)
          throw new AppError('VALIDATION_FAILED', `已过取消截止时间（${chinaMinute(a.cancel_deadline)}），不能取消`);
        const heldPlace = e.status === 'enrolled' && e.taken_pool;
        const updated = await repo.setEnrollment(trx, e.id, { status: 'cancelled', taken_pool: null, cancelled_at: now }, now);
        const entry = auditActor(worker, meta);
        // Lock order everywhere: the batch row first, then the audit chain (no deadlock with a review).
        if (heldPlace) {
          await repo.release(trx, e.batch_id, e.taken_pool!, e.family_count);
          if (a.status === 'published') promoted = await promote(trx, entry, a, e.batch_id);
        }
        await ctx.audit.append(trx, {
          ...entry,
          action: 'activity.enroll.cancel',
          targetType: 'activity_enrollment',
          targetId: e.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { activityId: a.id, batchId: e.batch_id, from: e.status, promoted: promoted.map((p) => p.id) },
        });
        const b = (await repo.batch(trx, a.id, e.batch_id))!;
        return enrollmentDto(trx, updated, a, b);
      });
      await smsPromoted({ title }, promoted);
      return out;
    },
  };
}
