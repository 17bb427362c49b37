// The console's home page by role (issue 15, item 2; decision 027): one answer with the caller's
// blocks, each computed only when the caller holds its permission, each from the owning module's own
// scoped queue or count function (no SQL here). A 领导 gets key figures with trends; a department's
// staff their queue (待我处理, overdue, expiring) and their module's figures; the 三员 their duties.
import type { Permission } from '../../platform/permissions.js';
import type { StaffActor } from '../../platform/context.js';
import { ORG_TYPES } from '../orgs/orgs.schema.js';
import type { ModuleContext } from '../module-context.js';
import type { AccountsService } from '../auth/accounts.service.js';
import type { ApplicationsService } from '../applications/applications.service.js';
import type { ContractsService } from '../contracts/contracts.service.js';
import type { HardshipService } from '../hardship/hardship.service.js';
import type { RightsService } from '../rights/rights.service.js';
import type { StatsService } from '../stats/stats.service.js';
import { INDICATOR_BY_CODE } from '../stats/stats.catalogue.js';
import { LEADER_CODES, WORK_CODES } from '../stats/stats.home.js';
import { auditActionLabel } from '../audit/audit.labels.js';

const DAY_MS = 86_400_000;
/** "Expiring": an application step due within 2 days, a join application within 3 days of its SLA, a review within 30 days. */
const APPLICATION_SOON_MS = 2 * DAY_MS;
const JOIN_SOON_MS = 3 * DAY_MS;
const REVIEW_SOON_DAYS = 30;
const FIRST_ITEMS = 5;

export interface QueueSource {
  key: 'applications' | 'joins' | 'hardship_reviews' | 'contracts' | 'rights_cases' | 'rights_tickets';
  label: string;
  /** Waiting for the caller (applications, joins); for the others what needs attention. */
  total: number;
  overdue: number;
  dueSoon: number;
  /** What the numbers mean, in words. */
  note: string;
  link: { path: string; query?: Record<string, string> };
}

export interface QueueItem {
  source: QueueSource['key'];
  id: string;
  title: string;
  orgName: string;
  /** A deadline at a moment (applications, joins): ISO instant, shown in China time. */
  dueAt: string | null;
  /** A deadline on a day (contracts, rights cases and tickets): China date YYYY-MM-DD, shown as a date. */
  dueOn: string | null;
  overdue: boolean;
  link: { path: string; query?: Record<string, string> };
}

const dueMs = (i: QueueItem) => (i.dueAt ? Date.parse(i.dueAt) : i.dueOn ? Date.parse(`${i.dueOn}T23:59:59+08:00`) : Infinity);

export type HomeDeps = ModuleContext & {
  accounts: AccountsService;
  applications: ApplicationsService;
  hardship: HardshipService;
  contracts: ContractsService;
  rights: RightsService;
  stats: StatsService;
};

