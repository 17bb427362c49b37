// Batch rules and family places held by the server (issue 11, items 3 and 4; decision 017): who
// may enroll in a batch (劳模, 一线职工, 就业形态, age, sex) is checked on every enroll path —
// including the rush — from the member's record, whatever the batch is called; family places are
// one definition per batch, refused on save when the enroll sheet could not honour them; the union's
// and the member's shares are kept apart.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDay } from '../../platform/china-time.js';
import { ageOn } from './activities.eligibility.js';
import { enroll, TypesEnv, type Member } from './activity-types.test-helpers.js';

let e: TypesEnv;
let plain: Member; // a standard worker, not 劳模, not 一线 (born 1990-01-01, male)
let model: Member; // 劳模
let courier: Member; // 快递员, 一线 on the roll
let age: number;

beforeAll(async () => {
  e = await TypesEnv.create();
  plain = await e.member(7101, '资格普通甲');
  model = await e.member(7102, '资格劳模乙', { isModelWorker: true });
  courier = await e.member(7103, '资格快递丙', { employmentForm: 'courier' });
  // 一线职工 is a fact of the roll (memberships.is_frontline), recorded by the union.
  await e.t.db.updateTable('memberships').set({ is_frontline: true }).where('person_id', '=', courier.personId).execute();
  const p = await e.t.db.selectFrom('people').select(['birth_date', 'sex']).where('id', '=', plain.personId).executeTakeFirstOrThrow();
  const birth = typeof p.birth_date === 'string' ? p.birth_date : chinaDay(new Date(p.birth_date!));
  age = ageOn(birth.slice(0, 10), chinaDay(e.t.clock.now()));
  expect(p.sex).toBe('M');
}, 120_000);
afterAll(async () => e?.t.close());

const places = async (activityId: string) =>
  e.t.db
    .selectFrom('activity_batches')
    .select(['title', 'taken_general', 'taken_priority'])
    .where('activity_id', '=', activityId)
    .orderBy('sort_order')
    .execute();
const enrollments = async (activityId: string) =>
  (await e.t.db.selectFrom('activity_enrollments').select('person_id').where('activity_id', '=', activityId).execute()).map((r) => r.person_id);

