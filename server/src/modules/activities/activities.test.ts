import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { bulkMembers, makeMember } from '../../../../tests/support/members.js';
import { sm3 } from '../../platform/crypto.js';
import { maskPhone } from '../../platform/crypto.js';
import { admitMany, validateMemberRow } from '../members/members.bulk.js';
import { candidatesHash, seedCommitment, drawLottery, sortCandidates } from './activities.lottery.js';
import { DEFERRED_CHAIN } from '../audit/audit.repository.js';

let t: TestApp;
let city: Client;
let dongtai: string;
let sheyang: string;

const inMinutes = (m: number) => new Date(t.clock.now().getTime() + m * 60_000).toISOString();

async function makeActivity(body: Record<string, unknown>, publish = true, as: Client = city) {
  const r = await as.post('/api/activities', {
    type: 'recuperation',
    title: '2026 年劳模疗休养',
    enrollmentMode: 'fcfs',
    costPerPerson: '1500.00',
    budget: '100000.00',
    batches: [{ title: '第一批', placesGeneral: 2 }],
    ...body,
  });
  expect(r.statusCode, r.body).toBe(200);
  if (!publish) return r.json();
  const p = await as.post(`/api/activities/${r.json().id}/publish`, { version: r.json().version });
  expect(p.statusCode, p.body).toBe(200);
  return p.json();
}

beforeAll(async () => {
  t = await createTestApp();
  city = await t.login('city_admin');
  dongtai = await orgIdByName(t, '东台市总工会');
  sheyang = await orgIdByName(t, '射阳县总工会');
});
afterAll(async () => t?.close());

