import type { App, StaffActor } from '../../platform/context.js';
import { idParam } from '../../platform/pagination.js';
import { PosterFontMissing, type PostersService } from './posters.service.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;

export function postersRoutes(app: App, posters: PostersService) {
  for (const format of ['png', 'pdf'] as const) {
    app.get(
      `/api/orgs/:id/join-poster.${format}`,
      {
        config: { access: 'campaign:manage' },
        schema: {
          tags: ['joining'],
          summary: format === 'png' ? '组织入会海报（A4，PNG 图片）' : '组织入会海报（A4，PDF 打印版）',
          params: idParam,
        },
      },
      async (req, reply) => {
        const origin = `${req.protocol}://${req.host}`;
        try {
          const file = await posters.orgPoster(staff(req), req.params.id, origin, format);
          return reply
            .header('content-type', file.contentType)
            .header('content-disposition', `attachment; filename="poster.${format}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
            .header('cache-control', 'no-store')
            .send(file.body);
        } catch (err) {
          if (err instanceof PosterFontMissing) {
            return reply.status(503).send({ error: { code: 'FONT_MISSING', message: err.message } });
          }
          throw err;
        }
      },
    );

    app.get(
      `/api/campaigns/:id/poster.${format}`,
      {
        config: { access: 'campaign:manage' },
        schema: {
          tags: ['joining'],
          summary: format === 'png' ? '入会活动海报（A4，PNG 图片）' : '入会活动海报（A4，PDF 打印版）',
          params: idParam,
        },
      },
      async (req, reply) => {
        // The QR points at the address the console was opened with (behind a proxy: its forwarded host).
        const origin = `${req.protocol}://${req.host}`;
        try {
          const file = await posters.poster(staff(req), req.params.id, origin, format);
          return reply
            .header('content-type', file.contentType)
            .header('content-disposition', `attachment; filename="poster.${format}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
            .header('cache-control', 'no-store')
            .send(file.body);
        } catch (err) {
          if (err instanceof PosterFontMissing) {
            return reply.status(503).send({ error: { code: 'FONT_MISSING', message: err.message } });
          }
          throw err;
        }
      },
    );
  }
}
