// Attachment uploads before they reach an application (issue 9, orphan uploads): the content check,
// a per-uploader quota, and the clean-up that deletes files no application took within 24 hours —
// from the FileStore and from the table. Any signed-in worker may upload (a non-member applies for
// 法律援助 too), so without these a phone could fill the disk with files linked to nothing.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, invalid } from '../../platform/errors.js';
import { auditActor, type AuditService } from '../audit/audit.service.js';
import { ATTACHMENT_LIMIT, cleanFileName, newStorageKey, sniffFile, type FileStore } from './applications.files.js';
import { uploadsRepository as repo, type UploadOwner, type UploadUsage } from './applications.uploads.repository.js';

const HOUR_MS = 3_600_000;
const MB = 1024 * 1024;

export interface UploadLimits {
  /** Files on no application yet, per uploader (worker or staff account), at any time. */
  unlinkedFiles: number;
  unlinkedBytes: number;
  /** What one worker may upload in any 24 hours, linked or not (staff accounts are not capped by day). */
  dailyFiles: number;
  dailyBytes: number;
  /** A file on no application this long after its upload is deleted. */
  unlinkedTtlMs: number;
}

/** An application takes at most 20 files (applications.schema), each ≤ 10 MB. */
export const UPLOAD_LIMITS: UploadLimits = {
  unlinkedFiles: 20,
  unlinkedBytes: 50 * MB,
  dailyFiles: 100,
  dailyBytes: 200 * MB,
  unlinkedTtlMs: 24 * HOUR_MS,
};

/** The clean-up deletes this many files per transaction. */
const EXPIRE_BATCH = 200;
const DAY_MS = 24 * HOUR_MS;

export interface UploadsDeps {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  files: FileStore;
}

const mb = (bytes: number) => Math.round(bytes / MB);

/** Why an upload of `size` bytes is refused under `limits`, or null. */
export function quotaRefusal(u: UploadUsage, size: number, limits: UploadLimits, daily: boolean): string | null {
  if (u.unlinkedFiles + 1 > limits.unlinkedFiles || u.unlinkedBytes + size > limits.unlinkedBytes) {
    return (
      `上传文件过多：尚未提交的附件最多 ${limits.unlinkedFiles} 个、合计 ${mb(limits.unlinkedBytes)} MB。` +
      `请先提交申请；未提交的附件 ${Math.round(limits.unlinkedTtlMs / HOUR_MS)} 小时后自动删除`
    );
  }
  if (daily && (u.recentFiles + 1 > limits.dailyFiles || u.recentBytes + size > limits.dailyBytes)) {
    return `上传文件过多：24 小时内最多上传 ${limits.dailyFiles} 个、合计 ${mb(limits.dailyBytes)} MB，请稍后再试`;
  }
  return null;
}

export function createAttachmentUploads(deps: UploadsDeps, limits: UploadLimits = UPLOAD_LIMITS) {
  const { db, files } = deps;
  const ownerOf = (actor: WorkerActor | StaffActor): UploadOwner => (actor.type === 'worker' ? { workerId: actor.workerId } : { staffId: actor.accountId });

  async function refusal(exec: Kysely<DB>, owner: UploadOwner, size: number, at: Date) {
    const usage = await repo.usage(exec, owner, new Date(at.getTime() - limits.unlinkedTtlMs), new Date(at.getTime() - DAY_MS));
    return quotaRefusal(usage, size, limits, 'workerId' in owner);
  }
  const refuse = (message: string) => new AppError('RATE_LIMITED', message, { file: message });

  return {
    limits,

    /** A worker's upload (H5), or a staff account's (entry on a member's behalf). */
    async upload(actor: WorkerActor | StaffActor, meta: RequestMeta, body: Buffer | undefined, name: string | undefined) {
      if (!body || !Buffer.isBuffer(body) || body.length === 0) throw invalid({ file: '文件为空' }, '文件为空');
      if (body.length > ATTACHMENT_LIMIT) throw new AppError('PAYLOAD_TOO_LARGE', '文件不能超过 10 MB');
      const s = sniffFile(body);
      if (!s) throw invalid({ file: '仅支持 JPG、PNG 图片或 PDF 文件' }, '仅支持 JPG、PNG 图片或 PDF 文件（按文件内容识别，改扩展名无效）');
      const owner = ownerOf(actor);
      // Checked before the bytes are written (a refused file never touches the disk), and again
      // under the uploader's lock (parallel uploads cannot pass the limit together).
      const early = await refusal(db, owner, body.length, deps.clock.now());
      if (early) throw refuse(early);
      const key = newStorageKey(deps.clock.now());
      await files.put(key, body);
      try {
        const row = await db.transaction().execute(async (trx) => {
          await repo.lockOwner(trx, owner);
          const at = deps.clock.now();
          const why = await refusal(trx, owner, body.length, at);
          if (why) throw refuse(why);
          const row = await repo.insert(trx, {
            worker_id: actor.type === 'worker' ? actor.workerId : null,
            uploaded_by: actor.type === 'staff' ? actor.accountId : null,
            file_name: cleanFileName(name, s),
            kind: s.kind,
            mime: s.mime,
            size: body.length,
            sha256: createHash('sha256').update(body).digest('hex'),
            storage_key: key,
            created_at: at,
          });
          await deps.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'application.attachment_upload',
            targetType: 'application_attachment',
            targetId: row.id,
            orgId: actor.type === 'staff' ? actor.orgId : null,
            outcome: 'success',
            detail: { kind: s.kind, size: body.length },
          });
          return row;
        });
        return { id: row.id, name: row.file_name, kind: row.kind, mime: row.mime, size: row.size };
      } catch (err) {
        await files.delete(key);
        throw err;
      }
    },

    /**
     * Deletes the uploads no application took within the TTL: the rows and the audit rows commit
     * together, and each file is removed from the store before its transaction commits (a failure
     * rolls the rows back, and the next run deletes them again: deleting a missing file is a no-op).
     * Returns how many were deleted. Runs hourly (applications.module.ts).
     */
    async expireUnlinked(): Promise<number> {
      const before = new Date(deps.clock.now().getTime() - limits.unlinkedTtlMs);
      let total = 0;
      for (;;) {
        const n = await db.transaction().execute(async (trx) => {
          const gone = await repo.deleteExpiredUnlinked(trx, before, EXPIRE_BATCH);
          for (const f of gone) {
            await deps.audit.append(trx, {
              actorType: 'system',
              actorName: '系统（未提交附件到期清理）',
              action: 'application.attachment_expire',
              targetType: 'application_attachment',
              targetId: f.id,
              outcome: 'success',
              detail: {
                uploader: f.worker_id ? { worker: f.worker_id } : { staff: f.uploaded_by },
                size: f.size,
                uploadedAt: f.created_at.toISOString(),
                keptHours: Math.round(limits.unlinkedTtlMs / HOUR_MS),
              },
            });
          }
          for (const f of gone) await files.delete(f.storage_key);
          return gone.length;
        });
        total += n;
        if (n < EXPIRE_BATCH) return total;
      }
    },
  };
}

export type AttachmentUploads = ReturnType<typeof createAttachmentUploads>;
