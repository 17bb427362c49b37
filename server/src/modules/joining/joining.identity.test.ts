// Issue 9, defect 1 (decision 009): submitting never changes the roll; the reviewer sees the
// typed data beside the roll and approval applies only what they accept; accounts link by the
// roll phone or a reviewer's confirmation, one person per account; relinking is audited. The
// channel rules (one open application per phone, answers, age, unions): joining.channels.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { makeMember, type TestMember } from '../../../../tests/support/members.js';
import { admitMany } from '../members/members.bulk.js';
import { personInput } from '../members/members.schema.js';
import { JOIN_CONSENT } from './joining.schema.js';

let t: TestApp;
let enterprise: string;
let town: Client;
let member: TestMember;

const consent = { agreed: true, version: JOIN_CONSENT.version };
let keyNo = 0;
const apply = (w: Client, person: Record<string, unknown>, targetOrgId = enterprise, extra: Record<string, unknown> = {}) =>
  w.post('/api/worker/join', { person, employment: {}, targetOrgId, consent, idempotencyKey: `identity-${++keyNo}-abcdef`, ...extra });

const personRow = (id: string) =>
  t.db.selectFrom('people').select(['name', 'phone_bidx', 'phone_masked', 'worker_id', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
const phoneBidx = (phone: string) => t.deps.crypto.blindIndex(phone, 'phone');
const detail = async (id: string) => (await town.get(`/api/join-applications/${id}`)).json();
const approve = async (id: string, flags: Record<string, boolean> = {}) => {
  const d = await detail(id);
  return town.post(`/api/join-applications/${id}/review`, { action: 'approve', version: d.version, ...flags });
};
beforeAll(async () => {
  t = await createTestApp();
  enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  town = await t.login('town_admin');
  member = await makeMember(t, enterprise, 5001);
});
afterAll(async () => t?.close());

describe('submitting never changes the roll', () => {
  let attacker: Client;
  let appId: string;

  it('(a) a worker with another phone types a member’s ID and another name: the person, phone and link stay; the member’s card keeps working', async () => {
    const before = await personRow(member.personId);
    attacker = await t.workerLogin('13700005001');
    const r = await apply(attacker, { ...member.person, name: '冒名顶替', phone: '13700005001' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'pending', message: '已提交，等待工会审核', memberNo: null });
    appId = r.json().id;

    const after = await personRow(member.personId);
    expect(after).toEqual(before);
    expect(after.worker_id).toBe(member.workerId);
    const card = await member.worker.get('/api/worker/card');
    expect(card.statusCode, card.body).toBe(200);
    expect(card.json().member.name).toBe(member.person.name);
    expect((await attacker.get('/api/worker/card')).statusCode).toBe(404);
    expect((await attacker.get('/api/worker/me')).json().worker.memberStatus).toBeNull();
    expect((await member.worker.get('/api/worker/me')).json().worker.memberStatus).toBe('active');
  });

  it('the reviewer sees the typed data beside the roll: the other name flagged, the new phone a change, 已是本会会员', async () => {
    const d = await detail(appId);
    expect(d).toMatchObject({
      applicant: { name: '冒名顶替', phoneMasked: '137****5001' },
      roll: { name: member.person.name, account: 'other', membership: { inTarget: true, statusLabel: '在会' } },
      differences: { name: true, phone: true },
      rollStatus: 'member_here',
      rollStatusLabel: '已是本会会员',
      account: { phoneMasked: '137****5001', phoneOnRoll: false },
      isTransfer: false,
    });
    const row = (await town.get('/api/join-applications?status=pending')).json().items.find((i: { id: string }) => i.id === appId);
    expect(row).toMatchObject({ name: '冒名顶替', nameDiffers: true, phoneDiffers: true, rollStatus: 'member_here' });
  });

  it('(e) approval without accepting anything leaves the roll and the link as they were', async () => {
    const before = await personRow(member.personId);
    const ok = await approve(appId);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'approved',
      accepted: { acceptName: false, acceptPhone: false, linkWorker: false, nameChanged: false, phoneChanged: false, linked: false },
    });
    expect(await personRow(member.personId)).toEqual(before);
    expect((await member.worker.get('/api/worker/card')).json().member.name).toBe(member.person.name);
    expect((await attacker.get('/api/worker/card')).statusCode).toBe(404);
    const mine = (await attacker.get('/api/worker/join')).json().items;
    expect(mine[0]).toMatchObject({ status: 'approved', memberNo: null });
    const msgs = (await attacker.get('/api/worker/messages')).json().items;
    expect(msgs[0].body).not.toContain(member.person.name);
    expect(msgs[0].body).toContain('尚未关联会员身份');
    // One membership, still the member's own.
    const live = await t.db.selectFrom('memberships').select('id').where('person_id', '=', member.personId).where('status', '=', 'active').execute();
    expect(live).toEqual([{ id: member.membershipId }]);
  });
});

