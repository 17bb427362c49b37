// Yearly targets (issue 15 item 4, decision 026): an org sets targets for its direct children, each bound
// to an indicator of the catalogue with ≥ / ≤ and a value; a county cascades its own target to its towns.
// Progress is the indicator over the target org's subtree and the year, computed by the stats service —
// never typed.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { TargetComparison } from '../../db/schema-targets.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { chinaDay, chinaYear } from '../../platform/china-time.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { INDICATOR_BY_CODE, INDICATORS, type IndicatorDefinition } from '../stats/stats.catalogue.js';
import type { StatsService } from '../stats/stats.service.js';
import { targetsRepository as repo } from './targets.repository.js';
import { COMPARISONS, completion, isMet, percent } from './targets.scoring.js';
import type { SetTargetsInput } from './targets.schema.js';

export type TargetsContext = ModuleContext & { stats: Pick<StatsService, 'evaluate'> };
type Values = Record<string, number | null>;
type TargetRow = Awaited<ReturnType<typeof repo.listFor>>[number];

export const forbidden = (message: string) => new AppError('FORBIDDEN', message);

/** The indicator as a target shows it (no query, no rows link). */
export function indicatorBrief(code: string) {
  const d = INDICATOR_BY_CODE.get(code);
  return d
    ? { code, name: d.name, unit: d.unit, kind: d.kind, money: !!d.money, definition: d.definition }
    : { code, name: code, unit: '', kind: 'flow' as const, money: false, definition: '该指标已不在指标目录中' };
}

/** Shared by targets and schemes: the year, the org looked at, and the figures of some indicators for it and its children. */
export function createTargetsCommon(ctx: TargetsContext) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  async function orgOf(actor: StaffActor, orgId?: string) {
    const org = await ctx.orgs.findInScope(actor, orgId ?? actor.orgId);
    if (!org) throw notFound('组织');
    return org;
  }

  function yearOf(year?: number) {
    return year ?? chinaYear(now());
  }

  /**
   * The org's subtree figure (totals) and each direct child's over the year (to today for the current
   * year); nothing for a year that has not started.
   */
  async function figures(actor: StaffActor, orgId: string, year: number, codes: readonly string[]) {
    const today = chinaDay(now());
    const from = `${year}-01-01`;
    if (!codes.length || from > today) return { totals: {} as Values, children: new Map<string, Values>(), asOf: null as string | null, snapshot: null };
    const to = `${year}-12-31` < today ? `${year}-12-31` : today;
    const r = await ctx.stats.evaluate(actor, { orgId, from, to }, codes);
    return { totals: r.totals, children: new Map(r.children.map((c) => [c.id, c.values])), asOf: to, snapshot: r.snapshot };
  }

  return { db, now, orgOf, yearOf, figures };
}

export function presentTarget(t: TargetRow, actual: number | null) {
  const value = Number(t.value);
  const comparison = t.comparison as TargetComparison;
  const rate = completion(actual, value, comparison);
  return {
    id: t.id,
    year: t.year,
    org: { id: t.org_id, name: t.org_name },
    setBy: { id: t.set_by_org_id, name: t.set_by_name },
    indicator: indicatorBrief(t.indicator_code),
    comparison,
    comparisonLabel: COMPARISONS[comparison].label,
    comparisonSymbol: COMPARISONS[comparison].symbol,
    value,
    actual,
    completion: percent(rate),
    met: isMet(actual, value, comparison),
    parentId: t.parent_id,
    note: t.note,
    version: t.version,
    updatedAt: t.updated_at,
  };
}

function checkValues(def: IndicatorDefinition, values: readonly number[]) {
  if (def.unit === '%' && values.some((v) => v > 100)) throw invalid({ items: '比例类指标的目标值不能超过 100（%）' });
  if (!def.money && def.unit !== '%' && values.some((v) => !Number.isInteger(v))) throw invalid({ items: `“${def.name}”的目标值应为整数` });
}

