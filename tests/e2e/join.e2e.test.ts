// 入会 end to end at 375 px: staff make a campaign QR for a 东台 town union; a worker opens it,
// signs in with an SMS code, picks a grassroots union under the town (a town union takes no
// members itself), fills the form, consents and submits; the union approves; the worker's
// 电子会员卡 shows the member number and its QR opens the public check, which says 有效. Then
// somebody types that member's ID with another name: the reviewer sees it beside the roll (1440 px)
// and the member's card keeps working (decision 009).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { submitH5Login } from '../support/h5-login.js';
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

/** A staff session used through the API, as the admin console would. */
async function staff(username: string) {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Gonghui@2026' }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, json: (await r.json()) as any };
  };
  return { get: (p: string) => call('GET', p), post: (p: string, b: unknown) => call('POST', p, b) };
}

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

/** The screenshots the identity-linking work is reviewed by are also kept in /work/notes/shots. */
function keepShot(name: string) {
  try {
    mkdirSync('/work/notes/shots', { recursive: true });
    copyFileSync(screenshotPath(name), `/work/notes/shots/${name}.png`);
  } catch {
    // Not on the development machine: ./screenshots has them.
  }
}

const noOverflow = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
const cstDay = (offsetDays: number) => new Date(Date.now() + 8 * 3600_000 + offsetDays * 86400_000).toISOString().slice(0, 10);
const phone375 = () => browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

