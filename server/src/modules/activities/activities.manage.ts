// Staff: list, read, create, edit and move activities through their states. Split out of activities.service.ts.
import { randomBytes } from 'node:crypto';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { activityTypePlugin } from './activities.plugins.js';
import { activitiesRepository as repo } from './activities.repository.js';
import { familyPlacesProblems } from './activities.eligibility.js';
import { ACTIVITY_STATUSES, type CreateActivityInput, type UpdateActivityInput } from './activities.schema.js';
import { H5_ENROLLMENTS, asDay, batchDto, batchRow, checkBatches, sharesOf, summaryDto } from './activities.common.js';
import type { ActivitiesInternals } from './activities.core.js';

export function createActivitiesManagement(ctx: ModuleContext, i: ActivitiesInternals) {
  const { db, clock, load, inScope, validateSettings } = i;
  return {
    // ---------------- staff: activities ----------------
    async list(
      actor: StaffActor,
      q: { type?: string; status?: string; mode?: string; orgId?: string; q?: string; from?: string; to?: string; page: number; pageSize: number },
    ) {
      let orgPath: string | undefined;
      if (q.orgId) {
        const o = await ctx.orgs.findInScope(actor, q.orgId);
        if (!o) throw notFound('组织');
        orgPath = o.path;
      }
      const r = await repo.list(db, actor.orgPath, { ...q, orgPath, limit: q.pageSize, offset: offsetOf(q) });
      const batches = await repo.batchesOf(
        db,
        r.items.map((a) => a.id),
      );
      return {
        total: r.total,
        items: r.items.map((a) => summaryDto(a, a.org_name, batches.filter((b) => b.activity_id === a.id).map(batchDto))),
      };
    },

    async get(actor: StaffActor, id: string) {
      return load(db, await inScope(db, actor, id));
    },

    async create(actor: StaffActor, meta: RequestMeta, input: CreateActivityInput) {
      checkBatches(input, input.type);
      const shares = sharesOf(input, { union: 0, personal: 0 }) ?? { union_share_fen: 0, personal_share_fen: 0, cost_per_person: '0.00' };
      const settings = validateSettings(input.type, input.settings);
      if (input.enrollmentMode === 'lottery' && !input.closesAt) throw invalid({ closesAt: '抽签报名须设置报名截止时间' });
      return db.transaction().execute(async (trx) => {
        const orgId = input.orgId ?? actor.orgId;
        const org = await repo.orgInScope(trx, actor.orgPath, orgId);
        if (!org) throw notFound('组织');
        const now = clock.now();
        const a = await repo.insert(trx, {
          org_id: org.id,
          org_path: org.path,
          type: input.type,
          title: input.title,
          description: input.description,
          locations: JSON.stringify(input.locations),
          starts_on: input.startsOn ?? null,
          ends_on: input.endsOn ?? null,
          ...shares,
          budget: input.budget,
          eligibility: JSON.stringify(input.eligibility),
          enrollment_mode: input.enrollmentMode,
          opens_at: input.opensAt ?? null,
          closes_at: input.closesAt ?? null,
          cancel_deadline: input.cancelDeadline ?? null,
          contact_name: input.contactName ?? null,
          contact_phone: input.contactPhone ?? null,
          settings: JSON.stringify(settings),
          created_by: actor.accountId,
          created_at: now,
          updated_at: now,
        });
        for (const [i, b] of input.batches.entries()) await repo.insertBatch(trx, a.id, batchRow(b, i));
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.create',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { title: a.title, type: a.type, mode: a.enrollment_mode, batches: input.batches.length },
        });
        return load(trx, a);
      });
    },

    async update(actor: StaffActor, meta: RequestMeta, id: string, input: UpdateActivityInput) {
      return db.transaction().execute(async (trx) => {
        const a = await inScope(trx, actor, id, true);
        if (a.version !== input.version) throw conflict();
        if (a.status === 'closed' || a.status === 'cancelled') throw new AppError('VALIDATION_FAILED', '活动已结束或已取消，不能修改');
        if (a.status !== 'draft' && ((input.type && input.type !== a.type) || (input.enrollmentMode && input.enrollmentMode !== a.enrollment_mode))) {
          throw invalid({ type: '活动发布后不能修改类型和报名方式' });
        }
        const merged = {
          startsOn: input.startsOn !== undefined ? input.startsOn : asDay(a.starts_on),
          endsOn: input.endsOn !== undefined ? input.endsOn : asDay(a.ends_on),
          opensAt: input.opensAt !== undefined ? input.opensAt : a.opens_at,
          closesAt: input.closesAt !== undefined ? input.closesAt : a.closes_at,
          batches: input.batches,
        };
        const type = input.type ?? a.type;
        const existingBatches = input.batches ? await repo.batchesOf(trx, [a.id]) : [];
        checkBatches(merged, type, existingBatches);
        if (!input.batches && type !== a.type) {
          // A new type must be able to honour the family places the batches already have.
          const takesFamily = !!activityTypePlugin(type)?.familyPlaces;
          for (const b of await repo.batchesOf(trx, [a.id])) {
            const p = familyPlacesProblems({ placesFamily: b.places_family, familyPerPerson: b.family_per_person }, takesFamily);
            if (Object.keys(p).length) throw invalid({ batches: `${b.title}：${Object.values(p)[0]}` });
          }
        }
        if ((input.enrollmentMode ?? a.enrollment_mode) === 'lottery' && !merged.closesAt) throw invalid({ closesAt: '抽签报名须设置报名截止时间' });
        const patch: Record<string, unknown> = {};
        if (input.type !== undefined) patch.type = input.type;
        if (input.title !== undefined) patch.title = input.title;
        if (input.description !== undefined) patch.description = input.description;
        if (input.locations !== undefined) patch.locations = JSON.stringify(input.locations);
        if (input.startsOn !== undefined) patch.starts_on = input.startsOn;
        if (input.endsOn !== undefined) patch.ends_on = input.endsOn;
        Object.assign(patch, sharesOf(input, { union: a.union_share_fen, personal: a.personal_share_fen }) ?? {});
        if (input.budget !== undefined) patch.budget = input.budget;
        if (input.eligibility !== undefined) patch.eligibility = JSON.stringify(input.eligibility);
        if (input.enrollmentMode !== undefined) patch.enrollment_mode = input.enrollmentMode;
        if (input.opensAt !== undefined) patch.opens_at = input.opensAt;
        if (input.closesAt !== undefined) patch.closes_at = input.closesAt;
        if (input.cancelDeadline !== undefined) patch.cancel_deadline = input.cancelDeadline;
        if (input.contactName !== undefined) patch.contact_name = input.contactName;
        if (input.contactPhone !== undefined) patch.contact_phone = input.contactPhone;
        if (input.settings !== undefined || input.type !== undefined) patch.settings = JSON.stringify(validateSettings(type, input.settings ?? a.settings));
        if (input.batches) {
          const existing = existingBatches;
          const keep = new Set(input.batches.filter((b) => b.id).map((b) => b.id!));
          for (const b of input.batches) if (b.id && !existing.some((e) => e.id === b.id)) throw notFound('批次');
          for (const e of existing) {
            if (keep.has(e.id)) continue;
            if (await repo.batchHasEnrollments(trx, e.id)) throw invalid({ batches: `批次“${e.title}”已有报名，不能删除` });
            await repo.deleteBatch(trx, a.id, e.id);
          }
          for (const [i, b] of input.batches.entries()) {
            const row = batchRow(b, i, b.id ? existing.find((x) => x.id === b.id) : undefined);
            if (!b.id) {
              await repo.insertBatch(trx, a.id, row);
              continue;
            }
            const e = existing.find((x) => x.id === b.id)!;
            if (row.places_general < e.taken_general || row.places_priority < e.taken_priority || row.places_family < e.taken_family) {
              throw invalid({ [`batches.${i}.placesGeneral`]: `批次“${e.title}”的名额不能少于已报名人数` });
            }
            await repo.updateBatch(trx, a.id, b.id, row);
          }
        }
        const updated = await repo.update(trx, a.id, a.version, patch, clock.now());
        if (!updated) throw conflict();
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.update',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { fields: Object.keys(input).filter((k) => k !== 'version') },
        });
        return load(trx, updated);
      });
    },

    async transition(actor: StaffActor, meta: RequestMeta, id: string, to: 'published' | 'closed' | 'cancelled', input: { version: number; reason?: string }) {
      const notices: { workerId: string | null }[] = [];
      const out = await db.transaction().execute(async (trx) => {
        const a = await inScope(trx, actor, id, true);
        if (a.version !== input.version) throw conflict();
        const allowed: Record<string, string[]> = { published: ['draft'], closed: ['published'], cancelled: ['draft', 'published'] };
        if (!allowed[to]!.includes(a.status))
          throw new AppError(
            'VALIDATION_FAILED',
            `活动当前为“${ACTIVITY_STATUSES[a.status]}”，不能${to === 'published' ? '发布' : to === 'closed' ? '结束' : '取消'}`,
          );
        const now = clock.now();
        if (to === 'published' && a.closes_at && a.closes_at <= now) throw invalid({ closesAt: '报名截止时间已过，请先修改后再发布' });
        const patch: Record<string, unknown> = { status: to };
        if (to === 'published') patch.published_at = now;
        if (to === 'published' && a.enrollment_mode === 'lottery' && !a.lottery_seed) patch.lottery_seed = randomBytes(32).toString('hex');
        if (to === 'cancelled') {
          patch.cancel_reason = input.reason;
          const live = await repo.liveOfActivity(trx, a.id);
          await repo.cancelAllLive(trx, a.id, `活动取消：${input.reason}`, now);
          await repo.releaseAllPlaces(trx, a.id);
          for (const e of live) {
            if (!e.worker_id) continue;
            await ctx.messages.send(
              trx,
              { workerId: e.worker_id },
              { title: '活动已取消', body: `您报名的活动“${a.title}”已取消。原因：${input.reason}`, link: H5_ENROLLMENTS, category: 'activity' },
            );
            notices.push({ workerId: e.worker_id });
          }
        }
        const updated = await repo.update(trx, a.id, a.version, patch, now);
        if (!updated) throw conflict();
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: to === 'published' ? 'activity.publish' : to === 'closed' ? 'activity.close' : 'activity.cancel',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: to === 'cancelled' ? { reason: input.reason, enrollmentsCancelled: notices.length } : null,
        });
        return load(trx, updated);
      });
      for (const n of notices) await ctx.messages.smsWorker(n.workerId, `您报名的活动“${out.title}”已取消，请登录智慧工会查看。`);
      return out;
    },
  };
}
