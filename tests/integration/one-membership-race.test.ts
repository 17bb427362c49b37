// 一次入会 under concurrency: whatever races, one person never holds two live memberships.
// Meaningful on PostgreSQL (real parallel transactions); on PGlite the same calls serialise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOIN_CONSENT } from '../../server/src/modules/joining/joining.schema.js';
import { fakePerson } from '../support/people.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let unions: string[];
beforeAll(async () => {
  t = await createTestApp();
  unions = (await t.db.selectFrom('orgs').select('id').where('type', '=', 'grassroots').orderBy('id').limit(20).execute()).map((r) => r.id);
});
afterAll(async () => t?.close());

describe('one person, one membership, under concurrency', () => {
  it('20 concurrent admissions of one person to 20 unions: exactly one succeeds', async () => {
    const svc = t.services.members;
    const person = await t.db
      .transaction()
      .execute((trx) => svc.identify(trx, { ...fakePerson(900), idType: 'resident_id', sex: 'M', birthDate: '1990-01-01' } as never));
    const results = await Promise.allSettled(
      unions.map((orgId) =>
        t.db.transaction().execute((trx) =>
          svc.admit(trx, {
            person,
            orgId,
            employment: { employmentForm: 'truck_driver', isMigrantWorker: false, isModelWorker: false },
            source: 'staff',
            actor: { type: 'system', id: null, name: 'race' },
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(19);
    for (const r of rejected) expect(String((r.reason as Error).message)).toMatch(/一人只能加入一个工会|could not serialize|duplicate/);
    const live = await t.db
      .selectFrom('memberships')
      .select('org_id')
      .where('person_id', '=', person.id)
      .where('status', 'in', ['active', 'retained'])
      .execute();
    expect(live).toHaveLength(1);
  });

  it('a worker submitting to two unions at once gets one open application; approving both sides ends with one membership', async () => {
    const p = fakePerson(901);
    const w = await t.workerLogin(p.phone);
    const submit = (orgId: string, key: string) =>
      w.post('/api/worker/join', {
        person: p,
        employment: { employmentForm: 'courier' },
        targetOrgId: orgId,
        consent: { agreed: true, version: JOIN_CONSENT.version },
        idempotencyKey: key,
      });
    const [a, b] = await Promise.all([submit(unions[0]!, 'race-key-aaaa'), submit(unions[1]!, 'race-key-bbbb')]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const open = await t.db.selectFrom('join_applications').selectAll().where('status', '=', 'pending').execute();
    expect(open.filter((x) => x.worker_id !== null && x.idempotency_key?.startsWith('race-key'))).toHaveLength(1);
  });

  it('two reviewers approving one application at once: one wins, the other is told', async () => {
    const p = fakePerson(902);
    const w = await t.workerLogin(p.phone);
    const target = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
    const app = (
      await w.post('/api/worker/join', {
        person: p,
        employment: {},
        targetOrgId: target,
        consent: { agreed: true, version: JOIN_CONSENT.version },
        idempotencyKey: 'race-review-1',
      })
    ).json();
    const [r1, r2] = [await t.login('town_admin'), await t.login('county_admin')];
    const d = (await r1.get(`/api/join-applications/${app.id}`)).json();
    const [x, y] = await Promise.all([
      r1.post(`/api/join-applications/${app.id}/review`, { action: 'approve', version: d.version }),
      r2.post(`/api/join-applications/${app.id}/review`, { action: 'reject', reason: '同时审核', version: d.version }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    const loser = x.statusCode === 409 ? x : y;
    expect(loser.json().error.message).toMatch(/已被他人处理|无需再审核/);
    const events = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_type', '=', 'join_application')
      .where('target_id', '=', app.id)
      .where('action', 'in', ['join.approve', 'join.reject'])
      .execute();
    expect(events).toHaveLength(1);
  });
});
