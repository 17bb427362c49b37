import { sql } from 'kysely';
import type { Insertable } from 'kysely';
import type { DB, JoinApplication, JoinApplicationStatus } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';

/** Statuses of an application still being handled (one per phone: join_applications_one_open_per_phone). */
export const OPEN_STATUSES: JoinApplicationStatus[] = ['pending', 'awaiting_release'];

export const joiningRepository = {
  async insert(db: Executor, row: Insertable<DB['join_applications']>) {
    return db.insertInto('join_applications').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async byIdempotencyKey(db: Executor, workerId: string, key: string) {
    return db.selectFrom('join_applications').selectAll().where('worker_id', '=', workerId).where('idempotency_key', '=', key).executeTakeFirst();
  },

  /** The open application filed with this phone, if any. */
  async openOfPhone(db: Executor, phoneBidx: string) {
    return db
      .selectFrom('join_applications')
      .select('id')
      .where('applicant_phone_bidx', '=', phoneBidx)
      .where('status', 'in', OPEN_STATUSES)
      .executeTakeFirst();
  },

  /** How many other open applications carry the same ID number (the reviewer is told). */
  async openWithSameId(db: Executor, idBidx: string, exceptId: string) {
    const r = await db
      .selectFrom('join_applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('applicant_id_bidx', '=', idBidx)
      .where('status', 'in', OPEN_STATUSES)
      .where('id', '<>', exceptId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /** A partner's application by the partner's own reference, with the member number once admitted. */
  async byPartnerRef(db: Executor, partnerId: string, ref: string) {
    return db
      .selectFrom('join_applications as a')
      .leftJoin('memberships as m', 'm.id', 'a.membership_id')
      .leftJoin('people as pe', 'pe.id', 'm.person_id')
      .select(['a.id', 'a.partner_ref', 'a.status', 'a.reject_reason', 'a.submitted_at', 'a.reviewed_at', 'pe.member_no'])
      .where('a.partner_id', '=', partnerId)
      .where('a.partner_ref', '=', ref)
      .executeTakeFirst();
  },

  async byId(db: Executor, id: string) {
    return db.selectFrom('join_applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },

  /** In scope when the target union is, or (for a transfer) the union being left is. */
  async inScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('join_applications as a')
      .leftJoin('memberships as fm', 'fm.id', 'a.transfer_from_membership_id')
      .leftJoin('orgs as fo', 'fo.id', 'fm.org_id')
      .selectAll('a')
      .select(['fm.org_path as from_org_path', 'fo.name as from_org_name'])
      .where('a.id', '=', id)
      .where((eb) => eb.or([eb('a.target_org_path', 'like', `${scopePath}%`), eb('fm.org_path', 'like', `${scopePath}%`)]))
      .executeTakeFirst();
  },

  async update(
    db: Executor,
    id: string,
    version: number,
    patch: Partial<
      Pick<
        JoinApplication,
        | 'status'
        | 'reviewed_at'
        | 'reviewed_by'
        | 'reject_reason'
        | 'membership_id'
        | 'released_at'
        | 'released_by'
        | 'person_id'
        | 'transfer_from_membership_id'
      >
    > & { accepted?: string },
  ) {
    return db
      .updateTable('join_applications')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },

  /**
   * A page of applications with, beside what the applicant typed, the roll as it is now: the
   * person with the same ID number (name and phone to compare) and their live membership (to
   * tell 已是本会会员 from a 会籍转接). The count needs none of that.
   */
  async list(
    db: Executor,
    scopePath: string,
    f: { status?: JoinApplicationStatus; overdueAt?: Date; campaignId?: string; orgId?: string; releaseQueue?: boolean; limit: number; offset: number },
  ) {
    let q = db.selectFrom('join_applications as a').leftJoin('memberships as fm', 'fm.id', 'a.transfer_from_membership_id');
    // The release queue: transfers out of my subtree awaiting my release.
    if (f.releaseQueue) q = q.where('fm.org_path', 'like', `${scopePath}%`).where('a.status', '=', 'awaiting_release');
    else q = q.where('a.target_org_path', 'like', `${scopePath}%`);
    if (f.status) q = q.where('a.status', '=', f.status);
    if (f.overdueAt) q = q.where('a.status', '=', 'pending').where('a.due_at', '<', f.overdueAt);
    if (f.campaignId) q = q.where('a.campaign_id', '=', f.campaignId);
    if (f.orgId) q = q.where('a.target_org_id', '=', f.orgId);
    const [items, total] = await Promise.all([
      q
        .innerJoin('orgs as o', 'o.id', 'a.target_org_id')
        .leftJoin('orgs as fo', 'fo.id', 'fm.org_id')
        .leftJoin('people as rp', 'rp.id_bidx', 'a.applicant_id_bidx')
        .leftJoin('memberships as lm', (j) => j.onRef('lm.person_id', '=', 'rp.id').on('lm.status', 'in', ['active', 'retained']))
        .leftJoin('orgs as lo', 'lo.id', 'lm.org_id')
        .select([
          'a.id',
          'a.status',
          'a.channel',
          'a.submitted_at',
          'a.due_at',
          'a.reviewed_at',
          'a.reject_reason',
          'a.details',
          'a.version',
          'a.target_org_id',
          'a.transfer_from_membership_id',
          'a.applicant_name',
          'a.applicant_id_masked',
          'a.applicant_phone_masked',
          'a.applicant_phone_bidx',
          'o.name as target_org_name',
          'fo.name as from_org_name',
          'rp.id as roll_person_id',
          'rp.name as roll_name',
          'rp.phone_bidx as roll_phone_bidx',
          'lm.org_id as live_org_id',
          'lo.name as live_org_name',
        ])
        .orderBy('a.submitted_at')
        .orderBy('a.id')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  /** The worker's applications; the member number only through the membership the approval made. */
  async ofWorker(db: Executor, workerId: string) {
    return db
      .selectFrom('join_applications as a')
      .innerJoin('orgs as o', 'o.id', 'a.target_org_id')
      .leftJoin('memberships as m', 'm.id', 'a.membership_id')
      .leftJoin('people as p', 'p.id', 'm.person_id')
      .select([
        'a.id',
        'a.status',
        'a.submitted_at',
        'a.reviewed_at',
        'a.reject_reason',
        'o.name as target_org_name',
        'p.member_no',
        'p.worker_id as person_worker_id',
      ])
      .where('a.worker_id', '=', workerId)
      .orderBy('a.submitted_at', 'desc')
      .execute();
  },

  async counts(db: Executor, scopePath: string, now: Date) {
    const r = await db
      .selectFrom('join_applications')
      .select([
        sql<number>`count(*) filter (where status = 'pending')::int`.as('pending'),
        sql<number>`count(*) filter (where status = 'pending' and due_at < ${now})::int`.as('overdue'),
        sql<number>`count(*) filter (where status = 'awaiting_release')::int`.as('awaiting_release'),
      ])
      .where('target_org_path', 'like', `${scopePath}%`)
      .executeTakeFirstOrThrow();
    return r;
  },

  async rewriteOrgPaths(db: Executor, oldPath: string, newPath: string) {
    await db
      .updateTable('join_applications')
      .set({ target_org_path: sql`${newPath} || substr(target_org_path, ${oldPath.length + 1})` })
      .where('target_org_path', 'like', `${oldPath}%`)
      .execute();
  },

  // ---- campaigns ----
  async insertCampaign(
    db: Executor,
    row: { org_id: string; name: string; employment_forms: string[]; starts_on: string; ends_on: string; token: string; created_by: string },
  ) {
    return db.insertInto('campaigns').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async campaignsInScope(db: Executor, scopePath: string, f: { limit: number; offset: number }) {
    const q = db.selectFrom('campaigns as c').innerJoin('orgs as o', 'o.id', 'c.org_id').where('o.path', 'like', `${scopePath}%`);
    const [items, total] = await Promise.all([
      q
        .selectAll('c')
        .select([
          'o.name as org_name',
          sql<number>`(select count(*)::int from join_applications a where a.campaign_id = c.id)`.as('applications'),
          sql<number>`(select count(*)::int from join_applications a where a.campaign_id = c.id and a.status = 'approved')`.as('joined'),
        ])
        .orderBy('c.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  async campaignInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('campaigns as c')
      .innerJoin('orgs as o', 'o.id', 'c.org_id')
      .selectAll('c')
      .select('o.name as org_name')
      .where('c.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async campaignByToken(db: Executor, token: string) {
    return db
      .selectFrom('campaigns as c')
      .innerJoin('orgs as o', 'o.id', 'c.org_id')
      .selectAll('c')
      .select(['o.name as org_name', 'o.status as org_status', 'o.type as org_type', 'o.path as org_path'])
      .where('c.token', '=', token)
      .executeTakeFirst();
  },

  async countScan(db: Executor, id: string) {
    await db
      .updateTable('campaigns')
      .set({ scan_count: sql`scan_count + 1` })
      .where('id', '=', id)
      .execute();
  },

  async campaignStats(db: Executor, id: string) {
    return db
      .selectFrom('join_applications')
      .select([(eb) => eb.fn.countAll<number>().as('applications'), (eb) => eb.fn.count<number>('membership_id').as('joined')])
      .where('campaign_id', '=', id)
      .executeTakeFirstOrThrow();
  },

  /** The worker's verified phone (the auth module's table, read-only here). */
  async workerPhone(db: Executor, workerId: string) {
    return db.selectFrom('workers').select(['phone_bidx', 'phone_masked']).where('id', '=', workerId).executeTakeFirst();
  },

  async insertConsent(
    db: Executor,
    row: { worker_id: string | null; person_id: string | null; purpose: string; text_version: string; agreed_at: Date; ip: string | null },
  ) {
    return db.insertInto('consents').values(row).returning('id').executeTakeFirstOrThrow();
  },
};
