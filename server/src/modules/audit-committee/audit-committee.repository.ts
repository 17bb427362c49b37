// 经费审查 SQL: a project, its findings and their 整改 tasks are in scope when the AUDITED union is in
// the caller's subtree (prefix match on its path); the overdue day comes from the caller's clock.
import { sql, type Insertable } from 'kysely';
import type { AcFindingsTable, AcInterviewsTable, AcPapersTable, AcProjectsTable, AcTasksTable } from '../../db/schema-funds.js';
import type { Executor } from '../audit/audit.repository.js';

const PROJECT = [
  'p.id',
  'p.org_id',
  'p.audited_org_id',
  'p.kind',
  'p.title',
  sql<string>`p.period_from::text`.as('period_from'),
  sql<string>`p.period_to::text`.as('period_to'),
  'p.team',
  'p.status',
  'p.created_by',
  'p.version',
  'ao.name as audited_name',
  'ao.path as audited_path',
  'og.name as org_name',
  'og.path as org_path',
] as const;
const counts = (day: string) =>
  [
    sql<string>`(select count(*) from ac_findings f where f.project_id = p.id)`.as('findings'),
    sql<string>`(select coalesce(sum(f.amount_fen), 0) from ac_findings f where f.project_id = p.id)`.as('amount_fen'),
    sql<string>`(select count(*) from ac_findings f join ac_tasks t on t.finding_id = f.id where f.project_id = p.id and t.status = 'closed')`.as('closed_tasks'),
    sql<string>`(select count(*) from ac_findings f join ac_tasks t on t.finding_id = f.id where f.project_id = p.id and t.status <> 'closed' and t.deadline < ${day})`.as(
      'overdue_tasks',
    ),
  ] as const;

const TASK = [
  't.id',
  't.finding_id',
  't.task',
  't.owner',
  sql<string>`t.deadline::text`.as('deadline'),
  't.status',
  't.evidence',
  sql<string | null>`t.evidence_on::text`.as('evidence_on'),
  't.signed_off_by',
  sql<string | null>`t.closed_on::text`.as('closed_on'),
  't.version',
] as const;

