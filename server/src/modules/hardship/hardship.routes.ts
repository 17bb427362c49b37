import type { App, StaffActor } from '../../platform/context.js';
import { idParam } from '../../platform/pagination.js';
import { sendXlsx } from '../../platform/download.js';
import { XLSX_TYPE } from '../../platform/spreadsheet.js';
import type { HardshipService } from './hardship.service.js';
import {
  countyReviewBody,
  createFileBody,
  establishBody,
  familyParams,
  filesQuery,
  objectionBody,
  pairingBody,
  pairingParams,
  pairingVisitBody,
  recordAidBody,
  revealBody,
  reviewBody,
  updateFileBody,
  visitBody,
  yearlyReviewBody,
} from './hardship.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['hardship'];

export function hardshipRoutes(app: App, hardship: HardshipService) {
  app.get('/api/hardship/causes', { config: { access: 'staff' }, schema: { tags, summary: '致困原因字典' } }, async () => hardship.causes());

  app.get(
    '/api/hardship/files',
    { config: { access: 'hardship:read' }, schema: { tags, summary: '困难职工档案（本级及下级）', querystring: filesQuery } },
    async (req) => hardship.list(staff(req), req.query),
  );

  app.post(
    '/api/hardship/files',
    { config: { access: 'hardship:write' }, schema: { tags, summary: '建档申请（基层工会代会员提出；一户一档）', body: createFileBody } },
    async (req) => hardship.create(staff(req), req.meta, req.body),
  );

  app.get(
    '/api/hardship/files/export.xlsx',
    {
      config: { access: 'hardship:read' },
      schema: { tags, summary: '导出困难职工档案（.xlsx，脱敏）', querystring: filesQuery.omit({ page: true, pageSize: true }) },
    },
    async (req, reply) => {
      const out = await hardship.exportXlsx(staff(req), req.meta, req.query);
      return sendXlsx(reply, out);
    },
  );

  app.get('/api/hardship/files/:id', { config: { access: 'hardship:read' }, schema: { tags, summary: '档案详情与时间线', params: idParam } }, async (req) =>
    hardship.get(staff(req), req.params.id),
  );

  app.post(
    '/api/hardship/files/:id/family/:memberId/reveal',
    {
      config: { access: 'member:reveal' },
      schema: { tags, summary: '查看家庭成员完整身份证号（须说明事由，留痕）', params: familyParams, body: revealBody },
    },
    async (req) => hardship.revealFamilyId(staff(req), req.meta, req.params.id, req.params.memberId, req.body.reason),
  );

  app.patch(
    '/api/hardship/files/:id',
    { config: { access: 'hardship:write' }, schema: { tags, summary: '修改档案内容（待基层初审时）', params: idParam, body: updateFileBody } },
    async (req) => hardship.update(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/hardship/files/:id/first-review',
    { config: { access: 'hardship:write' }, schema: { tags, summary: '基层初审', params: idParam, body: reviewBody } },
    async (req) => hardship.firstReview(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/hardship/files/:id/visit',
    { config: { access: 'hardship:write' }, schema: { tags, summary: '入户核实记录', params: idParam, body: visitBody } },
    async (req) => hardship.visit(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/hardship/files/:id/county-review',
    { config: { access: 'hardship:approve' }, schema: { tags, summary: '县级审核（通过即进入公示）', params: idParam, body: countyReviewBody } },
    async (req) => hardship.countyReview(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/hardship/files/:id/objections',
    { config: { access: 'hardship:write' }, schema: { tags, summary: '登记公示异议（成立则退回重审）', params: idParam, body: objectionBody } },
    async (req) => hardship.objection(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/hardship/files/:id/establish',
    { config: { access: 'hardship:write' }, schema: { tags, summary: '公示期满，建档', params: idParam, body: establishBody } },
    async (req) => hardship.establish(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/hardship/files/:id/yearly-review',
    { config: { access: 'hardship:write' }, schema: { tags, summary: '年度复核（继续帮扶或解困脱困）', params: idParam, body: yearlyReviewBody } },
    async (req) => hardship.yearlyReview(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/hardship/files/:id/aid',
    { config: { access: 'aid:disburse' }, schema: { tags, summary: '登记对该户的帮扶资金发放', params: idParam, body: recordAidBody } },
    async (req) => hardship.recordAid(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/hardship/files/:id/pairings',
    { config: { access: 'hardship:write' }, schema: { tags, summary: '结对帮扶', params: idParam, body: pairingBody } },
    async (req) => hardship.addPairing(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/hardship/files/:id/pairings/:pairingId/visits',
    { config: { access: 'hardship:write' }, schema: { tags, summary: '结对走访记录', params: pairingParams, body: pairingVisitBody } },
    async (req) => hardship.addPairingVisit(staff(req), req.meta, req.params.id, req.params.pairingId, req.body),
  );
}
