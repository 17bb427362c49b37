import type { App, StaffActor } from '../../platform/context.js';
import { idParam } from '../../platform/pagination.js';
import { sendXlsx } from '../../platform/download.js';
import { XLSX_TYPE } from '../../platform/spreadsheet.js';
import type { AidService } from './aid.service.js';
import { adjustBudgetBody, budgetsQuery, createBudgetBody, disburseBody, disbursementsQuery, figuresQuery, reverseBody } from './aid.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['aid'];

export function aidRoutes(app: App, aid: AidService, currentYear: () => number) {
  app.get('/api/aid/funds', { config: { access: 'staff' }, schema: { tags, summary: '帮扶资金类别' } }, async () => aid.funds());

  app.get(
    '/api/aid/budgets',
    { config: { access: 'aid:read' }, schema: { tags, summary: '帮扶资金预算（本级及下级）', querystring: budgetsQuery } },
    async (req) => aid.listBudgets(staff(req), req.query),
  );

  app.post('/api/aid/budgets', { config: { access: 'aid:manage' }, schema: { tags, summary: '下达帮扶资金预算', body: createBudgetBody } }, async (req) =>
    aid.createBudget(staff(req), req.meta, req.body),
  );

  app.get('/api/aid/budgets/:id', { config: { access: 'aid:read' }, schema: { tags, summary: '预算台账：余额与每笔变动', params: idParam } }, async (req) =>
    aid.budget(staff(req), req.params.id),
  );

  app.post(
    '/api/aid/budgets/:id/adjust',
    { config: { access: 'aid:manage' }, schema: { tags, summary: '调整预算（不得低于已支出）', params: idParam, body: adjustBudgetBody } },
    async (req) => aid.adjust(staff(req), req.meta, req.params.id, req.body),
  );

  app.get(
    '/api/aid/budgets/:id/ledger.xlsx',
    { config: { access: 'aid:read' }, schema: { tags, summary: '导出预算台账（.xlsx）', params: idParam } },
    async (req, reply) => {
      const out = await aid.ledgerXlsx(staff(req), req.meta, req.params.id);
      return sendXlsx(reply, out);
    },
  );

  app.get(
    '/api/aid/disbursements',
    { config: { access: 'aid:read' }, schema: { tags, summary: '帮扶资金发放明细', querystring: disbursementsQuery } },
    async (req) => aid.listDisbursements(staff(req), req.query),
  );

  app.post(
    '/api/aid/disbursements',
    { config: { access: 'aid:disburse' }, schema: { tags, summary: '登记帮扶资金发放（不得超出预算）', body: disburseBody } },
    async (req) => aid.disburse(staff(req), req.meta, req.body),
  );

  app.post(
    '/api/aid/disbursements/:id/reverse',
    { config: { access: 'aid:disburse' }, schema: { tags, summary: '冲正一笔发放', params: idParam, body: reverseBody } },
    async (req) => aid.reverse(staff(req), req.meta, req.params.id, req.body.reason),
  );

  app.get(
    '/api/orgs/:id/aid-figures',
    { config: { access: 'aid:read' }, schema: { tags, summary: '帮扶资金统计：按资金类别、按致困原因、预算执行', params: idParam, querystring: figuresQuery } },
    async (req) => aid.figures(staff(req), req.params.id, req.query.year ?? currentYear()),
  );
}
