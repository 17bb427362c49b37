// 产改 督查考核 visits (per pilot, scoped through the pilot's union path), 工匠学院 (a union's record
// linked to pilots of its subtree), and the per-child figures of a subtree.
import { sql, type Insertable } from 'kysely';
import type { ReformTables } from '../../db/schema-reform.js';
import type { Executor } from '../audit/audit.repository.js';

export const reformVisitsRepository = {
  async insertInspection(db: Executor, row: Insertable<ReformTables['reform_inspections']>) {
    return db.insertInto('reform_inspections').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async inspections(db: Executor, pilotId: string) {
    return db
      .selectFrom('reform_inspections')
      .select(['id', sql<string>`visited_on::text`.as('visited_on'), 'inspectors', 'findings', 'score'])
      .where('pilot_id', '=', pilotId)
      .orderBy('visited_on', 'desc')
      .orderBy('id', 'desc')
      .execute();
  },

  async insertAcademy(db: Executor, row: Insertable<ReformTables['reform_academies']>) {
    return db.insertInto('reform_academies').values(row).onConflict((oc) => oc.columns(['org_id', 'name']).doNothing()).returning(['id']).executeTakeFirst();
  },

  async academyInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('reform_academies as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select(['a.id', 'a.org_id', 'a.name', 'o.path as org_path'])
      .where('a.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async linkPilot(db: Executor, academyId: string, pilotId: string) {
    return db.insertInto('reform_academy_pilots').values({ academy_id: academyId, pilot_id: pilotId }).onConflict((oc) => oc.doNothing()).returning(['pilot_id']).executeTakeFirst();
  },

  /** 工匠学院 of the subtree with their linked pilots (enterprise names) — only pilots the caller may see. */
  async academies(db: Executor, scopePath: string, limit: number, offset: number) {
    const q = db.selectFrom('reform_academies as a').innerJoin('orgs as o', 'o.id', 'a.org_id').where('o.path', 'like', `${scopePath}%`);
    const items = await q
      .select([
        'a.id',
        'a.name',
        'a.host',
        'a.founded_year',
        'a.note',
        'o.name as org_name',
        sql<{ id: string; name: string }[]>`(select coalesce(json_agg(json_build_object('id', p.id::text, 'name', e.name) order by p.id), '[]')
          from reform_academy_pilots x join reform_pilots p on p.id = x.pilot_id join enterprises e on e.id = p.enterprise_id join orgs po on po.id = p.org_id
          where x.academy_id = a.id and po.path like ${`${scopePath}%`})`.as('pilots'),
      ])
      .orderBy('a.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  /** The 工匠学院 a pilot is linked to. */
  async academiesOfPilot(db: Executor, pilotId: string) {
    return db
      .selectFrom('reform_academy_pilots as x')
      .innerJoin('reform_academies as a', 'a.id', 'x.academy_id')
      .select(['a.id', 'a.name'])
      .where('x.pilot_id', '=', pilotId)
      .orderBy('a.id')
      .execute();
  },

  /**
   * Per direct child union of `path` (grouped by the path segment after it): pilots, rated this year, 督查考核
   * visits this year, tasks due in the year, done, done on time.
   */
  async byChild(db: Executor, path: string, year: number) {
    const from = `${year}-01-01`;
    const to = `${year + 1}-01-01`;
    const r = await sql<{ org_id: string; org_name: string; pilots: string; rated: string; visits: string; due: string; done: string; on_time: string }>`
      with p as (
        select p.id, split_part(substr(o.path, ${path.length + 1}), '/', 1) as child
          from reform_pilots p join orgs o on o.id = p.org_id
         where o.path like ${`${path}%`} and o.path <> ${path}
      )
      select c.id::text as org_id, c.name as org_name,
        (select count(*) from p where p.child = c.id::text) as pilots,
        (select count(*) from reform_ratings r join p on p.id = r.pilot_id where p.child = c.id::text and r.year = ${year}) as rated,
        (select count(*) from reform_inspections v join p on p.id = v.pilot_id where p.child = c.id::text
           and v.visited_on >= ${from}::date and v.visited_on < ${to}::date) as visits,
        (select count(*) from reform_items i join p on p.id = i.pilot_id where p.child = c.id::text and i.kind = 'task'
           and i.due_on >= ${from}::date and i.due_on < ${to}::date) as due,
        (select count(*) from reform_items i join p on p.id = i.pilot_id where p.child = c.id::text and i.kind = 'task'
           and i.due_on >= ${from}::date and i.due_on < ${to}::date and i.status = 'done') as done,
        (select count(*) from reform_items i join p on p.id = i.pilot_id where p.child = c.id::text and i.kind = 'task'
           and i.due_on >= ${from}::date and i.due_on < ${to}::date and i.status = 'done' and i.done_on <= i.due_on) as on_time
      from orgs c
      where c.parent_id = (select id from orgs where path = ${path}) and c.dissolved_at is null
        and exists (select 1 from p where p.child = c.id::text)
      order by c.id`.execute(db);
    return r.rows;
  },

  /** 督查考核 visits of the subtree in the year: count and average score. */
  async visitsOfYear(db: Executor, path: string, year: number) {
    return db
      .selectFrom('reform_inspections as v')
      .innerJoin('reform_pilots as p', 'p.id', 'v.pilot_id')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .select([sql<string>`count(*)`.as('visits'), sql<string | null>`round(avg(v.score), 1)::text`.as('avg_score')])
      .where('o.path', 'like', `${path}%`)
      .where('v.visited_on', '>=', `${year}-01-01`)
      .where('v.visited_on', '<', `${year + 1}-01-01`)
      .executeTakeFirstOrThrow();
  },
};
