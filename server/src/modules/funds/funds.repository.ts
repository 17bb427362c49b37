// 工会经费 SQL: every read by outside id is prefix-scoped by the owning union's path (the enterprise's
// union for receivables and receipts, the union itself for budgets, spending and allocations). The
// enterprise register is read here (name, credit code, covering union) and never written (decision 031).
import { sql, type Insertable } from 'kysely';
import type {
  FundsAllocationsTable,
  FundsCategory,
  FundsReceiptsTable,
  FundsReceivablesTable,
  FundsSpendingTable,
  FundsSpendingVouchersTable,
} from '../../db/schema-funds.js';
import type { Executor } from '../audit/audit.repository.js';

const like = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

export interface ReceivableFilters {
  orgPath?: string;
  period?: string;
  year?: number;
  arrears?: boolean;
  q?: string;
  limit: number;
  offset: number;
}

export interface ReceiptFilters {
  orgPath?: string;
  year?: number;
  channel?: string;
  limit: number;
  offset: number;
}

/** Received for the receivable's enterprise and month. */
const receivedOf = sql<string>`coalesce((select sum(p.amount_fen) from funds_receipts p where p.enterprise_id = v.enterprise_id and p.period = v.period), 0)`;

export const fundsRepository = {
  // ---- the tree ----
  /** The union and its ancestors, top first. */
  async chain(db: Executor, path: string) {
    return db
      .selectFrom('orgs')
      .select(['id', 'type', 'name', 'path'])
      .where(sql<boolean>`${path} like path || '%'`)
      .orderBy(sql`length(path)`)
      .execute();
  },

  async orgInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('orgs')
      .select(['id', 'name', 'path', 'type', 'parent_id'])
      .where('id', '=', id)
      .where('path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async children(db: Executor, parentId: string) {
    return db.selectFrom('orgs').select(['id', 'name', 'path', 'type']).where('parent_id', '=', parentId).orderBy('id').execute();
  },

  // ---- settings ----
  /** The rate on `day` for a union at `path`: the most specific region first, then the latest date. */
  async rateFor(db: Executor, path: string, day: string) {
    return db
      .selectFrom('funds_rates as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .select(['r.rate_bp'])
      .where(sql<boolean>`${path} like o.path || '%'`)
      .where('r.effective_from', '<=', day)
      .orderBy(sql`length(o.path)`, 'desc')
      .orderBy('r.effective_from', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  async ratiosFor(db: Executor, path: string, year: number) {
    return db
      .selectFrom('funds_share_ratios as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .select(['r.grassroots_bp', 'r.town_bp', 'r.county_bp', 'r.city_bp'])
      .where(sql<boolean>`${path} like o.path || '%'`)
      .where('r.year', '=', year)
      .orderBy(sql`length(o.path)`, 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /** Rates and ratios set by the caller's ancestors or anywhere in its subtree. */
  async settings(db: Executor, scopePath: string) {
    const visible = sql<boolean>`(o.path like ${`${scopePath}%`} or ${scopePath} like o.path || '%')`;
    const [rates, ratios] = await Promise.all([
      db
        .selectFrom('funds_rates as r')
        .innerJoin('orgs as o', 'o.id', 'r.org_id')
        .select(['r.id', 'r.org_id', 'o.name as org_name', 'r.rate_bp', sql<string>`r.effective_from::text`.as('effective_from'), 'r.note', 'r.created_by'])
        .where(visible)
        .orderBy('r.effective_from', 'desc')
        .orderBy('r.id', 'desc')
        .execute(),
      db
        .selectFrom('funds_share_ratios as r')
        .innerJoin('orgs as o', 'o.id', 'r.org_id')
        .select(['r.id', 'r.org_id', 'o.name as org_name', 'r.year', 'r.grassroots_bp', 'r.town_bp', 'r.county_bp', 'r.city_bp', 'r.version'])
        .where(visible)
        .orderBy('r.year', 'desc')
        .orderBy('r.id')
        .execute(),
    ]);
    return { rates, ratios };
  },

  async insertRate(db: Executor, row: { org_id: string; rate_bp: number; effective_from: string; note: string; created_by: string }) {
    return db
      .insertInto('funds_rates')
      .values(row)
      .onConflict((oc) => oc.columns(['org_id', 'effective_from']).doUpdateSet({ rate_bp: row.rate_bp, note: row.note, created_by: row.created_by }))
      .returning(['id'])
      .executeTakeFirstOrThrow();
  },

  async upsertRatios(
    db: Executor,
    row: { org_id: string; year: number; grassroots_bp: number; town_bp: number; county_bp: number; city_bp: number; created_by: string },
  ) {
    return db
      .insertInto('funds_share_ratios')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['org_id', 'year']).doUpdateSet({
          grassroots_bp: row.grassroots_bp,
          town_bp: row.town_bp,
          county_bp: row.county_bp,
          city_bp: row.city_bp,
          created_by: row.created_by,
          version: sql`funds_share_ratios.version + 1`,
        }),
      )
      .returning(['id'])
      .executeTakeFirstOrThrow();
  },

  // ---- enterprises (read only) ----
  /** Unionised enterprises of the register, by credit code, whose covering union is in the scope. */
  async unionisedByCodes(db: Executor, scopePath: string, codes: string[]) {
    if (!codes.length) return [];
    return db
      .selectFrom('enterprises as e')
      .innerJoin('orgs as u', 'u.id', 'e.union_org_id')
      .select(['e.id', 'e.credit_code', 'e.name', 'e.union_org_id', 'u.path as union_path'])
      .where('e.credit_code', 'in', codes)
      .where('u.path', 'like', `${scopePath}%`)
      .execute();
  },

  async enterpriseInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('enterprises as e')
      .innerJoin('orgs as u', 'u.id', 'e.union_org_id')
      .select(['e.id', 'e.credit_code', 'e.name', 'e.union_org_id', 'u.path as union_path', 'u.name as union_name'])
      .where('e.id', '=', id)
      .where('u.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  // ---- receivables ----
  async insertReceivable(db: Executor, row: Insertable<FundsReceivablesTable>) {
    return db
      .insertInto('funds_receivables')
      .values(row)
      .onConflict((oc) => oc.columns(['enterprise_id', 'period']).doNothing())
      .returning(['id'])
      .executeTakeFirst();
  },

  async receivableInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('funds_receivables as v')
      .innerJoin('enterprises as e', 'e.id', 'v.enterprise_id')
      .innerJoin('orgs as u', 'u.id', 'v.union_org_id')
      .selectAll('v')
      .select(['e.name as enterprise_name', 'e.credit_code', 'e.address as enterprise_address', 'u.name as union_name', 'u.path as union_path', receivedOf.as('received_fen')])
      .where('v.id', '=', id)
      .where('u.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async reduce(db: Executor, id: string, version: number, reducedFen: bigint, reason: string, approvedBy: string) {
    return db
      .updateTable('funds_receivables')
      .set({ reduced_fen: reducedFen, reduction_reason: reason, reduction_approved_by: approvedBy, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  /** Receivables of months before `beforePeriod` still in arrears and not reminded since `remindedBefore` (the 催缴 sweep). */
  async dueForReminder(db: Executor, beforePeriod: string, remindedBefore: string, limit: number) {
    return db
      .selectFrom('funds_receivables as v')
      .innerJoin('enterprises as e', 'e.id', 'v.enterprise_id')
      .select(['v.id', 'v.union_org_id', 'v.period', 'v.due_fen', 'v.reduced_fen', 'e.name as enterprise_name', 'e.credit_code', receivedOf.as('received_fen')])
      .where('v.period', '<', beforePeriod)
      .where((eb) => eb.or([eb('v.last_reminded_on', 'is', null), eb('v.last_reminded_on', '<', remindedBefore)]))
      .where(sql<boolean>`v.due_fen - v.reduced_fen > ${receivedOf}`)
      .orderBy('v.id')
      .limit(limit)
      .execute();
  },

  async markReminded(db: Executor, id: string, day: string) {
    return db
      .updateTable('funds_receivables')
      .set({ last_reminded_on: day })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_reminded_on', 'is', null), eb('last_reminded_on', '<', day)]))
      .returning(['id'])
      .executeTakeFirst();
  },

  async receivables(db: Executor, scopePath: string, f: ReceivableFilters) {
    let q = db
      .selectFrom('funds_receivables as v')
      .innerJoin('enterprises as e', 'e.id', 'v.enterprise_id')
      .innerJoin('orgs as u', 'u.id', 'v.union_org_id')
      .where('u.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('u.path', 'like', `${f.orgPath}%`);
    if (f.period) q = q.where('v.period', '=', f.period);
    if (f.year) q = q.where('v.period', 'like', `${f.year}-%`);
    if (f.q) q = q.where((eb) => eb.or([eb('e.name', 'like', like(f.q!)), eb('e.credit_code', '=', f.q!.toUpperCase())]));
    if (f.arrears) q = q.where(sql<boolean>`v.due_fen - v.reduced_fen > ${receivedOf}`);
    const [items, totals] = await Promise.all([
      q
        .select([
          'v.id',
          'v.enterprise_id',
          'v.period',
          'v.payroll_fen',
          'v.rate_bp',
          'v.due_fen',
          'v.reduced_fen',
          'v.reduction_reason',
          'v.version',
          'e.name as enterprise_name',
          'e.credit_code',
          'u.id as union_id',
          'u.name as union_name',
          receivedOf.as('received_fen'),
        ])
        .orderBy('v.period', 'desc')
        .orderBy('v.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q
        .select([
          sql<string>`count(*)`.as('total'),
          sql<string>`coalesce(sum(v.due_fen - v.reduced_fen), 0)`.as('due_fen'),
          sql<string>`coalesce(sum(least(${receivedOf}, v.due_fen - v.reduced_fen)), 0)`.as('received_fen'),
          sql<string>`coalesce(sum(greatest(v.due_fen - v.reduced_fen - ${receivedOf}, 0)), 0)`.as('arrears_fen'),
        ])
        .executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(totals.total), totals };
  },

  // ---- receipts ----
  /** Inserts the receipt unless the enterprise's (channel, source_ref) is already there: undefined then. */
  async insertReceipt(db: Executor, row: Insertable<FundsReceiptsTable>) {
    return db
      .insertInto('funds_receipts')
      .values(row)
      .onConflict((oc) => oc.columns(['channel', 'enterprise_id', 'source_ref']).where('source_ref', 'is not', null).doNothing())
      .returning(['id'])
      .executeTakeFirst();
  },

  async insertShares(db: Executor, receiptId: string, shares: { level: string; orgId: string; amount: bigint }[]) {
    await db
      .insertInto('funds_receipt_shares')
      .values(shares.map((s) => ({ receipt_id: receiptId, level: s.level as never, org_id: s.orgId, amount_fen: s.amount })))
      .execute();
  },

  async receipts(db: Executor, scopePath: string, f: ReceiptFilters) {
    let q = db
      .selectFrom('funds_receipts as r')
      .innerJoin('enterprises as e', 'e.id', 'r.enterprise_id')
      .innerJoin('orgs as u', 'u.id', 'r.union_org_id')
      .where('u.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('u.path', 'like', `${f.orgPath}%`);
    if (f.year) q = q.where('r.received_on', '>=', `${f.year}-01-01`).where('r.received_on', '<=', `${f.year}-12-31`);
    if (f.channel) q = q.where('r.channel', '=', f.channel as never);
    const [items, totals] = await Promise.all([
      q
        .select([
          'r.id',
          'r.period',
          'r.amount_fen',
          sql<string>`r.received_on::text`.as('received_on'),
          'r.channel',
          'r.source_ref',
          'e.name as enterprise_name',
          'e.credit_code',
          'u.id as union_id',
          'u.name as union_name',
          sql<{ level: string; org_name: string; amount_fen: string }[]>`(select coalesce(json_agg(json_build_object('level', s.level, 'org_name', so.name, 'amount_fen', s.amount_fen::text) order by length(so.path) desc), '[]') from funds_receipt_shares s join orgs so on so.id = s.org_id where s.receipt_id = r.id)`.as(
            'shares',
          ),
        ])
        .orderBy('r.received_on', 'desc')
        .orderBy('r.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select([sql<string>`count(*)`.as('total'), sql<string>`coalesce(sum(r.amount_fen), 0)`.as('amount_fen')]).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(totals.total), totalFen: totals.amount_fen };
  },

  // ---- the ledger ----
  /**
   * collected / own / upward / below for the union at `path` (id `orgId`), receipts of `year`; 下拨 in and
   * out, 会费 received, spending (funds_spending plus the aid budgets' paid disbursements: the 帮扶 lines of
   * the union budget, decision 034), and what was carried over from the years before.
   */
  async ledger(db: Executor, orgId: string, path: string, year: number) {
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    const row = await sql<{
      collected: string;
      own: string;
      upward: string;
      below: string;
      alloc_in: string;
      alloc_out: string;
      dues: string;
      spent: string;
      aid_paid: string;
    }>`
      with rs as (
        select r.id, r.amount_fen from funds_receipts r join orgs u on u.id = r.union_org_id
        where u.path like ${`${path}%`} and r.received_on between ${from} and ${to}
      ), sh as (
        select s.amount_fen, s.org_id, so.path from funds_receipt_shares s join rs on rs.id = s.receipt_id join orgs so on so.id = s.org_id
      )
      select
        (select coalesce(sum(amount_fen), 0) from rs)::text as collected,
        (select coalesce(sum(amount_fen), 0) from sh where org_id = ${orgId})::text as own,
        (select coalesce(sum(amount_fen), 0) from sh where path not like ${`${path}%`})::text as upward,
        (select coalesce(sum(amount_fen), 0) from sh where org_id <> ${orgId} and path like ${`${path}%`})::text as below,
        (select coalesce(sum(amount_fen), 0) from funds_allocations a where a.to_org_id = ${orgId} and a.allocated_on between ${from} and ${to})::text as alloc_in,
        (select coalesce(sum(amount_fen), 0) from funds_allocations a where a.from_org_id = ${orgId} and a.allocated_on between ${from} and ${to})::text as alloc_out,
        (select coalesce(sum(amount_fen), 0) from funds_dues d where d.org_id = ${orgId} and d.paid_on between ${from} and ${to})::text as dues,
        (select coalesce(sum(amount_fen), 0) from funds_spending p where p.org_id = ${orgId} and p.spent_on between ${from} and ${to})::text as spent,
        (select coalesce(sum((d.amount * 100)::bigint), 0) from aid_disbursements d where d.org_id = ${orgId} and d.year = ${year} and d.status = 'paid')::text as aid_paid
    `.execute(db);
    return row.rows[0]!;
  },

  /**
   * The union's available balance in fen: own shares + 下拨 received + 会费 − 下拨 made − spending − aid
   * paid, over every date before `beforeYear` (the carry-over), or over all time when it is absent (the
   * check before a 下拨 or a spending row, decision 034).
   */
  async balance(db: Executor, orgId: string, beforeYear?: number) {
    const d = beforeYear ? `${beforeYear}-01-01` : '9999-12-31';
    const y = beforeYear ?? 10000;
    const row = await sql<{ fen: string }>`
      select (
        (select coalesce(sum(s.amount_fen), 0) from funds_receipt_shares s join funds_receipts r on r.id = s.receipt_id where s.org_id = ${orgId} and r.received_on < ${d})
        + (select coalesce(sum(amount_fen), 0) from funds_allocations where to_org_id = ${orgId} and allocated_on < ${d})
        + (select coalesce(sum(amount_fen), 0) from funds_dues where org_id = ${orgId} and paid_on < ${d})
        - (select coalesce(sum(amount_fen), 0) from funds_allocations where from_org_id = ${orgId} and allocated_on < ${d})
        - (select coalesce(sum(amount_fen), 0) from funds_spending where org_id = ${orgId} and spent_on < ${d})
        - (select coalesce(sum((amount * 100)::bigint), 0) from aid_disbursements where org_id = ${orgId} and year < ${y} and status = 'paid')
      )::text as fen
    `.execute(db);
    return BigInt(row.rows[0]!.fen);
  },

  /** Serialises the writes that draw on one union's balance (下拨, spending): held to the end of the transaction. */
  async lockLedger(db: Executor, orgId: string) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`funds-ledger:${orgId}`}, 0))`.execute(db);
  },

  /** Shares received by the union from receipts of `year` (own share of each receipt). */
  async ownShareFromReceipts(db: Executor, orgId: string, year: number) {
    const r = await db
      .selectFrom('funds_receipt_shares as s')
      .innerJoin('funds_receipts as r', 'r.id', 's.receipt_id')
      .select(sql<string>`coalesce(sum(s.amount_fen), 0)`.as('fen'))
      .where('s.org_id', '=', orgId)
      .where('r.received_on', '>=', `${year}-01-01`)
      .where('r.received_on', '<=', `${year}-12-31`)
      .executeTakeFirstOrThrow();
    return r.fen;
  },

  // ---- allocations ----
  async insertAllocation(db: Executor, row: Insertable<FundsAllocationsTable>) {
    return db.insertInto('funds_allocations').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  /** Allocations made or received by unions in the scope. */
  async allocations(db: Executor, scopePath: string, f: { orgId?: string; year?: number; limit: number; offset: number }) {
    let q = db
      .selectFrom('funds_allocations as a')
      .innerJoin('orgs as fo', 'fo.id', 'a.from_org_id')
      .innerJoin('orgs as t', 't.id', 'a.to_org_id')
      .where((eb) => eb.or([eb('fo.path', 'like', `${scopePath}%`), eb('t.path', 'like', `${scopePath}%`)]));
    if (f.orgId) q = q.where((eb) => eb.or([eb('a.from_org_id', '=', f.orgId!), eb('a.to_org_id', '=', f.orgId!)]));
    if (f.year) q = q.where('a.allocated_on', '>=', `${f.year}-01-01`).where('a.allocated_on', '<=', `${f.year}-12-31`);
    const [items, totals] = await Promise.all([
      q
        .select([
          'a.id',
          'a.amount_fen',
          sql<string>`a.allocated_on::text`.as('allocated_on'),
          'a.purpose',
          'a.created_by',
          'fo.id as from_id',
          'fo.name as from_name',
          't.id as to_id',
          't.name as to_name',
        ])
        .orderBy('a.allocated_on', 'desc')
        .orderBy('a.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(totals.total) };
  },

  // ---- budgets and spending ----
  async upsertBudget(db: Executor, row: { org_id: string; year: number; category: FundsCategory; amount_fen: bigint; note: string }, at: Date) {
    return db
      .insertInto('funds_budgets')
      .values({ ...row, updated_at: at })
      .onConflict((oc) =>
        oc.columns(['org_id', 'year', 'category']).doUpdateSet({ amount_fen: row.amount_fen, note: row.note, updated_at: at, version: sql`funds_budgets.version + 1` }),
      )
      .returning(['id'])
      .executeTakeFirstOrThrow();
  },

  /** Budget and actual per category of a union and year. */
  async budgetVsActual(db: Executor, orgId: string, year: number) {
    const [budgets, actual] = await Promise.all([
      db.selectFrom('funds_budgets').select(['id', 'category', 'amount_fen', 'note', 'version']).where('org_id', '=', orgId).where('year', '=', year).execute(),
      db
        .selectFrom('funds_spending')
        .select(['category', sql<string>`sum(amount_fen)`.as('spent_fen'), sql<string>`count(*)`.as('n')])
        .where('org_id', '=', orgId)
        .where('spent_on', '>=', `${year}-01-01`)
        .where('spent_on', '<=', `${year}-12-31`)
        .groupBy('category')
        .execute(),
    ]);
    return { budgets, actual };
  },

  async insertSpending(db: Executor, row: Insertable<FundsSpendingTable>) {
    return db.insertInto('funds_spending').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async spendingInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('funds_spending as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .select(['p.id', 'p.org_id', 'o.name as org_name', 'p.category', 'p.amount_fen'])
      .where('p.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async spending(db: Executor, scopePath: string, f: { orgId?: string; year?: number; category?: string; activityId?: string; limit: number; offset: number }) {
    let q = db
      .selectFrom('funds_spending as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .leftJoin('activities as a', 'a.id', 'p.activity_id')
      .where('o.path', 'like', `${scopePath}%`);
    if (f.orgId) q = q.where('p.org_id', '=', f.orgId);
    if (f.year) q = q.where('p.spent_on', '>=', `${f.year}-01-01`).where('p.spent_on', '<=', `${f.year}-12-31`);
    if (f.category) q = q.where('p.category', '=', f.category as never);
    if (f.activityId) q = q.where('p.activity_id', '=', f.activityId);
    const [items, totals] = await Promise.all([
      q
        .select([
          'p.id',
          'p.org_id',
          'o.name as org_name',
          'p.category',
          'p.amount_fen',
          sql<string>`p.spent_on::text`.as('spent_on'),
          'p.payee',
          'p.purpose',
          'p.activity_id',
          'a.title as activity_title',
          'p.created_by',
          sql<{ id: string; file_name: string }[]>`(select coalesce(json_agg(json_build_object('id', v.id::text, 'file_name', v.file_name) order by v.id), '[]') from funds_spending_vouchers v where v.spending_id = p.id)`.as(
            'vouchers',
          ),
        ])
        .orderBy('p.spent_on', 'desc')
        .orderBy('p.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select([sql<string>`count(*)`.as('total'), sql<string>`coalesce(sum(p.amount_fen), 0)`.as('amount_fen')]).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(totals.total), totalFen: totals.amount_fen };
  },

  async insertVoucher(db: Executor, row: Insertable<FundsSpendingVouchersTable>) {
    return db.insertInto('funds_spending_vouchers').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async voucherInScope(db: Executor, scopePath: string, spendingId: string, id: string) {
    return db
      .selectFrom('funds_spending_vouchers as v')
      .innerJoin('funds_spending as p', 'p.id', 'v.spending_id')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .select(['v.id', 'v.file_key', 'v.file_name', 'v.file_mime'])
      .where('v.id', '=', id)
      .where('v.spending_id', '=', spendingId)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  /** An activity of the caller's scope (the 疗休养 a spending row pays for). */
  async activityInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('activities as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select(['a.id', 'a.title', 'a.org_id'])
      .where('a.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },
};
