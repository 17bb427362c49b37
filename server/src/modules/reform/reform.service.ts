// 产改 (产业工人队伍建设改革) pilots: an enterprise of the register made a pilot by a union (scoped
// like the enterprise: its registering union's subtree), with its 任务清单 and 问题清单 (owner,
// deadline, done with an evidence note), a yearly 评星定级 scored against the city's criteria
// (total as a share of the criteria's full marks → 1–5 stars) and figures per union.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ReformScore } from '../../db/schema-reform.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { EnterprisesService } from '../enterprises/enterprises.service.js';
import type { ModuleContext } from '../module-context.js';
import { reformRepository as repo } from './reform.repository.js';
import { createReformVisits } from './reform.visits.js';

export type ReformCtx = ModuleContext & { enterprises: Pick<EnterprisesService, 'findInScope'> };
const isCityUnion = (actor: StaffActor) => /^\/[0-9]+\/$/.test(actor.orgPath);
const likeText = (q: string) => q.replace(/[\\%_]/g, (m) => `\\${m}`);

/** Stars from the share of full marks: ≥ 90 % five, ≥ 80 % four, ≥ 70 % three, ≥ 60 % two, else one. */
export function starsOf(percent: number): number {
  return percent >= 90 ? 5 : percent >= 80 ? 4 : percent >= 70 ? 3 : percent >= 60 ? 2 : 1;
}