export function createHomeService(ctx: HomeDeps) {
  const now = () => ctx.clock.now();

  async function queue(actor: StaffActor, has: (p: Permission) => boolean) {
    const sources: QueueSource[] = [];
    const items: QueueItem[] = [];
    const at = now();
    if (has('application:handle')) {
      const s = await ctx.applications.queueSummary(actor, at, APPLICATION_SOON_MS);
      sources.push({ key: 'applications', label: '服务申请', ...s, note: '本级待办理的服务申请', link: { path: '/work-queue' } });
      const first = await ctx.applications.queue(actor, { scope: 'own', page: 1, pageSize: FIRST_ITEMS });
      for (const a of first.items)
        items.push({
          source: 'applications',
          id: a.id,
          title: `${a.serviceType.name} ${a.no}`,
          orgName: a.org.name,
          dueAt: a.dueAt,
          dueOn: null,
          overdue: a.overdue,
          link: { path: `/applications/${a.id}` },
        });
    }
    if (has('join:review')) {
      const s = await ctx.joining.pendingSummary(actor, JOIN_SOON_MS);
      sources.push({ key: 'joins', label: '入会申请', ...s, note: '待审核（15 个工作日内办结）', link: { path: '/join-applications' } });
      const first = await ctx.joining.list(actor, { status: 'pending', page: 1, pageSize: FIRST_ITEMS });
      for (const j of first.items)
        items.push({
          source: 'joins',
          id: j.id,
          title: `入会申请（${j.isTransfer ? '转入' : '新入会'}）`,
          orgName: j.targetOrg.name,
          dueAt: j.dueAt,
          dueOn: null,
          overdue: j.overdue,
          link: { path: '/join-applications' },
        });
    }
    if (has('hardship:write')) {
      const s = await ctx.hardship.reviewSummary(actor, REVIEW_SOON_DAYS);
      sources.push({
        key: 'hardship_reviews',
        label: '困难职工年度复核',
        total: s.overdue + s.dueSoon,
        ...s,
        note: `已到期或 ${REVIEW_SOON_DAYS} 天内到期的年度复核`,
        link: { path: '/hardship', query: { status: 'established' } },
      });
    }
    if (has('contract:write')) {
      const c = await ctx.contracts.list(actor, { expiring: true, page: 1, pageSize: 3 });
      sources.push({ key: 'contracts', label: '集体合同到期', total: c.total, overdue: 0, dueSoon: c.total, note: '90 天内到期的生效合同', link: { path: '/contracts', query: { expiring: '1' } } });
      for (const k of c.items)
        items.push({
          source: 'contracts',
          id: k.id,
          title: `集体合同到期：${k.title}`,
          orgName: k.orgName,
          dueAt: null,
          dueOn: k.endsOn,
          overdue: false,
          link: { path: `/contracts/${k.id}` },
        });
    }
    if (has('rights:write')) {
      const cases = await ctx.rights.cases.list(actor, { overdue: '1', status: 'open', page: 1, pageSize: FIRST_ITEMS });
      sources.push({ key: 'rights_cases', label: '调解超期', total: cases.total, overdue: cases.total, dueSoon: 0, note: '受理超过 15 日仍未办结的调解案件', link: { path: '/rights', query: { tab: 'cases', overdue: '1' } } });
      const tickets = await ctx.rights.tickets.list(actor, { overdue: '1', status: 'open', page: 1, pageSize: FIRST_ITEMS });
      sources.push({ key: 'rights_tickets', label: '诉求工单超期', total: tickets.total, overdue: tickets.total, dueSoon: 0, note: '超过办理时限的诉求工单', link: { path: '/rights', query: { tab: 'tickets', overdue: '1' } } });
      // Counted as overdue above, so listed too (the counts and the list must tell the same story).
      for (const k of cases.items)
        items.push({ source: 'rights_cases', id: k.id, title: `${k.kindLabel} ${k.no}`, orgName: k.org.name, dueAt: null, dueOn: k.dueOn, overdue: true, link: { path: '/rights', query: { tab: 'cases', overdue: '1' } } });
      for (const k of tickets.items)
        items.push({ source: 'rights_tickets', id: k.id, title: `诉求工单 ${k.no}`, orgName: k.org.name, dueAt: null, dueOn: k.dueOn, overdue: true, link: { path: '/rights', query: { tab: 'tickets', overdue: '1' } } });
    }
    if (!sources.length) return undefined;
    // The first items: overdue first, then by due time (a day's deadline is the end of that China day).
    items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || dueMs(a) - dueMs(b));
    const shown = items.slice(0, 8);
    const waiting = sources.filter((s) => s.key === 'applications' || s.key === 'joins');
    return {
      total: waiting.reduce((n, s) => n + s.total, 0),
      overdue: sources.reduce((n, s) => n + s.overdue, 0),
      dueSoon: sources.reduce((n, s) => n + s.dueSoon, 0),
      sources,
      items: shown,
      /** Open matters counted above but not in `items` (hardship reviews, or more than fit): the sources' links lead to them. */
      more: Math.max(0, sources.reduce((n, s) => n + s.total, 0) - shown.length),
    };
  }

  async function figures(actor: StaffActor, has: (p: Permission) => boolean) {
    const work = WORK_CODES.filter((w) => has(w.permission));
    const codes = work.length ? [...new Set(work.flatMap((w) => w.codes))] : LEADER_CODES;
    const r = await ctx.stats.keyFigures(actor, codes);
    return {
      title: work.length ? '本岗指标' : '关键指标',
      period: r.period,
      snapshot: r.snapshot,
      items: r.items.map((i) => ({ ...i, indicator: INDICATOR_BY_CODE.get(i.code)! })),
    };
  }

  async function audit(actor: StaffActor) {
    const root = await ctx.orgs.rootPath();
    const recent = await ctx.audit.recent(actor, root, { limit: 8 });
    return {
      lastVerification: await ctx.audit.lastVerification(),
      recent: recent.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actorName: r.actor_name,
        actionLabel: auditActionLabel(r.action),
        orgName: r.org_name,
        outcome: r.outcome,
      })),
    };
  }

  return {
    async home(actor: StaffActor) {
      const has = (p: Permission) => actor.permissions.has(p);
      const org = await ctx.orgs.findInScope(actor, actor.orgId);
      const out: Record<string, unknown> = {
        org: org ? { id: org.id, name: org.name, typeLabel: ORG_TYPES[org.type as keyof typeof ORG_TYPES] ?? org.type } : null,
        generatedAt: now().toISOString(),
      };
      const q = await queue(actor, has);
      if (q) out.queue = q;
      if (has('stats:read')) out.figures = await figures(actor, has);
      if (has('account:read')) out.accounts = await ctx.accounts.summary(actor);
      if (has('role:read')) {
        const roles = await ctx.accounts.listRoles(actor);
        out.roles = { total: roles.length, builtin: roles.filter((r) => r.builtin).length, custom: roles.filter((r) => !r.builtin).length };
      }
      if (has('session:read')) {
        const s = await ctx.accounts.listSessions(actor, { page: 1, pageSize: FIRST_ITEMS });
        out.sessions = {
          online: s.total,
          items: s.items.map((x) => ({ id: x.id, account: x.account, org: x.org, lastSeenAt: x.lastSeenAt, ip: x.ip, current: x.current })),
        };
      }
      if (has('account:unlock')) {
        const summary = await ctx.accounts.summary(actor);
        out.locked = { total: summary.locked, items: await ctx.accounts.lockedAccounts(actor, FIRST_ITEMS) };
        // Security events: refused or failed actions (failed logins, duty refusals) of the last 7 days.
        const since = new Date(now().getTime() - 7 * DAY_MS);
        const rows = await ctx.audit.recent(actor, await ctx.orgs.rootPath(), { outcome: 'failure', since, limit: 8 });
        out.refusals = {
          since: since.toISOString(),
          items: rows.map((r) => ({ id: r.id, at: r.at.toISOString(), actorName: r.actor_name, actionLabel: auditActionLabel(r.action), orgName: r.org_name, ip: r.ip })),
        };
      }
      if (has('audit:read')) out.audit = await audit(actor);
      return out;
    },
  };
}

export type HomeService = ReturnType<typeof createHomeService>;
