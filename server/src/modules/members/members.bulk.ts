// Batched admission of many members at once (bulk import, benchmark): the same rules as
// membersService.identify + admit, in a handful of multi-row statements per batch instead of
// ~6 round trips per row.
//
// Usage (inside the caller's transaction; batches of 500–2,000 rows are a good size):
//
//   const checked = raw.map((r) => validateMemberRow(r));          // zod personInput + employmentInput
//   const rows = checked.flatMap((c, i) => (c.ok ? [{ ...c.value, orgId }] : []));  // report the !ok ones
//   const outcomes = await admitMany(trx, deps, rows, { source: 'import', actor });
//   // outcomes[i] belongs to rows[i]: { ok: true, membershipId, personId, memberNo } or
//   // { ok: false, code, message } (already a member, duplicate in this batch, union unavailable).
//
// Per batch: one SELECT (existing people and live memberships by ID blind index), one
// INSERT … ON CONFLICT per member-number prefix block (member_no_counters, row-locked until
// commit), one INSERT … ON CONFLICT (id_bidx) DO UPDATE for people, one INSERT … ON CONFLICT
// DO NOTHING for memberships (the one-live-membership index decides races), one INSERT for
// 会籍 events. Rows travel as arrays through unnest(), so a batch is a few parameters and one
// parse, on PostgreSQL and PGlite alike.
//
// A person already on the roll is never rewritten (decision 009): a row whose name or phone
// differs from the roll record of its ID number is refused as 'identity_differs' (the import
// reports it; staff correct the roll or the file), otherwise the person is admitted as the roll
// has them, and an existing worker link is kept. A new person's phone came from a list, not from
// its holder: it is marked (phone_set_by_staff_at), and the phone-match link skips it (decision 044).
//
// Differences from the one-by-one path: member numbers are reserved per batch before the
// insert, so a row that loses a race (a live membership created concurrently after the check)
// leaves a gap in its series. The caller writes the audit entry (one per batch or per job, e.g.
// 'member.import' with counts), as for any write.
import { chinaDay } from '../../platform/china-time.js';
import { sql, type Transaction } from 'kysely';
import type { DB, MembershipSource } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { employmentInput, personInput, type EmploymentInput, type PersonInput } from './members.schema.js';
import type { EventActor } from './members.service.js';
import { ID_DOMAIN, PERSON_COLUMNS, PHONE_DOMAIN, personRecord } from './members.people.js';

export interface BulkAdmitRow {
  person: PersonInput;
  employment: EmploymentInput;
  orgId: string;
  /** YYYY-MM-DD; today (China time) when absent. */
  joinedOn?: string;
  workerId?: string | null;
}

export type BulkAdmitOutcome =
  | { ok: true; membershipId: string; personId: string; memberNo: string }
  | { ok: false; code: 'already_member' | 'duplicate_in_batch' | 'org_unavailable' | 'identity_differs'; message: string };

/** The message of a row whose identity differs from the roll (names the differing fields). */
export function identityDiffersMessage(fields: { name: boolean; phone: boolean }): string {
  const which = [fields.name && '姓名', fields.phone && '手机号'].filter(Boolean).join('、');
  return `证件号码已在会员名册中，但${which}与名册记录不一致，未导入：请核对后在会员名册中更正或修改文件`;
}

/** Validates one raw row with the same schemas as the single-member paths. */
export function validateMemberRow(raw: {
  person: unknown;
  employment: unknown;
}): { ok: true; value: { person: PersonInput; employment: EmploymentInput } } | { ok: false; fields: Record<string, string> } {
  const p = personInput.safeParse(raw.person);
  const e = employmentInput.safeParse(raw.employment ?? {});
  if (p.success && e.success) return { ok: true, value: { person: p.data, employment: e.data } };
  const fields: Record<string, string> = {};
  for (const issue of [...(p.error?.issues ?? []), ...(e.error?.issues ?? [])]) {
    const key = issue.path.map(String).join('.') || 'row';
    fields[key] ??= issue.message;
  }
  return { ok: false, fields };
}

/** Column arrays of the people rows, in the order of PEOPLE_COLUMNS. */
const PEOPLE_COLUMNS = [...PERSON_COLUMNS, ['member_no', 'text'], ['worker_id', 'int8'], ['phone_set_by_staff_at', 'timestamptz']] as const;

