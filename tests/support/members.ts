// Makes a member the way production does: the worker applies on the H5, the city approves.
import { expect } from 'vitest';
import { JOIN_CONSENT } from '../../server/src/modules/joining/joining.schema.js';
import { fakePerson } from './people.js';
import type { Client, TestApp } from './test-app.js';

export interface TestMember {
  /** The worker's own H5 session. */
  worker: Client;
  workerId: string;
  personId: string;
  membershipId: string;
  orgId: string;
  person: ReturnType<typeof fakePerson>;
}

let cityAdmin: { t: TestApp; client: Client } | null = null;

/** A worker who is an active member of `orgId`; `n` picks a distinct synthetic person (use 1000+ to stay clear of other files' numbers). */
export async function makeMember(t: TestApp, orgId: string, n: number, overrides: Record<string, unknown> = {}): Promise<TestMember> {
  if (cityAdmin?.t !== t) cityAdmin = { t, client: await t.login('city_admin') };
  const city = cityAdmin.client;
  const person = fakePerson(n, overrides);
  const worker = await t.workerLogin(person.phone);
  const applied = await worker.post('/api/worker/join', {
    person,
    employment: {},
    targetOrgId: orgId,
    consent: { agreed: true, version: JOIN_CONSENT.version },
    idempotencyKey: `make-member-${n}`,
  });
  expect(applied.statusCode, applied.body).toBe(200);
  const detail = (await city.get(`/api/join-applications/${applied.json().id}`)).json();
  const approved = await city.post(`/api/join-applications/${detail.id}/review`, { action: 'approve', version: detail.version });
  expect(approved.statusCode, approved.body).toBe(200);
  const row = await t.db
    .selectFrom('join_applications as a')
    .innerJoin('memberships as m', 'm.id', 'a.membership_id')
    .select(['a.worker_id', 'a.person_id', 'm.id as membership_id'])
    .where('a.id', '=', detail.id)
    .executeTakeFirstOrThrow();
  return { worker, workerId: row.worker_id!, personId: row.person_id, membershipId: row.membership_id, orgId, person };
}
