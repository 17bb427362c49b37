// Lottery steps: one published-seed draw over the applications waiting at a step, and the draw
// records. Split out of applications.service.ts.
import { createHash, randomBytes } from 'node:crypto';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import { applicationsRepository as repo } from './applications.repository.js';
import { asApplication, CONFLICT_MESSAGE, finished, iso, nextIndex, planOf, snapshotOf, staffWho, type ApplicationsCtx } from './applications.common.js';
import type { ApplicationsEngine } from './applications.engine.js';

export function createApplicationsLottery(ctx: ApplicationsCtx, e: ApplicationsEngine) {
  const { db, now, enterStep, event, notifyApplicant } = e;

  const api = {
    async draw(actor: StaffActor, meta: RequestMeta, input: { serviceTypeId: string; stepKey: string; orgId: string; seed?: string }) {
      const seed = input.seed ?? randomBytes(16).toString('hex');
      const result = await db.transaction().execute(async (trx) => {
        const t = await repo.typeVisible(trx, actor.orgPath, input.serviceTypeId);
        if (!t) throw notFound('服务事项');
        const org = await repo.orgInScope(trx, actor.orgPath, input.orgId);
        if (!org) throw notFound('组织');
        const candidates = await repo.lotteryCandidates(trx, t.id, input.stepKey, org.id);
        if (!candidates.length) throw invalid({ stepKey: '没有待抽签的申请' }, '没有待抽签的申请');
        const snapStep = snapshotOf(candidates[0]!).steps[candidates[0]!.step_index!]!;
        if (snapStep.kind !== 'lottery') throw invalid({ stepKey: '该环节不是抽签环节' });
        if (!actor.permissions.has(snapStep.permission as never)) throw new AppError('FORBIDDEN', `您没有办理“${snapStep.name}”的权限`);
        const places = snapStep.places ?? 0;
        const ranked = [...candidates].sort((x, y) => {
          const hx = createHash('sha256').update(`${seed}:${x.id}`).digest('hex');
          const hy = createHash('sha256').update(`${seed}:${y.id}`).digest('hex');
          return hx < hy ? -1 : hx > hy ? 1 : 0;
        });
        const winners = new Set(ranked.slice(0, places).map((x) => x.id));
        const at = now();
        const who = staffWho(actor);
        const sms: { workerId: string | null; text: string }[] = [];
        for (const a of candidates) {
          const snap = snapshotOf(a);
          const plan = planOf(a);
          if (winners.has(a.id)) {
            const next = nextIndex(plan, a.step_index!);
            const patch = next === null ? { status: 'approved' as const, ...finished(at) } : await enterStep(trx, snap, plan, next, at, a.step_entry);
            const u = await repo.updateApplication(trx, a.id, a.version, { ...patch, reviewed: true, updated_at: at });
            if (!u) throw conflict(CONFLICT_MESSAGE);
            await event(trx, a, 'lottery_win', a.step_index, who, `抽签种子 ${seed}`, { seed }, true);
            if (next === null) {
              await event(trx, a, 'complete', null, { type: 'system', id: null, name: '系统', orgId: null }, null);
              await notifyApplicant(trx, a, `您的${asApplication(snap.name)}已办结`, `您已中签，${asApplication(snap.name)}已办结。`);
              sms.push({ workerId: a.worker_id, text: `您的${asApplication(snap.name)}已中签并办结。` });
            } else {
              await notifyApplicant(trx, a, `您的${asApplication(snap.name)}已中签`, `您已中签，申请进入下一环节。`);
            }
          } else {
            const u = await repo.updateApplication(trx, a.id, a.version, { status: 'not_selected', ...finished(at), reviewed: true, updated_at: at });
            if (!u) throw conflict(CONFLICT_MESSAGE);
            await event(trx, a, 'lottery_lose', a.step_index, who, `抽签种子 ${seed}`, { seed }, true);
            await notifyApplicant(trx, a, `您的${asApplication(snap.name)}未中签`, `本次名额 ${places} 个，申请 ${candidates.length} 人，您未中签。`);
            sms.push({ workerId: a.worker_id, text: `您的${asApplication(snap.name)}未中签。` });
          }
        }
        const d = await repo.insertDraw(trx, {
          service_type_id: t.id,
          step_key: input.stepKey,
          org_id: org.id,
          org_path: org.path,
          seed,
          places,
          candidate_ids: JSON.stringify(candidates.map((c) => c.id)),
          winner_ids: JSON.stringify(ranked.slice(0, places).map((x) => x.id)),
          drawn_by: actor.accountId,
          drawn_by_name: actor.displayName,
          drawn_at: at,
        });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'application.lottery',
          targetType: 'lottery_draw',
          targetId: d.id,
          orgId: org.id,
          outcome: 'success',
          detail: { serviceType: t.code, seed, places, candidates: candidates.length },
        });
        return { id: d.id, sms };
      });
      for (const s of result.sms) await ctx.messages.smsWorker(s.workerId, s.text);
      return api.getDraw(actor, result.id);
    },

    async listDraws(actor: StaffActor, f: { serviceTypeId?: string }) {
      return { items: (await repo.draws(db, actor.orgPath, f)).map(presentDraw) };
    },

    async getDraw(actor: StaffActor, id: string) {
      const [d] = await repo.draws(db, actor.orgPath, { id });
      if (!d) throw notFound('抽签记录');
      return presentDraw(d);
    },
  };

  function presentDraw(d: Awaited<ReturnType<typeof repo.draws>>[number]) {
    return {
      id: d.id,
      serviceType: { id: d.service_type_id, name: d.service_name },
      stepKey: d.step_key,
      org: { id: d.org_id, name: d.org_name },
      seed: d.seed,
      places: d.places,
      candidates: d.candidate_ids as string[],
      winners: d.winner_ids as string[],
      drawnBy: d.drawn_by_name,
      drawnAt: iso(d.drawn_at)!,
      algorithm: 'sha256(seed + ":" + id) 升序排列，前 places 个中签',
    };
  }

  return api;
}