describe('approval applies only what the reviewer accepts; linking and relinking', () => {
  it('(e) a member with a new phone: acceptPhone changes the roll phone and relinks the account, audited with the old and the new account', async () => {
    const m = await makeMember(t, enterprise, 5002);
    const newPhone = '13700005002';
    const w2 = await t.workerLogin(newPhone);
    const r = await apply(w2, { ...m.person, phone: newPhone });
    expect(r.statusCode, r.body).toBe(200);
    expect((await detail(r.json().id)).differences).toEqual({ name: false, phone: true });
    const ok = await approve(r.json().id, { acceptPhone: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().accepted).toMatchObject({ acceptPhone: true, phoneChanged: true, linked: true, previousWorkerId: m.workerId });

    const p = await personRow(m.personId);
    expect(p).toMatchObject({ name: m.person.name, phone_bidx: phoneBidx(newPhone), phone_masked: '137****5002' });
    const w2Id = (await t.db.selectFrom('workers').select('id').where('phone_bidx', '=', phoneBidx(newPhone)).executeTakeFirstOrThrow()).id;
    expect(p.worker_id).toBe(w2Id);
    expect((await w2.get('/api/worker/card')).json().member.name).toBe(m.person.name);
    expect((await m.worker.get('/api/worker/card')).statusCode).toBe(404);

    const link = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.link_worker').where('target_id', '=', m.personId).execute();
    const relink = link.map((a) => JSON.parse(a.detail!)).find((d) => d.newWorkerId === w2Id);
    expect(relink).toMatchObject({ oldWorkerId: m.workerId, newWorkerId: w2Id, applicationId: r.json().id });
    const change = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'member.identity_change')
      .where('target_id', '=', m.personId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(change.detail!)).toMatchObject({ phone: { to: '137****5002' } });
  });

  it('(e) acceptName renames; linkWorker links an account whose phone is not the roll phone (the reviewer confirms it)', async () => {
    const m = await makeMember(t, enterprise, 5003);
    const w = await t.workerLogin('13700005003');
    const r = await apply(w, { ...m.person, name: '王新名', phone: '13700005003' });
    const ok = await approve(r.json().id, { acceptName: true, linkWorker: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().accepted).toMatchObject({ nameChanged: true, phoneChanged: false, linked: true });
    const p = await personRow(m.personId);
    expect(p.name).toBe('王新名');
    expect(p.phone_bidx).toBe(phoneBidx(m.person.phone)); // not accepted: the roll phone stays
    expect((await w.get('/api/worker/card')).json().member.name).toBe('王新名');
  });

  it('linkWorker is refused for a partner’s application (no account); reject changes nothing', async () => {
    const m = await makeMember(t, enterprise, 5004);
    const before = await personRow(m.personId);
    const w = await t.workerLogin('13700005004');
    const r = await apply(w, { ...m.person, name: '李假冒', phone: '13700005004' });
    const d = await detail(r.json().id);
    const no = await town.post(`/api/join-applications/${d.id}/review`, {
      action: 'reject',
      reason: '身份信息与名册不符',
      version: d.version,
      acceptName: true,
    });
    expect(no.statusCode, no.body).toBe(200);
    expect(await personRow(m.personId)).toEqual(before);
    const bad = await town.post(`/api/join-applications/${d.id}/review`, { action: 'approve', version: d.version, acceptName: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.acceptName).toContain('是或否');
  });

  it('approvals at once (new people, account links, member numbers of one county) all go through: no lock waits on the audit chain', async () => {
    const ids: string[] = [];
    for (const n of [5040, 5041, 5042, 5043, 5044, 5045]) {
      const w = await t.workerLogin(fakePerson(n).phone);
      const r = await apply(w, fakePerson(n));
      expect(r.statusCode, r.body).toBe(200);
      ids.push(r.json().id);
    }
    const versions = await Promise.all(ids.map(async (id) => (await detail(id)).version as number));
    const answers = await Promise.all(ids.map((id, i) => town.post(`/api/join-applications/${id}/review`, { action: 'approve', version: versions[i] })));
    expect(answers.map((a) => a.statusCode)).toEqual(ids.map(() => 200));
    expect(answers.map((a) => a.json().accepted.linked)).toEqual(ids.map(() => true));
  });

  it('a person has at most one account and an account one person: the database refuses a second link', async () => {
    const a = await makeMember(t, enterprise, 5005);
    const b = await makeMember(t, enterprise, 5006);
    await expect(t.db.updateTable('people').set({ worker_id: a.workerId }).where('id', '=', b.personId).execute()).rejects.toThrow(
      /people_one_per_worker|duplicate/,
    );
  });

  it('an account links by its login phone when exactly one unlinked person on the roll has it, unmarked (audited); never by a shared or an imported phone', async () => {
    const admit = (rows: { n: number; phone?: string }[]) =>
      t.db.transaction().execute((trx) =>
        admitMany(
          trx,
          { crypto: t.deps.crypto, clock: t.clock },
          rows.map((r) => ({
            person: personInput.parse(fakePerson(r.n, r.phone ? { phone: r.phone } : {})),
            employment: { employmentForm: 'standard', isMigrantWorker: false, isModelWorker: false },
            orgId: enterprise,
          })),
          { source: 'import', actor: { type: 'system', id: null, name: '测试' } },
        ),
      );
    // A phone that came with an import is no proof (decision 044): the mark is cleared here as a proof
    // would clear it (the H5 phone change), so the rule under test is the phone match itself.
    const proven = (phone: string) => t.db.updateTable('people').set({ phone_set_by_staff_at: null }).where('phone_bidx', '=', phoneBidx(phone)).execute();
    const [one] = await admit([{ n: 5010 }]);
    if (!one?.ok) throw new Error('not admitted');
    await proven(fakePerson(5010).phone);
    const w = await t.workerLogin(fakePerson(5010).phone);
    expect((await w.get('/api/worker/card')).json().member.name).toBe(fakePerson(5010).name);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'member.link_worker')
      .where('target_id', '=', one.personId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ reason: 'phone_match', oldWorkerId: null });

    await admit([
      { n: 5011, phone: '13700005011' },
      { n: 5012, phone: '13700005011' },
    ]);
    await proven('13700005011');
    const shared = await t.workerLogin('13700005011');
    expect((await shared.get('/api/worker/me')).json().worker.memberStatus).toBeNull();
    expect((await shared.get('/api/worker/card')).statusCode).toBe(404);
  });
});

