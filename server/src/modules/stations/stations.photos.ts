// 阵地 photos (issue 14 items 1 and 2): photos of a site and of its 验收 / 星级 inspections, stored like
// the applications' attachments — the bytes in the FileStore (local folder under DATA_DIR/files, or any
// store with the same three calls), identified by their magic bytes (JPEG or PNG only), a quota per site
// and per account and day, a PNG thumbnail made at upload. Every upload and deletion is audited.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import type { FileStore } from '../applications/applications.files.js';
import type { ModuleContext } from '../module-context.js';
import { MAX_PIXELS, makeThumbnail, readImage, shownSize } from './stations.image.js';
import { stationPhotosRepository as repo } from './stations.photos.repository.js';
import { stationsRepository } from './stations.repository.js';

const MB = 1024 * 1024;
export const PHOTO_LIMITS = {
  /** One photo. */
  fileBytes: 10 * MB,
  /** One site, its own photos and its inspections' together. */
  siteFiles: 60,
  siteBytes: 200 * MB,
  /** What one account may upload in any 24 hours, over every site. */
  dailyFiles: 200,
  dailyBytes: 500 * MB,
};
const DAY_MS = 86_400_000;

type PhotoRow = Awaited<ReturnType<typeof repo.ofStation>>[number];

/** What a photo looks like in an answer: the links to the picture and its thumbnail. */
export function presentPhoto(p: PhotoRow, base: string) {
  return {
    id: p.id,
    inspectionId: p.inspection_id,
    name: p.file_name,
    caption: p.caption,
    width: p.width,
    height: p.height,
    size: p.size,
    url: `${base}/${p.id}`,
    thumbUrl: `${base}/${p.id}?size=thumb`,
    at: p.created_at,
  };
}

/** `stations/2026/11/<random>`: no user input in the path. */
function storageKey(at: Date, suffix = '') {
  return `stations/${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${randomBytes(16).toString('hex')}${suffix}`;
}

/** A display name: no path, no control characters, at most 60 characters; the extension follows the content. */
function cleanName(raw: string | undefined, ext: string) {
  const base = (raw ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '')
    .trim()
    .replace(/\.[A-Za-z0-9]{1,5}$/, '');
  return `${[...(base || '照片')].slice(0, 60).join('')}.${ext}`;
}