/** The stored form of a person (encrypted, blind-indexed, masked, pinyin), as in membersService; `typedAt`: when the phone was typed. */
export function personValues(c: FieldCrypto, p: PersonInput, workerId: string | null, memberNo: string | null, typedAt: Date): (string | null)[] {
  const record: Record<string, string | null> = {
    ...personRecord(c, p, workerId),
    member_no: memberNo,
    phone_set_by_staff_at: typedAt.toISOString(),
  };
  return PEOPLE_COLUMNS.map(([name]) => record[name] ?? null);
}

const col = (name: string) => sql.ref(name);

/**
 * Admits many people (created, or contact data refreshed) to their unions in one go.
 * outcomes[i] answers rows[i]. Use only `trx` meanwhile (PGlite has one connection).
 */
export async function admitMany(
  trx: Transaction<DB>,
  deps: { crypto: FieldCrypto; clock: Clock },
  rows: BulkAdmitRow[],
  opts: { source: MembershipSource; actor: EventActor; reason?: string | null },
): Promise<BulkAdmitOutcome[]> {
  const outcomes: (BulkAdmitOutcome | null)[] = rows.map(() => null);
  if (!rows.length) return [];
  const c = deps.crypto;
  const at = deps.clock.now();
  const today = chinaDay(at);

  // Unions: active ones only, with the nearest 行政区划 code for the member number.
  const orgIds = [...new Set(rows.map((r) => r.orgId))];
  const orgs = await sql<{ id: string; path: string; status: string; division_code: string | null }>`
    select o.id, o.path, o.status,
      (select a.division_code from orgs a
        where a.id = any(string_to_array(trim(both '/' from o.path), '/')::bigint[]) and a.division_code is not null
        order by a.depth desc limit 1) as division_code
    from orgs o where o.id = any(${orgIds}::bigint[])`.execute(trx);
  const orgById = new Map(orgs.rows.map((o) => [String(o.id), o]));

  // Identity blind indexes; a repeated identity in one batch is refused (the first one wins).
  const bidx = rows.map((r) => c.blindIndex(`${r.person.idType}:${r.person.idNumber}`, ID_DOMAIN));
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const org = orgById.get(r.orgId);
    if (!org || org.status !== 'active') outcomes[i] = { ok: false, code: 'org_unavailable', message: '目标工会不存在或已撤销' };
    else if (seen.has(bidx[i]!)) outcomes[i] = { ok: false, code: 'duplicate_in_batch', message: '同一证件号码在本批中重复出现' };
    else seen.add(bidx[i]!);
  });

  // People already on file: their member number, and whether they are a member somewhere now.
  const known = await sql<{ id_bidx: string; member_no: string | null; name: string; phone_bidx: string | null; live: boolean }>`
    select p.id_bidx, p.member_no, p.name, p.phone_bidx,
      exists (select 1 from memberships m where m.person_id = p.id and m.status in ('active','retained')) as live
    from people p where p.id_bidx = any(${[...seen]}::text[])`.execute(trx);
  const knownBy = new Map(known.rows.map((k) => [k.id_bidx, k]));
  rows.forEach((r, i) => {
    const k = knownBy.get(bidx[i]!);
    if (outcomes[i] || !k) return;
    if (k.live) outcomes[i] = { ok: false, code: 'already_member', message: '此人已是工会会员（一人只能加入一个工会），请办理会籍转接' };
    else {
      const differs = { name: k.name !== r.person.name, phone: !!k.phone_bidx && k.phone_bidx !== c.blindIndex(r.person.phone, PHONE_DOMAIN) };
      if (differs.name || differs.phone) outcomes[i] = { ok: false, code: 'identity_differs', message: identityDiffersMessage(differs) };
    }
  });
  const todo = rows.map((_, i) => i).filter((i) => !outcomes[i]);
  if (!todo.length) return outcomes as BulkAdmitOutcome[];

  // Member numbers for those without one, reserved in blocks: prefix = county code + year.
  const memberNo = new Map<number, string>();
  const byPrefix = new Map<string, number[]>();
  for (const i of todo) {
    if (knownBy.get(bidx[i]!)?.member_no) continue;
    const prefix = `${(orgById.get(rows[i]!.orgId)!.division_code ?? '000000').slice(0, 6)}${today.slice(2, 4)}`;
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), i]);
  }
  for (const prefix of [...byPrefix.keys()].sort()) {
    const list = byPrefix.get(prefix)!;
    const r = await sql<{ last_value: string }>`
      insert into member_no_counters (prefix, last_value) values (${prefix}, ${list.length})
      on conflict (prefix) do update set last_value = member_no_counters.last_value + excluded.last_value
      returning last_value`.execute(trx);
    const first = Number(r.rows[0]!.last_value) - list.length + 1;
    list.forEach((i, k) => memberNo.set(i, `${prefix}${String(first + k).padStart(7, '0')}`));
  }

  // People: insert; one already on the roll keeps everything (identity, contact data, worker
  // link) except a missing member number (the number stays the first one ever given).
  const cols: (string | null)[][] = PEOPLE_COLUMNS.map(() => []);
  for (const i of todo) {
    const v = personValues(c, rows[i]!.person, rows[i]!.workerId ?? null, memberNo.get(i) ?? null, at);
    for (let k = 0; k < v.length; k++) cols[k]!.push(v[k]!);
  }
  const people = await sql<{ id: string; id_bidx: string; member_no: string }>`
    insert into people (${sql.join(PEOPLE_COLUMNS.map(([n]) => col(n)))})
    select * from unnest(${sql.join(PEOPLE_COLUMNS.map(([, t], k) => sql`${cols[k]}::${sql.raw(t)}[]`))})
    on conflict (id_bidx) do update set
      member_no = coalesce(people.member_no, excluded.member_no),
      version = people.version + 1,
      updated_at = now()
    returning id, id_bidx, member_no`.execute(trx);
  const personBy = new Map(people.rows.map((p) => [p.id_bidx, p]));

  // Memberships: the partial unique index (one live membership per person) has the last word.
  const pid: string[] = [];
  const m = { org_id: [] as string[], org_path: [] as string[], employer: [] as (string | null)[], job: [] as (string | null)[] };
  const form: string[] = [];
  const skill: (string | null)[] = [];
  const migrant: boolean[] = [];
  const model: boolean[] = [];
  const frontline: boolean[] = [];
  const joined: string[] = [];
  for (const i of todo) {
    const r = rows[i]!;
    const org = orgById.get(r.orgId)!;
    pid.push(personBy.get(bidx[i]!)!.id);
    m.org_id.push(String(org.id));
    m.org_path.push(org.path);
    m.employer.push(r.employment.employerName ?? null);
    m.job.push(r.employment.jobTitle ?? null);
    form.push(r.employment.employmentForm);
    skill.push(r.employment.skillGrade ?? null);
    migrant.push(r.employment.isMigrantWorker);
    // 劳模 from the register only (the insert trigger, decision 033), never from the row
    model.push(false);
    frontline.push(r.employment.isFrontline ?? false);
    joined.push(r.joinedOn ?? today);
  }
  const inserted = await sql<{ id: string; person_id: string; org_id: string }>`
    insert into memberships (person_id, org_id, org_path, status, employer_name, job_title, employment_form, skill_grade,
      is_migrant_worker, is_model_worker, is_frontline, joined_on, source)
    select p, o, op, 'active', e, j, f, s, mw, md, fl, jo, ${opts.source}
    from unnest(${pid}::int8[], ${m.org_id}::int8[], ${m.org_path}::text[], ${m.employer}::text[], ${m.job}::text[], ${form}::text[],
      ${skill}::text[], ${migrant}::bool[], ${model}::bool[], ${frontline}::bool[], ${joined}::date[]) as t(p, o, op, e, j, f, s, mw, md, fl, jo)
    on conflict (person_id) where status in ('active','retained') do nothing
    returning id, person_id, org_id`.execute(trx);
  const membershipOf = new Map(inserted.rows.map((r) => [String(r.person_id), r]));

  if (inserted.rows.length) {
    const type = opts.source === 'transfer' ? 'transfer_in' : 'join';
    await sql`
      insert into membership_events (person_id, membership_id, org_id, type, reason, actor_type, actor_id, actor_name, at)
      select p, mid, o, ${type}, ${opts.reason ?? null}, ${opts.actor.type}, ${opts.actor.id}::int8, ${opts.actor.name}, ${at}::timestamptz
      from unnest(${inserted.rows.map((r) => String(r.person_id))}::int8[], ${inserted.rows.map((r) => String(r.id))}::int8[],
        ${inserted.rows.map((r) => String(r.org_id))}::int8[]) as t(p, mid, o)`.execute(trx);
  }

  todo.forEach((i, k) => {
    const person = personBy.get(bidx[i]!)!;
    const ms = membershipOf.get(pid[k]!);
    outcomes[i] = ms
      ? { ok: true, membershipId: String(ms.id), personId: String(person.id), memberNo: person.member_no }
      : { ok: false, code: 'already_member', message: '此人已是工会会员（一人只能加入一个工会），请办理会籍转接' };
  });
  return outcomes as BulkAdmitOutcome[];
}
