// List matching (对接部门数据): staff upload an outside list (e.g. the transport department's
// small-truck owners); only blind indexes and masked values are kept, for 30 days. The report
// matches it against live memberships within the caller's scope, and the people not yet in any
// union can be exported for a recruitment drive.
import { PassThrough } from 'node:stream';
import { loadExcel } from '../../platform/excel.js';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { maskPhone } from '../../platform/crypto.js';
import { invalid, notFound } from '../../platform/errors.js';
import { canonicalIdNumber, canonicalMobile, isMainlandMobile, maskIdNumber, normaliseWidth, parseResidentId } from '../../platform/validators.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { ID_DOMAIN, PHONE_DOMAIN } from '../members/members.service.js';
import { type MembersExport } from '../members/members.export.js';
import { chinaDate } from '../../platform/china-time.js';
import { escapeCell } from '../../platform/spreadsheet.js';
import { matchingRepository, type NewListRow } from './matching.repository.js';
import { HEADER_ROWS, listRows, locateColumns, type Column, type ListCell, type ListRow } from './matching.read.js';
import { LIST_TTL_DAYS, MAX_LIST_ROWS, maskName, maskPlate, type UploadQuery } from './matching.schema.js';

const DAY_MS = 86_400_000;
const PAGE = 2000;
export type MatchingService = ReturnType<typeof createMatchingService>;

