// What a worker (H5) may know of their own membership: the 电子会员卡 and the status shown on
// 我的. People are linked to a worker account by people.worker_id (one person per account,
// people_one_per_worker): on approval of the worker's join application (decision 009), or here,
// the first time the account looks, when its login phone is the phone of exactly one person on
// the roll who has no account yet and that phone is not one staff typed or imported (the
// phone-match link; audited; decision 044).
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/errors.js';
import type { DB, MembershipStatus } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import { membersRepository } from './members.repository.js';
import { MEMBERSHIP_STATUSES } from './members.schema.js';

const LIVE: MembershipStatus[] = ['active', 'retained'];

export interface WorkerMembership {
  personId: string;
  name: string;
  memberNo: string | null;
  orgName: string;
  joinedOn: string;
  status: MembershipStatus;
  statusLabel: string;
}

export const membersWorkerRepository = {
  /** The most recent membership of any person linked to the worker; a live one first. */
  async latestOfWorker(db: Executor, workerId: string) {
    return db
      .selectFrom('people as p')
      .innerJoin('memberships as m', 'm.person_id', 'p.id')
      .innerJoin('orgs as o', 'o.id', 'm.org_id')
      .select(['p.id as person_id', 'p.name', 'p.member_no', 'o.name as org_name', 'm.joined_on', 'm.status'])
      .where('p.worker_id', '=', workerId)
      .orderBy((eb) => eb.case().when('m.status', 'in', LIVE).then(0).else(1).end())
      .orderBy('m.id', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /** Whether a person is linked to the worker account. */
  async linkedPerson(db: Executor, workerId: string) {
    return db.selectFrom('people').select('id').where('worker_id', '=', workerId).executeTakeFirst();
  },

  /** The account's verified login phone (the auth module's table, read-only here). */
  async workerPhone(db: Executor, workerId: string) {
    return db.selectFrom('workers').select(['phone_bidx', 'phone_masked']).where('id', '=', workerId).executeTakeFirst();
  },

  /** A person and their live membership (if any), for checking a card. */
  async personWithLiveMembership(db: Executor, personId: string) {
    return db
      .selectFrom('people as p')
      .leftJoin('memberships as m', (j) => j.onRef('m.person_id', '=', 'p.id').on('m.status', 'in', LIVE))
      .leftJoin('orgs as o', 'o.id', 'm.org_id')
      .select(['p.id', 'p.name', 'm.status', 'o.name as org_name'])
      .where('p.id', '=', personId)
      .executeTakeFirst();
  },
};

export function createMembersWorkerService(deps: { db: Kysely<DB>; audit: AuditService }) {
  const db = deps.db;

  /** The phone-match link: true when the account was linked just now. */
  async function linkByPhone(workerId: string): Promise<boolean> {
    if (await membersWorkerRepository.linkedPerson(db, workerId)) return false;
    const w = await membersWorkerRepository.workerPhone(db, workerId);
    if (!w) return false;
    const hits = await membersRepository.peopleByPhone(db, w.phone_bidx);
    // Two people with one phone on the roll: nobody can tell which one this is; a reviewer links.
    if (hits.length !== 1 || hits[0]!.worker_id) return false;
    // A phone staff typed or imported onto the person proves nothing about who holds it (decisions
    // 022, 044): the worker applies on the H5 and a reviewer links, or the person proves the phone there.
    if (hits[0]!.phone_set_by_staff_at) return false;
    const personId = hits[0]!.id;
    try {
      return await db.transaction().execute(async (trx) => {
        if (!(await membersRepository.linkWorkerIfFree(trx, personId, workerId))) return false;
        await deps.audit.append(trx, {
          actorType: 'worker',
          actorId: workerId,
          actorName: w.phone_masked,
          action: 'member.link_worker',
          targetType: 'person',
          targetId: personId,
          outcome: 'success',
          detail: { reason: 'phone_match', oldWorkerId: null, newWorkerId: workerId, unlinkedPersonId: null, applicationId: null },
        });
        return true;
      });
    } catch (err) {
      if (isUniqueViolation(err, 'people_one_per_worker')) return false; // a concurrent request linked it
      throw err;
    }
  }

  async function latest(workerId: string) {
    const r = await membersWorkerRepository.latestOfWorker(db, workerId);
    if (r || !(await linkByPhone(workerId))) return r;
    return membersWorkerRepository.latestOfWorker(db, workerId);
  }

  return {
    /** The worker's live membership (在会 or 保留会籍), or undefined. */
    async membershipOfWorker(workerId: string): Promise<WorkerMembership | undefined> {
      const r = await latest(workerId);
      if (!r || !LIVE.includes(r.status)) return undefined;
      return {
        personId: r.person_id,
        name: r.name,
        memberNo: r.member_no,
        orgName: r.org_name,
        joinedOn: r.joined_on,
        status: r.status,
        statusLabel: MEMBERSHIP_STATUSES[r.status],
      };
    },

    /** Status of the worker's latest membership (live first): 'active', 'retained', 'left' …, or null when never a member. */
    async memberStatusOfWorker(workerId: string): Promise<MembershipStatus | null> {
      return (await latest(workerId))?.status ?? null;
    },

    /** For checking a card: the person's name and live membership; undefined when no such person. */
    async liveMembershipOfPerson(personId: string) {
      const r = await membersWorkerRepository.personWithLiveMembership(db, personId);
      if (!r) return undefined;
      return { name: r.name, live: r.status && r.org_name ? { status: r.status, orgName: r.org_name } : null };
    },
  };
}

export type MembersWorkerService = ReturnType<typeof createMembersWorkerService>;
