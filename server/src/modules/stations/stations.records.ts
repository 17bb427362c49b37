// 阵地 visits staff record (issue 14 item 3): services given at the site (a 维权咨询 becomes a
// consultation record in modules/rights, linked both ways), and the worker's e-member card scanned at
// the site (modules/cards checks it; only the visit is counted — no person is stored with it).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { chinaDay } from '../../platform/china-time.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import type { RightsService } from '../rights/rights.service.js';
import { stationsRepository as repo } from './stations.repository.js';
import type { ServiceRecordInput } from './stations.schema.js';

/** The member-card check (modules/cards): masked name and status only, never who it is. */
/** A card's check; a valid one carries `visitorKey`, a keyed hash of its person (the same card gives the same key). */
export type CardVerifier = (token: string) => Promise<{ valid: true; nameMasked: string; orgName: string; visitorKey: string } | { valid: false; reason: string }>;
/** modules/rights' function that logs a consultation (its own transaction, its own audit row). */
export type ConsultationLogger = RightsService['consultations']['create'];

const chinaHour = (at: Date) => Number(new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(11, 13));

/**
 * The card token out of what a scanner typed: the card's QR holds its verify link
 * (`https://…/h5/#/verify?t=<token>`); a bare token passes as it is.
 */
export function cardTokenOf(scanned: string): string {
  const text = scanned.trim();
  const m = /[?&]t=([A-Za-z0-9_-]{8,400})(?:[&#\s]|$)/.exec(text);
  return m ? m[1]! : text;
}

export function createStationRecords(ctx: ModuleContext, deps: { verifyCard?: CardVerifier; logConsultation?: ConsultationLogger }) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  async function stationOrThrow(actor: StaffActor, id: string) {
    const s = await repo.inScope(db, actor.orgPath, id);
    if (!s) throw notFound('阵地');
    return s;
  }

  return {
    /**
     * Staff log services given (counted as visits without a worker). A 维权咨询 is one visit and one
     * consultation of the site's union (channel 驿站) made through the rights service first; the visit
     * then carries its id. Logging one needs the right to log consultations (rights:write).
     */
    async logService(actor: StaffActor, meta: RequestMeta, id: string, body: ServiceRecordInput) {
      const s = await stationOrThrow(actor, id);
      let consultation: { id: string; no: string } | null = null;
      if (body.service === 'consult' && body.consultation) {
        if (!actor.permissions.has('rights:write')) throw new AppError('FORBIDDEN', '登记维权咨询需要“登记咨询”权限（维权服务）');
        if (!deps.logConsultation) throw new AppError('CONFLICT', '维权咨询台账不可用');
        const c = body.consultation;
        const made = await deps.logConsultation(actor, meta, {
          orgId: s.org_id,
          channel: 'station',
          topic: c.topic,
          name: c.name,
          phone: c.phone,
          employerName: c.employerName ?? undefined,
          summary: `【${s.name}】${c.summary}`,
          answer: c.answer ?? undefined,
        });
        consultation = { id: made.id, no: made.no };
      }
      const at = now();
      await db.transaction().execute(async (trx) => {
        await repo.insertVisits(
          trx,
          Array.from({ length: body.count }, () => ({
            station_id: id,
            source: 'staff' as const,
            service: body.service,
            note: body.note ?? null,
            day: chinaDay(at),
            hour: chinaHour(at),
            at,
            recorded_by: actor.accountId,
            consultation_id: consultation?.id ?? null,
          })),
        );
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'station.service',
          targetType: 'station',
          targetId: id,
          orgId: s.org_id,
          outcome: 'success',
          detail: { service: body.service, count: body.count, ...(consultation && { consultation: consultation.id }) },
        });
      });
      return { ok: true as const, count: body.count, consultation };
    },

    /** Staff scan a worker's e-member card at the site: a visit is counted once per card, site and day (no personal data is kept). */
    async cardCheckin(actor: StaffActor, meta: RequestMeta, id: string, scanned: string) {
      const s = await stationOrThrow(actor, id);
      if (!deps.verifyCard) throw new AppError('CONFLICT', '会员卡核验不可用');
      const card = await deps.verifyCard(cardTokenOf(scanned));
      if (!card.valid) throw invalid({ token: card.reason }, card.reason);
      const at = now();
      const fresh = await db.transaction().execute(async (trx) => {
        const row = await repo.insertVisit(trx, {
          station_id: id,
          source: 'card',
          worker_id: null,
          card_key: card.visitorKey,
          day: chinaDay(at),
          hour: chinaHour(at),
          at,
          recorded_by: actor.accountId,
        });
        if (!row) return false;
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'station.card_checkin',
          targetType: 'station',
          targetId: id,
          orgId: s.org_id,
          outcome: 'success',
        });
        return true;
      });
      const today = await repo.cardVisitsOn(db, id, chinaDay(at));
      return { ok: true as const, nameMasked: card.nameMasked, orgName: card.orgName, todayCardVisits: today, already: !fresh };
    },

    /** The site a consultation was logged at (the way back from a 维权咨询 record), when in scope. */
    async ofConsultation(actor: StaffActor, consultationId: string) {
      const v = await repo.visitOfConsultation(db, actor.orgPath, consultationId);
      if (!v) throw notFound('驿站服务记录');
      return { stationId: v.station_id, stationName: v.station_name, at: v.at };
    },
  };
}
