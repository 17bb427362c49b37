// 工作质效评价 (issue 15 item 4, decision 026): one scheme per org and year. Indicator items score each
// assessed child from its target by the item's rule; manual items score what the child claimed with
// evidence, once a reviewer of the scheme's org confirmed it. Totals rank the children.
import type { ScoringRule, TargetComparison } from '../../db/schema-targets.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import { INDICATOR_BY_CODE } from '../stats/stats.catalogue.js';
import { ASSESSED_TYPES, targetsRepository as repo } from './targets.repository.js';
import { COMPARISONS, RULES, completion, isMet, manualScore, percent, rank, ruleScore, sumScores } from './targets.scoring.js';
import type { SchemeInput } from './targets.schema.js';
import { createTargetsCommon, forbidden, indicatorBrief, type TargetsContext } from './targets.service.js';

type Item = Awaited<ReturnType<typeof repo.schemeItems>>[number];
type Claim = Awaited<ReturnType<typeof repo.claims>>[number];
type Target = Awaited<ReturnType<typeof repo.setBy>>[number];
type Values = Record<string, number | null>;

const presentItem = (i: Item) => ({
  id: i.id,
  kind: i.kind,
  name: i.name,
  weight: Number(i.weight),
  description: i.description,
  indicator: i.indicator_code ? indicatorBrief(i.indicator_code) : null,
  rule: i.rule,
  ruleLabel: i.rule ? RULES[i.rule].label : '人工评分（自评 + 审核确认）',
});

const presentClaim = (c: Claim) => ({
  id: c.id,
  status: c.status,
  statusLabel: { submitted: '待审核', confirmed: '已确认', returned: '已退回' }[c.status],
  claimedScore: Number(c.claimed_score),
  confirmedScore: c.confirmed_score === null ? null : Number(c.confirmed_score),
  evidence: c.evidence,
  fileName: c.file_name,
  reviewNote: c.review_note,
  submittedBy: c.submitted_by_name,
  submittedAt: c.submitted_at,
  reviewedBy: c.reviewed_by_name,
  reviewedAt: c.reviewed_at,
  version: c.version,
});

/** One assessed org's score on every item of a scheme. */
export function scoreOrg(items: readonly Item[], targets: readonly Target[], values: Values, claims: readonly Claim[]) {
  const scored = items.map((i) => {
    const weight = Number(i.weight);
    if (i.kind === 'manual') {
      const c = claims.find((x) => x.item_id === i.id);
      const score = manualScore(weight, c?.status === 'confirmed' ? Number(c.confirmed_score) : null);
      return { itemId: i.id, score, status: c?.status ?? 'missing', claim: c ? presentClaim(c) : null };
    }
    const t = targets.find((x) => x.indicator_code === i.indicator_code);
    if (!t) return { itemId: i.id, score: 0, status: 'no_target' as const, target: null };
    const actual = values[i.indicator_code!] ?? null;
    const value = Number(t.value);
    const comparison = t.comparison as TargetComparison;
    const rate = completion(actual, value, comparison);
    return {
      itemId: i.id,
      score: ruleScore(i.rule as ScoringRule, weight, rate),
      status: isMet(actual, value, comparison) ? ('met' as const) : ('unmet' as const),
      target: { id: t.id, value, comparison, symbol: COMPARISONS[comparison].symbol, actual, completion: percent(rate) },
    };
  });
  return { items: scored, total: sumScores(scored.map((s) => s.score)) };
}

