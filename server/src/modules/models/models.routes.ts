import type { App, StaffActor } from '../../platform/context.js';
import { idParam } from '../../platform/pagination.js';
import type { ModelsService } from './models.service.js';
import { createPersonBody, grantBody, honourBody, honourParams, listQuery, personYearQuery, ruleBody, ruleCreateBody, updatePersonBody } from './models.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['models'];
const READ = { access: 'models:read' } as const;
const MANAGE = { access: 'models:manage' } as const;

export function modelsRoutes(app: App, svc: ModelsService) {
  app.get('/api/models/dictionary', { config: { access: 'staff' }, schema: { tags, summary: '荣誉类别、状态、待遇项目' } }, async () => svc.dictionary());
  app.get('/api/models/people', { config: READ, schema: { tags, summary: '劳模工匠名册（联系工会为本级及下级）', querystring: listQuery } }, async (req) =>
    svc.list(staff(req), req.query),
  );
  app.post('/api/models/people', { config: MANAGE, schema: { tags, summary: '登记劳模工匠（含荣誉）', body: createPersonBody } }, async (req) =>
    svc.create(staff(req), req.meta, req.body),
  );
  app.get(
    '/api/models/people/:id',
    { config: READ, schema: { tags, summary: '劳模工匠详情：荣誉、本年度待遇与发放台账', params: idParam, querystring: personYearQuery } },
    async (req) => svc.get(staff(req), req.params.id, req.query.year),
  );
  app.patch('/api/models/people/:id', { config: MANAGE, schema: { tags, summary: '修改状态、联系工会、联系方式', params: idParam, body: updatePersonBody } }, async (req) =>
    svc.update(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/models/people/:id/honours', { config: MANAGE, schema: { tags, summary: '增加荣誉', params: idParam, body: honourBody } }, async (req) =>
    svc.addHonour(staff(req), req.meta, req.params.id, req.body),
  );
  app.delete('/api/models/people/:id/honours/:honourId', { config: MANAGE, schema: { tags, summary: '删除一项荣誉（录错时）', params: honourParams } }, async (req) =>
    svc.removeHonour(staff(req), req.meta, req.params.id, req.params.honourId),
  );
  app.post('/api/models/people/:id/grants', { config: MANAGE, schema: { tags, summary: '登记待遇发放（每人每项每年一次）', params: idParam, body: grantBody } }, async (req) =>
    svc.grant(staff(req), req.meta, req.params.id, req.body),
  );
  app.get('/api/models/rules', { config: READ, schema: { tags, summary: '各类荣誉的待遇标准' } }, async (req) => svc.rules(staff(req)));
  app.post('/api/models/rules', { config: MANAGE, schema: { tags, summary: '增加待遇标准（市总工会）', body: ruleCreateBody } }, async (req) =>
    svc.addRule(staff(req), req.meta, req.body),
  );
  app.patch('/api/models/rules/:id', { config: MANAGE, schema: { tags, summary: '修改待遇标准（市总工会）', params: idParam, body: ruleBody } }, async (req) =>
    svc.editRule(staff(req), req.meta, req.params.id, req.body),
  );
}
