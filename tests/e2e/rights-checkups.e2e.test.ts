// 法治体检 and 信息员 risk reports end to end in Chromium against the real server: the county union opens
// a check-up in the console (1440 px), records the findings and a rectification; the report .docx is
// generated and read back by unzipping; the demo worker — an informant in the demo — reports a risk with
// a photo on the H5 (375 px); the county grades it 重大 and the city's bell shows it at once, its message
// opening the report; 射阳's staff get 404 on all of it.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { docxText } from '../support/docx-text.js';

let server: ServerProcess;
let browser: Browser;
const SHOTS = '/tmp/shots';
mkdirSync(SHOTS, { recursive: true });
// A 1×1 PNG: the photo the informant attaches.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-web.mjs', '--if-needed'], { stdio: 'pipe' });
  server = await startServer({ timeoutMs: 300_000 });
  browser = await launchBrowser();
}, 330_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; json: any; raw: Buffer }>;
async function staffApi(username: string): Promise<Call> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Gonghui@2026' }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (method, path, body) => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const raw = Buffer.from(await r.arrayBuffer());
    const type = r.headers.get('content-type') ?? '';
    return { status: r.status, json: type.includes('json') ? JSON.parse(raw.toString('utf8')) : undefined, raw };
  };
}

async function console1440(username: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await page.goto(`${server.url}/admin/`);
  await page.locator('[data-testid="login-username"] input, input[data-testid="login-username"]').first().fill(username);
  await page.locator('[data-testid="login-password"] input, input[data-testid="login-password"]').first().fill('Gonghui@2026');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user').waitFor();
  return page;
}
const field = (scope: Page | ReturnType<Page['locator']>, testid: string) =>
  scope
    .locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`)
    .first();
async function shot(page: Page, name: string) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}
const inDays = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);

describe('维权: 法治体检 with its report; an informant’s 重大 risk reaches the city; 射阳 sees nothing', () => {
  const employer = `东台法治体检示范有限公司${Date.now() % 100000}`;
  const place = `东台某配送站（${Date.now() % 100000}）`;
  let staff: Page;
  let h5: Page;
  let city: Page;
  let checkupId: string;
  let riskId: string;

  afterEach(async (t) => {
    if (t.task.result?.state !== 'fail') return;
    console.log(`[rights-checkups e2e] failed\n${server.output().slice(-3000)}`);
    for (const [p, n] of [
      [staff, 'rights-checkups-console-failure'],
      [h5, 'rights-checkups-h5-failure'],
      [city, 'rights-checkups-city-failure'],
    ] as const)
      if (p && !p.isClosed()) await p.screenshot({ path: screenshotPath(n), fullPage: true }).catch(() => undefined);
  });

  it('the county opens a check-up, records findings and a rectification; the report .docx opens', async () => {
    const county = await staffApi('county_admin');
    const before = (await county('GET', '/api/rights/figures')).json;
    staff = await console1440('county_admin');
    await staff.goto(`${server.url}/admin/#/rights?tab=checkups`);
    await staff.getByTestId('checkup-new').click();
    const d = staff.getByTestId('checkup-dialog');
    await field(d, 'checkup-employer').fill(employer);
    await d.getByTestId('checkup-pool').click();
    await staff.locator('.el-select-dropdown__item:visible', { hasText: '陈立新' }).first().click();
    await d.locator('.el-dialog__title').click();
    await d.getByTestId('checkup-save').click();
    await staff.getByTestId('checkup-status').waitFor();
    checkupId = /checkups\/(\d+)/.exec(staff.url())![1]!;
    expect(await staff.getByTestId('checkup-status').innerText()).toContain('待录入体检结果');

    const rows = staff.getByTestId('checkup-findings').locator('.el-table__body tr');
    const n = await rows.count();
    expect(n).toBeGreaterThanOrEqual(7);
    for (let i = 0; i < n; i++) {
      const row = rows.nth(i);
      const wage = (await row.innerText()).includes('工资按时足额支付');
      await row.locator('.el-radio-button', { hasText: wage ? '存在问题' : '符合' }).click();
      if (wage) await row.locator('input').last().fill('二季度加班工资未足额支付');
    }
    await staff.locator('.el-radio-button', { hasText: '中风险' }).click();
    await field(staff, 'checkup-summary').fill('加班工资支付存在风险，须限期整改。');
    await staff.getByTestId('rect-add').click();
    const rect = staff.locator('.rect').first();
    await rect.locator('input[aria-label="整改事项"]').fill('补发二季度加班工资');
    await rect.locator('input[aria-label="整改责任人"]').fill('企业人力资源部 王经理');
    await rect.locator('input[aria-label="整改期限"]').fill(inDays(10));
    await rect.locator('input[aria-label="整改期限"]').press('Enter');
    await staff.getByTestId('findings-save').click();
    await expect.poll(() => staff.getByTestId('checkup-status').innerText()).toContain('整改中');
    await staff.getByTestId('rect-table').waitFor();
    const preview = await staff.getByTestId('checkup-preview').innerText();
    expect(preview).toContain(`${employer}法治体检报告`);
    expect(preview).toContain('二季度加班工资未足额支付');
    expect(preview).toContain('补发二季度加班工资');
    await shot(staff, 'rights-checkup-1440');

    const doc = await county('GET', `/api/rights/checkups/${checkupId}/report.docx`);
    expect(doc.status).toBe(200);
    const text = docxText(doc.raw);
    for (const s of [`${employer}法治体检报告`, '东台市总工会', '工资按时足额支付', '二季度加班工资未足额支付', '中风险', '企业人力资源部 王经理', '陈立新'])
      expect(text).toContain(s);
    const after = (await county('GET', '/api/rights/figures')).json;
    expect(after.checkups.total).toBe(before.checkups.total + 1);
    expect(after.checkups.openRectifications).toBe(before.checkups.openRectifications + 1);

    await staff.goto(`${server.url}/admin/#/rights?tab=checkups`);
    await staff.getByTestId('checkup-table').locator('tr', { hasText: employer }).waitFor();
    await shot(staff, 'rights-checkups-1440');
  });

  it('the demo worker, an informant, reports a risk with a photo on the H5 (375 px)', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    h5 = await ctx.newPage();
    await h5.goto(`${server.url}/h5/#/rights`);
    await h5.locator('input[data-testid="phone-input"]').fill('13900000001');
    await h5.getByTestId('send-code').click();
    const code = /(\d{6})/.exec((await h5.getByTestId('demo-code').textContent({ timeout: 10_000 })) ?? '')![1]!;
    await h5.locator('input[data-testid="code-input"]').fill(code);
    await h5.getByTestId('login-submit').click();
    await h5.getByTestId('rights-risk-entry').click();
    await h5.getByTestId('risk-submit').waitFor();
    await h5.getByTestId('risk-kind').click();
    await h5.locator('.van-picker-column__item', { hasText: '群体性事件苗头' }).click();
    await h5.locator('.van-picker__confirm').click();
    await field(h5, 'risk-place').fill(place);
    await field(h5, 'risk-people').fill('35');
    await field(h5, 'risk-description').fill('骑手在站点门口聚集，讨论明天集体停跑。');
    await h5.getByTestId('risk-photo-input').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG });
    await h5.locator('.risk__thumb img').waitFor();
    await shot(h5, 'rights-h5-risk-375');
    await h5.getByTestId('risk-submit').click();
    await h5.getByTestId('my-risk').filter({ hasText: place }).waitFor();
    expect(await h5.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    const county = await staffApi('county_admin');
    const list = (await county('GET', '/api/rights/risks?grade=none&pageSize=50')).json;
    const r = list.items.find((x: { place: string }) => x.place === place);
    expect(r).toMatchObject({ kindLabel: '群体性事件苗头', peopleAffected: 35, gradeLabel: '待研判' });
    riskId = r.id;
    const full = (await county('GET', `/api/rights/risks/${riskId}`)).json;
    expect(full.photos).toHaveLength(1);
    const photo = await county('GET', `/api/rights/risks/${riskId}/photos/${full.photos[0].id}`);
    expect(photo.raw.equals(PNG)).toBe(true);
  });

  it('the county grades it 重大 in the console; the city’s bell shows it and opens the report', async () => {
    const cityApi = await staffApi('city_admin');
    const unread = (await cityApi('GET', '/api/messages/unread-count')).json.unread;
    await staff.goto(`${server.url}/admin/#/rights/risks/${riskId}`);
    await staff.getByTestId('risk-grade-open').click();
    const dlg = staff.locator('.el-dialog:visible');
    await dlg.locator('.el-radio-button', { hasText: '重大' }).click();
    await dlg.locator('textarea').fill('人员聚集，有停跑苗头');
    await dlg.getByTestId('grade-save').click();
    await expect.poll(() => staff.getByTestId('risk-grade').innerText()).toContain('重大');
    await staff.getByText('已即时报告县级、市总工会').waitFor();
    await shot(staff, 'rights-risk-1440');

    expect((await cityApi('GET', '/api/messages/unread-count')).json.unread).toBe(unread + 1);
    city = await console1440('city_admin');
    await city.getByTestId('header-messages').click();
    const msg = city.getByTestId('message-item').filter({ hasText: '重大劳动关系风险' }).first();
    await msg.waitFor();
    expect(await msg.innerText()).toContain(place);
    await shot(city, 'rights-city-bell-1440');
    await msg.click();
    await city.waitForURL(new RegExp(`rights/risks/${riskId}`));
    await city.getByTestId('risk-grade').waitFor();
  });

  it('射阳’s staff get 404 on all of it', async () => {
    const sy = await staffApi('sheyang_admin');
    const county = await staffApi('county_admin');
    const photoId = (await county('GET', `/api/rights/risks/${riskId}`)).json.photos[0].id;
    for (const path of [
      `/api/rights/checkups/${checkupId}`,
      `/api/rights/checkups/${checkupId}/report.docx`,
      `/api/rights/risks/${riskId}`,
      `/api/rights/risks/${riskId}/photos/${photoId}`,
    ]) {
      const r = await sy('GET', path);
      expect(r.status, path).toBe(404);
    }
    expect((await sy('POST', `/api/rights/risks/${riskId}/grade`, { version: 1, grade: 'general' })).status).toBe(404);
    expect(JSON.stringify((await sy('GET', '/api/rights/checkups?pageSize=100')).json)).not.toContain(employer);
    expect(JSON.stringify((await sy('GET', '/api/rights/risks?pageSize=100')).json)).not.toContain(place);
  });
});
