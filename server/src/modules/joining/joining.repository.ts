import { sql, type RawBuilder } from 'kysely';
import type { Insertable } from 'kysely';
import { PREPARED } from '../../db/prepared.js';
import type { DB, JoinApplication, JoinApplicationStatus, Org } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';

/** The union an application is filed to, as a submission checks it, and whether the phone already has an open application. */
export interface SubmissionTarget {
  org: Pick<Org, 'id' | 'name' | 'path' | 'type' | 'status'> | null;
  phoneHasOpen: boolean;
}

/** A worker's one-statement submission: what it checked against (the target, the retry, the account's phone and own membership), and the application when it was written. */
export interface WorkerSubmitResult extends SubmissionTarget {
  existingId: string | null;
  workerPhoneBidx: string | null;
  liveOrg: { id: string; name: string } | null;
  app: JoinApplication | null;
}

type WorkerSubmitRow = {
  existing_id: string | null;
  worker_phone_bidx: string | null;
  live_org_id: string | null;
  live_org_name: string | null;
  org_id: string | null;
  org_name: string | null;
  org_path: string | null;
  org_type: Org['type'] | null;
  org_status: Org['status'] | null;
  phone_has_open: boolean;
};

/** The columns a submission writes (fixed order: one prepared statement). */
export type NewApplicationRow = Omit<Insertable<DB['join_applications']>, 'consent_id'> & {
  details: string;
  applicant_extra: string;
};

type TargetRow = { id: string | null; name: string; path: string; type: Org['type']; status: Org['status']; phone_has_open: boolean };
const targetOf = (row: TargetRow): SubmissionTarget => ({
  org: row.id ? { id: row.id, name: row.name, path: row.path, type: row.type, status: row.status } : null,
  phoneHasOpen: row.phone_has_open,
});

const APPLICATION_COLUMNS = [
  'applicant_name',
  'applicant_id_type',
  'applicant_id_enc',
  'applicant_id_bidx',
  'applicant_id_masked',
  'applicant_sex',
  'applicant_birth_date',
  'applicant_phone_enc',
  'applicant_phone_bidx',
  'applicant_phone_masked',
  'person_id',
  'target_org_id',
  'target_org_path',
  'campaign_id',
  'channel',
  'transfer_from_membership_id',
  'worker_id',
  'partner_id',
  'partner_ref',
  'idempotency_key',
  'submitted_at',
  'due_at',
] as const satisfies readonly (keyof NewApplicationRow)[];

/** Statuses of an application still being handled (one per phone: join_applications_one_open_per_phone). */
export const OPEN_STATUSES: JoinApplicationStatus[] = ['pending', 'awaiting_release'];

