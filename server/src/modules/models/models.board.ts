// 创新工作室 and the problem board 助企行 / 揭榜. A studio is kept by a union (its subtree sees it):
// kind, lead person from the register, enterprise, field, naming level and year, achievements. A
// problem is posted for an enterprise of the register (scoped like the enterprise: its registering
// union), claimed by a studio or an honoured person in the caller's scope, worked (records), closed
// with the result and the people involved, and confirmed — or sent back — for the enterprise. The
// county figures count these rows per month: posted, claimed, solved (confirmed), people involved,
// enterprises served.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ProblemStatus } from '../../db/schema-models.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { fromFen, toFen } from '../../platform/money.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { EnterprisesService } from '../enterprises/enterprises.service.js';
import type { ModuleContext } from '../module-context.js';
import { ACHIEVEMENT_KINDS, PROBLEM_STATUSES, RECORD_KINDS, STUDIO_KINDS, STUDIO_LEVELS } from './models.constants.js';
import { boardRepository as repo } from './models.board.repository.js';
import { modelsRepository } from './models.repository.js';
import { likeText } from './models.service.js';
import type { AchievementInput, ProblemInput, StudioInput } from './models.board.schema.js';
import { AWARD_LEVELS, PATENT_TYPES, pointsTableFor, scoreAchievement, type ModelsPoints } from './models.points.js';
import type { StudioReview } from './models.studio-review.js';

type Studio = Omit<NonNullable<Awaited<ReturnType<typeof repo.studioInScope>>>, 'org_path'>;
type Problem = NonNullable<Awaited<ReturnType<typeof repo.problemInScope>>>;
export type BoardCtx = ModuleContext & { enterprises: Pick<EnterprisesService, 'findInScope'> };

const actorName = (a: StaffActor) => `${a.displayName}（${a.username}）`;

/** The studio page's 积分 and 评价 parts (models.points.ts, models.studio-review.ts). */
export interface StudioExtras {
  points: Pick<ModelsPoints, 'studioYears'>;
  review: Pick<StudioReview, 'evaluations' | 'files'>;
}

