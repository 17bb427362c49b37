import { sql } from 'kysely';
import type { Insertable } from 'kysely';
import type { AidDisbursementsTable, AidFundCode, AidMovementsTable } from '../../db/schema-aid.js';
import type { Executor } from '../audit/audit.repository.js';

export interface BudgetFilters {
  year?: number;
  fundCode?: AidFundCode;
  /** The union's subtree (already checked to be in scope). */
  orgPath?: string;
  limit: number;
  offset: number;
}

export interface DisbursementFilters {
  orgPath?: string;
  year?: number;
  fundCode?: AidFundCode;
  cause?: string;
  category?: string;
  budgetId?: string;
  hardshipFileId?: string;
  status?: 'paid' | 'reversed';
  limit: number;
  offset: number;
}

/** What a figure calls its cause: the household file's main cause, else the stated cause, else the category. */
const causeExpr = sql<string | null>`coalesce(hf.main_cause, d.cause, d.category)`;

export const aidRepository = {
  async ensureFunds(db: Executor, funds: { code: AidFundCode; name: string; sort: number }[]) {
    for (const f of funds) {
      await db
        .insertInto('aid_funds')
        .values(f)
        .onConflict((oc) => oc.column('code').doUpdateSet({ name: f.name, sort: f.sort }))
        .execute();
    }
  },

  async orgByName(db: Executor, name: string) {
    return db.selectFrom('orgs').select(['id', 'path']).where('name', '=', name).orderBy('depth').executeTakeFirst();
  },

  async funds(db: Executor) {
    return db.selectFrom('aid_funds').select(['code', 'name']).orderBy('sort').execute();
  },

  async budgetInScope(db: Executor, scopePath: string, id: string, lock = false) {
    let q = db
      .selectFrom('aid_budgets as b')
      .innerJoin('orgs as o', 'o.id', 'b.org_id')
      .innerJoin('aid_funds as f', 'f.code', 'b.fund_code')
      .selectAll('b')
      .select(['o.name as org_name', 'o.path as org_path', 'f.name as fund_name', sql<string>`b.amount - b.spent`.as('balance')])
      .where('b.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`);
    if (lock) q = q.forUpdate('b');
    return q.executeTakeFirst();
  },

  async budgetByKey(db: Executor, orgId: string, year: number, fundCode: AidFundCode) {
    return db.selectFrom('aid_budgets').selectAll().where('org_id', '=', orgId).where('year', '=', year).where('fund_code', '=', fundCode).executeTakeFirst();
  },

  async insertBudget(db: Executor, row: { org_id: string; year: number; fund_code: AidFundCode; amount: string; updated_at: Date }) {
    return db
      .insertInto('aid_budgets')
      .values(row)
      .onConflict((oc) => oc.columns(['org_id', 'year', 'fund_code']).doNothing())
      .returning(['id', 'amount', 'spent'])
      .executeTakeFirst();
  },

  /** Sets a new total; refused (no row) when it would fall below what was spent. */
  async setAmount(db: Executor, id: string, amount: string, at: Date) {
    return db
      .updateTable('aid_budgets')
      .set({ amount, updated_at: at, version: sql`version + 1` })
      .where('id', '=', id)
      .where('spent', '<=', amount)
      .returning(['id', 'amount', 'spent', sql<string>`amount - spent`.as('balance')])
      .executeTakeFirst();
  },

  /** Draws on a budget: one guarded statement, so concurrent draws can never pass the total. */
  async draw(db: Executor, id: string, amount: string, at: Date) {
    return db
      .updateTable('aid_budgets')
      .set({ spent: sql`spent + ${amount}::numeric`, updated_at: at, version: sql`version + 1` })
      .where('id', '=', id)
      .where(sql<boolean>`spent + ${amount}::numeric <= amount`)
      .returning(['id', 'amount', 'spent', sql<string>`amount - spent`.as('balance')])
      .executeTakeFirst();
  },

  async release(db: Executor, id: string, amount: string, at: Date) {
    return db
      .updateTable('aid_budgets')
      .set({ spent: sql`spent - ${amount}::numeric`, updated_at: at, version: sql`version + 1` })
      .where('id', '=', id)
      .where(sql<boolean>`spent >= ${amount}::numeric`)
      .returning(['id', 'amount', 'spent', sql<string>`amount - spent`.as('balance')])
      .executeTakeFirst();
  },

  async insertDisbursement(db: Executor, row: Insertable<AidDisbursementsTable>) {
    return db.insertInto('aid_disbursements').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async insertMovement(db: Executor, row: Insertable<AidMovementsTable>) {
    await db.insertInto('aid_movements').values(row).execute();
  },

  async listBudgets(db: Executor, scopePath: string, f: BudgetFilters) {
    let q = db
      .selectFrom('aid_budgets as b')
      .innerJoin('orgs as o', 'o.id', 'b.org_id')
      .innerJoin('aid_funds as f', 'f.code', 'b.fund_code')
      .where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.year !== undefined) q = q.where('b.year', '=', f.year);
    if (f.fundCode) q = q.where('b.fund_code', '=', f.fundCode);
    const items = await q
      .selectAll('b')
      .select(['o.name as org_name', 'f.name as fund_name', sql<string>`b.amount - b.spent`.as('balance')])
      .orderBy('b.year', 'desc')
      .orderBy('o.path')
      .orderBy('f.sort')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const totals = await q
      .select([
        sql<string>`count(*)`.as('total'),
        sql<string>`coalesce(sum(b.amount), 0)`.as('amount'),
        sql<string>`coalesce(sum(b.spent), 0)`.as('spent'),
        sql<string>`coalesce(sum(b.amount - b.spent), 0)`.as('balance'),
      ])
      .executeTakeFirstOrThrow();
    return { items, totals };
  },

  async movements(db: Executor, budgetId: string) {
    return db.selectFrom('aid_movements').selectAll().where('budget_id', '=', budgetId).orderBy('id').execute();
  },

  async listDisbursements(db: Executor, scopePath: string, f: DisbursementFilters) {
    let q = db
      .selectFrom('aid_disbursements as d')
      .innerJoin('orgs as o', 'o.id', 'd.org_id')
      .innerJoin('aid_funds as f', 'f.code', 'd.fund_code')
      .innerJoin('people as p', 'p.id', 'd.person_id')
      .leftJoin('hardship_files as hf', 'hf.id', 'd.hardship_file_id')
      .where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.year !== undefined) q = q.where('d.year', '=', f.year);
    if (f.fundCode) q = q.where('d.fund_code', '=', f.fundCode);
    if (f.cause) q = q.where(f.cause === '未分类' ? sql<boolean>`${causeExpr} is null` : sql<boolean>`${causeExpr} = ${f.cause}`);
    if (f.category) q = q.where('d.category', '=', f.category);
    if (f.budgetId) q = q.where('d.budget_id', '=', f.budgetId);
    if (f.hardshipFileId) q = q.where('d.hardship_file_id', '=', f.hardshipFileId);
    if (f.status) q = q.where('d.status', '=', f.status);
    const items = await q
      .selectAll('d')
      .select(['o.name as org_name', 'f.name as fund_name', 'p.name as person_name', 'p.id_masked as person_id_masked', causeExpr.as('figure_cause')])
      .orderBy('d.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  /** A file's aid: linked to the file, or paid to its head's person. */
  async disbursementsOfFile(db: Executor, fileId: string, headPersonId: string) {
    return db
      .selectFrom('aid_disbursements as d')
      .innerJoin('orgs as o', 'o.id', 'd.org_id')
      .innerJoin('aid_funds as f', 'f.code', 'd.fund_code')
      .innerJoin('people as p', 'p.id', 'd.person_id')
      .leftJoin('hardship_files as hf', 'hf.id', 'd.hardship_file_id')
      .selectAll('d')
      .select(['o.name as org_name', 'f.name as fund_name', 'p.name as person_name', 'p.id_masked as person_id_masked', causeExpr.as('figure_cause')])
      .where((eb) => eb.or([eb('d.hardship_file_id', '=', fileId), eb('d.person_id', '=', headPersonId)]))
      .orderBy('d.id', 'desc')
      .execute();
  },

  async disbursementById(db: Executor, id: string) {
    return db
      .selectFrom('aid_disbursements as d')
      .innerJoin('orgs as o', 'o.id', 'd.org_id')
      .innerJoin('aid_funds as f', 'f.code', 'd.fund_code')
      .innerJoin('people as p', 'p.id', 'd.person_id')
      .leftJoin('hardship_files as hf', 'hf.id', 'd.hardship_file_id')
      .selectAll('d')
      .select(['o.name as org_name', 'f.name as fund_name', 'p.name as person_name', 'p.id_masked as person_id_masked', causeExpr.as('figure_cause')])
      .where('d.id', '=', id)
      .executeTakeFirst();
  },

  async fileInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('hardship_files as hf')
      .innerJoin('orgs as o', 'o.id', 'hf.org_id')
      .select(['hf.id', 'hf.head_person_id', 'hf.status'])
      .where('hf.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async membershipInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('memberships')
      .select(['id', 'person_id', 'org_id', 'status'])
      .where('id', '=', id)
      .where('org_path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async disbursementInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('aid_disbursements as d')
      .innerJoin('orgs as o', 'o.id', 'd.org_id')
      .selectAll('d')
      .where('d.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .forUpdate('d')
      .executeTakeFirst();
  },

  async markReversed(db: Executor, id: string, at: Date, reason: string) {
    return db
      .updateTable('aid_disbursements')
      .set({ status: 'reversed', reversed_at: at, reversal_reason: reason })
      .where('id', '=', id)
      .where('status', '=', 'paid')
      .returning('id')
      .executeTakeFirst();
  },

  /** The open hardship file whose head is this person (for linking engine payouts to the household). */
  async openFileOfHead(db: Executor, personId: string) {
    return db
      .selectFrom('hardship_files')
      .select(['id', 'main_cause'])
      .where('head_person_id', '=', personId)
      .where('status', 'not in', ['rejected', 'closed'])
      .executeTakeFirst();
  },

  async paidByFund(db: Executor, orgPath: string, year: number) {
    return db
      .selectFrom('aid_disbursements as d')
      .innerJoin('orgs as o', 'o.id', 'd.org_id')
      .innerJoin('aid_funds as f', 'f.code', 'd.fund_code')
      .select(['d.fund_code', 'f.name as fund_name', sql<string>`count(*)`.as('count'), sql<string>`sum(d.amount)`.as('amount')])
      .where('o.path', 'like', `${orgPath}%`)
      .where('d.year', '=', year)
      .where('d.status', '=', 'paid')
      .groupBy(['d.fund_code', 'f.name', 'f.sort'])
      .orderBy('f.sort')
      .execute();
  },

  async paidByCause(db: Executor, orgPath: string, year: number) {
    return db
      .selectFrom('aid_disbursements as d')
      .innerJoin('orgs as o', 'o.id', 'd.org_id')
      .leftJoin('hardship_files as hf', 'hf.id', 'd.hardship_file_id')
      .select([causeExpr.as('cause'), sql<string>`count(*)`.as('count'), sql<string>`sum(d.amount)`.as('amount')])
      .where('o.path', 'like', `${orgPath}%`)
      .where('d.year', '=', year)
      .where('d.status', '=', 'paid')
      .groupBy(causeExpr)
      .orderBy(sql`sum(d.amount)`, 'desc')
      .execute();
  },

  async budgetsByFund(db: Executor, orgPath: string, year: number) {
    return db
      .selectFrom('aid_budgets as b')
      .innerJoin('orgs as o', 'o.id', 'b.org_id')
      .innerJoin('aid_funds as f', 'f.code', 'b.fund_code')
      .select(['b.fund_code', 'f.name as fund_name', sql<string>`sum(b.amount)`.as('amount'), sql<string>`sum(b.spent)`.as('spent')])
      .where('o.path', 'like', `${orgPath}%`)
      .where('b.year', '=', year)
      .groupBy(['b.fund_code', 'f.name', 'f.sort'])
      .orderBy('f.sort')
      .execute();
  },
};
