// All SQL of attachment uploads before they reach an application: the insert, one uploader's quota
// usage, and the expiry of files that never reached an application (issue 9, orphan uploads).
import { sql } from 'kysely';
import type { Executor } from '../audit/audit.repository.js';

/** Who uploaded: a worker on the H5, or a staff account entering on a member's behalf. */
export type UploadOwner = { workerId: string } | { staffId: string };

export interface UploadUsage {
  unlinkedFiles: number;
  unlinkedBytes: number;
  recentFiles: number;
  recentBytes: number;
}

export const uploadsRepository = {
  async insert(
    db: Executor,
    row: {
      worker_id: string | null;
      uploaded_by: string | null;
      file_name: string;
      kind: 'image' | 'pdf';
      mime: string;
      size: number;
      sha256: string;
      storage_key: string;
      created_at: Date;
    },
  ) {
    return db.insertInto('application_attachments').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** Serialises one uploader's uploads for the rest of the transaction, so parallel uploads cannot pass the quota together. */
  async lockOwner(db: Executor, owner: UploadOwner) {
    const key = 'workerId' in owner ? `attachment-quota:worker:${owner.workerId}` : `attachment-quota:staff:${owner.staffId}`;
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(db);
  },

  /**
   * One uploader's files: those not on an application made since `unlinkedSince` (older ones are
   * about to be deleted and do not count), and all made since `recentSince`.
   */
  async usage(db: Executor, owner: UploadOwner, unlinkedSince: Date, recentSince: Date): Promise<UploadUsage> {
    const earliest = unlinkedSince < recentSince ? unlinkedSince : recentSince;
    let q = db
      .selectFrom('application_attachments')
      .select([
        sql<number>`count(*) filter (where application_id is null and created_at >= ${unlinkedSince})::int`.as('unlinked_files'),
        sql<string>`coalesce(sum(size) filter (where application_id is null and created_at >= ${unlinkedSince}), 0)::bigint`.as('unlinked_bytes'),
        sql<number>`count(*) filter (where created_at >= ${recentSince})::int`.as('recent_files'),
        sql<string>`coalesce(sum(size) filter (where created_at >= ${recentSince}), 0)::bigint`.as('recent_bytes'),
      ])
      .where('created_at', '>=', earliest);
    q = 'workerId' in owner ? q.where('worker_id', '=', owner.workerId) : q.where('uploaded_by', '=', owner.staffId);
    const r = await q.executeTakeFirstOrThrow();
    return {
      unlinkedFiles: Number(r.unlinked_files),
      unlinkedBytes: Number(r.unlinked_bytes),
      recentFiles: Number(r.recent_files),
      recentBytes: Number(r.recent_bytes),
    };
  },

  /**
   * Deletes up to `limit` uploads still on no application that were made before `before`. A file a
   * submission is linking right now is locked by it (`attachmentsOfOwnerByIds … for update`) and
   * skipped; the lock re-checks `application_id is null` against the committed row.
   */
  async deleteExpiredUnlinked(db: Executor, before: Date, limit: number) {
    return db
      .deleteFrom('application_attachments')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('application_attachments')
          .select('id')
          .where('application_id', 'is', null)
          .where('created_at', '<', before)
          .orderBy('created_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'storage_key', 'worker_id', 'uploaded_by', 'size', 'created_at'])
      .execute();
  },
};
