// 会费 SQL (decision 034): settings per union, exemptions and monthly records per membership. Every read of a
// membership is prefix-scoped by the union's path (the member must be in the union's subtree), the union itself
// by the caller's scope in the service.
import { sql } from 'kysely';
import type { Executor } from '../audit/audit.repository.js';

const like = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

export interface DuesFilters {
  orgId: string;
  unionPath: string;
  period: string;
  status?: 'paid' | 'unpaid' | 'exempt';
  q?: string;
  limit: number;
  offset: number;
}

export const fundsDuesRepository = {
  async settings(db: Executor, orgId: string) {
    return db.selectFrom('funds_dues_settings').select(['org_id', 'enabled', 'rate_bp', 'version', 'updated_by']).where('org_id', '=', orgId).executeTakeFirst();
  },

  /** Creates or updates the union's switch and rate; undefined when `version` is stale. */
  async saveSettings(db: Executor, row: { org_id: string; enabled: boolean; rate_bp: number; updated_by: string }, version: number | undefined, at: Date) {
    return db
      .insertInto('funds_dues_settings')
      .values({ ...row, updated_at: at })
      .onConflict((oc) =>
        oc
          .column('org_id')
          .doUpdateSet({ enabled: row.enabled, rate_bp: row.rate_bp, updated_by: row.updated_by, updated_at: at, version: sql`funds_dues_settings.version + 1` })
          .where('funds_dues_settings.version', '=', version ?? 0),
      )
      .returning(['org_id', 'version'])
      .executeTakeFirst();
  },

  /** Live memberships (在册、保留会籍) among `ids` in the union's subtree. */
  async membershipsIn(db: Executor, unionPath: string, ids: string[]) {
    if (!ids.length) return [];
    return db
      .selectFrom('memberships as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .select(['m.id', 'p.name', 'm.joined_on'])
      .where('m.id', 'in', ids)
      .where('m.org_path', 'like', `${unionPath}%`)
      .where('m.status', 'in', ['active', 'retained'])
      .execute();
  },

  async liveExemptions(db: Executor, orgId: string, membershipIds: string[]) {
    if (!membershipIds.length) return [];
    return db
      .selectFrom('funds_dues_exemptions')
      .select(['id', 'membership_id'])
      .where('org_id', '=', orgId)
      .where('membership_id', 'in', membershipIds)
      .where('revoked_at', 'is', null)
      .execute();
  },

  /** Inserts the month's dues; rows already recorded for (membership, period) are skipped. */
  async insertDues(
    db: Executor,
    rows: { org_id: string; membership_id: string; period: string; wage_fen: bigint; amount_fen: bigint; paid_on: string; created_by: string }[],
  ) {
    if (!rows.length) return [];
    return db
      .insertInto('funds_dues')
      .values(rows)
      .onConflict((oc) => oc.columns(['membership_id', 'period']).doNothing())
      .returning(['id', 'membership_id'])
      .execute();
  },

  async insertExemption(db: Executor, row: { org_id: string; membership_id: string; reason: string; created_by: string }) {
    return db
      .insertInto('funds_dues_exemptions')
      .values(row)
      .onConflict((oc) => oc.columns(['org_id', 'membership_id']).where('revoked_at', 'is', null).doNothing())
      .returning(['id'])
      .executeTakeFirst();
  },

  async exemptionInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('funds_dues_exemptions as x')
      .innerJoin('orgs as o', 'o.id', 'x.org_id')
      .select(['x.id', 'x.org_id', 'x.membership_id', 'x.revoked_at'])
      .where('x.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async revokeExemption(db: Executor, id: string, by: string, at: Date) {
    return db.updateTable('funds_dues_exemptions').set({ revoked_at: at, revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).returning(['id']).executeTakeFirst();
  },

  /**
   * The union's live members with the period's dues and exemption, and the months of the period's year up to
   * the period that are neither paid nor exempt (since joining): the arrears list with status = unpaid.
   */
  async members(db: Executor, f: DuesFilters) {
    const year = f.period.slice(0, 4);
    const month = Number(f.period.slice(5, 7));
    const base = db
      .selectFrom('memberships as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .leftJoin('funds_dues as d', (j) => j.onRef('d.membership_id', '=', 'm.id').on('d.period', '=', f.period))
      .leftJoin('funds_dues_exemptions as x', (j) => j.onRef('x.membership_id', '=', 'm.id').on('x.org_id', '=', f.orgId).on('x.revoked_at', 'is', null))
      .where('m.org_path', 'like', `${f.unionPath}%`)
      .where('m.status', 'in', ['active', 'retained']);
    let q = base;
    if (f.status === 'paid') q = q.where('d.id', 'is not', null);
    if (f.status === 'unpaid') q = q.where('d.id', 'is', null).where('x.id', 'is', null);
    if (f.status === 'exempt') q = q.where('x.id', 'is not', null);
    if (f.q) q = q.where((eb) => eb.or([eb('p.name', 'like', like(f.q!)), eb('p.member_no', '=', f.q!)]));
    // months of the year up to the period, from the joining month on
    const owed = sql<number>`(case when x.id is not null then 0 else (
        select count(*) from generate_series(greatest(1, case when m.joined_on >= ${`${year}-01-01`}::date then extract(month from m.joined_on)::int else 1 end), ${month}) g(mm)
        where not exists (select 1 from funds_dues d2 where d2.membership_id = m.id and d2.period = ${year} || '-' || lpad(g.mm::text, 2, '0'))
      ) end)::int`;
    const [items, totals] = await Promise.all([
      q
        .select([
          'm.id as membership_id',
          'p.name',
          'p.member_no',
          sql<string>`m.joined_on::text`.as('joined_on'),
          'd.wage_fen',
          'd.amount_fen',
          sql<string | null>`d.paid_on::text`.as('paid_on'),
          'x.id as exemption_id',
          'x.reason as exemption_reason',
          owed.as('owed_months'),
        ])
        .orderBy('m.id')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      base
        .select([
          sql<string>`count(*)`.as('members'),
          sql<string>`count(x.id)`.as('exempt'),
          sql<string>`count(d.id)`.as('paid'),
          sql<string>`count(*) filter (where d.id is null and x.id is null)`.as('unpaid'),
          sql<string>`coalesce(sum(d.amount_fen), 0)`.as('amount_fen'),
        ])
        .executeTakeFirstOrThrow(),
    ]);
    const filtered = f.status || f.q ? await q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow() : { n: totals.members };
    return { items, total: Number(filtered.n), totals };
  },

  /** Dues received by the union per month of the year. */
  async months(db: Executor, orgId: string, year: number) {
    return db
      .selectFrom('funds_dues')
      .select(['period', sql<string>`count(*)`.as('n'), sql<string>`sum(amount_fen)`.as('amount_fen')])
      .where('org_id', '=', orgId)
      .where('period', 'like', `${year}-%`)
      .groupBy('period')
      .orderBy('period')
      .execute();
  },
};
