// 活动 end to end at 375 px (issue 5): staff publish a 疗休养 batch with ONE place whose sign-up
// window opens ~20 s later; two members wait on the H5, which counts down on the server's clock and
// enables 报名 by itself at the opening second. Worker A enrolls (with a family member) and gets the
// place; worker B is waitlisted (候补第1位). A cancels (with a confirmation); B is promoted at once
// and sees it on the H5: 我的报名 says 报名成功 and 消息 has the notice.
// Members are made through the real APIs (POST /api/worker/join + the union's approval).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { fakePerson } from '../support/people.js';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-web.mjs', '--if-needed'], { stdio: 'pipe' });
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; json: any }>;

function caller(cookie: string, csrfToken: string): Call {
  return async (method, path, body) => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : undefined };
  };
}

/** Cookie and CSRF headers of a fresh staff session (for raw uploads). */
async function staffHeaders(username: string): Promise<Record<string, string>> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Gonghui@2026' }),
  });
  expect(res.status).toBe(200);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken };
}

/** A staff session used through the API, as the admin console would. */
async function staff(username: string): Promise<Call> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Gonghui@2026' }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return caller(cookie, csrfToken);
}

interface Member {
  person: ReturnType<typeof fakePerson>;
  call: Call;
  cookie: { name: string; value: string };
}

/** A worker signs in with an SMS code, applies to join `orgId` (or a grassroots union under it); the county approves. */
async function makeMember(n: number, orgId: string, county: Call): Promise<Member> {
  const person = fakePerson(n);
  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const sent = await post('/api/worker/sms-code', { phone: person.phone });
  expect(sent.status).toBe(200);
  const { demoCode } = (await sent.json()) as { demoCode: string };
  const login = await post('/api/worker/login', { phone: person.phone, code: demoCode });
  expect(login.status).toBe(200);
  const [name, value] = login.headers.get('set-cookie')!.split(';')[0]!.split('=') as [string, string];
  const call = caller(`${name}=${value}`, ((await login.json()) as { csrfToken: string }).csrfToken);
  const consent = (await call('GET', '/api/worker/join/consent')).json as { version: string };
  // A 县/镇 union takes no members itself (decision 009): join the first grassroots union under it.
  const union = (await call('GET', `/api/worker/join/unions/${orgId}`)).json as { acceptsMembers: boolean };
  const target = union.acceptsMembers ? orgId : ((await call('GET', `/api/worker/join/unions?under=${orgId}`)).json.items[0].id as string);
  const applied = await call('POST', '/api/worker/join', {
    person,
    employment: { employmentForm: 'standard', employerName: '东台某制造有限公司' },
    targetOrgId: target,
    consent: { agreed: true, version: consent.version },
    idempotencyKey: `activities-e2e-${n}`,
  });
  expect(applied.status, JSON.stringify(applied.json)).toBe(200);
  const d = (await county('GET', `/api/join-applications/${applied.json.id}`)).json;
  const ok = await county('POST', `/api/join-applications/${d.id}/review`, { action: 'approve', version: d.version });
  expect(ok.status, JSON.stringify(ok.json)).toBe(200);
  return { person, call, cookie: { name, value } };
}

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

