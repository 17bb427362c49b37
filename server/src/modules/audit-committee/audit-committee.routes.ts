// 经费审查 routes (access → schema → one service call).
import { z } from 'zod';
import type { App, StaffActor } from '../../platform/context.js';
import { sendDownload } from '../../platform/download.js';
import { idParam } from '../../platform/pagination.js';
import { idField } from '../../platform/fields.js';
import { closeTaskBody, evidenceBody, findingBody, interviewBody, projectBody, projectsQuery, taskParams, tasksQuery } from './audit-committee.schema.js';
import type { AuditCommitteeService } from './audit-committee.service.js';
import type { AuditPapers } from './audit-committee.papers.js';
import { ATTACHMENT_LIMIT } from '../applications/applications.files.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['audit-committee'];
const READ = { access: 'auditcommittee:read' } as const;
const MANAGE = { access: 'auditcommittee:manage' } as const;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const paperParams = z.strictObject({ id: idField(), paperId: idField() });
const paperQuery = z.strictObject({
  fileName: z.string().trim().min(1).max(200).optional(),
  title: z.string().trim().max(100, '底稿名称最多 100 个字').optional(),
});
const rawBody = (b: unknown) => (Buffer.isBuffer(b) ? b : typeof b === 'string' ? Buffer.from(b) : undefined);

export function auditCommitteeRoutes(app: App, s: AuditCommitteeService, papers: AuditPapers) {
  app.get('/api/audit-committee/projects', { config: READ, schema: { tags, summary: '经费审查项目', querystring: projectsQuery } }, async (req) => s.list(staff(req), req.query));
  app.post('/api/audit-committee/projects', { config: MANAGE, schema: { tags, summary: '审计立项', body: projectBody } }, async (req) => s.create(staff(req), req.meta, req.body));
  app.get('/api/audit-committee/projects/:id', { config: READ, schema: { tags, summary: '审计项目、问题与整改四联清单', params: idParam } }, async (req) =>
    s.get(staff(req), req.params.id),
  );
  app.post(
    '/api/audit-committee/projects/:id/findings',
    { config: MANAGE, schema: { tags, summary: '记录审计问题及整改任务', params: idParam, body: findingBody } },
    async (req) => s.addFinding(staff(req), req.meta, req.params.id, req.body),
  );
  app.get('/api/audit-committee/projects/:id/report.docx', { config: READ, schema: { tags, summary: '经费审查报告（.docx）', params: idParam } }, async (req, reply) => {
    const f = await s.reportDocx(staff(req), req.meta, req.params.id);
    return sendDownload(reply, { body: f.body, contentType: DOCX, fileName: f.fileName, asciiName: f.asciiName });
  });
  app.get('/api/audit-committee/tasks', { config: READ, schema: { tags, summary: '整改台账', querystring: tasksQuery } }, async (req) => s.tasks(staff(req), req.query));
  // The audited union's fund officers submit their evidence too.
  app.post(
    '/api/audit-committee/tasks/:id/evidence',
    { config: { access: ['auditcommittee:manage', 'funds:manage'] }, schema: { tags, summary: '提交整改情况与佐证', params: taskParams, body: evidenceBody } },
    async (req) => s.submitEvidence(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/audit-committee/tasks/:id/interviews',
    { config: MANAGE, schema: { tags, summary: '登记约谈（逾期整改任务）', params: taskParams, body: interviewBody } },
    async (req) => s.interview(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/audit-committee/tasks/:id/close',
    { config: MANAGE, schema: { tags, summary: '经审委员会确认销号', params: taskParams, body: closeTaskBody } },
    async (req) => s.close(staff(req), req.meta, req.params.id, req.body),
  );
  app.get(
    '/api/audit-committee/figures',
    { config: READ, schema: { tags, summary: '经费审查统计：项目、问题分类、金额、整改率、逾期', querystring: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() }) } },
    async (req) => s.figures(staff(req), req.query),
  );
  // ---- working papers (底稿) ----
  app.get('/api/audit-committee/projects/:id/papers', { config: READ, schema: { tags, summary: '审计工作底稿', params: idParam } }, async (req) =>
    papers.list(staff(req), req.params.id),
  );
  app.get('/api/audit-committee/projects/:id/papers/:paperId', { config: READ, schema: { tags, summary: '查看工作底稿（留痕）', params: paperParams } }, async (req, reply) => {
    const f = await papers.read(staff(req), req.meta, req.params.id, req.params.paperId);
    return sendDownload(reply, { body: f.body, contentType: f.contentType, fileName: f.fileName, asciiName: 'working-paper' }, 'inline');
  });
  void app.register(async (scope) => {
    const sc = scope as App;
    sc.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_LIMIT + 1024 * 1024 }, (_req, body, done) => done(null, body));
    sc.post(
      '/api/audit-committee/projects/:id/papers',
      { config: MANAGE, schema: { tags, summary: '上传工作底稿（原始文件作请求体；JPG/PNG/PDF，≤ 10 MB）', params: idParam, querystring: paperQuery } },
      async (req) => papers.upload(staff(req), req.meta, req.params.id, rawBody(req.body), req.query),
    );
  });
}
