import type { App, StaffActor } from '../../platform/context.js';
import { sendDownload } from '../../platform/download.js';
import { idParam } from '../../platform/pagination.js';
import { ATTACHMENT_LIMIT } from '../applications/applications.files.js';
import type { ModelsCompetitions } from './models.competitions.js';
import type { ModelsPoints } from './models.points.js';
import {
  achievementFileParams,
  achievementParams,
  competitionActivityBody,
  competitionBody,
  competitionListQuery,
  competitionPatch,
  evaluationBody,
  fileQuery,
  pointsQuery,
  pointsTableBody,
  skillResultBody,
} from './models.points.schema.js';
import type { StudioReview } from './models.studio-review.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['models'];
const READ = { access: 'models:read' } as const;
const MANAGE = { access: 'models:manage' } as const;
const rawBody = (b: unknown) => (Buffer.isBuffer(b) ? b : typeof b === 'string' ? Buffer.from(b) : undefined);

export function modelsPointsRoutes(app: App, s: { points: ModelsPoints; review: StudioReview; competitions: ModelsCompetitions }) {
  const { points, review, competitions } = s;
  // ---- 创新成果积分 ----
  app.get('/api/models/points/table', { config: READ, schema: { tags, summary: '本工会适用的创新成果积分标准（本级或上级制定）' } }, async (req) => points.table(staff(req)));
  app.put('/api/models/points/table', { config: MANAGE, schema: { tags, summary: '制定本工会的积分标准与排名开关（市总、县级总工会）', body: pointsTableBody } }, async (req) =>
    points.saveTable(staff(req), req.meta, req.body),
  );
  app.get('/api/models/points', { config: READ, schema: { tags, summary: '年度创新成果积分：按工作室或按人员（本级及下级，按名称）', querystring: pointsQuery } }, async (req) =>
    points.list(staff(req), req.query),
  );
  app.get('/api/models/points/ranking', { config: READ, schema: { tags, summary: '年度积分排名（仅在本工会开启排名时）', querystring: pointsQuery } }, async (req) =>
    points.ranking(staff(req), req.query),
  );

  // ---- 创新工作室 evaluation and evidence files ----
  app.get('/api/models/studio-criteria', { config: READ, schema: { tags, summary: '创新工作室年度评价项' } }, async () => review.criteria());
  app.post('/api/models/studios/:id/evaluations', { config: MANAGE, schema: { tags, summary: '工作室年度评价（逐项打分，每年一次）', params: idParam, body: evaluationBody } }, async (req) =>
    review.evaluate(staff(req), req.meta, req.params.id, req.body),
  );
  app.get(
    '/api/models/studios/:id/achievements/:achievementId/files/:fileId',
    { config: READ, schema: { tags, summary: '查看成果佐证材料', params: achievementFileParams } },
    async (req, reply) => {
      const f = await review.file(staff(req), req.params.id, req.params.achievementId, req.params.fileId);
      return sendDownload(reply, { body: f.body, contentType: f.contentType, fileName: f.fileName, asciiName: 'evidence' }, 'inline');
    },
  );
  void app.register(async (scope) => {
    const sc = scope as App;
    sc.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_LIMIT + 1024 * 1024 }, (_req, body, done) => done(null, body));
    sc.post(
      '/api/models/studios/:id/achievements/:achievementId/files',
      { config: MANAGE, schema: { tags, summary: '上传成果佐证材料（原始文件作请求体；JPG/PNG/PDF，≤ 10 MB）', params: achievementParams, querystring: fileQuery } },
      async (req) => review.uploadFile(staff(req), req.meta, req.params.id, req.params.achievementId, rawBody(req.body), req.query.fileName),
    );
  });

  // ---- 职业技能竞赛目录 and 技能等级 results ----
  app.get('/api/models/competitions', { config: READ, schema: { tags, summary: '分级分类职业技能竞赛目录', querystring: competitionListQuery } }, async (req) =>
    competitions.list(staff(req), req.query),
  );
  app.post('/api/models/competitions', { config: MANAGE, schema: { tags, summary: '增加竞赛目录条目（市总工会）', body: competitionBody } }, async (req) =>
    competitions.create(staff(req), req.meta, req.body),
  );
  app.get('/api/models/competitions/:id', { config: READ, schema: { tags, summary: '竞赛目录条目与本级及下级对应的技能竞赛活动', params: idParam } }, async (req) =>
    competitions.get(staff(req), req.params.id),
  );
  app.patch('/api/models/competitions/:id', { config: MANAGE, schema: { tags, summary: '修改竞赛目录条目（市总工会）', params: idParam, body: competitionPatch } }, async (req) =>
    competitions.edit(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/models/competitions/:id/activities', { config: MANAGE, schema: { tags, summary: '技能竞赛活动对应竞赛目录条目', params: idParam, body: competitionActivityBody } }, async (req) =>
    competitions.tagActivity(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/models/people/:id/skill-results', { config: MANAGE, schema: { tags, summary: '登记竞赛获奖成绩（认定技能等级或职称）', params: idParam, body: skillResultBody } }, async (req) =>
    competitions.recordResult(staff(req), req.meta, req.params.id, req.body),
  );
}
