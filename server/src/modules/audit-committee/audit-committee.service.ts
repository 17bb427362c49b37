// 经费审查 (issue 17, decision 031): the 经审委员会 audits the funds of the unions in its subtree. A project
// records findings; each finding gets one rectification task (owner, deadline) — the 四联清单 问题 → 任务
// → 责任 → 整改. The audited union submits its evidence; a task past its deadline (platform clock) can
// get 约谈 records; only the committee signs a task off, never a fund officer of the audited union
// itself; a project with every task signed off is 办结. Every write is in the audit trail.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { fromFen, toFen } from '../../platform/money.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { auditReportDocx } from './audit-committee.docx.js';
import {
  FINDING_CATEGORIES,
  PROJECT_KINDS,
  PROJECT_STATUSES,
  SEVERITIES,
  TASK_STATUSES,
  type FindingCategory,
  type ProjectKind,
  type Severity,
} from './audit-committee.constants.js';
import { acRepository as repo } from './audit-committee.repository.js';
import type { FindingInput, ProjectInput, ProjectsQuery, TasksQuery } from './audit-committee.schema.js';

const y = (fen: string | bigint) => fromFen(BigInt(fen));
const forbidden = (message: string) => new AppError('FORBIDDEN', message);
const rate = (closed: number, total: number) => (total ? Math.round((closed / total) * 1000) / 10 : null);

