// Export of the real-name roll as .xlsx, streamed: the roll is read in keyset pages and each page
// is written to the response as it comes, so memory stays flat at a million rows. Masked by
// default; full ID numbers and phones need member:reveal and a stated reason. Every export is
// audited before the first byte leaves.
import { PassThrough } from 'node:stream';
import { loadExcel } from '../../platform/excel.js';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { App, RequestMeta, StaffActor } from '../../platform/context.js';
import { maskPhone } from '../../platform/crypto.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { maskIdNumber } from '../../platform/validators.js';
import { auditActor } from '../audit/audit.service.js';
import { escapeCell, XLSX_TYPE } from '../../platform/spreadsheet.js';
import { sendXlsx } from '../../platform/download.js';
import { chinaDate } from '../../platform/china-time.js';
import { dateField, idField } from '../../platform/fields.js';
import type { ModuleContext } from '../module-context.js';
import { membersExportRepository, type ExportFilters } from './members.export.repository.js';
import { EMPLOYMENT_FORMS, MEMBERSHIP_STATUSES, employmentFormEnum, memberStatusEnum } from './members.schema.js';

const day = dateField();

export const exportBody = z.strictObject({
  filters: z
    .strictObject({
      q: z.string().trim().max(30, '关键词不能超过 30 个字').optional(),
      status: z.array(memberStatusEnum, { error: '会籍状态无效' }).max(4).optional(),
      employmentForm: employmentFormEnum.optional(),
      joinedFrom: day.optional(),
      joinedTo: day.optional(),
      isMigrantWorker: z.boolean({ error: '是否农民工应为 true 或 false' }).optional(),
      isModelWorker: z.boolean({ error: '是否劳模应为 true 或 false' }).optional(),
      orgId: idField('组织').optional(),
    })
    .default({}),
  full: z.boolean({ error: '是否导出完整信息应为 true 或 false' }).default(false),
  reason: z.string({ error: '事由应为文字' }).trim().max(200, '事由不能超过 200 个字').optional(),
});
export type ExportInput = z.output<typeof exportBody>;

export const ROLL_COLUMNS = [
  '会员号',
  '姓名',
  '性别',
  '出生日期',
  '证件号码',
  '手机号',
  '所属工会',
  '会籍状态',
  '就业形态',
  '工作单位',
  '入会日期',
  '是否农民工',
  '是否劳模',
] as const;
const WIDTHS = [18, 10, 6, 12, 22, 14, 30, 10, 16, 30, 12, 10, 10];

export const EXPORT_PAGE_SIZE = 2000;

const asDay = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v ? String(v) : '');
const yesNo = (b: boolean) => (b ? '是' : '否');