export function createBoard(ctx: BoardCtx, extras?: StudioExtras) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();
  const today = () => chinaDay(now());

  async function audit(trx: Transaction<DB>, actor: StaffActor, meta: RequestMeta, action: string, type: string, id: string, orgId: string, detail?: Record<string, unknown>) {
    await ctx.audit.append(trx, { ...auditActor(actor, meta), action, targetType: type, targetId: id, orgId, outcome: 'success', ...(detail && { detail }) });
  }
  async function studioOrThrow(ex: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string, what = '创新工作室') {
    const s = await repo.studioInScope(ex, actor.orgPath, id);
    if (!s) throw notFound(what);
    return s;
  }
  async function problemOrThrow(ex: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const p = await repo.problemInScope(ex, actor.orgPath, id);
    if (!p) throw notFound('难题');
    return p;
  }

  const studioDto = (s: Studio & { achievements?: string; solved?: string }) => ({
    id: s.id,
    org: { id: s.org_id, name: s.org_name },
    kind: s.kind,
    kindLabel: STUDIO_KINDS[s.kind],
    name: s.name,
    lead: s.lead_id ? { id: s.lead_id, name: s.lead_name } : null,
    enterprise: s.enterprise_id ? { id: s.enterprise_id, name: s.enterprise_name } : null,
    field: s.field,
    level: s.level,
    levelLabel: STUDIO_LEVELS[s.level],
    namedYear: s.named_year,
    members: s.members,
    status: s.status,
    ...(s.achievements !== undefined && { achievementCount: Number(s.achievements), solvedCount: Number(s.solved) }),
    version: s.version,
  });

  const problemDto = (p: Problem) => ({
    id: p.id,
    org: { id: p.org_id, name: p.org_name },
    enterprise: { id: p.enterprise_id, name: p.enterprise_name },
    title: p.title,
    field: p.field,
    description: p.description,
    postedOn: p.posted_on,
    deadline: p.deadline,
    overdue: ['open', 'claimed'].includes(p.status) && p.deadline < today(),
    status: p.status,
    statusLabel: PROBLEM_STATUSES[p.status],
    studio: p.studio_id ? { id: p.studio_id, name: p.studio_name } : null,
    solver: p.solver_id ? { id: p.solver_id, name: p.solver_name } : null,
    claimedOn: p.claimed_on,
    solvedOn: p.solved_on,
    result: p.result,
    peopleInvolved: p.people_involved,
    confirmedOn: p.confirmed_on,
    confirmedBy: p.confirmed_by,
    confirmNote: p.confirm_note,
    /** Account ids of who claimed and solved it: the console hides 确认解决 from them (decision 045). */
    claimedBy: p.claimed_by,
    solvedBy: p.solved_by,
    version: p.version,
  });

  /** One move of a problem from `from`: version- and status-checked, a timeline record and the audit row in one transaction. */
  async function move(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    s: { version: number; from: ProblemStatus[]; verb: string; patch: (p: Problem, trx: Transaction<DB>) => Promise<object>; record: string },
  ) {
    await db.transaction().execute(async (trx) => {
      const p = await problemOrThrow(trx, actor, id);
      if (!s.from.includes(p.status)) throw new AppError('CONFLICT', `难题当前为「${PROBLEM_STATUSES[p.status]}」，不能${s.verb}`);
      const patch = await s.patch(p, trx);
      const ok = await repo.updateProblem(trx, id, s.version, s.from, { ...patch, updated_at: now() });
      if (!ok) throw conflict('难题已被他人更新，请刷新后重试');
      await repo.insertRecord(trx, { problem_id: id, kind: 'note', on_day: today(), text: s.record, actor_name: actorName(actor) });
      await audit(trx, actor, meta, 'models.problem.change', 'model_problem', id, p.org_id, { step: s.verb });
    });
    return board.getProblem(actor, id);
  }

  const board = {
    // ---------- studios ----------
    async studios(actor: StaffActor, q: { q?: string; kind?: string; level?: string; orgId?: string; page: number; pageSize: number }) {
      const orgPath = q.orgId ? (await ctx.orgs.findInScope(actor, q.orgId))?.path : undefined;
      if (q.orgId && !orgPath) throw notFound('工会');
      const { items, total } = await repo.studios(db, actor.orgPath, { orgPath, q: q.q ? likeText(q.q) : undefined, kind: q.kind, level: q.level, limit: q.pageSize, offset: offsetOf(q) });
      return { items: items.map(studioDto), total };
    },

    async getStudio(actor: StaffActor, id: string) {
      const s = await studioOrThrow(db, actor, id);
      const [achievements, problems, years, evaluations, files] = await Promise.all([
        repo.achievements(db, id),
        repo.problems(db, actor.orgPath, { studioId: id, limit: 50, offset: 0 }),
        extras?.points.studioYears(id) ?? [],
        extras?.review.evaluations(id) ?? [],
        extras?.review.files(id) ?? [],
      ]);
      return {
        ...studioDto(s),
        achievements: achievements.map((a) => ({
          id: a.id,
          kind: a.kind,
          kindLabel: ACHIEVEMENT_KINDS[a.kind],
          title: a.title,
          year: a.year,
          benefit: a.benefit_fen === null ? null : fromFen(BigInt(a.benefit_fen)),
          note: a.note,
          patentType: a.patent_type,
          patentLabel: a.patent_type ? PATENT_TYPES[a.patent_type] : null,
          awardLevel: a.award_level,
          awardLabel: a.award_level ? AWARD_LEVELS[a.award_level] : null,
          points: a.points,
          person: a.person_id ? { id: a.person_id, name: a.person_name } : null,
          files: files.filter((f) => f.achievement_id === a.id).map((f) => ({ id: f.id, fileName: f.file_name })),
        })),
        pointsByYear: years,
        evaluations,
        problems: problems.items.map(problemDto),
      };
    },

    async createStudio(actor: StaffActor, meta: RequestMeta, input: StudioInput) {
      const org = await ctx.orgs.findInScope(actor, input.orgId);
      if (!org) throw notFound('管理工会');
      if (input.leadId && !(await modelsRepository.inScope(db, actor.orgPath, input.leadId))) throw notFound('领衔人');
      if (input.enterpriseId && !(await ctx.enterprises.findInScope(db, actor, input.enterpriseId))) throw notFound('所在企业');
      const id = await db.transaction().execute(async (trx) => {
        const row = await repo.insertStudio(trx, {
          org_id: org.id,
          kind: input.kind,
          name: input.name,
          lead_id: input.leadId ?? null,
          enterprise_id: input.enterpriseId ?? null,
          field: input.field,
          level: input.level,
          named_year: input.namedYear,
          members: input.members,
          created_by: actor.accountId,
          updated_at: now(),
        });
        if (!row) throw invalid({ name: '本工会已有同名工作室' });
        await audit(trx, actor, meta, 'models.studio.create', 'model_studio', row.id, org.id, { name: input.name });
        return row.id;
      });
      return board.getStudio(actor, id);
    },

    /** Records an achievement, scored by the points table in force for the studio's union (kept with the row). */
    async addAchievement(actor: StaffActor, meta: RequestMeta, id: string, input: AchievementInput) {
      await db.transaction().execute(async (trx) => {
        const s = await studioOrThrow(trx, actor, id);
        const personId = input.personId ?? s.lead_id ?? null;
        if (input.personId && !(await modelsRepository.inScope(trx, actor.orgPath, input.personId))) throw notFound('成果完成人');
        const benefitFen = input.benefit ? toFen(input.benefit) : null;
        const t = await pointsTableFor(trx, s.org_path);
        const scored = scoreAchievement(t.table, { kind: input.kind, patentType: input.patentType ?? null, awardLevel: input.awardLevel ?? null, benefitFen });
        const row = await repo.insertAchievement(trx, {
          studio_id: id,
          kind: input.kind,
          title: input.title,
          year: input.year,
          benefit_fen: benefitFen === null ? null : String(benefitFen),
          note: input.note ?? null,
          person_id: personId,
          patent_type: input.patentType ?? null,
          award_level: input.awardLevel ?? null,
          points: scored.points,
          points_org_id: t.orgId,
          scored_on: today(),
          created_by: actor.accountId,
        });
        await audit(trx, actor, meta, 'models.studio.achievement', 'model_studio', id, s.org_id, { achievement: row.id, kind: input.kind, points: scored.points });
      });
      return board.getStudio(actor, id);
    },

    // ---------- problems ----------
    async problems(actor: StaffActor, q: { q?: string; status?: string; studioId?: string; orgId?: string; page: number; pageSize: number }) {
      const orgPath = q.orgId ? (await ctx.orgs.findInScope(actor, q.orgId))?.path : undefined;
      if (q.orgId && !orgPath) throw notFound('工会');
      const { items, total } = await repo.problems(db, actor.orgPath, { orgPath, q: q.q ? likeText(q.q) : undefined, status: q.status, studioId: q.studioId, limit: q.pageSize, offset: offsetOf(q) });
      return { items: items.map(problemDto), total };
    },

    async getProblem(actor: StaffActor, id: string) {
      const p = await problemOrThrow(db, actor, id);
      const records = await repo.records(db, id);
      return {
        ...problemDto(p),
        records: records.map((r) => ({ id: r.id, kind: r.kind, kindLabel: RECORD_KINDS[r.kind], onDay: r.on_day, text: r.text, actorName: r.actor_name })),
      };
    },

    /** An enterprise of the register (in the caller's scope) posts a problem; it is scoped like the enterprise. */
    async post(actor: StaffActor, meta: RequestMeta, input: ProblemInput) {
      const e = await ctx.enterprises.findInScope(db, actor, input.enterpriseId);
      if (!e) throw notFound('企业');
      const day = today();
      if (input.deadline < day) throw invalid({ deadline: '期望解决日期不能早于今天' });
      const id = await db.transaction().execute(async (trx) => {
        const row = await repo.insertProblem(trx, {
          org_id: e.org_id,
          enterprise_id: e.id,
          title: input.title,
          field: input.field,
          description: input.description,
          posted_on: day,
          deadline: input.deadline,
          created_by: actor.accountId,
          updated_at: now(),
        });
        await repo.insertRecord(trx, { problem_id: row.id, kind: 'note', on_day: day, text: `${e.name}发布难题`, actor_name: actorName(actor) });
        await audit(trx, actor, meta, 'models.problem.post', 'model_problem', row.id, e.org_id, { enterprise: e.id });
        return row.id;
      });
      return board.getProblem(actor, id);
    },

    /** 揭榜: a studio or an honoured person the caller looks after takes the problem. */
    async claim(actor: StaffActor, meta: RequestMeta, id: string, input: { studioId?: string | null; solverId?: string | null; version: number }) {
      let who = '';
      if (input.studioId) {
        const s = await studioOrThrow(db, actor, input.studioId, '工作室');
        if (s.status !== 'active') throw invalid({ studioId: '该工作室已撤销命名' });
        who = s.name;
      } else {
        const m = await modelsRepository.inScope(db, actor.orgPath, input.solverId!);
        if (!m) throw notFound('劳模工匠');
        if (m.status === 'deceased') throw invalid({ solverId: '该人员已去世' });
        who = m.name;
      }
      return move(actor, meta, id, {
        version: input.version,
        from: ['open'],
        verb: '揭榜',
        record: `${who}揭榜`,
        patch: async () => ({ status: 'claimed', studio_id: input.studioId ?? null, solver_id: input.solverId ?? null, claimed_on: today(), claimed_by: actor.accountId }),
      });
    },

    async addRecord(actor: StaffActor, meta: RequestMeta, id: string, input: { kind: 'visit' | 'work' | 'note'; onDay: string; text: string }) {
      await db.transaction().execute(async (trx) => {
        const p = await problemOrThrow(trx, actor, id);
        if (!['claimed', 'solved'].includes(p.status)) throw new AppError('CONFLICT', `难题当前为「${PROBLEM_STATUSES[p.status]}」，不能登记攻关记录`);
        if (input.onDay > today() || (p.claimed_on && input.onDay < p.claimed_on)) throw invalid({ onDay: '日期应在揭榜之后且不晚于今天' });
        await repo.insertRecord(trx, { problem_id: id, kind: input.kind, on_day: input.onDay, text: input.text, actor_name: actorName(actor) });
        await audit(trx, actor, meta, 'models.problem.record', 'model_problem', id, p.org_id, { kind: input.kind });
      });
      return board.getProblem(actor, id);
    },

    async solve(actor: StaffActor, meta: RequestMeta, id: string, input: { result: string; peopleInvolved: number; version: number }) {
      return move(actor, meta, id, {
        version: input.version,
        from: ['claimed'],
        verb: '提交攻关成果',
        record: `提交攻关成果，参与 ${input.peopleInvolved} 人，待企业确认`,
        patch: async () => ({ status: 'solved', result: input.result, people_involved: input.peopleInvolved, solved_on: today(), solved_by: actor.accountId }),
      });
    },

    /** The enterprise's word: confirmed (counts as solved) or sent back to work on with its note. */
    async confirm(actor: StaffActor, meta: RequestMeta, id: string, input: { accept: boolean; confirmedBy: string; note?: string | null; version: number }) {
      if (!input.accept && !input.note) throw invalid({ note: '退回时请填写企业意见' });
      return move(actor, meta, id, {
        version: input.version,
        from: ['solved'],
        verb: input.accept ? '确认解决' : '退回',
        record: input.accept ? `企业确认已解决（${input.confirmedBy}）${input.note ? `：${input.note}` : ''}` : `企业退回（${input.confirmedBy}）：${input.note}`,
        patch: async (p) => {
          // Four eyes (decision 045): the enterprise's word is recorded by someone other than who took or solved it.
          if (input.accept && (p.claimed_by === actor.accountId || p.solved_by === actor.accountId))
            throw new AppError('FORBIDDEN', '不能审批本人提交的事项：揭榜或提交攻关成果的账号不能确认解决，请由另一账号或上级工会确认');
          return input.accept
            ? { status: 'confirmed', confirmed_on: today(), confirmed_by: input.confirmedBy, confirm_note: input.note ?? null }
            : { status: 'claimed', solved_on: null, confirm_note: input.note ?? null };
        },
      });
    },

    async withdraw(actor: StaffActor, meta: RequestMeta, id: string, input: { reason: string; version: number }) {
      return move(actor, meta, id, { version: input.version, from: ['open'], verb: '撤回', record: `撤回：${input.reason}`, patch: async () => ({ status: 'withdrawn' }) });
    },

    /** 助企行 figures of a union's subtree for a year: per month and the year's totals. */
    async figures(actor: StaffActor, q: { orgId?: string; year?: number }) {
      const org = q.orgId ? await ctx.orgs.findInScope(actor, q.orgId) : { id: actor.orgId, path: actor.orgPath };
      if (!org) throw notFound('工会');
      const year = q.year ?? Number(today().slice(0, 4));
      const from = `${year}-01-01`;
      const to = `${year + 1}-01-01`;
      const [months, t] = await Promise.all([repo.monthly(db, org.path, from, to), repo.totals(db, org.path, from, to)]);
      return {
        year,
        totals: { open: Number(t.open), claimed: Number(t.claimed), solved: Number(t.solved), peopleInvolved: Number(t.people), enterprisesServed: Number(t.enterprises) },
        months: months.map((m) => ({
          month: m.month,
          posted: Number(m.posted),
          claimed: Number(m.claimed),
          solved: Number(m.solved),
          peopleInvolved: Number(m.people),
          enterprisesServed: Number(m.enterprises),
        })),
      };
    },
  };
  return board;
}

export type ModelsBoard = ReturnType<typeof createBoard>;
