// Activity types used on the H5 over the real app and database: 培训/宣讲 QR check-in, 知识竞赛
// (one attempt, deadline, no answers before submitting, ranking only when opted in), 交友 privacy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll, HOUR as hour, iso, TypesEnv, upload, xlsx, type Member } from './activity-types.test-helpers.js';

let e: TypesEnv;
beforeAll(async () => {
  e = await TypesEnv.create();
});
afterAll(async () => e?.t.close());

describe('培训/宣讲: session QR check-in', () => {
  it('an enrolled member checks in once with the signed token; others, forged and expired tokens are refused', async () => {
    const m = await e.member(6030, '培训学员甲');
    const outsider = await e.member(6031, '未报名职工');
    const a = await e.activity(e.county, { type: 'training', title: '安全生产培训', startsOn: '2026-11-21' });
    expect((await enroll(m, a.id)).json().status).toBe('enrolled');
    const now = e.t.clock.now().getTime();
    const s = await e.county.post(`/api/activities/${a.id}/training/sessions`, { title: '第一讲', startsAt: iso(now), endsAt: iso(now + 2 * hour) });
    expect(s.statusCode, s.body).toBe(200);
    const qr = (await e.county.get(`/api/activities/${a.id}/training/sessions/${s.json().id}/qr`)).json();
    expect(qr.checkinPath).toBe(`/h5/#/checkin?t=${qr.token}`);
    expect(qr.checkinUrl).toMatch(/^http:\/\/localhost(:80)?\/h5\/#\/checkin\?t=/);
    expect(qr.checkinUrl.endsWith(qr.checkinPath)).toBe(true);
    expect(qr.qrPng).toMatch(/^data:image\/png;base64,/);
    expect(qr.expiresAt).toBe(iso(now + 2.5 * hour));

    const ok = await m.worker.post('/api/worker/activity-checkin', { t: qr.token });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ activityTitle: '安全生产培训', sessionTitle: '第一讲' });
    expect((await m.worker.post('/api/worker/activity-checkin', { t: qr.token })).json().checkedInAt).toBe(ok.json().checkedInAt);
    const mine = (await m.worker.get('/api/worker/activity-enrollments')).json().items.find((e: { activity: { id: string } }) => e.activity.id === a.id);
    expect(mine.status).toBe('attended');

    const refused = await outsider.worker.post('/api/worker/activity-checkin', { t: qr.token });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('未报名');

    const [sid, exp, sig] = Buffer.from(qr.token, 'base64url').toString().split('.') as [string, string, string];
    const forge = (x: string) => Buffer.from(x).toString('base64url');
    for (const forged of [forge(`${sid}.${Number(exp) + 3600}.${sig}`), forge(`${Number(sid) + 1}.${exp}.${sig}`), 'garbage-token-xx']) {
      const r = await m.worker.post('/api/worker/activity-checkin', { t: forged });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.message).toBe('二维码无效或已过期');
    }
    const list = (await e.county.get(`/api/activities/${a.id}/training/sessions/${s.json().id}/attendance`)).json();
    expect(list.items).toEqual([{ personId: m.personId, name: '培训学员甲', checkedInAt: ok.json().checkedInAt, enrolled: true }]);
    expect((await e.county.get(`/api/activities/${a.id}/training/sessions`)).json().items[0].attended).toBe(1);

    e.t.clock.advance(2.5 * hour + 1000);
    const expired = await m.worker.post('/api/worker/activity-checkin', { t: qr.token });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.message).toBe('二维码无效或已过期');
    await e.relogin();
  });

  it('open attendance lets a member who did not enroll check in', async () => {
    const m = await e.member(6032, '旁听职工');
    const a = await e.activity(e.county, { type: 'lecture', title: '工会法宣讲', settings: { openAttendance: true } });
    const now = e.t.clock.now().getTime();
    const s = (await e.county.post(`/api/activities/${a.id}/training/sessions`, { title: '宣讲会', startsAt: iso(now), endsAt: iso(now + hour) })).json();
    const qr = (await e.county.get(`/api/activities/${a.id}/training/sessions/${s.id}/qr`)).json();
    const r = await m.worker.post('/api/worker/activity-checkin', { t: qr.token });
    expect(r.statusCode, r.body).toBe(200);
    const list = (await e.county.get(`/api/activities/${a.id}/training/sessions/${s.id}/attendance`)).json();
    expect(list.items[0]).toMatchObject({ name: '旁听职工', enrolled: false });
  });
});

