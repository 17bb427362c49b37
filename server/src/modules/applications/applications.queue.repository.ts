// The SQL of 待我处理 (applications.queue.ts): applications in review whose current step the caller
// holds the permission for, handled by the caller's own union (`own`) or anywhere in its subtree.
import { sql } from 'kysely';
import type { Executor } from '../audit/audit.repository.js';
import { rowColumns } from './applications.repository.js';

export const applicationsQueueRepository = {
  /** In review, handled in the subtree (or by `ownOrgId` only), step permission held; by due date. */
  async queue(db: Executor, scopePath: string, f: { permissions: string[]; ownOrgId?: string; serviceTypeId?: string; limit: number; offset: number }) {
    let q = db
      .selectFrom('applications as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .leftJoin('orgs as ho', 'ho.id', 'a.handling_org_id')
      .where('a.status', '=', 'in_review')
      .where('a.handling_org_path', 'like', `${scopePath}%`)
      .where('a.step_permission', 'in', f.permissions.length ? f.permissions : ['-']);
    if (f.ownOrgId) q = q.where('a.handling_org_id', '=', f.ownOrgId);
    if (f.serviceTypeId) q = q.where('a.service_type_id', '=', f.serviceTypeId);
    const items = await q
      .select([...rowColumns])
      .orderBy('a.step_due_at')
      .orderBy('a.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const total = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return { items, total: Number(total.n) };
  },

  /** The size of 待我处理 (own level): all, overdue (step past its due time) and due before `soon`; one statement. */
  async summary(db: Executor, scopePath: string, f: { permissions: string[]; ownOrgId: string; now: Date; soon: Date }) {
    const r = await db
      .selectFrom('applications as a')
      .select([
        sql<number>`count(*)::int`.as('total'),
        sql<number>`count(*) filter (where a.step_due_at < ${f.now})::int`.as('overdue'),
        sql<number>`count(*) filter (where a.step_due_at >= ${f.now} and a.step_due_at < ${f.soon})::int`.as('due_soon'),
      ])
      .where('a.status', '=', 'in_review')
      .where('a.handling_org_path', 'like', `${scopePath}%`)
      .where('a.step_permission', 'in', f.permissions.length ? f.permissions : ['-'])
      .where('a.handling_org_id', '=', f.ownOrgId)
      .executeTakeFirstOrThrow();
    return { total: Number(r.total), overdue: Number(r.overdue), dueSoon: Number(r.due_soon) };
  },

  /** One application by id, in review and handled in the caller's subtree (for the batch's own checks). */
  async inReviewInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('applications as a')
      .select(['a.id', 'a.snapshot', 'a.step_index', 'a.status', 'a.version', 'a.step_permission'])
      .where('a.id', '=', id)
      .where('a.handling_org_path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },
};
