// The activities reports' SQL: the staff roster (page, keyset export page, count) and the figures
// on the org page. Split out of activities.repository.ts; snapshot: activities.reports.repository.sql.
import { sql } from 'kysely';
import type { Activity, EnrollmentStatus } from '../../db/schema-activities.js';
import type { Executor } from '../audit/audit.repository.js';
import { HOLDING_STATUSES } from './activities.repository.js';

export const activityReportsRepository = {
  // ---------- roster ----------
  async enrollmentsOfActivity(
    db: Executor,
    activityId: string,
    f: { batchId?: string; statuses?: EnrollmentStatus[]; q?: string; orgPath?: string; limit: number; offset: number },
  ) {
    let q = db
      .selectFrom('activity_enrollments as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .innerJoin('activity_batches as b', 'b.id', 'e.batch_id')
      .where('e.activity_id', '=', activityId);
    if (f.batchId) q = q.where('e.batch_id', '=', f.batchId);
    if (f.statuses?.length) q = q.where('e.status', 'in', f.statuses);
    if (f.q) q = q.where('p.name', 'like', `${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (f.orgPath) q = q.where('e.org_path', 'like', `${f.orgPath}%`);
    const [items, total] = await Promise.all([
      q
        .selectAll('e')
        .select([
          'p.name',
          'p.id_masked',
          'p.phone_masked',
          'o.name as org_name',
          'b.title as batch_title',
          'b.starts_on as batch_starts_on',
          'b.ends_on as batch_ends_on',
        ])
        .orderBy('e.id')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  /** Keyset page of the roster for the export. */
  async rosterPage(db: Executor, activityId: string, f: { batchId?: string; statuses?: EnrollmentStatus[] }, afterId: string | null, limit: number) {
    let q = db
      .selectFrom('activity_enrollments as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .innerJoin('activity_batches as b', 'b.id', 'e.batch_id')
      .select([
        'e.id',
        'e.status',
        'e.family_count',
        'e.created_at',
        'p.name',
        'p.sex',
        'p.id_masked',
        'p.phone_masked',
        'o.name as org_name',
        'b.title as batch_title',
      ])
      .where('e.activity_id', '=', activityId);
    if (f.batchId) q = q.where('e.batch_id', '=', f.batchId);
    if (f.statuses?.length) q = q.where('e.status', 'in', f.statuses);
    if (afterId) q = q.where('e.id', '>', afterId);
    return q.orderBy('e.id').limit(limit).execute();
  },

  async countRoster(db: Executor, activityId: string, f: { batchId?: string; statuses?: EnrollmentStatus[] }) {
    let q = db
      .selectFrom('activity_enrollments as e')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('e.activity_id', '=', activityId);
    if (f.batchId) q = q.where('e.batch_id', '=', f.batchId);
    if (f.statuses?.length) q = q.where('e.status', 'in', f.statuses);
    return Number((await q.executeTakeFirstOrThrow()).n);
  },

  // ---------- figures ----------
  async figures(db: Executor, orgPath: string, f: { type?: string; from?: string; to?: string }) {
    let acts = db.selectFrom('activities as a').where('a.org_path', 'like', `${orgPath}%`).where('a.status', '!=', 'draft');
    if (f.type) acts = acts.where('a.type', '=', f.type as Activity['type']);
    if (f.from) acts = acts.where('a.starts_on', '>=', f.from);
    if (f.to) acts = acts.where('a.starts_on', '<=', f.to);
    const activities = await acts
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('activity_batches')
            .select((b) => [
              'activity_id',
              sql<number>`sum(places_general + places_priority)`.as('places'),
              sql<number>`sum(taken_general + taken_priority)`.as('taken'),
              sql<number>`sum(taken_family)`.as('family'),
            ])
            .groupBy('activity_id')
            .as('bs'),
        (j) => j.onRef('bs.activity_id', '=', 'a.id'),
      )
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('activity_enrollments')
            .select((e) => [
              'activity_id',
              e.fn.countAll<number>().filterWhere('status', '=', 'waitlisted').as('waitlisted'),
              sql<number>`count(distinct person_id) filter (where status in ('enrolled','attended','no_show'))`.as('participants'),
            ])
            .groupBy('activity_id')
            .as('es'),
        (j) => j.onRef('es.activity_id', '=', 'a.id'),
      )
      .select([
        'a.id',
        'a.title',
        'a.type',
        'a.status',
        'a.budget',
        'a.cost_per_person',
        'a.union_share_fen',
        'bs.places',
        'bs.taken',
        'bs.family',
        'es.waitlisted',
        'es.participants',
      ])
      .orderBy('a.id')
      .execute();
    return activities;
  },

  /** Distinct persons holding a place, by type (a person in two activities of one type counts once there). */
  async participantsByType(db: Executor, orgPath: string, f: { type?: string; from?: string; to?: string }) {
    let q = db
      .selectFrom('activity_enrollments as e')
      .innerJoin('activities as a', 'a.id', 'e.activity_id')
      .where('a.org_path', 'like', `${orgPath}%`)
      .where('e.status', 'in', HOLDING_STATUSES);
    if (f.type) q = q.where('a.type', '=', f.type as Activity['type']);
    if (f.from) q = q.where('a.starts_on', '>=', f.from);
    if (f.to) q = q.where('a.starts_on', '<=', f.to);
    const byType = await q
      .select(['a.type', sql<number>`count(distinct e.person_id)`.as('n')])
      .groupBy('a.type')
      .execute();
    const total = await q.select(sql<number>`count(distinct e.person_id)`.as('n')).executeTakeFirstOrThrow();
    return { byType, total: Number(total.n) };
  },
};
