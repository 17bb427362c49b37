// The SQL of the console's one-member edits (members.edit.ts). Every read by outside id is scoped by
// the caller's org path in the statement itself, and locks what it is about to change.
import { sql, type Updateable } from 'kysely';
import type { MembershipsTable, PeopleTable } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';

export type PersonPatch = Pick<
  Updateable<PeopleTable>,
  | 'name'
  | 'name_initials'
  | 'name_pinyin'
  | 'id_type'
  | 'id_enc'
  | 'id_bidx'
  | 'id_last4'
  | 'id_masked'
  | 'sex'
  | 'birth_date'
  | 'phone_enc'
  | 'phone_bidx'
  | 'phone_masked'
  | 'phone_set_by_staff_at'
  | 'education'
  | 'political_status'
  | 'emergency_contact_name'
  | 'emergency_contact_phone_enc'
  | 'emergency_contact_phone_masked'
>;

export type MembershipPatch = Pick<
  Updateable<MembershipsTable>,
  'employer_name' | 'job_title' | 'employment_form' | 'skill_grade' | 'is_migrant_worker' | 'is_model_worker' | 'is_frontline'
>;

export const membersEditRepository = {
  /** A membership in the caller's subtree, row-locked; undefined when out of scope (answer 404). */
  async membershipInScopeForUpdate(db: Executor, scopePath: string, id: string) {
    return db.selectFrom('memberships as m').selectAll('m').where('m.id', '=', id).where('m.org_path', 'like', `${scopePath}%`).forUpdate().executeTakeFirst();
  },

  async personForUpdate(db: Executor, id: string) {
    return db.selectFrom('people').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },

  async updatePerson(db: Executor, id: string, patch: PersonPatch) {
    return db
      .updateTable('people')
      .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  /** The membership's fields at `version` (the edit's concurrency token); undefined when it moved on. */
  async updateMembership(db: Executor, id: string, version: number, patch: MembershipPatch) {
    return db
      .updateTable('memberships')
      .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },

  /** Another person on the roll with this phone (blind index). */
  async otherPersonWithPhone(db: Executor, phoneBidx: string, personId: string) {
    return db.selectFrom('people').select('id').where('phone_bidx', '=', phoneBidx).where('id', '<>', personId).limit(1).executeTakeFirst();
  },

  /** Another person on the roll with this ID (blind index). */
  async otherPersonWithId(db: Executor, idBidx: string, personId: string) {
    return db.selectFrom('people').select('id').where('id_bidx', '=', idBidx).where('id', '<>', personId).limit(1).executeTakeFirst();
  },

  /** A worker account signed in with this phone (the auth module's table, read-only here). */
  async workerWithPhone(db: Executor, phoneBidx: string) {
    return db.selectFrom('workers').select('id').where('phone_bidx', '=', phoneBidx).limit(1).executeTakeFirst();
  },
};
