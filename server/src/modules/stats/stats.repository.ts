// All SQL of the indicator catalogue. Stock indicators: one set-based INSERT … SELECT per code into
// indicator_snapshots, a row per org with its own count and its subtree's total (decision 032), so a
// subtree's figure is one row and its children are the rows whose parent it is. Flow indicators: one
// grouped count over the period per code, scoped by org path and summed per direct child of the asked
// org by the path segment after the org's own path ('' = the org itself).
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../audit/audit.repository.js';
import { statusSql } from '../contracts/contracts.repository.js';
import { congressOk, disclosureOk } from '../enterprises/enterprises.repository.js';

export interface Period {
  /** First instant of the period (00:00 China time of its first day). */
  fromAt: Date;
  /** First instant after the period. */
  toAt: Date;
  fromDay: string;
  toDay: string;
}

const LIVE = sql`('active', 'retained')`;

/** Per org (org_id, org_path, value) of each stock indicator, for the whole tree as of now. */
const STOCK_SOURCES: Record<string, RawBuilder<unknown>> = {
  'members.live': sql`select org_id, org_path, count(*) as value from memberships where status in ${LIVE} group by org_id, org_path`,
  'members.gig': sql`select org_id, org_path, count(*) as value from memberships
    where status in ${LIVE} and employment_form <> 'standard' group by org_id, org_path`,
  'members.migrant': sql`select org_id, org_path, count(*) as value from memberships
    where status in ${LIVE} and is_migrant_worker group by org_id, org_path`,
  'members.model': sql`select org_id, org_path, count(*) as value from memberships
    where status in ${LIVE} and is_model_worker group by org_id, org_path`,
  'orgs.grassroots': sql`select id as org_id, path as org_path, 1 as value from orgs
    where type in ('grassroots', 'joint_grassroots') and status = 'active'`,
  // 25: FOUNDING_THRESHOLD of the enterprises module (the 建会 duty starts at 25 employees).
  'enterprises.eligible': sql`select e.org_id, o.path as org_path, count(*) as value from enterprises e
    join orgs o on o.id = e.org_id where e.employees >= 25 group by e.org_id, o.path`,
  'enterprises.eligible_unionised': sql`select e.org_id, o.path as org_path, count(*) as value from enterprises e
    join orgs o on o.id = e.org_id where e.employees >= 25 and e.union_org_id is not null group by e.org_id, o.path`,
  'models.honoured': sql`select p.org_id, o.path as org_path, count(*) as value from model_people p
    join orgs o on o.id = p.org_id where p.status <> 'deceased' group by p.org_id, o.path`,
  'models.studios': sql`select s.org_id, o.path as org_path, count(*) as value from model_studios s
    join orgs o on o.id = s.org_id where s.status = 'active' group by s.org_id, o.path`,
  'reform.pilots': sql`select p.org_id, o.path as org_path, count(*) as value from reform_pilots p
    join orgs o on o.id = p.org_id group by p.org_id, o.path`,
  'stations.operating': sql`select s.org_id, o.path as org_path, count(*) as value from stations s
    join orgs o on o.id = s.org_id where s.status = 'operating' group by s.org_id, o.path`,
  'hardship.open': sql`select f.org_id, o.path as org_path, count(*) as value from hardship_files f
    join orgs o on o.id = f.org_id where f.status = 'established' group by f.org_id, o.path`,
  'rights.rectifications_open': sql`select u.org_id, o.path as org_path, count(*) as value from rights_checkup_rectifications r
    join rights_checkups u on u.id = r.checkup_id join orgs o on o.id = u.org_id where r.status = 'open' group by u.org_id, o.path`,
  'funds.arrears': sql`select v.union_org_id as org_id, o.path as org_path,
    sum(greatest(v.due_fen - v.reduced_fen - coalesce((select sum(p.amount_fen) from funds_receipts p where p.enterprise_id = v.enterprise_id and p.period = v.period), 0), 0)) as value
    from funds_receivables v join orgs o on o.id = v.union_org_id group by v.union_org_id, o.path`,
};