describe('lottery draw (pure function)', () => {
  it('is deterministic for a seed, differs for another seed, and picks exactly `places` winners', () => {
    const ids = Array.from({ length: 30 }, (_, i) => String(1000 - i * 7));
    const a = drawLottery('seed-aaaaaaaa', '5', ids, 10);
    const b = drawLottery('seed-aaaaaaaa', '5', [...ids].reverse(), 10);
    expect(a.order).toEqual(b.order);
    expect(a.winners).toHaveLength(10);
    expect(new Set(a.order)).toEqual(new Set(ids));
    const c = drawLottery('seed-bbbbbbbb', '5', ids, 10);
    expect(c.order).not.toEqual(a.order);
    expect(sortCandidates(['10', '9', '100'])).toEqual(['9', '10', '100']);
    expect(candidatesHash(['1', '2'])).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('staff: create, publish, edit', () => {
  it('creates a draft with batches, validates, publishes, and keeps scope', async () => {
    const bad = await city.post('/api/activities', { type: 'recuperation', title: '疗', enrollmentMode: 'fcfs', batches: [] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toMatchObject({ title: '活动名称至少 2 个字', batches: '请至少设置一个批次' });
    const lotteryNoClose = await city.post('/api/activities', {
      type: 'other',
      title: '抽签活动',
      enrollmentMode: 'lottery',
      batches: [{ title: 'A', placesGeneral: 1 }],
    });
    expect(lotteryNoClose.json().error.fields.closesAt).toBe('抽签报名须设置报名截止时间');

    const draft = await makeActivity(
      { title: '草稿活动', batches: [{ title: '一批', placesGeneral: 5, placesPriority: 2, placesFamily: 3, familyPerPerson: 1 }] },
      false,
    );
    expect(draft).toMatchObject({ status: 'draft', statusLabel: '草稿', typeLabel: '疗休养', places: 7, taken: 0, batchCount: 1 });
    expect(draft.batches[0]).toMatchObject({ placesGeneral: 5, placesPriority: 2, placesFamily: 3, left: 7 });

    const edited = await city.patch(`/api/activities/${draft.id}`, {
      version: draft.version,
      title: '草稿活动（改）',
      batches: [
        { id: draft.batches[0].id, title: '一批', placesGeneral: 6 },
        { title: '二批', placesGeneral: 4 },
      ],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ title: '草稿活动（改）', places: 10, batchCount: 2, version: draft.version + 1 });
    const stale = await city.patch(`/api/activities/${draft.id}`, { version: draft.version, title: '旧版本' });
    expect(stale.statusCode).toBe(409);

    const county = await t.login('county_admin');
    const list = (await county.get('/api/activities')).json();
    expect(list.items.some((a: { id: string }) => a.id === draft.id)).toBe(false);
    expect((await county.get(`/api/activities/${draft.id}`)).statusCode).toBe(404);
    const audit = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', draft.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['activity.create', 'activity.update']));
  });
});

describe('fcfs window, waitlist, cancel and promotion', () => {
  let act: { id: string; batches: { id: string }[] };
  let m: { client: Client; workerId: string; personId: string }[];

  beforeAll(async () => {
    act = await makeActivity({
      title: '东台疗休养（先到先得）',
      orgId: dongtai,
      opensAt: inMinutes(10),
      closesAt: inMinutes(60 * 24),
      cancelDeadline: inMinutes(60 * 12),
    });
    m = await bulkMembers(t, dongtai, 4000, 5);
  });

  it('before the window opens: refused, with countdown data', async () => {
    const d = await m[0]!.client.get(`/api/worker/activities/${act.id}`);
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ enrollState: 'not_open', opensInMs: 600_000, serverTime: t.clock.now().toISOString(), myEnrollment: null });
    const list = (await m[0]!.client.get('/api/worker/activities')).json();
    expect(list.items.find((a: { id: string }) => a.id === act.id)).toMatchObject({ enrollState: 'not_open', opensAt: inMinutes(10) });
    // The list carries the server's clock too: its countdowns never trust the phone's.
    expect(list.serverTime).toBe(t.clock.now().toISOString());
    const r = await m[0]!.client.post(`/api/worker/activities/${act.id}/enroll`, {});
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toBe('报名尚未开始，开始时间 2026-11-21 10:10');
  });

  it('enrolls while places last, then waitlists in order; a second enrollment is refused', async () => {
    t.clock.advance(10 * 60_000);
    const statuses = [];
    for (const w of m.slice(0, 4)) {
      const r = await w.client.post(`/api/worker/activities/${act.id}/enroll`, {});
      expect(r.statusCode, r.body).toBe(200);
      statuses.push([r.json().status, r.json().waitlistPosition]);
    }
    expect(statuses).toEqual([
      ['enrolled', null],
      ['enrolled', null],
      ['waitlisted', 1],
      ['waitlisted', 2],
    ]);
    const again = await m[0]!.client.post(`/api/worker/activities/${act.id}/enroll`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('您已报名该活动');
    const detail = (await city.get(`/api/activities/${act.id}`)).json();
    expect(detail).toMatchObject({ places: 2, taken: 2, waitlisted: 2 });
  });

  it('a cancel before the deadline frees the place and promotes the first waitlisted person, who gets a message and an SMS', async () => {
    const mine = (await m[1]!.client.get('/api/worker/activity-enrollments')).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ status: 'enrolled', canCancel: true });
    const c = await m[1]!.client.post(`/api/worker/activity-enrollments/${mine[0].id}/cancel`, {});
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ status: 'cancelled', statusLabel: '已取消' });
    const third = (await m[2]!.client.get('/api/worker/activity-enrollments')).json().items[0];
    // The promotion is recorded as such (候补转正), not guessed from enrolledAt > createdAt.
    expect(third).toMatchObject({
      status: 'enrolled',
      waitlistPosition: null,
      promotedAt: t.clock.now().toISOString(),
      enrolledAt: t.clock.now().toISOString(),
    });
    expect((await m[2]!.client.get(`/api/worker/activity-enrollments/${third.id}`)).json().promotedAt).toBe(t.clock.now().toISOString());
    expect((await m[2]!.client.get(`/api/worker/activities/${act.id}`)).json().myEnrollment.promotedAt).toBe(t.clock.now().toISOString());
    const fourth = (await m[3]!.client.get('/api/worker/activity-enrollments')).json().items[0];
    expect(fourth).toMatchObject({ status: 'waitlisted', waitlistPosition: 1, promotedAt: null });
    // A place taken at sign-up is no promotion.
    expect((await m[0]!.client.get('/api/worker/activity-enrollments')).json().items[0]).toMatchObject({ status: 'enrolled', promotedAt: null });
    expect(c.json().promotedAt).toBeNull();
    const msgs = (await m[2]!.client.get('/api/worker/messages')).json().items;
    expect(msgs[0].title).toBe('候补成功：您已获得活动名额');
    expect(t.sms.sent.get(fakePerson(4002).phone)).toContain('您候补的活动');
    const b = await t.db.selectFrom('activity_batches').select(['taken_general']).where('activity_id', '=', act.id).executeTakeFirstOrThrow();
    expect(b.taken_general).toBe(2);
    // the person who cancelled may enroll again (waitlisted now)
    const re = await m[1]!.client.post(`/api/worker/activities/${act.id}/enroll`, {});
    expect(re.json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 2, promotedAt: null });
  });

  it('after the cancellation deadline a cancel is refused', async () => {
    t.clock.advance(12 * 3600_000);
    city = await t.login('city_admin'); // the staff session went idle
    const mine = (await m[0]!.client.get('/api/worker/activity-enrollments')).json().items[0];
    expect(mine.canCancel).toBe(false);
    const c = await m[0]!.client.post(`/api/worker/activity-enrollments/${mine.id}/cancel`, {});
    expect(c.statusCode).toBe(400);
    expect(c.json().error.message).toContain('已过取消截止时间');
  });

  it('staff: enrollments list with filters, no-show and attendance, cost report, roster export', async () => {
    const list = (await city.get(`/api/activities/${act.id}/enrollments?status=enrolled`)).json();
    expect(list.total).toBe(2);
    expect(list.items[0].person.idMasked).toMatch(/\*/);
    const noShow = await city.post(`/api/activity-enrollments/${list.items[0].id}/attendance`, { result: 'no_show' });
    expect(noShow.statusCode, noShow.body).toBe(200);
    expect(noShow.json()).toMatchObject({ status: 'no_show', statusLabel: '未到场' });
    const att = await city.post(`/api/activity-enrollments/${list.items[1].id}/attendance`, { result: 'attended' });
    expect(att.json().status).toBe('attended');
    const waiting = (await city.get(`/api/activities/${act.id}/enrollments?status=waitlisted`)).json().items[0];
    const refused = await city.post(`/api/activity-enrollments/${waiting.id}/attendance`, { result: 'attended' });
    expect(refused.statusCode).toBe(400);

    const cost = (await city.get(`/api/activities/${act.id}/cost-report`)).json();
    expect(cost).toMatchObject({ costPerPerson: '1500.00', budget: '100000.00', spend: '3000.00', remaining: '97000.00', overBudget: false });
    expect(cost.batches[0]).toMatchObject({ enrolled: 2, spend: '3000.00' });

    const x = await city.get(`/api/activities/${act.id}/roster.xlsx`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');

    const fig = (await city.get(`/api/orgs/${dongtai}/activity-figures`)).json();
    expect(fig.totals).toMatchObject({ participants: 2, taken: 2, waitlisted: 2 });
    expect(fig.byType[0]).toMatchObject({ type: 'recuperation', label: '疗休养', participants: 2, spend: '3000.00' });
    expect(fig.byActivity[0]).toMatchObject({ id: act.id, participants: 2, places: 2, waitlisted: 2 });
  });
});

describe('approval mode', () => {
  it('sign-up is pending; staff approve (takes a place) or reject; the worker is told', async () => {
    const act = await makeActivity({ title: '审核制培训', type: 'training', enrollmentMode: 'approval', batches: [{ title: '第一期', placesGeneral: 1 }] });
    const [a, b, c] = await bulkMembers(t, dongtai, 4100, 3);
    const ra = (await a!.client.post(`/api/worker/activities/${act.id}/enroll`, {})).json();
    expect(ra).toMatchObject({ status: 'pending', statusLabel: '待审核' });
    const rb = (await b!.client.post(`/api/worker/activities/${act.id}/enroll`, {})).json();
    const rc = (await c!.client.post(`/api/worker/activities/${act.id}/enroll`, {})).json();
    const ok = await city.post(`/api/activity-enrollments/${ra.id}/review`, { action: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    // Approved into a place: enrolled later than signed up, yet no promotion from the waitlist.
    expect(ok.json()).toMatchObject({ status: 'enrolled', promotedAt: null });
    expect((await a!.client.get('/api/worker/activity-enrollments')).json().items[0]).toMatchObject({ status: 'enrolled', promotedAt: null });
    const full = await city.post(`/api/activity-enrollments/${rb.id}/review`, { action: 'approve' });
    expect(full.json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const no = await city.post(`/api/activity-enrollments/${rc.id}/review`, { action: 'reject', reason: '不符合条件' });
    expect(no.json()).toMatchObject({ status: 'rejected', reason: '不符合条件' });
    const again = await city.post(`/api/activity-enrollments/${rc.id}/review`, { action: 'approve' });
    expect(again.statusCode).toBe(400);
    expect((await c!.client.get('/api/worker/messages')).json().items[0].body).toContain('未通过审核');
  });
});

describe('lottery mode', () => {
  it('signs up in the window, draws after it closes with the seed committed at publication; re-running gives the same winners', async () => {
    const act = await makeActivity({
      title: '暑期疗休养抽签',
      enrollmentMode: 'lottery',
      opensAt: t.clock.now().toISOString(),
      closesAt: inMinutes(30),
      batches: [{ title: '唯一批次', placesGeneral: 3 }],
    });
    const ms = await bulkMembers(t, dongtai, 4200, 8);
    for (const w of ms) {
      const r = await w.client.post(`/api/worker/activities/${act.id}/enroll`, {});
      expect(r.json()).toMatchObject({ status: 'pending', statusLabel: '待抽签' });
    }
    // While sign-up is open, everyone sees the seed's hash (the commitment), never the seed.
    const seen = (await ms[0]!.client.get(`/api/worker/activities/${act.id}`)).json();
    expect(seen.lotterySeedCommitment).toMatch(/^[0-9a-f]{64}$/);
    expect(seen.lottery).toBeNull();
    const early = await city.post(`/api/activities/${act.id}/draw`, {});
    expect(early.statusCode).toBe(400);
    expect((await t.anonymous.get(`/api/public/activities/${act.id}/lottery`)).statusCode).toBe(404);
    t.clock.advance(31 * 60_000);
    city = await t.login('city_admin');
    const late = await ms[0]!.client.post(`/api/worker/activities/${act.id}/enroll`, {});
    expect(late.json().error.message).toBe('报名已截止');
    // Staff cannot pick a seed of their own at the draw.
    const chosen = await city.post(`/api/activities/${act.id}/draw`, { seed: 'my-lucky-seed-2026' });
    expect(chosen.statusCode).toBe(400);
    expect(chosen.json().error.message).toContain('不能在抽签时更换');
    const drawn = await city.post(`/api/activities/${act.id}/draw`, {});
    expect(drawn.statusCode, drawn.body).toBe(200);
    expect(drawn.json().lottery).toMatchObject({ batches: [{ places: 3, candidateCount: 8, winners: 3 }] });
    // The revealed seed matches the commitment published before sign-up closed.
    expect(seedCommitment(drawn.json().lottery.seed)).toBe(seen.lotterySeedCommitment);
    const twice = await city.post(`/api/activities/${act.id}/draw`, {});
    expect(twice.statusCode).toBe(400);

    const pubRes = await t.anonymous.get(`/api/public/activities/${act.id}/lottery`);
    const pub = pubRes.json();
    // Public: the draw's inputs and outcome as enrollment ids and hashes, no personal data at all.
    expect(Object.keys(pub).sort()).toEqual(['activityId', 'algorithm', 'batches', 'drawnAt', 'seed', 'seedCommitment', 'title']);
    expect(Object.keys(pub.batches[0]).sort()).toEqual(['batchId', 'candidates', 'candidatesHash', 'order', 'places', 'title', 'winners']);
    expect(pub.seedCommitment).toBe(seen.lotterySeedCommitment);
    const people = await t.db
      .selectFrom('activity_enrollments as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .select(['p.name', 'p.id_masked', 'p.phone_masked'])
      .where('e.activity_id', '=', act.id)
      .execute();
    expect(people).toHaveLength(8);
    const personal = [
      ...people.flatMap((p) => [p.name, p.id_masked, p.phone_masked]),
      ...ms.map((_, i) => [fakePerson(4200 + i).phone, fakePerson(4200 + i).idNumber]).flat(),
    ];
    for (const v of personal) expect(pubRes.body).not.toContain(v);
    const b = pub.batches[0];
    expect(b.candidates).toHaveLength(8);
    expect(candidatesHash(b.candidates)).toBe(b.candidatesHash);
    // anyone can re-run it from the published seed and list
    const rerun = drawLottery(pub.seed, b.batchId, b.candidates, b.places);
    expect(rerun.winners).toEqual(b.winners);
    const enrolled = await t.db
      .selectFrom('activity_enrollments')
      .select(['id', 'promoted_at'])
      .where('activity_id', '=', act.id)
      .where('status', '=', 'enrolled')
      .execute();
    expect(enrolled.map((e) => e.id).sort()).toEqual([...b.winners].sort());
    // Winning the draw is no promotion from the waitlist.
    expect(enrolled.map((e) => e.promoted_at)).toEqual([null, null, null]);
    expect(drawLottery('another-seed-xyz', b.batchId, b.candidates, b.places).order).not.toEqual(b.order);
    const verify = (await t.anonymous.get(`/api/public/activities/${act.id}/lottery/verify`)).json();
    expect(verify).toEqual({ ok: true, batches: [{ batchId: b.batchId, ok: true }] });
    // losers are waitlisted in draw order
    const wl = await t.db
      .selectFrom('activity_enrollments')
      .select(['id', 'draw_rank'])
      .where('activity_id', '=', act.id)
      .where('status', '=', 'waitlisted')
      .orderBy('draw_rank')
      .execute();
    expect(wl.map((e) => e.id)).toEqual(b.order.slice(3));
  });
});

describe('eligibility and visibility', () => {
  it('a 射阳 member does not see a 东台 activity; drafts are hidden; narrower groups apply', async () => {
    const act = await makeActivity({ title: '东台劳模专属', orgId: dongtai, eligibility: { modelWorkerOnly: true } });
    const [sy] = await bulkMembers(t, sheyang, 4300, 1);
    const [dt] = await bulkMembers(t, dongtai, 4301, 1);
    expect((await sy!.client.get(`/api/worker/activities/${act.id}`)).statusCode).toBe(404);
    expect((await dt!.client.get(`/api/worker/activities/${act.id}`)).statusCode).toBe(404);
    const r = await dt!.client.post(`/api/worker/activities/${act.id}/enroll`, {});
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toBe('该活动仅限劳动模范参加');
    const list = (await dt!.client.get('/api/worker/activities')).json();
    expect(list.items.some((a: { id: string }) => a.id === act.id)).toBe(false);
  });

  it('a worker who is not a member gets a clear refusal', async () => {
    const act = await makeActivity({ title: '全市宣讲', type: 'lecture' });
    const w = await t.workerLogin('13900004399');
    const r = await w.post(`/api/worker/activities/${act.id}/enroll`, {});
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('您还不是工会会员');
    expect((await w.get('/api/worker/activities')).json()).toEqual({ items: [], total: 0, serverTime: t.clock.now().toISOString() });
  });

  it('the member made through the real join flow can enroll and cancel (activity cancelled → told)', async () => {
    const mm = await makeMember(t, dongtai, 4400);
    const act = await makeActivity({ title: '职工交友联谊', type: 'social', batches: [{ title: '场次一', placesGeneral: 10 }] });
    const r = await mm.worker.post(`/api/worker/activities/${act.id}/enroll`, {});
    expect(r.statusCode, r.body).toBe(200);
    const cur = (await city.get(`/api/activities/${act.id}`)).json();
    const c = await city.post(`/api/activities/${act.id}/cancel`, { version: cur.version, reason: '天气原因' });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ status: 'cancelled', taken: 0 });
    expect((await mm.worker.get('/api/worker/activity-enrollments')).json().items[0]).toMatchObject({ status: 'cancelled' });
  });
});

describe('the audit trail of enrollments (the deferred chain, decision 008)', () => {
  it('each enrollment writes its audit row in the same statement; the sealer chains them; verify finds a removed row', async () => {
    const enrollments = await t.db.selectFrom('activity_enrollments').select('id').execute();
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['id', 'chain', 'target_id', 'hash', 'seq'])
      .where('action', '=', 'activity.enroll')
      .orderBy('id')
      .execute();
    expect(rows.length).toBeGreaterThan(10);
    // one audit row per enrollment, naming it, all on the deferred chain
    expect(new Set(rows.map((r) => r.target_id))).toEqual(new Set(enrollments.map((e) => e.id)));
    expect(rows.every((r) => r.chain === DEFERRED_CHAIN)).toBe(true);
    const others = await t.db.selectFrom('audit_log').select('chain').where('action', '=', 'activity.create').execute();
    expect(others.every((r) => r.chain === 0)).toBe(true);
    const auditor = await t.login('auditor');
    expect((await auditor.get('/api/audit/verify')).json()).toMatchObject({ ok: true, problems: [] });
    const sealed = await t.db.selectFrom('audit_log').select(['id', 'seq', 'hash']).where('chain', '=', DEFERRED_CHAIN).orderBy('seq').execute();
    expect(sealed.every((r) => r.hash !== null && r.seq !== null)).toBe(true);
    // remove one row from the middle of the chain: the next row in seal order no longer links
    await t.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`delete from audit_log where id = ${sealed[1]!.id}`.execute(trx);
    });
    const r = (await auditor.get('/api/audit/verify')).json();
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ id: sealed[2]!.id, kind: 'missing' }));
  });

  it('a refused enrollment (already enrolled) leaves no audit row and takes no place', async () => {
    const act = await makeActivity({ title: '审计原子性', batches: [{ title: '唯一批次', placesGeneral: 5 }] });
    const [w] = await bulkMembers(t, dongtai, 4900, 1);
    expect((await w!.client.post(`/api/worker/activities/${act.id}/enroll`, {})).statusCode).toBe(200);
    const before = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'activity.enroll').execute();
    expect((await w!.client.post(`/api/worker/activities/${act.id}/enroll`, {})).statusCode).toBe(409);
    const after = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'activity.enroll').execute();
    expect(after).toHaveLength(before.length);
    const b = await t.db.selectFrom('activity_batches').select(['taken_general']).where('activity_id', '=', act.id).executeTakeFirstOrThrow();
    expect(b.taken_general).toBe(1);
  });
});

