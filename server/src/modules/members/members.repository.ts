// SQL over people, memberships and 会籍 events. The roll is scoped by memberships.org_path
// (a copy of orgs.path kept in step on subtree moves).
import { sql } from 'kysely';
import type { EmploymentForm, Membership, MembershipEventType, MembershipStatus, Person } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';

export type PersonRow = Omit<Person, 'id' | 'version' | 'created_at' | 'updated_at' | 'member_no' | 'address' | 'phone_set_by_staff_at'> &
  Partial<Pick<Person, 'phone_set_by_staff_at'>>;

export interface RollFilters {
  status?: MembershipStatus[];
  employmentForm?: EmploymentForm;
  joinedFrom?: string;
  joinedTo?: string;
  isMigrantWorker?: boolean;
  isModelWorker?: boolean;
  orgId?: string;
  /**
   * One of: exact blind index of phone or ID; last four of the ID or of the phone; pinyin
   * (initials prefix, or full-pinyin prefix from two letters on); name prefix.
   */
  search?: { kind: 'phone' | 'id'; bidx: string } | { kind: 'last4'; value: string } | { kind: 'pinyin'; value: string } | { kind: 'name'; value: string };
  sort?: 'joined_desc' | 'joined_asc' | 'name';
  limit: number;
  offset: number;
}

/** Totals of the roll are exact up to this many rows; ROLL_TOTAL_CAP + 1 stands for "more". */
export const ROLL_TOTAL_CAP = 10_000;
/** With filters no index holds, the count reads at most this many rows of the scope (then: estimate). */
export const ROLL_COUNT_SCAN = 50_000;

/** The filters the count checks on the rows it read (columns of memberships_scope_status_idx). */
function heavyFilters(f: RollFilters) {
  const out = [];
  if (f.employmentForm) out.push(sql<boolean>`m.employment_form = ${f.employmentForm}`);
  if (f.isMigrantWorker !== undefined) out.push(sql<boolean>`m.is_migrant_worker = ${f.isMigrantWorker}`);
  if (f.isModelWorker !== undefined) out.push(sql<boolean>`m.is_model_worker = ${f.isModelWorker}`);
  return out;
}

/** A row of the roll as the list shows it. */
export interface RollRow {
  id: string;
  person_id: string;
  org_id: string;
  org_path: string;
  status: MembershipStatus;
  employment_form: EmploymentForm;
  employer_name: string | null;
  joined_on: string;
  is_migrant_worker: boolean;
  is_model_worker: boolean;
  name: string;
  sex: 'M' | 'F' | null;
  id_masked: string;
  phone_masked: string | null;
  member_no: string | null;
  org_name: string;
}

const like = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The search condition on `memberships as m` (the roll and its export). A one-character name or
 * one-letter pinyin is an equality on the key's first character ("head"), so the scope range
 * follows it in memberships_name_head_idx / memberships_initials_head_idx, in the roll's default
 * order; longer prefixes are selective city-wide ((key, org_path) indexes); a blind index or a
 * last four names a handful of people: those first, then their memberships (by person_id).
 */