/** Stock sources that depend on the day counted (a contract is in force, a 职代会 was held within the year, as of that day). */
const STOCK_SOURCES_AS_OF: Record<string, (day: string) => RawBuilder<unknown>> = {
  'enterprises.unionised': () => sql`select e.org_id, o.path as org_path, count(*) as value from enterprises e
    join orgs o on o.id = e.org_id where e.union_org_id is not null group by e.org_id, o.path`,
  'enterprises.congress_ok': (day) => sql`select e.org_id, o.path as org_path, count(*) as value from enterprises e
    join orgs o on o.id = e.org_id where ${congressOk(day)} group by e.org_id, o.path`,
  'enterprises.disclosure_ok': (day) => sql`select e.org_id, o.path as org_path, count(*) as value from enterprises e
    join orgs o on o.id = e.org_id where ${disclosureOk(day)} group by e.org_id, o.path`,
  'contracts.effective': (day) => sql`select c.org_id, o.path as org_path, count(*) as value from contracts c
    join orgs o on o.id = c.org_id where ${statusSql(day)} = 'effective' group by c.org_id, o.path`,
  'contracts.workers_covered': (day) => sql`select c.org_id, o.path as org_path, coalesce(sum(c.workers_covered), 0) as value from contracts c
    join orgs o on o.id = c.org_id where ${statusSql(day)} = 'effective' group by c.org_id, o.path`,
  'rights.informants': () => sql`select i.org_id, o.path as org_path, count(*) as value from rights_informants i
    join orgs o on o.id = i.org_id where i.active group by i.org_id, o.path`,
};