describe('知识竞赛', () => {
  const HEAD = ['题目', '类型', '选项A', '选项B', '选项C', '选项D', '答案', '分值'];
  const BANK = [
    HEAD,
    ['《工会法》规定工会会员应缴纳会费吗？', '判断', '', '', '', '', '对', 10],
    ['工会经费按职工工资总额的多少拨缴？', '单选', '1%', '2%', '3%', '', 'B', 20],
    ['以下哪些属于新就业形态劳动者？', '多选', '快递员', '外卖配送员', '公务员', '网约车司机', 'ABD', 30],
  ];
  const RIGHT = (ids: string[]) => [
    { questionId: ids[0]!, answer: ['A'] },
    { questionId: ids[1]!, answer: ['B'] },
    { questionId: ids[2]!, answer: ['D', 'A', 'B'] },
  ];
  let quiz: { id: string };
  let p1: Member;
  let p2: Member;

  beforeAll(async () => {
    [p1, p2] = [await e.member(6040, '答题者甲'), await e.member(6041, '答题者乙')];
    quiz = await e.activity(e.county, { type: 'quiz', title: '工会知识竞赛', settings: { timeLimitMinutes: 10 } });
  });

  it('imports the question bank from .xlsx with a row-by-row error list', async () => {
    const bad = await upload(e.county, `/api/activities/${quiz.id}/quiz/questions/import`, await xlsx([HEAD, ['', '填空', '', '', '', '', '', 0], BANK[2]!]));
    expect(bad.json()).toEqual({ imported: 0, errors: [{ row: 2, message: '题目不能为空；类型应为 单选、多选 或 判断；分值应为 1 到 100 的整数' }] });
    const noCols = await upload(e.county, `/api/activities/${quiz.id}/quiz/questions/import`, await xlsx([['题干', '答案']]));
    expect(noCols.statusCode).toBe(400);
    expect(noCols.json().error.fields.file).toContain('缺少列');
    // The template imports as it is (three example questions).
    const template = await e.county.get('/api/activity-types/quiz/template.xlsx');
    expect(template.statusCode).toBe(200);
    expect((await upload(e.county, `/api/activities/${quiz.id}/quiz/questions/import`, template.rawPayload)).json()).toEqual({ imported: 3, errors: [] });
    const ok = await upload(e.county, `/api/activities/${quiz.id}/quiz/questions/import`, await xlsx(BANK));
    expect(ok.json()).toEqual({ imported: 3, errors: [] });
    const qs = (await e.county.get(`/api/activities/${quiz.id}/quiz/questions`)).json().items;
    expect(qs.map((q: { kind: string; answer: string[] }) => [q.kind, q.answer])).toEqual([
      ['judge', ['A']],
      ['single', ['B']],
      ['multi', ['A', 'B', 'D']],
    ]);
  });

  it('one timed attempt, scored on the server; answers never reach the worker; late answers do not count; no ranking by default', async () => {
    expect((await enroll(p1, quiz.id)).json().status).toBe('enrolled');
    expect((await enroll(p2, quiz.id)).json().status).toBe('enrolled');
    const start = await p1.worker.post(`/api/worker/activities/${quiz.id}/quiz/start`, {});
    expect(start.statusCode, start.body).toBe(200);
    const s = start.json();
    expect(s.questions).toHaveLength(3);
    expect(new Date(s.deadline).getTime() - new Date(s.startedAt).getTime()).toBe(10 * 60_000);
    expect(start.body).not.toMatch(/"answer"/);
    for (const q of s.questions) expect(Object.keys(q).sort()).toEqual(['id', 'kind', 'no', 'options', 'points', 'stem']);
    // Resuming returns the same attempt and deadline.
    expect((await p1.worker.post(`/api/worker/activities/${quiz.id}/quiz/start`, {})).json().deadline).toBe(s.deadline);

    const ids = s.questions.map((q: { id: string }) => q.id);
    const wrongMulti = RIGHT(ids).map((a, i) => (i === 2 ? { ...a, answer: ['A', 'B'] } : a));
    const sub = await p1.worker.post(`/api/worker/activities/${quiz.id}/quiz/submit`, { answers: wrongMulti });
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json()).toMatchObject({ score: 30, maxScore: 60, late: false, rank: null });
    const again = await p1.worker.post(`/api/worker/activities/${quiz.id}/quiz/submit`, { answers: RIGHT(ids) });
    expect(again.statusCode).toBe(409);
    expect((await p1.worker.post(`/api/worker/activities/${quiz.id}/quiz/start`, {})).statusCode).toBe(409);
    expect((await p1.worker.get(`/api/worker/activities/${quiz.id}/quiz/result`)).json()).toMatchObject({ score: 30, rank: null });
    const mine = (await p1.worker.get('/api/worker/activity-enrollments')).json().items.find((e: { activity: { id: string } }) => e.activity.id === quiz.id);
    expect(mine.status).toBe('attended');

    // The database holds one attempt per person.
    await expect(
      e.t.db
        .insertInto('quiz_attempts')
        .values({ activity_id: quiz.id, person_id: p1.personId, started_at: new Date(), deadline_at: new Date(Date.now() + 1000), max_score: 60 })
        .execute(),
    ).rejects.toThrow(/quiz_attempts_one|duplicate key/);

    // p2 answers everything right, but after the deadline: nothing counts.
    await p2.worker.post(`/api/worker/activities/${quiz.id}/quiz/start`, {});
    e.t.clock.advance(10 * 60_000 + 1000);
    const late = await p2.worker.post(`/api/worker/activities/${quiz.id}/quiz/submit`, { answers: RIGHT(ids) });
    expect(late.json()).toMatchObject({ score: 0, late: true });

    expect((await p1.worker.get(`/api/worker/activities/${quiz.id}/quiz/ranking`)).statusCode).toBe(404);
    await e.relogin();
    const results = (await e.county.get(`/api/activities/${quiz.id}/quiz/results`)).json();
    expect(results.showRanking).toBe(false);
    expect(results.items.map((r: { name: string; rank: null; late: boolean }) => [r.name, r.rank, r.late])).toEqual([
      ['答题者甲', null, false],
      ['答题者乙', null, true],
    ]);
    // Outside the activity's dates: refused.
    const later = await e.activity(e.county, { type: 'quiz', title: '下月的竞赛', startsOn: '2026-12-21', endsOn: '2026-12-31' });
    await upload(e.county, `/api/activities/${later.id}/quiz/questions/import`, await xlsx(BANK));
    expect((await enroll(p1, later.id)).json().status).toBe('enrolled');
    const early = await p1.worker.post(`/api/worker/activities/${later.id}/quiz/start`, {});
    expect(early.statusCode).toBe(400);
    expect(early.json().error.message).toBe('竞赛 2026-12-21 开始，届时再来答题');
    // Not enrolled: 404.
    const outsider = await e.member(6042, '未报名答题者');
    expect((await outsider.worker.post(`/api/worker/activities/${quiz.id}/quiz/start`, {})).statusCode).toBe(404);
  });

  it('ranks (with masked names) only where the activity opts in', async () => {
    const ranked = await e.activity(e.county, { type: 'quiz', title: '公布排名的竞赛', settings: { showRanking: true } });
    await upload(e.county, `/api/activities/${ranked.id}/quiz/questions/import`, await xlsx(BANK));
    const p3 = await e.member(6043, '排名者丙');
    for (const p of [p1, p3]) expect((await enroll(p, ranked.id)).json().status).toBe('enrolled');
    const ids = (await p1.worker.post(`/api/worker/activities/${ranked.id}/quiz/start`, {})).json().questions.map((q: { id: string }) => q.id);
    expect((await p1.worker.post(`/api/worker/activities/${ranked.id}/quiz/submit`, { answers: RIGHT(ids).slice(0, 1) })).json()).toMatchObject({
      score: 10,
      rank: 1,
    });
    await p3.worker.post(`/api/worker/activities/${ranked.id}/quiz/start`, {});
    expect((await p3.worker.post(`/api/worker/activities/${ranked.id}/quiz/submit`, { answers: RIGHT(ids) })).json()).toMatchObject({ score: 60, rank: 1 });
    const ranking = (await p1.worker.get(`/api/worker/activities/${ranked.id}/quiz/ranking`)).json();
    expect(ranking.items).toEqual([
      { rank: 1, nameMasked: '排***', score: 60 },
      { rank: 2, nameMasked: '答***', score: 10 },
    ]);
    expect((await p1.worker.get(`/api/worker/activities/${ranked.id}/quiz/result`)).json().rank).toBe(2);
  });
});

