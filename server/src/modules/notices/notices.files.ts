// Files of 通知公告 and 资讯: notice attachments, 回执 files and article images, kept in the same
// FileStore as the service applications' attachments (content checked by magic bytes: JPG, PNG, PDF;
// ≤ 10 MB), under `notices/YYYY/MM/<random>`. Staff only, capped per account and day.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { NoticeFilePurpose } from '../../db/schema-notices.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import { auditActor, type AuditService } from '../audit/audit.service.js';
import { ATTACHMENT_LIMIT, cleanFileName, sniffFile, type FileStore } from '../applications/applications.files.js';
import { noticesRepository as repo } from './notices.repository.js';
import { NEWS_IMAGE_PREFIX } from './news.sanitize.js';

const DAY_MS = 86_400_000;
/** What one account may upload in any 24 hours. */
export const DAILY_UPLOADS = { files: 200, bytes: 500 * 1024 * 1024 };

export function storageKey(at: Date): string {
  return `notices/${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${randomBytes(16).toString('hex')}`;
}

export function createNoticeFiles(deps: { db: Kysely<DB>; clock: Clock; audit: AuditService; files: FileStore }) {
  const { db, files } = deps;

  return {
    /** Stores an upload of `purpose` for the caller's union; article images also get their public address. */
    async upload(actor: StaffActor, meta: RequestMeta, purpose: NoticeFilePurpose, body: Buffer | undefined, name: string | undefined) {
      if (!body || !Buffer.isBuffer(body) || body.length === 0) throw invalid({ file: '文件为空' }, '文件为空');
      if (body.length > ATTACHMENT_LIMIT) throw new AppError('PAYLOAD_TOO_LARGE', '文件不能超过 10 MB');
      const s = sniffFile(body);
      if (!s) throw invalid({ file: '仅支持 JPG、PNG 图片或 PDF 文件' }, '仅支持 JPG、PNG 图片或 PDF 文件（按文件内容识别，改扩展名无效）');
      if (purpose === 'news_image' && s.kind !== 'image') throw invalid({ file: '资讯图片应为 JPG 或 PNG' }, '资讯图片应为 JPG 或 PNG');
      const at = deps.clock.now();
      const used = await repo.uploadsSince(db, actor.accountId, new Date(at.getTime() - DAY_MS));
      if (used.files + 1 > DAILY_UPLOADS.files || used.bytes + body.length > DAILY_UPLOADS.bytes) {
        throw new AppError('RATE_LIMITED', `上传文件过多：24 小时内最多上传 ${DAILY_UPLOADS.files} 个文件，请稍后再试`);
      }
      const key = storageKey(at);
      await files.put(key, body);
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await repo.insertFile(trx, {
            purpose,
            org_id: actor.orgId,
            uploaded_by: actor.accountId,
            file_name: cleanFileName(name, s),
            kind: s.kind,
            mime: s.mime,
            size: body.length,
            sha256: createHash('sha256').update(body).digest('hex'),
            storage_key: key,
            public_token: purpose === 'news_image' ? randomBytes(24).toString('base64url') : null,
            created_at: at,
          });
          await deps.audit.append(trx, {
            ...auditActor(actor, meta),
            action: purpose === 'news_image' ? 'news.image_upload' : 'notice.file_upload',
            targetType: 'notice_file',
            targetId: row.id,
            orgId: actor.orgId,
            outcome: 'success',
            detail: { purpose, kind: s.kind, size: body.length },
          });
          return {
            id: row.id,
            name: row.file_name,
            kind: row.kind,
            mime: row.mime,
            size: row.size,
            url: row.public_token ? `${NEWS_IMAGE_PREFIX}${row.public_token}` : null,
          };
        });
      } catch (err) {
        await files.delete(key);
        throw err;
      }
    },

    /** The bytes of a stored file (the caller has checked who may see it). */
    async read(row: { file_name: string; mime: string; storage_key: string } | undefined) {
      if (!row) throw notFound('附件');
      const data = await files.get(row.storage_key);
      if (!data) throw notFound('附件');
      return { data, mime: row.mime, name: row.file_name };
    },
  };
}

export type NoticeFiles = ReturnType<typeof createNoticeFiles>;