export function rollSearch(db: Executor, s: NonNullable<RollFilters['search']>) {
  if (s.kind === 'name') {
    const chars = [...s.value];
    if (chars.length === 1) return sql<boolean>`left(m.search_name, 1) = ${s.value}`;
    if (chars.length === 2) return sql<boolean>`left(m.search_name, 2) = ${s.value}`;
    return sql<boolean>`(left(m.search_name, 2) = ${chars.slice(0, 2).join('')} and m.search_name like ${`${like(s.value)}%`})`;
  }
  if (s.kind === 'pinyin') {
    const v = s.value;
    if (v.length === 1) return sql<boolean>`left(m.search_initials, 1) = ${v}`;
    // Only consonants (wj, zjg) are initials — no full pinyin starts so, except zh / ch / sh.
    if (/^[^aeiouv]+$/.test(v) && !/^[zcs]h/.test(v)) {
      if (v.length === 2) return sql<boolean>`left(m.search_initials, 2) = ${v}`;
      return sql<boolean>`(left(m.search_initials, 2) = ${v.slice(0, 2)} and m.search_initials like ${`${like(v)}%`})`;
    }
    const prefix = `${like(v)}%`;
    return sql<boolean>`(m.search_initials like ${prefix} or m.search_pinyin like ${prefix})`;
  }
  let people = db.selectFrom('people').select('people.id');
  if (s.kind === 'last4') {
    const v = s.value;
    people = people.where((eb) => eb.or([eb('people.id_last4', '=', v), eb(sql<string>`right(people.phone_masked, 4)`, '=', v)]));
  } else people = people.where(s.kind === 'phone' ? 'people.phone_bidx' : 'people.id_bidx', '=', s.bidx);
  return sql<boolean>`m.person_id = any(array(${people}))`;
}

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
    patch: Partial<Pick<Person, 'name' | 'name_initials' | 'name_pinyin' | 'phone_enc' | 'phone_bidx' | 'phone_masked' | 'phone_set_by_staff_at'>>,
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
        'p.phone_set_by_staff_at',
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
    return db.selectFrom('people').select(['id', 'worker_id', 'phone_set_by_staff_at']).where('phone_bidx', '=', phoneBidx).orderBy('id').limit(2).execute();
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

  /** The roll's 劳模 flag follows the honours register (modules/models): set on the person's live membership. */
  async setModelWorker(db: Executor, personId: string, value: boolean) {
    return db
      .updateTable('memberships')
      .set({ is_model_worker: value })
      .where('person_id', '=', personId)
      .where('status', 'in', ['active', 'retained'])
      .where('is_model_worker', '<>', value)
      .returning(['id'])
      .execute();
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

  async insertMembership(
    db: Executor,
    row: Omit<Membership, 'id' | 'version' | 'created_at' | 'updated_at' | 'search_name' | 'search_initials' | 'search_pinyin'>,
  ): Promise<Membership> {
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
        'p.address',
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
    // Filters no index holds in order (employment form, 农民工, 劳模) can make the capped count walk
    // most of a large scope to find 10,001 rows; their count stops after ROLL_COUNT_SCAN rows of
    // the scope and the caller estimates the rest (totalIsEstimate).
    const heavy = f.employmentForm !== undefined || f.isMigrantWorker !== undefined || f.isModelWorker !== undefined;
    const matching = (withHeavy = true) => {
      let q = db.selectFrom('memberships as m').where('m.org_path', 'like', `${scopePath}%`);
      if (f.search) q = q.where(rollSearch(db, f.search));
      if (f.status?.length) q = q.where('m.status', 'in', f.status);
      if (f.joinedFrom) q = q.where('m.joined_on', '>=', f.joinedFrom);
      if (f.joinedTo) q = q.where('m.joined_on', '<=', f.joinedTo);
      if (f.orgId) q = q.where('m.org_id', '=', f.orgId);
      if (!withHeavy) return q;
      if (f.employmentForm) q = q.where('m.employment_form', '=', f.employmentForm);
      if (f.isMigrantWorker !== undefined) q = q.where('m.is_migrant_worker', '=', f.isMigrantWorker);
      if (f.isModelWorker !== undefined) q = q.where('m.is_model_worker', '=', f.isModelWorker);
      return q;
    };
    // Each order has its index: (org_path, joined_on desc, id desc) the default, (joined_on, id)
    // by join date, (search_pinyin, org_path, id) by name.
    const order = <Q extends { orderBy: (...a: never[]) => Q }>(q: Q, t: 'm' | 'r'): Q => {
      const o = q as unknown as { orderBy: (c: string, d?: 'asc' | 'desc') => typeof o };
      if (f.sort === 'name') return o.orderBy(`${t}.search_pinyin`).orderBy(`${t}.org_path`).orderBy(`${t}.id`) as unknown as Q;
      if (f.sort === 'joined_asc') return o.orderBy(`${t}.joined_on`).orderBy(`${t}.id`) as unknown as Q;
      return o.orderBy(`${t}.org_path`).orderBy(`${t}.joined_on`, 'desc').orderBy(`${t}.id`, 'desc') as unknown as Q;
    };
    // The page's keys first (often an index-only read, sorted there when the hits need sorting),
    // then its 20 rows.
    const keys = order(
      matching().select(f.sort === 'name' ? ['m.id', 'm.org_path', 'm.joined_on', 'm.search_pinyin'] : ['m.id', 'm.org_path', 'm.joined_on']),
      'm',
    )
      .limit(f.limit)
      .offset(f.offset);
    const page = db
      .selectFrom(keys.as('k'))
      .innerJoin('memberships as pm', 'pm.id', 'k.id')
      .innerJoin('people as p', 'p.id', 'pm.person_id')
      .innerJoin('orgs as o', 'o.id', 'pm.org_id')
      .select([
        'pm.id',
        'pm.person_id',
        'pm.org_id',
        'pm.org_path',
        'pm.status',
        'pm.employment_form',
        'pm.employer_name',
        'pm.joined_on',
        'pm.is_migrant_worker',
        'pm.is_model_worker',
        'pm.search_pinyin',
        'p.name',
        'p.sex',
        'p.id_masked',
        'p.phone_masked',
        'p.member_no',
        'o.name as org_name',
      ]);
    // The total is counted up to ROLL_TOTAL_CAP + 1 rows only (on the same index as the page):
    // total > ROLL_TOTAL_CAP means "more than 10,000" (the console shows 1万+).
    const counted = heavy
      ? db
          .selectFrom(matching(false).select(['m.employment_form', 'm.is_migrant_worker', 'm.is_model_worker']).limit(ROLL_COUNT_SCAN).as('m'))
          .select((eb) => [
            sql<string>`least(count(*) filter (where ${eb.and(heavyFilters(f))}), ${ROLL_TOTAL_CAP + 1})`.as('total'),
            eb.fn.countAll<string>().as('scanned'),
          ])
      : db
          .selectFrom(
            matching()
              .select(sql<number>`1`.as('one'))
              .limit(ROLL_TOTAL_CAP + 1)
              .as('capped'),
          )
          .select((eb) => [eb.fn.countAll<string>().as('total'), sql<string>`0`.as('scanned')]);
    // The count's one row, joined to the page's rows (none when the page is empty).
    const rows = await order(
      db
        .selectFrom(counted.as('t'))
        .leftJoin(page.as('r'), (j) => j.onTrue())
        .selectAll('r')
        .select(['t.total', 't.scanned']),
      'r',
    ).execute();
    const items = rows.filter((r): r is typeof r & { id: string } => r.id !== null);
    const total = Number(rows[0]?.total ?? 0);
    // The bounded count stopped inside the scope before finding the cap: the planner's estimate.
    const bounded = Number(rows[0]?.scanned ?? 0) >= ROLL_COUNT_SCAN && total <= ROLL_TOTAL_CAP;
    return { items: items as unknown as RollRow[], total, totalIsEstimate: bounded };
  },

  /** The planner's estimate of the rows matching the roll filters (EXPLAIN, nothing read). */
  async rollEstimate(db: Executor, scopePath: string, f: RollFilters): Promise<number> {
    let q = db.selectFrom('memberships as m').select('m.id').where('m.org_path', 'like', `${scopePath}%`);
    if (f.search) q = q.where(rollSearch(db, f.search));
    if (f.status?.length) q = q.where('m.status', 'in', f.status);
    if (f.joinedFrom) q = q.where('m.joined_on', '>=', f.joinedFrom);
    if (f.joinedTo) q = q.where('m.joined_on', '<=', f.joinedTo);
    if (f.orgId) q = q.where('m.org_id', '=', f.orgId);
    const heavy = heavyFilters(f);
    if (heavy.length) q = q.where((eb) => eb.and(heavy));
    const plan = (await q.explain('json')) as unknown as { 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] | string }[];
    const raw = plan[0]!['QUERY PLAN'];
    return (typeof raw === 'string' ? (JSON.parse(raw) as [{ Plan: { 'Plan Rows': number } }]) : raw)[0].Plan['Plan Rows'];
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
