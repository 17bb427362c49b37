// 建会 (issue 13, item 2): 筹备 (organiser) → 会员大会/代表大会 elects the committee → 上级批复 (the
// grassroots union node is created through the orgs service under the chosen parent and the
// enterprise attached) → 法人资格登记 within 60 days. Officers are rows with terms: 换届 reminders.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { UnionFoundingsTable } from '../../db/schema-enterprises.js';
import type { Selectable } from 'kysely';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import {
  addDays,
  addYears,
  FOUNDING_STATUSES,
  LEGAL_REGISTRATION_DAYS,
  OFFICER_ROLES,
  TERM_REMIND_DAYS,
  WOMEN_COMMITTEE_THRESHOLD,
} from './enterprises.constants.js';
import { enterprisesRepository as repo } from './enterprises.repository.js';
import type { OfficerRole } from '../../db/schema-enterprises.js';

const GRASSROOTS_PARENTS = ['city', 'county', 'town', 'village', 'industry_federation'];

export function createFoundingService(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const today = () => chinaDay(ctx.clock.now());

  const auditF = (
    trx: Parameters<typeof ctx.audit.append>[0],
    actor: StaffActor,
    meta: RequestMeta,
    action: string,
    f: { id: string; enterprise_name: string },
    orgId: string,
    detail?: object,
  ) =>
    ctx.audit.append(trx, {
      ...auditActor(actor, meta),
      action,
      targetType: 'union_founding',
      targetId: f.id,
      orgId,
      outcome: 'success',
      detail: { enterprise: f.enterprise_name, ...detail },
    });

  function dto(
    f: Selectable<UnionFoundingsTable> & { enterprise_name: string; parent_name: string },
    officers: Awaited<ReturnType<typeof repo.officersOf>> = [],
  ) {
    const t = today();
    return {
      id: f.id,
      enterpriseId: f.enterprise_id,
      enterpriseName: f.enterprise_name,
      parentOrgId: f.parent_org_id,
      parentName: f.parent_name,
      status: f.status,
      statusLabel: FOUNDING_STATUSES[f.status],
      organiser: f.organiser,
      startedOn: f.started_on,
      meetingKind: f.meeting_kind,
      electedOn: f.elected_on,
      termYears: f.term_years,
      approvalNo: f.approval_no,
      approvedOn: f.approved_on,
      unionOrgId: f.union_org_id,
      legalDueOn: f.legal_due_on,
      legalCertNo: f.legal_cert_no,
      legalRegisteredOn: f.legal_registered_on,
      legalOverdue: f.status === 'established' && !!f.legal_due_on && f.legal_due_on < t,
      /** Account ids of who started it and recorded its election: the console hides 批复 from them (decision 045). */
      startedBy: f.started_by,
      electedBy: f.elected_by,
      officers: officers
        .filter((o) => o.founding_id === f.id)
        .map((o) => ({ id: o.id, name: o.name, role: o.role, roleLabel: OFFICER_ROLES[o.role], termStart: o.term_start, termEnd: o.term_end })),
      version: f.version,
    };
  }

  async function get(actor: StaffActor, id: string) {
    const f = await repo.foundingInScope(db, actor.orgPath, id);
    if (!f) throw notFound('建会进程');
    return dto(f, await repo.officersOf(db, f.enterprise_id));
  }

  async function locked(trx: Parameters<typeof repo.foundingInScope>[0], actor: StaffActor, id: string, version: number) {
    const f = await repo.foundingInScope(trx, actor.orgPath, id, true);
    if (!f) throw notFound('建会进程');
    if (f.version !== version) throw conflict();
    return f;
  }

  return {
    get,

    async list(actor: StaffActor, q: { status?: string; overdue?: boolean; page: number; pageSize: number }) {
      const { items, total } = await repo.listFoundings(db, actor.orgPath, { ...q, today: today(), limit: q.pageSize, offset: offsetOf(q) });
      return { items: items.map((f) => ({ ...dto(f), overdue: Boolean(f.overdue) })), total };
    },

    async start(actor: StaffActor, meta: RequestMeta, enterpriseId: string, input: { parentOrgId: string; organiser: string; startedOn: string }) {
      const parent = await ctx.orgs.findInScope(actor, input.parentOrgId);
      if (!parent) throw notFound('上级工会');
      if (!GRASSROOTS_PARENTS.includes(parent.type) || parent.status !== 'active')
        throw invalid({ parentOrgId: '基层工会应建在市、县、镇街、村(社区)工会或行业工会联合会之下' });
      if (input.startedOn > today()) throw invalid({ startedOn: '筹备开始日期不能晚于今天' });
      const id = await db.transaction().execute(async (trx) => {
        const e = await repo.findInScope(trx, actor.orgPath, enterpriseId, true);
        if (!e) throw notFound('企业');
        if (e.union_org_id) throw new AppError('CONFLICT', '该企业已建会或已被工会覆盖');
        const open = (await repo.foundingsOf(trx, enterpriseId)).find((f) => f.status === 'preparing' || f.status === 'elected');
        if (open) throw new AppError('CONFLICT', '该企业已有进行中的建会进程');
        const f = await repo.insertFounding(trx, {
          enterprise_id: enterpriseId,
          parent_org_id: parent.id,
          organiser: input.organiser,
          started_on: input.startedOn,
          started_by: actor.accountId,
        });
        await auditF(trx, actor, meta, 'founding.start', { id: f.id, enterprise_name: e.name }, parent.id, { organiser: input.organiser });
        return f.id;
      });
      return get(actor, id);
    },

    async elect(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: { version: number; meetingKind: string; electedOn: string; termYears: number; officers: { name: string; role: OfficerRole }[] },
    ) {
      if (input.electedOn > today()) throw invalid({ electedOn: '选举日期不能晚于今天' });
      const roles = input.officers.map((o) => o.role);
      const chairs = roles.filter((r) => r === 'chair').length;
      if (chairs !== 1) throw invalid({ officers: '应选举一名工会主席' });
      if (!roles.includes('funds_review')) throw invalid({ officers: '应同时选举经费审查委员会委员' });
      await db.transaction().execute(async (trx) => {
        const f = await locked(trx, actor, id, input.version);
        if (f.status !== 'preparing') throw new AppError('CONFLICT', `当前状态为「${FOUNDING_STATUSES[f.status]}」，不能登记选举`);
        if (input.electedOn < f.started_on) throw invalid({ electedOn: '选举日期不能早于筹备开始日期' });
        if (f.enterprise_women >= WOMEN_COMMITTEE_THRESHOLD && !roles.includes('women_committee'))
          throw invalid({ officers: `企业女职工 ${f.enterprise_women} 人（不少于 ${WOMEN_COMMITTEE_THRESHOLD} 人），应同时选举女职工委员会` });
        const termEnd = addDays(addYears(input.electedOn, input.termYears), -1);
        await repo.insertOfficers(
          trx,
          input.officers.map((o) => ({
            founding_id: id,
            enterprise_id: f.enterprise_id,
            name: o.name,
            role: o.role,
            term_start: input.electedOn,
            term_end: termEnd,
          })),
        );
        const u = await repo.updateFounding(trx, id, f.version, {
          status: 'elected',
          meeting_kind: input.meetingKind,
          elected_on: input.electedOn,
          term_years: input.termYears,
          elected_by: actor.accountId,
        });
        if (!u) throw conflict();
        await auditF(trx, actor, meta, 'founding.elect', f, f.parent_org_id, { officers: input.officers.length, termYears: input.termYears });
      });
      return get(actor, id);
    },

    /**
     * 上级批复: the grassroots union is created through the orgs service (its own transaction, its
     * own audit row), then the founding and the enterprise are attached in a second one. If the
     * second finds the founding moved on meanwhile, the new node is dissolved again (decision 021).
     */
    async approve(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; approvalNo: string; approvedOn: string; unionName?: string }) {
      if (input.approvedOn > today()) throw invalid({ approvedOn: '批复日期不能晚于今天' });
      const f = await repo.foundingInScope(db, actor.orgPath, id);
      if (!f) throw notFound('建会进程');
      if (f.version !== input.version) throw conflict();
      if (f.status !== 'elected') throw new AppError('CONFLICT', `当前状态为「${FOUNDING_STATUSES[f.status]}」，不能批复`);
      if (f.elected_on && input.approvedOn < f.elected_on) throw invalid({ approvedOn: '批复日期不能早于选举日期' });
      // Four eyes (decision 045): the 批复 is the level above's word, not the organiser's own.
      if (f.started_by === actor.accountId || f.elected_by === actor.accountId)
        throw new AppError('FORBIDDEN', '不能审批本人提交的事项：发起建会或登记选举的账号不能作上级批复，请由本级另一账号或上级工会批复');
      const officers = await repo.officersOf(db, f.enterprise_id);
      const chair = officers.find((o) => o.founding_id === id && o.role === 'chair');
      const org = await ctx.orgs.create(actor, meta, {
        parentId: f.parent_org_id,
        type: 'grassroots',
        name: input.unionName ?? `${f.enterprise_name}工会委员会`,
        creditCode: null,
        divisionCode: f.enterprise_division,
        address: f.enterprise_address,
        longitude: null,
        latitude: null,
        foundedOn: input.approvedOn,
        chairName: chair?.name ?? null,
      });
      try {
        await db.transaction().execute(async (trx) => {
          const cur = await locked(trx, actor, id, input.version);
          if (cur.status !== 'elected') throw conflict();
          const u = await repo.updateFounding(trx, id, cur.version, {
            status: 'established',
            approval_no: input.approvalNo,
            approved_on: input.approvedOn,
            union_org_id: org.id,
            legal_due_on: addDays(input.approvedOn, LEGAL_REGISTRATION_DAYS),
          });
          if (!u) throw conflict();
          await repo.attachUnion(trx, f.enterprise_id, org.id, input.approvedOn);
          await repo.setOfficersUnion(trx, id, org.id);
          await auditF(trx, actor, meta, 'founding.approve', f, org.id, { approvalNo: input.approvalNo, unionOrgId: org.id });
        });
      } catch (err) {
        await ctx.orgs.dissolve(actor, meta, org.id, { reason: '建会批复未完成，撤回新建节点', version: org.version }).catch(() => undefined);
        throw err;
      }
      return get(actor, id);
    },

    async registerLegal(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; certificateNo: string; registeredOn: string }) {
      if (input.registeredOn > today()) throw invalid({ registeredOn: '登记日期不能晚于今天' });
      await db.transaction().execute(async (trx) => {
        const f = await locked(trx, actor, id, input.version);
        if (f.status !== 'established') throw new AppError('CONFLICT', `当前状态为「${FOUNDING_STATUSES[f.status]}」，不能登记法人资格`);
        if (f.approved_on && input.registeredOn < f.approved_on) throw invalid({ registeredOn: '登记日期不能早于批复日期' });
        const u = await repo.updateFounding(trx, id, f.version, {
          status: 'registered',
          legal_cert_no: input.certificateNo,
          legal_registered_on: input.registeredOn,
        });
        if (!u) throw conflict();
        await auditF(trx, actor, meta, 'founding.legal', f, f.union_org_id ?? f.parent_org_id, {
          certificateNo: input.certificateNo,
          late: !!f.legal_due_on && input.registeredOn > f.legal_due_on,
        });
      });
      return get(actor, id);
    },

    async cancel(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number }) {
      await db.transaction().execute(async (trx) => {
        const f = await locked(trx, actor, id, input.version);
        if (f.status !== 'preparing' && f.status !== 'elected') throw new AppError('CONFLICT', '只有筹备中或待批复的建会进程可以终止');
        await repo.updateFounding(trx, id, f.version, { status: 'cancelled' });
        await auditF(trx, actor, meta, 'founding.cancel', f, f.parent_org_id);
      });
      return get(actor, id);
    },

    /** 换届 reminders: a chair's term ending within 90 days, once, to the union's and its parent's staff. */
    async sendTermReminders() {
      const until = addDays(today(), TERM_REMIND_DAYS);
      let sent = 0;
      for (;;) {
        const batch = await repo.termsEndingUnreminded(db, until, 200);
        if (!batch.length) break;
        for (const o of batch) {
          await db.transaction().execute(async (trx) => {
            if (!(await repo.markOfficerReminded(trx, o.id, ctx.clock.now()))) return;
            await ctx.messages.sendToStaff(
              trx,
              { orgId: o.org_id, permission: 'enterprise:write' },
              {
                title: `换届提醒：${o.enterprise_name}工会`,
                body: `${o.enterprise_name}工会委员会（主席 ${o.name}）本届任期至 ${o.term_end} 届满，请督促按期换届选举。`,
                link: `/admin/#/enterprises?q=${encodeURIComponent(o.enterprise_name)}`,
                category: 'enterprise',
              },
            );
            await ctx.audit.append(trx, {
              actorType: 'system',
              actorId: null,
              actorName: '系统',
              action: 'founding.term_remind',
              targetType: 'union_officer',
              targetId: o.id,
              orgId: o.union_org_id,
              outcome: 'success',
              detail: { termEnd: o.term_end },
            });
            sent++;
          });
        }
      }
      return sent;
    },
  };
}

export type FoundingService = ReturnType<typeof createFoundingService>;
