// Reading files: the scoped list, one file with its family, visits, aid and timeline, the audited
// reveal of a family member's ID number, and the xlsx export. Split out of hardship.service.ts.
import { chinaDay } from '../../platform/china-time.js';
import { loadExcel } from '../../platform/excel.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import type { AidService } from '../aid/aid.service.js';
import { yuan } from '../../platform/money.js';
import { escapeCell } from '../../platform/spreadsheet.js';
import { hardshipRepository } from './hardship.repository.js';
import { causeLabel } from './hardship.constants.js';
import type { FilesQuery } from './hardship.schema.js';
import { HARDSHIP_ACTIONS, actorName, fileOrThrow, summary } from './hardship.common.js';

export function createHardshipReads(ctx: ModuleContext & { aid: AidService }) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  const api = {
    /** A family member's full ID number, for a holder of member:reveal, with a stated reason; audited. (The head's: /api/members/:membershipId/reveal.) */
    async revealFamilyId(actor: StaffActor, meta: RequestMeta, id: string, memberId: string, reason: string) {
      const f = await fileOrThrow(db, actor, id);
      const member = await hardshipRepository.familyMember(db, id, memberId);
      if (!member) throw notFound('家庭成员');
      await ctx.audit.record({
        ...auditActor(actor, meta),
        action: 'hardship.reveal',
        targetType: 'hardship_family_member',
        targetId: member.id,
        orgId: f.org_id,
        outcome: 'success',
        detail: { fileId: id, field: 'idNumber', reason },
      });
      return { field: 'idNumber' as const, value: member.id_enc ? ctx.crypto.decrypt(member.id_enc) : null };
    },

    /** `from`: the export reads the replica (decision 038); the list page the primary (a file just added is listed). */
    async list(actor: StaffActor, q: FilesQuery, from: 'primary' | 'reader' = 'primary') {
      const orgPath = q.orgId ? (await ctx.orgs.findInScope(actor, q.orgId))?.path : undefined;
      if (q.orgId && !orgPath) throw notFound('组织');
      const { items, total } = await hardshipRepository.list(from === 'reader' ? ctx.database.reader : db, actor.orgPath, {
        status: q.status,
        cause: q.cause,
        orgPath,
        reviewDueYear: q.reviewDueYear,
        q: q.q,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      const today = chinaDay(now());
      return { items: items.map((f) => summary(f, today)), total };
    },

    async get(actor: StaffActor, id: string) {
      const f = await fileOrThrow(db, actor, id);
      const family = await hardshipRepository.family(db, id);
      const visits = await hardshipRepository.visits(db, id);
      const objections = await hardshipRepository.objections(db, id);
      const reviews = await hardshipRepository.reviews(db, id);
      const pairings = await hardshipRepository.pairings(db, id);
      const pairingVisits = await hardshipRepository.pairingVisits(db, id);
      const events = await hardshipRepository.events(db, id);
      const aid = await ctx.aid.ofFile(db, id, f.head_person_id);
      return {
        ...summary(f, chinaDay(now())),
        secondaryCauses: f.secondary_causes.map((code) => ({ code, label: causeLabel(code) })),
        headHealth: f.head_health,
        headWork: f.head_work,
        headMonthlyIncome: yuan(f.head_monthly_income),
        householdIncome: yuan(f.household_income),
        address: f.address,
        situation: f.situation,
        family: family.map((m) => ({
          id: m.id,
          name: m.name,
          relation: m.relation,
          idMasked: m.id_masked,
          health: m.health,
          work: m.work,
          monthlyIncome: yuan(m.monthly_income),
        })),
        visits: visits.map((v) => ({
          id: v.id,
          visitedOn: v.visited_on,
          visitors: v.visitors,
          findings: v.findings,
          photos: v.photos,
          recordedBy: v.recorded_by,
          at: v.at,
        })),
        notice: f.notice_start && f.notice_end ? { start: f.notice_start, end: f.notice_end } : null,
        objections: objections.map((o) => ({
          id: o.id,
          raisedBy: o.raised_by,
          content: o.content,
          outcome: o.outcome,
          outcomeLabel: o.outcome === 'upheld' ? '异议成立' : '异议不成立',
          handling: o.handling,
          recordedBy: o.recorded_by,
          at: o.at,
        })),
        reviews: reviews.map((r) => ({
          id: r.id,
          year: r.year,
          decision: r.decision,
          decisionLabel: r.decision === 'close' ? '解困脱困' : '继续帮扶',
          reason: r.reason,
          reviewedBy: r.reviewed_by,
          at: r.at,
        })),
        pairings: pairings.map((p) => ({
          id: p.id,
          kind: p.kind,
          kindLabel: p.kind === 'unit' ? '结对单位' : '结对干部',
          name: p.name,
          contact: p.contact,
          startedOn: p.started_on,
          visits: pairingVisits
            .filter((v) => v.pairing_id === p.id)
            .map((v) => ({ id: v.id, visitedOn: v.visited_on, notes: v.notes, recordedBy: v.recorded_by, at: v.at })),
        })),
        aid,
        timeline: events.map((e) => ({
          id: e.id,
          action: e.action,
          actionLabel: HARDSHIP_ACTIONS[e.action] ?? e.action,
          fromStatus: e.from_status,
          toStatus: e.to_status,
          comment: e.comment,
          actorName: e.actor_name,
          /** The account (staff) that acted: the console hides 初审通过 from who submitted or edited it (decision 045). */
          actorId: e.actor_id,
          at: e.at,
        })),
        rejectReason: f.reject_reason,
        closedReason: f.closed_reason,
        closedAt: f.closed_at,
      };
    },

    async exportXlsx(actor: StaffActor, meta: RequestMeta, q: Omit<FilesQuery, 'page' | 'pageSize'>) {
      const { items } = await api.list(actor, { ...q, page: 1, pageSize: 10_000 } as FilesQuery, 'reader');
      const wb = new (await loadExcel()).Workbook();
      const ws = wb.addWorksheet('困难职工档案');
      ws.addRow(['档案编号', '状态', '所属工会', '户主', '身份证号', '手机号', '主要致困原因', '家庭人口', '人均月收入（元）', '复核到期', '建档时间']);
      for (const f of items) {
        ws.addRow([
          f.fileNo,
          f.statusLabel,
          escapeCell(f.org.name),
          escapeCell(f.head.name),
          f.head.idMasked,
          f.head.phoneMasked ?? '',
          f.mainCauseLabel,
          f.householdSize,
          f.perCapitaIncome,
          f.reviewDueOn ?? '',
          f.establishedAt ? chinaDay(f.establishedAt) : '',
        ]);
      }
      ws.columns.forEach((c, i) => (c.width = [12, 10, 24, 10, 20, 14, 14, 8, 14, 12, 12][i]));
      await db.transaction().execute((trx) =>
        ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'hardship.export',
          targetType: 'hardship_file',
          orgId: actor.orgId,
          outcome: 'success',
          detail: { rows: items.length, filters: q },
        }),
      );
      const stamp = chinaDay(now()).replace(/-/g, '');
      return {
        buffer: Buffer.from(await wb.xlsx.writeBuffer()),
        rows: items.length,
        fileName: `困难职工档案-${stamp}.xlsx`,
        asciiName: `hardship-files-${stamp}.xlsx`,
      };
    },
  };
  return api;
}

export type HardshipReads = ReturnType<typeof createHardshipReads>;
