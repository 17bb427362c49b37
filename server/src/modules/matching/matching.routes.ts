import type { App, StaffActor } from '../../platform/context.js';
import { idParam, okResponse } from '../../platform/pagination.js';
import { sendXlsx } from '../../platform/download.js';
import { XLSX_TYPE } from '../../platform/spreadsheet.js';
import type { MatchingService } from './matching.service.js';
import { listQuery, UPLOAD_LIMIT_BYTES, uploadQuery } from './matching.schema.js';
import { fileUploadScope } from '../../platform/upload.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;

export function matchingRoutes(app: App, matching: MatchingService) {
  // The upload takes the raw file as its body: a parser for it, and the 20 MB limit, for this route only.
  fileUploadScope(app, (scope) => {
    scope.post(
      '/api/match-lists',
      {
        config: { access: 'member:match' },
        bodyLimit: UPLOAD_LIMIT_BYTES,
        schema: {
          tags: ['matching'],
          summary: '上传外部名单（请求体为 .xlsx/.csv 文件，列：姓名、身份证号、手机号、车牌号；只保存盲索引与脱敏值，30 天后删除）',
          querystring: uploadQuery,
        },
      },
      async (req) => matching.upload(staff(req), req.meta, req.query, req.body),
    );
  });

  app.get(
    '/api/match-lists',
    { config: { access: 'member:match' }, schema: { tags: ['matching'], summary: '比对名单（本级及下级工会上传的，未到期）', querystring: listQuery } },
    async (req) => matching.list(staff(req), req.query),
  );

  app.get(
    '/api/match-lists/:id',
    {
      config: { access: 'member:match' },
      schema: { tags: ['matching'], summary: '比对结果：本辖区会员（按工会）、辖区外会员人数、未入会、无效行', params: idParam },
    },
    async (req) => matching.get(staff(req), req.params.id),
  );

  app.get(
    '/api/match-lists/:id/not-yet.xlsx',
    { config: { access: 'member:match' }, schema: { tags: ['matching'], summary: '导出未入会人员（脱敏，.xlsx）', params: idParam } },
    async (req, reply) => {
      const out = await matching.notYetExport(staff(req), req.meta, req.params.id);
      return sendXlsx(reply, out);
    },
  );

  app.delete(
    '/api/match-lists/:id',
    { config: { access: 'member:match' }, schema: { tags: ['matching'], summary: '删除比对名单（留痕）', params: idParam, response: { 200: okResponse } } },
    async (req) => {
      await matching.remove(staff(req), req.meta, req.params.id);
      return { ok: true as const };
    },
  );
}
