// 创新工作室 and problem-board SQL: every read by outside id prefix-scoped by the record's union path.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { ModelProblemRecordsTable, ModelProblemsTable, ModelStudioAchievementsTable, ModelStudiosTable } from '../../db/schema-models.js';
import type { Executor } from '../audit/audit.repository.js';

const STUDIO_COLUMNS = [
  's.id',
  's.org_id',
  's.kind',
  's.name',
  's.lead_id',
  's.enterprise_id',
  's.field',
  's.level',
  's.named_year',
  's.members',
  's.status',
  's.version',
  'o.name as org_name',
  'l.name as lead_name',
  'e.name as enterprise_name',
] as const;

const PROBLEM_COLUMNS = [
  'p.id',
  'p.org_id',
  'p.enterprise_id',
  'p.title',
  'p.field',
  'p.description',
  sql<string>`p.posted_on::text`.as('posted_on'),
  sql<string>`p.deadline::text`.as('deadline'),
  'p.status',
  'p.studio_id',
  'p.solver_id',
  sql<string | null>`p.claimed_on::text`.as('claimed_on'),
  sql<string | null>`p.solved_on::text`.as('solved_on'),
  'p.result',
  'p.people_involved',
  sql<string | null>`p.confirmed_on::text`.as('confirmed_on'),
  'p.confirmed_by',
  'p.confirm_note',
  'p.claimed_by',
  'p.solved_by',
  'p.version',
  'o.name as org_name',
  'e.name as enterprise_name',
  's.name as studio_name',
  'm.name as solver_name',
] as const;