describe('H5 join → review → e-member card', () => {
  const person = fakePerson(8801);
  let ctx: BrowserContext;
  let page: Page;
  let problems: string[];
  let applicationId: string;
  let verifyPath: string;
  let unionName: string;

  it('a worker opens the campaign QR, signs in, fills the form, consents and submits', async () => {
    const county = await staff('county_admin');
    const town = (await county.get(`/api/orgs/search?q=${encodeURIComponent('溱东镇总工会')}`)).json.items[0] as { id: string; name: string };
    expect(town.name).toBe('溱东镇总工会');
    const camp = await county.post('/api/campaigns', {
      orgId: town.id,
      name: '溱东镇快递员入会月',
      employmentForms: ['courier', 'food_delivery'],
      startsOn: cstDay(-1),
      endsOn: cstDay(30),
    });
    expect(camp.status, JSON.stringify(camp.json)).toBe(200);

    ctx = await phone375();
    page = await ctx.newPage();
    problems = watchProblems(page);
    // Not signed in: the QR URL goes to 登录 and comes back.
    await page.goto(`${server.url}${camp.json.joinPath as string}`);
    await submitH5Login(page, person.phone);

    // 1: the campaign's town union; it takes no members itself, so the unions under it are listed to pick from.
    await expect.poll(() => page.getByTestId('join-campaign-union').textContent(), { timeout: 10_000 }).toBe('溱东镇总工会');
    await page.getByTestId('join-pick-under').waitFor();
    await expect.poll(() => page.getByTestId('join-union-result').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    unionName = (await page.getByTestId('join-union-result').first().locator('.join__result-name').textContent())!.trim();
    await page.getByTestId('join-union-result').first().click();
    await expect.poll(() => page.getByTestId('join-union-chosen').textContent()).toContain(unionName);
    await noOverflow(page);
    await page.screenshot({ path: screenshotPath('h5-join-1-union'), fullPage: true });
    await page.getByTestId('join-next').click();

    // 2: the form. The phone is the login phone, read-only; birth date and sex come from the ID.
    await page.getByTestId('join-step-form').waitFor();
    expect(await page.locator('input[data-testid="join-phone"]').inputValue()).toBe(person.phone);
    expect(await page.locator('input[data-testid="join-phone"]').getAttribute('readonly')).not.toBeNull();
    expect(await page.locator('select[data-testid="join-employment-form"]').inputValue()).toBe('courier');
    await page.locator('input[data-testid="join-name"]').fill(person.name);
    // A wrong check character is caught before anything is sent.
    await page.locator('input[data-testid="join-id-number"]').fill(person.idNumber.slice(0, 17) + (person.idNumber.endsWith('1') ? '2' : '1'));
    await page.getByTestId('join-next-form').click();
    await expect.poll(() => page.getByTestId('join-step-form').innerText()).toContain('校验位不正确');
    await page.locator('input[data-testid="join-id-number"]').fill(person.idNumber);
    await expect.poll(() => page.getByTestId('join-id-derived').textContent()).toContain('1990-01-01');
    await page.locator('input[data-testid="join-employer"]').fill('东台某快递服务站');
    await page.locator('select[data-testid="join-education"]').selectOption('高中/中专/技校');
    await page.getByTestId('join-migrant').click();
    await page.waitForTimeout(400); // the switch's transition
    await noOverflow(page);
    await page.screenshot({ path: screenshotPath('h5-join-2-form'), fullPage: true });
    await page.getByTestId('join-next-form').click();

    // 3: the separate consent.
    await expect.poll(() => page.getByTestId('join-consent-text').textContent()).toContain('敏感个人信息');
    expect(await page.getByTestId('join-submit').isDisabled()).toBe(true);
    await page.getByTestId('join-consent-check').click();
    await expect.poll(() => page.getByTestId('join-submit').isDisabled()).toBe(false);
    await page.waitForTimeout(400); // the checkbox's transition
    await noOverflow(page);
    await page.screenshot({ path: screenshotPath('h5-join-3-consent'), fullPage: true });
    await page.getByTestId('join-submit').click();

    // The status page: 已提交，等待工会审核 — the same answer whoever the ID number belongs to.
    await expect.poll(() => page.getByTestId('join-status-label').first().textContent(), { timeout: 10_000 }).toContain('待审核');
    expect(await page.getByTestId('join-submitted').textContent()).toContain('已提交，等待工会审核');
    expect(await page.getByTestId('join-status-item').first().innerText()).toContain(unionName);
    await noOverflow(page);
    await page.screenshot({ path: screenshotPath('h5-join-status'), fullPage: true });
    keepShot('h5-join-status');
    // Not a member yet: 会员卡 says the application is being handled, and where (one state for every page).
    await page.goto(`${server.url}/h5/#/`);
    await page.getByTestId('entry-card').click();
    await page.getByTestId('card-empty').waitFor();
    expect(await page.getByTestId('card-pending').textContent()).toContain(`等待${unionName}审核`);
    expect(await page.getByTestId('card-join-progress').isVisible()).toBe(true);

    const pending = (await county.get('/api/join-applications?status=pending&pageSize=100')).json.items as { id: string; name: string; channel: string }[];
    const mine = pending.find((a) => a.name === person.name)!;
    expect(mine.channel).toBe('qr');
    applicationId = mine.id;
  });

  it('the union approves; the card shows the member number and its QR checks as 有效', async () => {
    const county = await staff('county_admin');
    const d = (await county.get(`/api/join-applications/${applicationId}`)).json;
    const ok = await county.post(`/api/join-applications/${applicationId}/review`, { action: 'approve', version: d.version });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);

    await page.goto(`${server.url}/h5/#/`);
    await page.getByTestId('entry-card').click();
    await expect.poll(() => page.getByTestId('card-member-no').textContent(), { timeout: 10_000 }).toMatch(/^320981\d{9}$/);
    expect(await page.getByTestId('card-name').textContent()).toBe(person.name);
    expect(await page.getByTestId('card-org').textContent()).toBe(unionName);
    expect(await page.getByTestId('card-qr-hint').textContent()).toBe('二维码 5 分钟内有效，自动刷新');
    await page.getByTestId('card-qr').waitFor();
    await noOverflow(page);
    await page.screenshot({ path: screenshotPath('h5-card'), fullPage: true });
    verifyPath = (await page.getByTestId('card-qr').getAttribute('data-verify-path'))!;
    expect(verifyPath).toMatch(/^\/h5\/#\/verify\?t=[A-Za-z0-9_-]+$/);

    // 消息 has the approval; 我的 says 已入会.
    await page.goto(`${server.url}/h5/#/`);
    await page.getByTestId('tab-message').click();
    await expect.poll(() => page.getByTestId('message-item').first().innerText()).toContain('入会申请已通过');
    await noOverflow(page);
    await page.screenshot({ path: screenshotPath('h5-messages'), fullPage: true });
    await page.getByTestId('tab-mine').click();
    await expect.poll(() => page.getByTestId('member-status').textContent()).toContain('在会');

    // A member at 入会 sees the membership; the wizard opens only for an explicit 转会. Without a
    // campaign, its first screen searches; the hint points to the 新工联.
    await page.goto(`${server.url}/h5/#/join`);
    await page.getByTestId('join-membership').waitFor();
    await page.getByTestId('join-transfer').click();
    await page.getByTestId('join-transfer-banner').waitFor();
    await expect.poll(() => page.getByTestId('join-step-union').innerText()).toContain('新工联');
    await page.locator('[data-testid="join-union-search"]').fill('新就业形态');
    await expect.poll(() => page.getByTestId('join-union-result').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByTestId('join-union-result').first().click();
    await noOverflow(page);
    await page.screenshot({ path: screenshotPath('h5-join-search'), fullPage: true });
    expect(problems).toEqual([]);

    // A station scans the QR: no login, a phone of its own.
    const station = await phone375();
    const check = await station.newPage();
    const checkProblems = watchProblems(check);
    await check.goto(`${server.url}${verifyPath}`);
    await expect.poll(() => check.getByTestId('verify-verdict').textContent(), { timeout: 10_000 }).toBe('有效');
    const name = (await check.getByTestId('verify-name').textContent())!;
    expect(name).toBe(`${person.name[0]}${'*'.repeat(person.name.length - 1)}`);
    const text = await check.locator('body').innerText();
    expect(text).toContain(unionName);
    expect(text).not.toContain(person.name);
    expect(text).not.toContain(person.phone.slice(-4));
    await noOverflow(check);
    await check.screenshot({ path: screenshotPath('h5-verify'), fullPage: true });
    // A tampered code says 无效.
    await check.goto(`${server.url}${verifyPath.slice(0, -3)}xyz`);
    await check.reload();
    await expect.poll(() => check.getByTestId('verify-verdict').textContent(), { timeout: 10_000 }).toBe('无效');
    expect(checkProblems).toEqual([]);
    await station.close();
  });

  it('射阳县’s staff cannot see the application', async () => {
    const sheyang = await staff('sheyang_admin');
    const r = await sheyang.get(`/api/join-applications/${applicationId}`);
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('NOT_FOUND');
  });

  it('someone types the member’s ID with another name: the reviewer sees it beside the roll (1440 px); the member’s card keeps working', async () => {
    // The other worker, through the API: their own phone, the member's ID, another name.
    const impostorPhone = '13700008801';
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const { demoCode } = (await (await post('/api/worker/sms-code', { phone: impostorPhone })).json()) as { demoCode: string };
    const login = await post('/api/worker/login', { phone: impostorPhone, code: demoCode });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const county = await staff('county_admin');
    const consent = (await (await fetch(`${server.url}/api/worker/join/consent`, { headers: { cookie } })).json()) as { version: string };
    const d0 = (await county.get(`/api/join-applications/${applicationId}`)).json as { targetOrg: { id: string } };
    const submitted = await post(
      '/api/worker/join',
      {
        person: { idType: 'resident_id', idNumber: person.idNumber, name: '冒名顶替', phone: impostorPhone },
        employment: { employmentForm: 'courier' },
        targetOrgId: d0.targetOrg.id,
        consent: { agreed: true, version: consent.version },
        idempotencyKey: 'e2e-impostor-8801',
      },
      { cookie, 'x-csrf-token': csrfToken },
    );
    const answer = (await submitted.json()) as { id: string; message: string };
    expect(submitted.status).toBe(200);
    expect(answer.message).toBe('已提交，等待工会审核');

    // The member's card still answers with the member.
    await page.goto(`${server.url}/h5/#/`);
    await page.getByTestId('entry-card').click();
    await expect.poll(() => page.getByTestId('card-name').textContent(), { timeout: 10_000 }).toBe(person.name);

    // The reviewer at 1440 px: 入会审核 → the application → 通过 opens the dialog with the roll beside it.
    const admin = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const adminProblems = watchProblems(admin);
    await admin.goto(`${server.url}/admin/`);
    await admin.locator('[data-testid="login-username"] input, input[data-testid="login-username"]').first().fill('county_admin');
    await admin.locator('[data-testid="login-password"] input, input[data-testid="login-password"]').first().fill('Gonghui@2026');
    await admin.getByTestId('login-submit').click();
    await admin.getByTestId('header-user').waitFor();
    await admin.goto(`${server.url}/admin/#/join-applications`);
    const row = admin.locator('[data-testid="join-table"] .el-table__row', { hasText: '冒名顶替' });
    await row.waitFor({ timeout: 10_000 });
    await row.getByTestId('join-row-name-differs').waitFor({ timeout: 10_000 });
    await admin.waitForTimeout(400); // the tags' transition
    await admin.screenshot({ path: screenshotPath('admin-join-list') });
    keepShot('admin-join-list');
    await row.click();
    await admin.getByTestId('join-compare').waitFor();
    expect(await admin.getByTestId('join-roll-status').innerText()).toContain('已是本会会员');
    await admin.getByTestId('join-approve').click();
    const dialog = admin.getByTestId('join-approve-dialog');
    await dialog.getByTestId('join-name-differs').waitFor();
    expect(await dialog.getByTestId('join-compare-name').innerText()).toContain(person.name);
    expect(await dialog.getByTestId('join-phone-changed').isVisible()).toBe(true);
    await dialog.getByTestId('join-accept-name').click();
    await dialog.getByTestId('join-accept-name-warning').waitFor();
    await admin.waitForTimeout(400); // the dialog's transition
    await admin.screenshot({ path: screenshotPath('admin-join-review-dialog') });
    keepShot('admin-join-review-dialog');
    // The reviewer does not accept it after all: approve without taking anything from the application.
    await dialog.getByTestId('join-accept-name').click();
    await dialog.getByTestId('join-approve-confirm').click();
    await admin.getByTestId('join-accepted').waitFor({ timeout: 10_000 });
    expect(adminProblems).toEqual([]);
    await admin.close();

    const after = (await county.get(`/api/join-applications/${answer.id}`)).json as { status: string; roll: { name: string }; accepted: { linked: boolean } };
    expect(after).toMatchObject({ status: 'approved', roll: { name: person.name }, accepted: { linked: false } });
    await page.reload();
    await expect.poll(() => page.getByTestId('card-name').textContent(), { timeout: 10_000 }).toBe(person.name);
    await ctx.close();
  });
});

describe('per-org join QR code', () => {
  it('staff open the org’s 入会二维码 dialog; a worker scanning it finds the union preselected', async () => {
    const county = await staff('county_admin');
    const union = (await county.get(`/api/orgs/search?q=${encodeURIComponent('东台市总工会')}`)).json.items[0] as { id: string; name: string };
    expect(union.name).toBe('东台市总工会');

    // The admin dialog at 1440 px.
    const admin = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const adminProblems = watchProblems(admin);
    await admin.goto(`${server.url}/admin/`);
    await admin.locator('[data-testid="login-username"] input, input[data-testid="login-username"]').first().fill('county_admin');
    await admin.locator('[data-testid="login-password"] input, input[data-testid="login-password"]').first().fill('Gonghui@2026');
    await admin.getByTestId('login-submit').click();
    await admin.getByTestId('header-user').waitFor();
    await admin.goto(`${server.url}/admin/#/orgs?id=${union.id}`);
    await expect.poll(() => admin.getByTestId('org-detail-name').textContent(), { timeout: 10_000 }).toBe('东台市总工会');
    await admin.getByTestId('org-join-qr-open').click();
    await admin.getByTestId('org-join-qr').waitFor();
    const link = admin.locator('[data-testid="org-join-link"] input, input[data-testid="org-join-link"]').first();
    expect(await link.inputValue()).toBe(`${server.url}/h5/#/join?org=${union.id}`);
    await admin.waitForTimeout(400); // the dialog's transition
    await admin.screenshot({ path: screenshotPath('admin-org-join-qr') });
    expect(adminProblems).toEqual([]);
    await admin.close();

    // The worker at 375 px.
    const worker = await phone375();
    const page = await worker.newPage();
    const problems = watchProblems(page);
    await page.goto(`${server.url}/h5/#/join?org=${union.id}`);
    await submitH5Login(page, fakePerson(8802).phone);
    await expect.poll(() => page.getByTestId('join-preset-union-name').textContent(), { timeout: 10_000 }).toBe('东台市总工会');
    // A county union takes no members itself: the worker picks a union under it.
    await page.getByTestId('join-pick-under').waitFor();
    await expect.poll(() => page.getByTestId('join-union-result').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByTestId('join-union-result').first().click();
    await expect.poll(() => page.getByTestId('join-next').isDisabled()).toBe(false);
    await page.waitForTimeout(400); // the button's transition
    await noOverflow(page);
    await page.screenshot({ path: screenshotPath('h5-join-org-qr'), fullPage: true });
    await page.getByTestId('join-next').click();
    await page.getByTestId('join-step-form').waitFor();
    expect(problems).toEqual([]);
    await worker.close();
  });
});
