// The indicator catalogue's answers: one org's subtree over a period, its direct children side by
// side, a figure's trend, and the daily snapshot of the stock figures (decision 023).
import type { StaffActor } from '../../platform/context.js';
import type { Executor } from '../audit/audit.repository.js';
import { chinaDay, chinaYear } from '../../platform/china-time.js';
import { invalid, notFound } from '../../platform/errors.js';
import { ORG_TYPES } from '../orgs/orgs.schema.js';
import type { ModuleContext } from '../module-context.js';
import { FLOW_CODES, INDICATOR_BY_CODE, INDICATORS, STOCK_CODES, type IndicatorDefinition } from './stats.catalogue.js';
import { statsRepository as repo, type Period } from './stats.repository.js';

const DAY_MS = 86_400_000;
const MAX_PERIOD_DAYS = 366 * 5;

export interface PeriodQuery {
  orgId?: string;
  from?: string;
  to?: string;
}

type Values = Record<string, number>;

export function createStatsService(ctx: ModuleContext) {
  const db = ctx.database.db;
  // Figures tolerate the replica's lag (≤ 30 s, decision 038): every figure read goes there, the scope
  // check (orgOf) and every write stay on the primary. Without a replica this is the primary.
  const reader = ctx.database.reader;

  function period(q: PeriodQuery): Period {
    const today = chinaDay(ctx.clock.now());
    const fromDay = q.from ?? `${chinaYear(ctx.clock.now())}-01-01`;
    const toDay = q.to ?? today;
    const fromAt = new Date(`${fromDay}T00:00:00+08:00`);
    const toAt = new Date(Date.parse(`${toDay}T00:00:00+08:00`) + DAY_MS);
    if (toAt <= fromAt) throw invalid({ to: '结束日期不能早于开始日期' });
    if ((toAt.getTime() - fromAt.getTime()) / DAY_MS > MAX_PERIOD_DAYS) throw invalid({ from: '统计期间最长 5 年' });
    return { fromAt, toAt, fromDay, toDay };
  }

  async function orgOf(actor: StaffActor, orgId: string | undefined) {
    const org = await ctx.orgs.findInScope(actor, orgId ?? actor.orgId);
    if (!org) throw notFound('组织');
    return org;
  }

  /** Values per child id ('' = the org itself) of every asked indicator. */
  async function valuesByChild(trx: Executor, org: { id: string; path: string }, codes: readonly string[], p: Period, snapshotDay: string | null) {
    const out = new Map<string, Values>();
    const put = (child: string, code: string, v: number) => {
      const row = out.get(child) ?? {};
      row[code] = (row[code] ?? 0) + v;
      out.set(child, row);
    };
    const stock = codes.filter((c) => STOCK_CODES.includes(c));
    if (snapshotDay) for (const r of await repo.stockByChild(trx, stock, snapshotDay, org.id)) put(r.child, r.code, Number(r.value));
    // The flows one after another: on PGlite they share one connection anyway, on PostgreSQL the pool stays free for others.
    for (const code of codes.filter((c) => FLOW_CODES.includes(c))) {
      for (const r of await repo.flowByChild(trx, code, org.path, p)) put(r.child, code, Number(r.value));
    }
    return out;
  }

  const sum = (rows: Iterable<Values>, code: string) => {
    let n = 0;
    for (const r of rows) n += r[code] ?? 0;
    return n;
  };

  /** The figure as shown: yuan for money, a percentage (one decimal) for a ratio, null when it cannot be computed. */
  function present(def: IndicatorDefinition, values: Values): number | null {
    if (def.ratio) {
      const den = values[def.ratio.denominator] ?? 0;
      return den ? Math.round(((values[def.ratio.numerator] ?? 0) / den) * 1000) / 10 : null;
    }
    const v = values[def.code] ?? 0;
    return def.money ? v / 100 : v;
  }

  const needed = (defs: readonly IndicatorDefinition[]) => [...new Set(defs.flatMap((d) => (d.ratio ? [d.ratio.numerator, d.ratio.denominator] : [d.code])))];

  /** The newest snapshot on or before `asOf` (default today). */
  async function snapshotInfo(asOf?: string) {
    const today = chinaDay(ctx.clock.now());
    const run = await repo.latestRun(reader, asOf && asOf < today ? asOf : today);
    return run ? { day: run.day, takenAt: run.taken_at, durationMs: run.duration_ms } : null;
  }

  async function compare(actor: StaffActor, q: PeriodQuery, defs: readonly IndicatorDefinition[], stockAsOfPeriodEnd = false) {
    const org = await orgOf(actor, q.orgId);
    const p = period(q);
    const snapshot = await snapshotInfo(stockAsOfPeriodEnd ? p.toDay : undefined);
    const byChild = await valuesByChild(reader, org, needed(defs), p, snapshot?.day ?? null);
    const children = await repo.children(reader, org.id);
    const totals: Values = {};
    for (const code of needed(defs)) totals[code] = sum(byChild.values(), code);
    const row = (values: Values) => Object.fromEntries(defs.map((d) => [d.code, present(d, values)]));
    return {
      org: { id: org.id, name: org.name, type: org.type, typeLabel: ORG_TYPES[org.type as keyof typeof ORG_TYPES] ?? org.type },
      period: { from: p.fromDay, to: p.toDay },
      snapshot,
      totals: row(totals),
      own: row(byChild.get('') ?? {}),
      children: children
        .filter((c) => c.status === 'active' || byChild.has(c.id))
        .map((c) => ({
          id: c.id,
          name: c.name,
          type: c.type,
          typeLabel: ORG_TYPES[c.type as keyof typeof ORG_TYPES] ?? c.type,
          values: row(byChild.get(c.id) ?? {}),
        })),
    };
  }

  return {
    catalogue() {
      return { items: INDICATORS };
    },

    /**
     * Some indicators for an org's subtree and its direct children over a period, stock figures as of the
     * period's end (the newest snapshot on or before it): what targets and 工作质效评价 measure progress by
     * (modules/targets). Unknown codes are left out.
     */
    async evaluate(actor: StaffActor, q: PeriodQuery, codes: readonly string[]) {
      const defs = [...new Set(codes)].map((c) => INDICATOR_BY_CODE.get(c)).filter((d): d is IndicatorDefinition => !!d);
      return compare(actor, q, defs, true);
    },

    /** Every indicator for the org's subtree over the period, and its direct children side by side. */
    async overview(actor: StaffActor, q: PeriodQuery) {
      return { ...(await compare(actor, q, INDICATORS)), indicators: INDICATORS };
    },

    /** One indicator: the subtree's figure, the children compared, and its trend (months for a flow, snapshot days for a stock). */
    async indicator(actor: StaffActor, code: string, q: PeriodQuery) {
      const def = INDICATOR_BY_CODE.get(code);
      if (!def) throw notFound('指标');
      const r = await compare(actor, q, [def]);
      const org = await orgOf(actor, q.orgId);
      const p = period(q);
      const trend =
        def.kind === 'flow'
          ? (await repo.flowByMonth(reader, code, org.path, p)).map((t) => ({ at: t.month, value: present(def, { [code]: Number(t.value) }) }))
          : def.kind === 'stock'
            ? (await repo.stockByDay(reader, code, org.id, p.fromDay, p.toDay)).map((t) => ({ at: t.day, value: Number(t.value) }))
            : [];
      return { ...r, indicator: def, trend };
    },

    /**
     * Key figures for a home page: each indicator's figure for the caller's subtree this year (stock: now),
     * and its trend over the last 12 months (flows per month; stocks at the last snapshot of each month;
     * ratios from their parts' monthly figures). A flow's year-to-date figure is the sum of its months of
     * this year (always inside the 12), so each flow is counted once, by month, not also per child.
     */
    async keyFigures(actor: StaffActor, codes: readonly string[]) {
      const defs = codes.map((c) => INDICATOR_BY_CODE.get(c)).filter((d): d is IndicatorDefinition => !!d);
      const org = await orgOf(actor, undefined);
      const today = chinaDay(ctx.clock.now());
      const y = Number(today.slice(0, 4));
      const m = Number(today.slice(5, 7));
      const months = Array.from({ length: 12 }, (_, i) => {
        const k = y * 12 + (m - 1) - 11 + i;
        return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
      });
      const p = period({ from: `${months[0]}-01`, to: today });
      const snapshot = await snapshotInfo();
      const series = new Map<string, Map<string, number>>();
      const totals: Values = {};
      const stock = needed(defs).filter((c) => STOCK_CODES.includes(c));
      if (snapshot) for (const r of await repo.stockByChild(reader, stock, snapshot.day, org.id)) totals[r.code] = (totals[r.code] ?? 0) + Number(r.value);
      for (const code of needed(defs)) {
        const def = INDICATOR_BY_CODE.get(code)!;
        const rows =
          def.kind === 'flow' ? await repo.flowByMonth(reader, code, org.path, p) : await repo.stockByMonth(reader, code, org.id, p.fromDay, p.toDay);
        series.set(code, new Map(rows.map((t) => [t.month, Number(t.value)])));
        if (def.kind === 'flow') totals[code] = rows.filter((t) => t.month >= `${y}-01`).reduce((n, t) => n + Number(t.value), 0);
      }
      const at = (code: string, month: string) => series.get(code)?.get(month);
      return {
        org: { id: org.id, name: org.name, type: org.type, typeLabel: ORG_TYPES[org.type as keyof typeof ORG_TYPES] ?? org.type },
        period: { from: `${y}-01-01`, to: today },
        snapshot,
        items: defs.map((d) => ({
          code: d.code,
          value: present(d, totals),
          trend: months.map((month) => {
            if (d.kind === 'flow') return { at: month, value: present(d, { [d.code]: at(d.code, month) ?? 0 }) };
            if (d.kind === 'stock') return { at: month, value: at(d.code, month) ?? null };
            const num = at(d.ratio!.numerator, month);
            const den = at(d.ratio!.denominator, month);
            return { at: month, value: num === undefined || den === undefined ? null : present(d, { [d.ratio!.numerator]: num, [d.ratio!.denominator]: den }) };
          }),
        })),
      };
    },

    /** Counts every stock indicator per org for today (replacing today's earlier count); with ifMissing only when today has none. */
    async takeSnapshot(opts: { ifMissing?: boolean } = {}) {
      const started = Date.now();
      const day = chinaDay(ctx.clock.now());
      if (opts.ifMissing && (await repo.latestRun(db, day))?.day === day) return null;
      if (ctx.database.replica) {
        // With a replica the counting (every membership, every enterprise …) runs there and the primary
        // only stores the rows, in one short transaction; the counts are as of the replica's lag (≤ 30 s).
        const counted: [string, Awaited<ReturnType<typeof repo.countStock>>][] = [];
        for (const code of STOCK_CODES) counted.push([code, await repo.countStock(reader, code, day)]);
        await db.transaction().execute(async (trx) => {
          for (const [code, rows] of counted) await repo.writeStock(trx, code, day, rows);
          await repo.recordRun(trx, day, ctx.clock.now(), Date.now() - started);
          await repo.thinSnapshots(trx, day);
        });
        return { day, durationMs: Date.now() - started };
      }
      await db.transaction().execute(async (trx) => {
        for (const code of STOCK_CODES) await repo.snapshotStock(trx, code, day);
        await repo.recordRun(trx, day, ctx.clock.now(), Date.now() - started);
        await repo.thinSnapshots(trx, day);
      });
      return { day, durationMs: Date.now() - started };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
