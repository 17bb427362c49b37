import { sendDownload } from '../../platform/download.js';
import { fileUploadScope } from '../../platform/upload.js';
import { SPREADSHEET_UPLOAD_LIMIT, XLSX_TYPE } from '../../platform/spreadsheet.js';
import type { App, StaffActor } from '../../platform/context.js';
import { idParam } from '../../platform/pagination.js';
import type { ImportsService } from './imports.service.js';
import { importJobDto, jobsQuery, templateQuery, uploadQuery } from './imports.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
export const UPLOAD_LIMIT = SPREADSHEET_UPLOAD_LIMIT;

/** RFC 5987 filename for a Chinese file name, with an ASCII fallback. */
export function importsRoutes(app: App, imports: ImportsService) {
  app.get(
    '/api/members/import/template',
    { config: { access: 'member:import' }, schema: { tags: ['imports'], summary: '会员导入模板（xlsx 含填写说明，或 csv）', querystring: templateQuery } },
    async (req, reply) => {
      const t = await imports.template(req.query.format);
      return sendDownload(reply, { ...t, asciiName: `member-import-template.${req.query.format}` });
    },
  );

  // The file is the raw request body; only this route accepts application/octet-stream, up to 20 MB.
  fileUploadScope(app, (upload) => {
    upload.post(
      '/api/members/import',
      {
        config: { access: 'member:import' },
        bodyLimit: UPLOAD_LIMIT,
        schema: {
          tags: ['imports'],
          summary: '上传会员名单（.xlsx / .csv，请求体为文件内容，content-type: application/octet-stream），后台导入',
          querystring: uploadQuery,
        },
      },
      async (req) => imports.start(staff(req), req.meta, req.query, req.body),
    );
  });

  app.get(
    '/api/import-jobs',
    { config: { access: 'member:import' }, schema: { tags: ['imports'], summary: '导入任务列表', querystring: jobsQuery } },
    async (req) => imports.list(staff(req), req.query),
  );

  app.get(
    '/api/import-jobs/:id',
    { config: { access: 'member:import' }, schema: { tags: ['imports'], summary: '导入任务进度与结果', params: idParam, response: { 200: importJobDto } } },
    async (req) => imports.get(staff(req), req.params.id),
  );

  app.get(
    '/api/import-jobs/:id/errors.xlsx',
    { config: { access: 'member:import' }, schema: { tags: ['imports'], summary: '下载错误行（原列 + 错误原因；含完整证件号，留痕）', params: idParam } },
    async (req, reply) => {
      const r = await imports.errorReport(staff(req), req.meta, req.params.id);
      return sendDownload(reply, { body: r.body, contentType: XLSX_TYPE, fileName: r.fileName, asciiName: `import-${req.params.id}-errors.xlsx` });
    },
  );
}
