// 创新工作室 yearly evaluation (a score per criterion within its full marks → 优秀 / 良好 / 合格 / 不合格,
// once per studio and year) and the evidence files of achievements (JPG / PNG / PDF in the file store under
// models/…, the same magic-byte check and size limit as application attachments and funds vouchers).
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { EvaluationResult } from '../../db/schema-models.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import type { Executor } from '../audit/audit.repository.js';
import { ATTACHMENT_LIMIT, cleanFileName, sniffFile, type FileStore } from '../applications/applications.files.js';
import type { ModuleContext } from '../module-context.js';
import { boardRepository } from './models.board.repository.js';

/** The evaluation criteria of a studio's year (full marks sum to 100). */
export const STUDIO_CRITERIA = [
  { code: 'organisation', name: '组织建设与运行管理', max: 20 },
  { code: 'innovation', name: '技术创新与成果', max: 30 },
  { code: 'talent', name: '人才培养（带徒传技）', max: 20 },
  { code: 'benefit', name: '成果转化与创效', max: 20 },
  { code: 'example', name: '示范带动', max: 10 },
] as const;
export const EVALUATION_RESULTS: Record<EvaluationResult, string> = { excellent: '优秀', good: '良好', pass: '合格', fail: '不合格' };
export const resultOf = (total: number): EvaluationResult => (total >= 90 ? 'excellent' : total >= 75 ? 'good' : total >= 60 ? 'pass' : 'fail');

const fileKey = (at: Date) => `models/${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${randomBytes(16).toString('hex')}`;

export const studioReviewRepository = {
  async evaluations(db: Executor, studioId: string) {
    return db
      .selectFrom('model_studio_evaluations')
      .select(['id', 'year', 'scores', 'total', 'result', 'evaluator', sql<string>`evaluated_on::text`.as('evaluated_on')])
      .where('studio_id', '=', studioId)
      .orderBy('year', 'desc')
      .execute();
  },
  async insertEvaluation(db: Executor, row: { studio_id: string; year: number; scores: string; total: number; result: EvaluationResult; evaluator: string; evaluated_on: string; created_by: string }) {
    return db.insertInto('model_studio_evaluations').values(row).onConflict((oc) => oc.columns(['studio_id', 'year']).doNothing()).returning(['id']).executeTakeFirst();
  },
  async achievementOf(db: Executor, studioId: string, id: string) {
    return db.selectFrom('model_studio_achievements').select(['id', 'title']).where('studio_id', '=', studioId).where('id', '=', id).executeTakeFirst();
  },
  async insertFile(db: Executor, row: { achievement_id: string; file_key: string; file_name: string; file_mime: string; bytes: number; created_by: string }) {
    return db.insertInto('model_achievement_files').values(row).returning(['id']).executeTakeFirstOrThrow();
  },
  /** A file of an achievement of a studio in the subtree. */
  async fileInScope(db: Executor, scopePath: string, studioId: string, achievementId: string, id: string) {
    return db
      .selectFrom('model_achievement_files as f')
      .innerJoin('model_studio_achievements as a', 'a.id', 'f.achievement_id')
      .innerJoin('model_studios as s', 's.id', 'a.studio_id')
      .innerJoin('orgs as o', 'o.id', 's.org_id')
      .select(['f.id', 'f.file_key', 'f.file_name', 'f.file_mime'])
      .where('f.id', '=', id)
      .where('a.id', '=', achievementId)
      .where('s.id', '=', studioId)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },
  async filesOfStudio(db: Executor, studioId: string) {
    return db
      .selectFrom('model_achievement_files as f')
      .innerJoin('model_studio_achievements as a', 'a.id', 'f.achievement_id')
      .select(['f.id', 'f.achievement_id', 'f.file_name'])
      .where('a.studio_id', '=', studioId)
      .orderBy('f.id')
      .execute();
  },
};

