// Coverage figures per subtree (issue 13, item 7): every figure is a query over the operational
// tables, and carries the console route + query that lists the rows behind it.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { chinaDay, chinaYear } from '../../platform/china-time.js';
import type { StaffActor } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import type { ModuleContext } from '../module-context.js';
import { FOUNDING_THRESHOLD, NON_PUBLIC } from '../enterprises/enterprises.constants.js';
import { congressOk, disclosureOk, foundingOverdue } from '../enterprises/enterprises.repository.js';
import { CONTRACT_KINDS } from './contracts.constants.js';
import { statusSql } from './contracts.repository.js';

const rate = (n: number, d: number) => (d ? `${((n / d) * 100).toFixed(1)}%` : '—');

export function createCoverageService(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;

  return {
    async figures(actor: StaffActor, q: { orgId?: string; year?: number }) {
      let scope = actor.orgPath;
      let orgId = actor.orgId;
      if (q.orgId) {
        const o = await ctx.orgs.findInScope(actor, q.orgId);
        if (!o) throw notFound('组织');
        scope = o.path;
        orgId = o.id;
      }
      const today = chinaDay(ctx.clock.now());
      const year = q.year ?? chinaYear(ctx.clock.now());
      const nonPublic = sql.join(NON_PUBLIC.map((o) => sql`${o}`));
      const e = await sql<Record<string, string>>`
        select count(*) filter (where e.employees >= ${FOUNDING_THRESHOLD}) as eligible,
               count(*) filter (where e.employees >= ${FOUNDING_THRESHOLD} and e.union_org_id is not null) as eligible_unionised,
               count(*) filter (where e.union_org_id is not null) as unionised,
               count(*) filter (where e.ownership in (${nonPublic}) and e.union_org_id is not null and extract(year from e.unionised_on) = ${year}) as nonpublic_new,
               count(*) filter (where ${congressOk(today)}) as congress_ok,
               count(*) filter (where ${disclosureOk(today)}) as disclosure_ok,
               coalesce(sum(e.employees) filter (where e.union_kind = 'own'), 0) as own_employees,
               coalesce(sum(e.women) filter (where e.union_org_id is not null), 0) as unionised_women,
               (select count(*) from memberships m join enterprises e2 on e2.union_org_id = m.org_id join orgs o2 on o2.id = e2.org_id
                 where o2.path like ${`${scope}%`} and e2.union_kind = 'own' and m.status = 'active') as members
          from enterprises e join orgs o on o.id = e.org_id
         where o.path like ${`${scope}%`}`.execute(db);
      const f = Object.fromEntries(Object.entries(e.rows[0]!).map(([k, v]) => [k, Number(v)]));
      const c = await sql<{ kind: string; n: string; workers: string; women: string }>`
        select c.kind, count(*) as n, coalesce(sum(c.workers_covered), 0) as workers, coalesce(sum(c.women_covered), 0) as women
          from contracts c join orgs o on o.id = c.org_id
         where o.path like ${`${scope}%`} and ${statusSql(today)} = 'effective'
         group by c.kind order by c.kind`.execute(db);
      const other = await sql<Record<string, string>>`
        select (select count(distinct ce.enterprise_id) from contracts c join orgs o on o.id = c.org_id join contract_enterprises ce on ce.contract_id = c.id
                 where o.path like ${`${scope}%`} and c.kind = 'women' and ${statusSql(today)} = 'effective') as women_covered_enterprises,
               (select count(*) from contracts c join orgs o on o.id = c.org_id
                 where o.path like ${`${scope}%`} and ${statusSql(today)} = 'effective' and c.ends_on <= ${today}::date + 90) as expiring,
               (select count(*) from union_foundings f join enterprises e on e.id = f.enterprise_id join orgs o on o.id = e.org_id
                 where o.path like ${`${scope}%`} and ${foundingOverdue(today)}) as foundings_overdue,
               (select count(*) from bargaining_targets t join bargaining_campaigns b on b.id = t.campaign_id join enterprises e on e.id = t.enterprise_id
                 join orgs o on o.id = e.org_id where o.path like ${`${scope}%`} and b.year = ${year}) as bargaining_targets,
               (select count(*) from bargaining_targets t join bargaining_campaigns b on b.id = t.campaign_id join enterprises e on e.id = t.enterprise_id
                 join orgs o on o.id = e.org_id where o.path like ${`${scope}%`} and b.year = ${year} and t.stage = 'signed') as bargaining_signed`.execute(db);
      const x = Object.fromEntries(Object.entries(other.rows[0]!).map(([k, v]) => [k, Number(v)]));
      const ent = (query: Record<string, string>) => ({ path: '/enterprises', query: { orgId, ...query } });
      const figures = [
        {
          key: 'founding_rate',
          label: '建会率（职工 25 人以上企业）',
          value: rate(f.eligible_unionised!, f.eligible!),
          numerator: f.eligible_unionised,
          denominator: f.eligible,
          link: ent({ figure: 'eligible_unionised' }),
          denominatorLink: ent({ figure: 'eligible' }),
        },
        {
          key: 'unionless',
          label: '未建会企业（25 人以上）',
          value: String(f.eligible! - f.eligible_unionised!),
          numerator: f.eligible! - f.eligible_unionised!,
          denominator: null,
          link: ent({ tab: 'unionless' }),
        },
        {
          key: 'nonpublic_new',
          label: `${year} 年非公企业新建会`,
          value: String(f.nonpublic_new),
          numerator: f.nonpublic_new,
          denominator: null,
          link: ent({ figure: 'nonpublic_new', year: String(year) }),
        },
        {
          key: 'membership_rate',
          label: '入会率（独立建会企业）',
          value: rate(f.members!, f.own_employees!),
          numerator: f.members,
          denominator: f.own_employees,
          link: ent({ figure: 'members_base' }),
        },
        ...c.rows.map((r) => ({
          key: `contracts_${r.kind}`,
          label: `生效的${CONTRACT_KINDS[r.kind as keyof typeof CONTRACT_KINDS]}（覆盖职工 ${Number(r.workers)} 人）`,
          value: `${Number(r.n)} 份`,
          numerator: Number(r.n),
          denominator: null,
          link: { path: '/contracts', query: { orgId, kind: r.kind, status: 'effective' } },
        })),
        {
          key: 'women_coverage',
          label: '女职工专项合同覆盖率（已建会企业）',
          value: rate(x.women_covered_enterprises!, f.unionised!),
          numerator: x.women_covered_enterprises,
          denominator: f.unionised,
          link: { path: '/contracts', query: { orgId, kind: 'women', status: 'effective' } },
        },
        {
          key: 'bargaining',
          label: `${year} 年要约行动签订率`,
          value: rate(x.bargaining_signed!, x.bargaining_targets!),
          numerator: x.bargaining_signed,
          denominator: x.bargaining_targets,
          link: { path: '/contracts', query: { tab: 'campaigns' } },
        },
        {
          key: 'congress_rate',
          label: '职代会建制率',
          value: rate(f.congress_ok!, f.unionised!),
          numerator: f.congress_ok,
          denominator: f.unionised,
          link: { path: '/democracy', query: { orgId, figure: 'congress_ok' } },
        },
        {
          key: 'disclosure_rate',
          label: '厂务公开建制率',
          value: rate(f.disclosure_ok!, f.unionised!),
          numerator: f.disclosure_ok,
          denominator: f.unionised,
          link: { path: '/democracy', query: { orgId, figure: 'disclosure_ok' } },
        },
        {
          key: 'foundings_overdue',
          label: '逾期的建会进程',
          value: String(x.foundings_overdue),
          numerator: x.foundings_overdue,
          denominator: null,
          link: ent({ tab: 'foundings', overdue: 'true' }),
        },
        {
          key: 'expiring',
          label: '90 天内到期的集体合同',
          value: String(x.expiring),
          numerator: x.expiring,
          denominator: null,
          link: { path: '/contracts', query: { orgId, expiring: 'true' } },
        },
      ];
      return { orgId, year, figures };
    },
  };
}

export type CoverageService = ReturnType<typeof createCoverageService>;
