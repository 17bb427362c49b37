// Staff: enrollments, roster export, review, attendance, cost report and figures. Split out of
// activities.service.ts.
import { chinaDate, chinaMinute } from '../../platform/china-time.js';
import { PassThrough } from 'node:stream';
import { loadExcel } from '../../platform/excel.js';
import type { EnrollmentStatus } from '../../db/schema-activities.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import { escapeCell } from '../../platform/spreadsheet.js';
import type { ModuleContext } from '../module-context.js';
import { ACTIVITY_TYPE_LABELS } from './activities.plugins.js';
import { activitiesRepository as repo } from './activities.repository.js';
import { activityReportsRepository as reports } from './activities.reports.repository.js';
import { ENROLLMENT_STATUSES } from './activities.schema.js';
import { H5_ENROLLMENTS, HOLDING, fen, statusLabel, yuan } from './activities.common.js';
import type { ActivitiesInternals } from './activities.core.js';

export function createActivitiesStaff(ctx: ModuleContext, i: ActivitiesInternals) {
  const { db, clock, inScope, enrollmentDto, staffEnrollment } = i;
  return {
    // ---------------- staff: enrollments ----------------
    async enrollments(
      actor: StaffActor,
      id: string,
      q: { batchId?: string; status?: EnrollmentStatus[]; q?: string; orgId?: string; page: number; pageSize: number },
    ) {
      const a = await inScope(db, actor, id);
      let orgPath: string | undefined;
      if (q.orgId) {
        const o = await ctx.orgs.findInScope(actor, q.orgId);
        if (!o) throw notFound('组织');
        orgPath = o.path;
      }
      const r = await reports.enrollmentsOfActivity(db, a.id, {
        batchId: q.batchId,
        statuses: q.status,
        q: q.q,
        orgPath,
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      const items = [];
      for (const e of r.items) {
        items.push({
          ...(await enrollmentDto(db, e, a, { title: e.batch_title, starts_on: e.batch_starts_on, ends_on: e.batch_ends_on })),
          person: { id: e.person_id, name: e.name, idMasked: e.id_masked, phoneMasked: e.phone_masked },
          org: { id: e.org_id, name: e.org_name },
          drawRank: e.draw_rank,
        });
      }
      return { items, total: r.total };
    },

    async roster(actor: StaffActor, meta: RequestMeta, id: string, q: { batchId?: string; status?: EnrollmentStatus[] }) {
      const a = await inScope(db, actor, id);
      const rows = await reports.countRoster(db, a.id, { batchId: q.batchId, statuses: q.status });
      await ctx.audit.record({
        ...auditActor(actor, meta),
        action: 'activity.roster.export',
        targetType: 'activity',
        targetId: a.id,
        orgId: a.org_id,
        outcome: 'success',
        detail: { rows, batchId: q.batchId ?? null, status: q.status ?? null },
      });
      const stream = new PassThrough();
      const write = async () => {
        const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false });
        const ws = wb.addWorksheet('报名名单');
        const headers = ['序号', '姓名', '性别', '身份证号', '手机号', '所在工会', '批次', '状态', '家属人数', '报名时间'];
        ws.columns = headers.map((header, i) => ({ header, key: `c${i}`, width: [8, 12, 6, 22, 16, 30, 20, 10, 10, 20][i] }));
        let after: string | null = null;
        let n = 0;
        for (;;) {
          const page = await reports.rosterPage(db, a.id, { batchId: q.batchId, statuses: q.status }, after, 2000);
          for (const r of page) {
            ws.addRow(
              [
                String(++n),
                r.name,
                r.sex === 'M' ? '男' : r.sex === 'F' ? '女' : '',
                r.id_masked,
                r.phone_masked,
                r.org_name,
                r.batch_title,
                statusLabel(r.status, a.enrollment_mode),
                String(r.family_count),
                chinaMinute(new Date(r.created_at)),
              ].map((v) => escapeCell(v)),
            ).commit();
          }
          if (page.length < 2000 || stream.destroyed) break;
          after = page[page.length - 1]!.id;
        }
        ws.commit();
        await wb.commit();
      };
      write().catch((err: unknown) => stream.destroy(err as Error));
      return {
        stream,
        rows,
        fileName: `报名名单-${a.title}-${chinaDate(clock.now())}.xlsx`,
        asciiName: `activity-${a.id}-roster-${chinaDate(clock.now())}.xlsx`,
      };
    },

    async review(actor: StaffActor, meta: RequestMeta, enrollmentId: string, input: { action: 'approve' | 'reject'; reason?: string }) {
      let tell: { workerId: string | null; text: string } | null = null;
      const out = await db.transaction().execute(async (trx) => {
        const e = await repo.enrollmentInScope(trx, actor.orgPath, enrollmentId, true);
        if (!e) throw notFound('报名记录');
        const a = (await repo.byId(trx, e.activity_id))!;
        if (a.enrollment_mode !== 'approval') throw new AppError('VALIDATION_FAILED', '该活动不是审核报名');
        if (e.status !== 'pending') throw new AppError('VALIDATION_FAILED', `该报名当前为“${ENROLLMENT_STATUSES[e.status]}”，不能审核`);
        const now = clock.now();
        let status: EnrollmentStatus = 'rejected';
        let pool: 'general' | 'priority' | null = null;
        if (input.action === 'approve') {
          if (e.pool === 'priority' && (await repo.claim(trx, e.batch_id, 'priority', e.family_count))) pool = 'priority';
          else if (await repo.claim(trx, e.batch_id, 'general', e.family_count)) pool = 'general';
          status = pool ? 'enrolled' : 'waitlisted';
        }
        const updated = await repo.setEnrollment(
          trx,
          e.id,
          { status, taken_pool: pool, enrolled_at: pool ? now : null, reason: input.action === 'reject' ? (input.reason ?? null) : null },
          now,
        );
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.enroll.review',
          targetType: 'activity_enrollment',
          targetId: e.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { action: input.action, result: status, reason: input.reason ?? null },
        });
        const text =
          status === 'enrolled'
            ? `您报名的活动“${a.title}”已审核通过，报名成功。`
            : status === 'waitlisted'
              ? `您报名的活动“${a.title}”已审核通过，名额已满，已进入候补。`
              : `您报名的活动“${a.title}”未通过审核${input.reason ? `：${input.reason}` : '。'}`;
        if (e.worker_id) {
          await ctx.messages.send(trx, { workerId: e.worker_id }, { title: '活动报名审核结果', body: text, link: H5_ENROLLMENTS, category: 'activity' });
          tell = { workerId: e.worker_id, text };
        }
        return staffEnrollment(trx, updated);
      });
      if (tell) await ctx.messages.smsWorker((tell as { workerId: string | null }).workerId, (tell as { text: string }).text);
      return out;
    },

    async attendance(actor: StaffActor, meta: RequestMeta, enrollmentId: string, input: { result: 'attended' | 'no_show' }) {
      return db.transaction().execute(async (trx) => {
        const e = await repo.enrollmentInScope(trx, actor.orgPath, enrollmentId, true);
        if (!e) throw notFound('报名记录');
        if (!HOLDING.has(e.status)) throw new AppError('VALIDATION_FAILED', `该报名当前为“${ENROLLMENT_STATUSES[e.status]}”，不能登记到场情况`);
        const updated = await repo.setEnrollment(trx, e.id, { status: input.result }, clock.now());
        const a = (await repo.byId(trx, e.activity_id))!;
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.enroll.attendance',
          targetType: 'activity_enrollment',
          targetId: e.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { from: e.status, to: input.result },
        });
        return staffEnrollment(trx, updated);
      });
    },

    async costReport(actor: StaffActor, id: string) {
      const a = await inScope(db, actor, id);
      const batches = await repo.batchesOf(db, [a.id]);
      // The union's budget pays the union's share; what members pay themselves is not its spend.
      const cost = a.union_share_fen;
      const rows = batches.map((b) => {
        const enrolled = b.taken_general + b.taken_priority;
        return {
          batchId: b.id,
          title: b.title,
          places: b.places_general + b.places_priority,
          enrolled,
          familyPlaces: b.taken_family,
          spend: yuan((enrolled + b.taken_family) * cost),
          spendFen: (enrolled + b.taken_family) * cost,
        };
      });
      const spend = rows.reduce((s, r) => s + r.spendFen, 0);
      const budget = fen(a.budget);
      return {
        activityId: a.id,
        costPerPerson: a.cost_per_person,
        unionShare: yuan(a.union_share_fen),
        personalShare: yuan(a.personal_share_fen),
        budget: a.budget,
        spend: yuan(spend),
        remaining: yuan(budget - spend),
        overBudget: spend > budget,
        batches: rows.map(({ spendFen: _unused, ...r }) => r),
      };
    },

    async figures(actor: StaffActor, orgId: string, q: { type?: string; from?: string; to?: string }) {
      const org = await ctx.orgs.findInScope(actor, orgId);
      if (!org) throw notFound('组织');
      const acts = await reports.figures(db, org.path, q);
      const parts = await reports.participantsByType(db, org.path, q);
      const num = (v: unknown) => Number(v ?? 0);
      const rows = acts.map((a) => {
        const cost = Number(a.union_share_fen); // the union's spend: its share per person
        return {
          id: a.id,
          title: a.title,
          type: a.type,
          typeLabel: ACTIVITY_TYPE_LABELS[a.type],
          status: a.status,
          participants: num(a.participants),
          places: num(a.places),
          taken: num(a.taken),
          waitlisted: num(a.waitlisted),
          budgetFen: fen(a.budget),
          spendFen: (num(a.taken) + num(a.family)) * cost,
        };
      });
      const params = { type: q.type ?? null, from: q.from ?? null, to: q.to ?? null };
      const byTypeMap = new Map<string, { activities: number; places: number; taken: number; waitlisted: number; budgetFen: number; spendFen: number }>();
      for (const r of rows) {
        const t = byTypeMap.get(r.type) ?? { activities: 0, places: 0, taken: 0, waitlisted: 0, budgetFen: 0, spendFen: 0 };
        t.activities++;
        t.places += r.places;
        t.taken += r.taken;
        t.waitlisted += r.waitlisted;
        t.budgetFen += r.budgetFen;
        t.spendFen += r.spendFen;
        byTypeMap.set(r.type, t);
      }
      const sum = (k: 'places' | 'taken' | 'waitlisted' | 'budgetFen' | 'spendFen') => rows.reduce((s, r) => s + r[k], 0);
      const linkQuery = (extra: Record<string, string>) => ({ orgId: org.id, ...(q.from && { from: q.from }), ...(q.to && { to: q.to }), ...extra });
      return {
        orgId: org.id,
        params,
        totals: {
          activities: rows.length,
          participants: parts.total,
          places: sum('places'),
          taken: sum('taken'),
          waitlisted: sum('waitlisted'),
          budget: yuan(sum('budgetFen')),
          spend: yuan(sum('spendFen')),
        },
        byType: [...byTypeMap.entries()].map(([type, t]) => ({
          type,
          label: ACTIVITY_TYPE_LABELS[type as keyof typeof ACTIVITY_TYPE_LABELS],
          activities: t.activities,
          participants: Number(parts.byType.find((p) => p.type === type)?.n ?? 0),
          places: t.places,
          taken: t.taken,
          waitlisted: t.waitlisted,
          budget: yuan(t.budgetFen),
          spend: yuan(t.spendFen),
          link: { path: '/api/activities', query: linkQuery({ type }) },
        })),
        byActivity: [...rows]
          .sort((x, y) => y.participants - x.participants || Number(x.id) - Number(y.id))
          .slice(0, 50)
          .map(({ budgetFen, spendFen, ...r }) => ({
            ...r,
            budget: yuan(budgetFen),
            spend: yuan(spendFen),
            link: { path: `/api/activities/${r.id}/enrollments`, query: {} },
          })),
      };
    },
  };
}