describe('batch eligibility held by the server', () => {
  it('a batch named anything with the 劳模 rule refuses a non-劳模 on the rush path; a batch named 劳模专批 without it does not', async () => {
    const a = await e.activity(e.county, {
      type: 'other',
      title: '规则不看名字',
      batches: [
        { title: '普通的第一批', placesGeneral: 5, eligibility: { modelWorkerOnly: true } },
        { title: '劳模专批', placesGeneral: 5 },
      ],
    });
    const [ruled, named] = a.batches as { id: string }[];
    const refused = await enroll(plain, a.id, { batchId: ruled!.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ message: '本批次仅限劳模报名', fields: { batchId: '本批次仅限劳模报名' } });
    expect(await enrollments(a.id)).toEqual([]);
    expect((await places(a.id))[0]).toMatchObject({ taken_general: 0 });
    // the H5 says so before the worker tries
    const seen = (await plain.worker.get(`/api/worker/activities/${a.id}`)).json() as {
      batches: { title: string; notOpenToMe: string | null; eligibilityText: string | null }[];
    };
    expect(seen.batches.map((b) => [b.title, b.notOpenToMe, b.eligibilityText])).toEqual([
      ['普通的第一批', '本批次仅限劳模报名', '仅限劳模'],
      ['劳模专批', null, null],
    ]);
    expect((await enroll(model, a.id, { batchId: ruled!.id })).json()).toMatchObject({ status: 'enrolled', pool: 'general' });
    expect((await enroll(plain, a.id, { batchId: named!.id })).json()).toMatchObject({ status: 'enrolled' });
  });

  it('a batch rule changed after the rush path has read the activity holds on the next request (the activity keeps its version with its batches, migration 051)', async () => {
    const a = await e.activity(e.county, { type: 'other', title: '规则后改', batches: [{ title: '第一批', placesGeneral: 5 }] });
    const [batch] = a.batches as { id: string }[];
    // The enroll path has read and kept this activity and its batch.
    expect((await enroll(model, a.id, { batchId: batch!.id })).json()).toMatchObject({ status: 'enrolled' });
    // The rule changes by a statement on the batch alone (no code path that also touches the activity).
    await e.t.db
      .updateTable('activity_batches')
      .set({ eligibility: JSON.stringify({ modelWorkerOnly: true }) })
      .where('id', '=', batch!.id)
      .execute();
    const refused = await enroll(plain, a.id, { batchId: batch!.id });
    expect(refused.json().error).toMatchObject({ message: '本批次仅限劳模报名' });
    // Places taken by the rush do not count as a change of the activity (its writes stay cheap).
    const version = async () => (await sql<{ v: string }>`select xmin::text as v from activities where id = ${a.id}`.execute(e.t.db)).rows[0]!.v;
    const before = await version();
    await e.t.db.updateTable('activity_batches').set({ taken_general: 2 }).where('id', '=', batch!.id).execute();
    expect(await version()).toBe(before);
  });

  it('refuses by 一线职工, 就业形态, age and sex — each with its own message — on every enrollment mode', async () => {
    const rules: [Record<string, unknown>, string][] = [
      [{ frontlineOnly: true }, '本批次仅限一线职工报名（以会员名册登记为准）'],
      [{ employmentForms: ['courier', 'food_delivery'] }, '本批次仅限快递员、外卖配送员报名'],
      [{ minAge: age + 1 }, `本批次仅限 ${age + 1} 周岁及以上的会员报名`],
      [{ minAge: 18, maxAge: age - 1 }, `本批次仅限 18–${age - 1} 周岁的会员报名`],
      [{ sex: 'F' }, '本批次仅限女职工报名'],
    ];
    for (const mode of ['fcfs', 'approval', 'lottery'] as const) {
      const a = await e.activity(e.county, {
        type: 'other',
        title: `逐条规则（${mode}）`,
        enrollmentMode: mode,
        batches: rules.map(([eligibility], i) => ({ title: `批次${i + 1}`, placesGeneral: 3, eligibility })),
      });
      for (const [i, [, message]] of rules.entries()) {
        const r = await enroll(plain, a.id, { batchId: a.batches[i]!.id });
        expect(r.statusCode, `${mode} ${message}`).toBe(400);
        expect(r.json().error.message).toBe(message);
      }
      expect(await enrollments(a.id)).toEqual([]);
    }
    // The courier (一线 on the roll, 快递员, male, the same birth year) passes the first two.
    const b = await e.activity(e.county, {
      type: 'other',
      title: '一线快递专场',
      batches: [{ title: '一线', placesGeneral: 3, eligibility: { frontlineOnly: true, employmentForms: ['courier'], minAge: 18, maxAge: 60, sex: 'M' } }],
    });
    expect((await enroll(courier, b.id)).json()).toMatchObject({ status: 'enrolled' });
    expect((await enroll(plain, b.id)).json().error.message).toBe('本批次仅限一线职工报名（以会员名册登记为准）');
  });

  it('the rules are validated, stored without empty parts and kept when an edit leaves them out', async () => {
    const bad = await e.county.post('/api/activities', {
      type: 'other',
      title: '年龄反了',
      enrollmentMode: 'fcfs',
      batches: [{ title: 'A', placesGeneral: 1, eligibility: { minAge: 50, maxAge: 40 } }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields['batches.0.eligibility.maxAge']).toBe('最小年龄不能大于最大年龄');
    const made = await e.county.post('/api/activities', {
      type: 'other',
      title: '规则保存',
      enrollmentMode: 'fcfs',
      batches: [{ title: 'A', placesGeneral: 1, eligibility: { modelWorkerOnly: true, frontlineOnly: false, employmentForms: [], sex: null } }],
    });
    expect(made.json().batches[0].eligibility).toEqual({ modelWorkerOnly: true });
    const d = made.json();
    const edited = await e.county.patch(`/api/activities/${d.id}`, {
      version: d.version,
      batches: [{ id: d.batches[0].id, title: 'A 改名', placesGeneral: 2 }],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().batches[0]).toMatchObject({ title: 'A 改名', eligibility: { modelWorkerOnly: true }, eligibilityText: '仅限劳模' });
  });
});

describe('family places: one definition per batch', () => {
  const save = (batch: Record<string, unknown>, type = 'recuperation') =>
    e.county.post('/api/activities', { type, title: '家属名额校验', enrollmentMode: 'fcfs', batches: [{ title: '第一批', placesGeneral: 5, ...batch }] });

  it('refuses a combination the enroll sheet cannot honour, with a Chinese message on the field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ placesFamily: 10 }, 'familyPerPerson', '第一批：已设家属名额 10 个，请填写每人可带家属人数（1–4 名），或把家属名额改为 0'],
      [{ placesFamily: 0, familyPerPerson: 2 }, 'placesFamily', '第一批：每人可带家属 2 名，请设置本批次家属名额，或把每人可带家属改为 0'],
      [{ placesFamily: 1, familyPerPerson: 2 }, 'placesFamily', '第一批：家属名额（1 个）少于每人可带家属人数（2 名），请调整'],
      [{ placesFamily: 5, familyPerPerson: 5 }, 'familyPerPerson', '每人至多带 4 名家属'],
    ];
    for (const [batch, field, message] of cases) {
      const r = await save(batch);
      expect(r.statusCode, JSON.stringify(batch)).toBe(400);
      expect(r.json().error.fields[`batches.0.${field}`]).toBe(message);
    }
    const training = await save({ placesFamily: 2, familyPerPerson: 1 }, 'training');
    expect(training.statusCode).toBe(400);
    expect(training.json().error.fields['batches.0.placesFamily']).toBe('第一批：该类型活动报名不带家属，家属名额和每人可带家属应为 0');
    // the old activity-wide setting is gone: one definition only
    const old = await e.county.post('/api/activities', {
      type: 'recuperation',
      title: '旧的每人可带家属',
      enrollmentMode: 'fcfs',
      settings: { maxFamily: 2 },
      batches: [{ title: '第一批', placesGeneral: 5 }],
    });
    expect(old.statusCode).toBe(400);
  });

  it('a valid definition reads the same on the console and the H5, and the enrollment keeps to it', async () => {
    const a = await e.activity(e.county, {
      type: 'recuperation',
      title: '家属名额一致',
      startsOn: '2027-05-01',
      batches: [
        { title: '带家属批', placesGeneral: 5, placesFamily: 3, familyPerPerson: 2 },
        { title: '不带家属批', placesGeneral: 5 },
      ],
    });
    const staff = (await e.county.get(`/api/activities/${a.id}`)).json() as { batches: { familyText: string; familyPerPerson: number }[] };
    const worker = (await plain.worker.get(`/api/worker/activities/${a.id}`)).json() as { batches: { familyText: string }[] };
    const texts = ['可带家属，每人至多 2 名（家属名额共 3 个）', '不设家属名额'];
    expect(staff.batches.map((b) => b.familyText)).toEqual(texts);
    expect(worker.batches.map((b) => b.familyText)).toEqual(texts);
    const three = [
      { name: '家属一', relation: 'spouse' },
      { name: '家属二', relation: 'child' },
      { name: '家属三', relation: 'parent' },
    ];
    const tooMany = await enroll(plain, a.id, { batchId: a.batches[0]!.id, details: { family: three } });
    expect(tooMany.json().error.message).toBe('本批次每人至多带 2 名家属');
    const none = await enroll(plain, a.id, { batchId: a.batches[1]!.id, details: { family: three.slice(0, 1) } });
    expect(none.json().error.message).toBe('本批次不设家属名额');
    expect((await enroll(plain, a.id, { batchId: a.batches[0]!.id, details: { family: three.slice(0, 2) } })).json()).toMatchObject({
      status: 'enrolled',
      familyCount: 2,
    });
  });
});

describe('who pays: the union and the member', () => {
  it('keeps the union share and the personal share apart; the total is their sum; the cost report counts the union share', async () => {
    const a = await e.activity(e.county, { type: 'recuperation', title: '部分自付的疗休养', unionShare: '1500', personalShare: '300.5', budget: '100000' });
    const d = (await e.county.get(`/api/activities/${a.id}`)).json();
    expect(d).toMatchObject({ unionShare: '1500.00', personalShare: '300.50', costPerPerson: '1800.50' });
    const w = (await plain.worker.get(`/api/worker/activities/${a.id}`)).json();
    expect(w).toMatchObject({ unionShare: '1500.00', personalShare: '300.50' });
    expect((await enroll(plain, a.id)).json()).toMatchObject({ status: 'enrolled' });
    const cost = (await e.county.get(`/api/activities/${a.id}/cost-report`)).json();
    expect(cost).toMatchObject({ unionShare: '1500.00', personalShare: '300.50', spend: '1500.00', remaining: '98500.00' });

    const mismatch = await e.county.post('/api/activities', {
      type: 'other',
      title: '对不上的费用',
      enrollmentMode: 'fcfs',
      costPerPerson: '100',
      unionShare: '50',
      personalShare: '40',
      batches: [{ title: 'A', placesGeneral: 1 }],
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error.fields.costPerPerson).toBe('人均费用应等于工会承担与个人自付之和（90.00 元）');

    const onlyTotal = (
      await e.county.post('/api/activities', {
        type: 'other',
        title: '只填人均',
        enrollmentMode: 'fcfs',
        costPerPerson: '80',
        batches: [{ title: 'A', placesGeneral: 1 }],
      })
    ).json();
    expect(onlyTotal).toMatchObject({ costPerPerson: '80.00', unionShare: '80.00', personalShare: '0.00' });
    const edited = await e.county.patch(`/api/activities/${onlyTotal.id}`, { version: onlyTotal.version, personalShare: '20' });
    expect(edited.json()).toMatchObject({ costPerPerson: '100.00', unionShare: '80.00', personalShare: '20.00' });
  });
});
