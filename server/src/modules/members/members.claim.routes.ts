// The worker's claim of the person on the roll whose typed phone is their login phone (decision 044).
import type { App, WorkerActor } from '../../platform/context.js';
import type { MembersClaimService } from './members.claim.js';
import { claimBody } from './members.schema.js';

export function membersClaimRoutes(app: App, claims: MembersClaimService) {
  app.post(
    '/api/worker/membership/claim',
    {
      // The limit that guards the secret is durable and per account (5 wrong tries a day, in the
      // service; an account can only ever try the one person its SMS-proven phone finds); this
      // per-process ceiling only blunts a flood.
      config: { access: 'worker', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: { tags: ['worker'], summary: '认领名册中与登录手机号相符的会员记录（核对证件号码）', body: claimBody },
    },
    async (req) => claims.claim(req.actor as WorkerActor, req.meta, req.body.idNumber),
  );
}
