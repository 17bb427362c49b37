// The console's "today" is the server's, not the browser's (issue: a PC whose clock is years off must not
// default forms to the wrong year). The app runs on a manual clock in 2026; the browser's clock is set to
// 2031; the 劳模 (荣誉 授予年份), 创新工作室 (命名年份) and 要约行动 (年度, title) forms open on the server's year.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/src/platform/clock.js';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';

let env: InProcessApp;
let browser: Browser;
const clock = new ManualClock(new Date('2026-12-07T02:00:00Z'));
const BROWSER_TIME = new Date('2031-06-15T02:00:00Z');

beforeAll(async () => {
  env = await startInProcessApp(clock);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});

const field = (page: Page, testid: string) => page.locator(`[data-testid="${testid}"] input, input[data-testid="${testid}"]`).first();

async function signedIn(username: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  await ctx.clock.install({ time: BROWSER_TIME });
  const page = await ctx.newPage();
  await page.goto(`${env.url}/admin/#/login`);
  await field(page, 'login-username').fill(username);
  await field(page, 'login-password').fill('Gonghui@2026');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user').waitFor();
  return { ctx, page };
}

describe("the console's today with the browser's clock in 2031", () => {
  it('opens the 劳模, 工作室 and 要约行动 forms on the server year (2026), not the browser year', async () => {
    const { ctx, page } = await signedIn('county_admin');
    try {
      // The browser really is in 2031.
      expect(await page.evaluate(() => new Date().getFullYear())).toBe(2031);

      // 登记劳模工匠: the honour's 授予年份 defaults to last year on the server's clock.
      await page.goto(`${env.url}/admin/#/models`);
      await page.getByTestId('models-new').click();
      await page.getByTestId('model-form').waitFor();
      await expect.poll(() => field(page, 'model-year').inputValue()).toBe('2025');

      // 登记工作室: 命名年份 is the server's year.
      await page.goto(`${env.url}/admin/#/studios?tab=studios`);
      await page.getByTestId('studio-new').click();
      await expect.poll(() => field(page, 'studio-named-year').inputValue()).toBe('2026');
      await page.waitForTimeout(500); // the dialog's fade-in, for the screenshot
      await page.screenshot({ path: screenshotPath('server-day-studio-form-1366') });
      await page.keyboard.press('Escape');

      // 发起要约行动: next spring's campaign on the server's clock.
      await page.goto(`${env.url}/admin/#/contracts?tab=campaigns`);
      await page.getByTestId('campaign-new').click();
      await expect.poll(() => field(page, 'campaign-year').inputValue()).toBe('2027');
      expect(await field(page, 'campaign-title').inputValue()).toBe('2027 年春季集中要约行动');
      await page.waitForTimeout(500);
      await page.screenshot({ path: screenshotPath('server-day-campaign-form-1366') });
    } finally {
      await ctx.close();
    }
  });

  it('名单比对 opens its upload on one’s own union', async () => {
    const { ctx, page } = await signedIn('county_admin');
    try {
      await page.goto(`${env.url}/admin/#/match-lists`);
      await page.getByTestId('match-upload').click();
      await expect.poll(() => page.getByTestId('match-org').innerText()).toContain('东台市总工会');
      await page.waitForTimeout(500);
      await page.screenshot({ path: screenshotPath('match-upload-own-union-1366') });
    } finally {
      await ctx.close();
    }
  });
});

