// 创新成果积分 (兴化's 积分奖励办法): a points table per union — base points per achievement kind, per
// award level, per patent type (发明 / 实用新型 / 外观设计) and per economic-benefit band. The city's table
// is the default (built-in values until the city saves one); a county may keep its own. An achievement is
// scored by the table in force for its studio's union when it is recorded, and keeps those points (a later
// change of the table does not rescore what was awarded). Points per year by studio and by the credited
// person are always listed (by name); the ranking (by points) answers only where the union in force
// switched it on (off by default → 403).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AchievementKind, AwardLevel, PatentType, PointsTable } from '../../db/schema-models.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { fromFen, toFen } from '../../platform/money.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { Executor } from '../audit/audit.repository.js';
import type { ModuleContext } from '../module-context.js';
import { pointsRepository as repo } from './models.points.repository.js';
import type { PointsTableInput } from './models.points.schema.js';

export const AWARD_LEVELS: Record<AwardLevel, string> = { national: '国家级', provincial: '省级', city: '市级', county: '县级' };
export const PATENT_TYPES: Record<PatentType, string> = { invention: '发明专利', utility: '实用新型专利', design: '外观设计专利' };

/** The built-in table: the city's until it saves its own. */
export const DEFAULT_POINTS: PointsTable = {
  kinds: { patent: 0, innovation: 10, five_small: 5, apprentice: 3, benefit: 0 },
  award: { national: 100, provincial: 60, city: 30, county: 15 },
  patent: { invention: 50, utility: 20, design: 10 },
  benefit: [
    { minFen: '10000000', points: 5 },
    { minFen: '50000000', points: 10 },
    { minFen: '100000000', points: 20 },
    { minFen: '500000000', points: 40 },
  ],
};

export interface Scorable {
  kind: AchievementKind;
  patentType?: PatentType | null;
  awardLevel?: AwardLevel | null;
  benefitFen?: bigint | null;
}

/** Points of one achievement under a table, with the parts in words. */
export function scoreAchievement(t: PointsTable, a: Scorable): { points: number; parts: string[] } {
  const parts: string[] = [];
  let points = t.kinds[a.kind] ?? 0;
  if (points) parts.push(`基础 ${points}`);
  if (a.kind === 'patent' && a.patentType) {
    points += t.patent[a.patentType] ?? 0;
    parts.push(`${PATENT_TYPES[a.patentType]} ${t.patent[a.patentType] ?? 0}`);
  }
  if (a.awardLevel) {
    points += t.award[a.awardLevel] ?? 0;
    parts.push(`${AWARD_LEVELS[a.awardLevel]}奖励 ${t.award[a.awardLevel] ?? 0}`);
  }
  if (a.benefitFen) {
    const band = [...t.benefit].sort((x, y) => (BigInt(y.minFen) > BigInt(x.minFen) ? 1 : -1)).find((b) => a.benefitFen! >= BigInt(b.minFen));
    if (band) {
      points += band.points;
      parts.push(`创效 ≥ ${fromFen(BigInt(band.minFen))} 元 ${band.points}`);
    }
  }
  return { points, parts };
}

/** The table in force at a union's path: its own or the nearest above; the built-in default else. */
export async function pointsTableFor(db: Executor, path: string) {
  const row = await repo.tableFor(db, path);
  return row
    ? { table: { kinds: row.kinds, award: row.award, patent: row.patent, benefit: row.benefit } as PointsTable, orgId: row.org_id, row }
    : { table: DEFAULT_POINTS, orgId: null, row: undefined };
}

