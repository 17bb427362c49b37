// 通知公告 and 资讯 end to end in Chromium (issue 15 items 6–7): the city sends a notice with a 回执 to
// every town union from the compose dialog; the demo town union sees it in its bell, opens it and
// replies; the city sees the town's 回执 in the table. 东台's news published in the console appears on
// a 东台 worker's H5 home (demo member 13900000001) and not on a 射阳 worker's (13900000021).
import { execFileSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { h5Login } from '../support/h5-login.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

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

async function consoleLogin(username: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${server.url}/admin/#/login`);
  await page.locator('[data-testid="login-username"] input, input[data-testid="login-username"]').first().fill(username);
  await page.locator('[data-testid="login-password"] input, input[data-testid="login-password"]').first().fill('Gonghui@2026');
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/#\/$/);
  return page;
}

const input = (page: Page, testid: string) =>
  page
    .locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`)
    .first();
const TITLE = '关于报送镇街职工之家建设情况的通知（e2e）';

describe('notices down the tree and news to workers', () => {
  it('a city notice with 回执 reaches a town union, which replies, and the city sees it', async () => {
    const city = await consoleLogin('city_admin');
    await city.goto(`${server.url}/admin/#/notices`);
    await city.getByTestId('notice-compose-open').click();
    const dialog = city.getByTestId('notice-compose');
    await input(city, 'notice-title').fill(TITLE);
    await input(city, 'notice-body').fill('各镇街工会：请报送职工之家建设情况。');
    // 盐城市总工会 → its 镇街/园区工会 instead of the 县总.
    const levels = city.getByTestId('notice-levels-0');
    await levels.getByText('县(市、区)总工会').click();
    await levels.getByText('镇街/园区工会').click();
    await expect.poll(async () => (await city.getByTestId('notice-audience-count').textContent()) ?? '').toMatch(/共 \d{3} 个工会/);
    await dialog.getByTestId('notice-receipt').click();
    await input(city, 'notice-receipt-prompt').fill('请填写已建成职工之家数量');
    await input(city, 'notice-deadline').fill('2099-01-31 17:00:00');
    await input(city, 'notice-deadline').press('Enter');
    await dialog.getByTestId('notice-send').click();
    await city.locator('.el-message-box').getByRole('button', { name: '发送' }).click();
    await city.getByTestId('notice-detail-title').waitFor();
    expect(await city.getByTestId('notice-detail-title').textContent()).toBe(TITLE);
    const noticeUrl = city.url();

    // The demo town union: the bell, the list, the detail (read), the 回执.
    const town = await consoleLogin('town_admin');
    const me = (await (await town.request.get(`${server.url}/api/auth/me`)).json()) as { account: { org: { name: string } } };
    const townName = me.account.org.name;
    await town.locator('.el-badge').first().waitFor();
    await town.goto(`${server.url}/admin/#/notices`);
    await town.getByTestId('notice-table').getByText(TITLE).click();
    await town.getByTestId('notice-my-reply').waitFor();
    await input(town, 'notice-reply-text').fill('本镇已建成职工之家 9 家');
    await town.getByTestId('notice-reply-submit').click();
    await town.locator('.el-message-box').getByRole('button', { name: '提交' }).click();
    await town.getByTestId('notice-my-reply').getByText('本镇已建成职工之家 9 家').waitFor();

    // The city's table: the town replied.
    await city.goto(noticeUrl);
    await city.reload();
    await city.getByTestId('notice-figures').getByText('已回执').first().waitFor();
    await city.getByRole('tab', { name: '已回执' }).click();
    const row = city.getByTestId('notice-recipients').locator('.el-table__row', { hasText: townName });
    await row.waitFor();
    expect(await row.textContent()).toContain('本镇已建成职工之家 9 家');
    await city.waitForTimeout(600);
    await city.screenshot({ path: screenshotPath('notice-detail-receipts') });

    // 撤回: the city withdraws it with a reason (asked for, confirmed); the town sees why, not the content.
    await city.getByTestId('notice-withdraw').click();
    const box = city.locator('.el-message-box');
    await box.getByRole('button', { name: '撤回' }).click();
    await box.getByText('请填写撤回原因').waitFor();
    await box.locator('input').fill('统计口径调整，另行发文');
    await box.getByRole('button', { name: '撤回' }).click();
    await city.getByTestId('notice-withdrawn').waitFor();
    expect(await city.getByTestId('notice-withdraw').count()).toBe(0);
    await town.goto(noticeUrl);
    await town.reload();
    await town.getByTestId('notice-withdrawn').getByText('统计口径调整，另行发文').waitFor();
    expect(await town.getByText('各镇街工会：请报送职工之家建设情况。').count()).toBe(0);
    await town.waitForTimeout(600);
    await town.screenshot({ path: screenshotPath('notice-withdrawn-town') });
  });

  it('a county’s news reaches its workers’ H5 home and not another county’s', async () => {
    const county = await consoleLogin('county_admin');
    await county.goto(`${server.url}/admin/#/news`);
    await county.getByTestId('news-new').click();
    const title = '东台市总工会职工书屋开放（e2e）';
    await input(county, 'news-title').fill(title);
    await input(county, 'news-body').fill('<p>东台市职工书屋<strong>全天开放</strong>。</p><script>alert(1)</script>');
    await county.getByTestId('news-preview').click();
    await county.getByTestId('news-preview-box').getByText('全天开放').waitFor();
    expect(await county.getByTestId('news-preview-box').innerHTML()).not.toContain('<script');
    await county.getByTestId('news-save').click();
    await county.getByTestId('news-table').getByText(title).waitFor();

    const phone = () => browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true });
    const dongtai = await (await phone()).newPage();
    await h5Login(dongtai, server.url, '13900000001');
    const item = dongtai.getByTestId('home-news').getByText(title);
    await item.waitFor();
    await dongtai.screenshot({ path: screenshotPath('h5-home-news'), fullPage: true });
    await item.click();
    await dongtai.getByTestId('news-article-title').waitFor();
    expect(await dongtai.getByTestId('news-article').innerHTML()).toContain('<strong>全天开放</strong>');

    const sheyang = await (await phone()).newPage();
    await h5Login(sheyang, server.url, '13900000021');
    await sheyang.getByTestId('home-news').getByTestId('home-news-item').first().waitFor();
    expect(await sheyang.getByTestId('home-news').textContent()).not.toContain(title);
    expect(await sheyang.getByTestId('home-news').textContent()).toContain('射阳县举办货车司机职业技能竞赛');
  });
});