describe('another county’s reviewer cannot rewrite or take over a member who is not theirs', () => {
  it('a 射阳 union approving a 转会 of a 东台 member changes neither name, phone nor account link; a plain approval still waits for the release', async () => {
    const m = await makeMember(t, enterprise, 5020);
    const sheyangPath = (await t.db.selectFrom('orgs').select('path').where('name', '=', '射阳县总工会').executeTakeFirstOrThrow()).path;
    const target = await t.db
      .selectFrom('orgs')
      .select('id')
      .where('path', 'like', `${sheyangPath}%`)
      .where('type', '=', 'grassroots')
      .where('status', '=', 'active')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const sheyang = await t.login('sheyang_admin');
    const before = await personRow(m.personId);
    // An impostor's account with its own phone types the 东台 member's ID number and asks for a 转会 into 射阳.
    const impostor = await t.workerLogin('13700005020');
    const r = await apply(impostor, { ...m.person, name: '冒名转会', phone: '13700005020' }, target.id, { transfer: true });
    expect(r.statusCode, r.body).toBe(200);
    const d = (await sheyang.get(`/api/join-applications/${r.json().id}`)).json();
    expect(d).toMatchObject({ rollStatus: 'member_elsewhere', canReview: true });
    for (const flags of [{ linkWorker: true }, { acceptPhone: true }, { acceptName: true }]) {
      const res = await sheyang.post(`/api/join-applications/${d.id}/review`, { action: 'approve', version: d.version, ...flags });
      expect(res.statusCode, res.body).toBe(400);
      expect(Object.keys(res.json().error.fields)).toEqual(Object.keys(flags));
    }
    expect(await personRow(m.personId)).toEqual(before);
    expect((await impostor.get('/api/worker/card')).statusCode).toBe(404);
    expect((await m.worker.get('/api/worker/card')).json().member.name).toBe(m.person.name);
    // Without the flags the approval goes on to the old union's release, as before.
    const plain = await sheyang.post(`/api/join-applications/${d.id}/review`, { action: 'approve', version: d.version });
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.json()).toMatchObject({ status: 'awaiting_release', accepted: { linked: false, nameChanged: false, phoneChanged: false } });
    expect(await personRow(m.personId)).toEqual(before);
  });
});
