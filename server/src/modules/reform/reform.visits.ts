// 产改 督查考核 visits on a pilot (date, inspectors, findings, score 0–100) and 工匠学院: a union's record of
// a craftsman academy (host, founding year) linked to pilots of its subtree. Both scoped like the pilots.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { reformRepository } from './reform.repository.js';
import { reformVisitsRepository as repo } from './reform.visits.repository.js';

export function createReformVisits(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const today = () => chinaDay(ctx.clock.now());

  async function pilotOrThrow(actor: StaffActor, id: string) {
    const p = await reformRepository.pilotInScope(db, actor.orgPath, id);
    if (!p) throw notFound('产改试点企业');
    return p;
  }

  const visits = {
    async inspections(pilotId: string) {
      return (await repo.inspections(db, pilotId)).map((v) => ({ id: v.id, visitedOn: v.visited_on, inspectors: v.inspectors, findings: v.findings, score: v.score }));
    },

    async academiesOfPilot(pilotId: string) {
      return repo.academiesOfPilot(db, pilotId);
    },

    /** A 督查考核 visit on a pilot of the caller's subtree. */
    async inspect(actor: StaffActor, meta: RequestMeta, pilotId: string, input: { visitedOn: string; inspectors: string; findings: string; score: number }) {
      const p = await pilotOrThrow(actor, pilotId);
      if (input.visitedOn > today()) throw invalid({ visitedOn: '督查日期不能晚于今天' });
      await db.transaction().execute(async (trx) => {
        const row = await repo.insertInspection(trx, { pilot_id: p.id, visited_on: input.visitedOn, inspectors: input.inspectors, findings: input.findings, score: input.score, created_by: actor.accountId });
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'reform.pilot.inspect', targetType: 'reform_pilot', targetId: p.id, orgId: p.org_id, outcome: 'success', detail: { inspection: row.id, score: input.score } });
      });
    },

    async academies(actor: StaffActor, q: { page: number; pageSize: number }) {
      const { items, total } = await repo.academies(db, actor.orgPath, q.pageSize, offsetOf(q));
      return { items: items.map((a) => ({ id: a.id, name: a.name, host: a.host, foundedYear: a.founded_year, note: a.note, orgName: a.org_name, pilots: a.pilots })), total };
    },

    /** A 工匠学院 of a union in the caller's subtree, optionally linked at once to pilots of the subtree. */
    async addAcademy(actor: StaffActor, meta: RequestMeta, input: { orgId: string; name: string; host: string; foundedYear: number; note?: string | null; pilotIds: string[] }) {
      const org = await ctx.orgs.findInScope(actor, input.orgId);
      if (!org) throw notFound('所属工会');
      for (const id of input.pilotIds) await pilotOrThrow(actor, id);
      return db.transaction().execute(async (trx) => {
        const row = await repo.insertAcademy(trx, { org_id: org.id, name: input.name, host: input.host, founded_year: input.foundedYear, note: input.note ?? null, created_by: actor.accountId });
        if (!row) throw invalid({ name: '本工会已有同名工匠学院' });
        for (const id of input.pilotIds) await repo.linkPilot(trx, row.id, id);
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'reform.academy.add', targetType: 'reform_academy', targetId: row.id, orgId: org.id, outcome: 'success', detail: { pilots: input.pilotIds } });
        return { id: row.id };
      });
    },

    /** Links a pilot of the caller's subtree to a 工匠学院 of the caller's subtree. */
    async linkPilot(actor: StaffActor, meta: RequestMeta, academyId: string, input: { pilotId: string }) {
      const a = await repo.academyInScope(db, actor.orgPath, academyId);
      if (!a) throw notFound('工匠学院');
      const p = await pilotOrThrow(actor, input.pilotId);
      await db.transaction().execute(async (trx) => {
        if (!(await repo.linkPilot(trx, a.id, p.id))) throw invalid({ pilotId: '该试点企业已关联此工匠学院' });
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'reform.academy.link', targetType: 'reform_academy', targetId: a.id, orgId: a.org_id, outcome: 'success', detail: { pilot: p.id } });
      });
      return { ok: true };
    },

    async childFigures(path: string, year: number) {
      const [rows, v] = await Promise.all([repo.byChild(db, path, year), repo.visitsOfYear(db, path, year)]);
      return {
        visits: Number(v.visits),
        visitAvgScore: v.avg_score === null ? null : Number(v.avg_score),
        children: rows.map((r) => {
          const due = Number(r.due);
          return {
            org: { id: r.org_id, name: r.org_name },
            pilots: Number(r.pilots),
            rated: Number(r.rated),
            visits: Number(r.visits),
            tasksDue: due,
            tasksDone: Number(r.done),
            tasksOnTime: Number(r.on_time),
            onTimeRate: due ? Math.round((Number(r.on_time) / due) * 1000) / 10 : null,
          };
        }),
      };
    },
  };
  return visits;
}

export type ReformVisits = ReturnType<typeof createReformVisits>;