/** Waits while the consumer is behind, so rows are not produced faster than they leave. */
async function keepPace(out: PassThrough) {
  while (!out.destroyed && (out.writableNeedDrain || out.readableLength >= out.readableHighWaterMark)) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function createMembersExport(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  // The roll's pages (and their count) are read on the replica when there is one (decision 038): an export
  // tolerates its lag; the scope check and the audit row stay on the primary. Each page is one statement,
  // so a replica lost mid-export continues on the primary from the same keyset position.
  const reader: Kysely<DB> = ctx.database.reader;
  const c = ctx.crypto;

  async function writeRoll(out: PassThrough, scopePath: string, filters: ExportFilters, full: boolean) {
    const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet('会员名册');
    ws.columns = ROLL_COLUMNS.map((header, i) => ({ header, key: `c${i}`, width: WIDTHS[i] }));
    let after: { orgPath: string; id: string } | null = null;
    for (;;) {
      const page = await membersExportRepository.page(reader, scopePath, filters, after, EXPORT_PAGE_SIZE, full);
      const orgNames = await membersExportRepository.orgNames(reader, [...new Set(page.map((r) => r.org_id))]);
      for (const r of page) {
        const idNumber = full && r.id_enc ? c.decrypt(r.id_enc) : r.id_masked;
        const phone = full && r.phone_enc ? c.decrypt(r.phone_enc) : r.phone_masked;
        ws.addRow(
          [
            r.member_no,
            r.name,
            r.sex === 'M' ? '男' : r.sex === 'F' ? '女' : '',
            asDay(r.birth_date),
            idNumber,
            phone,
            orgNames.get(r.org_id) ?? '',
            MEMBERSHIP_STATUSES[r.status],
            EMPLOYMENT_FORMS[r.employment_form],
            r.employer_name,
            asDay(r.joined_on),
            yesNo(r.is_migrant_worker),
            yesNo(r.is_model_worker),
          ].map((v) => escapeCell(v)),
        ).commit();
      }
      if (page.length < EXPORT_PAGE_SIZE || out.destroyed) break;
      const last = page[page.length - 1]!;
      after = { orgPath: last.org_path, id: last.id };
      await keepPace(out);
    }
    ws.commit();
    await wb.commit();
  }

  /** What the audit trail keeps of a search box: never a full ID number or phone. */
  function auditedFilters(f: ExportInput['filters'], search: ExportFilters['search']) {
    const { q, ...rest } = f;
    if (!q) return rest;
    const shown = search?.kind === 'phone' ? maskPhone(q) : search?.kind === 'id' ? maskIdNumber(q) : q;
    return { ...rest, q: shown };
  }

  return {
    /**
     * Checks, audits, and starts writing the workbook; the returned stream is the response body.
     * Errors before the stream starts are ordinary API errors.
     */
    async exportRoll(actor: StaffActor, meta: RequestMeta, input: ExportInput) {
      const reason = input.reason?.trim() ?? '';
      if (input.full) {
        if (!actor.permissions.has('member:reveal')) throw new AppError('FORBIDDEN', '导出完整身份证号、手机号须具有“查看完整身份证号、手机号”权限');
        if (reason.length < 2) throw invalid({ reason: '导出完整身份证号、手机号须说明事由（至少 2 个字）' });
      }
      const { q, ...rest } = input.filters;
      // 所属工会: that union and the unions under it, as in the list.
      const scope = rest.orgId ? (await ctx.orgs.findInScope(actor, rest.orgId))?.path : actor.orgPath;
      if (!scope) throw notFound('组织');
      const filters: ExportFilters = { ...rest, orgId: undefined, search: ctx.members.searchOf(q) };
      const rows = await membersExportRepository.count(reader, scope, filters);
      await ctx.audit.record({
        ...auditActor(actor, meta),
        action: input.full ? 'member.export_full' : 'member.export',
        targetType: 'member_roll',
        targetId: rest.orgId ?? actor.orgId,
        orgId: rest.orgId ?? actor.orgId,
        outcome: 'success',
        detail: { rows, full: input.full, ...(input.full && { reason }), filters: auditedFilters(input.filters, filters.search) },
      });
      const stream = new PassThrough();
      writeRoll(stream, scope, filters, input.full).catch((err: unknown) => stream.destroy(err as Error));
      return { stream, rows, fileName: `会员名册-${chinaDate(ctx.clock.now())}.xlsx`, asciiName: `member-roll-${chinaDate(ctx.clock.now())}.xlsx` };
    },

    /** For list matching: where (if anywhere) the people with these ID blind indexes are live members. */
    liveByIdIndexes: (idBidxs: string[]) => membersExportRepository.liveByIdIndexes(db, idBidxs),
  };
}

export type MembersExport = ReturnType<typeof createMembersExport>;

export function membersExportRoutes(app: App, membersExport: MembersExport) {
  app.post(
    '/api/members/export',
    {
      config: { access: 'member:export' },
      schema: {
        tags: ['members'],
        summary: '导出会员名册（.xlsx，按当前筛选；默认脱敏，full=true 须 member:reveal 与事由，留痕）',
        body: exportBody,
      },
    },
    async (req, reply) => {
      const out = await membersExport.exportRoll(req.actor as StaffActor, req.meta, req.body);
      return sendXlsx(reply, out);
    },
  );
}
