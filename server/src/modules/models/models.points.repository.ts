// 创新成果积分 SQL: the points tables (one per union), the table in force for a union (its own or the
// nearest above it), and a subtree's points per year by studio and by credited person.
import { sql } from 'kysely';
import type { PointsTable } from '../../db/schema-models.js';
import type { Executor } from '../audit/audit.repository.js';

export interface PointsRow {
  id: string;
  org_id: string;
  org_name: string;
  org_path: string;
  kinds: PointsTable['kinds'];
  award: PointsTable['award'];
  patent: PointsTable['patent'];
  benefit: PointsTable['benefit'];
  ranking_enabled: boolean;
  version: number;
}

export const pointsRepository = {
  /** The table in force at `path`: the union's own, else the nearest union above it with one (longest path prefix). */
  async tableFor(db: Executor, path: string): Promise<PointsRow | undefined> {
    return db
      .selectFrom('model_points_tables as t')
      .innerJoin('orgs as o', 'o.id', 't.org_id')
      .select(['t.id', 't.org_id', 'o.name as org_name', 'o.path as org_path', 't.kinds', 't.award', 't.patent', 't.benefit', 't.ranking_enabled', 't.version'])
      .where(sql<boolean>`starts_with(${path}, o.path)`)
      .orderBy(sql`length(o.path)`, 'desc')
      .limit(1)
      .executeTakeFirst() as Promise<PointsRow | undefined>;
  },

  /** Inserts the union's table, or updates it at `version`; no row when someone else saved first. */
  async save(db: Executor, orgId: string, version: number | null, t: PointsTable & { ranking_enabled: boolean }, by: string, at: Date) {
    const values = {
      kinds: JSON.stringify(t.kinds),
      award: JSON.stringify(t.award),
      patent: JSON.stringify(t.patent),
      benefit: JSON.stringify(t.benefit),
      ranking_enabled: t.ranking_enabled,
      updated_by: by,
      updated_at: at,
    };
    if (version === null)
      return db
        .insertInto('model_points_tables')
        .values({ org_id: orgId, ...values })
        .onConflict((oc) => oc.column('org_id').doNothing())
        .returning(['id'])
        .executeTakeFirst();
    return db
      .updateTable('model_points_tables')
      .set({ ...values, version: sql`version + 1` })
      .where('org_id', '=', orgId)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  /** Points of the year by studio in the subtree (studios with at least one achievement that year). */
  async byStudio(db: Executor, scopePath: string, year: number, f: { orderByPoints: boolean; limit: number; offset: number }) {
    const q = db
      .selectFrom('model_studio_achievements as a')
      .innerJoin('model_studios as s', 's.id', 'a.studio_id')
      .innerJoin('orgs as o', 'o.id', 's.org_id')
      .where('o.path', 'like', `${scopePath}%`)
      .where('a.year', '=', year);
    const items = await q
      .select(['s.id', 's.name', 's.kind', 'o.name as org_name', sql<string>`sum(a.points)`.as('points'), sql<string>`count(*)`.as('achievements')])
      .groupBy(['s.id', 's.name', 's.kind', 'o.name'])
      .orderBy(f.orderByPoints ? sql`sum(a.points) desc, s.id` : sql`s.name, s.id`)
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(distinct s.id)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  /** Points of the year by credited person (register entries in the subtree). */
  async byPerson(db: Executor, scopePath: string, year: number, f: { orderByPoints: boolean; limit: number; offset: number }) {
    const q = db
      .selectFrom('model_studio_achievements as a')
      .innerJoin('model_people as p', 'p.id', 'a.person_id')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .where('o.path', 'like', `${scopePath}%`)
      .where('a.year', '=', year);
    const items = await q
      .select(['p.id', 'p.name', 'o.name as org_name', sql<string>`sum(a.points)`.as('points'), sql<string>`count(*)`.as('achievements')])
      .groupBy(['p.id', 'p.name', 'o.name'])
      .orderBy(f.orderByPoints ? sql`sum(a.points) desc, p.id` : sql`p.name, p.id`)
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(distinct p.id)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  /** One person's points per year (the register detail). */
  async personYears(db: Executor, personId: string) {
    return db
      .selectFrom('model_studio_achievements')
      .select(['year', sql<string>`sum(points)`.as('points'), sql<string>`count(*)`.as('achievements')])
      .where('person_id', '=', personId)
      .groupBy('year')
      .orderBy('year', 'desc')
      .execute();
  },

  /** One studio's points per year. */
  async studioYears(db: Executor, studioId: string) {
    return db
      .selectFrom('model_studio_achievements')
      .select(['year', sql<string>`sum(points)`.as('points'), sql<string>`count(*)`.as('achievements')])
      .where('studio_id', '=', studioId)
      .groupBy('year')
      .orderBy('year', 'desc')
      .execute();
  },
};