export function createTargetsService(ctx: TargetsContext) {
  const { db, now, orgOf, yearOf, figures } = createTargetsCommon(ctx);

  async function targetOrThrow(actor: StaffActor, id: string) {
    const t = await repo.inScope(db, actor.orgPath, id);
    if (!t) throw notFound('目标');
    return t;
  }
  function mustBeSetter(actor: StaffActor, t: { set_by_org_id: string; set_by_name: string }) {
    if (t.set_by_org_id !== actor.orgId) throw forbidden(`该目标由${t.set_by_name}下达，只有下达目标的组织可以修改`);
  }

  return {
    /** A year's targets of an org: set for it by its parent (with the cascade to its children) and set by it for its children, each with progress. */
    async list(actor: StaffActor, q: { year?: number; orgId?: string }) {
      const year = yearOf(q.year);
      const org = await orgOf(actor, q.orgId);
      // In the catalogue's order (新增会员 before 建会率 …), then by org.
      const order = (code: string) => {
        const i = INDICATORS.findIndex((d) => d.code === code);
        return i < 0 ? INDICATORS.length : i;
      };
      const rows = (await repo.listFor(db, actor.orgPath, org.id, year)).sort((a, b) => order(a.indicator_code) - order(b.indicator_code));
      const f = await figures(
        actor,
        org.id,
        year,
        rows.map((r) => r.indicator_code),
      );
      const assigned = rows.filter((r) => r.set_by_org_id === org.id).map((r) => presentTarget(r, f.children.get(r.org_id)?.[r.indicator_code] ?? null));
      const own = rows
        .filter((r) => r.org_id === org.id)
        .map((r) => {
          const cascaded = assigned.filter((a) => a.parentId === r.id);
          return {
            ...presentTarget(r, f.totals[r.indicator_code] ?? null),
            cascade: { count: cascaded.length, sum: Math.round(cascaded.reduce((n, a) => n + a.value, 0) * 100) / 100 },
          };
        });
      const children = await repo.activeChildren(db, org.id);
      return {
        year,
        org: { id: org.id, name: org.name, type: org.type },
        asOf: f.asOf,
        snapshot: f.snapshot,
        canSet: org.id === actor.orgId && actor.permissions.has('target:manage') && children.length > 0,
        own,
        assigned,
        children: children.map((c) => ({ id: c.id, name: c.name, type: c.type })),
      };
    },

    /** Sets (adds or changes) one indicator's targets for some direct children of the caller's org; with parentTargetId a cascade of the caller's own target. */
    async set(actor: StaffActor, meta: RequestMeta, input: SetTargetsInput) {
      const def = INDICATOR_BY_CODE.get(input.indicatorCode);
      if (!def) throw invalid({ indicatorCode: '指标不存在' });
      const current = chinaYear(now());
      if (input.year < current - 1 || input.year > current + 1) throw invalid({ year: `只能下达 ${current - 1}–${current + 1} 年度的目标` });
      checkValues(
        def,
        input.items.map((i) => i.value),
      );
      const orgIds = input.items.map((i) => i.orgId);
      if (new Set(orgIds).size !== orgIds.length) throw invalid({ items: '同一组织只能填写一个目标值' });
      let comparison = input.comparison;
      let parentId: string | null = null;
      if (input.parentTargetId) {
        const parent = await repo.inScope(db, actor.orgPath, input.parentTargetId);
        if (!parent || parent.org_id !== actor.orgId) throw notFound('分解的目标');
        if (parent.year !== input.year || parent.indicator_code !== input.indicatorCode)
          throw invalid({ parentTargetId: '分解的目标须与所下达的目标为同一年度、同一指标' });
        comparison = parent.comparison as TargetComparison;
        parentId = parent.id;
      }
      const children = await repo.childrenAmong(db, actor.orgId, orgIds);
      if (children.length !== orgIds.length) throw notFound('下级组织');
      const nameOf = new Map(children.map((c) => [c.id, c.name]));
      return db.transaction().execute(async (trx) => {
        const at = now();
        const existing = new Map((await repo.existing(trx, input.year, input.indicatorCode, orgIds)).map((e) => [e.org_id, e]));
        const ids: string[] = [];
        for (const item of input.items) {
          const e = existing.get(item.orgId);
          if (e && e.set_by_org_id !== actor.orgId) throw conflict(`${nameOf.get(item.orgId)}的该项目标由其他组织下达，不能修改`);
          const value = item.value.toFixed(2);
          const row = e
            ? await repo.update(trx, e.id, null, { value, comparison, note: input.note ?? null, parent_id: parentId, updated_at: at })
            : await repo.insert(trx, {
                year: input.year,
                org_id: item.orgId,
                set_by_org_id: actor.orgId,
                indicator_code: input.indicatorCode,
                comparison,
                value,
                parent_id: parentId,
                note: input.note ?? null,
                created_by: actor.accountId,
                updated_at: at,
              });
          ids.push(row!.id);
          await ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'target.set',
            targetType: 'target',
            targetId: row!.id,
            orgId: item.orgId,
            outcome: 'success',
            detail: { year: input.year, indicator: def.name, comparison, value: item.value, org: nameOf.get(item.orgId), cascadeOf: parentId, changed: !!e },
          });
        }
        return { ids };
      });
    },

    async update(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: { value: number; comparison?: TargetComparison; note?: string | null; version: number },
    ) {
      const t = await targetOrThrow(actor, id);
      mustBeSetter(actor, t);
      const def = INDICATOR_BY_CODE.get(t.indicator_code);
      if (def) checkValues(def, [input.value]);
      return db.transaction().execute(async (trx) => {
        const row = await repo.update(trx, id, input.version, {
          value: input.value.toFixed(2),
          ...(input.comparison && !t.parent_id && { comparison: input.comparison }),
          ...(input.note !== undefined && { note: input.note ?? null }),
          updated_at: now(),
        });
        if (!row) throw conflict();
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'target.update',
          targetType: 'target',
          targetId: id,
          orgId: t.org_id,
          outcome: 'success',
          detail: { indicator: def?.name ?? t.indicator_code, before: Number(t.value), after: input.value },
        });
        return { id, version: row.version };
      });
    },

    async remove(actor: StaffActor, meta: RequestMeta, id: string, version: number) {
      const t = await targetOrThrow(actor, id);
      mustBeSetter(actor, t);
      return db.transaction().execute(async (trx) => {
        if ((await repo.countCascaded(trx, id)) > 0)
          throw invalid({ id: '该目标已分解到下级，请先由下级删除分解的目标' }, '该目标已分解到下级，请先由下级删除分解的目标');
        if (!(await repo.remove(trx, id, version))) throw conflict();
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'target.delete',
          targetType: 'target',
          targetId: id,
          orgId: t.org_id,
          outcome: 'success',
          detail: { year: t.year, indicator: indicatorBrief(t.indicator_code).name, value: Number(t.value), org: t.org_name },
        });
        return { ok: true as const };
      });
    },
  };
}

export type TargetsService = ReturnType<typeof createTargetsService>;