export function createPoints(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const year = () => Number(chinaDay(ctx.clock.now()).slice(0, 4));

  const tableDto = (t: PointsTable) => ({
    kinds: t.kinds,
    award: t.award,
    patent: t.patent,
    benefit: [...t.benefit].sort((x, y) => (BigInt(x.minFen) > BigInt(y.minFen) ? 1 : -1)).map((b) => ({ min: fromFen(BigInt(b.minFen)), points: b.points })),
  });

  async function callerOrg(actor: StaffActor) {
    const org = await ctx.orgs.findInScope(actor, actor.orgId);
    if (!org) throw notFound('工会');
    return org;
  }

  const points = {
    /** The table in force for the caller's union, where it comes from, and whether the caller may keep its own. */
    async table(actor: StaffActor) {
      const org = await callerOrg(actor);
      const t = await pointsTableFor(db, actor.orgPath);
      const own = t.row && t.row.org_id === actor.orgId ? t.row : undefined;
      return {
        ...tableDto(t.table),
        source: t.row ? { orgId: t.row.org_id, orgName: t.row.org_name } : null,
        own: !!own,
        rankingEnabled: t.row?.ranking_enabled ?? false,
        editable: ['city', 'county'].includes(org.type) && actor.permissions.has('models:manage'),
        version: own?.version ?? null,
        labels: { award: AWARD_LEVELS, patent: PATENT_TYPES },
      };
    },

    /** The caller's union (city or county) keeps its own table; `version` null creates it. */
    async saveTable(actor: StaffActor, meta: RequestMeta, input: PointsTableInput) {
      const org = await callerOrg(actor);
      if (!['city', 'county'].includes(org.type)) throw new AppError('FORBIDDEN', '积分标准由市总工会制定，县（市、区）总工会可另行制定');
      const mins = input.benefit.map((b) => toFen(b.min).toString());
      if (new Set(mins).size !== mins.length) throw invalid({ benefit: '创效金额档次不能重复' });
      await db.transaction().execute(async (trx) => {
        const row = await repo.save(
          trx,
          org.id,
          input.version ?? null,
          { kinds: input.kinds, award: input.award, patent: input.patent, benefit: input.benefit.map((b, i) => ({ minFen: mins[i]!, points: b.points })), ranking_enabled: input.rankingEnabled },
          actor.accountId,
          ctx.clock.now(),
        );
        if (!row) throw conflict(input.version == null ? '本工会已有积分标准，请刷新后修改' : '积分标准已被他人修改，请刷新后重试');
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'models.points.table',
          targetType: 'model_points_table',
          targetId: row.id,
          orgId: org.id,
          outcome: 'success',
          detail: { rankingEnabled: input.rankingEnabled },
        });
      });
      return points.table(actor);
    },

    /** Points of a year in the caller's subtree by studio or by person, listed by name. */
    async list(actor: StaffActor, q: { of: 'studio' | 'person'; year?: number; page: number; pageSize: number }, ranked = false) {
      const y = q.year ?? year();
      const f = { orderByPoints: ranked, limit: q.pageSize, offset: offsetOf(q) };
      const r = q.of === 'studio' ? await repo.byStudio(db, actor.orgPath, y, f) : await repo.byPerson(db, actor.orgPath, y, f);
      return {
        year: y,
        total: r.total,
        items: r.items.map((i, n) => ({
          ...(ranked && { rank: f.offset + n + 1 }),
          id: i.id,
          name: i.name,
          orgName: i.org_name,
          points: Number(i.points),
          achievements: Number(i.achievements),
        })),
      };
    },

    /** The ranking: only where the table in force for the caller's union has it switched on. */
    async ranking(actor: StaffActor, q: { of: 'studio' | 'person'; year?: number; page: number; pageSize: number }) {
      const t = await pointsTableFor(db, actor.orgPath);
      if (!t.row?.ranking_enabled) throw new AppError('FORBIDDEN', '本工会未开启创新成果积分排名');
      return points.list(actor, q, true);
    },

    personYears: async (personId: string) => (await repo.personYears(db, personId)).map((r) => ({ year: r.year, points: Number(r.points), achievements: Number(r.achievements) })),
    studioYears: async (studioId: string) => (await repo.studioYears(db, studioId)).map((r) => ({ year: r.year, points: Number(r.points), achievements: Number(r.achievements) })),
  };
  return points;
}

export type ModelsPoints = ReturnType<typeof createPoints>;
