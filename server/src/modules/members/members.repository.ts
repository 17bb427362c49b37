// SQL over people, memberships and 会籍 events. The roll is scoped by memberships.org_path
// (a copy of orgs.path kept in step on subtree moves).
import { sql } from 'kysely';
import type { EmploymentForm, Membership, MembershipEventType, MembershipStatus, Person } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';

export type PersonRow = Omit<Person, 'id' | 'version' | 'created_at' | 'updated_at' | 'member_no'>;

export interface RollFilters {
  status?: MembershipStatus[];
  employmentForm?: EmploymentForm;
  joinedFrom?: string;
  joinedTo?: string;
  isMigrantWorker?: boolean;
  isModelWorker?: boolean;
  orgId?: string;
  /** One of: exact blind index of phone or ID, last four of the ID, pinyin initials prefix, name prefix. */
  search?: { kind: 'phone' | 'id'; bidx: string } | { kind: 'last4'; value: string } | { kind: 'initials'; value: string } | { kind: 'name'; value: string };
  sort?: 'joined_desc' | 'joined_asc' | 'name';
  limit: number;
  offset: number;
}

/** Totals of the roll are exact up to this many rows; ROLL_TOTAL_CAP + 1 stands for "more". */
export const ROLL_TOTAL_CAP = 10_000;

const membershipsAsM = (db: Executor) => db.selectFrom('memberships as m');

const like = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

