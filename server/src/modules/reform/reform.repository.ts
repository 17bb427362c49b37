// 产改 SQL: pilots (every read by outside id prefix-scoped by the pilot's union path), their lists,
// the criteria and the yearly ratings, and the figures of a subtree.
import { sql, type Insertable } from 'kysely';
import type { ReformTables } from '../../db/schema-reform.js';
import type { Executor } from '../audit/audit.repository.js';

const PILOT = [
  'p.id',
  'p.org_id',
  'p.enterprise_id',
  'p.since_year',
  'p.note',
  'p.version',
  'o.name as org_name',
  'e.name as enterprise_name',
  sql<number | null>`(select r.stars from reform_ratings r where r.pilot_id = p.id order by r.year desc limit 1)`.as('stars'),
  sql<number | null>`(select r.year from reform_ratings r where r.pilot_id = p.id order by r.year desc limit 1)`.as('rated_year'),
  sql<string>`(select count(*) from reform_items i where i.pilot_id = p.id)`.as('items'),
  sql<string>`(select count(*) from reform_items i where i.pilot_id = p.id and i.status = 'done')`.as('items_done'),
] as const;

export const reformRepository = {
  async insertPilot(db: Executor, row: Insertable<ReformTables['reform_pilots']>) {
    return db.insertInto('reform_pilots').values(row).onConflict((oc) => oc.column('enterprise_id').doNothing()).returning(['id']).executeTakeFirst();
  },

  async pilotInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('reform_pilots as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .innerJoin('enterprises as e', 'e.id', 'p.enterprise_id')
      .select(PILOT)
      .where('p.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async pilots(db: Executor, scopePath: string, f: { orgPath?: string; q?: string; stars?: number; limit: number; offset: number }) {
    let q = db.selectFrom('reform_pilots as p').innerJoin('orgs as o', 'o.id', 'p.org_id').innerJoin('enterprises as e', 'e.id', 'p.enterprise_id').where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.q) q = q.where('e.name', 'like', `%${f.q}%`);
    if (f.stars !== undefined)
      q = q.where(
        sql<number>`coalesce((select r.stars from reform_ratings r where r.pilot_id = p.id order by r.year desc limit 1), 0)`,
        '=',
        f.stars,
      );
    const items = await q.select(PILOT).orderBy('p.id', 'desc').limit(f.limit).offset(f.offset).execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  async items(db: Executor, pilotId: string) {
    return db
      .selectFrom('reform_items')
      .select(['id', 'kind', 'title', 'owner', sql<string>`due_on::text`.as('due_on'), 'status', sql<string | null>`done_on::text`.as('done_on'), 'evidence'])
      .where('pilot_id', '=', pilotId)
      .orderBy('kind')
      .orderBy('due_on')
      .orderBy('id')
      .execute();
  },

  async insertItem(db: Executor, row: Insertable<ReformTables['reform_items']>) {
    return db.insertInto('reform_items').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  /** Marks one open item of the pilot done; no row when it is not open. */
  async finishItem(db: Executor, pilotId: string, id: string, doneOn: string, evidence: string) {
    return db
      .updateTable('reform_items')
      .set({ status: 'done', done_on: doneOn, evidence })
      .where('pilot_id', '=', pilotId)
      .where('id', '=', id)
      .where('status', '=', 'open')
      .returning(['id', 'title'])
      .executeTakeFirst();
  },

  async criteria(db: Executor) {
    return db.selectFrom('reform_criteria').selectAll().orderBy('sort').orderBy('id').execute();
  },

  async insertCriterion(db: Executor, row: Insertable<ReformTables['reform_criteria']>) {
    return db.insertInto('reform_criteria').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async updateCriterion(db: Executor, id: string, version: number, patch: { name?: string; max_score?: number; active?: boolean }) {
    return db
      .updateTable('reform_criteria')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  async ratings(db: Executor, pilotId: string) {
    return db
      .selectFrom('reform_ratings')
      .select(['id', 'year', 'scores', 'total', 'stars', 'rater', sql<string>`rated_on::text`.as('rated_on')])
      .where('pilot_id', '=', pilotId)
      .orderBy('year', 'desc')
      .execute();
  },

  /** One rating per pilot and year: no row when the year is rated already. */
  async insertRating(db: Executor, row: Insertable<ReformTables['reform_ratings']>) {
    return db.insertInto('reform_ratings').values(row).onConflict((oc) => oc.columns(['pilot_id', 'year']).doNothing()).returning(['id']).executeTakeFirst();
  },

  /** 产改 figures of a subtree: pilots, stars of the year's ratings, tasks due in the year and done on time. */
  async figures(db: Executor, path: string, year: number) {
    const r = await sql<{ pilots: string; rated: string; s1: string; s2: string; s3: string; s4: string; s5: string; due: string; done: string; on_time: string }>`
      with p as (select p.id from reform_pilots p join orgs o on o.id = p.org_id where o.path like ${`${path}%`}),
      r as (select r.stars from reform_ratings r where r.pilot_id in (select id from p) and r.year = ${year}),
      i as (select i.* from reform_items i where i.pilot_id in (select id from p) and i.kind = 'task'
        and i.due_on >= ${`${year}-01-01`}::date and i.due_on < ${`${year + 1}-01-01`}::date)
      select (select count(*) from p) as pilots, (select count(*) from r) as rated,
        (select count(*) from r where stars = 1) as s1, (select count(*) from r where stars = 2) as s2, (select count(*) from r where stars = 3) as s3,
        (select count(*) from r where stars = 4) as s4, (select count(*) from r where stars = 5) as s5,
        (select count(*) from i) as due, (select count(*) from i where status = 'done') as done,
        (select count(*) from i where status = 'done' and done_on <= due_on) as on_time`.execute(db);
    return r.rows[0]!;
  },
};
