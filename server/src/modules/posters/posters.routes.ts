import { sendDownload } from '../../platform/download.js';
import type { FastifyReply } from 'fastify';
import type { App, StaffActor } from '../../platform/context.js';
import { idParam } from '../../platform/pagination.js';
import type { PostersService } from './posters.service.js';
import type { Config } from '../../config.js';
import { publicBase } from '../../platform/public-url.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;

type PosterFile = { body: Buffer | Uint8Array; contentType: string; fileName: string };

const sendPoster = (reply: FastifyReply, format: string, file: PosterFile) => sendDownload(reply, { ...file, asciiName: `poster.${format}` });

export function postersRoutes(app: App, posters: PostersService, config: Pick<Config, 'publicBaseUrl'>) {
  const label = { png: 'A4，PNG 图片', pdf: 'A4，PDF 打印版' } as const;
  for (const format of ['png', 'pdf'] as const) {
    // The QR points at PUBLIC_BASE_URL, else at the address the console was opened with (behind a proxy: its forwarded host).
    app.get(
      `/api/orgs/:id/join-poster.${format}`,
      { config: { access: 'campaign:manage' }, schema: { tags: ['joining'], summary: `组织入会海报（${label[format]}）`, params: idParam } },
      async (req, reply) => sendPoster(reply, format, await posters.orgPoster(staff(req), req.params.id, publicBase(config, req), format)),
    );
    app.get(
      `/api/campaigns/:id/poster.${format}`,
      { config: { access: 'campaign:manage' }, schema: { tags: ['joining'], summary: `入会活动海报（${label[format]}）`, params: idParam } },
      async (req, reply) => sendPoster(reply, format, await posters.poster(staff(req), req.params.id, publicBase(config, req), format)),
    );
  }
}
