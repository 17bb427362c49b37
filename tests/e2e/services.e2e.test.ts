// 困难帮扶 end to end at 375 px: a worker (made a member through the real join flow) applies on the
// H5 through the form generated from the service's definition, with a photo; the grassroots union
// returns it for a missing document; the worker adds it and resubmits; grassroots, county and city
// approve; the aid is paid from the county's 生活救助 budget; the worker sees 办结 and the message.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

/** A staff session used through the API, as the admin console would. */
async function staff(username: string) {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Gonghui@2026' }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken, account } = (await res.json()) as { csrfToken: string; account: { org: { id: string; name: string } } };
  return { call: caller(cookie, csrfToken), org: account.org };
}

/** The worker's own session (the H5's cookie), for the setup steps a worker does through the API. */
async function workerApi(ctx: BrowserContext): Promise<Call> {
  const cookie = (await ctx.cookies(server.url)).map((c) => `${c.name}=${c.value}`).join('; ');
  const me = await fetch(`${server.url}/api/worker/me`, { headers: { cookie } });
  expect(me.status).toBe(200);
  return caller(cookie, ((await me.json()) as { csrfToken: string }).csrfToken);
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
mkdirSync(SHOTS, { recursive: true });
/** Full-page screenshot to /tmp/shots/<name>.png (looked at by people) and ./screenshots. */
async function shot(page: Page, name: string) {
  // From the top: a full-page capture of a scrolled page draws the fixed bar mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400); // transitions, smooth scrolling
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}

const noOverflow = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
const phone375 = () =>
  browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
const cstYear = () => new Date(Date.now() + 8 * 3600_000).getUTCFullYear();

// An executable renamed to a photo, and a small real PDF.
const EXE_AS_JPG = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(2048, 0x41)]);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

