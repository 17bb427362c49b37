// 困难职工档案 notices: who is told at each transition (in-app, and the head by SMS), and the daily
// yearly-review reminder claimed once per file and review year.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember, type TestMember } from '../../../../tests/support/members.js';

let t: TestApp;
let county: Client;
let grassroots: Client;
let enterprise: string;
const m: Record<string, TestMember> = {};

const DAY = 86_400_000;
const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const today = () => chinaDay(t.clock.now());
const plusDays = (n: number) => chinaDay(new Date(t.clock.now().getTime() + n * DAY));
const fileNo = (id: string) => `KN${id.padStart(6, '0')}`;
const reminders = () => t.services.features.hardship.service.sendReviewReminders();

async function advance(ms: number) {
  t.clock.advance(ms);
  county = await t.login('county_admin');
  grassroots = await t.login('grassroots_admin');
}

let seen = '0';
/** Messages written since the last call, with the staff username or worker id they went to. */
async function newMessages() {
  const rows = await t.db
    .selectFrom('messages as msg')
    .leftJoin('staff_accounts as a', 'a.id', 'msg.account_id')
    .select(['msg.id', 'msg.title', 'msg.body', 'msg.link', 'msg.category', 'msg.worker_id', 'a.username'])
    .where('msg.id', '>', seen)
    .orderBy('msg.id')
    .execute();
  if (rows.length) seen = rows.at(-1)!.id;
  return rows;
}
const recipients = (rows: Awaited<ReturnType<typeof newMessages>>) => rows.map((r) => r.username ?? `worker:${r.worker_id}`).sort();

