// SQL shared by the 维权 parts: unions in the caller's scope, a worker's name and union.
import type { Executor } from '../audit/audit.repository.js';

export const rightsRepository = {
  /** A union in the scope (prefix of the materialised path). */
  async orgInScope(db: Executor, scopePath: string, orgId: string) {
    return db
      .selectFrom('orgs')
      .select(['id', 'name', 'path', 'type', 'parent_id'])
      .where('id', '=', orgId)
      .where('path', 'like', `${scopePath}%`)
      .where('status', '=', 'active')
      .executeTakeFirst();
  },

  async org(db: Executor, orgId: string) {
    return db.selectFrom('orgs').select(['id', 'name', 'path', 'type', 'parent_id']).where('id', '=', orgId).executeTakeFirstOrThrow();
  },

  /** The root union (the city federation): where a non-member's online question goes. */
  async rootOrg(db: Executor) {
    return db.selectFrom('orgs').select(['id', 'name', 'path']).where('parent_id', 'is', null).orderBy('id').executeTakeFirstOrThrow();
  },

  /** A worker's phone (sealed) and, when linked to the roll, the person and their live membership's union. */
  async workerIdentity(db: Executor, workerId: string) {
    return db
      .selectFrom('workers as w')
      .leftJoin('people as p', 'p.worker_id', 'w.id')
      .leftJoin('memberships as m', (j) => j.onRef('m.person_id', '=', 'p.id').on('m.status', 'in', ['active', 'retained']))
      .select(['w.phone_enc', 'w.phone_bidx', 'w.phone_masked', 'p.id as person_id', 'p.name', 'm.org_id', 'm.employer_name'])
      .where('w.id', '=', workerId)
      .executeTakeFirst();
  },
};

/** 法律援助: an approved 法律援助 application in the caller's scope (read only; the applications module stays the owner). */
export async function approvedLegalAidApplication(db: Executor, scopePath: string, id: string) {
  return db
    .selectFrom('applications as a')
    .innerJoin('service_types as t', 't.id', 'a.service_type_id')
    .select([
      'a.id',
      'a.org_id',
      'a.status',
      'a.applicant_name',
      'a.applicant_phone_masked',
      'a.applicant_phone_bidx',
      'a.applicant_id_masked',
      'a.form_values',
      't.code',
    ])
    .where('a.id', '=', id)
    .where('a.org_path', 'like', `${scopePath}%`)
    .where('t.code', '=', 'legal_aid')
    .executeTakeFirst();
}