export function createMatchingService(ctx: ModuleContext & { membersExport: MembersExport }) {
  const db: Kysely<DB> = ctx.database.db;
  const c = ctx.crypto;

  /**
   * Reads the list a row at a time and writes its rows in batches of 500 into list `listId` (in the
   * upload's transaction: a fault part-way rolls it all back). Only blind indexes and masked values
   * are kept; a repeated ID number is an invalid row naming the first.
   */
  async function writeList(trx: Transaction<DB>, listId: string, content: Buffer): Promise<{ rows: number; invalid: number }> {
    const seen = new Map<string, number>();
    const now = ctx.clock.now();
    const head: ListRow[] = [];
    let at: Partial<Record<Column, number>> | null = null;
    let batch: NewListRow[] = [];
    let rows = 0;
    let invalidCount = 0;
    const EMPTY: ListCell = { text: '', numeric: false };

    const add = async (raw: ListRow) => {
      const get = (col: Column) => (at![col] === undefined ? EMPTY : (raw.cells[at![col]!] ?? EMPTY));
      if (raw.cells.every((cell) => !cell.text)) return;
      const name = get('name').text;
      const id = get('idNumber');
      const phone = canonicalMobile(get('phone').text) ?? normaliseWidth(get('phone').text).replace(/[\s-]/g, '');
      const idText = canonicalIdNumber(id.text);
      let reason: string | null = null;
      let bidx: string | null = null;
      if (!idText) reason = '缺少身份证号';
      else if (id.numeric) reason = '身份证号被存成了数字（已丢失末几位），请将该列设为文本后重新导出';
      else {
        const parsed = parseResidentId(idText, now);
        if (typeof parsed === 'string') reason = parsed;
        else {
          const prior = seen.get(parsed.number);
          if (prior !== undefined) reason = `与第 ${prior} 行身份证号重复`;
          else {
            seen.set(parsed.number, raw.rowNo);
            bidx = c.blindIndex(`resident_id:${parsed.number}`, ID_DOMAIN);
          }
        }
      }
      if (++rows > MAX_LIST_ROWS) throw invalid({ file: `名单不能超过 ${MAX_LIST_ROWS} 行，请拆分后上传` });
      if (reason) invalidCount++;
      batch.push({
        row_no: raw.rowNo,
        name_masked: maskName(name),
        phone_masked: phone ? (isMainlandMobile(phone) ? maskPhone(phone) : '*'.repeat(Math.min(phone.length, 11))) : null,
        phone_bidx: isMainlandMobile(phone) ? c.blindIndex(phone, PHONE_DOMAIN) : null,
        plate_masked: maskPlate(get('plate').text),
        id_bidx: bidx,
        id_masked: idText ? maskIdNumber(idText) : null,
        invalid_reason: reason,
      });
      if (batch.length >= 500) {
        await matchingRepository.insertRows(trx, listId, batch);
        batch = [];
      }
    };
    // The header is one of the first rows: they wait until it is found.
    const startBody = async () => {
      const located = locateColumns(head);
      at = located.at;
      for (const r of head.slice(located.headerIndex + 1)) await add(r);
    };

    for await (const raw of listRows(content)) {
      if (at) await add(raw);
      else if (head.push(raw) === HEADER_ROWS) await startBody();
    }
    if (!at) await startBody();
    if (batch.length) await matchingRepository.insertRows(trx, listId, batch);
    if (rows === 0) throw invalid({ file: '名单中没有数据行' });
    return { rows, invalid: invalidCount };
  }

  /**
   * Each valid row of the list, classified against live memberships: a member within the
   * caller's scope (with the union), a member elsewhere (union not named), or not a member.
   */
  async function* classify(actor: StaffActor, listId: string) {
    let after = 0;
    for (;;) {
      const page = await matchingRepository.validRows(db, listId, after, PAGE);
      if (page.length === 0) return;
      const live = await ctx.membersExport.liveByIdIndexes(page.map((r) => r.id_bidx!));
      const byBidx = new Map(live.map((m) => [m.id_bidx, m]));
      for (const row of page) {
        const m = byBidx.get(row.id_bidx!);
        if (!m) yield { row, kind: 'non_member' as const };
        else if (m.org_path.startsWith(actor.orgPath)) yield { row, kind: 'member' as const, org: { id: m.org_id, name: m.org_name } };
        else yield { row, kind: 'elsewhere' as const };
      }
      if (page.length < PAGE) return;
      after = page[page.length - 1]!.row_no;
    }
  }

  async function findList(actor: StaffActor, id: string) {
    const list = await matchingRepository.findInScope(db, actor.orgPath, ctx.clock.now(), id);
    if (!list) throw notFound('比对名单');
    return list;
  }

  const dto = (l: NonNullable<Awaited<ReturnType<typeof matchingRepository.findInScope>>>) => ({
    id: l.id,
    name: l.name,
    fileName: l.file_name,
    org: { id: l.org_id, name: l.org_name },
    rowCount: l.row_count,
    invalidCount: l.invalid_count,
    createdAt: new Date(l.created_at).toISOString(),
    expiresAt: new Date(l.expires_at).toISOString(),
  });

  const service = {
    async upload(actor: StaffActor, meta: RequestMeta, q: UploadQuery, content: unknown) {
      const org = await ctx.orgs.findInScope(actor, q.orgId);
      if (!org) throw notFound('组织');
      if (!Buffer.isBuffer(content) || content.length === 0) {
        throw invalid({ file: '请上传名单文件（.xlsx 或 .csv，请求体为文件内容，Content-Type: application/octet-stream）' });
      }
      const now = ctx.clock.now();
      const id = await db.transaction().execute(async (trx) => {
        const list = await matchingRepository.insertList(trx, {
          org_id: org.id,
          name: q.name,
          file_name: q.fileName ?? null,
          row_count: 0,
          invalid_count: 0,
          created_by: actor.accountId,
          created_at: now,
          expires_at: new Date(now.getTime() + LIST_TTL_DAYS * DAY_MS),
        });
        const counted = await writeList(trx, list.id, content);
        await matchingRepository.setCounts(trx, list.id, counted);
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'match_list.create',
          targetType: 'match_list',
          targetId: list.id,
          orgId: org.id,
          outcome: 'success',
          detail: { name: q.name, fileName: q.fileName ?? null, rows: counted.rows, invalid: counted.invalid },
        });
        return list.id;
      });
      return service.get(actor, id);
    },

    async list(actor: StaffActor, f: { orgId?: string; page: number; pageSize: number }) {
      const { items, total } = await matchingRepository.list(db, actor.orgPath, ctx.clock.now(), {
        orgId: f.orgId,
        limit: f.pageSize,
        offset: (f.page - 1) * f.pageSize,
      });
      return { items: items.map(dto), total };
    },

    async get(actor: StaffActor, id: string) {
      const list = await findList(actor, id);
      let members = 0;
      let membersElsewhere = 0;
      let nonMembers = 0;
      const unions = new Map<string, { org: { id: string; name: string }; members: number }>();
      for await (const r of classify(actor, list.id)) {
        if (r.kind === 'non_member') nonMembers++;
        else if (r.kind === 'elsewhere') membersElsewhere++;
        else {
          members++;
          const u = unions.get(r.org.id) ?? { org: r.org, members: 0 };
          u.members++;
          unions.set(r.org.id, u);
        }
      }
      const invalidRows = await matchingRepository.invalidRows(db, list.id, 500);
      return {
        ...dto(list),
        summary: {
          total: list.row_count,
          members,
          membersElsewhere,
          nonMembers,
          invalid: list.invalid_count,
          byUnion: [...unions.values()].sort((a, b) => b.members - a.members || a.org.name.localeCompare(b.org.name, 'zh')),
        },
        invalidRows: invalidRows.map((r) => ({ row: r.row_no, name: r.name_masked, idMasked: r.id_masked, reason: r.invalid_reason })),
      };
    },

    /** The people on the list who are in no union yet, masked, for the recruitment drive. */
    async notYetExport(actor: StaffActor, meta: RequestMeta, id: string) {
      const list = await findList(actor, id);
      await ctx.audit.record({
        ...auditActor(actor, meta),
        action: 'match_list.export_not_yet',
        targetType: 'match_list',
        targetId: list.id,
        orgId: list.org_id,
        outcome: 'success',
        detail: { name: list.name },
      });
      const stream = new PassThrough();
      const write = async () => {
        const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false });
        const ws = wb.addWorksheet('未入会人员');
        ws.columns = [
          { header: '原表行号', key: 'row', width: 10 },
          { header: '姓名', key: 'name', width: 14 },
          { header: '身份证号', key: 'id', width: 22 },
          { header: '手机号', key: 'phone', width: 14 },
          { header: '车牌号', key: 'plate', width: 12 },
        ];
        for await (const r of classify(actor, list.id)) {
          if (r.kind !== 'non_member') continue;
          ws.addRow([String(r.row.row_no), ...[r.row.name_masked, r.row.id_masked, r.row.phone_masked, r.row.plate_masked].map(escapeCell)]).commit();
        }
        ws.commit();
        await wb.commit();
      };
      write().catch((err: unknown) => stream.destroy(err as Error));
      const stamp = chinaDate(ctx.clock.now());
      return { stream, fileName: `${list.name}-未入会-${stamp}.xlsx`, asciiName: `match-list-${list.id}-not-yet-${stamp}.xlsx` };
    },

    async remove(actor: StaffActor, meta: RequestMeta, id: string) {
      await db.transaction().execute(async (trx) => {
        const list = await matchingRepository.findInScope(trx, actor.orgPath, ctx.clock.now(), id);
        if (!list) throw notFound('比对名单');
        await matchingRepository.deleteList(trx, list.id);
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'match_list.delete',
          targetType: 'match_list',
          targetId: list.id,
          orgId: list.org_id,
          outcome: 'success',
          detail: { name: list.name, rows: list.row_count },
        });
      });
    },

    /** Deletes the lists past their 30 days (with their rows); audited as a system action. */
    async cleanupExpired(): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const gone = await matchingRepository.deleteExpired(trx, ctx.clock.now());
        for (const l of gone) {
          await ctx.audit.append(trx, {
            actorType: 'system',
            actorName: '系统（比对名单到期清理）',
            action: 'match_list.expire',
            targetType: 'match_list',
            targetId: l.id,
            orgId: l.org_id,
            outcome: 'success',
            detail: { name: l.name, keptDays: LIST_TTL_DAYS },
          });
        }
        return gone.length;
      });
    },
  };
  return service;
}
