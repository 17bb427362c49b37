import { sql, type Kysely } from 'kysely';

/**
 * Orphan uploads (issue 9): attachments not on any application expire after 24 hours, and each
 * uploader has a quota. The clean-up finds the unlinked files by age; the quota counts one
 * uploader's recent files (workers already have `(worker_id, created_at desc)`; staff get theirs).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index application_attachments_unlinked_idx on application_attachments (created_at) where application_id is null`.execute(db);
  await sql`
    create index application_attachments_staff_idx on application_attachments (uploaded_by, created_at desc)
    where uploaded_by is not null`.execute(db);
}
