// 维权 figures per subtree and period; every number names the list (tab + filters) that shows its rows.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { StaffActor } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { yuan } from '../../platform/money.js';
import { periodBounds, today, type RightsCtx } from './rights.common.js';
import {
  CHANNELS,
  LETTER_KINDS,
  RISK_GRADES,
  RISK_LEVELS,
  TOPICS,
  type Channel,
  type LetterKindCode,
  type RiskLevelCode,
  type Topic,
} from './rights.constants.js';
import { figuresRepository as repo } from './rights.figures.repository.js';
import { rightsRepository } from './rights.repository.js';
import type { Period } from './rights.schema.js';

const n = (v: string | number | null | undefined) => Number(v ?? 0);
const rate = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 10 : null);
const avg1 = (v: string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);

export function createFigures(ctx: RightsCtx) {
  const db: Kysely<DB> = ctx.database.db;
  return {
    async figures(actor: StaffActor, q: Period) {
      const org = await rightsRepository.orgInScope(db, actor.orgPath, q.orgId ?? actor.orgId);
      if (!org) throw notFound('工会');
      const scope = { path: org.path, from: q.from, to: q.to, ...periodBounds(q) };
      const day = today(ctx.clock.now());
      const [c, cases, letters, t, checkups, risks] = await Promise.all([
        repo.consultations(db, scope),
        repo.cases(db, scope, day),
        repo.letters(db, scope),
        repo.tickets(db, scope),
        repo.checkups(db, scope, day),
        repo.risks(db, scope),
      ]);
      const period = { orgId: org.id, ...(q.from && { from: q.from }), ...(q.to && { to: q.to }) };
      const total = c.byChannel.reduce((s, r) => s + n(r.n), 0);
      const med = cases.find((r) => r.kind === 'mediation');
      const aid = cases.find((r) => r.kind === 'legal_aid');
      const medDone = n(med?.succeeded) + n(med?.failed) + n(med?.withdrawn);
      const replied = letters.filter((l) => l.kind !== 'proposal').reduce((s, l) => s + n(l.replied), 0);
      const rectified = letters.reduce((s, l) => s + n(l.rectified), 0);
      const ask = letters.filter((l) => l.kind !== 'proposal' && l.days_to_reply !== null);
      const daysToReply = ask.length
        ? avg1(
            String(
              ask.reduce((s, l) => s + Number(l.days_to_reply) * n(l.replied), 0) /
                Math.max(
                  1,
                  ask.reduce((s, l) => s + n(l.replied), 0),
                ),
            ),
          )
        : null;
      return {
        org: { id: org.id, name: org.name },
        from: q.from ?? null,
        to: q.to ?? null,
        consultations: {
          total,
          open: c.open,
          link: { tab: 'consultations', ...period },
          byChannel: Object.entries(CHANNELS).map(([code, label]) => ({
            code,
            label,
            count: n(c.byChannel.find((r) => r.code === code)?.n),
            link: { tab: 'consultations', channel: code as Channel, ...period },
          })),
          byTopic: c.byTopic
            .map((r) => ({ code: r.code, label: TOPICS[r.code as Topic] ?? r.code, count: n(r.n), link: { tab: 'consultations', topic: r.code, ...period } }))
            .sort((a, b) => b.count - a.count),
          callbacks: c.callbacks,
          satisfaction: avg1(c.satisfaction),
        },
        mediation: {
          opened: n(med?.opened),
          succeeded: n(med?.succeeded),
          failed: n(med?.failed),
          withdrawn: n(med?.withdrawn),
          open: n(med?.open),
          overdue: n(med?.overdue),
          successRate: rate(n(med?.succeeded), medDone),
          agreedAmount: yuan(med?.agreed ?? '0'),
          paidAmount: yuan(med?.paid ?? '0'),
          link: { tab: 'cases', kind: 'mediation', ...period },
          succeededLink: { tab: 'cases', kind: 'mediation', status: 'succeeded', ...period },
          overdueLink: { tab: 'cases', kind: 'mediation', overdue: '1', orgId: org.id },
        },
        legalAid: {
          opened: n(aid?.opened),
          closed: n(aid?.closed),
          recoveredAmount: yuan(aid?.agreed ?? '0'),
          link: { tab: 'cases', kind: 'legal_aid', ...period },
        },
        letters: {
          byKind: Object.entries(LETTER_KINDS).map(([kind, label]) => ({
            kind,
            label,
            count: n(letters.find((l) => l.kind === (kind as LetterKindCode))?.issued),
            link: { tab: 'letters', kind, ...period },
          })),
          replied,
          rectified,
          rectificationRate: rate(
            rectified,
            letters.filter((l) => l.kind !== 'proposal').reduce((s, l) => s + n(l.issued), 0),
          ),
          escalated: letters.reduce((s, l) => s + n(l.escalated), 0),
          daysToReply,
        },
        tickets: {
          total: n(t.total),
          answered: n(t.answered),
          onTime: n(t.on_time),
          onTimeRate: rate(n(t.on_time), n(t.answered)),
          overdue: n(t.overdue),
          closed: n(t.closed),
          satisfaction: avg1(t.satisfaction),
          link: { tab: 'tickets', ...period },
          overdueLink: { tab: 'tickets', overdue: '1', ...period },
        },
        checkups: {
          total: n(checkups.total),
          closed: n(checkups.closed),
          byRisk: Object.entries(RISK_LEVELS).map(([code, label]) => ({
            code,
            label,
            count: n(checkups[code as RiskLevelCode]),
            link: { tab: 'checkups', riskLevel: code, ...period },
          })),
          openRectifications: n(checkups.open_rectifications),
          overdueRectifications: n(checkups.overdue_rectifications),
          link: { tab: 'checkups', ...period },
          rectifyingLink: { tab: 'checkups', status: 'rectifying', ...period },
          overdueLink: { tab: 'checkups', overdue: '1', ...period },
        },
        risks: {
          total: risks.reduce((sum, r) => sum + n(r.n), 0),
          closed: risks.reduce((sum, r) => sum + n(r.closed), 0),
          byGrade: [...Object.entries(RISK_GRADES), ['none', '待研判'] as const].map(([code, label]) => ({
            code,
            label,
            count: n(risks.find((r) => r.grade === (code === 'none' ? '' : code))?.n),
            link: { tab: 'risks', grade: code, ...period },
          })),
          link: { tab: 'risks', ...period },
        },
      };
    },
  };
}
