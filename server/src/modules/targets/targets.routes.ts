import type { App, StaffActor } from '../../platform/context.js';
import { sendDownload, sendXlsx } from '../../platform/download.js';
import { idParam } from '../../platform/pagination.js';
import { ATTACHMENT_LIMIT } from '../applications/applications.files.js';
import type { TargetFiles } from './targets.files.js';
import type { SchemeService } from './targets.scheme.js';
import { claimBody, deleteTargetQuery, evidenceQuery, reviewBody, saveSchemeBody, setTargetsBody, updateTargetBody, yearQuery } from './targets.schema.js';
import type { TargetsService } from './targets.service.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
/** The uploaded bytes (a text/plain body arrives as a string through Fastify's own parser). */
const rawBody = (b: unknown) => (Buffer.isBuffer(b) ? b : typeof b === 'string' ? Buffer.from(b) : undefined);
const tags = ['targets'];
const READ = { access: 'target:read' } as const;
const MANAGE = { access: 'target:manage' } as const;
const REVIEW = { access: 'target:review' } as const;

// 目标考核: targets down the tree with computed progress, and 工作质效评价 (scheme, scores, ranking, manual claims).
export function targetsRoutes(app: App, svc: TargetsService, schemes: SchemeService, files: TargetFiles) {
  app.get(
    '/api/targets',
    { config: READ, schema: { tags, summary: '年度目标：上级下达给本级的（含分解）与本级下达给下级的，附完成进度', querystring: yearQuery } },
    async (req) => svc.list(staff(req), req.query),
  );
  app.post(
    '/api/targets',
    { config: MANAGE, schema: { tags, summary: '向直属下级下达（或修改）某指标的年度目标；可作为本级目标的分解', body: setTargetsBody } },
    async (req) => svc.set(staff(req), req.meta, req.body),
  );
  app.patch(
    '/api/targets/:id',
    { config: MANAGE, schema: { tags, summary: '修改一个目标（下达目标的组织）', params: idParam, body: updateTargetBody } },
    async (req) => svc.update(staff(req), req.meta, req.params.id, req.body),
  );
  app.delete(
    '/api/targets/:id',
    { config: MANAGE, schema: { tags, summary: '删除一个目标（下达目标的组织；已分解的须先删分解）', params: idParam, querystring: deleteTargetQuery } },
    async (req) => svc.remove(staff(req), req.meta, req.params.id, req.query.version),
  );

  app.get(
    '/api/targets/scheme',
    { config: READ, schema: { tags, summary: '工作质效评价：本级年度考核方案、各下级得分与排名', querystring: yearQuery } },
    async (req) => schemes.view(staff(req), req.query),
  );
  app.put(
    '/api/targets/scheme',
    { config: MANAGE, schema: { tags, summary: '制定或修改本级年度考核方案（分值合计 100 分）', body: saveSchemeBody } },
    async (req) => schemes.save(staff(req), req.meta, req.body),
  );
  app.get(
    '/api/targets/scheme/export.xlsx',
    { config: READ, schema: { tags, summary: '导出考核得分与排名（.xlsx）', querystring: yearQuery } },
    async (req, reply) => sendXlsx(reply, await files.exportRanking(staff(req), req.meta, req.query)),
  );
  app.get(
    '/api/targets/assessment',
    { config: READ, schema: { tags, summary: '本级的考核情况：上级考核方案中本级的得分与人工评分项自评', querystring: yearQuery.pick({ year: true }) } },
    async (req) => schemes.mine(staff(req), req.query),
  );
  app.post(
    '/api/targets/manual-scores',
    { config: MANAGE, schema: { tags, summary: '人工评分项：提交（或重新提交）本级自评与佐证说明', body: claimBody } },
    async (req) => schemes.claim(staff(req), req.meta, req.body),
  );
  app.post(
    '/api/targets/manual-scores/:id/review',
    { config: REVIEW, schema: { tags, summary: '审核下级的自评：确认得分（可调整）或退回', params: idParam, body: reviewBody } },
    async (req) => schemes.review(staff(req), req.meta, req.params.id, req.body),
  );
  app.get('/api/targets/manual-scores/:id/evidence', { config: READ, schema: { tags, summary: '下载自评的佐证材料', params: idParam } }, async (req, reply) =>
    sendDownload(reply, await files.evidence(staff(req), req.params.id), 'inline'),
  );
  void app.register(async (scope) => {
    const sc = scope as App;
    // The raw file is the body, whatever Content-Type it claims (the bytes decide).
    sc.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_LIMIT + 1024 * 1024 }, (_req, body, done) => done(null, body));
    sc.post(
      '/api/targets/manual-scores/:id/evidence',
      {
        config: { ...MANAGE, rateLimit: { max: 30, timeWindow: 60_000 } },
        schema: { tags, summary: '上传自评的佐证材料（原始文件作请求体；JPG/PNG/PDF，≤ 10 MB）', params: idParam, querystring: evidenceQuery },
      },
      async (req) => files.uploadEvidence(staff(req), req.meta, req.params.id, rawBody(req.body), req.query.name),
    );
  });
}
