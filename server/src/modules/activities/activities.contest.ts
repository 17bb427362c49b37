// 技能竞赛: events by industry and work type (settings), registration (the core's enrollment), rounds,
// scores per round per participant (entered by staff or imported from .xlsx), rankings, and
// certificates (.docx and PDF with a verification QR) with the public verification answer.
import { z } from 'zod';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { isZip, openWorkbookReader } from '../../platform/spreadsheet.js';
import { auditActor } from '../audit/audit.service.js';
import { escapeCell, XLSX_TYPE } from '../../platform/spreadsheet.js';
import ExcelJS from 'exceljs';
import type { ActivitiesCore, ActivityTypePlugin, Trx } from './activities.plugins.js';
import {
  certificateDocx,
  certificatePdf,
  isCertificateCode,
  newCertificateCode,
  verification,
  verifyPathOf,
  type CertificateView,
} from './activities.certificates.js';
import * as repo from './activity-types.repository.js';
import { centsToScore, rankBy, scoreToCents } from './activity-types.rules.js';

export const contestSettings = z.strictObject({
  industry: z.string().trim().max(40, '行业不能超过 40 个字').optional(),
  workType: z.string().trim().max(40, '工种不能超过 40 个字').optional(),
});

export const contestPlugin: ActivityTypePlugin = { type: 'contest', settingsSchema: contestSettings };

const idText = z.string().regex(/^[1-9][0-9]{0,18}$/, '编号格式错误');
const scoreText = z.string({ error: '请填写成绩' }).refine((s) => scoreToCents(s) !== null, '成绩应为 0 到 10000 之间、至多两位小数的数');

export const roundBody = z.strictObject({
  name: z.string({ error: '请填写轮次名称' }).trim().min(1, '请填写轮次名称').max(30, '轮次名称不能超过 30 个字'),
  maxScore: scoreText.refine((s) => scoreToCents(s)! > 0, '满分应大于 0'),
});
export const scoresBody = z.strictObject({
  scores: z
    .array(z.strictObject({ enrollmentId: idText, score: scoreText }))
    .min(1, '请至少填写一个成绩')
    .max(5000, '一次至多 5000 个成绩'),
});
export const certificatesBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        enrollmentId: idText,
        award: z.string({ error: '请填写奖项' }).trim().min(2, '请填写奖项（如 一等奖）').max(30, '奖项不能超过 30 个字'),
      }),
    )
    .min(1, '请至少选择一名获奖者')
    .max(500, '一次至多 500 张证书'),
});

type Cert = Awaited<ReturnType<typeof repo.certificatesOfActivity>>[number];
const view = (c: Cert): CertificateView => ({
  id: c.id,
  code: c.code,
  holderName: c.holder_name,
  award: c.award,
  issuedOn: c.issued_on,
  activityTitle: c.activity_title,
  orgName: c.org_name,
});
const present = (c: Cert) => ({
  id: c.id,
  code: c.code,
  holderName: c.holder_name,
  award: c.award,
  issuedOn: c.issued_on,
  activityId: c.activity_id,
  activityTitle: c.activity_title,
  enrollmentId: c.enrollment_id,
  verifyPath: verifyPathOf(c.code),
});

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (Array.isArray(o.richText))
      return o.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
  }
  return String(v as string).trim();
}

/** The first sheet of an .xlsx as header → text records, with their row numbers. */
export async function readSheet(content: Buffer, maxRows: number): Promise<{ headers: string[]; rows: { rowNo: number; cells: Record<string, string> }[] }> {
  if (!isZip(content)) throw invalid({ file: '请上传 .xlsx 文件' });
  const reader = await openWorkbookReader(content, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  let headers: string[] | null = null;
  const rows: { rowNo: number; cells: Record<string, string> }[] = [];
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = Array.from((row.values as unknown[]).slice(1), cellText);
        if (!headers) {
          headers = values.map((h) => h.replace(/^\*|\*$/g, '').trim());
          continue;
        }
        if (values.every((v) => v === '')) continue;
        rows.push({ rowNo: row.number, cells: Object.fromEntries(headers.map((h, i) => [h, values[i] ?? ''])) });
        if (rows.length > maxRows) throw invalid({ file: `文件超过 ${maxRows} 行` });
      }
      break;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw invalid({ file: '无法读取文件，请确认是 .xlsx 格式' });
  }
  return { headers: headers ?? [], rows };
}