describe('H5 困难帮扶: apply → return → answer → three approvals → aid paid → 办结', () => {
  const person = fakePerson(8841);
  let ctx: BrowserContext;
  let page: Page;
  let problems: string[];
  let grassroots: Awaited<ReturnType<typeof staff>>;
  let county: Awaited<ReturnType<typeof staff>>;
  let city: Awaited<ReturnType<typeof staff>>;
  let applicationId: string;
  let budget: { id: string; spent: string };

  // A failing step leaves a picture of the phone and where it was.
  afterEach(async (t) => {
    if (t.task.result?.state !== 'fail' || !page || page.isClosed()) return;
    console.log(`[services e2e] failed at ${page.url()}\n${server.output().slice(-3000)}`);
    await page.screenshot({ path: screenshotPath('h5-services-failure'), fullPage: true }).catch(() => undefined);
  });

  it('a worker signs in; members-only services are explained to a non-member; joining makes a member', async () => {
    grassroots = await staff('grassroots_admin');
    county = await staff('county_admin');
    city = await staff('city_admin');

    ctx = await phone375();
    page = await ctx.newPage();
    problems = watchProblems(page);
    // 首页 → 服务 needs a login first, then comes back.
    await page.goto(`${server.url}/h5/#/services`);
    await submitH5Login(page, person.phone);

    // Not a member: 困难帮扶 says why and links to 入会; 法律援助 (any worker) can be applied for.
    await expect.poll(() => page.getByTestId('service-hardship_aid').innerText(), { timeout: 10_000 }).toContain('该服务仅限工会会员申请');
    expect(await page.getByTestId('service-hardship_aid').getByTestId('service-go-join').isVisible()).toBe(true);
    expect(await page.getByTestId('service-legal_aid').getByTestId('service-apply').isVisible()).toBe(true);
    await page.getByTestId('services-join-banner').waitFor();
    await noOverflow(page);
    await shot(page, 'h5-services-nonmember');
    // Opening it anyway explains, with 申请入会.
    await page.getByTestId('service-hardship_aid').locator('button').first().click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('#/services/hardship_aid/apply');
    await page.getByTestId('apply-blocked').waitFor();
    expect(await page.getByTestId('apply-blocked').innerText()).toContain('该服务仅限工会会员申请');
    expect(await page.getByTestId('apply-go-join').isVisible()).toBe(true);
    // 法律援助 is open to every worker: a non-member says who they are and picks the union to apply to.
    await page.goto(`${server.url}/h5/#/services/legal_aid/apply`);
    await page.getByTestId('apply-union-search').waitFor();
    await page.getByTestId('apply-union-search').fill(grassroots.org.name.replace(/工会委员会$/, ''));
    await expect.poll(() => page.locator('.apply__union').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.locator('.apply__union').first().click();
    await page.getByTestId('apply-applicant-name').fill(person.name);
    await noOverflow(page);
    await shot(page, 'h5-apply-nonmember');

    // Join the grassroots union (the H5 join API with the worker's own session), approved by its staff.
    const w = await workerApi(ctx);
    const consent = (await w('GET', '/api/worker/join/consent')).json as { version: string };
    const joined = await w('POST', '/api/worker/join', {
      person: { idType: 'resident_id', idNumber: person.idNumber, name: person.name, phone: person.phone },
      employment: { employmentForm: 'standard', employerName: '东台某纺织有限公司' },
      targetOrgId: grassroots.org.id,
      consent: { agreed: true, version: consent.version },
      idempotencyKey: 'e2e-services-join-8841',
    });
    expect(joined.status, JSON.stringify(joined.json)).toBe(200);
    const d = (await grassroots.call('GET', `/api/join-applications/${joined.json.id}`)).json;
    const ok = await grassroots.call('POST', `/api/join-applications/${joined.json.id}/review`, { action: 'approve', version: d.version });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);

    // The budget that pays: 东台市总工会, this year, 生活救助 (the demo's, or one made here).
    const dongtai = county.org;
    const year = cstYear();
    const found = await county.call('GET', `/api/aid/budgets?year=${year}&fundCode=living&orgId=${dongtai.id}&pageSize=50`);
    expect(found.status, JSON.stringify(found.json)).toBe(200);
    let b = (found.json.items as { id: string; org: { id: string }; spent: string }[]).find((x) => x.org.id === dongtai.id);
    if (!b) {
      const made = await city.call('POST', '/api/aid/budgets', { orgId: dongtai.id, year, fundCode: 'living', amount: '50000.00', reason: '端到端测试预算' });
      expect(made.status, JSON.stringify(made.json)).toBe(200);
      b = made.json;
    }
    budget = { id: b!.id, spent: b!.spent };
  }, 120_000);

  it('the member fills the generated form: validation, a refused fake photo, a real one, confirmation, submit', async () => {
    await page.goto(`${server.url}/h5/#/`);
    await page.reload();
    await page.getByTestId('entry-service').click();
    await expect.poll(() => page.getByTestId('service-hardship_aid').innerText(), { timeout: 10_000 }).toContain('申请');
    expect(await page.getByTestId('service-hardship_aid').innerText()).not.toContain('仅限工会会员申请');
    await noOverflow(page);
    await shot(page, 'h5-services');
    await page.getByTestId('service-hardship_aid').locator('button').first().click();

    // The form comes from the definition: a select, an amount, a textarea, two document slots.
    await page.getByTestId('apply-step-form').waitFor();
    expect(await page.getByTestId('apply-org').innerText()).toContain(grassroots.org.name);
    expect(await page.locator('select[data-testid="input-category"] option').allTextContents()).toEqual(['请选择', '生活救助', '医疗救助', '助学救助']);
    // Nothing filled: every required field says so, nothing is sent.
    await page.getByTestId('apply-next').click();
    const form = page.getByTestId('apply-step-form');
    await expect.poll(() => form.innerText()).toContain('请选择救助类别');
    expect(await form.innerText()).toContain('请填写申请金额');
    expect(await form.innerText()).toContain('请上传困难证明');

    await page.locator('select[data-testid="input-category"]').selectOption('生活救助');
    await page.locator('input[data-testid="input-amount"]').fill('30000');
    await page.locator('textarea[data-testid="input-reason"]').fill('本人患慢性病长期治疗，配偶无固定收入，孩子上学，家庭生活困难。');
    // A program renamed .jpg is refused by its content, in Chinese; nothing is uploaded.
    await page.locator('input[data-testid="upload-input-proof"]').setInputFiles({ name: '困难证明.jpg', mimeType: 'image/jpeg', buffer: EXE_AS_JPG });
    await expect.poll(() => page.getByTestId('upload-proof').getByTestId('upload-error').textContent()).toContain('按文件内容识别');
    expect(await page.getByTestId('upload-proof').getByTestId('upload-file').count()).toBe(0);
    // The server refuses it by its content too, whatever the browser says it is.
    const cookie = (await ctx.cookies(server.url)).map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = ((await (await fetch(`${server.url}/api/worker/me`, { headers: { cookie } })).json()) as { csrfToken: string }).csrfToken;
    const raw = await fetch(`${server.url}/api/worker/attachments?name=${encodeURIComponent('困难证明.jpg')}`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'image/jpeg' },
      body: EXE_AS_JPG,
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { message: string } }).error.message).toContain('仅支持 JPG、PNG 图片或 PDF 文件');
    await noOverflow(page);
    await shot(page, 'h5-apply-errors');
    // A real photo (a JPEG): uploaded, its size shown.
    const photo = await page.screenshot({ type: 'jpeg', quality: 60 });
    await page.locator('input[data-testid="upload-input-proof"]').setInputFiles({ name: '低保证明.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect.poll(() => page.getByTestId('upload-proof').getByTestId('upload-file').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('upload-proof').innerText()).toMatch(/低保证明\.jpg[\s\S]*\d+ KB/);
    // Over the service's 20,000 元 limit: caught at the field.
    await page.getByTestId('apply-next').click();
    await expect.poll(() => form.innerText()).toContain('申请金额不能大于 20000 元');
    await page.locator('input[data-testid="input-amount"]').fill('3000');
    await noOverflow(page);
    await shot(page, 'h5-apply-form');

    await page.getByTestId('apply-next').click();
    await page.getByTestId('apply-step-confirm').waitFor();
    expect(await page.getByTestId('confirm-amount').textContent()).toBe('3,000.00 元');
    expect(await page.getByTestId('apply-step-confirm').innerText()).toContain('低保证明.jpg');
    await noOverflow(page);
    await shot(page, 'h5-apply-confirm');
    await page.getByTestId('apply-submit').click();

    await expect.poll(() => page.getByTestId('application-status').textContent(), { timeout: 10_000 }).toBe('办理中');
    applicationId = /#\/applications\/(\d+)/.exec(page.url())![1]!;
    expect(await page.getByTestId('application-current').innerText()).toContain('基层工会初审');
    expect(await page.getByTestId('application-withdraw').isVisible()).toBe(true);
    await noOverflow(page);
    await shot(page, 'h5-application-submitted');
  }, 120_000);

  it('the grassroots union returns it for a missing document (admin console); the worker sees what to fix', async () => {
    const queue = (await grassroots.call('GET', '/api/applications/queue?pageSize=100')).json.items as { id: string; no: string }[];
    const row = queue.find((x) => x.id === applicationId);
    expect(row, 'in the grassroots work queue').toBeTruthy();

    // 待我处理 → the application → 退回补正 with what to fix.
    const desk = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const admin = await desk.newPage();
    const adminProblems = watchProblems(admin);
    await admin.goto(`${server.url}/admin/`);
    await admin.locator('input[data-testid="login-username"], [data-testid="login-username"] input').first().fill('grassroots_admin');
    await admin.locator('input[data-testid="login-password"], [data-testid="login-password"] input').first().fill('Gonghui@2026');
    await admin.getByTestId('login-submit').click();
    await admin.getByTestId('header-user').waitFor();
    await admin.goto(`${server.url}/admin/#/work-queue`);
    await expect.poll(() => admin.getByTestId('queue-sla').first().textContent(), { timeout: 10_000 }).toMatch(/工作日|到期|超期/);
    await shot(admin, 'admin-e2e-work-queue');
    await admin.getByTestId('queue-table').getByText(row!.no).click();
    await expect.poll(() => admin.getByTestId('application-sla').textContent(), { timeout: 10_000 }).toMatch(/工作日|到期|超期/);
    await shot(admin, 'admin-e2e-application');
    await admin.getByTestId('application-action-return').click();
    await admin
      .locator('textarea[data-testid="application-comment"], [data-testid="application-comment"] textarea')
      .first()
      .fill('缺少医院诊断证明，请补充上传后重新提交。');
    await admin.getByTestId('application-action-submit').click();
    await expect.poll(() => admin.getByTestId('application-status').textContent(), { timeout: 10_000 }).toContain('待补正');
    expect(adminProblems).toEqual([]);
    await desk.close();

    await page.reload();
    await expect.poll(() => page.getByTestId('application-status').textContent(), { timeout: 10_000 }).toBe('待补正');
    expect(await page.getByTestId('return-reason').textContent()).toContain('缺少医院诊断证明');
    expect(await page.getByTestId('application-withdraw').count()).toBe(0);
    expect(await page.getByTestId('timeline-item').first().innerText()).toContain('退回补正');
    await noOverflow(page);
    await shot(page, 'h5-application-returned');
    // 服务 reminds of it and leads back to it.
    await page.goto(`${server.url}/h5/#/services`);
    await expect.poll(() => page.getByTestId('services-returned').textContent(), { timeout: 10_000 }).toContain('需要补正（困难帮扶）');
    await page.getByTestId('services-returned').click();
    await expect.poll(() => page.getByTestId('application-status').textContent(), { timeout: 10_000 }).toBe('待补正');
  }, 120_000);

  it('the worker answers the return: adds the document, says what changed, resubmits', async () => {
    await page.getByTestId('answer-return').click();
    await page.getByTestId('answer-panel').waitFor();
    // What was sent is filled in; the answer needs a comment.
    expect(await page.locator('input[data-testid="input-amount"]').inputValue()).toBe('3000.00');
    expect(await page.getByTestId('upload-proof').getByTestId('upload-file').count()).toBe(1);
    await page.getByTestId('answer-submit').click();
    await expect.poll(() => page.getByTestId('answer-panel').innerText()).toContain('请说明补正了哪些内容');

    await page.locator('input[data-testid="upload-input-other"]').setInputFiles({ name: '医院诊断证明.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect.poll(() => page.getByTestId('upload-other').getByTestId('upload-file').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('upload-other').innerText()).toContain('新增');
    await page.getByTestId('answer-comment').fill('已补充医院诊断证明。');
    await noOverflow(page);
    await shot(page, 'h5-application-answer');
    await page.getByTestId('answer-submit').click();

    await expect.poll(() => page.getByTestId('application-status').textContent(), { timeout: 10_000 }).toBe('办理中');
    await page.locator('.van-toast').waitFor({ state: 'hidden' });
    expect(await page.getByTestId('timeline-item').first().innerText()).toContain('补正后重新提交');
    expect(await page.getByTestId('timeline-item').first().innerText()).toContain('已补充医院诊断证明');
    expect(await page.getByTestId('application-attachment').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('医院诊断证明.pdf')]));
    // It continues at the step that returned it.
    expect(await page.getByTestId('application-current').innerText()).toContain('基层工会初审');
    await noOverflow(page);
    await shot(page, 'h5-application-answered');
  }, 120_000);

  it('grassroots, county and city approve; the aid is paid from the county budget; the worker sees 办结 and the message', async () => {
    for (const [who, comment] of [
      [grassroots, '情况属实，同意上报。'],
      [county, '经审核，符合生活救助条件。'],
      [city, '同意救助。'],
    ] as const) {
      const d = (await who.call('GET', `/api/applications/${applicationId}`)).json;
      expect(d.allowedActions, JSON.stringify(d)).toContain('approve');
      const res = await who.call('POST', `/api/applications/${applicationId}/actions`, {
        action: 'approve',
        version: d.version,
        comment,
        ...(d.needsAmount && { amount: '3000.00' }),
      });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
    }
    const done = (await city.call('GET', `/api/applications/${applicationId}`)).json;
    expect(done.status).toBe('approved');
    expect(done.grantedAmount).toBe('3000.00');

    // The aid is a movement on the county's 生活救助 budget.
    const after = (await county.call('GET', `/api/aid/budgets/${budget.id}`)).json;
    expect(Number(after.spent) * 100 - Number(budget.spent) * 100).toBe(300000);
    const paid = (await county.call('GET', `/api/aid/disbursements?budgetId=${budget.id}&pageSize=100`)).json.items as { amount: string }[];
    expect(paid.some((x) => x.amount === '3000.00')).toBe(true);

    await page.reload();
    await expect.poll(() => page.getByTestId('application-status').textContent(), { timeout: 10_000 }).toBe('已办结');
    expect(await page.getByTestId('granted-amount').textContent()).toBe('3,000.00 元');
    expect(await page.getByTestId('timeline-item').first().innerText()).toContain('办结');
    await noOverflow(page);
    await shot(page, 'h5-application-done');

    // 消息: the 办结 notice, unread, opens the application; 全部已读 clears the count.
    await page.goto(`${server.url}/h5/#/`);
    await page.getByTestId('tab-message').click();
    await expect.poll(() => page.getByTestId('message-item').first().innerText(), { timeout: 10_000 }).toContain('办结');
    expect(await page.getByTestId('message-item').first().getAttribute('data-read')).toBe('false');
    expect(Number(await page.getByTestId('messages-unread').textContent())).toBeGreaterThan(0);
    await noOverflow(page);
    await shot(page, 'h5-messages');
    await page.getByTestId('message-item').first().click();
    await expect.poll(() => page.getByTestId('application-status').textContent(), { timeout: 10_000 }).toBe('已办结');
    await page.goBack();
    await expect.poll(() => page.getByTestId('message-item').first().getAttribute('data-read')).toBe('true');
    if (await page.getByTestId('messages-read-all').count()) {
      await page.getByTestId('messages-read-all').click();
      await page.getByTestId('messages-unread').waitFor({ state: 'detached' });
    }

    // 我的 → 我的申请 lists it with its tag.
    await page.getByTestId('tab-mine').click();
    await page.getByTestId('mine-applications').click();
    await expect.poll(() => page.getByTestId('my-application-status').first().textContent(), { timeout: 10_000 }).toBe('已办结');
    await noOverflow(page);
    await shot(page, 'h5-my-applications');
    expect(problems).toEqual([]);
  }, 120_000);

  it('an application not yet reviewed can be withdrawn, after a confirmation', async () => {
    // 心理咨询: a date and two selects; open to every worker.
    await page.goto(`${server.url}/h5/#/services/counselling/apply`);
    await page.getByTestId('apply-step-form').waitFor();
    await page.locator('input[data-testid="input-preferredDate"]').fill(new Date(Date.now() + 8 * 3600_000 + 7 * 86400_000).toISOString().slice(0, 10));
    await page.locator('select[data-testid="input-preferredTime"]').selectOption('下午');
    await page.locator('select[data-testid="input-mode"]').selectOption('电话');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await noOverflow(page);
    await shot(page, 'h5-apply-counselling');
    await page.getByTestId('apply-next').click();
    await page.getByTestId('apply-submit').click();
    await expect.poll(() => page.getByTestId('application-status').textContent(), { timeout: 10_000 }).toBe('办理中');

    await page.getByTestId('application-withdraw').click();
    // Cancelling keeps it; confirming withdraws it.
    await page.locator('.van-dialog__cancel').click();
    await page.waitForTimeout(300);
    expect(await page.getByTestId('application-status').textContent()).toBe('办理中');
    await page.getByTestId('application-withdraw').click();
    await page.locator('.van-dialog__confirm').waitFor();
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(SHOTS, 'h5-application-withdraw-confirm.png') });
    await page.locator('.van-dialog__confirm').click();
    await expect.poll(() => page.getByTestId('application-status').textContent(), { timeout: 10_000 }).toBe('已撤回');
    expect(await page.getByTestId('application-withdraw').count()).toBe(0);
    expect(problems).toEqual([]);
    await ctx.close();
  });
});