export const boardRepository = {
  // ---- studios ----
  async insertStudio(db: Executor, row: Insertable<ModelStudiosTable>) {
    return db.insertInto('model_studios').values(row).onConflict((oc) => oc.columns(['org_id', 'name']).doNothing()).returning(['id']).executeTakeFirst();
  },

  async studioInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('model_studios as s')
      .innerJoin('orgs as o', 'o.id', 's.org_id')
      .leftJoin('model_people as l', 'l.id', 's.lead_id')
      .leftJoin('enterprises as e', 'e.id', 's.enterprise_id')
      .select([...STUDIO_COLUMNS, 'o.path as org_path'])
      .where('s.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async updateStudio(db: Executor, id: string, version: number, patch: Updateable<ModelStudiosTable>) {
    return db
      .updateTable('model_studios')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  async studios(db: Executor, scopePath: string, f: { orgPath?: string; q?: string; kind?: string; level?: string; limit: number; offset: number }) {
    let q = db
      .selectFrom('model_studios as s')
      .innerJoin('orgs as o', 'o.id', 's.org_id')
      .leftJoin('model_people as l', 'l.id', 's.lead_id')
      .leftJoin('enterprises as e', 'e.id', 's.enterprise_id')
      .where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.kind) q = q.where('s.kind', '=', f.kind as never);
    if (f.level) q = q.where('s.level', '=', f.level as never);
    if (f.q) q = q.where((eb) => eb.or([eb('s.name', 'like', `%${f.q}%`), eb('s.field', 'like', `%${f.q}%`)]));
    const items = await q
      .select([
        ...STUDIO_COLUMNS,
        sql<string>`(select count(*) from model_studio_achievements a where a.studio_id = s.id)`.as('achievements'),
        sql<string>`(select count(*) from model_problems p where p.studio_id = s.id and p.status = 'confirmed')`.as('solved'),
      ])
      .orderBy('s.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  async insertAchievement(db: Executor, row: Insertable<ModelStudioAchievementsTable>) {
    return db.insertInto('model_studio_achievements').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async achievements(db: Executor, studioId: string) {
    return db
      .selectFrom('model_studio_achievements as a')
      .leftJoin('model_people as p', 'p.id', 'a.person_id')
      .select(['a.id', 'a.kind', 'a.title', 'a.year', 'a.benefit_fen', 'a.note', 'a.patent_type', 'a.award_level', 'a.points', 'a.person_id', 'p.name as person_name'])
      .where('a.studio_id', '=', studioId)
      .orderBy('a.year', 'desc')
      .orderBy('a.id', 'desc')
      .execute();
  },

  // ---- problems ----
  async insertProblem(db: Executor, row: Insertable<ModelProblemsTable>) {
    return db.insertInto('model_problems').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async problemInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('model_problems as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .innerJoin('enterprises as e', 'e.id', 'p.enterprise_id')
      .leftJoin('model_studios as s', 's.id', 'p.studio_id')
      .leftJoin('model_people as m', 'm.id', 'p.solver_id')
      .select(PROBLEM_COLUMNS)
      .where('p.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async updateProblem(db: Executor, id: string, version: number, from: string[], patch: Updateable<ModelProblemsTable>) {
    return db
      .updateTable('model_problems')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', 'in', from as never[])
      .returning(['id'])
      .executeTakeFirst();
  },

  async problems(db: Executor, scopePath: string, f: { orgPath?: string; q?: string; status?: string; studioId?: string; limit: number; offset: number }) {
    let q = db
      .selectFrom('model_problems as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .innerJoin('enterprises as e', 'e.id', 'p.enterprise_id')
      .leftJoin('model_studios as s', 's.id', 'p.studio_id')
      .leftJoin('model_people as m', 'm.id', 'p.solver_id')
      .where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.status) q = q.where('p.status', '=', f.status as never);
    if (f.studioId) q = q.where('p.studio_id', '=', f.studioId);
    if (f.q) q = q.where((eb) => eb.or([eb('p.title', 'like', `%${f.q}%`), eb('e.name', 'like', `%${f.q}%`)]));
    const items = await q.select(PROBLEM_COLUMNS).orderBy('p.posted_on', 'desc').orderBy('p.id', 'desc').limit(f.limit).offset(f.offset).execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  async insertRecord(db: Executor, row: Insertable<ModelProblemRecordsTable>) {
    await db.insertInto('model_problem_records').values(row).execute();
  },

  async records(db: Executor, problemId: string) {
    return db
      .selectFrom('model_problem_records')
      .select(['id', 'kind', sql<string>`on_day::text`.as('on_day'), 'text', 'actor_name', 'created_at'])
      .where('problem_id', '=', problemId)
      .orderBy('id')
      .execute();
  },

  /** 助企行 per month of `year` in the subtree: posted, claimed, solved (confirmed by the enterprise) and who/what they served. */
  async monthly(db: Executor, scopePath: string, from: string, to: string) {
    const r = await sql<{ month: string; posted: string; claimed: string; solved: string; people: string; enterprises: string }>`
      with p as (
        select p.* from model_problems p join orgs o on o.id = p.org_id where o.path like ${`${scopePath}%`}
      ), months as (
        select to_char(d, 'YYYY-MM') as month from generate_series(${from}::date, (${to}::date - 1), interval '1 month') d
      )
      select m.month,
        (select count(*) from p where to_char(p.posted_on, 'YYYY-MM') = m.month) as posted,
        (select count(*) from p where to_char(p.claimed_on, 'YYYY-MM') = m.month) as claimed,
        (select count(*) from p where p.status = 'confirmed' and to_char(p.confirmed_on, 'YYYY-MM') = m.month) as solved,
        (select coalesce(sum(p.people_involved), 0) from p where p.status = 'confirmed' and to_char(p.confirmed_on, 'YYYY-MM') = m.month) as people,
        (select count(distinct p.enterprise_id) from p where p.status = 'confirmed' and to_char(p.confirmed_on, 'YYYY-MM') = m.month) as enterprises
      from months m order by m.month`.execute(db);
    return r.rows;
  },

  /** Totals in the subtree now: problems by status, people involved, enterprises served by solved problems. */
  async totals(db: Executor, scopePath: string, from: string, to: string) {
    return db
      .selectFrom('model_problems as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .where('o.path', 'like', `${scopePath}%`)
      .select([
        sql<string>`count(*) filter (where p.status = 'open')`.as('open'),
        sql<string>`count(*) filter (where p.status in ('claimed', 'solved'))`.as('claimed'),
        sql<string>`count(*) filter (where p.status = 'confirmed' and p.confirmed_on >= ${from} and p.confirmed_on < ${to})`.as('solved'),
        sql<string>`coalesce(sum(p.people_involved) filter (where p.status = 'confirmed' and p.confirmed_on >= ${from} and p.confirmed_on < ${to}), 0)`.as('people'),
        sql<string>`count(distinct p.enterprise_id) filter (where p.status = 'confirmed' and p.confirmed_on >= ${from} and p.confirmed_on < ${to})`.as('enterprises'),
      ])
      .executeTakeFirstOrThrow();
  },
};
