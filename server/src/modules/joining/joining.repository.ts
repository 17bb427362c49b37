import { sql } from 'kysely';
import type { JoinApplication, JoinApplicationStatus } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';

export const joiningRepository = {
  async insert(
    db: Executor,
    row: Omit<
      JoinApplication,
      'id' | 'version' | 'status' | 'details' | 'reviewed_at' | 'reviewed_by' | 'released_at' | 'released_by' | 'reject_reason' | 'membership_id'
    > & { details: string },
  ) {
    return db.insertInto('join_applications').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async byIdempotencyKey(db: Executor, workerId: string, key: string) {
    return db.selectFrom('join_applications').selectAll().where('worker_id', '=', workerId).where('idempotency_key', '=', key).executeTakeFirst();
  },

  async openOfPerson(db: Executor, personId: string) {
    return db
      .selectFrom('join_applications')
      .selectAll()
      .where('person_id', '=', personId)
      .where('status', 'in', ['pending', 'awaiting_release'])
      .executeTakeFirst();
  },

  /** A partner's application by the partner's own reference, with the member number once admitted. */
  async byPartnerRef(db: Executor, partnerId: string, ref: string) {
    return db
      .selectFrom('join_applications as a')
      .innerJoin('people as pe', 'pe.id', 'a.person_id')
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
      .selectAll('a')
      .select('fm.org_path as from_org_path')
      .where('a.id', '=', id)
      .where((eb) => eb.or([eb('a.target_org_path', 'like', `${scopePath}%`), eb('fm.org_path', 'like', `${scopePath}%`)]))
      .executeTakeFirst();
  },

  async update(
    db: Executor,
    id: string,
    version: number,
    patch: Partial<Pick<JoinApplication, 'status' | 'reviewed_at' | 'reviewed_by' | 'reject_reason' | 'membership_id' | 'released_at' | 'released_by'>>,
  ) {
    return db
      .updateTable('join_applications')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },

  async list(
    db: Executor,
    scopePath: string,
    f: { status?: JoinApplicationStatus; overdueAt?: Date; campaignId?: string; orgId?: string; releaseQueue?: boolean; limit: number; offset: number },
  ) {
    let q = db
      .selectFrom('join_applications as a')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .innerJoin('orgs as o', 'o.id', 'a.target_org_id')
      .leftJoin('memberships as fm', 'fm.id', 'a.transfer_from_membership_id')
      .leftJoin('orgs as fo', 'fo.id', 'fm.org_id');
    // The release queue: transfers out of my subtree awaiting my release.
    if (f.releaseQueue) q = q.where('fm.org_path', 'like', `${scopePath}%`).where('a.status', '=', 'awaiting_release');
    else q = q.where('a.target_org_path', 'like', `${scopePath}%`);
    if (f.status) q = q.where('a.status', '=', f.status);
    if (f.overdueAt) q = q.where('a.status', '=', 'pending').where('a.due_at', '<', f.overdueAt);
    if (f.campaignId) q = q.where('a.campaign_id', '=', f.campaignId);
    if (f.orgId) q = q.where('a.target_org_id', '=', f.orgId);
    const [items, total] = await Promise.all([
      q
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
          'o.name as target_org_name',
          'fo.name as from_org_name',
          'p.name',
          'p.id_masked',
          'p.phone_masked',
          'p.sex',
          'p.birth_date',
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

  async ofWorker(db: Executor, workerId: string) {
    return db
      .selectFrom('join_applications as a')
      .innerJoin('orgs as o', 'o.id', 'a.target_org_id')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .select([
        'a.id',
        'a.status',
        'a.submitted_at',
        'a.reviewed_at',
        'a.reject_reason',
        'a.transfer_from_membership_id',
        'o.name as target_org_name',
        'p.name',
        'p.member_no',
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
      .select(['o.name as org_name', 'o.status as org_status'])
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
    return db.selectFrom('workers').select(['phone_enc', 'phone_bidx']).where('id', '=', workerId).executeTakeFirst();
  },

  async insertConsent(
    db: Executor,
    row: { worker_id: string | null; person_id: string | null; purpose: string; text_version: string; agreed_at: Date; ip: string | null },
  ) {
    return db.insertInto('consents').values(row).returning('id').executeTakeFirstOrThrow();
  },
};
