// SQL of the import's staging table and its set-based merge into the roll (decision 013).
//
// A chunk of prepared rows is COPY'd into `import_stage` (a temp table of the job's connection,
// emptied at each commit), then ONE statement merges it: it checks the target unions are active
// (and holds them against a concurrent dissolve), looks each row's identity up on the roll, decides skipped (a live member of this union) / elsewhere (of another union) / differs (on
// the roll under another name or phone, decision 009) / admit, reserves the member numbers of the
// admitted rows in one counter update (file order, as membersService numbers them), inserts the new
// people (their phone marked as typed, not proven: the phone-match link skips it, decision 044), stamps a missing member number on the known ones, inserts the memberships (the one-live
// index has the last word) and their 会籍 events, and answers the refused rows plus the counts.
// (Data-modifying CTEs always run to completion, whether or not the final SELECT reads them.)
import { sql, type Kysely, type Transaction } from 'kysely';
import { PREPARED } from '../../db/prepared.js';
import type { DB } from '../../db/schema.js';
import type { EventActor } from '../members/members.service.js';
import { STAGE_COLUMNS } from './imports.prepare.js';

type Executor = Kysely<DB> | Transaction<DB>;

export const STAGE_TABLE = 'import_stage';
const columnList = STAGE_COLUMNS.map(([n]) => n).join(', ');

/** COPY of staging lines: FROM STDIN on PostgreSQL, PGlite reads the same text from its blob device. */
export const stageCopySql = (from: 'stdin' | 'blob') => `copy ${STAGE_TABLE} (${columnList}) from ${from === 'stdin' ? 'stdin' : `'/dev/blob'`}`;

/** The people columns a staged row fills (the rest of a staging line is the membership's). */
const PEOPLE_COLUMNS = STAGE_COLUMNS.slice(1, 22).map(([n]) => n);

export type MergeOutcome = 'elsewhere' | 'differs' | 'org_unavailable' | 'lost' | 'summary';

export interface MergeRow {
  row_no: number | null;
  outcome: MergeOutcome;
  name_differs: boolean;
  phone_differs: boolean;
  added: number;
  skipped: number;
}

