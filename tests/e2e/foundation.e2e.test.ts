// The real server process (PGlite under a fresh data folder, demo data) driven through the
// system Chromium: the admin console and the worker H5 as people use them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { spawnServer, startServer, type ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  // A first start as a new user has it: the demo seeded by this server, not copied.
  server = await startServer({ fresh: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function adminLogin(page: Page, username: string) {
  await page.goto(`${server.url}/admin/`);
  await page.getByTestId('login-username').locator('input').or(page.locator('input[data-testid="login-username"]')).first().fill(username);
  await page.getByTestId('login-password').locator('input').or(page.locator('input[data-testid="login-password"]')).first().fill('Gonghui@2026');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user').waitFor();
}

/** Collects what the page reports as blocked or broken (CSP refusals, uncaught errors). */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

const input = (page: Page, testid: string) => page.locator(`input[data-testid="${testid}"], [data-testid="${testid}"] input`).first();

describe('admin console', () => {
  it('the city admin signs in and creates a grassroots union under a town', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems = watchProblems(page);
    const html = await page.request.get(`${server.url}/admin/`);
    expect(html.headers()['content-security-policy']).toContain("script-src 'self'");
    await adminLogin(page, 'city_admin');
    await page.getByTestId('menu-orgs').click();
    await page.getByTestId('org-tree').waitFor();
    await input(page, 'org-search').fill('溱东镇');
    await page.getByTestId('org-search-result').first().click();
    await expect.poll(() => page.getByTestId('org-detail-name').textContent()).toBe('溱东镇总工会');
    await page.getByTestId('org-add-child').click();
    await input(page, 'org-form-name').fill('东台端到端测试物流有限公司工会委员会');
    await page.getByTestId('org-form-type').click();
    await page.getByTestId('org-type-grassroots').click();
    await input(page, 'org-form-credit-code').fill('91350100M000100Y43');
    await page.screenshot({ path: screenshotPath('e2e-admin-org-create'), fullPage: true });
    await page.getByTestId('org-form-submit').click();
    await expect.poll(() => page.getByTestId('org-detail-name').textContent(), { timeout: 10_000 }).toBe('东台端到端测试物流有限公司工会委员会');
    await page.screenshot({ path: screenshotPath('e2e-admin-org-created'), fullPage: true });
    // It is really there, under 溱东镇总工会.
    const found = await page.evaluate(async () => (await fetch(`/api/orgs/search?q=${encodeURIComponent('东台端到端测试物流')}`)).json());
    expect(found.items).toHaveLength(1);
    expect(found.items[0].pathNames).toEqual(['盐城市总工会', '东台市总工会', '溱东镇总工会', '东台端到端测试物流有限公司工会委员会']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the 东台市 county admin cannot see 射阳县’s unions in the tree or by URL', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await adminLogin(page, 'county_admin');
    await page.getByTestId('menu-orgs').click();
    await page.getByTestId('org-tree').waitFor();
    await expect.poll(() => page.getByTestId('org-node').count()).toBeGreaterThan(0);
    const tree = await page.getByTestId('org-tree').innerText();
    expect(tree).toContain('东台市总工会');
    expect(tree).not.toContain('射阳');
    await input(page, 'org-search').fill('射阳');
    await page.waitForTimeout(800);
    expect(await page.getByTestId('org-search-result').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('e2e-admin-county-scope'), fullPage: true });
    // By URL: the API answers 404 as if it did not exist.
    const admin = await browser.newPage();
    await adminLogin(admin, 'city_admin');
    const id = await admin.evaluate(async () => (await (await fetch(`/api/orgs/search?q=${encodeURIComponent('射阳县总工会')}`)).json()).items[0].id as string);
    // The same deep link opens it for the city.
    await admin.goto(`${server.url}/admin/#/orgs?id=${id}`);
    await expect.poll(() => admin.getByTestId('org-detail-name').textContent()).toBe('射阳县总工会');
    await admin.close();
    // The console's own deep link to it shows nothing of it either.
    await page.goto(`${server.url}/admin/#/orgs?id=${id}`);
    await expect.poll(() => page.locator('.el-message').allInnerTexts()).toContainEqual(expect.stringContaining('不存在或无权访问'));
    expect(await page.locator('body').innerText()).not.toContain('射阳县总工会');
    await page.screenshot({ path: screenshotPath('e2e-admin-county-deeplink-404'), fullPage: true });
    const res = await page.goto(`${server.url}/api/orgs/${id}`);
    expect(res!.status()).toBe(404);
    expect(await res!.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    await page.close();
  });
});

describe('worker H5 at 375 px', () => {
  it('renders without horizontal overflow and a worker signs in with an SMS code', async () => {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    const problems = watchProblems(page);
    await page.goto(`${server.url}/h5/`);
    await page.locator('input[data-testid="phone-input"]').fill('13912345678');
    await page.getByTestId('send-code').click();
    const demo = await page.getByTestId('demo-code').textContent({ timeout: 10_000 });
    const code = /(\d{6})/.exec(demo ?? '')![1]!;
    // The code is readable at once: no toast lies over it (the line itself says it was sent).
    expect(demo).toContain('验证码已发送');
    expect(await page.locator('.van-toast:visible').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('e2e-h5-login'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.locator('input[data-testid="code-input"]').fill(code);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('entry-join').waitFor();
    for (const entry of ['join', 'card', 'service', 'activity', 'rights', 'station'])
      await expect(page.getByTestId(`entry-${entry}`).isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: screenshotPath('e2e-h5-home'), fullPage: true });
    await page.getByTestId('tab-mine').click();
    await expect.poll(() => page.getByTestId('mine-phone').textContent()).toContain('139****5678');
    expect(problems).toEqual([]);
    await ctx.close();
  });
});

describe('the server process', () => {
  it('a second start on the same data folder exits with a clear message', async () => {
    const second = spawnServer({ dataDir: server.dataDir });
    const code = await second.exited;
    expect(code).toBe(1);
    expect(second.output()).toContain('正被另一个进程');
    // The first one is unharmed.
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('SIGTERM checkpoints and closes; the next start is fast and keeps the data', async () => {
    const first = server.startMs;
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(existsSync(join(server.dataDir, 'gonghui.lock'))).toBe(false);
    server = await startServer({ dataDir: server.dataDir });
    expect(server.output()).not.toContain('首次启动');
    expect(server.startMs).toBeLessThan(first);
    const r = await fetch(`${server.url}/api/health`);
    expect((await r.json()).database).toEqual({ kind: 'pglite', reachable: true });
    // The union created above survived the restart.
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'city_admin', password: 'Gonghui@2026' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const found = await (await fetch(`${server.url}/api/orgs/search?q=${encodeURIComponent('东台端到端测试物流')}`, { headers: { cookie } })).json();
    expect(found.total).toBe(1);
  });
});