export const joiningRepository = {
  /** The target union and the phone's open application, in one statement (partner and staff submissions). */
  async submissionTarget(db: Executor, targetOrgId: string, phoneBidx: string | null): Promise<SubmissionTarget> {
    const r = await sql<{
      id: string | null;
      name: string;
      path: string;
      type: Org['type'];
      status: Org['status'];
      phone_has_open: boolean;
    }>`${sql.raw(PREPARED)}
      select o.id, o.name, o.path, o.type, o.status,
        exists (select 1 from join_applications a where a.applicant_phone_bidx = ${phoneBidx}::text and a.status in ('pending','awaiting_release')) as phone_has_open
      from (select 1) one left join orgs o on o.id = ${targetOrgId}::int8`.execute(db);
    return targetOf(r.rows[0]!);
  },

  /**
   * A submission in ONE statement (atomic without BEGIN/COMMIT): the consent (when given), the
   * application, and the statements `also` adds reading the CTE `app` (the worker's message, the
   * audit row). Answers the application.
   */
  async submit(
    db: Executor,
    row: NewApplicationRow,
    consent: { worker_id: string | null; text_version: string; agreed_at: Date; ip: string | null } | null,
    also: { name: string; insert: RawBuilder<unknown> }[],
  ): Promise<JoinApplication> {
    const values = APPLICATION_COLUMNS.map((c) => sql`${row[c] ?? null}`);
    const r = await sql<JoinApplication>`${sql.raw(PREPARED)}
      with consent as (
        insert into consents (worker_id, person_id, purpose, text_version, agreed_at, ip)
        select ${consent?.worker_id ?? null}::int8, null, 'join_sensitive_pi', ${consent?.text_version ?? null}::text, ${consent?.agreed_at ?? null}::timestamptz, ${consent?.ip ?? null}::text
        where ${consent !== null}::boolean
        returning id
      ),
      app as (
        insert into join_applications (${sql.raw(APPLICATION_COLUMNS.join(', '))}, details, applicant_extra, consent_id)
        values (${sql.join(values)}, ${row.details}::jsonb, ${row.applicant_extra}::jsonb, (select id from consent))
        returning *
      )${sql.join(
        also.map((a) => sql`, ${sql.raw(a.name)} as (${a.insert})`),
        sql``,
      )}
      select * from app`.execute(db);
    return r.rows[0]!;
  },

  /**
   * A worker's submission checked and written in ONE statement (issue 10 item 5): `chk` reads the
   * application this idempotency key already made, the account's phone, the union the account's
   * own person is a member of (never anyone else's: the roll is not read by the ID number typed),
   * the target union and the phone's open application; the writes of `submit` happen only from
   * `ok`, the row that passed every check. `ready`: the caller's own
   * checks (consent version, age) passed. Nothing written: `app` is null and the caller names the
   * first failed check from what `chk` read (the same rules, in the same order as before).
   */
  async submitForWorker(
    db: Executor,
    p: {
      workerId: string;
      idempotencyKey: string;
      targetOrgId: string;
      /** A campaign's union path the target must lie under, or null. */
      within: string | null;
      transfer: boolean;
      ready: boolean;
      /** The org types that take members (orgs MEMBER_UNION_TYPES). */
      memberUnionTypes: readonly string[];
    },
    row: Omit<NewApplicationRow, 'target_org_path'>,
    consent: { text_version: string; agreed_at: Date; ip: string | null },
    also: { name: string; insert: RawBuilder<unknown> }[],
  ): Promise<WorkerSubmitResult> {
    const values = APPLICATION_COLUMNS.map((c) => (c === 'target_org_path' ? sql`ok.path` : sql`${row[c] ?? null}`));
    const r = await sql<WorkerSubmitRow & Partial<JoinApplication>>`${sql.raw(PREPARED)}
      with chk as (
        select
          (select a.id from join_applications a where a.worker_id = ${p.workerId}::int8 and a.idempotency_key = ${p.idempotencyKey}::text) as existing_id,
          (select w.phone_bidx from workers w where w.id = ${p.workerId}::int8) as worker_phone_bidx,
          live.org_id as live_org_id, live.org_name as live_org_name,
          o.id as org_id, o.name as org_name, o.path as org_path, o.type as org_type, o.status as org_status,
          exists (select 1 from join_applications a where a.applicant_phone_bidx = ${row.applicant_phone_bidx}::text and a.status in ('pending','awaiting_release')) as phone_has_open
        from (select 1) one
        left join orgs o on o.id = ${p.targetOrgId}::int8
        left join lateral (
          select m.org_id, mo.name as org_name from people pe
          join memberships m on m.person_id = pe.id and m.status in ('active','retained')
          join orgs mo on mo.id = m.org_id
          where pe.worker_id = ${p.workerId}::int8 limit 1
        ) live on true
      ),
      ok as (
        select org_path as path from chk
        where ${p.ready}::boolean and existing_id is null
          and worker_phone_bidx = ${row.applicant_phone_bidx}::text
          and (live_org_id is null or (live_org_id <> org_id and ${p.transfer}::boolean))
          and org_id is not null and org_status = 'active' and org_type in (${sql.join(p.memberUnionTypes.map((t) => sql.lit(t)))})
          and (${p.within}::text is null or starts_with(org_path, ${p.within}::text))
          and not phone_has_open
      ),
      consent as (
        insert into consents (worker_id, person_id, purpose, text_version, agreed_at, ip)
        select ${p.workerId}::int8, null, 'join_sensitive_pi', ${consent.text_version}::text, ${consent.agreed_at}::timestamptz, ${consent.ip}::text
        from ok
        returning id
      ),
      app as (
        insert into join_applications (${sql.raw(APPLICATION_COLUMNS.join(', '))}, details, applicant_extra, consent_id)
        select ${sql.join(values)}, ${row.details}::jsonb, ${row.applicant_extra}::jsonb, (select id from consent)
        from ok
        returning *
      )${sql.join(
        also.map((a) => sql`, ${sql.raw(a.name)} as (${a.insert})`),
        sql``,
      )}
      select chk.*, app.* from chk left join app on true`.execute(db);
    const { existing_id, worker_phone_bidx, live_org_id, live_org_name, org_id, org_name, org_path, org_type, org_status, phone_has_open, ...app } = r.rows[0]!;
    return {
      existingId: existing_id,
      workerPhoneBidx: worker_phone_bidx,
      liveOrg: live_org_id ? { id: live_org_id, name: live_org_name! } : null,
      org: org_id ? { id: org_id, name: org_name!, path: org_path!, type: org_type!, status: org_status! } : null,
      phoneHasOpen: phone_has_open,
      app: app.id ? (app as JoinApplication) : null,
    };
  },

  /** Text with the target union's name in it, for a statement `also` adds to `submitForWorker` (it reads the CTE `chk`). */
  withTargetName(before: string, after: string): RawBuilder<string> {
    return sql<string>`(${before}::text || (select org_name from chk) || ${after}::text)`;
  },

  async byIdempotencyKey(db: Executor, workerId: string, key: string) {
    return db.selectFrom('join_applications').selectAll().where('worker_id', '=', workerId).where('idempotency_key', '=', key).executeTakeFirst();
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

  /** Pending applications in the subtree: all, past the 15-working-day SLA, and due before `soon` (the home page). */
  async pendingSummary(db: Executor, scopePath: string, now: Date, soon: Date) {
    const r = await db
      .selectFrom('join_applications')
      .select([
        sql<number>`count(*)::int`.as('total'),
        sql<number>`count(*) filter (where due_at < ${now})::int`.as('overdue'),
        sql<number>`count(*) filter (where due_at >= ${now} and due_at < ${soon})::int`.as('due_soon'),
      ])
      .where('status', '=', 'pending')
      .where('target_org_path', 'like', `${scopePath}%`)
      .executeTakeFirstOrThrow();
    return { total: Number(r.total), overdue: Number(r.overdue), dueSoon: Number(r.due_soon) };
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
};
