// 电子会员卡: the worker's card with a short-lived signed token (shown as a QR code), and the
// public check a station or merchant runs on that token. The token carries only a person id and
// an expiry; the check answers with the masked name, the union and the status, nothing more.
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../module-context.js';
import { createMembersWorkerService } from '../members/members.worker.js';

/** How long a card QR code stays valid. */
export const CARD_TOKEN_TTL_SECONDS = 5 * 60;
/** Signed together with the payload so a signature made for another purpose never passes as a card. */
const SIGNING_DOMAIN = 'member-card:';

export type CardCheck =
  { valid: true; nameMasked: string; orgName: string; status: 'active' | 'retained' } | { valid: false; reason: '二维码已过期' | '二维码无效' | '会籍已失效' };

/** 张三 → 张*, 欧阳娜娜 → 欧***: the first character only. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

export function createCardsService(ctx: ModuleContext) {
  const members = createMembersWorkerService({ db: ctx.database.db, audit: ctx.audit });

  function issueToken(personId: string) {
    const expiresAtSeconds = Math.floor(ctx.clock.now().getTime() / 1000) + CARD_TOKEN_TTL_SECONDS;
    const payload = `${personId}.${expiresAtSeconds}`;
    const token = Buffer.from(`${payload}.${ctx.crypto.sign(SIGNING_DOMAIN + payload)}`).toString('base64url');
    return { token, expiresAt: new Date(expiresAtSeconds * 1000).toISOString() };
  }

  function readToken(token: string): { personId: string; expiresAtSeconds: number } | null {
    if (!/^[A-Za-z0-9_-]{8,400}$/.test(token)) return null;
    const m = /^([1-9][0-9]{0,18})\.([0-9]{1,12})\.([A-Za-z0-9_-]{10,100})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m) return null;
    const [, personId, exp, signature] = m as unknown as [string, string, string, string];
    if (!ctx.crypto.verifySignature(`${SIGNING_DOMAIN}${personId}.${exp}`, signature)) return null;
    return { personId, expiresAtSeconds: Number(exp) };
  }

  return {
    memberStatusOfWorker: (workerId: string) => members.memberStatusOfWorker(workerId),

    /** The worker's card with a fresh token; 404 when the worker has no live membership. */
    async cardOfWorker(workerId: string) {
      const m = await members.membershipOfWorker(workerId);
      if (!m) throw new AppError('NOT_FOUND', '尚未入会');
      const { token, expiresAt } = issueToken(m.personId);
      return {
        member: { name: m.name, memberNo: m.memberNo, orgName: m.orgName, joinedOn: m.joinedOn, status: m.status, statusLabel: m.statusLabel },
        token,
        expiresAt,
        verifyPath: `/h5/#/verify?t=${token}`,
      };
    },

    /** What scanning a card QR code tells the person scanning it. */
    async verify(token: string): Promise<CardCheck> {
      return (await this.identify(token)).check;
    },

    /** The check and, for a valid card, whose it is — for the server only (a site counting the card once a day), never sent out. */
    async identify(token: string): Promise<{ check: CardCheck; personId: string | null }> {
      const t = readToken(token);
      const refuse = (reason: '二维码无效' | '二维码已过期' | '会籍已失效') => ({ check: { valid: false as const, reason }, personId: null });
      if (!t) return refuse('二维码无效');
      if (t.expiresAtSeconds * 1000 <= ctx.clock.now().getTime()) return refuse('二维码已过期');
      const p = await members.liveMembershipOfPerson(t.personId);
      if (!p) return refuse('二维码无效');
      if (!p.live) return refuse('会籍已失效');
      return {
        check: { valid: true, nameMasked: maskName(p.name), orgName: p.live.orgName, status: p.live.status as 'active' | 'retained' },
        personId: String(t.personId),
      };
    },
  };
}

export type CardsService = ReturnType<typeof createCardsService>;
