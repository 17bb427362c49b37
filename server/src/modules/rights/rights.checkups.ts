// 法治体检: a union checks an employer (an enterprise of the register, or a name) on a date with named
// lawyers / staff from the pool, against the city's checklist template; it records a finding per item,
// a risk level and a rectification list (task, owner, deadline); rectifications are followed up one by
// one and the check-up closes when none is open. The report is a GB/T 9704 .docx. Private like a case:
// the checking union's subtree and its ancestors see it (404 elsewhere).
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import { actorName, employerOf, today, type RightsCtx } from './rights.common.js';
import {
  CHECKUP_STATUSES,
  FINDING_RESULTS,
  POOL_KINDS,
  RISK_LEVELS,
  type CheckupStatusCode,
  type FindingResultCode,
  type PoolKindCode,
  type RiskLevelCode,
} from './rights.constants.js';
import { checkupsRepository as repo } from './rights.checkups.repository.js';
import { casesRepository } from './rights.cases.repository.js';
import { checkupReportDocx, type CheckupReportDoc } from './rights.docx.js';
import { rightsRepository } from './rights.repository.js';
import type { CheckupInput, CheckupsQuery, FindingsInput } from './rights.checkups.schema.js';

export const checkupNo = (id: string) => `FZTJ${id.padStart(6, '0')}`;
type Row = NonNullable<Awaited<ReturnType<typeof repo.inScope>>>;
type ListRow = Awaited<ReturnType<typeof repo.list>>['items'][number];

const ACTIONS: Record<string, string> = {
  open: '开展体检',
  findings: '录入体检结果',
  rectified: '整改完成',
  follow_up: '跟进',
  close: '办结',
};

