// 困难职工档案: one file per household (the database holds the rule), the national establishment
// flow as a versioned state machine with a timeline, yearly review, 结对帮扶 and the aid given.
//
// The parts: hardship.common.ts (labels, helpers), .core.ts (transition, household checks),
// .flow.ts (establishment, yearly review), .read.ts (list, file, reveal, export).
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import type { AidService } from '../aid/aid.service.js';
import { hardshipRepository } from './hardship.repository.js';
import { HARDSHIP_CAUSES, HARDSHIP_STATUSES } from './hardship.constants.js';
import type { FileContent } from './hardship.schema.js';
import { HARDSHIP_ACTIONS, NOTICE_MIN_DAYS, REVIEW_REMIND_DAYS, actorName, fileNo, fileOrThrow } from './hardship.common.js';
import { createHardshipReads } from './hardship.read.js';
import { createHardshipCore } from './hardship.core.js';
import { createHardshipFlow } from './hardship.flow.js';

export { HARDSHIP_ACTIONS, NOTICE_MIN_DAYS, REVIEW_REMIND_DAYS } from './hardship.common.js';

export function createHardshipService(ctx: ModuleContext & { aid: AidService }) {
  const reads = createHardshipReads(ctx);
  const core = createHardshipCore(ctx, reads);
  const { db, now, household, familyRows, householdKeys, assertHouseholdFree, rethrowDuplicate, transition, record } = core;

  const service = {
    causes() {
      return { items: Object.entries(HARDSHIP_CAUSES).map(([code, label]) => ({ code, label })) };
    },

    async create(actor: StaffActor, meta: RequestMeta, input: FileContent & { membershipId: string }) {
      const head = await hardshipRepository.membershipInScope(db, actor.orgPath, input.membershipId);
      if (!head) throw notFound('会员');
      if (head.status !== 'active' && head.status !== 'retained') throw invalid({ membershipId: '户主须为在籍会员' });
      const familyBidx = familyRows('0', input).map((r) => ({ id_bidx: r.id_bidx }));
      const keys = householdKeys(head.id_bidx, familyBidx);
      const bidxs = keys.map((k) => k.id_bidx);
      let id: string;
      try {
        id = await db.transaction().execute(async (trx) => {
          await assertHouseholdFree(trx, bidxs);
          const at = now();
          const file = await hardshipRepository.insertFile(trx, {
            org_id: head.org_id,
            membership_id: head.id,
            head_person_id: head.person_id,
            main_cause: input.mainCause,
            secondary_causes: JSON.stringify(input.secondaryCauses.filter((c) => c !== input.mainCause)),
            head_health: input.headHealth ?? null,
            head_work: input.headWork ?? null,
            head_monthly_income: input.headMonthlyIncome,
            ...household(input),
            address: input.address ?? null,
            situation: input.situation,
            created_by: actorName(actor),
            updated_at: at,
          });
          await hardshipRepository.insertFamily(trx, familyRows(file.id, input));
          await hardshipRepository.replaceKeys(trx, file.id, keys);
          await hardshipRepository.insertEvent(trx, {
            file_id: file.id,
            action: 'submit',
            from_status: null,
            to_status: 'submitted',
            comment: null,
            actor_id: actor.accountId,
            actor_name: actorName(actor),
            at,
          });
          await ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'hardship.submit',
            targetType: 'hardship_file',
            targetId: file.id,
            orgId: head.org_id,
            outcome: 'success',
            detail: { membershipId: head.id, mainCause: input.mainCause, householdSize: 1 + input.family.length },
          });
          return file.id;
        });
      } catch (err) {
        return rethrowDuplicate(err, bidxs);
      }
      return reads.get(actor, id);
    },

    /** Changes the content while the file waits for the grassroots review (e.g. after a return). */
    async update(actor: StaffActor, meta: RequestMeta, id: string, input: FileContent & { version: number }) {
      const current = await fileOrThrow(db, actor, id);
      const headBidx = (await hardshipRepository.membershipInScope(db, actor.orgPath, current.membership_id))?.id_bidx;
      if (!headBidx) throw notFound('困难职工档案');
      const rows = familyRows(id, input, await hardshipRepository.family(db, id));
      const keys = householdKeys(
        headBidx,
        rows.map((r) => ({ id_bidx: r.id_bidx })),
      );
      const bidxs = keys.map((k) => k.id_bidx);
      try {
        return await transition(actor, meta, id, {
          version: input.version,
          from: ['submitted'],
          action: 'edit',
          patch: {
            main_cause: input.mainCause,
            secondary_causes: JSON.stringify(input.secondaryCauses.filter((c) => c !== input.mainCause)),
            head_health: input.headHealth ?? null,
            head_work: input.headWork ?? null,
            head_monthly_income: input.headMonthlyIncome,
            ...household(input),
            address: input.address ?? null,
            situation: input.situation,
          },
          extra: async (trx) => {
            await assertHouseholdFree(trx, bidxs, id);
            await hardshipRepository.deleteFamily(trx, id);
            await hardshipRepository.insertFamily(trx, rows);
            await hardshipRepository.replaceKeys(trx, id, keys);
          },
        });
      } catch (err) {
        return rethrowDuplicate(err, bidxs, id);
      }
    },

    /** 帮扶资金 for this household: paid from a budget in the same transaction as the file's timeline. */
    async recordAid(actor: StaffActor, meta: RequestMeta, id: string, input: { budgetId: string; amount: string; note?: string }) {
      let result: Awaited<ReturnType<AidService['disburseIn']>> | undefined;
      await record(actor, meta, id, 'aid', null, ['established'], async (trx, f) => {
        const budget = await ctx.aid.budgetForPayment(trx, actor, input.budgetId);
        result = await ctx.aid.disburseIn(trx, {
          audit: auditActor(actor, meta),
          ...budget,
          amount: input.amount,
          personId: f.head_person_id,
          hardshipFileId: id,
          cause: f.main_cause,
          note: input.note ?? `困难职工档案 ${fileNo(id)}`,
        });
        return {
          detail: { ...result, amount: input.amount },
          comment: `${budget.year} 年度「${budget.fundName}」${input.amount} 元${input.note ? `：${input.note}` : ''}`,
        };
      });
      return result!;
    },

    async addPairing(actor: StaffActor, meta: RequestMeta, id: string, input: { kind: 'unit' | 'cadre'; name: string; contact?: string; startedOn: string }) {
      await record(actor, meta, id, 'pairing', `${input.kind === 'unit' ? '结对单位' : '结对干部'}：${input.name}`, ['established'], async (trx) => {
        const p = await hardshipRepository.insertPairing(trx, {
          file_id: id,
          kind: input.kind,
          name: input.name,
          contact: input.contact ?? null,
          started_on: input.startedOn,
          created_by: actorName(actor),
          at: now(),
        });
        return { detail: { pairingId: p.id, kind: input.kind, name: input.name } };
      });
      return reads.get(actor, id);
    },

    async addPairingVisit(actor: StaffActor, meta: RequestMeta, id: string, pairingId: string, input: { visitedOn: string; notes: string }) {
      if (input.visitedOn > chinaDay(now())) throw invalid({ visitedOn: '走访日期不能晚于今天' });
      await record(actor, meta, id, 'pairing_visit', `${input.visitedOn}：${input.notes}`, ['established', 'closed'], async (trx) => {
        if (!(await hardshipRepository.pairingOfFile(trx, id, pairingId))) throw notFound('结对帮扶');
        await hardshipRepository.insertPairingVisit(trx, {
          pairing_id: pairingId,
          visited_on: input.visitedOn,
          notes: input.notes,
          recorded_by: actorName(actor),
          at: now(),
        });
        return { detail: { pairingId, visitedOn: input.visitedOn } };
      });
      return reads.get(actor, id);
    },

    /** Yearly reviews in the caller's subtree past due or due within `soonDays` (the home page). */
    async reviewSummary(actor: StaffActor, soonDays: number) {
      const today = chinaDay(now());
      const soon = chinaDay(new Date(Date.parse(`${today}T00:00:00+08:00`) + soonDays * 86_400_000));
      return hardshipRepository.reviewSummary(db, actor.orgPath, today, soon);
    },

    /** The household files in the caller's subtree that hold this ID blind index (head or family) — the 困难劳模 link from the register. */
    async filesOfIdIndex(actor: StaffActor, idBidx: string) {
      const rows = await hardshipRepository.filesOfIdIndex(db, actor.orgPath, idBidx);
      return rows.map((r) => ({ id: r.id, status: r.status, statusLabel: HARDSHIP_STATUSES[r.status as keyof typeof HARDSHIP_STATUSES] ?? r.status, orgName: r.org_name }));
    },

    ...createHardshipFlow(ctx, core),
    ...reads,
  };
  return service;
}

export type HardshipService = ReturnType<typeof createHardshipService>;