/** Per row (org_path, value, at) of each flow indicator inside the subtree and the period. */
function flowSource(code: string, path: string, p: Period): RawBuilder<unknown> {
  const under = `${path}%`;
  switch (code) {
    case 'members.joined':
      return sql`select org_path, 1 as value, joined_on::timestamp as at from memberships
        where org_path like ${under} and joined_on >= ${p.fromDay}::date and joined_on <= ${p.toDay}::date`;
    case 'members.joined_gig':
      return sql`select org_path, 1 as value, joined_on::timestamp as at from memberships
        where org_path like ${under} and joined_on >= ${p.fromDay}::date and joined_on <= ${p.toDay}::date and employment_form <> 'standard'`;
    case 'join.received':
      return sql`select target_org_path as org_path, 1 as value, submitted_at + interval '8 hours' as at from join_applications
        where target_org_path like ${under} and submitted_at >= ${p.fromAt} and submitted_at < ${p.toAt}`;
    case 'join.approved':
      return sql`select target_org_path as org_path, 1 as value, reviewed_at + interval '8 hours' as at from join_applications
        where target_org_path like ${under} and status = 'approved' and reviewed_at >= ${p.fromAt} and reviewed_at < ${p.toAt}`;
    case 'applications.received':
      return sql`select org_path, 1 as value, submitted_at + interval '8 hours' as at from applications
        where org_path like ${under} and submitted_at >= ${p.fromAt} and submitted_at < ${p.toAt}`;
    case 'applications.finished':
      return sql`select org_path, 1 as value, finished_at + interval '8 hours' as at from applications
        where org_path like ${under} and status in ('approved', 'rejected') and finished_at >= ${p.fromAt} and finished_at < ${p.toAt}`;
    case 'aid.paid':
      return sql`select o.path as org_path, round(d.amount * 100)::bigint as value, d.paid_at + interval '8 hours' as at
        from aid_disbursements d join orgs o on o.id = d.org_id
        where o.path like ${under} and d.status = 'paid' and d.paid_at >= ${p.fromAt} and d.paid_at < ${p.toAt}`;
    case 'activities.participants':
      return sql`select org_path, 1 as value, enrolled_at + interval '8 hours' as at from activity_enrollments
        where org_path like ${under} and status in ('enrolled', 'attended') and enrolled_at >= ${p.fromAt} and enrolled_at < ${p.toAt}`;
    case 'rights.consultations':
      return sql`select o.path as org_path, 1 as value, c.consulted_at + interval '8 hours' as at
        from rights_consultations c join orgs o on o.id = c.org_id
        where o.path like ${under} and c.consulted_at >= ${p.fromAt} and c.consulted_at < ${p.toAt}`;
    case 'rights.mediations':
    case 'rights.mediations_succeeded':
      return sql`select o.path as org_path, 1 as value, k.opened_on::timestamp as at
        from rights_cases k join orgs o on o.id = k.org_id
        where o.path like ${under} and k.kind = 'mediation' and k.opened_on >= ${p.fromDay}::date and k.opened_on <= ${p.toDay}::date
          ${code === 'rights.mediations_succeeded' ? sql`and k.status = 'succeeded'` : sql``}`;
    case 'rights.letters':
      return sql`select o.path as org_path, 1 as value, l.issued_on::timestamp as at
        from rights_letters l join orgs o on o.id = l.org_id
        where o.path like ${under} and l.issued_on >= ${p.fromDay}::date and l.issued_on <= ${p.toDay}::date`;
    case 'funds.collected':
      return sql`select o.path as org_path, r.amount_fen as value, r.received_on::timestamp as at
        from funds_receipts r join orgs o on o.id = r.union_org_id
        where o.path like ${under} and r.received_on >= ${p.fromDay}::date and r.received_on <= ${p.toDay}::date`;
    case 'auditcommittee.findings':
    case 'auditcommittee.findings_closed':
      return sql`select o.path as org_path, 1 as value, f.created_at + interval '8 hours' as at
        from ac_findings f join ac_projects j on j.id = f.project_id join ac_tasks t on t.finding_id = f.id join orgs o on o.id = j.audited_org_id
        where o.path like ${under} and f.created_at >= ${p.fromAt} and f.created_at < ${p.toAt}
          ${code === 'auditcommittee.findings_closed' ? sql`and t.status = 'closed'` : sql``}`;
    case 'rights.checkups':
      return sql`select o.path as org_path, 1 as value, u.checked_on::timestamp as at
        from rights_checkups u join orgs o on o.id = u.org_id
        where o.path like ${under} and u.checked_on >= ${p.fromDay}::date and u.checked_on <= ${p.toDay}::date`;
    case 'rights.risks':
    case 'rights.risks_severe':
      return sql`select o.path as org_path, 1 as value, r.reported_at + interval '8 hours' as at
        from rights_risks r join orgs o on o.id = r.org_id
        where o.path like ${under} and r.reported_at >= ${p.fromAt} and r.reported_at < ${p.toAt}
          ${code === 'rights.risks_severe' ? sql`and r.grade = 'severe'` : sql``}`;
    case 'models.problems_solved':
    case 'models.people_involved':
      return sql`select o.path as org_path, ${code === 'models.people_involved' ? sql`mp.people_involved` : sql`1`} as value, mp.confirmed_on::timestamp as at
        from model_problems mp join orgs o on o.id = mp.org_id
        where o.path like ${under} and mp.status = 'confirmed' and mp.confirmed_on >= ${p.fromDay}::date and mp.confirmed_on <= ${p.toDay}::date`;
    case 'models.innovation_points':
      return sql`select o.path as org_path, a.points as value, a.scored_on::timestamp as at
        from model_studio_achievements a join model_studios s on s.id = a.studio_id join orgs o on o.id = s.org_id
        where o.path like ${under} and a.points > 0 and a.scored_on >= ${p.fromDay}::date and a.scored_on <= ${p.toDay}::date`;
    case 'models.lectures':
      return sql`select a.org_path, 1 as value, coalesce(a.starts_on, x.created_at::date)::timestamp as at
        from model_lectures x join activities a on a.id = x.activity_id
        where a.org_path like ${under} and coalesce(a.starts_on, x.created_at::date) >= ${p.fromDay}::date
          and coalesce(a.starts_on, x.created_at::date) <= ${p.toDay}::date
          and exists (select 1 from activity_enrollments e where e.activity_id = a.id and e.status = 'attended')`;
    case 'models.enterprises_served':
      // an enterprise belongs to one union, so one row per enterprise (its first confirmation) sums right per child
      return sql`select distinct on (mp.enterprise_id) o.path as org_path, 1 as value, mp.confirmed_on::timestamp as at
        from model_problems mp join orgs o on o.id = mp.org_id
        where o.path like ${under} and mp.status = 'confirmed' and mp.confirmed_on >= ${p.fromDay}::date and mp.confirmed_on <= ${p.toDay}::date
        order by mp.enterprise_id, mp.confirmed_on`;
    case 'stations.visits':
      return sql`select o.path as org_path, 1 as value, v.at + interval '8 hours' as at
        from station_visits v join stations s on s.id = v.station_id join orgs o on o.id = s.org_id
        where o.path like ${under} and v.at >= ${p.fromAt} and v.at < ${p.toAt}`;
    case 'notices.sent':
      return sql`select org_path, 1 as value, published_at + interval '8 hours' as at from notices
        where org_path like ${under} and published_at >= ${p.fromAt} and published_at < ${p.toAt}`;
    case 'notices.receipts_due':
    case 'notices.receipts_replied':
      return sql`select r.org_path, 1 as value, n.published_at + interval '8 hours' as at
        from notice_recipients r join notices n on n.id = r.notice_id
        where r.org_path like ${under} and n.receipt_required and n.published_at >= ${p.fromAt} and n.published_at < ${p.toAt}
          ${code === 'notices.receipts_replied' ? sql`and r.replied_at is not null` : sql``}`;
    case 'news.published':
      return sql`select org_path, 1 as value, publish_at + interval '8 hours' as at from news_items
        where org_path like ${under} and kind = 'article' and publish_at >= ${p.fromAt} and publish_at < ${p.toAt}`;
    default:
      throw new Error(`no flow source for indicator ${code}`);
  }
}

