// The 分级分类 职业技能竞赛目录: entries by level (国家级 / 省级 / 市级 / 县级) and class (一类 / 二类 / 其他),
// trade, organiser, and whether results map to a 技能等级 or a 职称 (and which) — city-wide reference data
// kept by the city union. A 技能竞赛 activity (modules/activities, read through `activities.get` so its
// scope applies) is tagged with its entry, once. A winner's result is recorded on their register entry
// as a 技能等级 (or 职称) result: once per person, entry and year.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ActivitiesService } from '../activities/activities.service.js';
import type { ModuleContext } from '../module-context.js';
import { competitionsRepository as repo } from './models.competitions.repository.js';
import { modelsRepository } from './models.repository.js';
import type { SkillResultInput } from './models.points.schema.js';
import { likeText } from './models.service.js';

export const COMPETITION_LEVELS = { national: '国家级', provincial: '省级', city: '市级', county: '县级' } as const;
export const COMPETITION_CATEGORIES = { class1: '一类竞赛', class2: '二类竞赛', other: '其他' } as const;
export const MAPS_TO = { skill_level: '技能等级', title: '职称', none: '不对应' } as const;
const isCityUnion = (actor: StaffActor) => /^\/[0-9]+\/$/.test(actor.orgPath);

export type CompetitionsCtx = ModuleContext & { activities: Pick<ActivitiesService, 'get'> };
type Row = NonNullable<Awaited<ReturnType<typeof repo.get>>>;

