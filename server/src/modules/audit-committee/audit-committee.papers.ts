// 审计工作底稿 (working papers) of an audit project (issue 17, decision 034): files in the same file store as the
// spending vouchers (JPG / PNG / PDF by content, ≤ 10 MB, under ac/…). Read by whoever reads the project (the
// committee and the unions whose subtree holds the audited union, auditcommittee:read), every download audited;
// added only by the committee: auditcommittee:manage and the committee's union in the caller's subtree — never
// by a fund officer (funds:manage) of the audited union, whatever else the account holds.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import { ATTACHMENT_LIMIT, cleanFileName, sniffFile, type FileStore } from '../applications/applications.files.js';
import type { ModuleContext } from '../module-context.js';
import { acRepository as repo } from './audit-committee.repository.js';

const paperKey = (at: Date) => `ac/${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${randomBytes(16).toString('hex')}`;

export function createAuditPapers(ctx: ModuleContext, files: FileStore) {
  const db: Kysely<DB> = ctx.database.db;
  const append = (trx: Parameters<typeof ctx.audit.append>[0], actor: StaffActor, meta: RequestMeta, action: string, id: string, orgId: string, detail: Record<string, unknown>) =>
    ctx.audit.append(trx, { ...auditActor(actor, meta), action, targetType: 'ac_project', targetId: id, orgId, outcome: 'success', detail });

  async function projectOrThrow(actor: StaffActor, id: string) {
    const p = await repo.projectInScope(db, actor.orgPath, id, chinaDay(ctx.clock.now()));
    if (!p) throw notFound('审计项目');
    return p;
  }

  return {
    async list(actor: StaffActor, projectId: string) {
      await projectOrThrow(actor, projectId);
      const rows = await repo.papers(db, projectId);
      return {
        items: rows.map((w) => ({ id: w.id, title: w.title, fileName: w.file_name, mime: w.file_mime, bytes: w.bytes, uploadedBy: w.uploaded_by, createdAt: w.created_at.toISOString() })),
      };
    },

    async upload(actor: StaffActor, meta: RequestMeta, projectId: string, body: Buffer | undefined, q: { fileName?: string; title?: string }) {
      const p = await projectOrThrow(actor, projectId);
      // the committee may audit its own union (决算审计): what it may not be is the audited union's fund office (decision 031's rule for 销号)
      if (!p.org_path.startsWith(actor.orgPath) || (actor.permissions.has('funds:manage') && p.audited_org_id === actor.orgId))
        throw new AppError('FORBIDDEN', '工作底稿只能由实施审计的经审委员会上传');
      if (!body?.length) throw invalid({ file: '请选择底稿文件' });
      if (body.length > ATTACHMENT_LIMIT) throw invalid({ file: '底稿不能超过 10 MB' });
      const kind = sniffFile(body);
      if (!kind) throw invalid({ file: '底稿仅支持 JPG、PNG 图片或 PDF 文件' });
      const key = paperKey(ctx.clock.now());
      const fileName = cleanFileName(q.fileName, kind);
      const title = (q.title ?? '').trim() || fileName;
      await files.put(key, body);
      try {
        return await db.transaction().execute(async (trx) => {
          const w = await repo.insertPaper(trx, { project_id: p.id, title, file_key: key, file_name: fileName, file_mime: kind.mime, bytes: body.length, uploaded_by: actor.displayName });
          await append(trx, actor, meta, 'auditcommittee.paper.upload', p.id, p.audited_org_id, { paperId: w.id, file: fileName, bytes: body.length });
          return { id: w.id, title, fileName };
        });
      } catch (err) {
        await files.delete(key);
        throw err;
      }
    },

    async read(actor: StaffActor, meta: RequestMeta, projectId: string, id: string) {
      const w = await repo.paperInScope(db, actor.orgPath, projectId, id);
      if (!w) throw notFound('工作底稿');
      const body = await files.get(w.file_key);
      if (!body) throw notFound('工作底稿');
      await db.transaction().execute((trx) => append(trx, actor, meta, 'auditcommittee.paper.read', projectId, w.audited_org_id, { paperId: w.id, file: w.file_name }));
      return { body, fileName: w.file_name, contentType: w.file_mime };
    },
  };
}

export type AuditPapers = ReturnType<typeof createAuditPapers>;
