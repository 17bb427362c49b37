// 工会经费 routes (access → schema → one service call). funds:read for every read (the 经审委员会
// holds it: it reads the funds of the unions it audits), funds:manage for every write.
import type { App, StaffActor } from '../../platform/context.js';
import { sendDownload, sendXlsx } from '../../platform/download.js';
import { idParam } from '../../platform/pagination.js';
import { SPREADSHEET_UPLOAD_LIMIT, XLSX_TYPE } from '../../platform/spreadsheet.js';
import { fileUploadScope } from '../../platform/upload.js';
import { ATTACHMENT_LIMIT } from '../applications/applications.files.js';
import type { FundsBudgets } from './funds.budgets.js';
import type { StatementImport } from './funds.import.js';
import {
  allocationBody,
  allocationsQuery,
  budgetBody,
  duesExemptionBody,
  duesQuery,
  duesRecordBody,
  duesSettingsBody,
  budgetQuery,
  importQuery,
  jobsQuery,
  ledgerQuery,
  rateBody,
  ratiosBody,
  receiptBody,
  receiptsQuery,
  receivableBody,
  receivablesQuery,
  reductionBody,
  spendingBody,
  spendingQuery,
  voucherParams,
  voucherQuery,
} from './funds.schema.js';
import type { FundsService } from './funds.service.js';
import type { FundsDues } from './funds.dues.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const rawBody = (b: unknown) => (Buffer.isBuffer(b) ? b : typeof b === 'string' ? Buffer.from(b) : undefined);
const tags = ['funds'];
const READ = { access: 'funds:read' } as const;
const MANAGE = { access: 'funds:manage' } as const;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function fundsRoutes(app: App, s: { funds: FundsService; imports: StatementImport; budgets: FundsBudgets; dues: FundsDues }) {
  const { funds, imports, budgets, dues } = s;
  // ---- settings ----
  app.get('/api/funds/settings', { config: READ, schema: { tags, summary: '拨缴比例与分成比例（本地区）' } }, async (req) => funds.settings(staff(req)));
  app.post('/api/funds/rates', { config: MANAGE, schema: { tags, summary: '设置拨缴比例（地区、生效日期）', body: rateBody } }, async (req) =>
    funds.setRate(staff(req), req.meta, req.body),
  );
  app.post('/api/funds/ratios', { config: MANAGE, schema: { tags, summary: '设置各级分成比例（地区、年度）', body: ratiosBody } }, async (req) =>
    funds.setRatios(staff(req), req.meta, req.body),
  );

  // ---- receivables ----
  app.get('/api/funds/receivables', { config: READ, schema: { tags, summary: '应收与欠缴（按企业、月份）', querystring: receivablesQuery } }, async (req) =>
    funds.receivables(staff(req), req.query),
  );
  app.post('/api/funds/receivables', { config: MANAGE, schema: { tags, summary: '登记应收（计缴工资总额 × 拨缴比例）', body: receivableBody } }, async (req) =>
    funds.createReceivable(staff(req), req.meta, req.body),
  );
  app.get('/api/funds/receivables/:id', { config: READ, schema: { tags, summary: '应收记录', params: idParam } }, async (req) => funds.receivable(staff(req), req.params.id));
  app.post(
    '/api/funds/receivables/:id/reduction',
    { config: MANAGE, schema: { tags, summary: '减免（原因与批准）', params: idParam, body: reductionBody } },
    async (req) => funds.reduce(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/funds/receivables/:id/remind', { config: MANAGE, schema: { tags, summary: '催缴：站内消息通知企业工会', params: idParam } }, async (req) =>
    funds.remind(staff(req), req.meta, req.params.id),
  );
  app.get('/api/funds/receivables/:id/notice.docx', { config: MANAGE, schema: { tags, summary: '工会经费催缴通知书（.docx）', params: idParam } }, async (req, reply) => {
    const f = await funds.noticeDocx(staff(req), req.meta, req.params.id);
    return sendDownload(reply, { body: f.body, contentType: DOCX, fileName: f.fileName, asciiName: f.asciiName });
  });

  // ---- receipts and the statement import ----
  app.get('/api/funds/receipts', { config: READ, schema: { tags, summary: '到账记录与各级分成', querystring: receiptsQuery } }, async (req) =>
    funds.receipts(staff(req), req.query),
  );
  app.post('/api/funds/receipts', { config: MANAGE, schema: { tags, summary: '登记到账（银行、返还）', body: receiptBody } }, async (req) =>
    funds.createReceipt(staff(req), req.meta, req.body),
  );
  app.get('/api/funds/import/template', { config: MANAGE, schema: { tags, summary: '税务代收对账单模板（.xlsx）' } }, async (_req, reply) => {
    const t = await imports.template();
    return sendDownload(reply, { ...t, contentType: XLSX_TYPE, asciiName: 'funds-statement-template.xlsx' });
  });
  fileUploadScope(app, (upload) => {
    upload.post(
      '/api/funds/import',
      {
        config: MANAGE,
        bodyLimit: SPREADSHEET_UPLOAD_LIMIT,
        schema: { tags, summary: '上传税务代收对账单（.xlsx / .csv，请求体为文件内容），按统一社会信用代码匹配；同一税票号不重复入账', querystring: importQuery },
      },
      async (req) => imports.start(staff(req), req.meta, req.query, req.body),
    );
  });
  app.get('/api/funds/import-jobs', { config: MANAGE, schema: { tags, summary: '对账单导入任务', querystring: jobsQuery } }, async (req) => imports.list(staff(req), req.query));
  app.get('/api/funds/import-jobs/:id', { config: MANAGE, schema: { tags, summary: '对账单导入任务进度与结果', params: idParam } }, async (req) =>
    imports.get(staff(req), req.params.id),
  );
  app.get('/api/funds/import-jobs/:id/errors.xlsx', { config: MANAGE, schema: { tags, summary: '对账单导入错误行（.xlsx）', params: idParam } }, async (req, reply) => {
    const r = await imports.errorReport(staff(req), req.params.id);
    return sendXlsx(reply, { buffer: r.body, fileName: r.fileName, asciiName: `funds-import-errors-${req.params.id}.xlsx` });
  });

  // ---- the ledger and 下拨 ----
  app.get('/api/funds/ledger', { config: READ, schema: { tags, summary: '经费台账：收缴、本级分成、应上解、下级留成、下拨', querystring: ledgerQuery } }, async (req) =>
    funds.ledger(staff(req), req.query),
  );
  app.get('/api/funds/allocations', { config: READ, schema: { tags, summary: '下拨记录', querystring: allocationsQuery } }, async (req) =>
    funds.allocations(staff(req), req.query),
  );
  app.post('/api/funds/allocations', { config: MANAGE, schema: { tags, summary: '向下级工会下拨经费', body: allocationBody } }, async (req) =>
    funds.allocate(staff(req), req.meta, req.body),
  );

  // ---- budgets and spending ----
  app.get('/api/funds/budgets', { config: READ, schema: { tags, summary: '预算执行：各类别预算与实际支出', querystring: budgetQuery } }, async (req) =>
    budgets.budgetVsActual(staff(req), req.query),
  );
  app.post('/api/funds/budgets', { config: MANAGE, schema: { tags, summary: '编制或调整某类别的年度预算', body: budgetBody } }, async (req) =>
    budgets.setBudget(staff(req), req.meta, req.body),
  );
  app.get('/api/funds/final-accounts.xlsx', { config: READ, schema: { tags, summary: '年度经费决算表（.xlsx）', querystring: budgetQuery } }, async (req, reply) => {
    const r = await budgets.finalAccountsXlsx(staff(req), req.meta, req.query);
    return sendXlsx(reply, { buffer: r.body, fileName: r.fileName, asciiName: `final-accounts-${req.query.year}.xlsx` });
  });
  app.get('/api/funds/spending', { config: READ, schema: { tags, summary: '支出明细', querystring: spendingQuery } }, async (req) => budgets.spending(staff(req), req.query));
  app.post('/api/funds/spending', { config: MANAGE, schema: { tags, summary: '登记支出（可关联活动）', body: spendingBody } }, async (req) =>
    budgets.createSpending(staff(req), req.meta, req.body),
  );
  app.get('/api/funds/spending/:id/vouchers/:voucherId', { config: READ, schema: { tags, summary: '查看支出凭证', params: voucherParams } }, async (req, reply) => {
    const f = await budgets.voucher(staff(req), req.params.id, req.params.voucherId);
    return sendDownload(reply, { body: f.body, contentType: f.contentType, fileName: f.fileName, asciiName: 'voucher' }, 'inline');
  });
  void app.register(async (scope) => {
    const sc = scope as App;
    sc.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_LIMIT + 1024 * 1024 }, (_req, body, done) => done(null, body));
    sc.post(
      '/api/funds/spending/:id/vouchers',
      { config: MANAGE, schema: { tags, summary: '上传支出凭证（原始文件作请求体；JPG/PNG/PDF，≤ 10 MB）', params: idParam, querystring: voucherQuery } },
      async (req) => budgets.uploadVoucher(staff(req), req.meta, req.params.id, rawBody(req.body), req.query.fileName),
    );
  });

  // ---- 会费 (decision 034) ----
  app.get('/api/funds/dues', { config: READ, schema: { tags, summary: '会费：本会会员某月缴纳情况、欠缴名单与全年合计', querystring: duesQuery } }, async (req) =>
    dues.list(staff(req), req.query),
  );
  app.post('/api/funds/dues/settings', { config: MANAGE, schema: { tags, summary: '会费设置：是否收缴与比例（默认工资的 0.5%）', body: duesSettingsBody } }, async (req) =>
    dues.saveSettings(staff(req), req.meta, req.body),
  );
  app.post('/api/funds/dues/records', { config: MANAGE, schema: { tags, summary: '批量登记某月会费（已登记的会员跳过）', body: duesRecordBody } }, async (req) =>
    dues.record(staff(req), req.meta, req.body),
  );
  app.post('/api/funds/dues/exemptions', { config: MANAGE, schema: { tags, summary: '会员免缴会费（注明原因）', body: duesExemptionBody } }, async (req) =>
    dues.exempt(staff(req), req.meta, req.body),
  );
  app.post('/api/funds/dues/exemptions/:id/revoke', { config: MANAGE, schema: { tags, summary: '撤销免缴', params: idParam } }, async (req) =>
    dues.revokeExemption(staff(req), req.meta, req.params.id),
  );
}