export const membersRepository = {
  async personByIdIndex(db: Executor, idBidx: string): Promise<Person | undefined> {
    return db.selectFrom('people').selectAll().where('id_bidx', '=', idBidx).executeTakeFirst();
  },

  /** The person with this ID blind index, row-locked (a review changing or linking them). */
  async personByIdIndexForUpdate(db: Executor, idBidx: string): Promise<Person | undefined> {
    return db.selectFrom('people').selectAll().where('id_bidx', '=', idBidx).forUpdate().executeTakeFirst();
  },

  async personById(db: Executor, id: string): Promise<Person | undefined> {
    return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insertPerson(db: Executor, row: PersonRow): Promise<Person> {
    return db.insertInto('people').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /**
   * A new person, or nothing when the ID is already on the roll: an existing person's identity,
   * phone and worker link are never rewritten by what somebody typed (decision 009).
   */
  async insertPersonIfAbsent(db: Executor, row: PersonRow): Promise<Person | undefined> {
    return db
      .insertInto('people')
      .values(row)
      .onConflict((oc) => oc.column('id_bidx').doNothing())
      .returningAll()
      .executeTakeFirst();
  },

  /** A reviewer-accepted change of name or phone (the caller audits it). */
  async updateIdentity(
    db: Executor,
    id: string,
    patch: Partial<Pick<Person, 'name' | 'name_initials' | 'name_pinyin' | 'phone_enc' | 'phone_bidx' | 'phone_masked'>>,
  ): Promise<Person | undefined> {
    return db
      .updateTable('people')
      .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  },

  async setMemberNo(db: Executor, personId: string, memberNo: string): Promise<void> {
    await db.updateTable('people').set({ member_no: memberNo }).where('id', '=', personId).where('member_no', 'is', null).execute();
  },

  /** Sets or clears a person's worker link (people_one_per_worker: one person per account). */
  async setWorker(db: Executor, personId: string, workerId: string | null): Promise<void> {
    await db
      .updateTable('people')
      .set({ worker_id: workerId, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', personId)
      .execute();
  },

  /** Links a person to a worker only while neither is linked (the phone-match link); false when it lost. */
  async linkWorkerIfFree(db: Executor, personId: string, workerId: string): Promise<boolean> {
    const r = await db
      .updateTable('people')
      .set({ worker_id: workerId, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', personId)
      .where('worker_id', 'is', null)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('people as o').select('o.id').where('o.worker_id', '=', workerId))))
      .returning('id')
      .executeTakeFirst();
    return !!r;
  },

  async personsByWorker(db: Executor, workerId: string): Promise<Person[]> {
    return db.selectFrom('people').selectAll().where('worker_id', '=', workerId).orderBy('id').execute();
  },

  /** The roll record of an ID number: the person and their live membership (if any) with its union. */
  async rollRecordByIdIndex(db: Executor, idBidx: string) {
    return db
      .selectFrom('people as p')
      .leftJoin('memberships as m', (j) => j.onRef('m.person_id', '=', 'p.id').on('m.status', 'in', ['active', 'retained']))
      .leftJoin('orgs as o', 'o.id', 'm.org_id')
      .select([
        'p.id',
        'p.name',
        'p.phone_bidx',
        'p.phone_masked',
        'p.sex',
        'p.birth_date',
        'p.member_no',
        'p.worker_id',
        'm.id as membership_id',
        'm.org_id',
        'm.status',
        'o.name as org_name',
      ])
      .where('p.id_bidx', '=', idBidx)
      .executeTakeFirst();
  },

  /** Up to two people with this phone on the roll (a phone-match link needs exactly one). */
  async peopleByPhone(db: Executor, phoneBidx: string) {
    return db.selectFrom('people').select(['id', 'worker_id']).where('phone_bidx', '=', phoneBidx).orderBy('id').limit(2).execute();
  },

  /** Next number in a member-number series, atomically (row lock on the counter). */
  async nextMemberSeq(db: Executor, prefix: string): Promise<number> {
    const row = await db
      .insertInto('member_no_counters')
      .values({ prefix, last_value: '1' })
      .onConflict((oc) => oc.column('prefix').doUpdateSet({ last_value: sql`member_no_counters.last_value + 1` }))
      .returning('last_value')
      .executeTakeFirstOrThrow();
    return Number(row.last_value);
  },

  async liveMembership(db: Executor, personId: string): Promise<Membership | undefined> {
    return db
      .selectFrom('memberships')
      .selectAll()
      .where('person_id', '=', personId)
      .where('status', 'in', ['active', 'retained'])
      .forUpdate()
      .executeTakeFirst();
  },

  async membershipForUpdate(db: Executor, id: string): Promise<Membership | undefined> {
    return db.selectFrom('memberships').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },

  async insertMembership(db: Executor, row: Omit<Membership, 'id' | 'version' | 'created_at' | 'updated_at'>): Promise<Membership> {
    return db.insertInto('memberships').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async updateMembership(
    db: Executor,
    id: string,
    version: number | null,
    patch: Partial<
      Pick<Membership, 'status' | 'ended_on' | 'employer_name' | 'job_title' | 'employment_form' | 'skill_grade' | 'is_migrant_worker' | 'is_model_worker'>
    >,
  ) {
    let q = db
      .updateTable('memberships')
      .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id);
    if (version !== null) q = q.where('version', '=', version);
    return q.returningAll().executeTakeFirst();
  },

  async membershipInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('memberships as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .innerJoin('orgs as o', 'o.id', 'm.org_id')
      .selectAll('m')
      .select([
        'p.name',
        'p.id_type',
        'p.id_masked',
        'p.phone_masked',
        'p.sex',
        'p.birth_date',
        'p.ethnicity',
        'p.education',
        'p.political_status',
        'p.hukou_type',
        'p.hukou_region',
        'p.emergency_contact_name',
        'p.emergency_contact_phone_masked',
        'p.member_no',
        'o.name as org_name',
      ])
      .where('m.id', '=', id)
      .where('m.org_path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async sensitiveOf(db: Executor, personId: string) {
    return db.selectFrom('people').select(['id_enc', 'phone_enc', 'emergency_contact_phone_enc']).where('id', '=', personId).executeTakeFirstOrThrow();
  },

  async roll(db: Executor, scopePath: string, f: RollFilters) {
    // With a search, the matching people come first (the name / initials / blind-index
    // indexes), then each one's memberships through memberships_person_scope_idx: OFFSET 0
    // keeps PostgreSQL from turning this into a scan of the whole roll (at a million members a
    // hash join over all memberships costs 0.3–0.6 s where this costs milliseconds).
    const s = f.search;
    let hits = db.selectFrom('people').select('people.id');
    if (s) {
      if (s.kind === 'phone') hits = hits.where('people.phone_bidx', '=', s.bidx);
      else if (s.kind === 'id') hits = hits.where('people.id_bidx', '=', s.bidx);
      else if (s.kind === 'last4') hits = hits.where('people.id_last4', '=', s.value);
      else if (s.kind === 'initials') hits = hits.where('people.name_initials', 'like', `${like(s.value)}%`);
      else if (s.kind === 'name') hits = hits.where('people.name', 'like', `${like(s.value)}%`);
    }
    const from = s
      ? (db.selectFrom(hits.offset(0).as('h')).innerJoinLateral(
          (eb) => eb.selectFrom('memberships').selectAll().whereRef('memberships.person_id', '=', 'h.id').offset(0).as('m'),
          (join) => join.onTrue(),
        ) as unknown as ReturnType<typeof membershipsAsM>)
      : membershipsAsM(db);
    let q = from.innerJoin('people as p', 'p.id', 'm.person_id').where('m.org_path', 'like', `${scopePath}%`);
    if (f.status?.length) q = q.where('m.status', 'in', f.status);
    if (f.employmentForm) q = q.where('m.employment_form', '=', f.employmentForm);
    if (f.joinedFrom) q = q.where('m.joined_on', '>=', f.joinedFrom);
    if (f.joinedTo) q = q.where('m.joined_on', '<=', f.joinedTo);
    if (f.isMigrantWorker !== undefined) q = q.where('m.is_migrant_worker', '=', f.isMigrantWorker);
    if (f.isModelWorker !== undefined) q = q.where('m.is_model_worker', '=', f.isModelWorker);
    if (f.orgId) q = q.where('m.org_id', '=', f.orgId);
    let items = q
      .innerJoin('orgs as o', 'o.id', 'm.org_id')
      .select([
        'm.id',
        'm.person_id',
        'm.org_id',
        'm.status',
        'm.employment_form',
        'm.employer_name',
        'm.joined_on',
        'm.is_migrant_worker',
        'm.is_model_worker',
        'p.name',
        'p.sex',
        'p.id_masked',
        'p.phone_masked',
        'p.member_no',
        'o.name as org_name',
      ]);
    if (f.sort === 'name') items = items.orderBy('p.name_pinyin').orderBy('m.id');
    else if (f.sort === 'joined_asc') items = items.orderBy('m.joined_on').orderBy('m.id');
    else items = items.orderBy('m.org_path').orderBy('m.joined_on', 'desc').orderBy('m.id', 'desc');
    // The total is counted up to ROLL_TOTAL_CAP + 1 rows only: an exact count of a city-wide
    // roll (a million rows) takes longer than the page itself. total > ROLL_TOTAL_CAP means
    // "more than 10,000" (the console shows 1万+); narrower lists get their exact count.
    const [rows, total] = await Promise.all([
      items.limit(f.limit).offset(f.offset).execute(),
      db
        .selectFrom(
          q
            .select('m.id')
            .limit(ROLL_TOTAL_CAP + 1)
            .as('capped'),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: rows, total: Number(total.n) };
  },

  async events(db: Executor, personId: string) {
    return db
      .selectFrom('membership_events as e')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .select(['e.id', 'e.type', 'e.reason', 'e.actor_name', 'e.at', 'e.org_id', 'o.name as org_name'])
      .where('e.person_id', '=', personId)
      .orderBy('e.at')
      .orderBy('e.id')
      .execute();
  },

  async insertEvent(
    db: Executor,
    row: {
      person_id: string;
      membership_id: string | null;
      org_id: string;
      type: MembershipEventType;
      reason: string | null;
      actor_type: string;
      actor_id: string | null;
      actor_name: string | null;
      at: Date;
    },
  ) {
    await db.insertInto('membership_events').values(row).execute();
  },

  async countLiveInOrg(db: Executor, orgId: string, statuses: MembershipStatus[]): Promise<number> {
    const r = await db
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('status', 'in', statuses)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async rewriteOrgPaths(db: Executor, oldPath: string, newPath: string): Promise<void> {
    await db
      .updateTable('memberships')
      .set({ org_path: sql`${newPath} || substr(org_path, ${oldPath.length + 1})` })
      .where('org_path', 'like', `${oldPath}%`)
      .execute();
  },

  /** Figures for an org subtree: by status, by employment form, new members per month. */
  async figures(db: Executor, scopePath: string, since: string) {
    const byStatus = await db
      .selectFrom('memberships')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('org_path', 'like', `${scopePath}%`)
      .groupBy('status')
      .execute();
    const byForm = await db
      .selectFrom('memberships')
      .select(['employment_form', (eb) => eb.fn.countAll<number>().as('n')])
      .where('org_path', 'like', `${scopePath}%`)
      .where('status', '=', 'active')
      .groupBy('employment_form')
      .execute();
    const perMonth = await db
      .selectFrom('memberships')
      .select([sql<string>`to_char(joined_on, 'YYYY-MM')`.as('month'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('org_path', 'like', `${scopePath}%`)
      .where('joined_on', '>=', since)
      .where('source', '<>', 'transfer')
      .groupBy(sql`to_char(joined_on, 'YYYY-MM')`)
      .orderBy(sql`to_char(joined_on, 'YYYY-MM')`)
      .execute();
    return { byStatus, byForm, perMonth };
  },
};
