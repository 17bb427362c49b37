// The SQL of the yearly statistics return (工会统计年报) and the annual work report: each sheet is one
// statement over the operational tables (like the indicator catalogue, decision 023), scoped by the
// union's path prefix and summed per direct child by the path segment after it ('' = the union itself),
// so a county's return with its towns side by side costs one grouped count per sheet. Year-end states
// (members on the roll, open hardship files, unions) are read from dates, so a past year's return is
// that year's; sites and enterprises have no history and are counted as they are now.
import { sql } from 'kysely';
import type { Executor } from '../audit/audit.repository.js';

export interface YearBounds {
  year: number;
  /** First and last day of the year (China dates). */
  fromDay: string;
  toDay: string;
  /** 00:00 China time on 1 January, and on 1 January of the next year. */
  fromAt: Date;
  toAt: Date;
}

export type SheetRow = { child: string } & Record<string, string | number | null>;

const childOf = (column: string, path: string) => sql<string>`split_part(substr(${sql.ref(column)}, ${path.length + 1}), '/', 1)`;
const under = (path: string) => `${path}%`;

export const reportsRepository = {
  /** 基层工会组织情况: unions at year end by type, new grassroots unions in the year, enterprises ≥ 25 and unionised (now). */
  async orgs(db: Executor, path: string, y: YearBounds) {
    const r = await sql<SheetRow>`
      select x.child,
        sum(x.grassroots)::int as grassroots, sum(x.independent)::int as independent, sum(x.joint)::int as joint,
        sum(x.village)::int as village, sum(x.industry)::int as industry, sum(x.founded)::int as founded,
        sum(x.eligible)::int as eligible, sum(x.unionised)::int as unionised
      from (
        select ${childOf('o.path', path)} as child,
          (o.type in ('grassroots', 'joint_grassroots'))::int as grassroots, (o.type = 'grassroots')::int as independent,
          (o.type = 'joint_grassroots')::int as joint, (o.type = 'village')::int as village, (o.type = 'industry_federation')::int as industry,
          (o.type in ('grassroots', 'joint_grassroots') and o.founded_on >= ${y.fromDay}::date)::int as founded,
          0 as eligible, 0 as unionised
        from orgs o
        where o.path like ${under(path)} and o.path <> ${path}
          and coalesce(o.founded_on, (o.created_at + interval '8 hours')::date) <= ${y.toDay}::date
          and (o.status = 'active' or o.dissolved_at >= ${y.toAt})
        union all
        select ${childOf('o.path', path)}, 0, 0, 0, 0, 0, 0, 1, (e.union_org_id is not null)::int
        from enterprises e join orgs o on o.id = e.org_id
        where o.path like ${under(path)} and e.employees >= 25
      ) x group by x.child`.execute(db);
    return r.rows;
  },

  /** 会员情况: on the roll on 31 December (joined by then, not ended by then), by sex, 农民工, 劳模, 就业形态; joined in the year. */
  async members(db: Executor, path: string, y: YearBounds) {
    const r = await sql<SheetRow>`
      select ${childOf('m.org_path', path)} as child,
        count(*) filter (where m.live)::int as members,
        count(*) filter (where m.live and p.sex = 'F')::int as women,
        count(*) filter (where m.live and m.is_migrant_worker)::int as migrant,
        count(*) filter (where m.live and m.is_model_worker)::int as model,
        count(*) filter (where m.live and m.employment_form <> 'standard')::int as gig,
        count(*) filter (where m.live and m.employment_form = 'truck_driver')::int as truck_driver,
        count(*) filter (where m.live and m.employment_form = 'ride_hailing')::int as ride_hailing,
        count(*) filter (where m.live and m.employment_form = 'courier')::int as courier,
        count(*) filter (where m.live and m.employment_form = 'food_delivery')::int as food_delivery,
        count(*) filter (where m.live and m.employment_form = 'other_gig')::int as other_gig,
        count(*) filter (where m.joined_on >= ${y.fromDay}::date)::int as joined,
        count(*) filter (where m.joined_on >= ${y.fromDay}::date and m.employment_form <> 'standard')::int as joined_gig
      from (select *, (ended_on is null or ended_on > ${y.toDay}::date) as live from memberships
            where org_path like ${under(path)} and joined_on <= ${y.toDay}::date) m
      join people p on p.id = m.person_id
      group by 1`.execute(db);
    return r.rows;
  },

  /** 职工之家与服务阵地: operating sites by type, rated three stars or more, service visits in the year. */
  async stations(db: Executor, path: string, y: YearBounds) {
    const r = await sql<SheetRow>`
      select x.child, sum(x.operating)::int as operating, sum(x.home)::int as home, sum(x.outdoor)::int as outdoor,
        sum(x.driver)::int as driver, sum(x.carnation)::int as carnation, sum(x.other)::int as other,
        sum(x.starred)::int as starred, sum(x.visits)::int as visits
      from (
        select ${childOf('o.path', path)} as child, 1 as operating, (s.type = 'home')::int as home, (s.type = 'outdoor')::int as outdoor,
          (s.type = 'driver')::int as driver, (s.type = 'carnation')::int as carnation,
          (s.type not in ('home', 'outdoor', 'driver', 'carnation'))::int as other, (coalesce(s.stars, 0) >= 3)::int as starred, 0 as visits
        from stations s join orgs o on o.id = s.org_id
        where o.path like ${under(path)} and s.status = 'operating'
        union all
        select ${childOf('o.path', path)}, 0, 0, 0, 0, 0, 0, 0, 1
        from station_visits v join stations s on s.id = v.station_id join orgs o on o.id = s.org_id
        where o.path like ${under(path)} and v.at >= ${y.fromAt} and v.at < ${y.toAt}
      ) x group by x.child`.execute(db);
    return r.rows;
  },

  /** 困难职工帮扶: files open on 31 December, established and closed (解困) in the year, aid paid, service applications. */
  async aid(db: Executor, path: string, y: YearBounds) {
    const r = await sql<SheetRow>`
      select x.child, sum(x.open_files)::int as open_files, sum(x.established)::int as established, sum(x.closed)::int as closed,
        sum(x.aid_times)::int as aid_times, (sum(x.aid_fen) / 100.0)::numeric(14, 2)::text as aid_amount,
        sum(x.received)::int as received, sum(x.finished)::int as finished
      from (
        select ${childOf('o.path', path)} as child,
          (f.established_at < ${y.toAt} and (f.closed_at is null or f.closed_at >= ${y.toAt}))::int as open_files,
          (f.established_at >= ${y.fromAt} and f.established_at < ${y.toAt})::int as established,
          (f.closed_at >= ${y.fromAt} and f.closed_at < ${y.toAt})::int as closed,
          0 as aid_times, 0::bigint as aid_fen, 0 as received, 0 as finished
        from hardship_files f join orgs o on o.id = f.org_id
        where o.path like ${under(path)} and f.established_at is not null
        union all
        select ${childOf('o.path', path)}, 0, 0, 0, 1, round(d.amount * 100)::bigint, 0, 0
        from aid_disbursements d join orgs o on o.id = d.org_id
        where o.path like ${under(path)} and d.status = 'paid' and d.paid_at >= ${y.fromAt} and d.paid_at < ${y.toAt}
        union all
        select ${childOf('a.org_path', path)}, 0, 0, 0, 0, 0,
          (a.submitted_at >= ${y.fromAt} and a.submitted_at < ${y.toAt})::int,
          (a.status in ('approved', 'rejected') and a.finished_at >= ${y.fromAt} and a.finished_at < ${y.toAt})::int
        from applications a
        where a.org_path like ${under(path)} and ((a.submitted_at >= ${y.fromAt} and a.submitted_at < ${y.toAt}) or (a.finished_at >= ${y.fromAt} and a.finished_at < ${y.toAt}))
      ) x group by x.child`.execute(db);
    return r.rows;
  },

  /** 维权服务: consultations, mediation cases opened and succeeded, 法律援助 cases, 一函两书 issued in the year. */
  async rights(db: Executor, path: string, y: YearBounds) {
    const r = await sql<SheetRow>`
      select x.child, sum(x.consultations)::int as consultations, sum(x.mediations)::int as mediations,
        sum(x.succeeded)::int as succeeded, sum(x.legal_aid)::int as legal_aid, sum(x.letters)::int as letters
      from (
        select ${childOf('o.path', path)} as child, 1 as consultations, 0 as mediations, 0 as succeeded, 0 as legal_aid, 0 as letters
        from rights_consultations c join orgs o on o.id = c.org_id
        where o.path like ${under(path)} and c.consulted_at >= ${y.fromAt} and c.consulted_at < ${y.toAt}
        union all
        select ${childOf('o.path', path)}, 0, (k.kind = 'mediation')::int, (k.kind = 'mediation' and k.status = 'succeeded')::int, (k.kind = 'legal_aid')::int, 0
        from rights_cases k join orgs o on o.id = k.org_id
        where o.path like ${under(path)} and k.opened_on >= ${y.fromDay}::date and k.opened_on <= ${y.toDay}::date
        union all
        select ${childOf('o.path', path)}, 0, 0, 0, 0, 1
        from rights_letters l join orgs o on o.id = l.org_id
        where o.path like ${under(path)} and l.issued_on >= ${y.fromDay}::date and l.issued_on <= ${y.toDay}::date
      ) x group by x.child`.execute(db);
    return r.rows;
  },

  /** New members per month of the year in the subtree (the report's chart). */
  async joinedByMonth(db: Executor, path: string, y: YearBounds) {
    const r = await sql<{ month: number; n: number }>`
      select extract(month from joined_on)::int as month, count(*)::int as n from memberships
      where org_path like ${under(path)} and joined_on >= ${y.fromDay}::date and joined_on <= ${y.toDay}::date
      group by 1 order by 1`.execute(db);
    return r.rows;
  },

  /** The direct children of a union, in the tree's order. */
  async children(db: Executor, orgId: string) {
    return db.selectFrom('orgs').select(['id', 'name', 'type', 'status']).where('parent_id', '=', orgId).orderBy('sort_order').orderBy('id').execute();
  },

  async highlights(db: Executor, orgId: string, year: number) {
    return db.selectFrom('annual_highlights').selectAll().where('org_id', '=', orgId).where('year', '=', year).executeTakeFirst();
  },

  async insertHighlights(db: Executor, row: { org_id: string; year: number; body: string; updated_by: string; updated_at: Date }) {
    return db.insertInto('annual_highlights').values(row).onConflict((oc) => oc.columns(['org_id', 'year']).doNothing()).returningAll().executeTakeFirst();
  },

  async updateHighlights(db: Executor, orgId: string, year: number, version: number, patch: { body: string; updated_by: string; updated_at: Date }) {
    return db
      .updateTable('annual_highlights')
      .set({ ...patch, version: sql`version + 1` })
      .where('org_id', '=', orgId)
      .where('year', '=', year)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },
};
