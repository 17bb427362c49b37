// The batched admission path (members.bulk.ts): same rules and stored form as one-by-one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakePerson } from '../../../../tests/support/people.js';
import { createTestApp, type TestApp } from '../../../../tests/support/test-app.js';
import { admitMany, validateMemberRow, type BulkAdmitRow } from './members.bulk.js';

let t: TestApp;
let unionA: string;
let unionB: string;
beforeAll(async () => {
  t = await createTestApp();
  const unions = await t.db.selectFrom('orgs').select('id').where('type', '=', 'grassroots').where('path', 'like', '/1/%').orderBy('id').limit(2).execute();
  unionA = unions[0]!.id;
  unionB = unions[1]!.id;
});
afterAll(async () => t?.close());

const actor = { type: 'import' as const, id: null, name: '批量导入' };
const row = (n: number, orgId: string, over: Record<string, unknown> = {}): BulkAdmitRow => {
  const v = validateMemberRow({ person: fakePerson(n, over), employment: { employmentForm: 'courier' } });
  if (!v.ok) throw new Error(JSON.stringify(v.fields));
  return { ...v.value, orgId, joinedOn: '2026-03-01' };
};
const admit = (rows: BulkAdmitRow[]) => t.db.transaction().execute((trx) => admitMany(trx, t.deps, rows, { source: 'import', actor }));

describe('admitMany', () => {
  it('validates with the member schemas and reports the field', () => {
    const bad = validateMemberRow({ person: { ...fakePerson(1), idNumber: '320981199001010000' }, employment: { employmentForm: 'astronaut' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.fields).sort()).toEqual(['employmentForm', 'idNumber']);
  });

  it('admits a batch: encrypted people, memberships, events, consecutive member numbers; refuses duplicates and live members', async () => {
    const out = await admit([row(7001, unionA), row(7002, unionA), row(7001, unionB), row(7003, unionB)]);
    expect(out.map((o) => (o.ok ? 'ok' : o.code))).toEqual(['ok', 'ok', 'duplicate_in_batch', 'ok']);
    const ok = out.filter((o) => o.ok);
    const numbers = ok.map((o) => o.memberNo);
    expect(new Set(numbers).size).toBe(3);
    for (const n of numbers) expect(n).toMatch(/^\d{6}26\d{7}$/);

    const p = await t.db.selectFrom('people').selectAll().where('id', '=', ok[0]!.personId).executeTakeFirstOrThrow();
    expect(p.id_enc).not.toContain(fakePerson(7001).idNumber);
    expect(t.deps.crypto.decrypt(p.id_enc)).toBe(fakePerson(7001).idNumber);
    expect(p.phone_masked).toBe('139****7001');
    expect(p.name_initials).toMatch(/^[a-z]{2,3}$/);
    expect(p.sex).not.toBeNull();

    const events = await t.db
      .selectFrom('membership_events')
      .selectAll()
      .where(
        'person_id',
        'in',
        ok.map((o) => o.personId),
      )
      .execute();
    expect(events.map((e) => e.type)).toEqual(['join', 'join', 'join']);

    // Already a member: refused, in any union; the roll shows the admitted ones.
    const again = await admit([row(7002, unionB)]);
    expect(again[0]).toMatchObject({ ok: false, code: 'already_member' });
    const city = await t.login('city_admin');
    const list = (await city.get(`/api/members?q=${encodeURIComponent(fakePerson(7003).phone)}`)).json() as { total: number; items: { memberNo: string }[] };
    expect(list.total).toBe(1);
    expect(list.items[0]!.memberNo).toBe(ok[2]!.memberNo);
  });

  it('keeps the first member number of a person who comes back after leaving', async () => {
    const [first] = await admit([row(7010, unionA)]);
    if (!first?.ok) throw new Error('not admitted');
    await t.db.updateTable('memberships').set({ status: 'left' }).where('id', '=', first.membershipId).execute();
    const [back] = await admit([row(7010, unionB, { education: '本科' })]);
    expect(back).toMatchObject({ ok: true, personId: first.personId, memberNo: first.memberNo });
    // The roll record is kept as it was (decision 009): nothing the file says rewrites it.
    const p = await t.db.selectFrom('people').select(['phone_masked', 'education']).where('id', '=', first.personId).executeTakeFirstOrThrow();
    expect(p).toEqual({ phone_masked: '139****7010', education: null });
  });

  it('refuses, and reports, a row whose name or phone differs from the roll record of its ID; the person stays as they were', async () => {
    const [first] = await admit([row(7030, unionA)]);
    if (!first?.ok) throw new Error('not admitted');
    await t.db.updateTable('memberships').set({ status: 'left' }).where('id', '=', first.membershipId).execute();
    const before = await t.db.selectFrom('people').selectAll().where('id', '=', first.personId).executeTakeFirstOrThrow();
    const out = await admit([row(7030, unionB, { phone: '13800007030' }), row(7030, unionB, { name: '改了名' })]);
    expect(out[0]).toMatchObject({ ok: false, code: 'identity_differs', message: expect.stringContaining('手机号与名册记录不一致') });
    expect(out[1]).toMatchObject({ ok: false, code: 'duplicate_in_batch' });
    const [renamed] = await admit([row(7030, unionB, { name: '改了名' })]);
    expect(renamed).toMatchObject({ ok: false, code: 'identity_differs', message: expect.stringContaining('姓名与名册记录不一致') });
    expect(await t.db.selectFrom('people').selectAll().where('id', '=', first.personId).executeTakeFirstOrThrow()).toEqual(before);
  });

  it('refuses a union that is not active', async () => {
    await t.db.updateTable('orgs').set({ status: 'dissolved' }).where('id', '=', unionB).execute();
    const out = await admit([row(7020, unionB)]);
    expect(out[0]).toMatchObject({ ok: false, code: 'org_unavailable' });
    await t.db.updateTable('orgs').set({ status: 'active' }).where('id', '=', unionB).execute();
  });
});
