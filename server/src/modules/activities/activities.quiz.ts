// 知识竞赛: a question bank imported from .xlsx, a timed quiz with the start and deadline kept on the
// server, one attempt per person (unique in the database), scoring on the server (a worker never
// receives the answers), and rankings only where the activity opts in (settings.showRanking).
import { chinaDay } from '../../platform/china-time.js';
import { z } from 'zod';
import { idField } from '../../platform/fields.js';
import type { RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { loadExcel } from '../../platform/excel.js';
import { auditActor } from '../audit/audit.service.js';
import { XLSX_TYPE } from '../../platform/spreadsheet.js';
import { maskName } from '../cards/cards.service.js';
import type { ActivitiesCore, ActivityTypePlugin, PluginActivity, Trx } from './activities.plugins.js';
import { readSheet } from './activities.contest.js';
import * as repo from './activity-types.repository.js';
import { parseQuestionRow, rankBy, scoreAnswers, type QuestionInput } from './activity-types.rules.js';

export const quizSettings = z.strictObject({
  timeLimitMinutes: z
    .number({ error: '答题时限应为 1 到 180 分钟' })
    .int('答题时限应为整数分钟')
    .min(1, '答题时限至少 1 分钟')
    .max(180, '答题时限至多 180 分钟')
    .optional(),
  showRanking: z.boolean({ error: '是否公布排名应为是或否' }).optional(),
});
type Settings = z.infer<typeof quizSettings>;
export const DEFAULT_TIME_LIMIT_MINUTES = 20;
export const QUESTION_HEADERS = ['题目', '类型', '选项A', '选项B', '选项C', '选项D', '答案', '分值'] as const;
const MAX_QUESTIONS = 500;

export const quizPlugin: ActivityTypePlugin = { type: 'quiz', settingsSchema: quizSettings };

export const submitBody = z.strictObject({
  answers: z
    .array(
      z.strictObject({
        questionId: idField('题目'),
        answer: z.array(z.enum(['A', 'B', 'C', 'D'], { error: '答案应为 A、B、C、D' })).max(4),
      }),
    )
    .max(MAX_QUESTIONS),
});

const settingsOf = (a: PluginActivity) => a.settings as Settings;
const HOLDS_PLACE = ['enrolled', 'attended', 'no_show'];

/** The blank question-bank template with one example of each kind and a sheet of instructions. */
export async function questionTemplate() {
  const wb = new (await loadExcel()).Workbook();
  const ws = wb.addWorksheet('题库');
  ws.addRow([...QUESTION_HEADERS]);
  ws.addRow(['工会经费按全部职工工资总额的多少拨缴？', '单选', '1%', '2%', '3%', '', 'B', 10]);
  ws.addRow(['以下哪些属于新就业形态劳动者？', '多选', '快递员', '外卖配送员', '网约车司机', '公务员', 'ABC', 20]);
  ws.addRow(['工会会员有按规定交纳会费的义务。', '判断', '', '', '', '', '对', 10]);
  ws.columns.forEach((c, i) => (c.width = i === 0 ? 40 : 12));
  const note = wb.addWorksheet('填写说明');
  for (const line of [
    '类型：单选、多选 或 判断。',
    '选项：选择题从 选项A 起连续填写，至少两个；判断题不填选项。',
    '答案：选择题填字母（多选如 ABD）；判断题填 对 或 错。',
    '分值：1 到 100 的整数。有任何一行错误时整份文件不导入，并列出所有错误行。',
  ])
    note.addRow([line]);
  return { body: Buffer.from(await wb.xlsx.writeBuffer()), contentType: XLSX_TYPE, fileName: '知识竞赛题库模板.xlsx' };
}

export function createQuizService(core: ActivitiesCore) {
  const { ctx } = core;
  const db = ctx.database.db;

  async function quizForStaff(trx: Trx, actor: StaffActor, id: string) {
    const a = await core.activityForStaff(trx, actor, id);
    if (a.type !== 'quiz') throw notFound('知识竞赛');
    return a;
  }

  /** The quiz activity as the worker's enrollment reaches it (another activity, or none → 404). */
  async function quizForWorker(trx: Trx, actor: WorkerActor, activityId: string) {
    const member = await core.workerMember(trx, actor.workerId);
    const enrollment = await core.liveEnrollment(trx, activityId, member.personId);
    if (!enrollment) throw notFound('知识竞赛');
    const activity = await repo.quizActivity(trx, activityId);
    if (!activity) throw notFound('知识竞赛');
    if (!HOLDS_PLACE.includes(enrollment.status)) throw new AppError('FORBIDDEN', '报名成功后才能答题');
    return { member, enrollment, activity };
  }

  const presentResult = (
    q: { score: number | null; max_score: number; started_at: Date; deadline_at: Date; submitted_at: Date | null; late: boolean },
    rank: number | null,
  ) => ({
    score: q.score,
    maxScore: q.max_score,
    startedAt: q.started_at.toISOString(),
    deadline: q.deadline_at.toISOString(),
    submittedAt: q.submitted_at?.toISOString() ?? null,
    late: q.late,
    rank,
  });

  async function rankOf(trx: Trx, activityId: string, personId: string) {
    const rows = await repo.quizResults(trx, activityId);
    return rankBy(rows, (r) => r.score ?? 0).find((r) => r.person_id === personId)?.rank ?? null;
  }

  return {
    async importQuestions(actor: StaffActor, meta: RequestMeta, activityId: string, content: Buffer) {
      return db.transaction().execute(async (trx) => {
        const a = await quizForStaff(trx, actor, activityId);
        if ((await repo.attemptCount(trx, a.id)) > 0) throw new AppError('CONFLICT', '已有人开始答题，题库不能再更换');
        const sheet = await readSheet(content, MAX_QUESTIONS);
        const missing = ['题目', '类型', '答案', '分值'].filter((h) => !sheet.headers.includes(h));
        if (missing.length) throw invalid({ file: `缺少列：${missing.join('、')}（应有 ${QUESTION_HEADERS.join('、')}）` });
        const errors: { row: number; message: string }[] = [];
        const questions: QuestionInput[] = [];
        for (const r of sheet.rows) {
          const parsed = parseQuestionRow(r.cells);
          if (parsed.ok) questions.push(parsed.question);
          else errors.push({ row: r.rowNo, message: parsed.errors.join('；') });
        }
        if (questions.length === 0 && errors.length === 0) errors.push({ row: 0, message: '文件中没有题目' });
        if (errors.length) return { imported: 0, errors };
        await repo.replaceQuestions(trx, a.id, questions);
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.quiz.import',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.orgId,
          outcome: 'success',
          detail: { questions: questions.length },
        });
        return { imported: questions.length, errors: [] };
      });
    },

    async questions(actor: StaffActor, activityId: string) {
      return db.transaction().execute(async (trx) => {
        const a = await quizForStaff(trx, actor, activityId);
        const rows = await repo.questionsOf(trx, a.id);
        return {
          items: rows.map((q) => ({ id: q.id, no: q.no, stem: q.stem, kind: q.kind, options: q.options, answer: q.answer.split(','), points: q.points })),
        };
      });
    },

    async results(actor: StaffActor, activityId: string) {
      return db.transaction().execute(async (trx) => {
        const a = await quizForStaff(trx, actor, activityId);
        const rows = await repo.quizResults(trx, a.id);
        const ranking = settingsOf(a).showRanking === true;
        const base = rows.map((r) => ({
          name: r.name,
          score: r.score ?? 0,
          maxScore: r.max_score,
          startedAt: r.started_at.toISOString(),
          submittedAt: r.submitted_at!.toISOString(),
          late: r.late,
        }));
        if (ranking) return { showRanking: true, items: rankBy(base, (r) => r.score) };
        // No ranking of people unless the activity opts in: in order of submission, without ranks.
        return { showRanking: false, items: base.sort((x, y) => x.submittedAt.localeCompare(y.submittedAt)).map((r) => ({ ...r, rank: null })) };
      });
    },

    /** Starts (or resumes) the one attempt: questions without answers, the server's deadline. */
    async start(actor: WorkerActor, meta: RequestMeta, activityId: string) {
      return db.transaction().execute(async (trx) => {
        const { member, activity } = await quizForWorker(trx, actor, activityId);
        if (activity.status !== 'published') throw new AppError('VALIDATION_FAILED', '竞赛未在进行中');
        const today = chinaDay(ctx.clock.now());
        if (activity.starts_on && today < activity.starts_on) throw new AppError('VALIDATION_FAILED', `竞赛 ${activity.starts_on} 开始，届时再来答题`);
        if (activity.ends_on && today > activity.ends_on) throw new AppError('VALIDATION_FAILED', `竞赛已于 ${activity.ends_on} 结束`);
        const questions = await repo.questionsOf(trx, activity.id);
        if (questions.length === 0) throw new AppError('VALIDATION_FAILED', '题库尚未准备好，请稍后再试');
        let attempt = await repo.attemptOf(trx, activity.id, member.personId);
        if (attempt?.submitted_at) throw new AppError('CONFLICT', '您已交卷，每人只能答题一次');
        if (!attempt) {
          const now = ctx.clock.now();
          const minutes = (activity.settings as Settings).timeLimitMinutes ?? DEFAULT_TIME_LIMIT_MINUTES;
          const started = await repo.insertAttempt(trx, {
            activityId: activity.id,
            personId: member.personId,
            startedAt: now,
            deadlineAt: new Date(now.getTime() + minutes * 60_000),
            maxScore: questions.reduce((s, q) => s + q.points, 0),
          });
          attempt = (await repo.attemptOf(trx, activity.id, member.personId))!;
          // A concurrent start of the same person found the attempt made by the other: audited once.
          if (started)
            await ctx.audit.append(trx, {
              ...auditActor(actor, meta),
              action: 'activity.quiz.start',
              targetType: 'activity',
              targetId: activity.id,
              orgId: activity.org_id,
              outcome: 'success',
              detail: { deadline: attempt.deadline_at.toISOString() },
            });
        }
        return {
          startedAt: attempt.started_at.toISOString(),
          deadline: attempt.deadline_at.toISOString(),
          serverTime: ctx.clock.now().toISOString(),
          questions: questions.map((q) => ({ id: q.id, no: q.no, stem: q.stem, kind: q.kind, options: q.options, points: q.points })),
        };
      });
    },

    /** One submission, scored here; after the deadline nothing counts (late, 0 points). */
    async submit(actor: WorkerActor, meta: RequestMeta, activityId: string, body: z.infer<typeof submitBody>) {
      return db.transaction().execute(async (trx) => {
        const { member, enrollment, activity } = await quizForWorker(trx, actor, activityId);
        const attempt = await repo.attemptOf(trx, activity.id, member.personId);
        if (!attempt) throw new AppError('VALIDATION_FAILED', '请先开始答题');
        if (attempt.submitted_at) throw new AppError('CONFLICT', '您已交卷，每人只能答题一次');
        const now = ctx.clock.now();
        const late = now.getTime() > attempt.deadline_at.getTime();
        const questions = await repo.questionsOf(trx, activity.id);
        const scored = scoreAnswers(
          questions.map((q) => ({ id: q.id, answer: q.answer.split(','), points: q.points })),
          body.answers,
        );
        const done = await repo.submitAttempt(trx, attempt.id, { submittedAt: now, answers: body.answers, score: late ? 0 : scored.score, late });
        if (!done) throw new AppError('CONFLICT', '您已交卷，每人只能答题一次');
        await core.markAttended(trx, enrollment.id);
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.quiz.submit',
          targetType: 'activity',
          targetId: activity.id,
          orgId: activity.org_id,
          outcome: 'success',
          detail: { score: done.score, late },
        });
        const showRanking = (activity.settings as Settings).showRanking === true;
        return presentResult(done, showRanking ? await rankOf(trx, activity.id, member.personId) : null);
      });
    },

    async result(actor: WorkerActor, activityId: string) {
      return db.transaction().execute(async (trx) => {
        const { member, activity } = await quizForWorker(trx, actor, activityId);
        const attempt = await repo.attemptOf(trx, activity.id, member.personId);
        if (!attempt) throw notFound('答题记录');
        const showRanking = (activity.settings as Settings).showRanking === true;
        return presentResult(attempt, showRanking && attempt.submitted_at ? await rankOf(trx, activity.id, member.personId) : null);
      });
    },

    /** Only where the activity opts in; names masked. */
    async ranking(actor: WorkerActor, activityId: string) {
      return db.transaction().execute(async (trx) => {
        const { activity } = await quizForWorker(trx, actor, activityId);
        if ((activity.settings as Settings).showRanking !== true) throw notFound('排名（本竞赛不公布排名）');
        const rows = await repo.quizResults(trx, activity.id);
        return {
          items: rankBy(rows, (r) => r.score ?? 0)
            .slice(0, 100)
            .map((r) => ({ rank: r.rank, nameMasked: maskName(r.name), score: r.score ?? 0 })),
        };
      });
    },
  };
}
