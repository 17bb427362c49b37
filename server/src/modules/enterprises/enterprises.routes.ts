import type { App, StaffActor } from '../../platform/context.js';
import { sendDownload } from '../../platform/download.js';
import { idParam } from '../../platform/pagination.js';
import { SPREADSHEET_UPLOAD_LIMIT, XLSX_TYPE } from '../../platform/spreadsheet.js';
import { fileUploadScope } from '../../platform/upload.js';
import type { EnterpriseImport } from './enterprises.import.js';
import type { EnterprisesService } from './enterprises.service.js';
import type { FoundingService } from './enterprises.founding.js';
import {
  approvalBody,
  congressBody,
  createEnterpriseBody,
  disclosureBody,
  electionBody,
  enterprisesQuery,
  foundingsQuery,
  importQuery,
  jobsQuery,
  legalBody,
  startFoundingBody,
  systemsBody,
  updateEnterpriseBody,
} from './enterprises.schema.js';
import { z } from 'zod';
import { versionField } from '../../platform/fields.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['enterprises'];

export function enterprisesRoutes(app: App, s: { enterprises: EnterprisesService; founding: FoundingService; imports: EnterpriseImport }) {
  const { enterprises, founding, imports } = s;
  app.get('/api/enterprises/dictionary', { config: { access: 'staff' }, schema: { tags, summary: '企业名录字典（所有制、行业门类、规模、职务）' } }, async () =>
    enterprises.dictionary(),
  );
  app.get(
    '/api/enterprises',
    { config: { access: 'enterprise:read' }, schema: { tags, summary: '企业名录（本级及下级；未建会名单；覆盖率明细）', querystring: enterprisesQuery } },
    async (req) => enterprises.list(staff(req), req.query),
  );
  app.post(
    '/api/enterprises',
    { config: { access: 'enterprise:write' }, schema: { tags, summary: '登记企业（统一社会信用代码校验）', body: createEnterpriseBody } },
    async (req) => enterprises.create(staff(req), req.meta, req.body),
  );
  app.get(
    '/api/enterprises/import/template',
    { config: { access: 'enterprise:write' }, schema: { tags, summary: '企业名录导入模板（.xlsx）' } },
    async (_req, reply) => {
      const t = await imports.template();
      return sendDownload(reply, { ...t, contentType: XLSX_TYPE, asciiName: 'enterprise-import-template.xlsx' });
    },
  );
  fileUploadScope(app, (upload) => {
    upload.post(
      '/api/enterprises/import',
      {
        config: { access: 'enterprise:write' },
        bodyLimit: SPREADSHEET_UPLOAD_LIMIT,
        schema: {
          tags,
          summary: '上传企业名录（.xlsx / .csv，请求体为文件内容），后台导入；按统一社会信用代码匹配，重复导入不重复登记',
          querystring: importQuery,
        },
      },
      async (req) => imports.start(staff(req), req.meta, req.query, req.body),
    );
  });
  app.get(
    '/api/enterprise-import-jobs',
    { config: { access: 'enterprise:write' }, schema: { tags, summary: '企业导入任务', querystring: jobsQuery } },
    async (req) => imports.list(staff(req), req.query),
  );
  app.get(
    '/api/enterprise-import-jobs/:id',
    { config: { access: 'enterprise:write' }, schema: { tags, summary: '企业导入任务进度与结果', params: idParam } },
    async (req) => imports.get(staff(req), req.params.id),
  );
  app.get(
    '/api/enterprise-import-jobs/:id/errors.xlsx',
    { config: { access: 'enterprise:write' }, schema: { tags, summary: '下载企业导入错误行', params: idParam } },
    async (req, reply) => {
      const r = await imports.errorReport(staff(req), req.params.id);
      return sendDownload(reply, { ...r, contentType: XLSX_TYPE, asciiName: `enterprise-import-${req.params.id}-errors.xlsx` });
    },
  );
  app.get(
    '/api/enterprises/:id',
    { config: { access: 'enterprise:read' }, schema: { tags, summary: '企业详情（建会、工会委员、职代会、厂务公开）', params: idParam } },
    async (req) => enterprises.get(staff(req), req.params.id),
  );
  app.patch(
    '/api/enterprises/:id',
    { config: { access: 'enterprise:write' }, schema: { tags, summary: '修改企业信息或覆盖工会', params: idParam, body: updateEnterpriseBody } },
    async (req) => enterprises.update(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/enterprises/:id/congress-sessions',
    { config: { access: 'enterprise:write' }, schema: { tags, summary: '登记职代会（职工大会）', params: idParam, body: congressBody } },
    async (req) => enterprises.addCongress(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/enterprises/:id/systems',
    { config: { access: 'enterprise:write' }, schema: { tags, summary: '职代会、厂务公开制度建制情况', params: idParam, body: systemsBody } },
    async (req) => enterprises.setSystems(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/enterprises/:id/disclosures',
    { config: { access: 'enterprise:write' }, schema: { tags, summary: '登记厂务公开事项', params: idParam, body: disclosureBody } },
    async (req) => enterprises.addDisclosure(staff(req), req.meta, req.params.id, req.body),
  );

  // ---- 建会 ----
  app.post(
    '/api/enterprises/:id/foundings',
    {
      config: { access: 'enterprise:write' },
      schema: { tags, summary: '启动建会（筹备，指定筹备负责人与上级工会）', params: idParam, body: startFoundingBody },
    },
    async (req) => founding.start(staff(req), req.meta, req.params.id, req.body),
  );
  app.get(
    '/api/foundings',
    { config: { access: 'enterprise:read' }, schema: { tags, summary: '建会进程（可筛选逾期）', querystring: foundingsQuery } },
    async (req) => founding.list(staff(req), req.query),
  );
  app.get('/api/foundings/:id', { config: { access: 'enterprise:read' }, schema: { tags, summary: '建会进程详情', params: idParam } }, async (req) =>
    founding.get(staff(req), req.params.id),
  );
  app.post(
    '/api/foundings/:id/election',
    { config: { access: 'enterprise:write' }, schema: { tags, summary: '登记会员（代表）大会选举结果与任期', params: idParam, body: electionBody } },
    async (req) => founding.elect(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/foundings/:id/approval',
    { config: { access: 'enterprise:approve' }, schema: { tags, summary: '上级批复：建立基层工会组织并关联企业', params: idParam, body: approvalBody } },
    async (req) => founding.approve(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/foundings/:id/legal-registration',
    { config: { access: 'enterprise:write' }, schema: { tags, summary: '登记工会法人资格（批复后 60 日内）', params: idParam, body: legalBody } },
    async (req) => founding.registerLegal(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/foundings/:id/cancel',
    { config: { access: 'enterprise:write' }, schema: { tags, summary: '终止建会进程', params: idParam, body: z.strictObject({ version: versionField() }) } },
    async (req) => founding.cancel(staff(req), req.meta, req.params.id, req.body),
  );
}