/** Each org's own count of a stock source and its subtree's total, rolled up to every ancestor by the ids in its path. */
function stockCounts(code: string, day: string) {
  const source = STOCK_SOURCES[code] ?? STOCK_SOURCES_AS_OF[code]?.(day);
  if (!source) throw new Error(`no stock source for indicator ${code}`);
  return sql`
      with own as (select s.org_id::bigint as org_id, sum(s.value)::bigint as value from (${source}) s group by 1),
      up as (
        select a.id::bigint as org_id, sum(own.value)::bigint as value
        from own join orgs o on o.id = own.org_id
        cross join lateral unnest(string_to_array(trim(both '/' from o.path), '/')) as a(id)
        group by 1)`;
}

export interface StockRow {
  org_id: string;
  org_path: string;
  parent_id: string | null;
  value: string;
  subtree_value: string;
}

const childKey = (path: string) => sql<string>`split_part(substr(x.org_path, ${path.length + 1}), '/', 1)`;

export const statsRepository = {
  /**
   * Replaces the day's rows of one stock indicator with a fresh count: each org's own count, rolled up to
   * every ancestor by the ids in its path; returns how many orgs have a row.
   */
  async snapshotStock(db: Executor, code: string, day: string) {
    const counts = stockCounts(code, day);
    await db.deleteFrom('indicator_snapshots').where('code', '=', code).where('day', '=', day).execute();
    const r = await sql`${counts}
      insert into indicator_snapshots (day, code, org_id, org_path, parent_id, value, subtree_value)
      select ${day}::date, ${code}, o.id, o.path, o.parent_id, coalesce(own.value, 0), up.value
      from up join orgs o on o.id = up.org_id left join own on own.org_id = o.id`.execute(db);
    return Number(r.numAffectedRows ?? 0);
  },

  /**
   * The same count as snapshotStock, only read (on the read replica, decision 038): a row per org with
   * its own count and its subtree's total, for writeStock to store on the primary.
   */
  async countStock(db: Executor, code: string, day: string) {
    const r = await sql<StockRow>`${stockCounts(code, day)}
      select o.id::text as org_id, o.path as org_path, o.parent_id::text as parent_id, coalesce(own.value, 0)::text as value, up.value::text as subtree_value
      from up join orgs o on o.id = up.org_id left join own on own.org_id = o.id`.execute(db);
    return r.rows;
  },

  /** Replaces the day's rows of one stock indicator with rows counted by countStock; returns how many were stored. */
  async writeStock(db: Executor, code: string, day: string, rows: readonly StockRow[]) {
    await db.deleteFrom('indicator_snapshots').where('code', '=', code).where('day', '=', day).execute();
    let n = 0;
    // One statement per 5,000 rows: five arrays, whatever the number of orgs.
    for (let i = 0; i < rows.length; i += 5000) {
      const part = rows.slice(i, i + 5000);
      const r = await sql`
        insert into indicator_snapshots (day, code, org_id, org_path, parent_id, value, subtree_value)
        select ${day}::date, ${code}, r.org_id, r.org_path, r.parent_id, r.value, r.subtree_value
        from unnest(${part.map((x) => x.org_id)}::bigint[], ${part.map((x) => x.org_path)}::text[], ${part.map((x) => x.parent_id)}::bigint[],
                    ${part.map((x) => x.value)}::bigint[], ${part.map((x) => x.subtree_value)}::bigint[]) as r(org_id, org_path, parent_id, value, subtree_value)`.execute(
        db,
      );
      n += Number(r.numAffectedRows ?? 0);
    }
    return n;
  },

  /** Keeps the last 62 days of snapshots and each month's last day before them (a trend by month reads those). */
  async thinSnapshots(db: Executor, today: string) {
    const keep = sql`(select max(r.day) from indicator_snapshot_runs r group by to_char(r.day, 'YYYY-MM'))`;
    const old = sql`${today}::date - 62`;
    await sql`delete from indicator_snapshots where day < ${old} and day not in ${keep}`.execute(db);
    await sql`delete from indicator_snapshot_runs where day < ${old} and day not in ${keep}`.execute(db);
  },

  async recordRun(db: Executor, day: string, takenAt: Date, durationMs: number) {
    await db
      .insertInto('indicator_snapshot_runs')
      .values({ day, taken_at: takenAt, duration_ms: durationMs })
      .onConflict((oc) => oc.column('day').doUpdateSet({ taken_at: takenAt, duration_ms: durationMs }))
      .execute();
  },

  /** The newest snapshot on or before `day`. */
  async latestRun(db: Executor, day: string) {
    return db.selectFrom('indicator_snapshot_runs').selectAll().where('day', '<=', day).orderBy('day', 'desc').limit(1).executeTakeFirst();
  },

  /** Stock indicators per direct child of the org ('' = the org's own count) on a snapshot day: its rows and its children's. */
  async stockByChild(db: Executor, codes: readonly string[], day: string, orgId: string) {
    if (!codes.length) return [];
    const r = await sql<{ code: string; child: string; value: string }>`
      select x.code, '' as child, x.value::text as value from indicator_snapshots x
      where x.code in (${sql.join(codes)}) and x.org_id = ${orgId} and x.day = ${day}::date
      union all
      select x.code, x.org_id::text as child, x.subtree_value::text as value from indicator_snapshots x
      where x.code in (${sql.join(codes)}) and x.parent_id = ${orgId} and x.day = ${day}::date`.execute(db);
    return r.rows;
  },

  /** A flow indicator over the period summed per direct child of `path` ('' = the org itself). */
  async flowByChild(db: Executor, code: string, path: string, p: Period) {
    const r = await sql<{ child: string; value: string }>`
      select ${childKey(path)} as child, sum(x.value)::text as value from (${flowSource(code, path, p)}) x group by 1`.execute(db);
    return r.rows;
  },

  /** A flow indicator over the period per month (China time) in the subtree. */
  async flowByMonth(db: Executor, code: string, path: string, p: Period) {
    const r = await sql<{ month: string; value: string }>`
      select to_char(x.at, 'YYYY-MM') as month, sum(x.value)::text as value from (${flowSource(code, path, p)}) x group by 1 order by 1`.execute(db);
    return r.rows;
  },

  /** A stock indicator per snapshot day for the org's subtree (its trend). */
  async stockByDay(db: Executor, code: string, orgId: string, fromDay: string, toDay: string) {
    const r = await sql<{ day: string; value: string }>`
      select to_char(x.day, 'YYYY-MM-DD') as day, x.subtree_value::text as value from indicator_snapshots x
      where x.code = ${code} and x.org_id = ${orgId} and x.day >= ${fromDay}::date and x.day <= ${toDay}::date
      order by x.day`.execute(db);
    return r.rows;
  },

  /** A stock indicator per month for the org's subtree: the last snapshot day of each month in the range. */
  async stockByMonth(db: Executor, code: string, orgId: string, fromDay: string, toDay: string) {
    const r = await sql<{ month: string; value: string }>`
      select to_char(x.day, 'YYYY-MM') as month, x.subtree_value::text as value from indicator_snapshots x
      where x.code = ${code} and x.org_id = ${orgId} and x.day in (
        select max(r.day) from indicator_snapshot_runs r where r.day >= ${fromDay}::date and r.day <= ${toDay}::date group by to_char(r.day, 'YYYY-MM'))
      order by 1`.execute(db);
    return r.rows;
  },

  /** The direct children of an org (for the comparison), dissolved ones included only when asked. */
  async children(db: Executor, orgId: string) {
    return db.selectFrom('orgs').select(['id', 'name', 'type', 'path', 'status']).where('parent_id', '=', orgId).orderBy('id').execute();
  },
};