const SHOTS = '/tmp/shots';
/** Screenshots for people to look at: /tmp/shots/h5-activity-<name>.png (and ./screenshots). */
async function shot(page: Page, name: string, fullPage = true) {
  mkdirSync(SHOTS, { recursive: true });
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/h5-activity-${name}.png`, fullPage });
  await page.screenshot({ path: screenshotPath(`h5-activity-${name}`), fullPage });
}

const noOverflow = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
const cstDay = (offsetDays: number) => new Date(Date.now() + 8 * 3600_000 + offsetDays * 86400_000).toISOString().slice(0, 10);

/** A phone signed in as `m`; `clockSkewMs` sets its clock that far off the real time (it keeps running). */
async function phoneFor(m: Member, clockSkewMs = 0): Promise<{ ctx: BrowserContext; page: Page; problems: string[] }> {
  const ctx = await browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    timezoneId: 'Asia/Shanghai',
    locale: 'zh-CN',
  });
  await ctx.addCookies([{ name: m.cookie.name, value: m.cookie.value, url: server.url }]);
  if (clockSkewMs) await ctx.clock.install({ time: Date.now() + clockSkewMs });
  ctx.setDefaultTimeout(15_000); // a missing element fails the step with its locator, not the whole test's timeout
  const page = await ctx.newPage();
  return { ctx, page, problems: watchProblems(page) };
}

async function orgId(call: Call, name: string): Promise<string> {
  const org = (await call('GET', `/api/orgs/search?q=${encodeURIComponent(name)}`)).json.items[0] as { id: string; name: string };
  expect(org.name).toBe(name);
  return org.id;
}

describe('疗休养: countdown → enroll → cancel → the waitlist is promoted', () => {
  let county: Call;
  let a: Member;
  let b: Member;
  let activityId: string;
  let pa: Awaited<ReturnType<typeof phoneFor>>;
  let pb: Awaited<ReturnType<typeof phoneFor>>;

  it('two members of a 东台 town union; the county publishes (in the admin console) a one-place batch opening in ~30 s', async () => {
    county = await staff('county_admin');
    const town = await orgId(county, '溱东镇总工会');
    a = await makeMember(8951, town, county);
    b = await makeMember(8952, town, county);

    // The draft is made through the API (its opening second must be exact); publishing is done on the console.
    const opensAt = new Date(Date.now() + 35_000).toISOString();
    const created = await county('POST', '/api/activities', {
      orgId: await orgId(county, '东台市总工会'),
      type: 'recuperation',
      title: '2026年度劳模和一线职工疗休养（黄山线）',
      description: '黄山、宏村五日疗休养，含往返交通、食宿与体检。\n请合理安排工作，按时参加。',
      locations: ['安徽黄山'],
      startsOn: cstDay(20),
      endsOn: cstDay(24),
      costPerPerson: '2600.00',
      budget: '7800.00',
      enrollmentMode: 'fcfs',
      opensAt,
      closesAt: new Date(Date.now() + 3 * 86400_000).toISOString(),
      cancelDeadline: new Date(Date.now() + 2 * 86400_000).toISOString(),
      contactName: '王老师',
      contactPhone: '0515-85212345',
      batches: [
        { title: '第一批（黄山线）', location: '安徽黄山', startsOn: cstDay(20), endsOn: cstDay(24), placesGeneral: 1, placesFamily: 2, familyPerPerson: 2 },
      ],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    activityId = created.json.id;

    const admin = await browser.newPage({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });
    const adminProblems = watchProblems(admin);
    await admin.goto(`${server.url}/admin/`);
    await admin.locator('[data-testid="login-username"] input, input[data-testid="login-username"]').first().fill('county_admin');
    await admin.locator('[data-testid="login-password"] input, input[data-testid="login-password"]').first().fill('Gonghui@2026');
    await admin.getByTestId('login-submit').click();
    await admin.getByTestId('header-user').waitFor();
    await admin.goto(`${server.url}/admin/#/activities/${activityId}`);
    await expect.poll(() => admin.getByTestId('activity-status').textContent(), { timeout: 10_000 }).toContain('草稿');
    await admin.getByTestId('activity-publish').click();
    await admin.locator('.el-message-box').waitFor();
    expect(await admin.locator('.el-message-box').innerText()).toContain('开放报名');
    await admin.locator('.el-message-box__btns .el-button--primary').click();
    await expect.poll(() => admin.getByTestId('activity-status').textContent(), { timeout: 10_000 }).toContain('已发布');
    await admin.waitForTimeout(300);
    mkdirSync(SHOTS, { recursive: true });
    await admin.screenshot({ path: `${SHOTS}/admin-activity-published.png` });
    expect(adminProblems).toEqual([]);
    await admin.close();
    expect((await county('GET', `/api/activities/${activityId}`)).json.status).toBe('published');
  });

  it('the H5 lists it as 即将开始 and counts down; 报名 enables itself at the opening second', async () => {
    pa = await phoneFor(a);
    // B's phone clock is three minutes fast: the countdown must follow the server, not the phone.
    pb = await phoneFor(b, 180_000);
    const { page } = pa;

    // 首页 → 活动
    await page.goto(`${server.url}/h5/#/`);
    await page.getByTestId('entry-activity').click();
    const card = page.getByTestId('activity-card').filter({ hasText: '黄山线' });
    await card.waitFor({ timeout: 10_000 });
    expect(await card.getByTestId('activity-card-badge').textContent()).toContain('即将开始');
    expect(await card.innerText()).toMatch(/距报名开始 00:00:\d\d/);
    await noOverflow(page);
    await shot(page, 'list');

    // The detail: a live countdown and a disabled button.
    await card.click();
    await page.getByTestId('activity-not-open').waitFor();
    const remaining = Number(await page.getByTestId('activity-countdown').getAttribute('data-remaining'));
    expect(remaining).toBeGreaterThan(2);
    expect(remaining).toBeLessThanOrEqual(35);
    expect(await page.getByTestId('activity-enroll').isDisabled()).toBe(true);
    expect(await page.getByTestId('activity-batch-left').textContent()).toContain('剩余 1 个名额');
    await expect.poll(async () => Number(await page.getByTestId('activity-countdown').getAttribute('data-remaining'))).toBeLessThan(remaining);
    await noOverflow(page);
    await shot(page, 'detail-countdown');

    // B waits on the same page.
    await pb.page.goto(`${server.url}/h5/#/activities/${activityId}`);
    await pb.page.getByTestId('activity-not-open').waitFor();
    const remainingA = Number(await page.getByTestId('activity-countdown').getAttribute('data-remaining'));
    const remainingB = Number(await pb.page.getByTestId('activity-countdown').getAttribute('data-remaining'));
    expect(Math.abs(remainingA - remainingB)).toBeLessThanOrEqual(2);
    expect(await pb.page.getByTestId('activity-enroll').isDisabled()).toBe(true);

    // No reload: the button enables itself when the window opens.
    await expect.poll(() => page.getByTestId('activity-enroll').isDisabled(), { timeout: 40_000, interval: 200 }).toBe(false);
    expect(await page.getByTestId('activity-enroll').textContent()).toContain('立即报名');
    expect(await page.getByTestId('activity-not-open').count()).toBe(0);
  });

  it('A enrolls with a family member and gets the place', async () => {
    const { page } = pa;
    await page.getByTestId('activity-enroll').click();
    await page.getByTestId('enroll-sheet').waitFor();
    await page.getByTestId('enroll-family-add').click();
    // An empty name is caught before anything is sent.
    await page.getByTestId('enroll-submit').click();
    await expect.poll(() => page.getByTestId('enroll-form').innerText()).toContain('请填写家属姓名');
    await page.getByTestId('enroll-family-name').fill('刘芳');
    await page.getByTestId('enroll-family-relation').selectOption('spouse');
    await page.waitForTimeout(400); // the popup's transition
    await noOverflow(page);
    await shot(page, 'enroll-family', false);
    await page.getByTestId('enroll-submit').click();
    await expect.poll(() => page.getByTestId('enroll-result-text').textContent(), { timeout: 10_000 }).toBe('报名成功');
    expect(await page.getByTestId('enroll-result').innerText()).toContain('随行家属 1 人');
    await page.waitForTimeout(300);
    await shot(page, 'enroll-result', false);
    await page.getByTestId('enroll-result-done').click();
    await page.getByTestId('enroll-result').waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('activity-my-enrollment').innerText()).toContain('报名成功');
  });

  it('B finds the batch full, joins the waitlist and is told the position', async () => {
    const { page } = pb;
    await expect.poll(() => page.getByTestId('activity-enroll').isDisabled(), { timeout: 10_000 }).toBe(false);
    await page.reload();
    await expect.poll(() => page.getByTestId('activity-enroll').textContent(), { timeout: 10_000 }).toContain('排队候补');
    expect(await page.getByTestId('activity-batch-left').textContent()).toContain('已满');
    await page.getByTestId('activity-enroll').click();
    await page.getByTestId('enroll-sheet').waitFor();
    expect(await page.getByTestId('enroll-sheet').innerText()).toContain('将进入候补');
    await page.getByTestId('enroll-submit').click();
    await expect.poll(() => page.getByTestId('enroll-result-text').textContent(), { timeout: 10_000 }).toBe('已进入候补第1位');

    await page.getByTestId('enroll-result-mine').click();
    const item = page.getByTestId('enrollment-item').filter({ hasText: '黄山线' });
    await expect.poll(() => item.getByTestId('enrollment-status').textContent(), { timeout: 10_000 }).toContain('候补');
    expect(await item.getByTestId('enrollment-headline').textContent()).toContain('已进入候补第1位');
    await noOverflow(page);
    await shot(page, 'mine-waitlisted');
  });

  it('A cancels after a confirmation; B is promoted and sees it in 我的报名 and 消息', async () => {
    const { page } = pa;
    await page.goto(`${server.url}/h5/#/mine`);
    await page.getByTestId('mine-enrollments').click();
    const item = page.getByTestId('enrollment-item').filter({ hasText: '黄山线' });
    await expect.poll(() => item.getByTestId('enrollment-status').textContent(), { timeout: 10_000 }).toContain('报名成功');
    expect(await item.getByTestId('enrollment-family').textContent()).toContain('刘芳（配偶）');
    await shot(page, 'mine-enrolled');
    await item.getByTestId('enrollment-cancel').click();
    // The confirmation: 再想想 keeps the place.
    await page.locator('.van-dialog').waitFor();
    expect(await page.locator('.van-dialog').innerText()).toContain('名额将让给候补人员');
    await page.waitForTimeout(300);
    await shot(page, 'cancel-confirm', false);
    await page.locator('.van-dialog__cancel').click();
    await page.locator('.van-dialog').waitFor({ state: 'hidden' });
    expect(await item.getByTestId('enrollment-status').textContent()).toContain('报名成功');
    await item.getByTestId('enrollment-cancel').click();
    await page.locator('.van-dialog__confirm').click();
    await expect.poll(() => item.getByTestId('enrollment-status').textContent(), { timeout: 10_000 }).toContain('已取消');
    expect(await item.getByTestId('enrollment-cancel').count()).toBe(0);

    // B: promoted.
    const pbPage = pb.page;
    await pbPage.reload();
    const mine = pbPage.getByTestId('enrollment-item').filter({ hasText: '黄山线' });
    await expect.poll(() => mine.getByTestId('enrollment-status').textContent(), { timeout: 10_000 }).toContain('报名成功');
    await expect.poll(() => mine.getByTestId('enrollment-promoted').innerText()).toContain('候补递补成功，获得正式名额');
    // From the server's promotedAt: a 候补转正 tag and when it happened.
    expect(await mine.getByTestId('enrollment-promoted-tag').textContent()).toContain('候补转正');
    expect(await mine.getByTestId('enrollment-promoted').innerText()).toMatch(/转正时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await noOverflow(pbPage);
    await shot(pbPage, 'mine-promoted');
    await pbPage.goto(`${server.url}/h5/#/`);
    await pbPage.getByTestId('tab-message').click();
    await expect.poll(() => pbPage.getByTestId('message-item').first().innerText(), { timeout: 10_000 }).toContain('候补成功');
    await shot(pbPage, 'messages-promoted');
    // The notice opens 我的报名.
    await pbPage.getByTestId('message-item').first().click();
    await expect.poll(() => pbPage.getByTestId('enrollment-item').count(), { timeout: 10_000 }).toBeGreaterThan(0);

    // The staff side agrees: B holds the place, nobody is waiting.
    const list = await county('GET', `/api/activities/${activityId}/enrollments?status=enrolled`);
    expect(list.status).toBe(200);
    expect(list.json.items.map((e: { person: { name: string } }) => e.person.name)).toEqual([b.person.name]);
    // The detail tells A the batch is full again (nobody else may take B's place).
    await page.goto(`${server.url}/h5/#/activities/${activityId}`);
    await expect.poll(() => page.getByTestId('activity-batch-left').textContent(), { timeout: 10_000 }).toContain('已满');

    expect(pa.problems).toEqual([]);
    expect(pb.problems).toEqual([]);
  });

  it('a worker of another county does not see the activity (404 on the H5)', async () => {
    const sheyangStaff = await staff('sheyang_admin');
    const c = await makeMember(8953, await orgId(sheyangStaff, '射阳县总工会'), sheyangStaff);
    const list = await c.call('GET', '/api/worker/activities');
    expect(list.status).toBe(200);
    expect(list.json.items.some((x: { id: string }) => x.id === activityId)).toBe(false);
    const pc = await phoneFor(c);
    await pc.page.goto(`${server.url}/h5/#/activities/${activityId}`);
    await pc.page.getByTestId('activity-not-found').waitFor({ timeout: 10_000 });
    await pc.ctx.close();
    await pa.ctx.close();
    await pb.ctx.close();
  });
});

