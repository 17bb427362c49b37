// A join submission's audit row is written on the deferred chain, in the submission's transaction, and
// sealed by the sealer: no submission waits for another transaction's audit chain lock (which is held
// until that transaction's commit is flushed), so submissions from many phones do not queue on one lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRepository } from '../audit/audit.repository.js';
import { createTestApp, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { JOIN_CONSENT } from './joining.schema.js';

let t: TestApp;
let enterprise: string;
beforeAll(async () => {
  t = await createTestApp();
  enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
});
afterAll(async () => t?.close());

const login = async (n: number) => {
  const person = fakePerson(7100 + n);
  return { person, worker: await t.workerLogin(person.phone) };
};
const submit = ({ person, worker }: Awaited<ReturnType<typeof login>>, n: number) =>
  worker.post('/api/worker/join', {
    person,
    employment: { employerName: '东台某物流公司', employmentForm: 'truck_driver', isMigrantWorker: true },
    targetOrgId: enterprise,
    consent: { agreed: true, version: JOIN_CONSENT.version },
    idempotencyKey: `audit-lock-${n}-abcdef`,
  });

describe('join submissions and the audit chain', () => {
  it('the audit row is on the deferred chain, unsealed until the sealer links it, and the chain verifies', async () => {
    const r = await submit(await login(1), 1);
    expect(r.statusCode, r.body).toBe(200);
    const row = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'join.submit')
      .where('target_id', '=', r.json().id)
      .executeTakeFirstOrThrow();
    expect(row.chain).toBe(16);
    expect(row.actor_type).toBe('worker');
    const verified = await t.services.audit.verify();
    expect(verified.ok).toBe(true);
    const sealed = await t.db.selectFrom('audit_log').select(['hash', 'seq']).where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(sealed.hash).not.toBeNull();
    expect(sealed.seq).not.toBeNull();
  });

  it('a submission completes while another transaction holds the audit chain lock (PostgreSQL: real parallel transactions)', async () => {
    const applicant = await login(2);
    if (t.database.kind !== 'postgres') {
      // PGlite has one connection: transactions run one after another, so there is no lock to wait on.
      expect((await submit(applicant, 2)).statusCode).toBe(200);
      return;
    }
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = t.db.transaction().execute(async (trx) => {
      await auditRepository.lockChain(trx, 0);
      locked();
      await held;
    });
    await isLocked;
    const outcome = await Promise.race([submit(applicant, 2).then((r) => r.statusCode), new Promise((r) => setTimeout(() => r('blocked'), 5000))]);
    release();
    await holder;
    expect(outcome).toBe(200);
  });
});