export function createStudioReview(ctx: ModuleContext, files: FileStore) {
  const db: Kysely<DB> = ctx.database.db;
  const repo = studioReviewRepository;

  async function studioOrThrow(actor: StaffActor, id: string) {
    const s = await boardRepository.studioInScope(db, actor.orgPath, id);
    if (!s) throw notFound('创新工作室');
    return s;
  }

  return {
    criteria: () => STUDIO_CRITERIA.map((c) => ({ ...c })),

    async evaluations(studioId: string) {
      return (await repo.evaluations(db, studioId)).map((e) => ({
        id: e.id,
        year: e.year,
        scores: e.scores,
        total: e.total,
        result: e.result,
        resultLabel: EVALUATION_RESULTS[e.result],
        evaluator: e.evaluator,
        evaluatedOn: e.evaluated_on,
      }));
    },

    async files(studioId: string) {
      return repo.filesOfStudio(db, studioId);
    },

    /** The year's evaluation: every criterion scored within its full marks; once per studio and year. */
    async evaluate(actor: StaffActor, meta: RequestMeta, studioId: string, input: { year: number; evaluator: string; scores: { code: string; score: number }[] }) {
      const s = await studioOrThrow(actor, studioId);
      const given = new Map(input.scores.map((x) => [x.code, x.score]));
      const missing = STUDIO_CRITERIA.filter((c) => !given.has(c.code));
      if (missing.length) throw invalid({ scores: `请为每个评价项打分：${missing.map((c) => c.name).join('、')}` });
      if (input.scores.some((x) => !STUDIO_CRITERIA.some((c) => c.code === x.code))) throw invalid({ scores: '评价项无效' });
      const over = STUDIO_CRITERIA.filter((c) => given.get(c.code)! > c.max);
      if (over.length) throw invalid({ scores: `得分超过满分：${over.map((c) => `${c.name}（满分 ${c.max}）`).join('、')}` });
      if (input.year > Number(chinaDay(ctx.clock.now()).slice(0, 4))) throw invalid({ year: '不能评价未来年度' });
      const scores = STUDIO_CRITERIA.map((c) => ({ name: c.name, max: c.max, score: given.get(c.code)! }));
      const total = scores.reduce((n, x) => n + x.score, 0);
      const result = resultOf(total);
      await db.transaction().execute(async (trx) => {
        const row = await repo.insertEvaluation(trx, {
          studio_id: s.id,
          year: input.year,
          scores: JSON.stringify(scores),
          total,
          result,
          evaluator: input.evaluator,
          evaluated_on: chinaDay(ctx.clock.now()),
          created_by: actor.accountId,
        });
        if (!row) throw conflict(`${input.year} 年度已评价`);
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'models.studio.evaluate', targetType: 'model_studio', targetId: s.id, orgId: s.org_id, outcome: 'success', detail: { year: input.year, total, result } });
      });
      return { total, result, resultLabel: EVALUATION_RESULTS[result] };
    },

    async uploadFile(actor: StaffActor, meta: RequestMeta, studioId: string, achievementId: string, body: Buffer | undefined, name?: string) {
      const s = await studioOrThrow(actor, studioId);
      const a = await repo.achievementOf(db, s.id, achievementId);
      if (!a) throw notFound('成果');
      if (!body?.length) throw invalid({ file: '请选择佐证材料' });
      if (body.length > ATTACHMENT_LIMIT) throw invalid({ file: '佐证材料不能超过 10 MB' });
      const kind = sniffFile(body);
      if (!kind) throw invalid({ file: '佐证材料仅支持 JPG、PNG 图片或 PDF 文件' });
      const key = fileKey(ctx.clock.now());
      await files.put(key, body);
      const fileName = cleanFileName(name, kind);
      try {
        return await db.transaction().execute(async (trx) => {
          const f = await repo.insertFile(trx, { achievement_id: a.id, file_key: key, file_name: fileName, file_mime: kind.mime, bytes: body.length, created_by: actor.accountId });
          await ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'models.achievement.file',
            targetType: 'model_studio',
            targetId: s.id,
            orgId: s.org_id,
            outcome: 'success',
            detail: { achievement: a.id, file: fileName, bytes: body.length },
          });
          return { id: f.id, fileName };
        });
      } catch (err) {
        await files.delete(key);
        throw err;
      }
    },

    async file(actor: StaffActor, studioId: string, achievementId: string, id: string) {
      const f = await repo.fileInScope(db, actor.orgPath, studioId, achievementId, id);
      if (!f) throw notFound('佐证材料');
      const body = await files.get(f.file_key);
      if (!body) throw notFound('佐证材料');
      return { body, fileName: f.file_name, contentType: f.file_mime };
    },
  };
}

export type StudioReview = ReturnType<typeof createStudioReview>;
