// 会费 (members' dues) per member union (issue 17, decision 034): a union switches collection on and sets its
// rate (default 0.5 % of the wage); a member may be exempted with a reason; what each member paid is
// recorded per month, in bulk for a month (a row already recorded is skipped, so the same sheet twice adds
// nothing); the arrears list is the members neither paid nor exempt; dues received count in the union's
// ledger as income. The member must be in the union's subtree, the union in the caller's.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { fromFen, toFen } from '../../platform/money.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { fundsDuesRepository as dues } from './funds.dues.repository.js';
import { fundsRepository as repo } from './funds.repository.js';
import type { DuesExemptionInput, DuesQuery, DuesRecordInput, DuesSettingsInput } from './funds.schema.js';
import { bpToPercent, dueOf, percentToBp } from './funds.split.js';

export const DEFAULT_DUES_BP = 50;
const y = (fen: string | bigint) => fromFen(BigInt(fen));

export function createFundsDues(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const today = () => chinaDay(ctx.clock.now());

  async function unionOrThrow(actor: StaffActor, orgId?: string) {
    const o = await repo.orgInScope(db, actor.orgPath, orgId ?? actor.orgId);
    if (!o) throw notFound('工会');
    return o;
  }
  const audit = (trx: Parameters<typeof ctx.audit.append>[0], actor: StaffActor, meta: RequestMeta, action: string, targetType: string, targetId: string, orgId: string, detail: object) =>
    ctx.audit.append(trx, { ...auditActor(actor, meta), action, targetType, targetId, orgId, outcome: 'success', detail: detail as Record<string, unknown> });

  async function settingsOf(orgId: string) {
    const s = await dues.settings(db, orgId);
    return { enabled: s?.enabled ?? false, ratePercent: bpToPercent(s?.rate_bp ?? DEFAULT_DUES_BP), rateBp: s?.rate_bp ?? DEFAULT_DUES_BP, version: s?.version ?? 0 };
  }

  return {
    async list(actor: StaffActor, q: DuesQuery) {
      const o = await unionOrThrow(actor, q.orgId);
      const period = q.period ?? today().slice(0, 7);
      const [settings, r, months] = await Promise.all([
        settingsOf(o.id),
        dues.members(db, {
          orgId: o.id,
          unionPath: o.path,
          period,
          ...(q.status && { status: q.status }),
          ...(q.q && { q: q.q }),
          limit: q.pageSize,
          offset: offsetOf(q),
        }),
        dues.months(db, o.id, Number(period.slice(0, 4))),
      ]);
      const { rateBp, ...shown } = settings;
      void rateBp;
      return {
        org: { id: o.id, name: o.name },
        period,
        settings: shown,
        figures: {
          members: Number(r.totals.members),
          exempt: Number(r.totals.exempt),
          paid: Number(r.totals.paid),
          unpaid: Number(r.totals.unpaid),
          amount: y(r.totals.amount_fen),
          yearAmount: y(months.reduce((t, m) => t + BigInt(m.amount_fen), 0n)),
        },
        months: months.map((m) => ({ period: m.period, count: Number(m.n), amount: y(m.amount_fen) })),
        total: r.total,
        items: r.items.map((m) => ({
          membershipId: m.membership_id,
          name: m.name,
          memberNo: m.member_no,
          joinedOn: m.joined_on,
          wage: m.wage_fen === null ? null : y(m.wage_fen),
          amount: m.amount_fen === null ? null : y(m.amount_fen),
          paidOn: m.paid_on,
          exemption: m.exemption_id ? { id: m.exemption_id, reason: m.exemption_reason } : null,
          status: m.exemption_id ? 'exempt' : m.amount_fen !== null ? 'paid' : 'unpaid',
          statusLabel: m.exemption_id ? '免缴' : m.amount_fen !== null ? '已缴' : '未缴',
          owedMonths: m.owed_months,
        })),
      };
    },

    async saveSettings(actor: StaffActor, meta: RequestMeta, input: DuesSettingsInput) {
      const o = await unionOrThrow(actor, input.orgId);
      const bp = percentToBp(input.ratePercent);
      await db.transaction().execute(async (trx) => {
        const r = await dues.saveSettings(trx, { org_id: o.id, enabled: input.enabled, rate_bp: bp, updated_by: actor.displayName }, input.version, ctx.clock.now());
        if (!r) throw conflict();
        await audit(trx, actor, meta, 'funds.dues.settings', 'org', o.id, o.id, { enabled: input.enabled, ratePercent: input.ratePercent });
      });
      const { rateBp, ...shown } = await settingsOf(o.id);
      void rateBp;
      return shown;
    },

    /** A month's dues for several members at once: each line is recorded, skipped (already there) or refused with its reason. */
    async record(actor: StaffActor, meta: RequestMeta, input: DuesRecordInput) {
      const o = await unionOrThrow(actor, input.orgId);
      if (input.paidOn > today()) throw invalid({ paidOn: '缴纳日期不能晚于今天' });
      if (input.period > today().slice(0, 7)) throw invalid({ period: '所属月份不能晚于本月' });
      const s = await settingsOf(o.id);
      if (!s.enabled) throw conflict(`${o.name}未开启会费收缴，请先在会费设置中开启`);
      const wanted = [...new Set(input.items.map((i) => i.membershipId))];
      if (wanted.length !== input.items.length) throw invalid({ items: '同一会员在一次登记中只能出现一次' });
      return db.transaction().execute(async (trx) => {
        const members = new Map((await dues.membershipsIn(trx, o.path, wanted)).map((m) => [m.id, m]));
        const exempt = new Set((await dues.liveExemptions(trx, o.id, wanted)).map((x) => x.membership_id));
        const refused: { membershipId: string; reason: string }[] = [];
        const rows = [];
        for (const i of input.items) {
          if (!members.has(i.membershipId)) refused.push({ membershipId: i.membershipId, reason: '不是本会在册会员' });
          else if (exempt.has(i.membershipId)) refused.push({ membershipId: i.membershipId, reason: '该会员已免缴会费' });
          else {
            const wage = toFen(i.wage);
            const amount = i.amount ? toFen(i.amount) : dueOf(wage, s.rateBp);
            if (amount <= 0n) refused.push({ membershipId: i.membershipId, reason: '会费金额应大于 0' });
            else rows.push({ org_id: o.id, membership_id: i.membershipId, period: input.period, wage_fen: wage, amount_fen: amount, paid_on: input.paidOn, created_by: actor.displayName });
          }
        }
        const added = await dues.insertDues(trx, rows);
        const total = rows.filter((r) => added.some((a) => a.membership_id === r.membership_id)).reduce((t, r) => t + r.amount_fen, 0n);
        await audit(trx, actor, meta, 'funds.dues.record', 'org', o.id, o.id, { period: input.period, added: added.length, skipped: rows.length - added.length, refused: refused.length, amount: y(total) });
        return { added: added.length, skipped: rows.length - added.length, refused, amount: y(total) };
      });
    },

    async exempt(actor: StaffActor, meta: RequestMeta, input: DuesExemptionInput) {
      const o = await unionOrThrow(actor, input.orgId);
      const [m] = await dues.membershipsIn(db, o.path, [input.membershipId]);
      if (!m) throw notFound('会员');
      return db.transaction().execute(async (trx) => {
        const x = await dues.insertExemption(trx, { org_id: o.id, membership_id: m.id, reason: input.reason, created_by: actor.displayName });
        if (!x) throw conflict(`${m.name}已免缴会费`);
        await audit(trx, actor, meta, 'funds.dues.exempt', 'membership', m.id, o.id, { reason: input.reason });
        return { id: x.id };
      });
    },

    async revokeExemption(actor: StaffActor, meta: RequestMeta, id: string) {
      const x = await dues.exemptionInScope(db, actor.orgPath, id);
      if (!x) throw notFound('免缴记录');
      return db.transaction().execute(async (trx) => {
        if (!(await dues.revokeExemption(trx, id, actor.displayName, ctx.clock.now()))) throw conflict('该免缴已撤销');
        await audit(trx, actor, meta, 'funds.dues.exemption_revoke', 'membership', x.membership_id, x.org_id, {});
        return { id };
      });
    },
  };
}

export type FundsDues = ReturnType<typeof createFundsDues>;
