// What a worker (H5) may know of their own membership: the 电子会员卡 and the status shown on
// 我的. People are linked to a worker account by people.worker_id (set by the H5 join flow).
import type { Kysely } from 'kysely';
import type { DB, MembershipStatus } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';
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

export function createMembersWorkerService(db: Kysely<DB>) {
  return {
    /** The worker's live membership (在会 or 保留会籍), or undefined. */
    async membershipOfWorker(workerId: string): Promise<WorkerMembership | undefined> {
      const r = await membersWorkerRepository.latestOfWorker(db, workerId);
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
      return (await membersWorkerRepository.latestOfWorker(db, workerId))?.status ?? null;
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
