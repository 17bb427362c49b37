// Makes a member the way production does: the worker applies on the H5, the city approves.
// A 县/镇 union takes no members through the H5 (decision 009): a member there comes from the
// roll itself (the batched admission a bulk import uses) with the worker's account named in the
// row — an imported phone is no proof, so no phone-match link would make it (decision 044).
import { expect } from 'vitest';
import { JOIN_CONSENT } from '../../server/src/modules/joining/joining.schema.js';
import { randomBytes } from 'node:crypto';
import { maskPhone, sm3 } from '../../server/src/platform/crypto.js';
import { admitMany, validateMemberRow } from '../../server/src/modules/members/members.bulk.js';
import { personInput } from '../../server/src/modules/members/members.schema.js';
import { acceptsMembers } from '../../server/src/modules/orgs/orgs.schema.js';
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

let cityAdmin: { t: TestApp; client: Client; at: number } | null = null;

/** A worker who is an active member of `orgId`; `n` picks a distinct synthetic person (use 1000+ to stay clear of other files' numbers). */
export async function makeMember(t: TestApp, orgId: string, n: number, overrides: Record<string, unknown> = {}): Promise<TestMember> {
  // A fresh session when the test clock has moved past the idle timeout.
  const now = t.clock.now().getTime();
  if (cityAdmin?.t !== t || now - cityAdmin.at > 20 * 60_000) cityAdmin = { t, client: await t.login('city_admin'), at: now };
  const city = cityAdmin.client;
  const person = fakePerson(n, overrides);
  const worker = await t.workerLogin(person.phone);
  const org = await t.db.selectFrom('orgs').select('type').where('id', '=', orgId).executeTakeFirstOrThrow();
  if (!acceptsMembers(org.type)) return fromRoll(t, orgId, person, worker);
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
  return { worker, workerId: row.worker_id!, personId: row.person_id!, membershipId: row.membership_id, orgId, person };
}

async function fromRoll(t: TestApp, orgId: string, person: ReturnType<typeof fakePerson>, worker: Client): Promise<TestMember> {
  const account = await t.db
    .selectFrom('workers')
    .select('id')
    .where('phone_bidx', '=', t.deps.crypto.blindIndex(person.phone, 'phone'))
    .executeTakeFirstOrThrow();
  const [outcome] = await t.db.transaction().execute((trx) =>
    admitMany(
      trx,
      { crypto: t.deps.crypto, clock: t.clock },
      [
        {
          person: personInput.parse(person),
          employment: { employmentForm: 'standard', isMigrantWorker: false, isModelWorker: false },
          orgId,
          workerId: account.id,
        },
      ],
      {
        source: 'import',
        actor: { type: 'system', id: null, name: '测试名册' },
      },
    ),
  );
  if (!outcome?.ok) throw new Error(`makeMember: ${JSON.stringify(outcome)}`);
  expect((await worker.get('/api/worker/me')).json().worker.memberStatus).toBe('active');
  const p = await t.db.selectFrom('people').select('worker_id').where('id', '=', outcome.personId).executeTakeFirstOrThrow();
  return { worker, workerId: p.worker_id!, personId: outcome.personId, membershipId: outcome.membershipId, orgId, person };
}

/** Many members with worker sessions at once (person numbers from..from+count-1), straight into the DB. */
export async function bulkMembers(t: TestApp, orgId: string, from: number, count: number): Promise<{ client: Client; workerId: string; personId: string }[]> {
  const c = t.deps.crypto;
  const now = t.clock.now();
  return t.db.transaction().execute(async (trx) => {
    const people = Array.from({ length: count }, (_, i) => fakePerson(from + i));
    const workers = await trx
      .insertInto('workers')
      .values(
        people.map((p) => ({
          phone_enc: c.encrypt(p.phone),
          phone_bidx: c.blindIndex(p.phone, 'phone'),
          phone_masked: maskPhone(p.phone),
          last_login_at: now,
        })),
      )
      .returning('id')
      .execute();
    const rows = people.map((p, i) => {
      const v = validateMemberRow({ person: p, employment: {} });
      if (!v.ok) throw new Error(JSON.stringify(v.fields));
      return { ...v.value, orgId, workerId: workers[i]!.id };
    });
    const outcomes = await admitMany(trx, t.deps, rows, { source: 'import', actor: { type: 'system', id: null, name: 'test' } });
    const out: { client: Client; workerId: string; personId: string }[] = [];
    const sessions = [];
    for (const [i, o] of outcomes.entries()) {
      if (!o.ok) throw new Error(o.message);
      const token = randomBytes(24).toString('base64url');
      const csrf = randomBytes(12).toString('base64url');
      sessions.push({
        id: sm3(`session:${token}`),
        subject_type: 'worker' as const,
        account_id: null,
        worker_id: workers[i]!.id,
        csrf_token: csrf,
        ip: null,
        user_agent: null,
        created_at: now,
        last_seen_at: now,
        expires_at: new Date(now.getTime() + 7 * 24 * 3600_000),
        ended_at: null,
        end_reason: null,
      });
      out.push({ client: t.client(`gh_wsid=${token}`, csrf), workerId: workers[i]!.id, personId: o.personId });
    }
    await trx.insertInto('sessions').values(sessions).execute();
    return out;
  });
}