describe('知识竞赛 under concurrency (PostgreSQL)', () => {
  it('two starts at once make one attempt; two submissions at once score once', async () => {
    const q = await e.activity(e.county, { type: 'quiz', title: '并发答题' });
    const file = await xlsx([
      ['题目', '类型', '选项A', '选项B', '选项C', '选项D', '答案', '分值'],
      ['工会经费按工资总额的多少拨缴？', '单选', '1%', '2%', '', '', 'B', 10],
    ]);
    expect((await upload(e.county, `/api/activities/${q.id}/quiz/questions/import`, file)).json()).toMatchObject({ imported: 1 });
    const p = await e.member(6045, '并发答题者');
    expect((await enroll(p, q.id)).json().status).toBe('enrolled');
    const starts = await Promise.all([1, 2, 3].map(() => p.worker.post(`/api/worker/activities/${q.id}/quiz/start`, {})));
    expect(starts.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(new Set(starts.map((r) => r.json().deadline)).size).toBe(1);
    const id = starts[0]!.json().questions[0].id;
    const subs = await Promise.all(
      [1, 2, 3].map(() => p.worker.post(`/api/worker/activities/${q.id}/quiz/submit`, { answers: [{ questionId: id, answer: ['B'] }] })),
    );
    expect(subs.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const attempts = await e.t.db.selectFrom('quiz_attempts').select(['score']).where('activity_id', '=', q.id).execute();
    expect(attempts).toEqual([{ score: 10 }]);
  });
});

describe('交友: privacy', () => {
  it('a participant never sees other participants in any worker answer', async () => {
    const x = await e.member(6050, '联谊甲方');
    const y = await e.member(6051, '联谊乙方');
    const a = await e.activity(e.county, { type: 'social', title: '青年职工联谊会' });
    expect((await enroll(x, a.id, { details: { intro: '喜欢登山' } })).statusCode).toBe(200);
    expect((await enroll(y, a.id, { details: { intro: '爱好摄影和读书' } })).statusCode).toBe(200);
    const answers = [
      await x.worker.get(`/api/worker/activities/${a.id}`),
      await x.worker.get('/api/worker/activities?type=social'),
      await x.worker.get('/api/worker/activity-enrollments'),
      await x.worker.get('/api/worker/activity-certificates'),
    ];
    for (const r of answers) {
      expect(r.statusCode, r.body).toBe(200);
      expect(r.body).not.toContain('联谊乙方');
      expect(r.body).not.toContain('爱好摄影和读书');
      expect(r.body).not.toContain(`"${y.personId}"`);
    }
    expect(answers[0]!.body).toContain('喜欢登山'); // their own details only
    const yEnrollment = (await y.worker.get('/api/worker/activity-enrollments')).json().items[0].id;
    expect((await x.worker.get(`/api/worker/activity-enrollments/${yEnrollment}`)).statusCode).toBe(404);
    // Staff of the union see the sign-ups.
    const staffList = await e.county.get(`/api/activities/${a.id}/enrollments`);
    expect(staffList.body).toContain('联谊乙方');
  });
});
