// 维权 figures: counts over the operational tables of a subtree and period (no stored totals).
import { sql } from 'kysely';
import type { Executor } from '../audit/audit.repository.js';

export interface FigureScope {
  path: string;
  from?: string;
  to?: string;
  fromTs?: Date;
  toTs?: Date;
}

export const figuresRepository = {
  async consultations(db: Executor, s: FigureScope) {
    let q = db.selectFrom('rights_consultations as c').innerJoin('orgs as o', 'o.id', 'c.org_id').where('o.path', 'like', `${s.path}%`);
    if (s.fromTs) q = q.where('c.consulted_at', '>=', s.fromTs);
    if (s.toTs) q = q.where('c.consulted_at', '<', s.toTs);
    const byChannel = await q
      .select(['c.channel as code', sql<string>`count(*)`.as('n')])
      .groupBy('c.channel')
      .execute();
    const byTopic = await q
      .select(['c.topic as code', sql<string>`count(*)`.as('n')])
      .groupBy('c.topic')
      .execute();
    const sat = await q
      .select([
        sql<string | null>`avg(c.satisfaction)`.as('avg'),
        sql<string>`count(c.satisfaction)`.as('n'),
        sql<string>`count(*) filter (where c.status = 'open')`.as('open'),
      ])
      .executeTakeFirstOrThrow();
    return { byChannel, byTopic, satisfaction: sat.avg, callbacks: Number(sat.n), open: Number(sat.open) };
  },

  async cases(db: Executor, s: FigureScope, day: string) {
    let q = db.selectFrom('rights_cases as k').innerJoin('orgs as o', 'o.id', 'k.org_id').where('o.path', 'like', `${s.path}%`);
    if (s.from) q = q.where('k.opened_on', '>=', s.from);
    if (s.to) q = q.where('k.opened_on', '<=', s.to);
    return q
      .select([
        'k.kind',
        sql<string>`count(*)`.as('opened'),
        sql<string>`count(*) filter (where k.status = 'succeeded')`.as('succeeded'),
        sql<string>`count(*) filter (where k.status = 'failed')`.as('failed'),
        sql<string>`count(*) filter (where k.status = 'withdrawn')`.as('withdrawn'),
        sql<string>`count(*) filter (where k.status = 'closed')`.as('closed'),
        sql<string>`count(*) filter (where k.status = 'open')`.as('open'),
        sql<string>`count(*) filter (where k.status = 'open' and k.due_on < ${day})`.as('overdue'),
        sql<string>`coalesce(sum(k.agreed_amount), 0)`.as('agreed'),
        sql<string>`coalesce(sum(k.paid_amount), 0)`.as('paid'),
      ])
      .groupBy('k.kind')
      .execute();
  },

  async letters(db: Executor, s: FigureScope) {
    let q = db.selectFrom('rights_letters as l').innerJoin('orgs as o', 'o.id', 'l.org_id').where('o.path', 'like', `${s.path}%`);
    if (s.from) q = q.where('l.issued_on', '>=', s.from);
    if (s.to) q = q.where('l.issued_on', '<=', s.to);
    return q
      .select([
        'l.kind',
        sql<string>`count(*)`.as('issued'),
        sql<string>`count(*) filter (where l.replied_on is not null)`.as('replied'),
        sql<string>`count(*) filter (where l.rectified)`.as('rectified'),
        sql<string>`count(*) filter (where l.status = 'escalated')`.as('escalated'),
        sql<string | null>`avg(l.replied_on - l.issued_on)`.as('days_to_reply'),
      ])
      .groupBy('l.kind')
      .execute();
  },

  async tickets(db: Executor, s: FigureScope) {
    let q = db.selectFrom('rights_tickets as t').innerJoin('orgs as o', 'o.id', 't.org_id').where('o.path', 'like', `${s.path}%`);
    if (s.fromTs) q = q.where('t.created_at', '>=', s.fromTs);
    if (s.toTs) q = q.where('t.created_at', '<', s.toTs);
    return q
      .select([
        sql<string>`count(*)`.as('total'),
        sql<string>`count(*) filter (where t.answered_at is not null)`.as('answered'),
        sql<string>`count(*) filter (where t.answered_at is not null and not t.overdue)`.as('on_time'),
        sql<string>`count(*) filter (where t.overdue)`.as('overdue'),
        sql<string>`count(*) filter (where t.status = 'closed')`.as('closed'),
        sql<string | null>`avg(t.satisfaction)`.as('satisfaction'),
      ])
      .executeTakeFirstOrThrow();
  },

  /** 法治体检 of the period (by 体检日期): how many, by risk level, closed; their rectifications open and past due. */
  async checkups(db: Executor, s: FigureScope, day: string) {
    let q = db.selectFrom('rights_checkups as u').innerJoin('orgs as o', 'o.id', 'u.org_id').where('o.path', 'like', `${s.path}%`);
    if (s.from) q = q.where('u.checked_on', '>=', s.from);
    if (s.to) q = q.where('u.checked_on', '<=', s.to);
    return q
      .select([
        sql<string>`count(*)`.as('total'),
        sql<string>`count(*) filter (where u.status = 'closed')`.as('closed'),
        sql<string>`count(*) filter (where u.risk_level = 'high')`.as('high'),
        sql<string>`count(*) filter (where u.risk_level = 'medium')`.as('medium'),
        sql<string>`count(*) filter (where u.risk_level = 'low')`.as('low'),
        sql<string>`coalesce(sum((select count(*) from rights_checkup_rectifications r where r.checkup_id = u.id and r.status = 'open')), 0)`.as(
          'open_rectifications',
        ),
        sql<string>`coalesce(sum((select count(*) from rights_checkup_rectifications r where r.checkup_id = u.id and r.status = 'open' and r.due_on < ${day})), 0)`.as(
          'overdue_rectifications',
        ),
      ])
      .executeTakeFirstOrThrow();
  },

  /** 信息员 risk reports of the period (by report time) per grade ('' = not graded yet). */
  async risks(db: Executor, s: FigureScope) {
    let q = db.selectFrom('rights_risks as r').innerJoin('orgs as o', 'o.id', 'r.org_id').where('o.path', 'like', `${s.path}%`);
    if (s.fromTs) q = q.where('r.reported_at', '>=', s.fromTs);
    if (s.toTs) q = q.where('r.reported_at', '<', s.toTs);
    return q
      .select([
        sql<string>`coalesce(r.grade, '')`.as('grade'),
        sql<string>`count(*)`.as('n'),
        sql<string>`count(*) filter (where r.status = 'closed')`.as('closed'),
      ])
      .groupBy(sql`coalesce(r.grade, '')`)
      .execute();
  },
};
