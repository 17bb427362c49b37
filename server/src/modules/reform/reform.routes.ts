import type { App, StaffActor } from '../../platform/context.js';
import { idParam } from '../../platform/pagination.js';
import type { ReformService } from './reform.service.js';
import {
  academyBody,
  academyListQuery,
  academyPilotBody,
  criterionBody,
  criterionPatch,
  doneBody,
  figuresQuery,
  inspectionBody,
  itemBody,
  itemParams,
  pilotBody,
  pilotListQuery,
  ratingBody,
} from './reform.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['reform'];
const READ = { access: 'reform:read' } as const;
const MANAGE = { access: 'reform:manage' } as const;

export function reformRoutes(app: App, svc: ReformService) {
  app.get('/api/reform/pilots', { config: READ, schema: { tags, summary: '产改试点企业（本级及下级）', querystring: pilotListQuery } }, async (req) => svc.list(staff(req), req.query));
  app.post('/api/reform/pilots', { config: MANAGE, schema: { tags, summary: '确定产改试点企业', body: pilotBody } }, async (req) => svc.create(staff(req), req.meta, req.body));
  app.get('/api/reform/pilots/:id', { config: READ, schema: { tags, summary: '试点企业：任务清单、问题清单、评星定级', params: idParam } }, async (req) =>
    svc.get(staff(req), req.params.id),
  );
  app.post('/api/reform/pilots/:id/items', { config: MANAGE, schema: { tags, summary: '增加任务或问题（责任人、时限）', params: idParam, body: itemBody } }, async (req) =>
    svc.addItem(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/reform/pilots/:id/items/:itemId/done', { config: MANAGE, schema: { tags, summary: '事项完成（佐证说明）', params: itemParams, body: doneBody } }, async (req) =>
    svc.finishItem(staff(req), req.meta, req.params.id, req.params.itemId, req.body),
  );
  app.post('/api/reform/pilots/:id/ratings', { config: MANAGE, schema: { tags, summary: '年度评星定级（逐项打分）', params: idParam, body: ratingBody } }, async (req) =>
    svc.rate(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/reform/pilots/:id/inspections', { config: MANAGE, schema: { tags, summary: '登记督查考核（日期、督查人员、发现、得分）', params: idParam, body: inspectionBody } }, async (req) =>
    svc.inspect(staff(req), req.meta, req.params.id, req.body),
  );
  app.get('/api/reform/academies', { config: READ, schema: { tags, summary: '工匠学院（本级及下级）及关联的试点企业', querystring: academyListQuery } }, async (req) =>
    svc.academies(staff(req), req.query),
  );
  app.post('/api/reform/academies', { config: MANAGE, schema: { tags, summary: '登记工匠学院（可同时关联试点企业）', body: academyBody } }, async (req) =>
    svc.addAcademy(staff(req), req.meta, req.body),
  );
  app.post('/api/reform/academies/:id/pilots', { config: MANAGE, schema: { tags, summary: '工匠学院关联试点企业', params: idParam, body: academyPilotBody } }, async (req) =>
    svc.linkAcademyPilot(staff(req), req.meta, req.params.id, req.body),
  );
  app.get('/api/reform/criteria', { config: READ, schema: { tags, summary: '评星定级评分项' } }, async (req) => svc.criteria(staff(req)));
  app.post('/api/reform/criteria', { config: MANAGE, schema: { tags, summary: '增加评分项（市总工会）', body: criterionBody } }, async (req) =>
    svc.addCriterion(staff(req), req.meta, req.body),
  );
  app.patch('/api/reform/criteria/:id', { config: MANAGE, schema: { tags, summary: '修改评分项（市总工会）', params: idParam, body: criterionPatch } }, async (req) =>
    svc.editCriterion(staff(req), req.meta, req.params.id, req.body),
  );
  app.get('/api/reform/figures', { config: READ, schema: { tags, summary: '产改统计：试点企业、星级分布、任务按时完成率', querystring: figuresQuery } }, async (req) =>
    svc.figures(staff(req), req.query),
  );
}
