import type { App, StaffActor } from '../../platform/context.js';
import { sendDownload } from '../../platform/download.js';
import { idParam, pageQuery } from '../../platform/pagination.js';
import { z } from 'zod';
import type { ContractsService } from './contracts.service.js';
import type { CampaignsService } from './contracts.campaigns.js';
import type { CoverageService } from './contracts.coverage.js';
import {
  acceptBody,
  campaignBody,
  contractsQuery,
  coverageQuery,
  createContractBody,
  reviewBody,
  roundBody,
  signBody,
  submitBody,
  targetBody,
  targetParams,
  targetsQuery,
  templateBody,
  updateContractBody,
  versionBody,
  voteBody,
} from './contracts.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['contracts'];
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function contractsRoutes(app: App, s: { contracts: ContractsService; campaigns: CampaignsService; coverage: CoverageService }) {
  const { contracts, campaigns, coverage } = s;
  app.get(
    '/api/coverage',
    {
      config: { access: 'enterprise:read' },
      schema: { tags, summary: '覆盖率指标（建会率、入会率、合同、要约、建制率），可下钻到明细', querystring: coverageQuery },
    },
    async (req) => coverage.figures(staff(req), req.query),
  );
  app.get('/api/contract-templates', { config: { access: 'contract:read' }, schema: { tags, summary: '集体合同范本（各版本）' } }, async () =>
    contracts.templates(),
  );
  app.post('/api/contract-templates', { config: { access: 'contract:write' }, schema: { tags, summary: '发布范本新版本', body: templateBody } }, async (req) =>
    contracts.addTemplate(staff(req), req.meta, req.body),
  );
  app.get(
    '/api/contracts',
    { config: { access: 'contract:read' }, schema: { tags, summary: '集体合同（本级及下级）', querystring: contractsQuery } },
    async (req) => contracts.list(staff(req), req.query),
  );
  app.post(
    '/api/contracts',
    { config: { access: 'contract:write' }, schema: { tags, summary: '起草集体合同（可依据范本）', body: createContractBody } },
    async (req) => contracts.create(staff(req), req.meta, req.body),
  );
  app.get(
    '/api/contracts/:id',
    { config: { access: 'contract:read' }, schema: { tags, summary: '集体合同详情（含与范本的条款对照）', params: idParam } },
    async (req) => contracts.get(staff(req), req.params.id),
  );
  app.get(
    '/api/contracts/:id/draft.docx',
    { config: { access: 'contract:read' }, schema: { tags, summary: '下载合同文本（.docx）', params: idParam } },
    async (req, reply) => {
      const d = await contracts.draftDocx(staff(req), req.params.id);
      return sendDownload(reply, { ...d, contentType: DOCX, asciiName: `contract-${req.params.id}.docx` });
    },
  );
  app.patch(
    '/api/contracts/:id',
    { config: { access: 'contract:write' }, schema: { tags, summary: '修改合同草案（条款、主要指标、覆盖人数）', params: idParam, body: updateContractBody } },
    async (req) => contracts.update(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/contracts/:id/rounds',
    { config: { access: 'contract:write' }, schema: { tags, summary: '登记协商会议', params: idParam, body: roundBody } },
    async (req) => contracts.addRound(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/contracts/:id/vote',
    { config: { access: 'contract:write' }, schema: { tags, summary: '登记职代会表决', params: idParam, body: voteBody } },
    async (req) => contracts.vote(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/contracts/:id/sign',
    { config: { access: 'contract:write' }, schema: { tags, summary: '签订', params: idParam, body: signBody } },
    async (req) => contracts.sign(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/contracts/:id/filing',
    { config: { access: 'contract:write' }, schema: { tags, summary: '报送人社部门备案', params: idParam, body: submitBody } },
    async (req) => contracts.submit(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/contracts/:id/acceptance',
    { config: { access: 'contract:write' }, schema: { tags, summary: '登记人社部门受理', params: idParam, body: acceptBody } },
    async (req) => contracts.accept(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/contracts/:id/review',
    { config: { access: 'contract:write' }, schema: { tags, summary: '登记人社部门审查意见', params: idParam, body: reviewBody } },
    async (req) => contracts.review(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/contracts/:id/renew',
    { config: { access: 'contract:write' }, schema: { tags, summary: '续签（以本合同为基础起草新合同）', params: idParam, body: versionBody } },
    async (req) => contracts.renew(staff(req), req.meta, req.params.id, req.body),
  );

  app.get(
    '/api/bargaining-campaigns',
    { config: { access: 'contract:read' }, schema: { tags, summary: '要约行动', querystring: z.strictObject({ ...pageQuery }) } },
    async (req) => campaigns.list(staff(req), req.query),
  );
  app.post(
    '/api/bargaining-campaigns',
    { config: { access: 'contract:write' }, schema: { tags, summary: '发起要约行动（按范围、规模、行业确定对象企业）', body: campaignBody } },
    async (req) => campaigns.create(staff(req), req.meta, req.body),
  );
  app.get(
    '/api/bargaining-campaigns/:id',
    { config: { access: 'contract:read' }, schema: { tags, summary: '要约行动进度（分地区）', params: idParam } },
    async (req) => campaigns.get(staff(req), req.params.id),
  );
  app.get(
    '/api/bargaining-campaigns/:id/targets',
    { config: { access: 'contract:read' }, schema: { tags, summary: '要约对象企业及进度', params: idParam, querystring: targetsQuery } },
    async (req) => campaigns.targets(staff(req), req.params.id, req.query),
  );
  app.post(
    '/api/bargaining-campaigns/:id/targets/:enterpriseId',
    {
      config: { access: 'contract:write' },
      schema: { tags, summary: '推进要约进度（发出要约 → 应约 → 协商 → 签订）', params: targetParams, body: targetBody },
    },
    async (req) => campaigns.advance(staff(req), req.meta, req.params.id, req.params.enterpriseId, req.body),
  );
}
