// Files of 工作质效评价: the evidence file of a manual claim (JPG / PNG / PDF by content, ≤ 10 MB, kept
// in the file store under targets/…) and the ranking as .xlsx.
import { randomBytes } from 'node:crypto';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { loadExcel } from '../../platform/excel.js';
import { escapeCell } from '../../platform/spreadsheet.js';
import { auditActor } from '../audit/audit.service.js';
import { ATTACHMENT_LIMIT, cleanFileName, sniffFile, type FileStore } from '../applications/applications.files.js';
import { targetsRepository as repo } from './targets.repository.js';
import type { SchemeService } from './targets.scheme.js';
import { forbidden, type TargetsContext } from './targets.service.js';

const evidenceKey = (at: Date) => `targets/${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${randomBytes(16).toString('hex')}`;

export function createTargetFiles(ctx: TargetsContext, files: FileStore, schemes: SchemeService) {
  const db = ctx.database.db;

  return {
    /** The assessed org attaches (or replaces) the evidence file of its own claim, before it is confirmed. */
    async uploadEvidence(actor: StaffActor, meta: RequestMeta, id: string, body: Buffer | undefined, name?: string) {
      const c = await repo.claimInScope(db, actor.orgPath, id);
      if (!c) throw notFound('自评');
      if (c.org_id !== actor.orgId) throw forbidden('只有被考核单位可以上传佐证材料');
      if (c.status === 'confirmed') throw conflict('该项得分已确认，不能再修改佐证材料');
      if (!body?.length) throw invalid({ file: '请选择佐证材料文件' });
      if (body.length > ATTACHMENT_LIMIT) throw invalid({ file: '佐证材料不能超过 10 MB' });
      const kind = sniffFile(body);
      if (!kind) throw invalid({ file: '佐证材料仅支持 JPG、PNG 图片或 PDF 文件' });
      const key = evidenceKey(ctx.clock.now());
      await files.put(key, body);
      const fileName = cleanFileName(name, kind);
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await repo.setEvidenceFile(trx, id, c.version, { file_key: key, file_name: fileName, file_mime: kind.mime });
          if (!row) throw conflict();
          await ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'target.manual.evidence',
            targetType: 'target_manual_score',
            targetId: id,
            orgId: c.org_id,
            outcome: 'success',
            detail: { item: c.item_name, file: fileName, bytes: body.length },
          });
          return { id, version: row.version, fileName };
        });
      } catch (err) {
        await files.delete(key);
        throw err;
      }
    },

    async evidence(actor: StaffActor, id: string) {
      const c = await repo.claimInScope(db, actor.orgPath, id);
      if (!c?.file_key) throw notFound('佐证材料');
      const body = await files.get(c.file_key);
      if (!body) throw notFound('佐证材料');
      return {
        body,
        contentType: c.file_mime ?? 'application/octet-stream',
        fileName: c.file_name ?? '佐证材料',
        asciiName: `evidence-${c.id}.${(c.file_name ?? '').split('.').pop() || 'bin'}`,
      };
    },

    /** The ranking of a scheme as .xlsx: place, org, each item's score, total. */
    async exportRanking(actor: StaffActor, meta: RequestMeta, q: { year?: number; orgId?: string }) {
      const v = await schemes.view(actor, q);
      if (!v.scheme) throw notFound(`${v.year} 年度考核方案`);
      const ExcelJS = await loadExcel();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('考核排名');
      const title = `${v.org.name}${v.year}年度${v.scheme.name}`;
      ws.addRow([escapeCell(title)]);
      ws.addRow([escapeCell(`统计截至 ${v.asOf ?? '—'}；指标类按目标完成情况计分，人工评分项以审核确认的得分计`)]);
      ws.addRow(['排名', '组织', ...v.scheme.items.map((i) => escapeCell(`${i.name}（${i.weight}分）`)), '总分']);
      for (const r of v.ranking) ws.addRow([r.rank, escapeCell(r.org.name), ...r.items.map((s) => s.score), r.total]);
      ws.getRow(1).font = { bold: true, size: 14 };
      ws.getRow(3).font = { bold: true };
      ws.columns.forEach((c, i) => (c.width = i === 1 ? 28 : 14));
      await db.transaction().execute((trx) =>
        ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'target.scheme.export',
          targetType: 'target_scheme',
          targetId: v.scheme!.id,
          orgId: v.org.id,
          outcome: 'success',
          detail: { year: v.year, rows: v.ranking.length },
        }),
      );
      return { fileName: `${title}.xlsx`, asciiName: `assessment-${v.year}.xlsx`, rows: v.ranking.length, buffer: Buffer.from(await wb.xlsx.writeBuffer()) };
    },
  };
}

export type TargetFiles = ReturnType<typeof createTargetFiles>;
