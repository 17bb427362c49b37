// The lines of a union's yearly budget that other modules keep (decision 034): the aid budgets (帮扶资金, module
// aid) are lines of its 帮扶 category, the activities with a budget (疗休养's 500万 …) lines of its 职工活动
// category. Read here, never written: the aid and activities modules own their tables.
import { sql } from 'kysely';
import type { Executor } from '../audit/audit.repository.js';

export const fundsLinesRepository = {
  /** The union's aid budgets of the year: amount and what was paid (net of 冲正), in fen. */
  async aidLines(db: Executor, orgId: string, year: number) {
    return db
      .selectFrom('aid_budgets as b')
      .innerJoin('aid_funds as f', 'f.code', 'b.fund_code')
      .select([
        'b.id',
        'f.name',
        sql<string>`(b.amount * 100)::bigint::text`.as('budget_fen'),
        sql<string>`(select coalesce(sum((d.amount * 100)::bigint), 0) from aid_disbursements d where d.budget_id = b.id and d.status = 'paid')::text`.as('spent_fen'),
        sql<string>`(select count(*) from aid_disbursements d where d.budget_id = b.id and d.status = 'paid')::text`.as('n'),
      ])
      .where('b.org_id', '=', orgId)
      .where('b.year', '=', year)
      .orderBy('f.sort')
      .execute();
  },

  /**
   * The union's activities with a budget that belong to the year — by their first day (else their creation), or
   * because the union paid for them in that year (a 疗休养 of January paid in advance in December): the budget,
   * the union-borne cost of the live enrollments (union share × places) and what the union's spending rows of
   * the year paid for it, in fen.
   */
  async activityLines(db: Executor, orgId: string, year: number) {
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    return db
      .selectFrom('activities as a')
      .select([
        'a.id',
        'a.title',
        'a.type',
        sql<string>`(a.budget * 100)::bigint::text`.as('budget_fen'),
        sql<string>`(a.union_share_fen::bigint * (select count(*) from activity_enrollments e where e.activity_id = a.id and e.status in ('enrolled', 'attended')))::text`.as('committed_fen'),
        sql<string>`(select coalesce(sum(p.amount_fen), 0) from funds_spending p where p.activity_id = a.id and p.org_id = a.org_id and p.spent_on between ${from} and ${to})::text`.as(
          'spent_fen',
        ),
      ])
      .where('a.org_id', '=', orgId)
      .where('a.budget', '>', '0')
      .where('a.status', '<>', 'cancelled')
      .where(
        sql<boolean>`(coalesce(extract(year from a.starts_on::date), extract(year from a.created_at + interval '8 hours')) = ${year}
          or exists (select 1 from funds_spending p where p.activity_id = a.id and p.org_id = a.org_id and p.spent_on between ${from} and ${to}))`,
      )
      .orderBy('a.id')
      .limit(200)
      .execute();
  },
};
