// 要约行动 (issue 13, item 5): a campaign targets the enterprises of a subtree by size and industry;
// for each it tracks 发出要约 → 应约 → 协商 → 签订 (drafting and signing a contract move it too);
// progress is counted per child union of the viewer (per county for the city).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { BargainingStage } from '../../db/schema-enterprises.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { BARGAINING_STAGES, STAGE_ORDER } from './contracts.constants.js';
import { contractsRepository as repo } from './contracts.repository.js';

const STAGE_DAY: Record<BargainingStage, string | null> = {
  pending: null,
  offered: 'offered_on',
  responded: 'responded_on',
  negotiating: 'negotiating_on',
  signed: 'signed_on',
};

export function createCampaignsService(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const today = () => chinaDay(ctx.clock.now());

  async function get(actor: StaffActor, id: string) {
    const b = await repo.campaignInScope(db, actor.orgPath, id);
    if (!b) throw notFound('要约行动');
    // Progress per child of the caller's node, or of the campaign's node when it is below the caller.
    const inside = b.org_path.startsWith(actor.orgPath);
    const groupPath = b.org_path.length > actor.orgPath.length && inside ? b.org_path : actor.orgPath;
    const groupDepth = groupPath.split('/').filter(Boolean).length - 1;
    const rows = await repo.progressByChild(db, id, groupPath, groupDepth);
    const ids = [...new Set(rows.map((r) => r.child_id).filter(Boolean))];
    const names = ids.length ? await db.selectFrom('orgs').select(['id', 'name']).where('id', 'in', ids).execute() : [];
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    const groups = new Map<string, Record<BargainingStage, number>>();
    const totals: Record<BargainingStage, number> = { pending: 0, offered: 0, responded: 0, negotiating: 0, signed: 0 };
    for (const r of rows) {
      const key = r.child_id || '';
      const g = groups.get(key) ?? { pending: 0, offered: 0, responded: 0, negotiating: 0, signed: 0 };
      g[r.stage] += Number(r.n);
      totals[r.stage] += Number(r.n);
      groups.set(key, g);
    }
    const reached = (g: Record<BargainingStage, number>) => {
      const total = STAGE_ORDER.reduce((s, k) => s + g[k], 0);
      return { total, offered: total - g.pending, signed: g.signed, signedRate: total ? Math.round((g.signed / total) * 1000) / 10 : 0 };
    };
    return {
      id: b.id,
      orgId: b.org_id,
      orgName: b.org_name,
      title: b.title,
      year: b.year,
      startsOn: b.starts_on,
      endsOn: b.ends_on,
      criteria: b.criteria,
      stages: totals,
      ...reached(totals),
      byOrg: [...groups.entries()]
        .map(([orgId, g]) => ({ orgId: orgId || null, orgName: orgId ? (nameOf.get(orgId) ?? '') : '本级', stages: g, ...reached(g) }))
        .sort((a, b2) => a.orgName.localeCompare(b2.orgName, 'zh-CN')),
    };
  }

  return {
    get,

    async list(actor: StaffActor, q: { page: number; pageSize: number }) {
      const { items, total } = await repo.campaigns(db, actor.orgPath, q.pageSize, offsetOf(q));
      return {
        items: items.map((b) => ({
          id: b.id,
          orgName: b.org_name,
          title: b.title,
          year: b.year,
          startsOn: b.starts_on,
          endsOn: b.ends_on,
          targets: Number(b.targets ?? 0),
          signed: Number(b.signed ?? 0),
        })),
        total,
      };
    },

    async create(
      actor: StaffActor,
      meta: RequestMeta,
      input: {
        orgId: string;
        title: string;
        year: number;
        startsOn: string;
        endsOn: string;
        minEmployees: number;
        industries: string[];
        unionisedOnly: boolean;
      },
    ) {
      if (input.endsOn < input.startsOn) throw invalid({ endsOn: '结束日期不能早于开始日期' });
      const org = await ctx.orgs.findInScope(actor, input.orgId);
      if (!org) throw notFound('组织');
      const id = await db.transaction().execute(async (trx) => {
        const b = await repo.insertCampaign(trx, {
          org_id: org.id,
          title: input.title,
          year: input.year,
          starts_on: input.startsOn,
          ends_on: input.endsOn,
          criteria: JSON.stringify({ minEmployees: input.minEmployees, industries: input.industries, unionisedOnly: input.unionisedOnly }),
        });
        const n = await repo.insertTargets(trx, b.id, org.path, input);
        if (n === 0) throw invalid({ orgId: '该范围内没有符合条件的企业' });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'bargaining.create',
          targetType: 'bargaining_campaign',
          targetId: b.id,
          orgId: org.id,
          outcome: 'success',
          detail: { title: b.title, targets: n },
        });
        return b.id;
      });
      return get(actor, id);
    },

    async targets(actor: StaffActor, id: string, q: { stage?: string; orgId?: string; page: number; pageSize: number }) {
      const b = await repo.campaignInScope(db, actor.orgPath, id);
      if (!b) throw notFound('要约行动');
      let scope = actor.orgPath;
      if (q.orgId) {
        const o = await ctx.orgs.findInScope(actor, q.orgId);
        if (!o) throw notFound('组织');
        scope = o.path;
      }
      const { items, total } = await repo.targets(db, id, scope, { stage: q.stage, limit: q.pageSize, offset: offsetOf(q) });
      return {
        items: items.map((t) => ({
          enterpriseId: t.enterprise_id,
          enterpriseName: t.enterprise_name,
          orgName: t.org_name,
          employees: t.employees,
          stage: t.stage,
          stageLabel: BARGAINING_STAGES[t.stage],
          offeredOn: t.offered_on,
          respondedOn: t.responded_on,
          negotiatingOn: t.negotiating_on,
          signedOn: t.signed_on,
          contractId: t.contract_id,
        })),
        total,
      };
    },

    /** Moves one enterprise forward (never backwards; 签订 comes from signing the contract or is recorded here). */
    async advance(actor: StaffActor, meta: RequestMeta, id: string, enterpriseId: string, input: { stage: BargainingStage; on: string }) {
      if (input.on > today()) throw invalid({ on: '日期不能晚于今天' });
      await db.transaction().execute(async (trx) => {
        const b = await repo.campaignInScope(trx, actor.orgPath, id);
        if (!b) throw notFound('要约行动');
        const t = await repo.target(trx, id, enterpriseId, actor.orgPath);
        if (!t) throw notFound('要约对象');
        if (STAGE_ORDER.indexOf(input.stage) <= STAGE_ORDER.indexOf(t.stage))
          throw new AppError('CONFLICT', `该企业已处于「${BARGAINING_STAGES[t.stage]}」，进度只能向前推进`);
        const patch: Record<string, unknown> = { stage: input.stage };
        for (const s of STAGE_ORDER.slice(STAGE_ORDER.indexOf(t.stage) + 1, STAGE_ORDER.indexOf(input.stage) + 1)) {
          const col = STAGE_DAY[s];
          if (col && !(t as Record<string, unknown>)[col]) patch[col] = input.on;
        }
        await repo.setTarget(trx, id, enterpriseId, patch);
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'bargaining.advance',
          targetType: 'bargaining_campaign',
          targetId: id,
          orgId: t.org_id,
          outcome: 'success',
          detail: { enterprise: t.enterprise_name, from: t.stage, to: input.stage },
        });
      });
      return get(actor, id);
    },
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
