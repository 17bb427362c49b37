// The lottery of an activity: the draw with a published seed, its public page and verification.
// Split out of activities.service.ts.
import { chinaMinute } from '../../platform/china-time.js';
import { randomBytes } from 'node:crypto';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { candidatesHash, drawLottery, LOTTERY_ALGORITHM, seedCommitment, sortCandidates } from './activities.lottery.js';
import { activitiesRepository as repo } from './activities.repository.js';
import { H5_ENROLLMENTS, iso } from './activities.common.js';
import type { ActivitiesInternals } from './activities.core.js';

export function createActivitiesDraw(ctx: ModuleContext, i: ActivitiesInternals) {
  const { db, clock, load, inScope } = i;
  return {
    // ---------------- lottery ----------------
    async draw(actor: StaffActor, meta: RequestMeta, id: string, input: { seed?: string }) {
      const winnersToTell: { workerId: string | null; won: boolean }[] = [];
      const out = await db.transaction().execute(async (trx) => {
        const a = await inScope(trx, actor, id, true);
        if (a.enrollment_mode !== 'lottery') throw new AppError('VALIDATION_FAILED', '该活动不是抽签报名');
        if (a.status !== 'published') throw new AppError('VALIDATION_FAILED', '活动未发布或已结束，不能抽签');
        if (a.lottery_drawn_at) throw new AppError('VALIDATION_FAILED', '该活动已抽签，不能重复抽签');
        const now = clock.now();
        if (!a.closes_at || now < a.closes_at)
          throw new AppError('VALIDATION_FAILED', `报名截止（${a.closes_at ? chinaMinute(a.closes_at) : '未设置'}）后才能抽签`);
        // The seed committed at publication (older activities without one get a fresh random seed).
        const seed = a.lottery_seed ?? randomBytes(32).toString('hex');
        if (input.seed && input.seed !== seed) throw invalid({ seed: '抽签种子已在发布时生成并公示其哈希，不能在抽签时更换' });
        const batches = await repo.batchesOf(trx, [a.id]);
        const summary: { batchId: string; candidates: number; winners: number }[] = [];
        for (const b of batches) {
          const pending = await repo.pendingOfBatch(trx, b.id);
          const candidates = sortCandidates(pending.map((e) => e.id));
          const places = Math.max(0, b.places_general - b.taken_general);
          const r = drawLottery(seed, b.id, candidates, places);
          await repo.saveDraw(trx, b.id, { places, candidates, hash: candidatesHash(candidates), order: r.order });
          const byId = new Map(pending.map((e) => [e.id, e]));
          for (const [rank, eid] of r.order.entries()) {
            const e = byId.get(eid)!;
            const won = rank < r.winners.length;
            if (won) {
              if (!(await repo.claim(trx, b.id, 'general', 0))) throw new Error('lottery claim failed');
              await repo.setEnrollment(trx, eid, { status: 'enrolled', taken_pool: 'general', enrolled_at: now, draw_rank: rank + 1 }, now);
            } else {
              await repo.setEnrollment(trx, eid, { status: 'waitlisted', draw_rank: rank + 1 }, now);
            }
            if (e.worker_id) {
              await ctx.messages.send(
                trx,
                { workerId: e.worker_id },
                won
                  ? { title: '抽签结果：中签', body: `恭喜，您在活动“${a.title}”的抽签中中签，报名成功。`, link: H5_ENROLLMENTS, category: 'activity' }
                  : {
                      title: '抽签结果：未中签',
                      body: `您在活动“${a.title}”的抽签中未中签，已进入候补（第 ${rank + 1 - r.winners.length} 位）。`,
                      link: H5_ENROLLMENTS,
                      category: 'activity',
                    },
              );
              winnersToTell.push({ workerId: e.worker_id, won });
            }
          }
          summary.push({ batchId: b.id, candidates: candidates.length, winners: r.winners.length });
        }
        const updated = await repo.update(trx, a.id, a.version, { lottery_seed: seed, lottery_drawn_at: now }, now);
        if (!updated) throw conflict();
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.draw',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { seed, batches: summary },
        });
        return load(trx, updated);
      });
      for (const w of winnersToTell) {
        await ctx.messages.smsWorker(
          w.workerId,
          w.won ? `您在活动“${out.title}”的抽签中中签，报名成功。` : `您在活动“${out.title}”的抽签中未中签，已进入候补。`,
        );
      }
      return out;
    },

    async publicLottery(id: string) {
      const a = await repo.byId(db, id);
      if (!a || !a.lottery_seed || !a.lottery_drawn_at) throw notFound('抽签结果');
      const batches = await repo.batchesOf(db, [a.id]);
      return {
        activityId: a.id,
        title: a.title,
        seed: a.lottery_seed,
        // The commitment shown from publication on: sha256(seed) recomputed by anyone must equal it.
        seedCommitment: seedCommitment(a.lottery_seed),
        drawnAt: iso(a.lottery_drawn_at)!,
        algorithm: LOTTERY_ALGORITHM,
        batches: batches.map((b) => {
          const order = b.lottery_order ?? [];
          const places = b.lottery_places ?? 0;
          return {
            batchId: b.id,
            title: b.title,
            places,
            candidatesHash: b.lottery_candidates_hash ?? '',
            candidates: b.lottery_candidates ?? [],
            order,
            winners: order.slice(0, places),
          };
        }),
      };
    },

    async verifyLottery(id: string) {
      const pub = await this.publicLottery(id);
      const batches = pub.batches.map((b) => {
        const r = drawLottery(pub.seed, b.batchId, b.candidates, b.places);
        const ok = candidatesHash(sortCandidates(b.candidates)) === b.candidatesHash && r.order.join(',') === b.order.join(',');
        return { batchId: b.batchId, ok };
      });
      return { ok: batches.every((b) => b.ok), batches };
    },
  };
}
