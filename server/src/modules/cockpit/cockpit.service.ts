// 数据大屏 (issue 15 item 3): the live feed of the city cockpit. The figures, the map colouring, the
// trends and rankings come from the indicator catalogue (/api/stats/…); this adds what just happened.
import type { StaffActor } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import type { ModuleContext } from '../module-context.js';
import { cockpitRepository as repo, type FeedKind } from './cockpit.repository.js';

const WINDOW_DAYS = 30;

const WORDS: Record<FeedKind, { label: string; unit: string }> = {
  join: { label: '新会员', unit: '人' },
  application: { label: '服务申请办结', unit: '件' },
  ticket: { label: '诉求工单办结', unit: '件' },
  mediation: { label: '调解成功', unit: '件' },
};

const china = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString();

export function createCockpitService(ctx: ModuleContext) {
  // The feed is the newest events of the last 30 days, refreshed by the screen: seconds of replica lag
  // are invisible there (decision 038). The scope check stays on the primary.
  const reader = ctx.database.reader;
  return {
    /** The newest events of the subtree over the last 30 days, newest first: where, what, how many, when — no personal data. */
    async feed(actor: StaffActor, q: { orgId?: string; limit?: number }) {
      const org = await ctx.orgs.findInScope(actor, q.orgId ?? actor.orgId);
      if (!org) throw notFound('组织');
      const since = new Date(ctx.clock.now().getTime() - WINDOW_DAYS * 86_400_000);
      const rows = await repo.feed(reader, org.path, since, q.limit ?? 20);
      const ids = [...new Set(rows.flatMap((r) => [r.child, r.grandchild]).filter(Boolean))];
      const name = new Map((await repo.names(reader, ids)).map((o) => [o.id, o.name]));
      return {
        org: { id: org.id, name: org.name },
        since: since.toISOString(),
        items: rows.map((r) => {
          const at = new Date(r.at);
          const place = [r.child ? name.get(r.child) : org.name, r.grandchild ? name.get(r.grandchild) : null].filter(Boolean).join(' · ');
          return {
            kind: r.kind,
            label: WORDS[r.kind].label,
            count: r.n,
            text: `${WORDS[r.kind].label} ${r.n} ${WORDS[r.kind].unit}`,
            place,
            at: at.toISOString(),
            time: china(at).slice(11, 16),
            day: china(at).slice(5, 10),
          };
        }),
      };
    },
  };
}

export type CockpitService = ReturnType<typeof createCockpitService>;