export function createReformService(ctx: ReformCtx) {
  const db: Kysely<DB> = ctx.database.db;
  const today = () => chinaDay(ctx.clock.now());
  const visits = createReformVisits(ctx);

  async function pilotOrThrow(ex: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const p = await repo.pilotInScope(ex, actor.orgPath, id);
    if (!p) throw notFound('产改试点企业');
    return p;
  }
  async function audit(trx: Transaction<DB>, actor: StaffActor, meta: RequestMeta, action: string, id: string | null, orgId: string, detail?: Record<string, unknown>) {
    await ctx.audit.append(trx, { ...auditActor(actor, meta), action, targetType: 'reform_pilot', targetId: id, orgId, outcome: 'success', ...(detail && { detail }) });
  }
  const dto = (p: NonNullable<Awaited<ReturnType<typeof repo.pilotInScope>>>) => ({
    id: p.id,
    org: { id: p.org_id, name: p.org_name },
    enterprise: { id: p.enterprise_id, name: p.enterprise_name },
    sinceYear: p.since_year,
    note: p.note,
    stars: p.stars,
    ratedYear: p.rated_year,
    items: Number(p.items),
    itemsDone: Number(p.items_done),
    version: p.version,
  });

  const service = {
    async list(actor: StaffActor, q: { q?: string; stars?: number; orgId?: string; page: number; pageSize: number }) {
      const orgPath = q.orgId ? (await ctx.orgs.findInScope(actor, q.orgId))?.path : undefined;
      if (q.orgId && !orgPath) throw notFound('工会');
      const { items, total } = await repo.pilots(db, actor.orgPath, { orgPath, q: q.q ? likeText(q.q) : undefined, stars: q.stars, limit: q.pageSize, offset: offsetOf(q) });
      return { items: items.map(dto), total };
    },

    async get(actor: StaffActor, id: string) {
      const p = await pilotOrThrow(db, actor, id);
      const [items, ratings, inspections, academies] = await Promise.all([repo.items(db, id), repo.ratings(db, id), visits.inspections(id), visits.academiesOfPilot(id)]);
      const day = today();
      const item = (i: (typeof items)[number]) => ({
        id: i.id,
        title: i.title,
        owner: i.owner,
        dueOn: i.due_on,
        status: i.status,
        doneOn: i.done_on,
        evidence: i.evidence,
        overdue: i.status === 'open' && i.due_on < day,
        onTime: i.status === 'done' ? i.done_on! <= i.due_on : null,
      });
      return {
        ...dto(p),
        tasks: items.filter((i) => i.kind === 'task').map(item),
        problems: items.filter((i) => i.kind === 'problem').map(item),
        ratings: ratings.map((r) => ({ id: r.id, year: r.year, scores: r.scores, total: r.total, stars: r.stars, rater: r.rater, ratedOn: r.rated_on })),
        inspections,
        academies,
      };
    },

    async create(actor: StaffActor, meta: RequestMeta, input: { enterpriseId: string; sinceYear: number; note?: string | null }) {
      const e = await ctx.enterprises.findInScope(db, actor, input.enterpriseId);
      if (!e) throw notFound('企业');
      const id = await db.transaction().execute(async (trx) => {
        const row = await repo.insertPilot(trx, { org_id: e.org_id, enterprise_id: e.id, since_year: input.sinceYear, note: input.note ?? null, created_by: actor.accountId });
        if (!row) throw invalid({ enterpriseId: '该企业已是产改试点企业' });
        await audit(trx, actor, meta, 'reform.pilot.create', row.id, e.org_id, { enterprise: e.id });
        return row.id;
      });
      return service.get(actor, id);
    },

    async addItem(actor: StaffActor, meta: RequestMeta, id: string, input: { kind: 'task' | 'problem'; title: string; owner: string; dueOn: string }) {
      await db.transaction().execute(async (trx) => {
        const p = await pilotOrThrow(trx, actor, id);
        const row = await repo.insertItem(trx, { pilot_id: id, kind: input.kind, title: input.title, owner: input.owner, due_on: input.dueOn });
        await audit(trx, actor, meta, 'reform.item.add', id, p.org_id, { item: row.id, kind: input.kind });
      });
      return service.get(actor, id);
    },

    async finishItem(actor: StaffActor, meta: RequestMeta, id: string, itemId: string, input: { doneOn: string; evidence: string }) {
      if (input.doneOn > today()) throw invalid({ doneOn: '完成日期不能晚于今天' });
      await db.transaction().execute(async (trx) => {
        const p = await pilotOrThrow(trx, actor, id);
        const done = await repo.finishItem(trx, id, itemId, input.doneOn, input.evidence);
        if (!done) throw conflict('该事项不存在或已完成');
        await audit(trx, actor, meta, 'reform.item.done', id, p.org_id, { item: itemId });
      });
      return service.get(actor, id);
    },

    /** 评星定级 for a year: one score per active criterion within its full marks; once per pilot and year. */
    async rate(actor: StaffActor, meta: RequestMeta, id: string, input: { year: number; rater: string; scores: { criterionId: string; score: number }[] }) {
      await pilotOrThrow(db, actor, id); // another union's pilot answers 404 before anything about the scores
      const criteria = (await repo.criteria(db)).filter((c) => c.active);
      const given = new Map(input.scores.map((s) => [s.criterionId, s.score]));
      const missing = criteria.filter((c) => !given.has(c.id));
      if (missing.length) throw invalid({ scores: `请为每个评分项打分：${missing.map((c) => c.name).join('、')}` });
      const unknown = input.scores.filter((s) => !criteria.some((c) => c.id === s.criterionId));
      if (unknown.length) throw invalid({ scores: '评分项无效或已停用' });
      const over = criteria.filter((c) => given.get(c.id)! > c.max_score);
      if (over.length) throw invalid({ scores: `得分超过满分：${over.map((c) => `${c.name}（满分 ${c.max_score}）`).join('、')}` });
      const scores: ReformScore[] = criteria.map((c) => ({ criterionId: c.id, name: c.name, max: c.max_score, score: given.get(c.id)! }));
      const full = scores.reduce((n, s) => n + s.max, 0);
      const got = scores.reduce((n, s) => n + s.score, 0);
      const total = Math.round((got / full) * 100);
      const stars = starsOf(total);
      await db.transaction().execute(async (trx) => {
        const p = await pilotOrThrow(trx, actor, id);
        const row = await repo.insertRating(trx, { pilot_id: id, year: input.year, scores: JSON.stringify(scores), total, stars, rater: input.rater, rated_on: today(), created_by: actor.accountId });
        if (!row) throw conflict(`${input.year} 年度已评星定级`);
        await audit(trx, actor, meta, 'reform.pilot.rate', id, p.org_id, { year: input.year, total, stars });
      });
      return service.get(actor, id);
    },

    inspect: async (actor: StaffActor, meta: RequestMeta, id: string, input: { visitedOn: string; inspectors: string; findings: string; score: number }) => {
      await visits.inspect(actor, meta, id, input);
      return service.get(actor, id);
    },
    academies: visits.academies,
    addAcademy: visits.addAcademy,
    linkAcademyPilot: visits.linkPilot,

    async criteria(actor: StaffActor) {
      const rows = await repo.criteria(db);
      return {
        editable: isCityUnion(actor) && actor.permissions.has('reform:manage'),
        items: rows.map((c) => ({ id: c.id, name: c.name, maxScore: c.max_score, active: c.active, version: c.version })),
      };
    },

    async addCriterion(actor: StaffActor, meta: RequestMeta, input: { name: string; maxScore: number }) {
      if (!isCityUnion(actor)) throw new AppError('FORBIDDEN', '评星定级标准由市总工会统一维护');
      await db.transaction().execute(async (trx) => {
        const row = await repo.insertCriterion(trx, { name: input.name, max_score: input.maxScore, sort: 100 });
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'reform.criterion.add', targetType: 'reform_criterion', targetId: row.id, orgId: actor.orgId, outcome: 'success' });
      });
      return service.criteria(actor);
    },

    async editCriterion(actor: StaffActor, meta: RequestMeta, id: string, input: { name?: string; maxScore?: number; active?: boolean; version: number }) {
      if (!isCityUnion(actor)) throw new AppError('FORBIDDEN', '评星定级标准由市总工会统一维护');
      await db.transaction().execute(async (trx) => {
        const ok = await repo.updateCriterion(trx, id, input.version, {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.maxScore !== undefined && { max_score: input.maxScore }),
          ...(input.active !== undefined && { active: input.active }),
        });
        if (!ok) throw conflict('评分项不存在或已被他人修改，请刷新后重试');
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'reform.criterion.edit', targetType: 'reform_criterion', targetId: id, orgId: actor.orgId, outcome: 'success' });
      });
      return service.criteria(actor);
    },

    async figures(actor: StaffActor, q: { orgId?: string; year?: number }) {
      const org = q.orgId ? await ctx.orgs.findInScope(actor, q.orgId) : { path: actor.orgPath };
      if (!org) throw notFound('工会');
      const year = q.year ?? Number(today().slice(0, 4));
      const [f, more] = await Promise.all([repo.figures(db, org.path, year), visits.childFigures(org.path, year)]);
      const due = Number(f.due);
      return {
        year,
        pilots: Number(f.pilots),
        rated: Number(f.rated),
        stars: [1, 2, 3, 4, 5].map((s) => ({ stars: s, count: Number(f[`s${s}` as 's1']) })),
        tasksDue: due,
        tasksDone: Number(f.done),
        tasksOnTime: Number(f.on_time),
        onTimeRate: due ? Math.round((Number(f.on_time) / due) * 1000) / 10 : null,
        // 督查考核 visits of the year and the figures per direct child union (county → towns, city → counties)
        ...more,
      };
    },
  };
  return service;
}

export type ReformService = ReturnType<typeof createReformService>;
