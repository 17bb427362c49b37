// Decision 044, the middle way: a phone staff typed or imported links no H5 account by itself, but
// the worker who signs in with it (SMS-proven) may claim the one unlinked person it is on by typing
// that person's ID number. A stranger holding a mistyped phone does not know it; wrong tries are
// audited and limited to 5 a day per account; a linked person cannot be claimed by anybody else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../support/test-app.js';
import { fakePerson } from '../../support/people.js';
import { IMPORT_HEADERS } from '../../../server/src/modules/imports/imports.schema.js';

let t: TestApp;
let county: Client;
let enterprise: { id: string; name: string };

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('county_admin');
  const orgId = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  enterprise = await t.db.selectFrom('orgs').select(['id', 'name']).where('id', '=', orgId).executeTakeFirstOrThrow();
});
afterAll(async () => t?.close());

const member = (n: number) => fakePerson(n, { phone: `1376661${String(n).padStart(4, '0')}` });
const wrongId = (n: number) => fakePerson(n + 50_000).idNumber;
const claim = (w: Client, idNumber: string) => w.post('/api/worker/membership/claim', { idNumber });

const personOf = (n: number) =>
  t.db
    .selectFrom('people')
    .select(['id', 'worker_id', 'phone_set_by_staff_at'])
    .where('id_bidx', '=', t.deps.crypto.blindIndex(`resident_id:${member(n).idNumber}`, 'id'))
    .executeTakeFirstOrThrow();

const claimRows = async (n: number) =>
  t.db
    .selectFrom('audit_log')
    .select(['outcome', 'actor_type', 'actor_id', 'detail'])
    .where('action', '=', 'member.claim')
    .where('target_id', '=', (await personOf(n)).id)
    .orderBy('id')
    .execute();

/** Staff add the person with the phone beside the ID number (marked as typed). */
async function added(n: number) {
  const r = await county.post('/api/members', { orgId: enterprise.id, person: member(n), reason: '工作人员录入' });
  expect(r.statusCode, r.body).toBe(200);
}

describe('claiming a typed phone’s person by the ID number', () => {
  it('an imported phone: the state offers the claim (masked name and union only); the right ID links it', async () => {
    const p0 = member(7721);
    const cells = IMPORT_HEADERS.map((h) => ({ 姓名: p0.name, 证件号码: p0.idNumber, 手机号: p0.phone })[h as string] ?? '');
    const csvText = `\uFEFF${IMPORT_HEADERS.join(',')}\r\n${cells.join(',')}\r\n`;
    const up = await county.request({
      method: 'POST',
      url: `/api/members/import?orgId=${enterprise.id}&fileName=${encodeURIComponent('名册.csv')}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(csvText, 'utf8'),
    });
    expect(up.statusCode, up.body).toBe(200);
    await t.services.features.imports.service.idle();
    expect((await county.get(`/api/import-jobs/${up.json().jobId}`)).json()).toMatchObject({ status: 'done', added: 1 });

    const w = await t.workerLogin(member(7721).phone);
    const state = (await w.get('/api/worker/state')).json();
    expect(state.member).toBeNull();
    const name = [...member(7721).name];
    expect(state.claim).toEqual({ unionName: enterprise.name, nameMasked: `${name[0]}*${name[2]}` });

    const wrong = await claim(w, wrongId(7721));
    expect(wrong.statusCode, wrong.body).toBe(400);
    expect(wrong.json().error.message).toBe('证件号码与名册记录不符');
    expect((await personOf(7721)).worker_id).toBeNull();

    const ok = await claim(w, member(7721).idNumber.toLowerCase());
    expect(ok.statusCode, ok.body).toBe(200);
    const p = await personOf(7721);
    expect(p.worker_id).not.toBeNull();
    expect(p.phone_set_by_staff_at).toBeNull();
    const after = (await w.get('/api/worker/state')).json();
    expect(after.member).toMatchObject({ name: member(7721).name, orgName: enterprise.name, status: 'active' });
    expect(after.claim).toBeNull();
    expect((await w.get('/api/worker/card')).json().member.name).toBe(member(7721).name);
    const rows = await claimRows(7721);
    expect(rows.map((r) => r.outcome)).toEqual(['failure', 'success']);
    expect(rows.every((r) => r.actor_type === 'worker' && r.actor_id === p.worker_id)).toBe(true);
    expect(JSON.parse(rows[1]!.detail!)).toMatchObject({ reason: 'id_claim' });
    // Linked now: nothing more to claim.
    expect((await claim(w, member(7721).idNumber)).statusCode).toBe(404);
  });

  it('five wrong tries a day: the sixth is refused with 429 even with the right ID, and nothing links', async () => {
    await added(7722);
    const w = await t.workerLogin(member(7722).phone);
    expect((await w.get('/api/worker/state')).json().claim).not.toBeNull();
    for (let i = 0; i < 5; i++) {
      const r = await claim(w, wrongId(7722 + i));
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.message).toBe('证件号码与名册记录不符');
    }
    const sixth = await claim(w, member(7722).idNumber);
    expect(sixth.statusCode, sixth.body).toBe(429);
    expect(sixth.json().error.message).toMatch(/^今日认领尝试次数已达上限，请于 .+ 后再试$/);
    expect((await personOf(7722)).worker_id).toBeNull();
    expect((await claimRows(7722)).map((r) => r.outcome)).toEqual(Array(5).fill('failure'));
    // A malformed ID number is refused by its form alone, before the count.
    const id = member(7722).idNumber;
    const bad = await claim(w, `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('身份证号校验位不正确，请核对');
  });

  it('a person linked to another account cannot be claimed; anonymous 401; a phone on nobody 404', async () => {
    await added(7723);
    const other = await t.workerLogin('13766619999');
    const otherId = (await other.get('/api/worker/state')).json().worker.id;
    await t.db
      .updateTable('people')
      .set({ worker_id: otherId })
      .where('id', '=', (await personOf(7723)).id)
      .execute();

    const w = await t.workerLogin(member(7723).phone);
    expect((await w.get('/api/worker/state')).json().claim).toBeNull();
    const r = await claim(w, member(7723).idNumber);
    expect(r.statusCode, r.body).toBe(404);
    expect((await personOf(7723)).worker_id).toBe(otherId);
    expect(await claimRows(7723)).toEqual([]);

    const anon = await t.anonymous.post('/api/worker/membership/claim', { idNumber: member(7723).idNumber });
    expect(anon.statusCode).toBe(401);
    const nobody = await t.workerLogin('13766618888');
    expect((await nobody.get('/api/worker/state')).json().claim).toBeNull();
    expect((await claim(nobody, member(7723).idNumber)).statusCode).toBe(404);
  });
});
