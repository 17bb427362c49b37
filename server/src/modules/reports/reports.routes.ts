import type { App, StaffActor } from '../../platform/context.js';
import { sendDownload, sendXlsx } from '../../platform/download.js';
import { highlightsBody, reportQuery } from './reports.schema.js';
import type { ReportsService } from './reports.service.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['reports'];

// Figures only (no personal data): read with stats:read; the highlights are written with stats:report.
export function reportsRoutes(app: App, s: ReportsService) {
  app.get(
    '/api/reports/yearly',
    { config: { access: 'stats:read' }, schema: { tags, summary: '统计年报预览：各表（合计、本级、直属下级）与年度概况', querystring: reportQuery } },
    async (req) => s.preview(staff(req), req.query),
  );
  app.get(
    '/api/reports/yearly.xlsx',
    { config: { access: 'stats:read' }, schema: { tags, summary: '下载工会统计年报（xlsx，按纸质报表版式，留痕）', querystring: reportQuery } },
    async (req, reply) => sendXlsx(reply, await s.yearlyReturn(staff(req), req.meta, req.query)),
  );
  app.get(
    '/api/reports/annual.docx',
    { config: { access: 'stats:read' }, schema: { tags, summary: '下载年度工作报告（docx，公文格式，含图表与年度亮点，留痕）', querystring: reportQuery } },
    async (req, reply) => {
      const f = await s.annualReport(staff(req), req.meta, req.query);
      return sendDownload(reply, { body: f.buffer, contentType: f.contentType, fileName: f.fileName, asciiName: f.asciiName });
    },
  );
  app.get(
    '/api/reports/highlights',
    { config: { access: 'stats:read' }, schema: { tags, summary: '本年度工作亮点（年度工作报告用）', querystring: reportQuery } },
    async (req) => s.highlights(staff(req), req.query),
  );
  app.put(
    '/api/reports/highlights',
    { config: { access: 'stats:report' }, schema: { tags, summary: '保存年度工作亮点（按版本号防覆盖）', body: highlightsBody } },
    async (req) => s.saveHighlights(staff(req), req.meta, req.body),
  );
}
