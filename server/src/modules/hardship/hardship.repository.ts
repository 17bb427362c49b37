import { sql } from 'kysely';
import type { Insertable, Updateable } from 'kysely';
import type {
  HardshipEventsTable,
  HardshipFamilyMembersTable,
  HardshipFilesTable,
  HardshipObjectionsTable,
  HardshipPairingVisitsTable,
  HardshipPairingsTable,
  HardshipReviewRemindersTable,
  HardshipReviewsTable,
  HardshipVisitsTable,
} from '../../db/schema-hardship.js';
import type { Executor } from '../audit/audit.repository.js';
import type { HardshipStatus } from './hardship.constants.js';

export interface FileFilters {
  status?: HardshipStatus;
  cause?: string;
  orgPath?: string;
  reviewDueYear?: number;
  q?: string;
  limit: number;
  offset: number;
}

const OPEN = ['submitted', 'visiting', 'county_review', 'notice', 'established'] as const;

export const hardshipRepository = {
  async membershipInScope(db: Executor, scopePath: string, membershipId: string) {
    return db
      .selectFrom('memberships as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .innerJoin('orgs as o', 'o.id', 'm.org_id')
      .select(['m.id', 'm.person_id', 'm.org_id', 'm.status', 'p.id_bidx', 'p.name', 'o.status as org_status'])
      .where('m.id', '=', membershipId)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  /** The open file (and its union) that already holds one of these people, if any. */
  async openFileHolding(db: Executor, bidxs: string[], exceptFileId?: string) {
    if (bidxs.length === 0) return undefined;
    let q = db
      .selectFrom('hardship_household_keys as k')
      .innerJoin('hardship_files as f', 'f.id', 'k.file_id')
      .innerJoin('orgs as o', 'o.id', 'f.org_id')
      .select(['f.id', 'o.name as org_name', 'k.role'])
      .where('k.id_bidx', 'in', bidxs)
      .where('k.is_open', '=', true);
    if (exceptFileId) q = q.where('f.id', '!=', exceptFileId);
    return q.orderBy('f.id').executeTakeFirst();
  },

  /** Files of the subtree holding this person (head or family), newest first. */
  async filesOfIdIndex(db: Executor, scopePath: string, idBidx: string) {
    return db
      .selectFrom('hardship_household_keys as k')
      .innerJoin('hardship_files as f', 'f.id', 'k.file_id')
      .innerJoin('orgs as o', 'o.id', 'f.org_id')
      .select(['f.id', 'f.status', 'o.name as org_name'])
      .where('k.id_bidx', '=', idBidx)
      .where('o.path', 'like', `${scopePath}%`)
      .orderBy('f.id', 'desc')
      .limit(5)
      .execute();
  },

  async insertFile(db: Executor, row: Insertable<HardshipFilesTable>) {
    return db.insertInto('hardship_files').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async insertFamily(db: Executor, rows: Insertable<HardshipFamilyMembersTable>[]) {
    if (rows.length) await db.insertInto('hardship_family_members').values(rows).execute();
  },

  async deleteFamily(db: Executor, fileId: string) {
    await db.deleteFrom('hardship_family_members').where('file_id', '=', fileId).execute();
  },

  async replaceKeys(db: Executor, fileId: string, keys: { id_bidx: string; role: 'head' | 'family' }[]) {
    await db.deleteFrom('hardship_household_keys').where('file_id', '=', fileId).execute();
    if (keys.length)
      await db
        .insertInto('hardship_household_keys')
        .values(keys.map((k) => ({ ...k, file_id: fileId })))
        .execute();
  },

  /** A closed or rejected file frees its household. */
  async closeKeys(db: Executor, fileId: string) {
    await db.updateTable('hardship_household_keys').set({ is_open: false }).where('file_id', '=', fileId).execute();
  },

  async fileInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('hardship_files as f')
      .innerJoin('orgs as o', 'o.id', 'f.org_id')
      .innerJoin('people as p', 'p.id', 'f.head_person_id')
      .selectAll('f')
      .select([
        'o.name as org_name',
        'o.path as org_path',
        'p.name as head_name',
        'p.id_masked as head_id_masked',
        'p.phone_masked as head_phone_masked',
        'p.worker_id as head_worker_id',
      ])
      .where('f.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  /** Version-checked update: no row when someone else moved the file first. */
  async update(db: Executor, id: string, version: number, patch: Updateable<HardshipFilesTable>) {
    return db
      .updateTable('hardship_files')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id', 'version', 'status'])
      .executeTakeFirst();
  },

  async insertEvent(db: Executor, row: Insertable<HardshipEventsTable>) {
    await db.insertInto('hardship_events').values(row).execute();
  },

  async insertVisit(db: Executor, row: Insertable<HardshipVisitsTable>) {
    await db.insertInto('hardship_visits').values(row).execute();
  },

  async insertObjection(db: Executor, row: Insertable<HardshipObjectionsTable>) {
    await db.insertInto('hardship_objections').values(row).execute();
  },

  async insertReview(db: Executor, row: Insertable<HardshipReviewsTable>) {
    await db.insertInto('hardship_reviews').values(row).execute();
  },

  async insertPairing(db: Executor, row: Insertable<HardshipPairingsTable>) {
    return db.insertInto('hardship_pairings').values(row).returning('id').executeTakeFirstOrThrow();
  },

  async pairingOfFile(db: Executor, fileId: string, pairingId: string) {
    return db.selectFrom('hardship_pairings').select(['id']).where('id', '=', pairingId).where('file_id', '=', fileId).executeTakeFirst();
  },

  async insertPairingVisit(db: Executor, row: Insertable<HardshipPairingVisitsTable>) {
    await db.insertInto('hardship_pairing_visits').values(row).execute();
  },

  async familyMember(db: Executor, fileId: string, memberId: string) {
    return db.selectFrom('hardship_family_members').select(['id', 'id_enc']).where('file_id', '=', fileId).where('id', '=', memberId).executeTakeFirst();
  },

  async family(db: Executor, fileId: string) {
    return db.selectFrom('hardship_family_members').selectAll().where('file_id', '=', fileId).orderBy('sort').orderBy('id').execute();
  },

  async events(db: Executor, fileId: string) {
    return db.selectFrom('hardship_events').selectAll().where('file_id', '=', fileId).orderBy('id').execute();
  },

  async visits(db: Executor, fileId: string) {
    return db.selectFrom('hardship_visits').selectAll().where('file_id', '=', fileId).orderBy('id').execute();
  },

  async objections(db: Executor, fileId: string) {
    return db.selectFrom('hardship_objections').selectAll().where('file_id', '=', fileId).orderBy('id').execute();
  },

  async reviews(db: Executor, fileId: string) {
    return db.selectFrom('hardship_reviews').selectAll().where('file_id', '=', fileId).orderBy('id').execute();
  },

  async pairings(db: Executor, fileId: string) {
    return db.selectFrom('hardship_pairings').selectAll().where('file_id', '=', fileId).orderBy('id').execute();
  },

  async pairingVisits(db: Executor, fileId: string) {
    return db
      .selectFrom('hardship_pairing_visits as v')
      .innerJoin('hardship_pairings as pa', 'pa.id', 'v.pairing_id')
      .selectAll('v')
      .where('pa.file_id', '=', fileId)
      .orderBy('v.id')
      .execute();
  },

  /** Established files whose review falls due by `until` (or is past due) and whose reminder for that review year is not yet sent. */
  async reviewsDueUnreminded(db: Executor, until: string, limit: number) {
    return db
      .selectFrom('hardship_files as f')
      .innerJoin('people as p', 'p.id', 'f.head_person_id')
      .select(['f.id', 'f.org_id', 'f.review_due_on', 'p.name as head_name'])
      .where('f.status', '=', 'established')
      .where('f.review_due_on', '<=', until)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('hardship_review_reminders as r')
              .select('r.file_id')
              .whereRef('r.file_id', '=', 'f.id')
              .where(sql<boolean>`r.review_year = extract(year from f.review_due_on)::int`),
          ),
        ),
      )
      .orderBy('f.review_due_on')
      .orderBy('f.id')
      .limit(limit)
      .execute();
  },

  /** Claims the reminder of one file's review year; false when it was already sent. */
  async claimReviewReminder(db: Executor, row: Insertable<HardshipReviewRemindersTable>) {
    const r = await db
      .insertInto('hardship_review_reminders')
      .values(row)
      .onConflict((oc) => oc.columns(['file_id', 'review_year']).doNothing())
      .returning('file_id')
      .executeTakeFirst();
    return !!r;
  },

  /** Established files in the subtree whose yearly review is past due, or due on or before `soonDay` (the home page). */
  async reviewSummary(db: Executor, scopePath: string, today: string, soonDay: string) {
    const r = await db
      .selectFrom('hardship_files as f')
      .innerJoin('orgs as o', 'o.id', 'f.org_id')
      .select([
        sql<number>`count(*) filter (where f.review_due_on < ${today}::date)::int`.as('overdue'),
        sql<number>`count(*) filter (where f.review_due_on >= ${today}::date and f.review_due_on <= ${soonDay}::date)::int`.as('due_soon'),
      ])
      .where('o.path', 'like', `${scopePath}%`)
      .where('f.status', '=', 'established')
      .where('f.review_due_on', '<=', soonDay)
      .executeTakeFirstOrThrow();
    return { overdue: Number(r.overdue), dueSoon: Number(r.due_soon) };
  },

  async list(db: Executor, scopePath: string, f: FileFilters) {
    let q = db
      .selectFrom('hardship_files as f')
      .innerJoin('orgs as o', 'o.id', 'f.org_id')
      .innerJoin('people as p', 'p.id', 'f.head_person_id')
      .where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.status) q = q.where('f.status', '=', f.status);
    if (f.cause) {
      const cause = f.cause;
      q = q.where((eb) => eb.or([eb('f.main_cause', '=', cause), sql<boolean>`f.secondary_causes @> ${JSON.stringify([cause])}::jsonb`]));
    }
    if (f.reviewDueYear !== undefined) q = q.where(sql<number>`extract(year from f.review_due_on)`, '=', f.reviewDueYear);
    if (f.q) q = q.where('p.name', 'like', `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const items = await q
      .selectAll('f')
      .select(['o.name as org_name', 'p.name as head_name', 'p.id_masked as head_id_masked', 'p.phone_masked as head_phone_masked'])
      .orderBy('f.updated_at', 'desc')
      .orderBy('f.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },
};

export { OPEN as OPEN_STATUSES };