export function createContestService(core: ActivitiesCore) {
  const { ctx } = core;
  const db = ctx.database.db;

  async function contest(trx: Trx, actor: StaffActor, id: string) {
    const a = await core.activityForStaff(trx, actor, id);
    if (a.type !== 'contest') throw notFound('技能竞赛');
    return a;
  }

  async function saveScores(
    trx: Trx,
    actor: StaffActor,
    meta: RequestMeta,
    activity: { id: string; orgId: string },
    roundId: string,
    scores: { enrollmentId: string; score: string }[],
    via: string,
  ) {
    const round = await repo.roundOf(trx, activity.id, roundId);
    if (!round) throw notFound('轮次');
    const ids = [...new Set(scores.map((s) => s.enrollmentId))];
    if (ids.length !== scores.length) throw invalid({ scores: '同一报名重复填写成绩' });
    const holders = new Set((await repo.placeHoldersAmong(trx, activity.id, ids)).map((h) => h.id));
    const unknown = ids.filter((id) => !holders.has(id));
    if (unknown.length) throw invalid({ scores: `报名编号 ${unknown.join('、')} 不是本竞赛的参赛者` });
    const max = scoreToCents(round.max_score)!;
    const over = scores.filter((s) => scoreToCents(s.score)! > max);
    if (over.length) throw invalid({ scores: `成绩不能超过本轮满分 ${round.max_score}（报名编号 ${over.map((s) => s.enrollmentId).join('、')}）` });
    const normalised = scores.map((s) => ({ enrollmentId: s.enrollmentId, score: centsToScore(scoreToCents(s.score)!) }));
    await repo.upsertScores(trx, round.id, normalised, actor.accountId, ctx.clock.now());
    await ctx.audit.append(trx, {
      ...auditActor(actor, meta),
      action: 'activity.contest.scores',
      targetType: 'activity',
      targetId: activity.id,
      orgId: activity.orgId,
      outcome: 'success',
      detail: { roundId: round.id, count: scores.length, via },
    });
    return normalised.length;
  }

  return {
    async rounds(actor: StaffActor, activityId: string) {
      return db.transaction().execute(async (trx) => {
        const a = await contest(trx, actor, activityId);
        const rows = await repo.roundsOf(trx, a.id);
        return { items: rows.map((r) => ({ id: r.id, no: r.no, name: r.name, maxScore: r.max_score })) };
      });
    },

    async addRound(actor: StaffActor, meta: RequestMeta, activityId: string, body: z.infer<typeof roundBody>) {
      return db.transaction().execute(async (trx) => {
        const a = await contest(trx, actor, activityId);
        const r = await repo.insertRound(trx, a.id, body.name, centsToScore(scoreToCents(body.maxScore)!));
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.contest.round',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.orgId,
          outcome: 'success',
          detail: { roundId: r.id, name: r.name },
        });
        return { id: r.id, no: r.no, name: r.name, maxScore: r.max_score };
      });
    },

    async enterScores(actor: StaffActor, meta: RequestMeta, activityId: string, roundId: string, body: z.infer<typeof scoresBody>) {
      return db.transaction().execute(async (trx) => {
        const a = await contest(trx, actor, activityId);
        return { saved: await saveScores(trx, actor, meta, a, roundId, body.scores, 'form') };
      });
    },

    /** Scores from .xlsx (columns 报名编号, 成绩): every bad row is listed and nothing is saved when any is bad. */
    async importScores(actor: StaffActor, meta: RequestMeta, activityId: string, roundId: string, content: Buffer) {
      return db.transaction().execute(async (trx) => {
        const a = await contest(trx, actor, activityId);
        if (!(await repo.roundOf(trx, a.id, roundId))) throw notFound('轮次');
        const sheet = await readSheet(content, 5000);
        const missing = ['报名编号', '成绩'].filter((h) => !sheet.headers.includes(h));
        if (missing.length) throw invalid({ file: `缺少列：${missing.join('、')}` });
        const errors: { row: number; message: string }[] = [];
        const scores: { enrollmentId: string; score: string }[] = [];
        for (const r of sheet.rows) {
          const id = r.cells['报名编号'] ?? '';
          const score = r.cells['成绩'] ?? '';
          if (!/^[1-9][0-9]{0,18}$/.test(id)) errors.push({ row: r.rowNo, message: '报名编号格式错误' });
          else if (scoreToCents(score) === null) errors.push({ row: r.rowNo, message: '成绩应为 0 到 10000 之间、至多两位小数的数' });
          else scores.push({ enrollmentId: id, score });
        }
        if (errors.length || scores.length === 0) return { saved: 0, errors: errors.length ? errors : [{ row: 0, message: '文件中没有成绩' }] };
        try {
          return { saved: await saveScores(trx, actor, meta, a, roundId, scores, 'xlsx'), errors: [] };
        } catch (err) {
          if (err instanceof AppError && err.code === 'VALIDATION_FAILED')
            return { saved: 0, errors: [{ row: 0, message: Object.values(err.fields ?? {}).join('；') || err.message }] };
          throw err;
        }
      });
    },

    /** The round's score sheet: one row per participant (报名编号, 姓名, 成绩 as entered so far), for import. Audited: it lists names. */
    async scoreSheet(actor: StaffActor, meta: RequestMeta, activityId: string, roundId: string) {
      const { round, people, scores } = await db.transaction().execute(async (trx) => {
        const a = await contest(trx, actor, activityId);
        const r = await repo.roundOf(trx, a.id, roundId);
        if (!r) throw notFound('轮次');
        const data = await repo.participantsWithScores(trx, a.id);
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.contest.score_sheet',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.orgId,
          outcome: 'success',
          detail: { roundId: r.id, rows: data.people.length },
        });
        return { round: r, ...data };
      });
      const own = new Map(scores.filter((s) => s.round_id === round.id).map((s) => [s.enrollment_id, s.score]));
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('成绩');
      ws.columns = [
        { header: '报名编号', key: 'id', width: 14 },
        { header: '姓名', key: 'name', width: 14 },
        { header: '成绩', key: 'score', width: 10 },
      ];
      for (const p of people) ws.addRow({ id: p.id, name: escapeCell(p.name), score: own.get(p.id) ?? '' });
      ws.addRow([]);
      const note = wb.addWorksheet('填写说明');
      note.addRow([`轮次：${round.name}（满分 ${round.max_score}）。只填写“成绩”列，至多两位小数；不要修改报名编号。`]);
      return { body: Buffer.from(await wb.xlsx.writeBuffer()), contentType: XLSX_TYPE, fileName: `成绩录入-${round.name}.xlsx` };
    },

    async rankings(actor: StaffActor, activityId: string) {
      return db.transaction().execute(async (trx) => {
        const a = await contest(trx, actor, activityId);
        const rounds = await repo.roundsOf(trx, a.id);
        const { people, scores } = await repo.participantsWithScores(trx, a.id);
        const byEnrollment = new Map<string, Record<string, string>>();
        for (const s of scores) {
          const m = byEnrollment.get(s.enrollment_id) ?? {};
          m[s.round_id] = s.score;
          byEnrollment.set(s.enrollment_id, m);
        }
        const rows = people.map((p) => {
          const own = byEnrollment.get(p.id) ?? {};
          const total = Object.values(own).reduce((sum, s) => sum + scoreToCents(s)!, 0);
          return { enrollmentId: p.id, name: p.name, totalCents: total, scores: own };
        });
        return {
          rounds: rounds.map((r) => ({ id: r.id, no: r.no, name: r.name, maxScore: r.max_score })),
          items: rankBy(rows, (r) => r.totalCents).map((r) => ({
            rank: r.rank,
            enrollmentId: r.enrollmentId,
            name: r.name,
            total: centsToScore(r.totalCents),
            scores: r.scores,
          })),
        };
      });
    },

    async issueCertificates(actor: StaffActor, meta: RequestMeta, activityId: string, body: z.infer<typeof certificatesBody>) {
      return db.transaction().execute(async (trx) => {
        const a = await contest(trx, actor, activityId);
        const ids = [...new Set(body.items.map((i) => i.enrollmentId))];
        if (ids.length !== body.items.length) throw invalid({ items: '同一报名重复' });
        const holders = new Map((await repo.placeHoldersAmong(trx, a.id, ids)).map((h) => [h.id, h]));
        const unknown = ids.filter((id) => !holders.has(id));
        if (unknown.length) throw invalid({ items: `报名编号 ${unknown.join('、')} 不是本竞赛的参赛者` });
        const issuedOn = new Date(ctx.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
        for (const item of body.items) {
          await repo.insertCertificate(trx, {
            activityId: a.id,
            enrollmentId: item.enrollmentId,
            personId: holders.get(item.enrollmentId)!.person_id,
            code: newCertificateCode(),
            award: item.award,
            issuedOn,
            issuedBy: actor.accountId,
          });
        }
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.certificate.issue',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.orgId,
          outcome: 'success',
          detail: { count: body.items.length },
        });
        const all = await repo.certificatesOfActivity(trx, a.id);
        return { items: all.filter((c) => holders.has(c.enrollment_id)).map(present) };
      });
    },

    async certificates(actor: StaffActor, activityId: string) {
      return db.transaction().execute(async (trx) => {
        const a = await contest(trx, actor, activityId);
        return { items: (await repo.certificatesOfActivity(trx, a.id)).map(present) };
      });
    },

    async staffCertificateFile(actor: StaffActor, id: string, format: 'docx' | 'pdf', origin: string) {
      const c = await db.transaction().execute((trx) => repo.certificateInScope(trx, id, actor.orgPath));
      if (!c) throw notFound('证书');
      return render(c, format, origin);
    },

    async workerCertificates(workerId: string) {
      const rows = await db.transaction().execute((trx) => repo.certificatesOfWorker(trx, workerId));
      return { items: rows.map(present) };
    },

    async workerCertificateFile(workerId: string, id: string, format: 'docx' | 'pdf', origin: string) {
      const c = await db.transaction().execute((trx) => repo.certificateOfWorker(trx, id, workerId));
      if (!c) throw notFound('证书');
      return render(c, format, origin);
    },

    async verify(code: string) {
      if (!isCertificateCode(code)) return { valid: false as const };
      const c = await db.transaction().execute((trx) => repo.certificateByCode(trx, code));
      return verification(c ? view(c) : undefined);
    },
  };
}

async function render(c: Cert, format: 'docx' | 'pdf', origin: string) {
  const v = view(c);
  const url = `${origin}${verifyPathOf(c.code)}`;
  const fileName = `荣誉证书-${c.holder_name}-${c.award}.${format}`;
  if (format === 'docx') {
    return { body: await certificateDocx(v, url), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', fileName };
  }
  return { body: await certificatePdf(v, url), contentType: 'application/pdf', fileName };
}

export type ContestService = ReturnType<typeof createContestService>;