export const acRepository = {
  async insertProject(db: Executor, row: Insertable<AcProjectsTable>) {
    return db.insertInto('ac_projects').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async projectInScope(db: Executor, scopePath: string, id: string, day: string) {
    return db
      .selectFrom('ac_projects as p')
      .innerJoin('orgs as ao', 'ao.id', 'p.audited_org_id')
      .innerJoin('orgs as og', 'og.id', 'p.org_id')
      .select([...PROJECT, ...counts(day)])
      .where('p.id', '=', id)
      .where('ao.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async projects(db: Executor, scopePath: string, day: string, f: { status?: string; kind?: string; overdue?: boolean; limit: number; offset: number }) {
    let q = db
      .selectFrom('ac_projects as p')
      .innerJoin('orgs as ao', 'ao.id', 'p.audited_org_id')
      .innerJoin('orgs as og', 'og.id', 'p.org_id')
      .where('ao.path', 'like', `${scopePath}%`);
    if (f.status) q = q.where('p.status', '=', f.status as never);
    if (f.kind) q = q.where('p.kind', '=', f.kind as never);
    if (f.overdue)
      q = q.where(
        sql<boolean>`exists (select 1 from ac_findings f join ac_tasks t on t.finding_id = f.id where f.project_id = p.id and t.status <> 'closed' and t.deadline < ${day})`,
      );
    const [items, total] = await Promise.all([
      q.select([...PROJECT, ...counts(day)]).orderBy('p.id', 'desc').limit(f.limit).offset(f.offset).execute(),
      q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  async updateProjectStatus(db: Executor, id: string, status: 'open' | 'reported' | 'closed') {
    await db.updateTable('ac_projects').set({ status, version: sql`version + 1` }).where('id', '=', id).execute();
  },

  async insertFinding(db: Executor, row: Insertable<AcFindingsTable>) {
    return db.insertInto('ac_findings').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async insertTask(db: Executor, row: Insertable<AcTasksTable>) {
    return db.insertInto('ac_tasks').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  /** Findings of a project with their task (the four-linked list: 问题 → 任务 → 责任 → 整改). */
  async findings(db: Executor, projectId: string) {
    return db
      .selectFrom('ac_findings as f')
      .innerJoin('ac_tasks as t', 't.finding_id', 'f.id')
      .select([
        'f.id as finding_id',
        'f.category',
        'f.description',
        'f.amount_fen',
        'f.severity',
        'f.responsible_person',
        't.id',
        't.task',
        't.owner',
        sql<string>`t.deadline::text`.as('deadline'),
        't.status',
        't.evidence',
        sql<string | null>`t.evidence_on::text`.as('evidence_on'),
        't.signed_off_by',
        sql<string | null>`t.closed_on::text`.as('closed_on'),
        't.version',
      ])
      .where('f.project_id', '=', projectId)
      .orderBy('f.id')
      .execute();
  },

  async interviews(db: Executor, projectId: string) {
    return db
      .selectFrom('ac_interviews as i')
      .innerJoin('ac_tasks as t', 't.id', 'i.task_id')
      .innerJoin('ac_findings as f', 'f.id', 't.finding_id')
      .select(['i.id', 'i.task_id', sql<string>`i.held_on::text`.as('held_on'), 'i.interviewee', 'i.interviewer', 'i.notes', 'i.created_by'])
      .where('f.project_id', '=', projectId)
      .orderBy('i.id')
      .execute();
  },

  /** A task with its project's audited union, in scope by that union's path. */
  async taskInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('ac_tasks as t')
      .innerJoin('ac_findings as f', 'f.id', 't.finding_id')
      .innerJoin('ac_projects as p', 'p.id', 'f.project_id')
      .innerJoin('orgs as ao', 'ao.id', 'p.audited_org_id')
      .select([...TASK, 'p.id as project_id', 'p.audited_org_id', 'p.status as project_status', 'ao.name as audited_name', 'f.description'])
      .where('t.id', '=', id)
      .where('ao.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async submitEvidence(db: Executor, id: string, version: number, evidence: string, day: string) {
    return db
      .updateTable('ac_tasks')
      .set({ status: 'submitted', evidence, evidence_on: day, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '<>', 'closed')
      .returning(['id'])
      .executeTakeFirst();
  },

  async closeTask(db: Executor, id: string, version: number, by: string, day: string) {
    return db
      .updateTable('ac_tasks')
      .set({ status: 'closed', signed_off_by: by, closed_on: day, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', 'submitted')
      .returning(['id'])
      .executeTakeFirst();
  },

  async openTasksOf(db: Executor, projectId: string) {
    const r = await db
      .selectFrom('ac_tasks as t')
      .innerJoin('ac_findings as f', 'f.id', 't.finding_id')
      .select(sql<string>`count(*)`.as('n'))
      .where('f.project_id', '=', projectId)
      .where('t.status', '<>', 'closed')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async insertInterview(db: Executor, row: Insertable<AcInterviewsTable>) {
    return db.insertInto('ac_interviews').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  /** Figures over the scope: by category, per audited union (tasks, closed, overdue), projects by kind. */
  async figures(db: Executor, scopePath: string, day: string, year?: number) {
    const base = (q: ReturnType<typeof scoped>) => (year ? q.where(sql<boolean>`extract(year from p.period_to) = ${year}`) : q);
    const scoped = () => db.selectFrom('ac_projects as p').innerJoin('orgs as ao', 'ao.id', 'p.audited_org_id').where('ao.path', 'like', `${scopePath}%`);
    const [kinds, categories, unions] = await Promise.all([
      base(scoped()).select(['p.kind', sql<string>`count(*)`.as('n')]).groupBy('p.kind').execute(),
      base(scoped())
        .innerJoin('ac_findings as f', 'f.project_id', 'p.id')
        .select(['f.category', sql<string>`count(*)`.as('n'), sql<string>`sum(f.amount_fen)`.as('amount_fen')])
        .groupBy('f.category')
        .execute(),
      base(scoped())
        .innerJoin('ac_findings as f', 'f.project_id', 'p.id')
        .innerJoin('ac_tasks as t', 't.finding_id', 'f.id')
        .select([
          'ao.id',
          'ao.name',
          sql<string>`count(*)`.as('tasks'),
          sql<string>`count(*) filter (where t.status = 'closed')`.as('closed'),
          sql<string>`count(*) filter (where t.status <> 'closed' and t.deadline < ${day})`.as('overdue'),
          sql<string>`sum(f.amount_fen)`.as('amount_fen'),
        ])
        .groupBy(['ao.id', 'ao.name'])
        .orderBy('ao.id')
        .execute(),
    ]);
    return { kinds, categories, unions };
  },

  /** Tasks over the scope (整改台账) with their project and audited union. */
  async tasks(db: Executor, scopePath: string, day: string, f: { status?: string; overdue?: boolean; auditedOrgId?: string; limit: number; offset: number }) {
    let q = db
      .selectFrom('ac_tasks as t')
      .innerJoin('ac_findings as f', 'f.id', 't.finding_id')
      .innerJoin('ac_projects as p', 'p.id', 'f.project_id')
      .innerJoin('orgs as ao', 'ao.id', 'p.audited_org_id')
      .where('ao.path', 'like', `${scopePath}%`);
    if (f.status) q = q.where('t.status', '=', f.status as never);
    if (f.overdue) q = q.where('t.status', '<>', 'closed').where('t.deadline', '<', day);
    if (f.auditedOrgId) q = q.where('p.audited_org_id', '=', f.auditedOrgId);
    const [items, total] = await Promise.all([
      q
        .select([...TASK, 'p.id as project_id', 'p.title as project_title', 'ao.name as audited_name', 'f.category', 'f.description', 'f.amount_fen', 'f.severity'])
        .orderBy('t.deadline')
        .orderBy('t.id')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  // ---- working papers (底稿, decision 034) ----
  async insertPaper(db: Executor, row: Insertable<AcPapersTable>) {
    return db.insertInto('ac_papers').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async papers(db: Executor, projectId: string) {
    return db
      .selectFrom('ac_papers')
      .select(['id', 'title', 'file_name', 'file_mime', 'bytes', 'uploaded_by', 'created_at'])
      .where('project_id', '=', projectId)
      .orderBy('id')
      .execute();
  },

  /** A paper of a project whose audited union is in the scope. */
  async paperInScope(db: Executor, scopePath: string, projectId: string, id: string) {
    return db
      .selectFrom('ac_papers as w')
      .innerJoin('ac_projects as p', 'p.id', 'w.project_id')
      .innerJoin('orgs as ao', 'ao.id', 'p.audited_org_id')
      .select(['w.id', 'w.title', 'w.file_key', 'w.file_name', 'w.file_mime', 'p.audited_org_id'])
      .where('w.id', '=', id)
      .where('w.project_id', '=', projectId)
      .where('ao.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },
};
