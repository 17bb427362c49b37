// 阵地 photos over HTTP: upload (the raw file is the body; the bytes decide what it is), list, the
// picture or its thumbnail, delete; and the site photos a worker sees in 驿站详情.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App, StaffActor } from '../../platform/context.js';
import { attachment } from '../../platform/download.js';
import { idField } from '../../platform/fields.js';
import { idParam } from '../../platform/pagination.js';
import { PHOTO_LIMITS, type StationPhotos } from './stations.photos.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['stations'];
const photoParams = z.strictObject({ id: idField(), photoId: idField() });
const inspectionParams = z.strictObject({ id: idField(), inspectionId: idField() });
const sizeQuery = z.strictObject({ size: z.enum(['thumb', 'full'], { error: '尺寸应为 thumb 或 full' }).default('full') });
const uploadQuery = z.strictObject({
  name: z.string().max(200, '文件名过长').optional(),
  caption: z.string().trim().max(60, '照片说明不能超过 60 个字').optional(),
});

/** A photo: inline, never sniffed; a photo id never changes its bytes, so the browser may keep it a day. */
function sendPhoto(reply: FastifyReply, f: { data: Buffer; mime: string; name: string }) {
  return reply
    .header('content-type', f.mime)
    .header('content-disposition', attachment(f.name, f.mime === 'image/png' ? 'photo.png' : 'photo.jpg', 'inline'))
    .header('cache-control', 'private, max-age=86400, immutable')
    .send(f.data);
}

export function stationPhotosRoutes(app: App, photos: StationPhotos) {
  void app.register(async (scope) => {
    const sc = scope as App;
    // The raw file is the body, whatever Content-Type it claims; a little over the limit so the service answers in Chinese.
    sc.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: PHOTO_LIMITS.fileBytes + 1024 * 1024 }, (_req, body, done) => done(null, body));
    sc.post(
      '/api/stations/:id/photos',
      {
        config: { access: 'station:manage', rateLimit: { max: 60, timeWindow: 60_000 } },
        schema: { tags, summary: '上传阵地照片（原始文件作请求体；JPG/PNG，按文件内容识别，≤ 10 MB）', params: idParam, querystring: uploadQuery },
      },
      async (req) => photos.upload(staff(req), req.meta, req.params.id, req.body as Buffer | undefined, req.query),
    );
    sc.post(
      '/api/stations/:id/inspections/:inspectionId/photos',
      {
        config: { access: 'station:inspect', rateLimit: { max: 60, timeWindow: 60_000 } },
        schema: { tags, summary: '上传验收或星级评定的现场照片（JPG/PNG，≤ 10 MB）', params: inspectionParams, querystring: uploadQuery },
      },
      async (req) =>
        photos.upload(staff(req), req.meta, req.params.id, req.body as Buffer | undefined, { ...req.query, inspectionId: req.params.inspectionId }),
    );
  });

  app.get(
    '/api/stations/:id/photos',
    { config: { access: 'station:read' }, schema: { tags, summary: '阵地照片（含验收与评定照片）', params: idParam } },
    async (req) => photos.list(staff(req), req.params.id),
  );
  app.get(
    '/api/stations/:id/photos/:photoId',
    { config: { access: 'station:read' }, schema: { tags, summary: '查看阵地照片（size=thumb 为缩略图）', params: photoParams, querystring: sizeQuery } },
    async (req, reply) => sendPhoto(reply, await photos.file(staff(req), req.params.id, req.params.photoId, req.query.size === 'thumb')),
  );
  app.delete(
    '/api/stations/:id/photos/:photoId',
    { config: { access: 'station:manage' }, schema: { tags, summary: '删除阵地照片（验收与评定照片不可删除）', params: photoParams } },
    async (req) => photos.remove(staff(req), req.meta, req.params.id, req.params.photoId),
  );
  app.get(
    '/api/worker/stations/:id/photos/:photoId',
    {
      config: { access: 'worker', rateLimit: { max: 300, timeWindow: 60_000 } },
      schema: { tags, summary: '驿站照片（size=thumb 为缩略图）', params: photoParams, querystring: sizeQuery },
    },
    async (req, reply) => sendPhoto(reply, await photos.publicFile(req.params.id, req.params.photoId, req.query.size === 'thumb')),
  );
}
