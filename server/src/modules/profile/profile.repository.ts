// SQL of the worker's own H5 (issue 11, decision 015): the worker's roll record as they may see it,
// their change requests and the union's review of them (scoped by the reviewing union's path),
// the phone change and account closing. `workers` and `sessions` belong to the auth module; the
// phone change and 注销 write them here (auth's repository has no such writes and stays as it is).
import { sql } from 'kysely';
import type { MemberChangeRequestsTable } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';
import { identityChanged } from '../auth/identity-cache.js';

const LIVE = ['active', 'retained'] as const;
export type ChangeStatus = MemberChangeRequestsTable['status'];

export const profileRepository = {
  /** The person linked to the worker with their live membership (if any) and its union. */
  async personOfWorker(db: Executor, workerId: string) {
    return db
      .selectFrom('people as p')
      .leftJoin('memberships as m', (j) => j.onRef('m.person_id', '=', 'p.id').on('m.status', 'in', LIVE))
      .leftJoin('orgs as o', 'o.id', 'm.org_id')
      .select([
        'p.id as person_id',
        'p.name',
        'p.id_masked',
        'p.phone_masked',
        'p.member_no',
        'p.address',
        'm.id as membership_id',
        'm.org_id',
        'm.status',
        'm.joined_on',
        'm.employer_name',
        'm.employment_form',
        'o.name as org_name',
      ])
      .where('p.worker_id', '=', workerId)
      .executeTakeFirst();
  },

  // ---- change requests ----
  async insertRequest(
    db: Executor,
    row: { person_id: string; membership_id: string; org_id: string; worker_id: string; changes: string; created_at: Date; updated_at: Date },
  ) {
    return db.insertInto('member_change_requests').values({ ...row, status: 'pending' }).returning(['id', 'version']).executeTakeFirstOrThrow();
  },

  /** The worker's own requests, newest first. */
  async requestsOfWorker(db: Executor, workerId: string) {
    return db
      .selectFrom('member_change_requests as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .select(['r.id', 'r.changes', 'r.status', 'r.review_note', 'r.created_at', 'r.reviewed_at', 'o.name as org_name'])
      .where('r.worker_id', '=', workerId)
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(50)
      .execute();
  },

  /** The worker's own pending request, row-locked (withdrawing). */
  async pendingOfWorkerForUpdate(db: Executor, workerId: string, id: string) {
    return db
      .selectFrom('member_change_requests')
      .select(['id', 'person_id', 'org_id', 'status', 'version'])
      .where('id', '=', id)
      .where('worker_id', '=', workerId)
      .forUpdate()
      .executeTakeFirst();
  },

  /** Requests the union at `scopePath` (and its subtree) reviews, with the roll's current values beside. */
  async pageInScope(db: Executor, scopePath: string, f: { status: ChangeStatus | null; limit: number; offset: number }) {
    let q = db
      .selectFrom('member_change_requests as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .where('o.path', 'like', `${scopePath}%`);
    if (f.status) q = q.where('r.status', '=', f.status);
    const [rows, total] = await Promise.all([
      q
        .innerJoin('people as p', 'p.id', 'r.person_id')
        .innerJoin('memberships as m', 'm.id', 'r.membership_id')
        .select([
          'r.id',
          'r.person_id',
          'r.changes',
          'r.status',
          'r.version',
          'r.review_note',
          'r.created_at',
          'r.reviewed_at',
          'o.name as org_name',
          'p.name',
          'p.member_no',
          'p.address as current_address',
          'm.employer_name as current_employer',
          'm.status as membership_status',
        ])
        .orderBy('r.created_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  },

  /** A request inside the scope, row-locked for the review; undefined when outside (404). */
  async findInScopeForUpdate(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('member_change_requests as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .select(['r.id', 'r.person_id', 'r.membership_id', 'r.org_id', 'r.worker_id', 'r.changes', 'r.status', 'r.version'])
      .where('r.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .forUpdate('r')
      .executeTakeFirst();
  },

  /** Decides a pending request at the version the reviewer saw; false when someone else decided first. */
  async decide(
    db: Executor,
    id: string,
    version: number,
    set: { status: ChangeStatus; reviewed_by: string | null; reviewed_at: Date; review_note: string | null },
  ): Promise<boolean> {
    const r = await db
      .updateTable('member_change_requests')
      .set({ ...set, version: sql`version + 1`, updated_at: set.reviewed_at })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** The membership the request was filed on, row-locked, while it is live in the same union. */
  async liveMembershipForUpdate(db: Executor, membershipId: string, orgId: string) {
    return db
      .selectFrom('memberships')
      .select(['id', 'employer_name', 'version'])
      .where('id', '=', membershipId)
      .where('org_id', '=', orgId)
      .where('status', 'in', LIVE)
      .forUpdate()
      .executeTakeFirst();
  },

  async setEmployer(db: Executor, membershipId: string, employer: string | null, at: Date) {
    await db
      .updateTable('memberships')
      .set({ employer_name: employer, version: sql`version + 1`, updated_at: at })
      .where('id', '=', membershipId)
      .execute();
  },

  async setAddress(db: Executor, personId: string, address: string | null, at: Date) {
    await db
      .updateTable('people')
      .set({ address, version: sql`version + 1`, updated_at: at })
      .where('id', '=', personId)
      .execute();
  },

  /** Closes the worker's pending requests (account closing); returns their ids. */
  async withdrawPendingOfWorker(db: Executor, workerId: string, at: Date) {
    const rows = await db
      .updateTable('member_change_requests')
      .set({ status: 'withdrawn', version: sql`version + 1`, updated_at: at })
      .where('worker_id', '=', workerId)
      .where('status', '=', 'pending')
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  },

  // ---- the worker account (auth's tables) ----
  async workerForUpdate(db: Executor, workerId: string) {
    return db.selectFrom('workers').select(['id', 'phone_bidx', 'phone_masked', 'closed_at']).where('id', '=', workerId).forUpdate().executeTakeFirst();
  },

  async setWorkerPhone(db: Executor, workerId: string, phone: { phone_enc: string; phone_bidx: string; phone_masked: string }) {
    identityChanged();
    await db.updateTable('workers').set(phone).where('id', '=', workerId).execute();
  },

  /** The roll's phone of the person linked to the worker (the member's own, proven by SMS). */
  /** A person on the roll other than `personId` with this phone. */
  async otherPersonWithPhone(db: Executor, phoneBidx: string, personId: string | null) {
    let q = db.selectFrom('people').select('id').where('phone_bidx', '=', phoneBidx);
    if (personId) q = q.where('id', '<>', personId);
    return q.limit(1).executeTakeFirst();
  },

  async setPersonPhone(db: Executor, personId: string, phone: { phone_enc: string; phone_bidx: string; phone_masked: string }, at: Date) {
    await db
      .updateTable('people')
      // the holder of the phone proved it: the staff-typed mark goes (decision 022)
      .set({ ...phone, phone_set_by_staff_at: null, version: sql`version + 1`, updated_at: at })
      .where('id', '=', personId)
      .execute();
  },

  /** Ends the worker's live sessions, all or all but one; returns how many. */
  async endWorkerSessions(db: Executor, workerId: string, at: Date, reason: string, keepSessionId: string | null) {
    identityChanged();
    let q = db
      .updateTable('sessions')
      .set({ ended_at: at, end_reason: reason })
      .where('worker_id', '=', workerId)
      .where('subject_type', '=', 'worker')
      .where('ended_at', 'is', null);
    if (keepSessionId) q = q.where('id', '<>', keepSessionId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  /** 注销: the phone is released (its blind index replaced), so the phone can sign up again as a new account. */
  async closeWorker(db: Executor, workerId: string, at: Date, closedPhoneEnc: string) {
    identityChanged();
    await db
      .updateTable('workers')
      .set({ phone_bidx: `closed:${workerId}`, phone_enc: closedPhoneEnc, phone_masked: '已注销', closed_at: at })
      .where('id', '=', workerId)
      .execute();
  },

  /** The account no longer stands for the person: the roll keeps the person and the membership. */
  async unlinkWorker(db: Executor, workerId: string) {
    const rows = await db.updateTable('people').set({ worker_id: null }).where('worker_id', '=', workerId).returning('id').execute();
    return rows.map((r) => r.id);
  },
};