export function createAuditCommitteeService(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const today = () => chinaDay(ctx.clock.now());

  async function audit(trx: Transaction<DB>, actor: StaffActor, meta: RequestMeta, action: string, type: string, id: string, orgId: string, detail?: object) {
    await ctx.audit.append(trx, { ...auditActor(actor, meta), action, targetType: type, targetId: id, orgId, outcome: 'success', ...(detail && { detail: detail as Record<string, unknown> }) });
  }

  type ProjectRow = NonNullable<Awaited<ReturnType<typeof repo.projectInScope>>>;
  const summary = (p: ProjectRow) => {
    const findings = Number(p.findings);
    const closed = Number(p.closed_tasks);
    return {
      id: p.id,
      no: `JS${p.id.padStart(5, '0')}`,
      title: p.title,
      kind: p.kind,
      kindLabel: PROJECT_KINDS[p.kind as ProjectKind],
      auditedOrg: { id: p.audited_org_id, name: p.audited_name },
      org: { id: p.org_id, name: p.org_name },
      periodFrom: p.period_from,
      periodTo: p.period_to,
      team: p.team,
      status: p.status,
      statusLabel: PROJECT_STATUSES[p.status],
      findingCount: findings,
      amount: y(p.amount_fen),
      closedTasks: closed,
      overdueTasks: Number(p.overdue_tasks),
      rectificationRate: rate(closed, findings),
      version: p.version,
    };
  };

  async function projectOrThrow(exec: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const p = await repo.projectInScope(exec, actor.orgPath, id, today());
    if (!p) throw notFound('审计项目');
    return p;
  }
  async function taskOrThrow(exec: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const t = await repo.taskInScope(exec, actor.orgPath, id);
    if (!t) throw notFound('整改任务');
    return t;
  }

  const service = {
    async create(actor: StaffActor, meta: RequestMeta, input: ProjectInput) {
      const audited = await ctx.orgs.findInScope(actor, input.auditedOrgId);
      if (!audited) throw notFound('被审计工会');
      const id = await db.transaction().execute(async (trx) => {
        const r = await repo.insertProject(trx, {
          org_id: actor.orgId,
          audited_org_id: audited.id,
          kind: input.kind,
          title: input.title,
          period_from: input.periodFrom,
          period_to: input.periodTo,
          team: input.team,
          created_by: actor.displayName,
        });
        await audit(trx, actor, meta, 'auditcommittee.project.create', 'ac_project', r.id, audited.id, { title: input.title, kind: PROJECT_KINDS[input.kind] });
        return r.id;
      });
      return service.get(actor, id);
    },

    async list(actor: StaffActor, q: ProjectsQuery) {
      const r = await repo.projects(db, actor.orgPath, today(), {
        ...(q.status && { status: q.status }),
        ...(q.kind && { kind: q.kind }),
        overdue: q.overdue === '1',
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return { items: r.items.map(summary), total: r.total };
    },

    async get(actor: StaffActor, id: string) {
      const p = await projectOrThrow(db, actor, id);
      const day = today();
      const [findings, interviews] = await Promise.all([repo.findings(db, id), repo.interviews(db, id)]);
      return {
        ...summary(p),
        today: day,
        findings: findings.map((f) => ({
          id: f.finding_id,
          category: f.category,
          categoryLabel: FINDING_CATEGORIES[f.category as FindingCategory],
          description: f.description,
          amount: y(f.amount_fen),
          severity: f.severity,
          severityLabel: SEVERITIES[f.severity as Severity],
          responsiblePerson: f.responsible_person,
          task: {
            id: f.id,
            task: f.task,
            owner: f.owner,
            deadline: f.deadline,
            status: f.status,
            statusLabel: TASK_STATUSES[f.status],
            overdue: f.status !== 'closed' && f.deadline < day,
            evidence: f.evidence,
            evidenceOn: f.evidence_on,
            signedOffBy: f.signed_off_by,
            closedOn: f.closed_on,
            version: f.version,
            interviews: interviews
              .filter((i) => i.task_id === f.id)
              .map((i) => ({ id: i.id, heldOn: i.held_on, interviewee: i.interviewee, interviewer: i.interviewer, notes: i.notes })),
          },
        })),
      };
    },

    async addFinding(actor: StaffActor, meta: RequestMeta, projectId: string, input: FindingInput) {
      await db.transaction().execute(async (trx) => {
        const p = await projectOrThrow(trx, actor, projectId);
        if (p.status === 'closed') throw conflict('审计项目已办结，不能再记录问题');
        if (input.deadline < today()) throw invalid({ deadline: '整改期限不能早于今天' });
        const f = await repo.insertFinding(trx, {
          project_id: p.id,
          category: input.category,
          description: input.description,
          amount_fen: toFen(input.amount),
          severity: input.severity,
          responsible_person: input.responsiblePerson,
          created_at: ctx.clock.now(),
        });
        const t = await repo.insertTask(trx, { finding_id: f.id, task: input.task, owner: input.owner, deadline: input.deadline });
        await audit(trx, actor, meta, 'auditcommittee.finding.create', 'ac_project', p.id, p.audited_org_id, {
          category: FINDING_CATEGORIES[input.category],
          amount: input.amount,
          taskId: t.id,
          deadline: input.deadline,
        });
        // The audited union learns of the task at once.
        await ctx.messages.sendToStaff(
          trx,
          { orgId: p.audited_org_id, permission: 'funds:manage' },
          {
            title: `经费审查整改任务：${p.title}`,
            body: `${FINDING_CATEGORIES[input.category]}问题：${input.description.slice(0, 60)}。整改任务：${input.task.slice(0, 60)}，责任人 ${input.owner}，期限 ${input.deadline}。`,
            link: `/admin/#/audit-committee/${p.id}`,
            category: 'funds',
          },
        );
      });
      return service.get(actor, projectId);
    },

    /** The audited union (or the committee) records what was done and its evidence: the task waits for sign-off. */
    async submitEvidence(actor: StaffActor, meta: RequestMeta, taskId: string, input: { version: number; evidence: string }) {
      const projectId = await db.transaction().execute(async (trx) => {
        const t = await taskOrThrow(trx, actor, taskId);
        if (t.status === 'closed') throw conflict('该整改任务已销号');
        if (!(await repo.submitEvidence(trx, taskId, input.version, input.evidence, today()))) throw conflict();
        await audit(trx, actor, meta, 'auditcommittee.task.evidence', 'ac_task', taskId, t.audited_org_id, { evidence: input.evidence.slice(0, 100) });
        return t.project_id;
      });
      return service.get(actor, projectId);
    },

    /** 约谈 on a task past its deadline. */
    async interview(actor: StaffActor, meta: RequestMeta, taskId: string, input: { heldOn: string; interviewee: string; interviewer: string; notes: string }) {
      const projectId = await db.transaction().execute(async (trx) => {
        const t = await taskOrThrow(trx, actor, taskId);
        if (t.status === 'closed' || t.deadline >= today()) throw conflict('整改任务未逾期，无需约谈');
        if (input.heldOn > today()) throw invalid({ heldOn: '约谈日期不能晚于今天' });
        const r = await repo.insertInterview(trx, { task_id: taskId, held_on: input.heldOn, interviewee: input.interviewee, interviewer: input.interviewer, notes: input.notes, created_by: actor.displayName });
        await audit(trx, actor, meta, 'auditcommittee.task.interview', 'ac_task', taskId, t.audited_org_id, { interviewId: r.id, interviewee: input.interviewee });
        return t.project_id;
      });
      return service.get(actor, projectId);
    },

    /** The committee's sign-off (销号); a fund officer of the audited union never closes its own finding. */
    async close(actor: StaffActor, meta: RequestMeta, taskId: string, input: { version: number; opinion: string }) {
      const projectId = await db.transaction().execute(async (trx) => {
        const t = await taskOrThrow(trx, actor, taskId);
        if (actor.permissions.has('funds:manage') && t.audited_org_id === actor.orgId)
          throw forbidden('经费管理人员不能为本单位的审计问题销号，须由经审委员会确认');
        if (t.status === 'closed') throw conflict('该整改任务已销号');
        if (t.status !== 'submitted' || !t.evidence) throw conflict('被审计单位尚未提交整改情况与佐证，不能销号');
        if (!(await repo.closeTask(trx, taskId, input.version, actor.displayName, today()))) throw conflict();
        await audit(trx, actor, meta, 'auditcommittee.task.close', 'ac_task', taskId, t.audited_org_id, { opinion: input.opinion });
        if ((await repo.openTasksOf(trx, t.project_id)) === 0) await repo.updateProjectStatus(trx, t.project_id, 'closed');
        return t.project_id;
      });
      return service.get(actor, projectId);
    },

    async tasks(actor: StaffActor, q: TasksQuery) {
      const day = today();
      const r = await repo.tasks(db, actor.orgPath, day, {
        ...(q.status && { status: q.status }),
        overdue: q.overdue === '1',
        ...(q.auditedOrgId && { auditedOrgId: q.auditedOrgId }),
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return {
        total: r.total,
        items: r.items.map((t) => ({
          id: t.id,
          project: { id: t.project_id, title: t.project_title },
          auditedOrg: t.audited_name,
          category: FINDING_CATEGORIES[t.category as FindingCategory],
          description: t.description,
          amount: y(t.amount_fen),
          severityLabel: SEVERITIES[t.severity as Severity],
          task: t.task,
          owner: t.owner,
          deadline: t.deadline,
          status: t.status,
          statusLabel: TASK_STATUSES[t.status],
          overdue: t.status !== 'closed' && t.deadline < day,
        })),
      };
    },

    async figures(actor: StaffActor, q: { year?: number }) {
      const f = await repo.figures(db, actor.orgPath, today(), q.year);
      const tasks = f.unions.reduce((a, u) => a + Number(u.tasks), 0);
      const closed = f.unions.reduce((a, u) => a + Number(u.closed), 0);
      return {
        projects: f.kinds.reduce((a, k) => a + Number(k.n), 0),
        byKind: f.kinds.map((k) => ({ kind: k.kind, label: PROJECT_KINDS[k.kind as ProjectKind], count: Number(k.n) })),
        findings: tasks,
        amount: y(f.categories.reduce((a, c) => a + BigInt(c.amount_fen), 0n)),
        byCategory: f.categories.map((c) => ({ category: c.category, label: FINDING_CATEGORIES[c.category as FindingCategory], count: Number(c.n), amount: y(c.amount_fen) })),
        rectificationRate: rate(closed, tasks),
        overdue: f.unions.reduce((a, u) => a + Number(u.overdue), 0),
        byUnion: f.unions.map((u) => ({
          org: { id: u.id, name: u.name },
          findings: Number(u.tasks),
          closed: Number(u.closed),
          overdue: Number(u.overdue),
          amount: y(u.amount_fen),
          rectificationRate: rate(Number(u.closed), Number(u.tasks)),
        })),
      };
    },

    async reportDocx(actor: StaffActor, meta: RequestMeta, id: string) {
      const p = await service.get(actor, id);
      const body = await auditReportDocx(p);
      await db.transaction().execute((trx) => audit(trx, actor, meta, 'auditcommittee.project.report', 'ac_project', id, p.auditedOrg.id));
      return { body, fileName: `经费审查报告-${p.no}-${p.auditedOrg.name}.docx`, asciiName: `audit-report-${p.id}.docx` };
    },
  };
  return service;
}

export type AuditCommitteeService = ReturnType<typeof createAuditCommitteeService>;