export function createCompetitions(ctx: CompetitionsCtx) {
  const db: Kysely<DB> = ctx.database.db;
  const dto = (c: Row) => ({
    id: c.id,
    name: c.name,
    level: c.level,
    levelLabel: COMPETITION_LEVELS[c.level],
    category: c.category,
    categoryLabel: COMPETITION_CATEGORIES[c.category],
    trade: c.trade,
    organiser: c.organiser,
    mapsTo: c.maps_to,
    mapsToLabel: MAPS_TO[c.maps_to],
    grants: c.grants,
    active: c.active,
    version: c.version,
  });
  const cityOnly = (actor: StaffActor) => {
    if (!isCityUnion(actor)) throw new AppError('FORBIDDEN', '职业技能竞赛目录由市总工会统一维护');
  };
  async function entryOrThrow(id: string) {
    const c = await repo.get(db, id);
    if (!c) throw notFound('竞赛');
    return c;
  }

  const competitions = {
    async list(actor: StaffActor, q: { q?: string; level?: string; page: number; pageSize: number }) {
      const { items, total } = await repo.list(db, { q: q.q ? likeText(q.q) : undefined, level: q.level, limit: q.pageSize, offset: offsetOf(q) });
      return { items: items.map(dto), total, editable: isCityUnion(actor) && actor.permissions.has('models:manage') };
    },

    /** An entry and the 技能竞赛 activities of the caller's subtree tagged with it. */
    async get(actor: StaffActor, id: string) {
      const c = await entryOrThrow(id);
      const acts = await repo.activities(db, actor.orgPath, id);
      return { ...dto(c), activities: acts.map((a) => ({ id: a.id, title: a.title, startsOn: a.starts_on })) };
    },

    async create(actor: StaffActor, meta: RequestMeta, input: { name: string; level: Row['level']; category: Row['category']; trade: string; organiser: string; mapsTo: Row['maps_to']; grants?: string | null }) {
      cityOnly(actor);
      if (input.mapsTo !== 'none' && !input.grants) throw invalid({ grants: '请填写成绩可对应的技能等级或职称' });
      const id = await db.transaction().execute(async (trx) => {
        const row = await repo.insert(trx, {
          name: input.name,
          level: input.level,
          category: input.category,
          trade: input.trade,
          organiser: input.organiser,
          maps_to: input.mapsTo,
          grants: input.mapsTo === 'none' ? null : (input.grants ?? null),
          created_by: actor.accountId,
        });
        if (!row) throw invalid({ name: '目录中已有同名同级竞赛' });
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'models.competition.add', targetType: 'model_competition', targetId: row.id, orgId: actor.orgId, outcome: 'success' });
        return row.id;
      });
      return competitions.get(actor, id);
    },

    async edit(actor: StaffActor, meta: RequestMeta, id: string, input: Partial<{ name: string; level: Row['level']; category: Row['category']; trade: string; organiser: string; mapsTo: Row['maps_to']; grants: string | null; active: boolean }> & { version: number }) {
      cityOnly(actor);
      await entryOrThrow(id);
      await db.transaction().execute(async (trx) => {
        const ok = await repo.update(trx, id, input.version, {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.level !== undefined && { level: input.level }),
          ...(input.category !== undefined && { category: input.category }),
          ...(input.trade !== undefined && { trade: input.trade }),
          ...(input.organiser !== undefined && { organiser: input.organiser }),
          ...(input.mapsTo !== undefined && { maps_to: input.mapsTo }),
          ...(input.grants !== undefined && { grants: input.grants }),
          ...(input.active !== undefined && { active: input.active }),
        });
        if (!ok) throw conflict('竞赛目录已被他人修改，请刷新后重试');
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'models.competition.edit', targetType: 'model_competition', targetId: id, orgId: actor.orgId, outcome: 'success' });
      });
      return competitions.get(actor, id);
    },

    /** A 技能竞赛 activity of the caller's scope picks its catalogue entry (once). */
    async tagActivity(actor: StaffActor, meta: RequestMeta, id: string, input: { activityId: string }) {
      const a = await ctx.activities.get(actor, input.activityId);
      const c = await entryOrThrow(id);
      if (a.type !== 'contest') throw invalid({ activityId: '只有技能竞赛类活动可以对应竞赛目录' });
      if (!c.active) throw invalid({ activityId: '该竞赛目录条目已停用' });
      await db.transaction().execute(async (trx) => {
        const row = await repo.tagActivity(trx, { activity_id: a.id, competition_id: c.id, created_by: actor.accountId });
        if (!row) throw invalid({ activityId: '该活动已对应竞赛目录' });
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'models.competition.activity', targetType: 'model_competition', targetId: c.id, orgId: a.org.id, outcome: 'success', detail: { activity: a.id } });
      });
      return competitions.get(actor, id);
    },

    /** A winner's result on their register entry: a 技能等级 (or 职称) from a catalogue entry that maps to one. */
    async recordResult(actor: StaffActor, meta: RequestMeta, personId: string, input: SkillResultInput) {
      const p = await modelsRepository.inScope(db, actor.orgPath, personId);
      if (!p) throw notFound('劳模工匠');
      const c = await entryOrThrow(input.competitionId);
      if (c.maps_to === 'none') throw invalid({ competitionId: '该竞赛的成绩不对应技能等级或职称' });
      if (input.year > Number(chinaDay(ctx.clock.now()).slice(0, 4))) throw invalid({ year: '年度不能晚于今年' });
      if (input.activityId) {
        const a = await ctx.activities.get(actor, input.activityId);
        const tagged = await repo.entryOfActivity(db, a.id);
        if (tagged?.competition_id !== c.id) throw invalid({ activityId: '该活动未对应此竞赛' });
      }
      const grants = input.grants ?? c.grants;
      if (!grants) throw invalid({ grants: '请填写认定的技能等级或职称' });
      await db.transaction().execute(async (trx) => {
        const row = await repo.insertResult(trx, {
          model_person_id: p.id,
          competition_id: c.id,
          activity_id: input.activityId ?? null,
          year: input.year,
          placement: input.placing,
          grants,
          certificate_no: input.certificateNo ?? null,
          org_id: actor.orgId,
          created_by: actor.accountId,
        });
        if (!row) throw conflict(`已登记 ${input.year} 年「${c.name}」的成绩`);
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'models.skill.result',
          targetType: 'model_person',
          targetId: p.id,
          orgId: p.org_id,
          outcome: 'success',
          detail: { competition: c.id, year: input.year, grants },
        });
      });
      return competitions.results(p.id);
    },

    async results(personId: string) {
      return (await repo.results(db, personId)).map((r) => ({
        id: r.id,
        year: r.year,
        competition: r.competition_name,
        levelLabel: COMPETITION_LEVELS[r.level],
        mapsToLabel: MAPS_TO[r.maps_to],
        placing: r.placement,
        grants: r.grants,
        certificateNo: r.certificate_no,
        activity: r.activity_title,
      }));
    },
  };
  return competitions;
}

export type ModelsCompetitions = ReturnType<typeof createCompetitions>;