export function createStationPhotos(ctx: ModuleContext, files: FileStore) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();
  const staffBase = (stationId: string) => `/api/stations/${stationId}/photos`;

  async function stationOrThrow(actor: StaffActor, id: string) {
    const s = await stationsRepository.inScope(db, actor.orgPath, id);
    if (!s) throw notFound('阵地');
    return s;
  }

  function refusal(u: Awaited<ReturnType<typeof repo.usage>>, size: number): string | null {
    const L = PHOTO_LIMITS;
    if (u.siteFiles + 1 > L.siteFiles || u.siteBytes + size > L.siteBytes)
      return `该阵地的照片已达上限（最多 ${L.siteFiles} 张、合计 ${L.siteBytes / MB} MB），请先删除不需要的照片`;
    if (u.recentFiles + 1 > L.dailyFiles || u.recentBytes + size > L.dailyBytes)
      return `上传过多：24 小时内最多上传 ${L.dailyFiles} 张、合计 ${L.dailyBytes / MB} MB，请稍后再试`;
    return null;
  }
  const refuse = (message: string) => new AppError('RATE_LIMITED', message, { file: message });

  return {
    /**
     * Adds a photo to a site (`inspectionId` null) or to one of its inspections. The bytes decide
     * what the file is; the quota is checked before anything is written and again under the site's lock.
     */
    async upload(
      actor: StaffActor,
      meta: RequestMeta,
      stationId: string,
      body: Buffer | undefined,
      opts: { name?: string; caption?: string; inspectionId?: string },
    ) {
      const s = await stationOrThrow(actor, stationId);
      if (opts.inspectionId && !(await repo.inspectionOf(db, s.id, opts.inspectionId))) throw notFound('验收或评定记录');
      if (!body || !Buffer.isBuffer(body) || body.length === 0) throw invalid({ file: '文件为空' }, '文件为空');
      if (body.length > PHOTO_LIMITS.fileBytes) throw new AppError('PAYLOAD_TOO_LARGE', '照片不能超过 10 MB');
      const info = readImage(body);
      if (!info) throw invalid({ file: '仅支持 JPG、PNG 照片' }, '仅支持 JPG、PNG 照片（按文件内容识别，改扩展名无效）');
      if (info.width * info.height > MAX_PIXELS) throw invalid({ file: '照片像素过大（最多 5000 万像素）' }, '照片像素过大（最多 5000 万像素）');
      const early = refusal(await repo.usage(db, s.id, actor.accountId, new Date(now().getTime() - DAY_MS)), body.length);
      if (early) throw refuse(early);

      let thumb: Buffer;
      try {
        thumb = await makeThumbnail(body, info);
      } catch {
        throw invalid({ file: '照片无法识别（文件可能已损坏）' }, '照片无法识别（文件可能已损坏）');
      }
      const at = now();
      const key = storageKey(at);
      const thumbKey = storageKey(at, '.thumb.png');
      await files.put(key, body);
      await files.put(thumbKey, thumb);
      try {
        const row = await db.transaction().execute(async (trx) => {
          await repo.lockStation(trx, s.id);
          const why = refusal(await repo.usage(trx, s.id, actor.accountId, new Date(now().getTime() - DAY_MS)), body.length);
          if (why) throw refuse(why);
          const shown = shownSize(info);
          const row = await repo.insert(trx, {
            station_id: s.id,
            inspection_id: opts.inspectionId ?? null,
            file_name: cleanName(opts.name, info.ext),
            mime: info.mime,
            size: body.length,
            width: shown.width,
            height: shown.height,
            sha256: createHash('sha256').update(body).digest('hex'),
            storage_key: key,
            thumb_key: thumbKey,
            thumb_size: thumb.length,
            caption: opts.caption?.trim() || null,
            uploaded_by: actor.accountId,
          });
          await ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'station.photo_upload',
            targetType: 'station',
            targetId: s.id,
            orgId: s.org_id,
            outcome: 'success',
            detail: { photo: row.id, inspection: opts.inspectionId ?? null, size: body.length },
          });
          return row;
        });
        return presentPhoto(row, staffBase(s.id));
      } catch (err) {
        await files.delete(key);
        await files.delete(thumbKey);
        throw err;
      }
    },

    /** A site's photos: its own, and those of each inspection. */
    async list(actor: StaffActor, stationId: string) {
      const s = await stationOrThrow(actor, stationId);
      const rows = await repo.ofStation(db, s.id);
      return { items: rows.map((p) => presentPhoto(p, staffBase(s.id))), limits: { siteFiles: PHOTO_LIMITS.siteFiles, fileMb: PHOTO_LIMITS.fileBytes / MB } };
    },

    /** The picture (or its thumbnail) of a photo of a site in scope. */
    async file(actor: StaffActor, stationId: string, photoId: string, thumb: boolean) {
      const p = await repo.inScope(db, actor.orgPath, stationId, photoId);
      if (!p) throw notFound('照片');
      return read(p, thumb);
    },

    /** Deletes a photo of the site itself (an inspection's photos belong to its record and stay). */
    async remove(actor: StaffActor, meta: RequestMeta, stationId: string, photoId: string) {
      const p = await repo.inScope(db, actor.orgPath, stationId, photoId);
      if (!p) throw notFound('照片');
      if (p.inspection_id) throw new AppError('CONFLICT', '验收与评定记录中的照片不能删除');
      await db.transaction().execute(async (trx) => {
        const gone = await repo.deleteSitePhoto(trx, p.id);
        if (!gone) throw notFound('照片');
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'station.photo_delete',
          targetType: 'station',
          targetId: stationId,
          orgId: p.org_id,
          outcome: 'success',
          detail: { photo: p.id, name: p.file_name, size: p.size },
        });
        // removed before the commit: a failure rolls the row back (deleting a missing file is a no-op)
        await files.delete(gone.storage_key);
        await files.delete(gone.thumb_key);
      });
      return { ok: true as const };
    },

    /** The site's own photos as a worker sees them (the caller has checked the site is public). */
    async publicList(stationId: string) {
      const rows = await repo.publicPhotos(db, stationId);
      return rows.map((p) => presentPhoto(p, `/api/worker/stations/${stationId}/photos`));
    },

    async publicFile(stationId: string, photoId: string, thumb: boolean) {
      const p = await repo.publicPhoto(db, stationId, photoId);
      if (!p) throw notFound('照片');
      return read(p, thumb);
    },
  };

  async function read(p: { file_name: string; mime: string; storage_key: string; thumb_key: string }, thumb: boolean) {
    const data = await files.get(thumb ? p.thumb_key : p.storage_key);
    if (!data) throw notFound('照片');
    return thumb ? { data, mime: 'image/png', name: p.file_name.replace(/\.[a-z]+$/, '-缩略图.png') } : { data, mime: p.mime, name: p.file_name };
  }
}

export type StationPhotos = ReturnType<typeof createStationPhotos>;
