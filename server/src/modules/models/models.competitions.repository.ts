// The 职业技能竞赛目录 (city-wide reference data), the 技能竞赛 activities tagged with an entry (scoped by
// the activity's union path) and the 技能等级 results of register entries.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { ModelsMoreTables } from '../../db/schema-models.js';
import type { Executor } from '../audit/audit.repository.js';

type Competition = ModelsMoreTables['model_competitions'];
const COLUMNS = ['id', 'name', 'level', 'category', 'trade', 'organiser', 'maps_to', 'grants', 'active', 'version'] as const;

export const competitionsRepository = {
  async list(db: Executor, f: { q?: string; level?: string; limit: number; offset: number }) {
    let q = db.selectFrom('model_competitions');
    if (f.level) q = q.where('level', '=', f.level as never);
    if (f.q) q = q.where((eb) => eb.or([eb('name', 'like', `%${f.q}%`), eb('trade', 'like', `%${f.q}%`)]));
    const items = await q
      .select([...COLUMNS, sql<string>`array_position(array['national','provincial','city','county'], level)`.as('level_order')])
      .orderBy(sql`array_position(array['national','provincial','city','county'], level)`)
      .orderBy('id')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  async get(db: Executor, id: string) {
    return db.selectFrom('model_competitions').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  },

  async insert(db: Executor, row: Insertable<Competition>) {
    return db.insertInto('model_competitions').values(row).onConflict((oc) => oc.columns(['name', 'level']).doNothing()).returning(['id']).executeTakeFirst();
  },

  async update(db: Executor, id: string, version: number, patch: Updateable<Competition>) {
    return db
      .updateTable('model_competitions')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  async tagActivity(db: Executor, row: { activity_id: string; competition_id: string; created_by: string }) {
    return db.insertInto('model_competition_activities').values(row).onConflict((oc) => oc.column('activity_id').doNothing()).returning(['id']).executeTakeFirst();
  },

  /** The tagged activities of an entry whose union is in the subtree. */
  async activities(db: Executor, scopePath: string, competitionId: string) {
    return db
      .selectFrom('model_competition_activities as x')
      .innerJoin('activities as a', 'a.id', 'x.activity_id')
      .select(['a.id', 'a.title', sql<string | null>`a.starts_on::text`.as('starts_on')])
      .where('x.competition_id', '=', competitionId)
      .where('a.org_path', 'like', `${scopePath}%`)
      .orderBy('a.id', 'desc')
      .limit(100)
      .execute();
  },

  /** The entry an activity is tagged with. */
  async entryOfActivity(db: Executor, activityId: string) {
    return db.selectFrom('model_competition_activities').select(['competition_id']).where('activity_id', '=', activityId).executeTakeFirst();
  },

  async insertResult(db: Executor, row: Insertable<ModelsMoreTables['model_skill_results']>) {
    return db
      .insertInto('model_skill_results')
      .values(row)
      .onConflict((oc) => oc.columns(['model_person_id', 'competition_id', 'year']).doNothing())
      .returning(['id'])
      .executeTakeFirst();
  },

  async results(db: Executor, personId: string) {
    return db
      .selectFrom('model_skill_results as r')
      .innerJoin('model_competitions as c', 'c.id', 'r.competition_id')
      .leftJoin('activities as a', 'a.id', 'r.activity_id')
      .select(['r.id', 'r.year', 'r.placement', 'r.grants', 'r.certificate_no', 'c.name as competition_name', 'c.level', 'c.maps_to', 'a.title as activity_title'])
      .where('r.model_person_id', '=', personId)
      .orderBy('r.year', 'desc')
      .orderBy('r.id', 'desc')
      .execute();
  },
};
