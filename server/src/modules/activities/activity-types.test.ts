// Activity types over the real app and database: 暑托班 (age, one class per season, the 70 % rule),
// 疗休养 (once in N years, priority places, family quota), 技能竞赛 (rounds, scores, rankings,
// certificates with public verification). H5-side types are in activity-types.h5.test.ts.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll, TypesEnv, upload, xlsx, zipEntry, type Member } from './activity-types.test-helpers.js';

let e: TypesEnv;
beforeAll(async () => {
  e = await TypesEnv.create();
});
afterAll(async () => e?.t.close());

describe('暑托班', () => {
  let lastSeason: { id: string; batches: { id: string }[] };
  let m1: Member;
  let m2: Member;
  let m3: Member;

  beforeAll(async () => {
    [m1, m2, m3] = [await e.member(6001, '托班家长甲'), await e.member(6002, '托班家长乙'), await e.member(6003, '托班家长丙')];
    lastSeason = await e.activity(e.county, { type: 'childcare', title: '2026 冬季托管班', startsOn: '2026-12-01', endsOn: '2026-12-20' });
  });

  it('takes the child on enrollment, refuses an age outside 6–12 on the start date', async () => {
    const young = await enroll(m3, lastSeason.id, { details: { child: { name: '小丙', birthDate: '2020-12-02', school: '东台市实验小学' } } });
    expect(young.statusCode).toBe(400);
    expect(young.json().error.message).toContain('6 至 12 周岁');
    expect(young.json().error.fields['details.child.birthDate']).toContain('现为 5 周岁');
    const old = await enroll(m3, lastSeason.id, { details: { child: { name: '小丙', birthDate: '2013-11-30', school: '东台市实验小学' } } });
    expect(old.statusCode).toBe(400);
    expect(old.json().error.message).toContain('13 周岁');
    const missing = await enroll(m3, lastSeason.id, { details: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toHaveProperty('details.child');
    const six = await enroll(m3, lastSeason.id, { details: { child: { name: '小丙', birthDate: '2020-12-01', school: '东台市实验小学' } } });
    expect(six.statusCode, six.body).toBe(200);
  });

  it('records daily attendance; under 70 % last season refuses the child next season, 70 % is allowed', async () => {
    expect((await enroll(m1, lastSeason.id, { details: { child: { name: '小甲', birthDate: '2016-05-01', school: '东台市第一小学' } } })).statusCode).toBe(200);
    expect((await enroll(m2, lastSeason.id, { details: { child: { name: '小乙', birthDate: '2017-03-15', school: '东台市第二小学' } } })).statusCode).toBe(200);
    const kids = (await e.county.get(`/api/activities/${lastSeason.id}/childcare/children`)).json().items as {
      childId: string;
      name: string;
      age: number;
      guardianName: string;
    }[];
    expect(kids.map((k) => k.name).sort()).toEqual(['小丙', '小乙', '小甲'].sort());
    const jia = kids.find((k) => k.name === '小甲')!;
    const yi = kids.find((k) => k.name === '小乙')!;
    expect(jia).toMatchObject({ age: 10, guardianName: '托班家长甲' });
    for (let d = 1; d <= 10; d++) {
      const day = `2026-12-${String(d).padStart(2, '0')}`;
      const r = await e.county.post(`/api/activities/${lastSeason.id}/childcare/attendance`, {
        day,
        records: [
          { childId: jia.childId, present: d <= 6 },
          { childId: yi.childId, present: d <= 7 },
        ],
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const outside = await e.county.post(`/api/activities/${lastSeason.id}/childcare/attendance`, {
      day: '2026-11-30',
      records: [{ childId: jia.childId, present: true }],
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields.day).toContain('活动日期');
    const day3 = (await e.county.get(`/api/activities/${lastSeason.id}/childcare/attendance?day=2026-12-09`)).json();
    expect(day3.items.find((i: { childId: string }) => i.childId === jia.childId).present).toBe(false);
    const after = (await e.county.get(`/api/activities/${lastSeason.id}/childcare/children`)).json().items as { name: string; attendance: unknown }[];
    expect(after.find((k) => k.name === '小甲')!.attendance).toEqual({ present: 6, days: 10, rate: 60 });
    expect(after.find((k) => k.name === '小乙')!.attendance).toEqual({ present: 7, days: 10, rate: 70 });

    const next = await e.activity(e.county, { type: 'childcare', title: '2027 暑托班', startsOn: '2027-07-01', endsOn: '2027-08-15' });
    const refused = await enroll(m1, next.id, { details: { child: { name: '小甲', birthDate: '2016-05-01', school: '东台市第一小学' } } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('出勤率 60%');
    expect(refused.json().error.message).toContain('低于 70%');
    const allowed = await enroll(m2, next.id, { details: { child: { name: '小乙', birthDate: '2017-03-15', school: '东台市第二小学' } } });
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(allowed.json().details.child.name).toBe('小乙');
  });

  it('one class per child per season (DB-unique); cancelling frees the child for another class', async () => {
    const a = await e.activity(e.county, { type: 'childcare', title: '2027 暑托班（城东点）', startsOn: '2027-07-05', endsOn: '2027-08-15' });
    const b = await e.activity(e.county, { type: 'childcare', title: '2027 暑托班（城西点）', startsOn: '2027-07-06', endsOn: '2027-08-15' });
    const child = { name: '小丁', birthDate: '2018-01-01', school: '东台市第三小学' };
    const first = await enroll(m3, a.id, { details: { child } });
    expect(first.statusCode, first.body).toBe(200);
    const second = await enroll(m3, b.id, { details: { child } });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toContain('每个孩子每期只能报一个班');
    // The database itself refuses a second unreleased row for the child in the season.
    const row = await e.t.db.selectFrom('activity_children').selectAll().where('activity_id', '=', a.id).executeTakeFirstOrThrow();
    await expect(
      e.t.db
        .insertInto('activity_children')
        .values({
          activity_id: b.id,
          batch_id: b.batches[0]!.id,
          guardian_person_id: row.guardian_person_id,
          season: row.season,
          child_key: row.child_key,
          name: row.name,
          birth_date: row.birth_date,
          school: row.school,
        })
        .execute(),
    ).rejects.toThrow(/activity_children_one_per_season|duplicate key/);

    const cancel = await m3.worker.post(`/api/worker/activity-enrollments/${first.json().id}/cancel`, {});
    expect(cancel.statusCode, cancel.body).toBe(200);
    const again = await enroll(m3, b.id, { details: { child } });
    expect(again.statusCode, again.body).toBe(200);
    const kidsA = (await e.county.get(`/api/activities/${a.id}/childcare/children`)).json().items;
    expect(kidsA).toEqual([]);
  });
});

describe('暑托班 under concurrency (PostgreSQL)', () => {
  it('the same child enrolled in two classes at the same moment gets one class', async () => {
    const m = await e.member(6060, '并发家长');
    const a = await e.activity(e.county, { type: 'childcare', title: '2028 暑托班（甲点）', startsOn: '2028-07-01' });
    const b = await e.activity(e.county, { type: 'childcare', title: '2028 暑托班（乙点）', startsOn: '2028-07-02' });
    const child = { name: '并发小朋友', birthDate: '2019-09-01', school: '东台市第四小学' };
    const rs = await Promise.all([enroll(m, a.id, { details: { child } }), enroll(m, b.id, { details: { child } })]);
    expect(rs.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const rows = await e.t.db.selectFrom('activity_children').select('id').where('name', '=', '并发小朋友').where('released_at', 'is', null).execute();
    expect(rows).toHaveLength(1);
  });
});

describe('疗休养', () => {
  it('once in N years: refused within the window (naming the year and activity), allowed after it', async () => {
    const m = await e.member(6010, '疗养会员甲');
    const first = await e.activity(e.county, {
      type: 'recuperation',
      title: '2026 劳模疗休养（黄山线）',
      startsOn: '2026-12-10',
      endsOn: '2026-12-15',
      settings: { onceInYears: 3 },
    });
    expect((await enroll(m, first.id)).json().status).toBe('enrolled');
    const second = await e.activity(e.county, {
      type: 'recuperation',
      title: '2027 职工疗休养（海南线）',
      startsOn: '2027-05-01',
      settings: { onceInYears: 3 },
    });
    const refused = await enroll(m, second.id);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('2026 年');
    expect(refused.json().error.message).toContain('2026 劳模疗休养（黄山线）');
    expect(refused.json().error.message).toContain('每 3 年');

    // Three years on, a day short of the window's end: still refused.
    e.t.clock.set(new Date('2029-12-09T02:00:00Z'));
    let staff = await e.t.login('county_admin');
    let w = await e.t.workerLogin(m.phone);
    const third = await e.activity(staff, { type: 'recuperation', title: '2030 疗休养（桂林线）', startsOn: '2030-03-01', settings: { onceInYears: 3 } });
    const still = await w.post(`/api/worker/activities/${third.id}/enroll`, {});
    expect(still.statusCode).toBe(400);
    // After the three years: allowed.
    e.t.clock.set(new Date('2029-12-11T02:00:00Z'));
    staff = await e.t.login('county_admin');
    w = await e.t.workerLogin(m.phone);
    const ok = await w.post(`/api/worker/activities/${third.id}/enroll`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('enrolled');
    e.t.clock.set(new Date('2026-11-21T02:00:00Z'));
    await e.relogin();
  });

  it('priority groups take the reserved places (then general); family members take the family quota', async () => {
    const courier = await e.member(6011, '优先快递员', { employmentForm: 'courier' });
    const plain = await e.member(6012, '普通职工甲');
    const model = await e.member(6013, '劳模职工', { isModelWorker: true });
    const plain2 = await e.member(6014, '普通职工乙');
    const a = await e.activity(e.county, {
      type: 'recuperation',
      title: '一线职工疗休养',
      startsOn: '2027-03-01',
      batches: [{ title: '一批', placesGeneral: 2, placesPriority: 1 }],
    });
    const c = (await enroll(courier, a.id)).json();
    expect(c).toMatchObject({ status: 'enrolled', pool: 'priority' });
    expect((await enroll(plain, a.id)).json()).toMatchObject({ status: 'enrolled', pool: 'general' });
    // The reserved place is gone: the 劳模 takes the last general place.
    expect((await enroll(model, a.id)).json()).toMatchObject({ status: 'enrolled', pool: 'priority' });
    const taken = await e.t.db
      .selectFrom('activity_batches')
      .select(['taken_general', 'taken_priority'])
      .where('activity_id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(taken).toEqual({ taken_general: 2, taken_priority: 1 });
    expect((await enroll(plain2, a.id)).json()).toMatchObject({ status: 'waitlisted' });

    const f1 = await e.member(6015, '家属会员甲');
    const f2 = await e.member(6016, '家属会员乙');
    const fam = await e.activity(e.county, {
      type: 'recuperation',
      title: '双职工家庭疗休养',
      startsOn: '2027-04-01',
      batches: [{ title: '家庭批', placesGeneral: 5, placesFamily: 2, familyPerPerson: 2 }],
    });
    const tooMany = await enroll(f1, fam.id, {
      details: {
        family: [
          { name: '家属一', relation: 'spouse' },
          { name: '家属二', relation: 'child' },
          { name: '家属三', relation: 'parent' },
        ],
      },
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toContain('至多带 2 名家属');
    const badRelation = await enroll(f1, fam.id, { details: { family: [{ name: '家属一', relation: 'friend' }] } });
    expect(badRelation.statusCode).toBe(400);
    const two = await enroll(f1, fam.id, {
      details: {
        dualWorkerFamily: true,
        family: [
          { name: '家属一', relation: 'spouse' },
          { name: '家属二', relation: 'child' },
        ],
      },
    });
    expect(two.json()).toMatchObject({ status: 'enrolled', familyCount: 2 });
    // The family quota (2) is used up: the next family cannot get a place now.
    const full = await enroll(f2, fam.id, { details: { family: [{ name: '家属四', relation: 'spouse' }] } });
    expect(full.json().status).not.toBe('enrolled');
    const b = await e.t.db.selectFrom('activity_batches').select(['taken_family', 'places_family']).where('activity_id', '=', fam.id).executeTakeFirstOrThrow();
    expect(b).toEqual({ taken_family: 2, places_family: 2 });

    const noFamily = await e.activity(e.county, { type: 'recuperation', title: '不带家属的疗休养', startsOn: '2027-04-01' });
    const refused = await enroll(f2, noFamily.id, { details: { family: [{ name: '家属四', relation: 'spouse' }] } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('不设家属名额');
  });

  it('settings are validated by the type', async () => {
    const r = await e.county.post('/api/activities', {
      type: 'recuperation',
      title: '错误设置',
      enrollmentMode: 'fcfs',
      settings: { onceInYears: 0 },
      batches: [{ title: '一批', placesGeneral: 1 }],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields['settings.onceInYears']).toContain('至少 1 年');
  });
});

describe('技能竞赛: rounds, scores, rankings, certificates', () => {
  let contestId: string;
  let a: Member;
  let b: Member;
  let enrollA: string;
  let enrollB: string;

  beforeAll(async () => {
    [a, b] = [await e.member(6020, '竞赛选手甲'), await e.member(6021, '竞赛选手乙')];
    const c = await e.activity(e.county, {
      type: 'contest',
      title: '2026 东台市电工技能竞赛',
      startsOn: '2026-12-05',
      settings: { industry: '制造业', workType: '电工' },
    });
    contestId = c.id;
    enrollA = (await enroll(a, contestId)).json().id;
    enrollB = (await enroll(b, contestId)).json().id;
  });

  it('enters and imports scores per round and ranks by total', async () => {
    const r1 = await e.county.post(`/api/activities/${contestId}/contest/rounds`, { name: '理论考试', maxScore: '100' });
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json()).toMatchObject({ no: 1, name: '理论考试', maxScore: '100.00' });
    const round1 = r1.json().id;
    const over = await e.county.post(`/api/activities/${contestId}/contest/rounds/${round1}/scores`, { scores: [{ enrollmentId: enrollA, score: '100.5' }] });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.message).toContain('满分');
    const stranger = await e.county.post(`/api/activities/${contestId}/contest/rounds/${round1}/scores`, { scores: [{ enrollmentId: '999999', score: '1' }] });
    expect(stranger.statusCode).toBe(400);
    const s1 = await e.county.post(`/api/activities/${contestId}/contest/rounds/${round1}/scores`, {
      scores: [
        { enrollmentId: enrollA, score: '88.5' },
        { enrollmentId: enrollB, score: '80' },
      ],
    });
    expect(s1.json()).toEqual({ saved: 2 });
    const round2 = (await e.county.post(`/api/activities/${contestId}/contest/rounds`, { name: '实操', maxScore: '100' })).json().id;
    const bad = await upload(
      e.county,
      `/api/activities/${contestId}/contest/rounds/${round2}/scores/import`,
      await xlsx([
        ['报名编号', '成绩'],
        [enrollA, '9x'],
        [enrollB, '95'],
      ]),
    );
    expect(bad.json()).toEqual({ saved: 0, errors: [{ row: 2, message: '成绩应为 0 到 10000 之间、至多两位小数的数' }] });
    const good = await upload(
      e.county,
      `/api/activities/${contestId}/contest/rounds/${round2}/scores/import`,
      await xlsx([
        ['报名编号', '成绩'],
        [enrollA, '90'],
        [enrollB, 99.5],
      ]),
    );
    expect(good.json()).toEqual({ saved: 2, errors: [] });
    const rk = (await e.county.get(`/api/activities/${contestId}/contest/rankings`)).json();
    expect(rk.rounds.map((r: { name: string }) => r.name)).toEqual(['理论考试', '实操']);
    expect(rk.items.map((i: { name: string; total: string; rank: number }) => [i.name, i.total, i.rank])).toEqual([
      ['竞赛选手乙', '179.50', 1],
      ['竞赛选手甲', '178.50', 2],
    ]);
    expect(rk.items[0].scores).toEqual({ [round1]: '80.00', [round2]: '99.50' });
  });

  it('gives a per-round score sheet listing the participants that imports back', async () => {
    const round = (await e.county.post(`/api/activities/${contestId}/contest/rounds`, { name: '决赛', maxScore: '50' })).json().id;
    const sheet = await e.county.get(`/api/activities/${contestId}/contest/rounds/${round}/scores/template.xlsx`);
    expect(sheet.statusCode).toBe(200);
    expect(sheet.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(sheet.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('成绩')!;
    expect(ws.getRow(1).values).toEqual([undefined, '报名编号', '姓名', '成绩']);
    const rows = [2, 3].map((i) => ws.getRow(i).values as unknown[]);
    expect(rows.map((r) => r[2]).sort()).toEqual(['竞赛选手乙', '竞赛选手甲'].sort());
    ws.getRow(2).getCell(3).value = '45';
    ws.getRow(3).getCell(3).value = 40.5;
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    expect((await upload(e.county, `/api/activities/${contestId}/contest/rounds/${round}/scores/import`, filled)).json()).toEqual({ saved: 2, errors: [] });
    const audit = await e.t.db.selectFrom('audit_log').select('action').where('action', '=', 'activity.contest.score_sheet').execute();
    expect(audit).toHaveLength(1);
    // Scores of this round stay out of the ranking test's totals: remove them again.
    await e.t.db.deleteFrom('contest_scores').where('round_id', '=', round).execute();
    await e.t.db.deleteFrom('contest_rounds').where('id', '=', round).execute();
  });

  it('issues certificates as .docx and PDF with a QR; public verification answers valid/invalid with a masked name', async () => {
    const issued = await e.county.post(`/api/activities/${contestId}/certificates`, {
      items: [
        { enrollmentId: enrollB, award: '一等奖' },
        { enrollmentId: enrollA, award: '二等奖' },
      ],
    });
    expect(issued.statusCode, issued.body).toBe(200);
    const certB = issued.json().items.find((c: { enrollmentId: string }) => c.enrollmentId === enrollB);
    expect(certB).toMatchObject({
      holderName: '竞赛选手乙',
      award: '一等奖',
      issuedOn: '2026-11-21',
      verifyPath: `/h5/#/certificates/verify?code=${certB.code}`,
    });

    const docx = await e.county.get(`/api/activity-certificates/${certB.id}/certificate.docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    const zip = docx.rawPayload;
    expect(zip.subarray(0, 4).toString('hex')).toBe('504b0304');
    const xml = zipEntry(zip, 'word/document.xml');
    expect(xml).toContain('竞赛选手乙');
    expect(xml).toContain('一等奖');
    expect(zip.toString('latin1')).toContain('word/media/');

    const pdf = await e.county.get(`/api/activity-certificates/${certB.id}/certificate.pdf`);
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const v = await e.t.anonymous.get(`/api/public/activity-certificates/verify?code=${certB.code}`);
    expect(v.json()).toEqual({
      valid: true,
      holderNameMasked: '竞****',
      activityTitle: '2026 东台市电工技能竞赛',
      award: '一等奖',
      issuedOn: '2026-11-21',
      orgName: '东台市总工会',
    });
    expect(v.body).not.toContain('竞赛选手乙');
    const wrong = certB.code.slice(0, -1) + (certB.code.endsWith('A') ? 'B' : 'A');
    expect((await e.t.anonymous.get(`/api/public/activity-certificates/verify?code=${wrong}`)).json()).toEqual({ valid: false });
    expect((await e.t.anonymous.get('/api/public/activity-certificates/verify?code=not-a-code')).json()).toEqual({ valid: false });

    // The holder sees and downloads their own; the other participant gets 404 for it.
    const mine = (await b.worker.get('/api/worker/activity-certificates')).json().items;
    expect(mine.map((c: { award: string }) => c.award)).toEqual(['一等奖']);
    expect((await b.worker.get(`/api/worker/activity-certificates/${certB.id}/certificate.docx`)).statusCode).toBe(200);
    expect((await a.worker.get(`/api/worker/activity-certificates/${certB.id}/certificate.pdf`)).statusCode).toBe(404);
    expect((await a.worker.get('/api/worker/activity-certificates')).json().items.map((c: { award: string }) => c.award)).toEqual(['二等奖']);
  });

  it('the public verification is rate-limited', async () => {
    let last = 0;
    for (let i = 0; i < 31; i++) last = (await e.t.anonymous.get('/api/public/activity-certificates/verify?code=AAAAAAAAAAAAAAAAAAAA')).statusCode;
    expect(last).toBe(429);
  });
});
