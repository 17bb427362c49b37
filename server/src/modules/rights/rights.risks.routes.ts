// 信息员 and risk report routes: the registry and the handling in the console; the informant's H5
// (state, photo upload, report). Access → schema → one service call.
import type { App, StaffActor, WorkerActor } from '../../platform/context.js';
import { sendDownload } from '../../platform/download.js';
import { ATTACHMENT_LIMIT } from '../applications/applications.files.js';
import { idParam } from '../../platform/pagination.js';
import type { RightsService } from './rights.service.js';
import {
  gradeBody,
  informantBody,
  informantPatch,
  informantsQuery,
  photoParams,
  photoQuery,
  riskCloseBody,
  riskReportBody,
  risksQuery,
  riskTicketBody,
} from './rights.risks.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const worker = (req: { actor: unknown }) => req.actor as WorkerActor;
const tags = ['rights'];
const READ = { access: 'rights:read' } as const;
const WRITE = { access: 'rights:write' } as const;
const MANAGE = { access: 'rights:manage' } as const;

export function rightsRiskRoutes(app: App, s: RightsService) {
  // ---------- 信息员 ----------
  app.get('/api/rights/informants', { config: READ, schema: { tags, summary: '信息员（本级及下级）', querystring: informantsQuery } }, async (req) =>
    s.informants.list(staff(req), req.query),
  );
  app.post('/api/rights/informants', { config: MANAGE, schema: { tags, summary: '登记信息员（在册会员）', body: informantBody } }, async (req) =>
    s.informants.add(staff(req), req.meta, req.body),
  );
  app.patch(
    '/api/rights/informants/:id',
    { config: MANAGE, schema: { tags, summary: '修改信息员、停用', params: idParam, body: informantPatch } },
    async (req) => s.informants.edit(staff(req), req.meta, req.params.id, req.body),
  );

  // ---------- risk reports ----------
  app.get('/api/rights/risks', { config: READ, schema: { tags, summary: '劳动关系风险报告', querystring: risksQuery } }, async (req) =>
    s.risks.list(staff(req), req.query),
  );
  app.get('/api/rights/risks/:id', { config: READ, schema: { tags, summary: '风险报告详情（留痕）', params: idParam } }, async (req) =>
    s.risks.get(staff(req), req.meta, req.params.id),
  );
  app.get('/api/rights/risks/:id/photos/:photoId', { config: READ, schema: { tags, summary: '风险报告照片', params: photoParams } }, async (req, reply) => {
    const f = await s.risks.photo(staff(req), req.params.id, req.params.photoId);
    return sendDownload(reply, { body: f.data, contentType: f.mime, fileName: f.name, asciiName: `photo.${f.mime === 'image/png' ? 'png' : 'jpg'}` }, 'inline');
  });
  app.post(
    '/api/rights/risks/:id/grade',
    { config: WRITE, schema: { tags, summary: '研判定级（重大风险即时报告县级、市总工会）', params: idParam, body: gradeBody } },
    async (req) => s.risks.grade(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/rights/risks/:id/ticket',
    { config: WRITE, schema: { tags, summary: '转诉求工单（再派单）', params: idParam, body: riskTicketBody } },
    async (req) => s.risks.toTicket(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/rights/risks/:id/close', { config: WRITE, schema: { tags, summary: '风险报告办结', params: idParam, body: riskCloseBody } }, async (req) =>
    s.risks.close(staff(req), req.meta, req.params.id, req.body),
  );

  // ---------- the informant's H5 ----------
  app.get('/api/worker/rights/risks', { config: { access: 'worker' }, schema: { tags, summary: '信息员身份与我报告的风险' } }, async (req) =>
    s.risks.workerState(worker(req)),
  );
  app.post(
    '/api/worker/rights/risks',
    {
      config: { access: 'worker', rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: { tags, summary: '报告劳动关系风险（信息员，带幂等键）', body: riskReportBody },
    },
    async (req) => s.risks.report(worker(req), req.meta, req.body),
  );
  void app.register(async (scope) => {
    const sc = scope as App;
    // The raw photo is the body whatever Content-Type it claims (the bytes decide).
    sc.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_LIMIT + 1024 * 1024 }, (_req, body, done) => done(null, body));
    sc.post(
      '/api/worker/rights/risk-photos',
      {
        config: { access: 'worker', rateLimit: { max: 30, timeWindow: 60_000 } },
        schema: { tags, summary: '上传风险照片（信息员；原始文件作请求体；JPG/PNG，≤ 10 MB）', querystring: photoQuery },
      },
      async (req) => s.risks.uploadPhoto(worker(req), req.meta, req.body as Buffer | undefined, req.query.name),
    );
  });
}
