// 培训 / 宣讲: sessions, and attendance by the worker scanning the session's QR code on the H5. The QR
// carries a signed token (session id + expiry, HMAC-SM3 with a purpose prefix) that expires 30
// minutes after the session ends; only members enrolled in the activity may check in, unless the
// activity says attendance is open (settings.openAttendance).
import QRCode from 'qrcode';
import { z } from 'zod';
import type { RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import type { ActivitiesCore, ActivityTypePlugin, Trx } from './activities.plugins.js';
import * as repo from './activity-types.repository.js';

export const trainingSettings = z.strictObject({
  /** Anyone signed in as a member may check in, enrolled or not (open lectures). */
  openAttendance: z.boolean({ error: '开放签到应为是或否' }).optional(),
});

export const trainingPlugin: ActivityTypePlugin = { type: 'training', settingsSchema: trainingSettings };
export const lecturePlugin: ActivityTypePlugin = { type: 'lecture', settingsSchema: trainingSettings };

/** A check-in QR stays valid this long after its session ends. */
export const CHECKIN_GRACE_MS = 30 * 60_000;
const SIGNING_DOMAIN = 'session-checkin:';

const isoTime = z.iso.datetime({ offset: true, error: '时间格式应为 ISO 8601（如 2026-12-01T09:00:00+08:00）' });
export const sessionBody = z
  .strictObject({
    title: z.string({ error: '请填写场次名称' }).trim().min(2, '请填写场次名称').max(40, '场次名称不能超过 40 个字'),
    startsAt: isoTime,
    endsAt: isoTime,
  })
  .refine((b) => Date.parse(b.endsAt) > Date.parse(b.startsAt), { path: ['endsAt'], message: '结束时间应晚于开始时间' });

export const checkinBody = z.strictObject({ t: z.string({ error: '缺少二维码令牌' }).min(8, '二维码无效或已过期').max(400, '二维码无效或已过期') });

const INVALID_TOKEN = '二维码无效或已过期';

export function createTrainingService(core: ActivitiesCore) {
  const { ctx } = core;
  const db = ctx.database.db;

  function issueToken(sessionId: string, endsAt: Date) {
    const exp = Math.floor((endsAt.getTime() + CHECKIN_GRACE_MS) / 1000);
    const payload = `${sessionId}.${exp}`;
    return { token: Buffer.from(`${payload}.${ctx.crypto.sign(SIGNING_DOMAIN + payload)}`).toString('base64url'), expiresAt: new Date(exp * 1000) };
  }

  function readToken(token: string): { sessionId: string; exp: number } | null {
    if (!/^[A-Za-z0-9_-]{8,400}$/.test(token)) return null;
    const m = /^([1-9][0-9]{0,18})\.([0-9]{1,12})\.([A-Za-z0-9_-]{10,100})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m) return null;
    const [, sessionId, exp, sig] = m as unknown as [string, string, string, string];
    if (!ctx.crypto.verifySignature(`${SIGNING_DOMAIN}${sessionId}.${exp}`, sig)) return null;
    return { sessionId, exp: Number(exp) };
  }

  async function trainingActivity(trx: Trx, actor: StaffActor, id: string) {
    const a = await core.activityForStaff(trx, actor, id);
    if (a.type !== 'training' && a.type !== 'lecture') throw notFound('培训/宣讲活动');
    return a;
  }

  const presentSession = (s: { id: string; title: string; starts_at: Date; ends_at: Date; attended?: string | null }) => ({
    id: s.id,
    title: s.title,
    startsAt: s.starts_at.toISOString(),
    endsAt: s.ends_at.toISOString(),
    attended: Number(s.attended ?? 0),
  });

  return {
    readToken,

    async sessions(actor: StaffActor, activityId: string) {
      return db.transaction().execute(async (trx) => {
        const a = await trainingActivity(trx, actor, activityId);
        return { items: (await repo.sessionsOf(trx, a.id)).map(presentSession) };
      });
    },

    async addSession(actor: StaffActor, meta: RequestMeta, activityId: string, body: z.infer<typeof sessionBody>) {
      return db.transaction().execute(async (trx) => {
        const a = await trainingActivity(trx, actor, activityId);
        const s = await repo.insertSession(trx, a.id, body.title, new Date(body.startsAt), new Date(body.endsAt));
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.training.session',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.orgId,
          outcome: 'success',
          detail: { sessionId: s.id, title: s.title },
        });
        return presentSession(s);
      });
    },

    /** The session's check-in QR; `origin` is the request's `protocol://host`, so a phone's camera opens the H5. */
    async sessionQr(actor: StaffActor, activityId: string, sessionId: string, origin: string) {
      const s = await db.transaction().execute(async (trx) => {
        const a = await trainingActivity(trx, actor, activityId);
        return repo.sessionOf(trx, a.id, sessionId);
      });
      if (!s) throw notFound('场次');
      const { token, expiresAt } = issueToken(s.id, s.ends_at);
      const checkinPath = `/h5/#/checkin?t=${token}`;
      const checkinUrl = `${origin}${checkinPath}`;
      const qrPng = await QRCode.toDataURL(checkinUrl, { margin: 1, width: 360 });
      return { token, checkinPath, checkinUrl, expiresAt: expiresAt.toISOString(), qrPng };
    },

    async sessionAttendance(actor: StaffActor, activityId: string, sessionId: string) {
      return db.transaction().execute(async (trx) => {
        const a = await trainingActivity(trx, actor, activityId);
        const s = await repo.sessionOf(trx, a.id, sessionId);
        if (!s) throw notFound('场次');
        const rows = await repo.attendanceOfSession(trx, s.id);
        return {
          session: presentSession({ ...s, attended: String(rows.length) }),
          items: rows.map((r) => ({ personId: r.person_id, name: r.name, checkedInAt: r.checked_in_at.toISOString(), enrolled: r.enrollment_id !== null })),
        };
      });
    },

    /** The worker scanned a session QR: checks the token, membership and enrollment, records the check-in once. */
    async checkin(actor: WorkerActor, meta: RequestMeta, token: string) {
      const t = readToken(token);
      const now = ctx.clock.now();
      if (!t || t.exp * 1000 <= now.getTime()) throw invalid({ t: INVALID_TOKEN }, INVALID_TOKEN);
      return db.transaction().execute(async (trx) => {
        const s = await repo.sessionForCheckin(trx, t.sessionId);
        if (!s || s.status !== 'published') throw invalid({ t: INVALID_TOKEN }, INVALID_TOKEN);
        if (now.getTime() < s.starts_at.getTime() - 60 * 60_000) throw invalid({ t: '签到尚未开始（开场前 1 小时起可签到）' });
        const member = await core.workerMember(trx, actor.workerId);
        const enrollment = await core.liveEnrollment(trx, s.activity_id, member.personId);
        const holds = enrollment && ['enrolled', 'attended', 'no_show'].includes(enrollment.status);
        const open = (s.settings as { openAttendance?: boolean }).openAttendance === true;
        if (!holds && !open) throw new AppError('FORBIDDEN', '您未报名该活动，不能签到');
        const row = await repo.insertCheckin(trx, { sessionId: s.id, personId: member.personId, enrollmentId: holds ? enrollment.id : null, at: now });
        if (holds) await core.markAttended(trx, enrollment.id);
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.training.checkin',
          targetType: 'training_session',
          targetId: s.id,
          orgId: s.org_id,
          outcome: 'success',
          detail: { activityId: s.activity_id, enrolled: Boolean(holds) },
        });
        return { activityId: s.activity_id, activityTitle: s.activity_title, sessionTitle: s.title, checkedInAt: row.checked_in_at.toISOString() };
      });
    },
  };
}