describe('the rush (real concurrency on PostgreSQL; serialised on PGlite)', () => {
  it('200 concurrent enrollments for 50 places: exactly 50 enrolled, the rest waitlisted, taken = 50', async () => {
    const act = await makeActivity({ title: '抢报压力测试', batches: [{ title: '唯一批次', placesGeneral: 50 }] });
    const ms = await bulkMembers(t, dongtai, 4500, 200);
    const res = await Promise.all(ms.map((w) => w.client.post(`/api/worker/activities/${act.id}/enroll`, {})));
    expect(res.every((r) => r.statusCode === 200)).toBe(true);
    const statuses = res.map((r) => r.json().status);
    expect(statuses.filter((s) => s === 'enrolled')).toHaveLength(50);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(150);
    const b = await t.db.selectFrom('activity_batches').select(['taken_general']).where('activity_id', '=', act.id).executeTakeFirstOrThrow();
    expect(b.taken_general).toBe(50);
    const rows = await t.db.selectFrom('activity_enrollments').select(['status']).where('activity_id', '=', act.id).where('status', '=', 'enrolled').execute();
    expect(rows).toHaveLength(50);
    const positions = res.filter((r) => r.json().status === 'waitlisted').map((r) => r.json().waitlistPosition);
    // each waitlisted person got their own place in the queue: exactly 1…150
    expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const wl = await t.db.selectFrom('activity_enrollments').select('id').where('activity_id', '=', act.id).where('status', '=', 'waitlisted').execute();
    expect(wl).toHaveLength(150);
  });

  it('one person enrolling twice at once holds one place', async () => {
    const act = await makeActivity({ title: '重复报名测试', batches: [{ title: '唯一批次', placesGeneral: 5 }] });
    const [w] = await bulkMembers(t, dongtai, 4800, 1);
    const res = await Promise.all(Array.from({ length: 10 }, () => w!.client.post(`/api/worker/activities/${act.id}/enroll`, {})));
    expect(res.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(res.filter((r) => r.statusCode === 409)).toHaveLength(9);
    const b = await t.db.selectFrom('activity_batches').select(['taken_general']).where('activity_id', '=', act.id).executeTakeFirstOrThrow();
    expect(b.taken_general).toBe(1);
    const rows = await t.db.selectFrom('activity_enrollments').select('id').where('activity_id', '=', act.id).execute();
    expect(rows).toHaveLength(1);
  });
});

describe('the waitlist count (trigger, migration 016)', () => {
  it('after every flow above (rush, cancels, promotions, lottery, reviews) each batch’s count equals its waitlisted rows', async () => {
    const { rows } = await sql<{ batch_id: string; kept: number; actual: number }>`
      select b.id::text as batch_id, coalesce(w.waitlisted, 0)::int as kept,
        (select count(*) from activity_enrollments e where e.batch_id = b.id and e.status = 'waitlisted')::int as actual
      from activity_batches b left join activity_batch_waitlists w on w.batch_id = b.id`.execute(t.db);
    expect(rows.some((r) => r.actual > 0)).toBe(true);
    for (const r of rows) expect({ batch: r.batch_id, count: r.kept }).toEqual({ batch: r.batch_id, count: r.actual });
  });
});