async function ok(r: { statusCode: number; body: string; json(): any }) {
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

const fileBody = (member: TestMember) => ({
  membershipId: member.membershipId,
  mainCause: 'illness',
  secondaryCauses: [],
  headMonthlyIncome: '2345.67',
  situation: '户主患病，家庭收入低。',
  family: [],
});

/** Submitted → 基层初审 (by the county: not the submitter, decision 045) → 入户核实 → 公示, checking who is told at each step. */
async function toNotice(id: string) {
  let f = await ok(await grassroots.get(`/api/hardship/files/${id}`));
  await newMessages();
  f = await ok(await county.post(`/api/hardship/files/${id}/first-review`, { version: f.version, action: 'approve' }));
  let msgs = await newMessages();
  expect(recipients(msgs)).toEqual(['county_admin']);
  expect(msgs[0]).toMatchObject({ title: '困难职工档案通过基层初审', link: `/admin/#/hardship/${id}`, category: 'hardship' });
  f = await ok(await grassroots.post(`/api/hardship/files/${id}/visit`, { version: f.version, visitedOn: today(), visitors: '张主席', findings: '情况属实' }));
  msgs = await newMessages();
  expect(recipients(msgs)).toEqual(['county_admin']);
  expect(msgs[0]!.title).toBe('困难职工档案待县级审核');
  f = await ok(
    await county.post(`/api/hardship/files/${id}/county-review`, { version: f.version, action: 'approve', noticeStart: today(), noticeEnd: plusDays(4) }),
  );
  msgs = await newMessages();
  expect(recipients(msgs)).toEqual(['grassroots_admin']);
  expect(msgs[0]!.title).toBe('困难职工档案进入公示');
  expect(msgs[0]!.body).toContain(`公示期 ${today()} 至 ${plusDays(4)}`);
  return f;
}

beforeAll(async () => {
  t = await createTestApp();
  await advance(0);
  enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  for (const [k, n] of [
    ['a', 3201],
    ['b', 3202],
    ['c', 3203],
    ['d', 3204],
  ] as const) {
    m[k] = await makeMember(t, enterprise, n);
  }
  // Staff of the file's union who must not be told: a read-only account and a disabled one.
  const roleId = async (code: string) => (await t.db.selectFrom('roles').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  for (const [username, role, status] of [
    ['ent_reader', 'leader', 'active'],
    ['ent_disabled', 'grassroots_admin', 'disabled'],
  ] as const) {
    const acc = await t.db
      .insertInto('staff_accounts')
      .values({ username, display_name: username, org_id: enterprise, password_hash: 'x', status })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('account_roles')
      .values({ account_id: acc.id, role_id: await roleId(role) })
      .execute();
  }
  // b's head has no H5 account: no worker message, no SMS.
  await t.db.updateTable('people').set({ worker_id: null }).where('id', '=', m.b!.personId).execute();
});
afterAll(async () => t?.close());

describe('transition notices', () => {
  let a: string;

  it('each step tells the staff who act next, and only them', async () => {
    a = (await ok(await grassroots.post('/api/hardship/files', fileBody(m.a!)))).id;
    await toNotice(a);
  });

  it('an upheld objection tells the union, and the head (in-app + SMS) that the file is back for changes', async () => {
    let f = await ok(await grassroots.get(`/api/hardship/files/${a}`));
    f = await ok(
      await grassroots.post(`/api/hardship/files/${a}/objections`, {
        version: f.version,
        raisedBy: '同事甲',
        content: '其配偶另有经营收入',
        outcome: 'upheld',
      }),
    );
    const msgs = await newMessages();
    expect(recipients(msgs)).toEqual(['grassroots_admin', `worker:${m.a!.workerId}`]);
    expect(msgs.find((x) => x.username)!.title).toBe('公示异议成立，档案退回重审');
    const w = msgs.find((x) => x.worker_id)!;
    expect(w).toMatchObject({ title: '困难职工建档申请需补充核实', link: null });
    expect(w.body).toContain(fileNo(a));
    expect(w.body).not.toContain('经营收入'); // who objected and what they said stays on the file
    expect(t.sms.sent.get(m.a!.person.phone)).toBe(`【智慧工会】${w.body}`);
  });

  it('a dismissed objection tells the union only; 建档 tells the union and the head (in-app + SMS)', async () => {
    let f = await toNotice(a);
    f = await ok(
      await grassroots.post(`/api/hardship/files/${a}/objections`, { version: f.version, raisedBy: '匿名', content: '不属实', outcome: 'dismissed' }),
    );
    let msgs = await newMessages();
    expect(recipients(msgs)).toEqual(['grassroots_admin']);
    expect(msgs[0]!.title).toBe('公示异议已登记（不成立）');
    await advance(5 * DAY);
    f = await ok(await grassroots.post(`/api/hardship/files/${a}/establish`, { version: f.version }));
    msgs = await newMessages();
    expect(recipients(msgs)).toEqual(['grassroots_admin', `worker:${m.a!.workerId}`]);
    const w = msgs.find((x) => x.worker_id)!;
    expect(w.title).toBe('您家庭已建立困难职工档案');
    expect(w.body).toContain(f.reviewDueOn);
    const sms = t.sms.sent.get(m.a!.person.phone)!;
    expect(sms).toContain('已由');
    expect(sms).toContain(fileNo(a));
  });

  it('rejections at the grassroots and at the county tell the file’s union', async () => {
    const c = await ok(await grassroots.post('/api/hardship/files', fileBody(m.c!)));
    await newMessages();
    await ok(
      await grassroots.post(`/api/hardship/files/${c.id}/first-review`, { version: c.version, action: 'reject', comment: '人均收入 2345.67 元，超过标准' }),
    );
    let msgs = await newMessages();
    expect(recipients(msgs)).toEqual(['grassroots_admin']);
    expect(msgs[0]!.title).toBe('困难职工档案基层初审驳回');

    let d = await ok(await grassroots.post('/api/hardship/files', fileBody(m.d!)));
    d = await ok(await county.post(`/api/hardship/files/${d.id}/first-review`, { version: d.version, action: 'approve' }));
    d = await ok(
      await grassroots.post(`/api/hardship/files/${d.id}/visit`, { version: d.version, visitedOn: today(), visitors: '张主席', findings: '有经营收入' }),
    );
    await newMessages();
    await ok(await county.post(`/api/hardship/files/${d.id}/county-review`, { version: d.version, action: 'reject', comment: '家庭另有经营收入' }));
    msgs = await newMessages();
    expect(recipients(msgs)).toEqual(['grassroots_admin']);
    expect(msgs[0]!.title).toBe('困难职工档案县级审核驳回');
    expect(msgs[0]!.body).not.toContain('经营收入');
  });

  it('no message carries an ID number or an income', async () => {
    const all = await t.db.selectFrom('messages').select(['title', 'body']).where('category', '=', 'hardship').execute();
    expect(all.length).toBeGreaterThan(0);
    for (const msg of all) {
      for (const k of ['a', 'b', 'c', 'd']) expect(`${msg.title}${msg.body}`).not.toContain(m[k]!.person.idNumber);
      expect(`${msg.title}${msg.body}`).not.toMatch(/2345/);
    }
  });
});

describe('yearly review reminders', () => {
  let a: string;
  let b: string;
  const reminded = async () =>
    (await newMessages()).map((x) => {
      expect(x.username).toBe('grassroots_admin');
      expect(x.title).toMatch(/^年度复核提醒/);
      return x.link;
    });

  it('a far-off review is not reminded', async () => {
    a = (await t.db.selectFrom('hardship_files').select('id').where('head_person_id', '=', m.a!.personId).executeTakeFirstOrThrow()).id;
    await newMessages();
    expect(await reminders()).toBe(0);
    // b is established 100 days later: its review falls due 100 days after a's.
    await advance(100 * DAY);
    let f = await ok(await grassroots.post('/api/hardship/files', fileBody(m.b!)));
    b = f.id;
    f = await toNotice(b);
    await advance(5 * DAY);
    f = await ok(await grassroots.post(`/api/hardship/files/${b}/establish`, { version: f.version }));
    // b's head has no H5 account: the union only, and no SMS.
    expect(recipients(await newMessages())).toEqual(['grassroots_admin']);
    expect(t.sms.sent.get(m.b!.person.phone) ?? '').not.toContain('困难职工档案');
    expect(await reminders()).toBe(0);
  });

  it('within 30 days of the due date the union’s hardship:write staff are reminded, once', async () => {
    const due = (await ok(await grassroots.get(`/api/hardship/files/${a}`))).reviewDueOn as string;
    // 25 days before a's review; b's is still ~125 days off.
    await advance(Date.parse(`${due}T00:00:00+08:00`) - 25 * DAY - t.clock.now().getTime());
    expect(await reminders()).toBe(1);
    const msgs = await newMessages();
    expect(recipients(msgs)).toEqual(['grassroots_admin']);
    expect(msgs[0]).toMatchObject({ link: `/admin/#/hardship/${a}`, category: 'hardship' });
    expect(msgs[0]!.title).toBe(`年度复核提醒：困难职工档案 ${fileNo(a)}`);
    expect(msgs[0]!.body).toContain(`将于 ${due} 到期`);
    expect(await reminders()).toBe(0);
    expect(await newMessages()).toEqual([]);
    // Overdue now, but this review year was already reminded.
    await advance(30 * DAY);
    expect((await ok(await grassroots.get(`/api/hardship/files/${a}`))).reviewOverdue).toBe(true);
    expect(await reminders()).toBe(0);
    const audit = await t.db.selectFrom('audit_log').select(['actor_type', 'target_id']).where('action', '=', 'hardship.remind').execute();
    expect(audit).toEqual([{ actor_type: 'system', target_id: a }]);
  });

  it('after 继续帮扶 the next review year is reminded again; an overdue one says so', async () => {
    let f = await ok(await grassroots.get(`/api/hardship/files/${a}`));
    f = await ok(await grassroots.post(`/api/hardship/files/${a}/yearly-review`, { version: f.version, decision: 'continue', reason: '仍需治疗' }));
    expect(await newMessages()).toEqual([]); // continuing tells no one
    await advance(Date.parse(`${f.reviewDueOn}T00:00:00+08:00`) - 10 * DAY - t.clock.now().getTime());
    expect(await reminders()).toBe(2); // a's next year, and b's (long overdue)
    const links = await reminded();
    expect(links.sort()).toEqual([`/admin/#/hardship/${a}`, `/admin/#/hardship/${b}`].sort());
    expect(await reminders()).toBe(0);
  });

  it('解困脱困 tells the union and the head (in-app + SMS); a closed file is not reminded', async () => {
    const f = await ok(await grassroots.get(`/api/hardship/files/${a}`));
    await ok(await grassroots.post(`/api/hardship/files/${a}/yearly-review`, { version: f.version, decision: 'close', reason: '已恢复工作' }));
    const msgs = await newMessages();
    expect(recipients(msgs)).toEqual(['grassroots_admin', `worker:${m.a!.workerId}`]);
    expect(msgs.find((x) => x.username)!.title).toBe('困难职工档案解困脱困');
    const w = msgs.find((x) => x.worker_id)!;
    expect(w.title).toBe('您家庭已解困脱困');
    expect(t.sms.sent.get(m.a!.person.phone)).toBe(`【智慧工会】${w.body}`);
    // b continues into its next review year; a year on, b is reminded again and the closed a is not.
    const fb = await ok(await grassroots.get(`/api/hardship/files/${b}`));
    await ok(await grassroots.post(`/api/hardship/files/${b}/yearly-review`, { version: fb.version, decision: 'continue', reason: '仍有困难' }));
    await newMessages();
    await advance(400 * DAY);
    expect(await reminders()).toBe(1);
    expect(await reminded()).toEqual([`/admin/#/hardship/${b}`]);
  });
});