export function createCheckups(ctx: RightsCtx) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  const summary = (u: Row | ListRow) => ({
    id: u.id,
    no: checkupNo(u.id),
    org: { id: u.org_id, name: u.org_name },
    enterpriseId: u.enterprise_id,
    employerName: u.employer_name,
    checkedOn: u.checked_on,
    staffNames: u.staff_names,
    status: u.status,
    statusLabel: CHECKUP_STATUSES[u.status as CheckupStatusCode],
    riskLevel: u.risk_level,
    riskLabel: u.risk_level ? RISK_LEVELS[u.risk_level as RiskLevelCode] : null,
    openRectifications: Number(u.open_rectifications),
    overdueRectifications: Number(u.overdue_rectifications),
    recordedOn: u.recorded_on,
    closedOn: u.closed_on,
    version: u.version,
  });

  async function checkupOrThrow(executor: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const u = await repo.inScope(executor, actor.orgPath, id, today(now()));
    if (!u) throw notFound('法治体检');
    return u;
  }

  async function audit(
    trx: Transaction<DB>,
    actor: StaffActor,
    meta: RequestMeta,
    action: string,
    id: string,
    orgId: string,
    detail?: Record<string, unknown>,
  ) {
    await ctx.audit.append(trx, {
      ...auditActor(actor, meta),
      action,
      targetType: 'rights_checkup',
      targetId: id,
      orgId,
      outcome: 'success',
      ...(detail && { detail }),
    });
  }

  /** One step of a check-up in `from`: version-checked, timeline + audit in one transaction. */
  async function step(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    s: {
      version: number;
      from: CheckupStatusCode[];
      action: string;
      run: (trx: Transaction<DB>, u: Row) => Promise<{ patch: object; comment: string | null }>;
    },
  ) {
    await db.transaction().execute(async (trx) => {
      const u = await checkupOrThrow(trx, actor, id);
      if (!s.from.includes(u.status as CheckupStatusCode))
        throw new AppError('CONFLICT', `法治体检当前为「${CHECKUP_STATUSES[u.status as CheckupStatusCode]}」，不能${ACTIONS[s.action]}`);
      const { patch, comment } = await s.run(trx, u);
      const ok = await repo.update(trx, id, s.version, { ...patch, updated_at: now() });
      if (!ok) throw conflict('法治体检已被他人更新，请刷新后重试');
      await repo.insertEvent(trx, { checkup_id: id, action: s.action, comment, actor_name: actorName(actor), at: now() });
      await audit(trx, actor, meta, 'rights.checkup.change', id, u.org_id, { step: s.action });
    });
    return service.get(actor, id);
  }

  /** What the report says: the same text in the console preview and the .docx. */
  async function report(u: Row): Promise<CheckupReportDoc> {
    const [findings, rect, staff] = await Promise.all([repo.findings(db, u.id), repo.rectifications(db, u.id), repo.staff(db, u.id)]);
    return {
      issuer: u.org_name,
      reportNo: `${checkupNo(u.id)}`,
      employerName: u.employer_name,
      checkedOn: u.checked_on,
      inspectors: [...staff.map((p) => `${POOL_KINDS[p.kind as PoolKindCode]}${p.name}`), ...(u.staff_names ? [u.staff_names] : [])],
      riskLabel: u.risk_level ? RISK_LEVELS[u.risk_level as RiskLevelCode] : '待评定',
      summary: u.summary ?? '体检结果尚未录入。',
      findings: findings.map((f) => ({
        title: f.title,
        resultLabel: f.result ? FINDING_RESULTS[f.result as FindingResultCode] : '待检查',
        note: f.note ?? '',
      })),
      rectifications: rect.map((r) => ({
        task: r.task,
        owner: r.owner,
        dueOn: r.due_on,
        statusLabel: r.status === 'done' ? `已完成（${r.done_on}）` : '整改中',
      })),
      closingNote: u.closing_note,
      issuedOn: u.recorded_on ?? u.checked_on,
    };
  }

  const service = {
    // ---------- the checklist template ----------
    async items(includeInactive: boolean) {
      const rows = await repo.items(db, !includeInactive);
      return { items: rows.map((i) => ({ id: i.id, title: i.title, guidance: i.guidance, sort: i.sort, active: i.active, version: i.version })) };
    },

    /** The template is the city federation's: only its staff edit it. */
    async assertCity(actor: StaffActor) {
      const org = await rightsRepository.org(db, actor.orgId);
      if (org.type !== 'city') throw new AppError('FORBIDDEN', '法治体检清单由市总工会统一维护');
    },

    async addItem(actor: StaffActor, meta: RequestMeta, input: { title: string; guidance?: string; sort: number }) {
      await service.assertCity(actor);
      await db.transaction().execute(async (trx) => {
        const row = await repo.insertItem(trx, { title: input.title, guidance: input.guidance ?? '', sort: input.sort });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'rights.checkup_item.add',
          targetType: 'rights_checkup_item',
          targetId: row.id,
          orgId: actor.orgId,
          outcome: 'success',
          detail: { title: input.title },
        });
      });
      return service.items(true);
    },

    async editItem(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: { version: number; title?: string; guidance?: string; sort?: number; active?: boolean },
    ) {
      await service.assertCity(actor);
      await db.transaction().execute(async (trx) => {
        if (!(await repo.item(trx, id))) throw notFound('体检项目');
        const ok = await repo.updateItem(trx, id, input.version, {
          ...(input.title !== undefined && { title: input.title }),
          ...(input.guidance !== undefined && { guidance: input.guidance }),
          ...(input.sort !== undefined && { sort: input.sort }),
          ...(input.active !== undefined && { active: input.active }),
          updated_at: now(),
        });
        if (!ok) throw conflict('体检项目已被他人修改，请刷新后重试');
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'rights.checkup_item.edit',
          targetType: 'rights_checkup_item',
          targetId: id,
          orgId: actor.orgId,
          outcome: 'success',
          detail: { changed: Object.keys(input).filter((k) => k !== 'version') },
        });
      });
      return service.items(true);
    },

    // ---------- check-ups ----------
    async create(actor: StaffActor, meta: RequestMeta, input: CheckupInput) {
      const org = await rightsRepository.orgInScope(db, actor.orgPath, input.orgId ?? actor.orgId);
      if (!org) throw notFound('工会');
      const employer = await employerOf(ctx, db, actor, input);
      const id = await db.transaction().execute(async (trx) => {
        const ids = [...new Set(input.poolIds)];
        const found = await casesRepository.poolUsable(trx, org.path, ids);
        if (found.length !== ids.length) throw notFound('律师或工作人员');
        const row = await repo.insert(trx, {
          org_id: org.id,
          enterprise_id: employer.enterpriseId,
          employer_name: employer.name ?? '',
          checked_on: input.checkedOn,
          staff_names: input.staffNames ?? '',
          created_by: actorName(actor),
          updated_at: now(),
        });
        await repo.addStaff(trx, row.id, ids);
        await repo.insertFindingsFromTemplate(trx, row.id);
        await repo.insertEvent(trx, {
          checkup_id: row.id,
          action: 'open',
          comment: found.map((p) => p.name).join('、'),
          actor_name: actorName(actor),
          at: now(),
        });
        await audit(trx, actor, meta, 'rights.checkup.open', row.id, org.id, { enterpriseId: employer.enterpriseId });
        return row.id;
      });
      return service.get(actor, id);
    },

    async list(actor: StaffActor, q: CheckupsQuery) {
      const org = q.orgId ? await rightsRepository.orgInScope(db, actor.orgPath, q.orgId) : undefined;
      if (q.orgId && !org) throw notFound('工会');
      const day = today(now());
      const r = await repo.list(db, actor.orgPath, day, {
        orgPath: org?.path,
        status: q.status,
        riskLevel: q.riskLevel,
        overdueBefore: q.overdue ? day : undefined,
        q: q.q,
        from: q.from,
        to: q.to,
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return { total: r.total, items: r.items.map(summary) };
    },

    async get(actor: StaffActor, id: string) {
      const u = await checkupOrThrow(db, actor, id);
      const day = today(now());
      const [findings, rect, staff, events, doc] = await Promise.all([
        repo.findings(db, id),
        repo.rectifications(db, id),
        repo.staff(db, id),
        repo.events(db, id),
        report(u),
      ]);
      return {
        ...summary(u),
        summary: u.summary,
        closingNote: u.closing_note,
        createdBy: u.created_by,
        staff: staff.map((p) => ({ id: p.id, name: p.name, organisation: p.organisation, kindLabel: POOL_KINDS[p.kind as PoolKindCode] })),
        findings: findings.map((f) => ({
          id: f.id,
          title: f.title,
          result: f.result,
          resultLabel: f.result ? FINDING_RESULTS[f.result as FindingResultCode] : null,
          note: f.note,
        })),
        rectifications: rect.map((r) => ({
          id: r.id,
          findingId: r.finding_id,
          task: r.task,
          owner: r.owner,
          dueOn: r.due_on,
          status: r.status,
          overdue: r.status === 'open' && r.due_on < day,
          doneOn: r.done_on,
          note: r.note,
        })),
        timeline: events.map((e) => ({
          id: e.id,
          action: e.action,
          label: ACTIONS[e.action] ?? e.action,
          comment: e.comment,
          actorName: e.actor_name,
          at: e.at.toISOString(),
        })),
        /** The report as previewed (the .docx has the same text). */
        report: doc,
      };
    },

    /** 录入体检结果: a conclusion for every item, the risk level, the opinion and the rectification list. */
    recordFindings(actor: StaffActor, meta: RequestMeta, id: string, input: FindingsInput) {
      return step(actor, meta, id, {
        version: input.version,
        from: ['open'],
        action: 'findings',
        run: async (trx, u) => {
          const rows = await repo.findings(trx, id);
          const given = new Map(input.findings.map((f) => [f.id, f]));
          const missing = rows.find((r) => !given.has(r.id));
          if (missing) throw invalid({ findings: `请填写「${missing.title}」的体检结论` });
          if (given.size !== rows.length) throw invalid({ findings: '体检项目与本次体检不符，请刷新后重试' });
          for (const f of input.findings) {
            if (f.result === 'issue' && !f.note) throw invalid({ findings: `「${rows.find((r) => r.id === f.id)!.title}」存在问题，请说明情况` });
            await repo.setFinding(trx, id, f.id, f.result, f.note ?? null);
          }
          const issues = input.findings.filter((f) => f.result === 'issue').length;
          if (issues && !input.rectifications.length) throw invalid({ rectifications: '存在问题的项目请列出整改事项' });
          for (const r of input.rectifications) {
            if (r.findingId && !rows.some((x) => x.id === r.findingId)) throw invalid({ rectifications: '整改事项对应的体检项目不存在' });
            if (r.dueOn < u.checked_on) throw invalid({ rectifications: `「${r.task}」的整改期限早于体检日期` });
          }
          await repo.insertRectifications(
            trx,
            input.rectifications.map((r, i) => ({ checkup_id: id, finding_id: r.findingId ?? null, task: r.task, owner: r.owner, due_on: r.dueOn, sort: i })),
          );
          return {
            patch: {
              status: input.rectifications.length ? 'rectifying' : 'closed',
              risk_level: input.riskLevel,
              summary: input.summary,
              recorded_on: today(now()),
              ...(!input.rectifications.length && { closed_on: today(now()), closing_note: '体检未发现需要整改的事项。' }),
            },
            comment: `${RISK_LEVELS[input.riskLevel]}；存在问题 ${issues} 项，整改事项 ${input.rectifications.length} 项`,
          };
        },
      });
    },

    /** One rectification done (with what was done); the check-up stays open until it is closed. */
    finishRectification(actor: StaffActor, meta: RequestMeta, id: string, rectificationId: string, input: { version: number; doneOn: string; note: string }) {
      return step(actor, meta, id, {
        version: input.version,
        from: ['rectifying'],
        action: 'rectified',
        run: async (trx) => {
          const r = await repo.finishRectification(trx, id, rectificationId, input.doneOn, input.note);
          if (!r) throw notFound('整改事项');
          return { patch: {}, comment: `${r.task}：${input.note}` };
        },
      });
    },

    followUp(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; comment: string }) {
      return step(actor, meta, id, {
        version: input.version,
        from: ['rectifying'],
        action: 'follow_up',
        run: async () => ({ patch: {}, comment: input.comment }),
      });
    },

    /** 办结: every rectification done. */
    close(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; note: string }) {
      return step(actor, meta, id, {
        version: input.version,
        from: ['rectifying'],
        action: 'close',
        run: async (_trx, u) => {
          if (Number(u.open_rectifications) > 0) throw new AppError('CONFLICT', `还有 ${u.open_rectifications} 项整改未完成，不能办结`);
          return { patch: { status: 'closed', closed_on: today(now()), closing_note: input.note }, comment: input.note };
        },
      });
    },

    /** The 法治体检报告 (.docx); the download is audited. */
    async reportDocx(actor: StaffActor, meta: RequestMeta, id: string) {
      const u = await checkupOrThrow(db, actor, id);
      const body = await checkupReportDocx(await report(u));
      await db.transaction().execute((trx) => audit(trx, actor, meta, 'rights.checkup.report', id, u.org_id));
      return { body, fileName: `法治体检报告-${u.employer_name}-${checkupNo(u.id)}.docx`, asciiName: `checkup-${u.id}.docx` };
    },
  };
  return service;
}

export type Checkups = ReturnType<typeof createCheckups>;
