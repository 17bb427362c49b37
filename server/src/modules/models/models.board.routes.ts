import type { App, StaffActor } from '../../platform/context.js';
import { idParam } from '../../platform/pagination.js';
import type { ModelsBoard } from './models.board.js';
import type { ModelsLectures } from './models.lectures.js';
import {
  achievementBody,
  claimBody,
  confirmBody,
  figuresQuery,
  lectureBody,
  lecturerBody,
  lecturerListQuery,
  plainPageQuery,
  problemBody,
  problemListQuery,
  recordBody,
  solveBody,
  studioBody,
  studioListQuery,
  withdrawBody,
} from './models.board.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['models'];
const READ = { access: 'models:read' } as const;
const MANAGE = { access: 'models:manage' } as const;

export function modelsBoardRoutes(app: App, board: ModelsBoard, lectures: ModelsLectures) {
  app.get('/api/models/lecturers', { config: READ, schema: { tags, summary: '宣讲员（劳模名师、职工名嘴、思政教师）', querystring: lecturerListQuery } }, async (req) =>
    lectures.lecturers(staff(req), req.query),
  );
  app.post('/api/models/lecturers', { config: MANAGE, schema: { tags, summary: '登记宣讲员', body: lecturerBody } }, async (req) => lectures.addLecturer(staff(req), req.meta, req.body));
  app.get('/api/models/lectures', { config: READ, schema: { tags, summary: '宣讲场次（培训/宣讲活动 + 宣讲员 + 场所；有人签到即计数）', querystring: plainPageQuery } }, async (req) =>
    lectures.lectures(staff(req), req.query),
  );
  app.post('/api/models/lectures', { config: MANAGE, schema: { tags, summary: '把培训/宣讲活动登记为宣讲场次', body: lectureBody } }, async (req) =>
    lectures.tag(staff(req), req.meta, req.body),
  );
  app.get('/api/models/studios', { config: READ, schema: { tags, summary: '创新工作室（本级及下级）', querystring: studioListQuery } }, async (req) =>
    board.studios(staff(req), req.query),
  );
  app.post('/api/models/studios', { config: MANAGE, schema: { tags, summary: '登记创新工作室', body: studioBody } }, async (req) =>
    board.createStudio(staff(req), req.meta, req.body),
  );
  app.get('/api/models/studios/:id', { config: READ, schema: { tags, summary: '工作室详情：成果、揭榜的难题', params: idParam } }, async (req) =>
    board.getStudio(staff(req), req.params.id),
  );
  app.post('/api/models/studios/:id/achievements', { config: MANAGE, schema: { tags, summary: '登记工作室成果', params: idParam, body: achievementBody } }, async (req) =>
    board.addAchievement(staff(req), req.meta, req.params.id, req.body),
  );

  app.get('/api/models/problems', { config: READ, schema: { tags, summary: '助企行难题榜（本级及下级）', querystring: problemListQuery } }, async (req) =>
    board.problems(staff(req), req.query),
  );
  app.post('/api/models/problems', { config: MANAGE, schema: { tags, summary: '企业发布难题', body: problemBody } }, async (req) => board.post(staff(req), req.meta, req.body));
  app.get('/api/models/problems/:id', { config: READ, schema: { tags, summary: '难题详情与攻关记录', params: idParam } }, async (req) =>
    board.getProblem(staff(req), req.params.id),
  );
  app.post('/api/models/problems/:id/claim', { config: MANAGE, schema: { tags, summary: '揭榜（工作室或劳模工匠）', params: idParam, body: claimBody } }, async (req) =>
    board.claim(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/models/problems/:id/records', { config: MANAGE, schema: { tags, summary: '登记攻关记录（走访、攻关）', params: idParam, body: recordBody } }, async (req) =>
    board.addRecord(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/models/problems/:id/solve', { config: MANAGE, schema: { tags, summary: '提交攻关成果', params: idParam, body: solveBody } }, async (req) =>
    board.solve(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/models/problems/:id/confirm', { config: MANAGE, schema: { tags, summary: '企业确认解决或退回', params: idParam, body: confirmBody } }, async (req) =>
    board.confirm(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/models/problems/:id/withdraw', { config: MANAGE, schema: { tags, summary: '撤回难题（未揭榜时）', params: idParam, body: withdrawBody } }, async (req) =>
    board.withdraw(staff(req), req.meta, req.params.id, req.body),
  );
  app.get('/api/models/board-figures', { config: READ, schema: { tags, summary: '助企行统计：按月发布、揭榜、解决，参与人数、服务企业', querystring: figuresQuery } }, async (req) =>
    board.figures(staff(req), req.query),
  );
}