describe('知识竞赛, certificate and check-in on the H5', () => {
  let county: Call;
  let w: Member;
  let p: Awaited<ReturnType<typeof phoneFor>>;

  /** A published activity of `type` with one open batch; the member enrolls through the API. */
  async function openActivity(type: string, title: string, settings: Record<string, unknown> = {}) {
    const created = await county('POST', '/api/activities', {
      type,
      title,
      description: `${title}（端到端测试）`,
      locations: ['东台市职工服务中心'],
      startsOn: cstDay(0),
      endsOn: cstDay(10),
      enrollmentMode: 'fcfs',
      settings,
      batches: [{ title: '第一场', placesGeneral: 50 }],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const pub = await county('POST', `/api/activities/${created.json.id}/publish`, { version: created.json.version });
    expect(pub.status, JSON.stringify(pub.json)).toBe(200);
    const enrolled = await w.call('POST', `/api/worker/activities/${created.json.id}/enroll`, {});
    expect(enrolled.status, JSON.stringify(enrolled.json)).toBe(200);
    expect(enrolled.json.status).toBe('enrolled');
    return { id: created.json.id as string, enrollmentId: enrolled.json.id as string };
  }

  it('a member takes a timed quiz once and sees the score', async () => {
    county = await staff('county_admin');
    w = await makeMember(8954, await orgId(county, '溱东镇总工会'), county);
    const quiz = await openActivity('quiz', '《工会法》知识竞赛', { timeLimitMinutes: 10 });
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('题库');
    sheet.addRow(['题目', '类型', '选项A', '选项B', '选项C', '选项D', '答案', '分值']);
    sheet.addRow(['工会是中国共产党领导的职工自愿结合的工人阶级群众组织。', '判断', '', '', '', '', '对', 10]);
    sheet.addRow(['建立工会组织的企业，按每月全部职工工资总额的百分之几向工会拨缴经费？', '单选', '1%', '2%', '3%', '5%', 'B', 10]);
    sheet.addRow(['以下哪些属于工会的基本职责？', '多选', '维护职工合法权益', '竭诚服务职工群众', '代替企业发放工资', '', 'AB', 20]);
    const file = Buffer.from(await book.xlsx.writeBuffer());
    const imported = await fetch(`${server.url}/api/activities/${quiz.id}/quiz/questions/import`, {
      method: 'POST',
      headers: { ...(await staffHeaders('county_admin')), 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      body: file,
    });
    const importedJson = (await imported.json()) as { imported: number };
    expect(imported.status, JSON.stringify(importedJson)).toBe(200);
    expect(importedJson.imported).toBe(3);

    p = await phoneFor(w);
    const { page } = p;
    await page.goto(`${server.url}/h5/#/activities/${quiz.id}`);
    await page.getByTestId('activity-quiz').click();
    await page.getByTestId('quiz-intro').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('quiz-intro').innerText()).toContain('10 分钟');
    await page.getByTestId('quiz-start').click();
    await page.locator('.van-dialog__confirm').click();
    await expect.poll(() => page.getByTestId('quiz-question').count(), { timeout: 10_000 }).toBe(3);
    expect(await page.getByTestId('quiz-timer').innerText()).toMatch(/剩余时间 00:(09|10):\d\d/);
    const q = (i: number) => page.getByTestId('quiz-question').nth(i);
    await q(0).locator('[data-key="A"]').click();
    await q(1).locator('[data-key="B"]').click();
    await q(2).locator('[data-key="A"]').click();
    await q(2).locator('[data-key="C"]').click(); // wrong: the multiple-choice question scores nothing
    await noOverflow(page);
    await shot(page, 'quiz', false);
    await page.getByTestId('quiz-submit').click();
    await page.locator('.van-dialog__confirm').click();
    await expect.poll(() => page.getByTestId('quiz-score').textContent(), { timeout: 10_000 }).toBe('20');
    expect(await page.getByTestId('quiz-result').innerText()).toContain('/ 40 分');
    await shot(page, 'quiz-result');
    // One attempt: opening the quiz again shows the result.
    await page.reload();
    await expect.poll(() => page.getByTestId('quiz-score').textContent(), { timeout: 10_000 }).toBe('20');
  });

  it('a contest certificate is in 我的证书 (PDF and Word) and its QR page says 有效 with a masked name', async () => {
    const contest = await openActivity('contest', '东台市第五届焊工技能竞赛', { industry: '制造业', workType: '焊工' });
    const issued = await county('POST', `/api/activities/${contest.id}/certificates`, { items: [{ enrollmentId: contest.enrollmentId, award: '一等奖' }] });
    expect(issued.status, JSON.stringify(issued.json)).toBe(200);
    const { page, ctx } = p;
    await page.goto(`${server.url}/h5/#/mine`);
    await page.getByTestId('mine-certificates').click();
    const item = page.getByTestId('certificate-item').first();
    await expect.poll(() => item.getByTestId('certificate-award').textContent(), { timeout: 10_000 }).toBe('一等奖');
    await noOverflow(page);
    await shot(page, 'certificates');
    for (const [testId, type] of [
      ['certificate-pdf', 'application/pdf'],
      ['certificate-docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ] as const) {
      const href = (await item.getByTestId(testId).getAttribute('href'))!;
      const res = await ctx.request.get(`${server.url}${href}`);
      expect(res.status(), href).toBe(200);
      expect(res.headers()['content-type']).toContain(type);
    }

    // Anyone scanning the QR: no login, a phone of its own.
    const code = (await item.getByTestId('certificate-code').textContent())!;
    const stranger = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const check = await stranger.newPage();
    const problems = watchProblems(check);
    await check.goto(`${server.url}/h5/#/certificates/verify?code=${encodeURIComponent(code)}`);
    await expect.poll(() => check.getByTestId('certificate-verdict').textContent(), { timeout: 10_000 }).toBe('证书有效');
    expect(await check.getByTestId('certificate-holder').textContent()).toBe(`${w.person.name[0]}${'*'.repeat(w.person.name.length - 1)}`);
    expect(await check.getByTestId('certificate-verify-award').textContent()).toBe('一等奖');
    expect(await check.getByTestId('certificate-verify-org').textContent()).toBe('东台市总工会');
    expect(await check.locator('body').innerText()).not.toContain(w.person.name);
    await noOverflow(check);
    await shot(check, 'certificate-verify');
    await check.goto(`${server.url}/h5/#/certificates/verify?code=${encodeURIComponent(code.slice(0, -2))}ZZ`);
    await check.reload();
    await expect.poll(() => check.getByTestId('certificate-verdict').textContent(), { timeout: 10_000 }).toBe('证书无效');
    expect(problems).toEqual([]);
    await stranger.close();
  });

  it('scanning a training session’s QR checks the member in', async () => {
    const training = await openActivity('training', '2026年冬季安全生产培训');
    const session = await county('POST', `/api/activities/${training.id}/training/sessions`, {
      title: '第一场：安全生产专题培训',
      startsAt: new Date(Date.now() - 600_000).toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(session.status, JSON.stringify(session.json)).toBe(200);
    const qr = await county('GET', `/api/activities/${training.id}/training/sessions/${session.json.id}/qr`);
    expect(qr.status, JSON.stringify(qr.json)).toBe(200);
    const { page } = p;
    await page.goto(`${server.url}${qr.json.checkinPath as string}`);
    await expect.poll(() => page.getByTestId('checkin-verdict').textContent(), { timeout: 10_000 }).toBe('签到成功');
    expect(await page.getByTestId('checkin-result').innerText()).toContain('第一场：安全生产专题培训');
    await noOverflow(page);
    await shot(page, 'checkin');
    // A forged token is refused.
    await page.goto(`${server.url}/h5/#/checkin?t=forged-token-123456`);
    await page.reload();
    await expect.poll(() => page.getByTestId('checkin-verdict').textContent(), { timeout: 10_000 }).toBe('签到失败');
    expect(await page.getByTestId('checkin-reason').textContent()).toContain('二维码无效或已过期');
    expect(p.problems).toEqual([]);
    await p.ctx.close();
  });
});

describe('暑托班 with the child’s details, and a lottery sign-up', () => {
  it('a member enrolls a child in a 暑托班 class; the age rule is checked on the phone first', async () => {
    const county = await staff('county_admin');
    const m = await makeMember(8955, await orgId(county, '溱东镇总工会'), county);
    const created = await county('POST', '/api/activities', {
      type: 'childcare',
      title: '2027年暑期爱心托管班（东台城区）',
      description: '工会为职工子女提供暑期托管，含课业辅导、安全教育和文体活动。',
      locations: ['东台市实验小学'],
      startsOn: cstDay(40),
      endsOn: cstDay(80),
      enrollmentMode: 'fcfs',
      batches: [
        { title: '实验小学一班', location: '东台市实验小学', placesGeneral: 30 },
        { title: '城东小学二班', location: '东台市城东小学', placesGeneral: 30 },
      ],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    expect((await county('POST', `/api/activities/${created.json.id}/publish`, { version: created.json.version })).status).toBe(200);

    const p = await phoneFor(m);
    const { page } = p;
    await page.goto(`${server.url}/h5/#/activities?type=childcare`);
    await page.getByTestId('activity-card').filter({ hasText: '爱心托管班' }).click();
    await page.getByTestId('activity-batch').filter({ hasText: '城东小学二班' }).click();
    await page.getByTestId('activity-enroll').click();
    await page.getByTestId('enroll-sheet').waitFor();
    await page.getByTestId('enroll-child-name').fill('王小明');
    // Too young on the class's first day: refused before anything is sent.
    const startYear = Number(cstDay(40).slice(0, 4));
    await page.getByTestId('enroll-child-birth').fill(`${startYear - 4}-01-15`);
    await page.getByTestId('enroll-child-school').fill('东台市城东小学');
    await page.getByTestId('enroll-submit').click();
    await expect.poll(() => page.getByTestId('enroll-form').innerText()).toContain('6–12 岁');
    await page.getByTestId('enroll-child-birth').fill(`${startYear - 8}-01-15`);
    await page.waitForTimeout(400);
    await noOverflow(page);
    await shot(page, 'enroll-child', false);
    await page.getByTestId('enroll-submit').click();
    await expect.poll(() => page.getByTestId('enroll-result-text').textContent(), { timeout: 10_000 }).toBe('报名成功');
    expect(await page.getByTestId('enroll-result').innerText()).toContain('城东小学二班');
    await page.getByTestId('enroll-result-mine').click();
    const item = page.getByTestId('enrollment-item').filter({ hasText: '爱心托管班' });
    await expect.poll(() => item.getByTestId('enrollment-child').textContent(), { timeout: 10_000 }).toContain('王小明');

    // A lottery: signing up says 已参与抽签 and the detail shows the sign-up as pending.
    const lottery = await county('POST', '/api/activities', {
      type: 'recuperation',
      title: '2027年春季职工疗休养（溧阳线）',
      description: '报名截止后公开抽签。',
      locations: ['江苏溧阳'],
      startsOn: cstDay(60),
      endsOn: cstDay(64),
      enrollmentMode: 'lottery',
      closesAt: new Date(Date.now() + 5 * 86400_000).toISOString(),
      batches: [{ title: '第一批（溧阳线）', placesGeneral: 20 }],
    });
    expect(lottery.status, JSON.stringify(lottery.json)).toBe(200);
    expect((await county('POST', `/api/activities/${lottery.json.id}/publish`, { version: lottery.json.version })).status).toBe(200);
    await page.goto(`${server.url}/h5/#/activities/${lottery.json.id}`);
    await expect.poll(() => page.getByTestId('activity-enroll').textContent(), { timeout: 10_000 }).toContain('报名参加抽签');
    await page.getByTestId('activity-enroll').click();
    await page.getByTestId('enroll-submit').click();
    await expect.poll(() => page.getByTestId('enroll-result-text').textContent(), { timeout: 10_000 }).toContain('已参与抽签');
    await page.waitForTimeout(300);
    await shot(page, 'enroll-lottery', false);
    expect(p.problems).toEqual([]);
    await p.ctx.close();
  });
});

describe('batch rules, family places and who pays, on the H5 (issue 11)', () => {
  it('a batch limited to 劳模 says why before the worker tries; family places and 工会承担 / 个人自付 read the same on the detail and the sheet', async () => {
    const county = await staff('county_admin');
    const m = await makeMember(8971, await orgId(county, '溱东镇总工会'), county);
    const now = Date.now();
    const made = await county('POST', '/api/activities', {
      orgId: await orgId(county, '东台市总工会'),
      type: 'recuperation',
      title: '分批条件疗休养',
      startsOn: cstDay(30),
      endsOn: cstDay(40),
      unionShare: '1500',
      personalShare: '300',
      budget: '100000',
      enrollmentMode: 'fcfs',
      opensAt: new Date(now - 60_000).toISOString(),
      closesAt: new Date(now + 3 * 86400_000).toISOString(),
      batches: [
        { title: '第一批', placesGeneral: 5, eligibility: { modelWorkerOnly: true } },
        { title: '第二批', placesGeneral: 5, placesFamily: 4, familyPerPerson: 2 },
      ],
    });
    expect(made.status, JSON.stringify(made.json)).toBe(200);
    expect((await county('POST', `/api/activities/${made.json.id}/publish`, { version: made.json.version })).status).toBe(200);
    const [ruled] = made.json.batches as { id: string }[];

    const p = await phoneFor(m);
    const { page } = p;
    await page.goto(`${server.url}/h5/#/activities/${made.json.id}`);
    await page.getByTestId('activity-title').waitFor();
    const batches = page.getByTestId('activity-batch');
    await expect.poll(() => batches.nth(0).innerText()).toContain('本批次仅限劳模报名');
    expect(await batches.nth(1).innerText()).toContain('可带家属，每人至多 2 名（家属名额共 4 个）');
    // the open batch is chosen for them; tapping the closed one says why and does not choose it
    expect(await batches.nth(1).getAttribute('aria-checked')).toBe('true');
    expect(await batches.nth(0).getAttribute('aria-disabled')).toBe('true');
    await batches.nth(0).click({ force: true }); // a tap on it still answers, with the reason
    await expect.poll(() => page.locator('.van-toast').innerText()).toContain('本批次仅限劳模报名');
    expect(await batches.nth(0).getAttribute('aria-checked')).toBe('false');
    expect(await page.getByTestId('activity-union-share').innerText()).toContain('¥1,500.00 / 人');
    expect(await page.getByTestId('activity-personal-share').innerText()).toContain('¥300.00 / 人');
    await noOverflow(page);
    await shot(page, 'batch-rules');
    await page.getByTestId('activity-enroll').click();
    await page.getByTestId('enroll-sheet').waitFor();
    expect(await page.getByTestId('enroll-family-hint').innerText()).toBe('可带家属，每人至多 2 名（家属名额共 4 个），剩余 4 个');
    expect(await page.getByTestId('enroll-sheet-cost').innerText()).toContain('个人自付 ¥300.00 / 人');
    await shot(page, 'batch-rules-sheet', false);
    // the server refuses the closed batch whatever the phone does
    const refused = await m.call('POST', `/api/worker/activities/${made.json.id}/enroll`, { batchId: ruled!.id, details: {} });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toBe('本批次仅限劳模报名');
    expect(p.problems).toEqual([]);
    await p.ctx.close();
  });
});
