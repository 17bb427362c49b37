// 宣讲员 and 双进 lectures: a lecturer roster per union (劳模名师 — optionally a registered person —,
// 职工名嘴, 思政教师), and lecture sessions that are existing 培训/宣讲 activities tagged with the
// lecturer and the venue (school / enterprise). A lecture counts (the `models.lectures` indicator, so
// targets such as "劳模宣讲 ≥ 10" per county measure it) once somebody checked in at the activity.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ActivitiesService } from '../activities/activities.service.js';
import type { ModuleContext } from '../module-context.js';
import type { Executor } from '../audit/audit.repository.js';
import { modelsRepository } from './models.repository.js';
import { likeText } from './models.service.js';

export const LECTURER_KINDS = { model_teacher: '劳模名师', worker_speaker: '职工名嘴', ideology_teacher: '思政教师' } as const;
export const VENUE_KINDS = { school: '进学校', enterprise: '进企业' } as const;
export type LecturesCtx = ModuleContext & { activities: Pick<ActivitiesService, 'get'> };

export const lecturesRepository = {
  async insertLecturer(db: Executor, row: { org_id: string; kind: keyof typeof LECTURER_KINDS; name: string; model_person_id: string | null; topic: string | null; created_by: string }) {
    return db.insertInto('model_lecturers').values(row).onConflict((oc) => oc.columns(['org_id', 'name']).doNothing()).returning(['id']).executeTakeFirst();
  },
  async lecturerInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('model_lecturers as l')
      .innerJoin('orgs as o', 'o.id', 'l.org_id')
      .select(['l.id', 'l.name', 'l.org_id', 'l.active'])
      .where('l.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },
  async lecturers(db: Executor, scopePath: string, limit: number, offset: number, name?: string) {
    let q = db.selectFrom('model_lecturers as l').innerJoin('orgs as o', 'o.id', 'l.org_id').where('o.path', 'like', `${scopePath}%`);
    if (name) q = q.where('l.name', 'like', `%${name}%`);
    const items = await q
      .select([
        'l.id',
        'l.kind',
        'l.name',
        'l.topic',
        'l.active',
        'l.model_person_id',
        'o.name as org_name',
        sql<string>`(select count(*) from model_lectures x where x.lecturer_id = l.id)`.as('lectures'),
      ])
      .orderBy('l.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },
  async insertLecture(db: Executor, row: { activity_id: string; lecturer_id: string; venue_kind: keyof typeof VENUE_KINDS; venue_name: string; created_by: string }) {
    return db.insertInto('model_lectures').values(row).onConflict((oc) => oc.column('activity_id').doNothing()).returning(['id']).executeTakeFirst();
  },
  /** Lectures of activities in the subtree, with how many checked in. */
  async lectures(db: Executor, scopePath: string, limit: number, offset: number) {
    const q = db
      .selectFrom('model_lectures as x')
      .innerJoin('activities as a', 'a.id', 'x.activity_id')
      .innerJoin('model_lecturers as l', 'l.id', 'x.lecturer_id')
      .where('a.org_path', 'like', `${scopePath}%`);
    const items = await q
      .select([
        'x.id',
        'x.venue_kind',
        'x.venue_name',
        'a.id as activity_id',
        'a.title',
        sql<string | null>`a.starts_on::text`.as('starts_on'),
        'l.name as lecturer_name',
        'l.kind as lecturer_kind',
        sql<string>`(select count(*) from activity_enrollments e where e.activity_id = a.id and e.status = 'attended')`.as('attended'),
      ])
      .orderBy('x.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },
};

export function createLectures(ctx: LecturesCtx) {
  const db: Kysely<DB> = ctx.database.db;
  return {
    async lecturers(actor: StaffActor, q: { q?: string; page: number; pageSize: number }) {
      const { items, total } = await lecturesRepository.lecturers(db, actor.orgPath, q.pageSize, offsetOf(q), q.q ? likeText(q.q) : undefined);
      return {
        items: items.map((l) => ({ id: l.id, kind: l.kind, kindLabel: LECTURER_KINDS[l.kind], name: l.name, topic: l.topic, active: l.active, onRegister: !!l.model_person_id, orgName: l.org_name, lectures: Number(l.lectures) })),
        total,
      };
    },

    async addLecturer(actor: StaffActor, meta: RequestMeta, input: { orgId: string; kind: keyof typeof LECTURER_KINDS; name: string; modelPersonId?: string | null; topic?: string | null }) {
      const org = await ctx.orgs.findInScope(actor, input.orgId);
      if (!org) throw notFound('所属工会');
      let name = input.name;
      if (input.modelPersonId) {
        const p = await modelsRepository.inScope(db, actor.orgPath, input.modelPersonId);
        if (!p) throw notFound('劳模工匠');
        name = p.name;
      }
      return db.transaction().execute(async (trx) => {
        const row = await lecturesRepository.insertLecturer(trx, { org_id: org.id, kind: input.kind, name, model_person_id: input.modelPersonId ?? null, topic: input.topic ?? null, created_by: actor.accountId });
        if (!row) throw invalid({ name: '本工会已有同名宣讲员' });
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'models.lecturer.add', targetType: 'model_lecturer', targetId: row.id, orgId: org.id, outcome: 'success' });
        return { id: row.id };
      });
    },

    async lectures(actor: StaffActor, q: { page: number; pageSize: number }) {
      const { items, total } = await lecturesRepository.lectures(db, actor.orgPath, q.pageSize, offsetOf(q));
      return {
        items: items.map((x) => ({
          id: x.id,
          activity: { id: x.activity_id, title: x.title, startsOn: x.starts_on },
          lecturer: { name: x.lecturer_name, kindLabel: LECTURER_KINDS[x.lecturer_kind] },
          venueKind: x.venue_kind,
          venueLabel: VENUE_KINDS[x.venue_kind],
          venueName: x.venue_name,
          attended: Number(x.attended),
          counts: Number(x.attended) > 0,
        })),
        total,
      };
    },

    /** Tags a 培训/宣讲 activity in the caller's scope with a lecturer of the caller's scope; once per activity. */
    async tag(actor: StaffActor, meta: RequestMeta, input: { activityId: string; lecturerId: string; venueKind: keyof typeof VENUE_KINDS; venueName: string }) {
      const a = await ctx.activities.get(actor, input.activityId);
      const l = await lecturesRepository.lecturerInScope(db, actor.orgPath, input.lecturerId);
      if (!l) throw notFound('宣讲员');
      if (!['training', 'lecture'].includes(a.type)) throw invalid({ activityId: '只有培训、宣讲类活动可以登记为宣讲场次' });
      if (!l.active) throw invalid({ lecturerId: '该宣讲员已停用' });
      return db.transaction().execute(async (trx) => {
        const row = await lecturesRepository.insertLecture(trx, { activity_id: a.id, lecturer_id: l.id, venue_kind: input.venueKind, venue_name: input.venueName, created_by: actor.accountId });
        if (!row) throw invalid({ activityId: '该活动已登记为宣讲场次' });
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'models.lecture.tag', targetType: 'model_lecturer', targetId: l.id, orgId: l.org_id, outcome: 'success', detail: { activity: a.id } });
        return { id: row.id };
      });
    },
  };
}

export type ModelsLectures = ReturnType<typeof createLectures>;
