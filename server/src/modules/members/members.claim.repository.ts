// The queries of the H5 claim (members.claim.ts, decision 044): a worker whose login phone is the
// typed phone of one unlinked person links that person by proving the person's ID number.
import { sql } from 'kysely';
import type { Executor } from '../audit/audit.repository.js';

export const CLAIM_ACTION = 'member.claim';

export const membersClaimRepository = {
  /** The account's login phone (the auth module's table, read-only here). */
  async workerPhone(db: Executor, workerId: string) {
    return db.selectFrom('workers').select(['id', 'phone_bidx']).where('id', '=', workerId).executeTakeFirst();
  },

  /** The account's login phone, locked: one claim of an account at a time, so the try count holds. */
  async workerForUpdate(db: Executor, workerId: string) {
    return db.selectFrom('workers').select(['id', 'phone_bidx']).where('id', '=', workerId).forUpdate().executeTakeFirst();
  },

  /** At most two people with the phone (two: nobody can tell which one the worker is). */
  async peopleWithPhone(db: Executor, phoneBidx: string) {
    return db
      .selectFrom('people')
      .select(['id', 'name', 'id_type', 'id_bidx', 'worker_id', 'phone_set_by_staff_at'])
      .where('phone_bidx', '=', phoneBidx)
      .orderBy('id')
      .limit(2)
      .execute();
  },

  /** The union of the person's latest membership, a live one first. */
  async unionOfPerson(db: Executor, personId: string) {
    return db
      .selectFrom('memberships as m')
      .innerJoin('orgs as o', 'o.id', 'm.org_id')
      .select(['o.id as org_id', 'o.name as org_name'])
      .where('m.person_id', '=', personId)
      .orderBy((eb) => eb.case().when('m.status', 'in', ['active', 'retained']).then(0).else(1).end())
      .orderBy('m.id', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /** The account's failed claims since a time, from the audit trail (the durable count), and the first of them. */
  async failedClaimsSince(db: Executor, workerId: string, since: Date) {
    return db
      .selectFrom('audit_log')
      .select([sql<string>`count(*)`.as('n'), sql<Date | null>`min(at)`.as('first_at')])
      .where('action', '=', CLAIM_ACTION)
      .where('actor_type', '=', 'worker')
      .where('actor_id', '=', workerId)
      .where('outcome', '=', 'failure')
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
  },

  /** The phone is proven now (SMS sign-in and the ID number): it no longer carries the typed mark. */
  async clearPhoneMark(db: Executor, personId: string) {
    await db.updateTable('people').set({ phone_set_by_staff_at: null }).where('id', '=', personId).execute();
  },
};
