// 法治体检 routes: the city-wide checklist template and check-ups (access → schema → one service call).
import { z } from 'zod';
import type { App, StaffActor } from '../../platform/context.js';
import { sendDownload } from '../../platform/download.js';
import { idParam } from '../../platform/pagination.js';
import type { RightsService } from './rights.service.js';
import {
  checkupBody,
  checkupItemBody,
  checkupItemPatch,
  checkupsQuery,
  closeCheckupBody,
  findingsBody,
  followUpBody,
  rectificationDoneBody,
  rectificationParams,
} from './rights.checkups.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['rights'];
const READ = { access: 'rights:read' } as const;
const WRITE = { access: 'rights:write' } as const;
const MANAGE = { access: 'rights:manage' } as const;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function rightsCheckupRoutes(app: App, s: RightsService) {
  app.get(
    '/api/rights/checkup-items',
    { config: READ, schema: { tags, summary: '法治体检清单（全市统一）', querystring: z.strictObject({ all: z.enum(['1']).optional() }) } },
    async (req) => s.checkups.items(req.query.all === '1'),
  );
  app.post('/api/rights/checkup-items', { config: MANAGE, schema: { tags, summary: '增加体检项目（市总工会）', body: checkupItemBody } }, async (req) =>
    s.checkups.addItem(staff(req), req.meta, req.body),
  );
  app.patch(
    '/api/rights/checkup-items/:id',
    { config: MANAGE, schema: { tags, summary: '修改、停用体检项目（市总工会）', params: idParam, body: checkupItemPatch } },
    async (req) => s.checkups.editItem(staff(req), req.meta, req.params.id, req.body),
  );

  app.get('/api/rights/checkups', { config: READ, schema: { tags, summary: '法治体检', querystring: checkupsQuery } }, async (req) =>
    s.checkups.list(staff(req), req.query),
  );
  app.post('/api/rights/checkups', { config: WRITE, schema: { tags, summary: '开展法治体检', body: checkupBody } }, async (req) =>
    s.checkups.create(staff(req), req.meta, req.body),
  );
  app.get('/api/rights/checkups/:id', { config: READ, schema: { tags, summary: '法治体检详情与报告预览', params: idParam } }, async (req) =>
    s.checkups.get(staff(req), req.params.id),
  );
  app.post(
    '/api/rights/checkups/:id/findings',
    { config: WRITE, schema: { tags, summary: '录入体检结果、风险等级与整改清单', params: idParam, body: findingsBody } },
    async (req) => s.checkups.recordFindings(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/rights/checkups/:id/rectifications/:rectificationId/done',
    { config: WRITE, schema: { tags, summary: '整改事项完成', params: rectificationParams, body: rectificationDoneBody } },
    async (req) => s.checkups.finishRectification(staff(req), req.meta, req.params.id, req.params.rectificationId, req.body),
  );
  app.post('/api/rights/checkups/:id/follow-up', { config: WRITE, schema: { tags, summary: '整改跟进', params: idParam, body: followUpBody } }, async (req) =>
    s.checkups.followUp(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/rights/checkups/:id/close',
    { config: WRITE, schema: { tags, summary: '法治体检办结', params: idParam, body: closeCheckupBody } },
    async (req) => s.checkups.close(staff(req), req.meta, req.params.id, req.body),
  );
  app.get('/api/rights/checkups/:id/report.docx', { config: READ, schema: { tags, summary: '法治体检报告（.docx）', params: idParam } }, async (req, reply) => {
    const f = await s.checkups.reportDocx(staff(req), req.meta, req.params.id);
    return sendDownload(reply, { body: f.body, contentType: DOCX, fileName: f.fileName, asciiName: f.asciiName });
  });
}
