import { z } from 'zod';
import type { App, WorkerActor } from '../../platform/context.js';
import type { CardsService } from './cards.service.js';

const worker = (req: { actor: unknown }) => req.actor as WorkerActor;

const cardResponse = z.object({
  member: z.object({
    name: z.string(),
    memberNo: z.string().nullable(),
    orgName: z.string(),
    joinedOn: z.string(),
    status: z.string(),
    statusLabel: z.string(),
  }),
  token: z.string(),
  expiresAt: z.string(),
  verifyPath: z.string(),
});

const checkResponse = z.union([
  z.object({ valid: z.literal(true), nameMasked: z.string(), orgName: z.string(), status: z.enum(['active', 'retained']) }),
  z.object({ valid: z.literal(false), reason: z.enum(['二维码已过期', '二维码无效', '会籍已失效']) }),
]);

export function cardsRoutes(app: App, cards: CardsService) {
  app.get(
    '/api/worker/card',
    {
      config: { access: 'worker' },
      schema: { tags: ['cards'], summary: '我的电子会员卡（二维码令牌 5 分钟内有效）', response: { 200: cardResponse } },
    },
    async (req) => cards.cardOfWorker(worker(req).workerId),
  );

  app.get(
    '/api/public/cards/verify',
    {
      config: { access: 'public', rateLimit: { max: 60, timeWindow: 60_000 } },
      schema: {
        tags: ['cards'],
        summary: '扫码核验电子会员卡：只返回脱敏姓名、所属工会和会籍状态',
        querystring: z.strictObject({ t: z.string({ error: '缺少二维码令牌' }).max(400, '二维码无效') }),
        response: { 200: checkResponse },
      },
    },
    async (req) => cards.verify(req.query.t),
  );
}