export function createSchemeService(ctx: TargetsContext) {
  const { db, now, orgOf, yearOf, figures } = createTargetsCommon(ctx);

  /** Who a scheme of `orgId` assesses: its active administrative children, and any child it set a target for that year. */
  async function assessed(orgId: string, targets: readonly Target[]) {
    const children = await repo.activeChildren(db, orgId);
    const targeted = new Set(targets.map((t) => t.org_id));
    return children.filter((c) => (ASSESSED_TYPES as readonly string[]).includes(c.type) || targeted.has(c.id));
  }

  async function view(actor: StaffActor, q: { year?: number; orgId?: string }) {
    const year = yearOf(q.year);
    const org = await orgOf(actor, q.orgId);
    const scheme = await repo.scheme(db, org.id, year);
    const base = {
      year,
      org: { id: org.id, name: org.name, type: org.type },
      canEdit: org.id === actor.orgId && actor.permissions.has('target:manage'),
      canReview: org.id === actor.orgId && actor.permissions.has('target:review'),
      rules: Object.entries(RULES).map(([code, r]) => ({ code, ...r })),
    };
    if (!scheme) return { ...base, scheme: null, ranking: [], asOf: null };
    const items = await repo.schemeItems(db, scheme.id);
    const targets = await repo.setBy(db, org.id, year);
    const orgs = await assessed(org.id, targets);
    const f = await figures(
      actor,
      org.id,
      year,
      items.flatMap((i) => (i.indicator_code ? [i.indicator_code] : [])),
    );
    const claims = await repo.claims(db, scheme.id);
    const rows = orgs.map((o) => ({
      org: { id: o.id, name: o.name },
      ...scoreOrg(
        items,
        targets.filter((t) => t.org_id === o.id),
        f.children.get(o.id) ?? {},
        claims.filter((c) => c.org_id === o.id),
      ),
    }));
    return {
      ...base,
      scheme: { id: scheme.id, name: scheme.name, version: scheme.version, updatedAt: scheme.updated_at, items: items.map(presentItem) },
      ranking: rank(rows),
      asOf: f.asOf,
    };
  }

  return {
    view,

    /** The caller's own org as its parent assesses it: the parent's scheme, this org's score, its manual claims. */
    async mine(actor: StaffActor, q: { year?: number }) {
      const year = yearOf(q.year);
      const org = await orgOf(actor);
      const scheme = org.parent_id ? await repo.scheme(db, org.parent_id, year) : undefined;
      if (!scheme) return { year, org: { id: org.id, name: org.name }, scheme: null, score: null, asOf: null };
      const items = await repo.schemeItems(db, scheme.id);
      const targets = (await repo.setFor(db, org.id, year)).filter((t) => items.some((i) => i.indicator_code === t.indicator_code));
      const f = await figures(
        actor,
        org.id,
        year,
        items.flatMap((i) => (i.indicator_code ? [i.indicator_code] : [])),
      );
      const parent = await db.selectFrom('orgs').select('name').where('id', '=', scheme.org_id).executeTakeFirst();
      return {
        year,
        org: { id: org.id, name: org.name },
        scheme: { id: scheme.id, name: scheme.name, by: parent?.name ?? '', items: items.map(presentItem) },
        score: scoreOrg(items, targets, f.totals, await repo.claims(db, scheme.id, org.id)),
        canClaim: actor.permissions.has('target:manage'),
        asOf: f.asOf,
      };
    },

    /** Creates or replaces the caller's org's scheme for a year (items matched by id; an item with claims stays). */
    async save(actor: StaffActor, meta: RequestMeta, input: SchemeInput) {
      const total = sumScores(input.items.map((i) => i.weight));
      if (total !== 100) throw invalid({ items: `各考核项分值合计应为 100 分（当前 ${total} 分）` });
      input.items.forEach((i, n) => {
        if (i.kind === 'indicator' && !INDICATOR_BY_CODE.has(i.indicatorCode!)) throw invalid({ [`items.${n}.indicatorCode`]: `第 ${n + 1} 项：指标不存在` });
      });
      return db.transaction().execute(async (trx) => {
        const at = now();
        const existing = await repo.scheme(trx, actor.orgId, input.year);
        let schemeId: string;
        let version: number;
        if (existing) {
          if (input.version === undefined) throw conflict('本年度已有考核方案，请刷新后在原方案上修改');
          const r = await repo.updateScheme(trx, existing.id, input.version, input.name, at);
          if (!r) throw conflict();
          ({ id: schemeId, version } = r);
        } else {
          ({ id: schemeId, version } = await repo.insertScheme(trx, {
            org_id: actor.orgId,
            year: input.year,
            name: input.name,
            created_by: actor.accountId,
            updated_at: at,
          }));
        }
        const before = existing ? await repo.schemeItems(trx, schemeId) : [];
        const claimed = new Set(
          (
            await repo.itemsWithClaims(
              trx,
              before.map((i) => i.id),
            )
          ).map((r) => r.item_id),
        );
        const kept = new Set(input.items.flatMap((i) => (i.id ? [i.id] : [])));
        for (const i of before) {
          if (!kept.has(i.id) && claimed.has(i.id)) throw invalid({ items: `“${i.name}”已有下级提交的自评，不能删除` });
        }
        await repo.deleteItems(
          trx,
          schemeId,
          before.filter((i) => !kept.has(i.id)).map((i) => i.id),
        );
        for (const [position, i] of input.items.entries()) {
          const row = {
            position,
            kind: i.kind,
            name: i.name,
            indicator_code: i.kind === 'indicator' ? i.indicatorCode! : null,
            rule: i.kind === 'indicator' ? i.rule! : null,
            weight: i.weight.toFixed(2),
            description: i.description ?? null,
          };
          if (i.id) {
            if (!before.some((b) => b.id === i.id)) throw invalid({ [`items.${position}.id`]: `第 ${position + 1} 项不属于本方案` });
            if (claimed.has(i.id) && i.kind !== 'manual') throw invalid({ [`items.${position}.kind`]: `“${i.name}”已有下级提交的自评，不能改为指标类` });
            await repo.updateItem(trx, schemeId, i.id, row);
          } else await repo.insertItem(trx, { scheme_id: schemeId, ...row });
        }
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'target.scheme.save',
          targetType: 'target_scheme',
          targetId: schemeId,
          orgId: actor.orgId,
          outcome: 'success',
          detail: { year: input.year, name: input.name, items: input.items.map((i) => `${i.name}（${i.weight} 分）`) },
        });
        return { id: schemeId, version };
      });
    },

    /** A manual item's score claimed by the assessed org (the caller's), with the evidence in words. */
    async claim(actor: StaffActor, meta: RequestMeta, input: { itemId: string; score: number; evidence: string; version?: number }) {
      const org = await orgOf(actor);
      const item = org.parent_id ? await repo.itemForAssessed(db, input.itemId, org.parent_id) : undefined;
      if (!item || item.kind !== 'manual') throw notFound('考核项');
      if (input.score > Number(item.weight)) throw invalid({ score: `自评分不能超过该项分值 ${Number(item.weight)} 分` });
      return db.transaction().execute(async (trx) => {
        const at = now();
        const existing = await repo.claimFor(trx, item.id, org.id);
        if (existing?.status === 'confirmed') throw conflict('该项得分已确认，不能再修改');
        const row = existing
          ? await repo.resubmitClaim(trx, existing.id, input.version ?? existing.version, {
              claimed_score: input.score.toFixed(2),
              evidence: input.evidence,
              submitted_by: actor.accountId,
              submitted_at: at,
            })
          : await repo.insertClaim(trx, {
              item_id: item.id,
              org_id: org.id,
              claimed_score: input.score.toFixed(2),
              evidence: input.evidence,
              submitted_by: actor.accountId,
              submitted_at: at,
            });
        if (!row) throw conflict();
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'target.manual.submit',
          targetType: 'target_manual_score',
          targetId: row.id,
          orgId: org.id,
          outcome: 'success',
          detail: { year: item.year, item: item.name, score: input.score },
        });
        return { id: row.id, version: row.version };
      });
    },

    /** The reviewer of the scheme's org confirms a claim (its score or an adjusted one) or returns it with a reason. */
    async review(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: { action: 'confirm' | 'return'; score?: number; note?: string | null; version: number },
    ) {
      const c = await repo.claimInScope(db, actor.orgPath, id);
      if (!c) throw notFound('自评');
      if (c.scheme_org_id !== actor.orgId) throw forbidden('只有制定考核方案的组织可以审核自评');
      if (c.submitted_by === actor.accountId) throw forbidden('不能审核本人提交的自评');
      if (c.status !== 'submitted') throw conflict('该自评已审核');
      const score = input.score ?? Number(c.claimed_score);
      if (input.action === 'confirm' && score > Number(c.weight)) throw invalid({ score: `确认得分不能超过该项分值 ${Number(c.weight)} 分` });
      if (input.action === 'return' && !input.note) throw invalid({ note: '退回时请填写审核意见' });
      return db.transaction().execute(async (trx) => {
        const row = await repo.review(trx, id, input.version, {
          status: input.action === 'confirm' ? 'confirmed' : 'returned',
          confirmed_score: input.action === 'confirm' ? score.toFixed(2) : null,
          review_note: input.note ?? null,
          reviewed_by: actor.accountId,
          reviewed_at: now(),
        });
        if (!row) throw conflict();
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: input.action === 'confirm' ? 'target.manual.confirm' : 'target.manual.return',
          targetType: 'target_manual_score',
          targetId: id,
          orgId: c.org_id,
          outcome: 'success',
          detail: {
            year: c.year,
            item: c.item_name,
            org: c.org_name,
            claimed: Number(c.claimed_score),
            ...(input.action === 'confirm' && { score }),
            note: input.note ?? null,
          },
        });
        return { id, version: row.version };
      });
    },
  };
}

export type SchemeService = ReturnType<typeof createSchemeService>;
