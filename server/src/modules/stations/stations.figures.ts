// 阵地 figures per subtree: counts only (no personal data leaves a site's union), each with the list
// query that shows the rows behind it.
import type { StaffActor } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { chinaYear } from '../../platform/china-time.js';
import type { ModuleContext } from '../module-context.js';
import { STATION_TYPES, STATUSES } from './stations.constants.js';
import { stationsRepository as repo } from './stations.repository.js';

export function createStationFigures(ctx: ModuleContext) {
  const db = ctx.database.db;
  return async function figures(actor: StaffActor, orgId: string, year?: number) {
    const org = await ctx.orgs.findInScope(actor, orgId);
    if (!org) throw notFound('组织');
    const y = year ?? chinaYear(ctx.clock.now());
    const [f, members] = await Promise.all([repo.figures(db, org.path, `${y}-01-01`, `${y + 1}-01-01`), ctx.members.figures(actor, orgId)]);
    const count = (type?: string, status?: string) =>
      f.byTypeStatus.filter((r) => (!type || r.type === type) && (!status || r.status === status)).reduce((a, r) => a + Number(r.n), 0);
    const live = count(undefined, 'operating') + count(undefined, 'paused');
    const activeMembers = members.byStatus.find((s) => s.status === 'active')?.count ?? 0;
    return {
      orgId: org.id,
      year: y,
      total: count(),
      byType: STATION_TYPES.map((t) => ({
        type: t.code,
        name: t.name,
        count: count(t.code),
        byStatus: Object.keys(STATUSES).map((s) => ({ status: s, count: count(t.code, s) })),
        link: { orgId: org.id, type: t.code },
      })),
      byStatus: Object.entries(STATUSES).map(([status, name]) => ({ status, name, count: count(undefined, status), link: { orgId: org.id, status } })),
      stars: [0, 1, 2, 3, 4, 5].map((stars) => ({
        stars,
        name: stars === 0 ? '未评星' : `${stars} 星`,
        count: Number(f.byStars.find((r) => Number(r.stars) === stars)?.n ?? 0),
        link: { orgId: org.id, stars },
      })),
      visitsPerMonth: Array.from({ length: 12 }, (_, i) => {
        const month = `${y}-${String(i + 1).padStart(2, '0')}`;
        return { month, count: Number(f.perMonth.find((r) => r.month === month)?.n ?? 0) };
      }),
      members: activeMembers,
      liveSites: live,
      sitesPer10kMembers: activeMembers > 0 ? Math.round((live / activeMembers) * 10_000 * 10) / 10 : null,
      townsWithoutSite: f.townsWithout.map((t) => ({ id: t.id, name: t.name, county: t.county_name, link: { orgId: t.id } })),
    };
  };
}
