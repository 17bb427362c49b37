// The members bench's COPY floors (decisions 041, 043): the same generated members, prepared
// beforehand, loaded by plain COPY into people, memberships and membership_events — no pipeline,
// no merge logic — so the import's rows/s stand beside what PostgreSQL itself does on this machine:
//   copyBaseline      into empty copies of the tables (every index): `import_vs_copy_ratio`;
//   copyAtSize        into the real tables at the size the import left them, rolled back:
//                     one session (every index, constraint and trigger), two sessions at once (the
//                     most any two-session import could reach), and one session with only the keys
//                     (primary keys, unique constraints, foreign keys, triggers — none of the indexes
//                     the roll's searches and lists read).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { FieldCrypto } from '../server/src/platform/crypto.js';
import { personValues, validateMemberRow } from '../server/src/modules/members/members.bulk.js';
import { mulberry32, rawMember } from './members-data.js';

type Org = { id: string; path: string; name: string };

const tsv = (v: unknown) => (v === null || v === undefined ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'));

const PEOPLE_COPY_COLUMNS = [
  'id',
  'id_type',
  'id_enc',
  'id_bidx',
  'id_last4',
  'id_masked',
  'name',
  'name_initials',
  'name_pinyin',
  'sex',
  'birth_date',
  'ethnicity',
  'phone_enc',
  'phone_bidx',
  'phone_masked',
  'education',
  'political_status',
  'hukou_type',
  'hukou_region',
  'emergency_contact_name',
  'emergency_contact_phone_enc',
  'emergency_contact_phone_masked',
  'member_no',
  'worker_id',
  'phone_set_by_staff_at',
];

/**
 * COPY text of `sample` generated members from generator number `firstN` (the same generator and
 * unions as the import), people ids from `firstId`: people, memberships (with their name keys,
 * migration 024) and their join events.
 */
function copyLines(crypto: FieldCrypto, sample: number, orgOf: (n: number) => Org, firstN: number, firstId: number) {
  const r2 = mulberry32(42);
  const p: string[] = [];
  const m: string[] = [];
  const e: string[] = [];
  const now = new Date().toISOString();
  for (let k = 0; k < sample; k++) {
    const n = firstN + k;
    const id = firstId + k;
    const raw = rawMember(n, r2);
    const v = validateMemberRow(raw);
    if (!v.ok) throw new Error('bad row');
    const org = orgOf(n);
    const pv = personValues(crypto, v.value.person, null, `32098126${String(n).padStart(7, '0')}`, new Date(now));
    p.push([id, ...pv].map(tsv).join('\t'));
    m.push(
      [
        id,
        id,
        org.id,
        org.path,
        'active',
        org.name,
        v.value.employment.employmentForm,
        v.value.employment.isMigrantWorker,
        raw.joined,
        'import',
        pv[5],
        pv[6],
        pv[7],
      ]
        .map(tsv)
        .join('\t'),
    );
    e.push([id, id, org.id, 'join', 'import', '基准测试导入', now].map(tsv).join('\t'));
  }
  return { p, m, e };
}

/**
 * Milliseconds to COPY the lines into the three tables, in one transaction (committed or rolled
 * back). `before`: statements run in that transaction first, not timed (dropping indexes for the
 * keys-only floor: undone by the rollback).
 */
async function copyInto(
  client: pg.Client,
  t: { people: string; memberships: string; events: string },
  rows: ReturnType<typeof copyLines>,
  end: 'commit' | 'rollback',
  before: string[] = [],
) {
  const copy = (text: string, lines: string[]) => pipeline(Readable.from([`${lines.join('\n')}\n`]), client.query(copyFrom(text)));
  await client.query('begin');
  try {
    for (const statement of before) await client.query(statement);
    const c0 = performance.now();
    await copy(`copy ${t.people} (${PEOPLE_COPY_COLUMNS.join(',')}) from stdin`, rows.p);
    await copy(
      `copy ${t.memberships} (person_id, id, org_id, org_path, status, employer_name, employment_form, is_migrant_worker, joined_on, source, search_name, search_initials, search_pinyin) from stdin`,
      rows.m,
    );
    await copy(`copy ${t.events} (person_id, membership_id, org_id, type, actor_type, actor_name, at) from stdin`, rows.e);
    const ms = performance.now() - c0;
    await client.query(end);
    return ms;
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
}

/** Milliseconds to COPY `sample` prepared rows into empty tables shaped like people, memberships and membership_events (all indexes). */
export async function copyBaseline(url: string, crypto: FieldCrypto, sample: number, orgOf: (n: number) => Org): Promise<number> {
  const rows = copyLines(crypto, sample, orgOf, 0, 1);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create table copy_people (like people including all)');
    await client.query('create table copy_memberships (like memberships including all)');
    await client.query('create table copy_events (like membership_events including all)');
    const copyMs = await copyInto(client, { people: 'copy_people', memberships: 'copy_memberships', events: 'copy_events' }, rows, 'commit');
    await client.query('drop table copy_people, copy_memberships, copy_events');
    return copyMs;
  } finally {
    await client.end();
  }
}

const REAL = { people: 'people', memberships: 'memberships', events: 'membership_events' };

/** The indexes of the three tables that no key needs: what the roll's searches, lists and figures read. */
async function readIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
     where i.indrelid in ('people'::regclass, 'memberships'::regclass, 'membership_events'::regclass)
       and not i.indisunique and not i.indisprimary
     order by 1`,
  );
  return rows.map((r) => r.name);
}

export interface CopyAtSize {
  /** One session, every index, constraint and trigger: the floor the import's last rows compare with. */
  oneSession: number;
  /** Two sessions at once, each its own rows, every index: the most a two-session import could reach. */
  twoSessions: number;
  /** One session with only the keys: none of the indexes the searches and lists read (dropped, rolled back). */
  keysOnly: number;
  readIndexes: string[];
}

/**
 * Rows/s of plain COPY of `sample` more prepared members (people new to the roll) into the real
 * people, memberships and membership_events at the size the import left them, each rolled back:
 * one session, two sessions at once, and one session without the read indexes (decision 043).
 */
export async function copyAtSize(url: string, crypto: FieldCrypto, sample: number, orgOf: (n: number) => Org): Promise<CopyAtSize> {
  const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
  const connect = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  };
  const [a, b] = [await connect(), await connect()];
  try {
    // Generator numbers and people ids clear of the loaded roll and of each other.
    const lines = (k: number) => copyLines(crypto, sample, orgOf, 900_000_000 + k * 10_000_000, 2 ** 40 + k * 10_000_000);
    const oneSession = rate(sample, await copyInto(a, REAL, lines(0), 'rollback'));
    const [first, second] = [lines(1), lines(2)];
    const t0 = performance.now();
    await Promise.all([copyInto(a, REAL, first, 'rollback'), copyInto(b, REAL, second, 'rollback')]);
    const twoSessions = rate(2 * sample, performance.now() - t0);
    const dropped = await readIndexes(a);
    const keysOnly = rate(sample, await copyInto(a, REAL, lines(3), 'rollback', [`drop index ${dropped.join(', ')}`]));
    return { oneSession, twoSessions, keysOnly, readIndexes: dropped };
  } finally {
    await a.end();
    await b.end();
  }
}

/** Groups of indexes and keys dropped (inside the rolled-back transaction) for the breakdown. */
const BREAKDOWN: { name: string; drop: (read: string[]) => string[] }[] = [
  { name: '全部索引、键和触发器', drop: () => [] },
  {
    name: '去掉五个外键',
    drop: () => [
      'alter table memberships drop constraint memberships_person_id_fkey, drop constraint memberships_org_id_fkey',
      'alter table membership_events drop constraint membership_events_person_id_fkey, drop constraint membership_events_org_id_fkey, drop constraint membership_events_membership_id_fkey',
    ],
  },
  {
    name: '去掉会籍的六个姓名/首字母/拼音索引',
    drop: (read) => [`drop index ${read.filter((n) => /^memberships_(name|initials|pinyin)/.test(n)).join(', ')}`],
  },
  {
    name: '再去掉人员的姓名、手机后四位、证件后四位索引',
    drop: (read) => [`drop index ${read.filter((n) => /^memberships_(name|initials|pinyin)|^people_(name_cover|phone_last4|last4)_idx$/.test(n)).join(', ')}`],
  },
  { name: '只留键（去掉所有查询用索引）', drop: (read) => [`drop index ${read.join(', ')}`] },
];

/**
 * `BENCH_COPY_BREAKDOWN=1`: what the COPY floor at the roll's size is made of (decision 043) —
 * rows/s and WAL bytes per member with one group of indexes or keys dropped at a time, each in
 * its own rolled-back transaction, each measured twice (the second counts: the first warms it).
 */
export async function copyBreakdown(url: string, crypto: FieldCrypto, sample: number, orgOf: (n: number) => Org) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const out: { name: string; rows_per_s: number; wal_bytes_per_row: number }[] = [];
  try {
    const read = await readIndexes(client);
    let k = 10;
    for (const g of BREAKDOWN) {
      for (let rep = 0; rep < 2; rep++) {
        const rows = copyLines(crypto, sample, orgOf, 900_000_000 + k * 10_000_000, 2 ** 40 + k * 10_000_000);
        k++;
        const lsn = async () => (await client.query<{ l: string }>('select pg_current_wal_insert_lsn()::text as l')).rows[0]!.l;
        const before = await lsn();
        const ms = await copyInto(client, REAL, rows, 'rollback', g.drop(read));
        const wal = (await client.query<{ b: string }>('select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1)::text as b', [before])).rows[0]!.b;
        if (rep === 1) out.push({ name: g.name, rows_per_s: Math.round(sample / (ms / 1000)), wal_bytes_per_row: Math.round(Number(wal) / sample) });
      }
    }
    return out;
  } finally {
    await client.end();
  }
}