export const importsStageRepository = {
  /** The job connection's staging table (rows live until the transaction that wrote them commits). */
  async createStage(db: Executor): Promise<void> {
    await sql`
      create temp table if not exists ${sql.raw(STAGE_TABLE)} (
        ${sql.raw(STAGE_COLUMNS.map(([n, t]) => `${n} ${t}${n === 'row_no' ? ' not null' : ''}`).join(',\n        '))}
      ) on commit delete rows`.execute(db);
  },

  async dropStage(db: Executor): Promise<void> {
    await sql`drop table if exists ${sql.raw(STAGE_TABLE)}`.execute(db);
  },

  /**
   * Merges the staged rows into the roll (each row names its union); answers the refused rows and
   * one summary row. `year`: the member numbers' two-digit year (China time).
   */
  async merge(trx: Transaction<DB>, p: { actor: EventActor; year: string; at: Date }): Promise<MergeRow[]> {
    // The staged rows and the CTEs between them have no statistics: a nested loop over a CTE the
    // planner guessed small is quadratic. Hash joins between them; the look-ups into the roll stay
    // index probes (LATERAL … LIMIT 1 is not flattened, so it can only be a parameterised nested
    // loop). No JIT: the statement's cost estimate would compile it on every chunk.
    await sql`set local enable_nestloop = off`.execute(trx);
    await sql`set local jit = off`.execute(trx);
    const people = sql.raw(PEOPLE_COLUMNS.join(', '));
    const fromStage = sql.raw(PEOPLE_COLUMNS.map((n) => `o.${n}`).join(', '));
    // Prepared (db/prepared.ts): planned once per connection, not for every chunk.
    const r = await sql<MergeRow>`${sql.raw(PREPARED)}
      with targets as (
        select id from orgs where id in (select distinct org_id from ${sql.raw(STAGE_TABLE)}) and status = 'active' for share
      ),
      o as (
        select s.*, k.id as known_id, k.member_no as known_no,
          left(coalesce(s.division_code, '000000'), 6) || ${p.year} as prefix,
          coalesce(k.name <> s.name, false) as name_differs,
          coalesce(k.phone_bidx <> s.phone_bidx, false) as phone_differs,
          coalesce(k.name, s.name) as key_name, coalesce(k.name_initials, s.name_initials) as key_initials,
          coalesce(k.name_pinyin, s.name_pinyin) as key_pinyin,
          case
            when not exists (select 1 from targets t where t.id = s.org_id) then 'org_unavailable'
            when live.org_id = s.org_id then 'skipped'
            when live.org_id is not null then 'elsewhere'
            when k.id is not null and (k.name <> s.name or coalesce(k.phone_bidx <> s.phone_bidx, false)) then 'differs'
            else 'admit'
          end as outcome
        from ${sql.raw(STAGE_TABLE)} s
        left join lateral (
          select p.id, p.name, p.phone_bidx, p.member_no, p.name_initials, p.name_pinyin from people p where p.id_bidx = s.id_bidx limit 1
        ) k on true
        left join lateral (
          select m.org_id from memberships m where m.person_id = k.id and m.status in ('active','retained') limit 1
        ) live on true
      ),
      numbered as (
        select row_no, prefix, row_number() over (partition by prefix order by row_no) as k, count(*) over (partition by prefix) as n
        from o where outcome = 'admit' and known_no is null
      ),
      counter as (
        insert into member_no_counters (prefix, last_value)
        select prefix, count(*) from numbered group by prefix order by prefix
        on conflict (prefix) do update set last_value = member_no_counters.last_value + excluded.last_value
        returning prefix, last_value
      ),
      numbers as (
        select n.row_no, n.prefix || lpad(seq.v::text, greatest(7, length(seq.v::text)), '0') as member_no
        from numbered n join counter c on c.prefix = n.prefix cross join lateral (select c.last_value - n.n + n.k as v) seq
      ),
      new_people as (
        insert into people (${people}, member_no, phone_set_by_staff_at)
        select ${fromStage}, nb.member_no, ${p.at}::timestamptz from o join numbers nb on nb.row_no = o.row_no
        where o.outcome = 'admit' and o.known_id is null
        order by o.row_no
        on conflict (id_bidx) do nothing
        returning id, id_bidx
      ),
      known_people as (
        update people p set member_no = coalesce(p.member_no, nb.member_no), version = p.version + 1, updated_at = now()
        from o left join numbers nb on nb.row_no = o.row_no
        where p.id = o.known_id and o.outcome = 'admit'
      ),
      admitted as (
        select o.*, coalesce(np.id, o.known_id) as person_id
        from o left join new_people np on np.id_bidx = o.id_bidx
        where o.outcome = 'admit'
      ),
      new_memberships as (
        insert into memberships (person_id, org_id, org_path, status, employer_name, job_title, employment_form, skill_grade,
          is_migrant_worker, is_model_worker, is_frontline, joined_on, source, search_name, search_initials, search_pinyin)
        select a.person_id, a.org_id, a.org_path, 'active', a.employer_name, a.job_title, a.employment_form, a.skill_grade,
          a.is_migrant_worker, false, a.is_frontline, a.joined_on, 'import', a.key_name, a.key_initials, a.key_pinyin
        from admitted a where a.person_id is not null
        order by a.row_no
        on conflict (person_id) where status in ('active','retained') do nothing
        returning id, person_id, org_id
      ),
      events as (
        insert into membership_events (person_id, membership_id, org_id, type, actor_type, actor_id, actor_name, at)
        select nm.person_id, nm.id, nm.org_id, 'join', ${p.actor.type}, ${p.actor.id}::int8, ${p.actor.name}, ${p.at}::timestamptz
        from new_memberships nm
      )
      select o.row_no, o.outcome, o.name_differs, o.phone_differs, 0 as added, 0 as skipped
      from o where o.outcome in ('elsewhere', 'differs', 'org_unavailable')
      union all
      select a.row_no, 'lost', false, false, 0, 0
      from admitted a where a.person_id is null or not exists (select 1 from new_memberships nm where nm.person_id = a.person_id)
      union all
      select null, 'summary', false, false, (select count(*) from new_memberships)::int4, (select count(*) from o where o.outcome = 'skipped')::int4`.execute(
      trx,
    );
    return r.rows;
  },
};
