import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { dateField, idField } from '../../platform/fields.js';
import type { App, StaffActor, WorkerActor } from '../../platform/context.js';
import { idParam, pageQuery } from '../../platform/pagination.js';
import { sendDownload, sendXlsx } from '../../platform/download.js';
import { XLSX_TYPE } from '../../platform/spreadsheet.js';
import { ATTACHMENT_LIMIT } from './applications.files.js';
import type { ApplicationsService } from './applications.service.js';
import {
  actionBody,
  listQuery,
  lotteryBody,
  queueQuery,
  batchApproveBody,
  resubmitBody,
  serviceTypeBody,
  serviceTypePatch,
  staffSubmitBody,
  submitBody,
  versionBody,
} from './applications.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const worker = (req: { actor: unknown }) => req.actor as WorkerActor;
const idString = idField();
const tags = ['applications'];

/** A file answer: inline, never sniffed by the browser, never cached. */
function sendFile(reply: FastifyReply, f: { data: Buffer; mime: string; name: string }) {
  const ext = f.mime.split('/')[1] === 'jpeg' ? 'jpg' : f.mime.split('/')[1];
  return sendDownload(reply, { body: f.data, contentType: f.mime, fileName: f.name, asciiName: `file.${ext}` }, 'inline');
}

export function applicationsRoutes(app: App, s: ApplicationsService) {
  // ---- catalogue (staff) ----
  app.get(
    '/api/service-types/dictionary',
    { config: { access: 'staff' }, schema: { tags, summary: '服务事项与申请的字典（状态、层级、字段类型…）' } },
    async () => s.dictionary(),
  );

  app.get(
    '/api/service-types',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: '服务事项目录（本级及下级所有、上级与全市内置）',
        querystring: z.strictObject({
          status: z.enum(['active', 'disabled']).optional(),
          q: z.string().trim().min(1).max(30).optional(),
          category: z.string().trim().min(1).max(20).optional(),
        }),
      },
    },
    async (req) => s.listTypes(staff(req), req.query),
  );

  app.get('/api/service-types/:id', { config: { access: 'staff' }, schema: { tags, summary: '服务事项定义', params: idParam } }, async (req) =>
    s.getType(staff(req), req.params.id),
  );

  app.post(
    '/api/service-types',
    { config: { access: 'service:manage' }, schema: { tags, summary: '新建服务事项（表单、附件、流程、资金）', body: serviceTypeBody } },
    async (req) => s.createType(staff(req), req.meta, req.body),
  );

  app.patch(
    '/api/service-types/:id',
    { config: { access: 'service:manage' }, schema: { tags, summary: '修改服务事项（不影响已提交的申请）', params: idParam, body: serviceTypePatch } },
    async (req) => s.updateType(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/service-types/:id/disable',
    { config: { access: 'service:manage' }, schema: { tags, summary: '停用服务事项', params: idParam, body: versionBody } },
    async (req) => s.setTypeStatus(staff(req), req.meta, req.params.id, 'disabled', req.body.version),
  );

  app.post(
    '/api/service-types/:id/enable',
    { config: { access: 'service:manage' }, schema: { tags, summary: '启用服务事项', params: idParam, body: versionBody } },
    async (req) => s.setTypeStatus(staff(req), req.meta, req.params.id, 'active', req.body.version),
  );

  // ---- worker (H5) ----
  app.get('/api/worker/services', { config: { access: 'worker' }, schema: { tags, summary: '可申请的服务' } }, async (req) => s.workerServices(worker(req)));

  app.get(
    '/api/worker/services/:idOrCode',
    {
      config: { access: 'worker' },
      schema: {
        tags,
        summary: '服务的申请表单（按编号或编码）',
        params: z.strictObject({ idOrCode: z.string().regex(/^[A-Za-z0-9_]{1,40}$/, '服务编号格式错误') }),
      },
    },
    async (req) => s.workerService(worker(req), req.params.idOrCode),
  );

  void app.register(async (scope) => {
    const sc = scope as App;
    // The raw file is the body, whatever Content-Type it claims (the bytes decide); a little over
    // the limit so the service answers in Chinese.
    sc.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_LIMIT + 1024 * 1024 }, (_req, body, done) => done(null, body));
    sc.post(
      '/api/worker/attachments',
      {
        config: { access: 'worker', rateLimit: { max: 60, timeWindow: 60_000 } },
        schema: {
          tags,
          summary: '上传申请附件（原始文件作请求体；JPG/PNG/PDF，按文件内容识别，≤ 10 MB）',
          querystring: z.strictObject({ name: z.string().max(200, '文件名过长').optional() }),
        },
      },
      async (req) => s.upload(worker(req), req.meta, req.body as Buffer | undefined, req.query.name),
    );
    sc.post(
      '/api/applications/attachments',
      {
        config: { access: 'application:handle', rateLimit: { max: 60, timeWindow: 60_000 } },
        schema: {
          tags,
          summary: '代为申请：工作人员上传附件（原始文件作请求体；JPG/PNG/PDF，按文件内容识别，≤ 10 MB）',
          querystring: z.strictObject({ name: z.string().max(200, '文件名过长').optional() }),
        },
      },
      async (req) => s.upload(staff(req), req.meta, req.body as Buffer | undefined, req.query.name),
    );
  });

  app.get(
    '/api/worker/attachments/:id',
    { config: { access: 'worker' }, schema: { tags, summary: '查看自己上传的附件', params: idParam } },
    async (req, reply) => sendFile(reply, await s.workerAttachment(worker(req), req.params.id)),
  );

  app.post(
    '/api/worker/applications',
    { config: { access: 'worker', rateLimit: { max: 30, timeWindow: 60_000 } }, schema: { tags, summary: '提交服务申请（带幂等键）', body: submitBody } },
    async (req) => s.submit(worker(req), req.meta, req.body),
  );

  app.get('/api/worker/applications', { config: { access: 'worker' }, schema: { tags, summary: '我的服务申请' } }, async (req) => s.mine(worker(req)));

  app.get('/api/worker/applications/:id', { config: { access: 'worker' }, schema: { tags, summary: '我的申请详情与进度', params: idParam } }, async (req) =>
    s.workerGet(worker(req), req.params.id),
  );

  app.post(
    '/api/worker/applications/:id/resubmit',
    { config: { access: 'worker' }, schema: { tags, summary: '补正后重新提交（从退回的环节继续）', params: idParam, body: resubmitBody } },
    async (req) => s.resubmit(worker(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/worker/applications/:id/withdraw',
    { config: { access: 'worker' }, schema: { tags, summary: '撤回申请（首次审核前）', params: idParam, body: versionBody } },
    async (req) => s.withdraw(worker(req), req.meta, req.params.id, req.body.version),
  );

  // ---- staff ----
  app.get(
    '/api/applications/queue',
    {
      config: { access: 'application:handle' },
      schema: { tags, summary: '待我处理（按办理期限，超期在前）', querystring: z.strictObject({ ...queueQuery, ...pageQuery }) },
    },
    async (req) => s.queue(staff(req), req.query),
  );

  app.post(
    '/api/applications/batch-approve',
    {
      config: { access: 'application:handle' },
      schema: { tags, summary: '批量通过（逐件办理、逐件结果；需逐件核定金额或抽签的环节不能批量）', body: batchApproveBody },
    },
    async (req) => s.batchApprove(staff(req), req.meta, req.body),
  );

  app.get(
    '/api/applications',
    { config: { access: 'application:read' }, schema: { tags, summary: '服务申请查询', querystring: z.strictObject({ ...listQuery, ...pageQuery }) } },
    async (req) => s.list(staff(req), req.query),
  );

  app.post(
    '/api/applications',
    {
      config: { access: 'application:handle' },
      schema: { tags, summary: '代为申请：为本级及下级的会员录入申请（带幂等键）', body: staffSubmitBody },
    },
    async (req) => s.staffSubmit(staff(req), req.meta, req.body),
  );

  app.get(
    '/api/applications/export',
    { config: { access: 'application:export' }, schema: { tags, summary: '导出服务申请（.xlsx，脱敏）', querystring: z.strictObject(listQuery) } },
    async (req, reply) => {
      const out = await s.export(staff(req), req.meta, req.query);
      return sendXlsx(reply, out);
    },
  );

  app.get(
    '/api/applications/:id',
    { config: { access: 'application:read' }, schema: { tags, summary: '申请详情（申请人脱敏）、时间线与可做的操作', params: idParam } },
    async (req) => s.get(staff(req), req.params.id),
  );

  app.get(
    '/api/applications/:id/attachments/:attachmentId',
    {
      config: { access: 'application:read' },
      schema: { tags, summary: '查看申请附件', params: z.strictObject({ id: idString, attachmentId: idString }) },
    },
    async (req, reply) => sendFile(reply, await s.staffAttachment(staff(req), req.params.id, req.params.attachmentId)),
  );

  app.post(
    '/api/applications/:id/actions',
    {
      config: { access: 'application:handle' },
      schema: { tags, summary: '办理：通过 / 退回补正 / 不予通过 / 转办（带版本号）', params: idParam, body: actionBody },
    },
    async (req) => s.act(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/lottery-draws',
    { config: { access: 'application:handle' }, schema: { tags, summary: '抽签（种子公开，可复核）', body: lotteryBody } },
    async (req) => s.draw(staff(req), req.meta, req.body),
  );

  app.get(
    '/api/lottery-draws',
    { config: { access: 'application:read' }, schema: { tags, summary: '抽签记录', querystring: z.strictObject({ serviceTypeId: idString.optional() }) } },
    async (req) => s.listDraws(staff(req), req.query),
  );

  app.get('/api/lottery-draws/:id', { config: { access: 'application:read' }, schema: { tags, summary: '抽签记录详情', params: idParam } }, async (req) =>
    s.getDraw(staff(req), req.params.id),
  );

  app.get(
    '/api/orgs/:id/application-figures',
    {
      config: { access: 'application:read' },
      schema: {
        tags,
        summary: '组织（含下级）的服务申请统计：按事项与状态、各环节办理时长中位数、超期数',
        params: idParam,
        querystring: z.strictObject({
          from: dateField().optional(),
          to: dateField().optional(),
        }),
      },
    },
    async (req) => s.figures(staff(req), req.params.id, req.query),
  );
}
