// 阵地 end to end (issue 14): 东台 county staff register a 司机之家 with hours and facilities in the
// console, accept it and rate it; the demo worker on a 375-px phone with a mocked position next to it
// sees it first in 附近驿站 on the offline base map (no request leaves the server), opens it and checks
// in by its QR; the visit shows in the site's figures; 射阳 staff get 404 for it. Photos uploaded on the
// console's site page show (as lazy thumbnails) in the worker's 驿站详情; staff scanning the worker's
// member card at the site count a visit; the city union edits a type's 建设标准.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { JPEG_48x32, pngOf } from '../support/images.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
let browser: Browser;
const SITE = { name: '东台沿海司机之家（测试）', lng: 120.9, lat: 32.95 };
const HERE = { longitude: 120.9004, latitude: 32.9503 }; // ~50 m away
let stationId = '';
let checkinUrl = '';
let cardScan = '';

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-web.mjs', '--if-needed'], { stdio: 'pipe' });
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const SHOTS = '/tmp/shots';
async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/stations-${name}.png`, fullPage: true });
  await page.screenshot({ path: screenshotPath(`stations-${name}`), fullPage: true });
}

async function consoleLogin(page: Page, username: string) {
  await page.goto(`${server.url}/admin/#/login`);
  await page.locator('[data-testid="login-username"] input, input[data-testid="login-username"]').first().fill(username);
  await page.locator('[data-testid="login-password"] input, input[data-testid="login-password"]').first().fill('Gonghui@2026');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user').waitFor();
}

/** An Element Plus input by its test id (the id lands on the <input> or on its wrapper). */
const field = (page: Page, testid: string) => page.locator(`[data-testid="${testid}"] input, input[data-testid="${testid}"]`).first();

async function pick(page: Page, testid: string, option: string) {
  await page.getByTestId(testid).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

describe('阵地: register, accept, rate; a worker finds it nearby and checks in', () => {
  it('county staff create a 司机之家 with hours and facilities, accept it and rate it', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await consoleLogin(page, 'county_admin');
    await page.goto(`${server.url}/admin/#/stations`);
    await page.getByTestId('stations-table').waitFor();
    await page.getByTestId('stations-new').click();
    const dialog = page.getByTestId('station-dialog');
    await dialog.waitFor();
    await field(page, 'station-name').fill(SITE.name);
    await pick(page, 'station-type', '司机之家');
    await field(page, 'station-address').fill('东台市沿海经济区海堤路 1 号');
    await field(page, 'station-lng').fill(String(SITE.lng));
    await field(page, 'station-lat').fill(String(SITE.lat));
    // hours: every day 08:00–20:00 except Sunday (closed)
    await dialog.locator('.el-checkbox', { hasText: '周日' }).click();
    for (const f of ['饮水', '热饭', '充电', '卫生间', '休息座椅', '货车停车']) await dialog.locator('.el-checkbox', { hasText: f }).first().click();
    await page.getByTestId('station-save').click();
    await page.getByTestId('station-title').waitFor();
    expect(await page.getByTestId('station-title').textContent()).toBe(SITE.name);
    stationId = /stations\/(\d+)/.exec(page.url())![1]!;
    expect(await page.getByTestId('station-status').textContent()).toContain('筹建');
    expect(await page.getByTestId('station-details').textContent()).toMatch(/周一至周六 08:00–20:00.*周日 休息/);

    await page.getByTestId('station-accept').click();
    await field(page, 'accept-inspector').fill('东台市总工会验收组');
    await page.getByTestId('accept-submit').click();
    await page.getByTestId('station-rate').waitFor();
    expect(await page.getByTestId('station-status').textContent()).toContain('运营');

    await page.getByTestId('station-rate').click();
    for (const [code, score] of [
      ['place', 19],
      ['facility', 28],
      ['service', 27],
      ['management', 18],
    ] as const) {
      await field(page, `rate-score-${code}`).fill(String(score));
    }
    await field(page, 'rate-inspector').fill('东台市总工会评定组');
    expect(await page.getByTestId('rate-total').textContent()).toBe('92');
    await shot(page, 'console-rating');
    await page.getByTestId('rate-submit').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="station-stars"]')?.textContent === '★★★★★');
    expect(await page.getByTestId('station-inspections').textContent()).toContain('92');

    await page.getByTestId('station-qr').click();
    checkinUrl = (await page.getByTestId('station-qr-url').textContent())!.trim();
    expect(checkinUrl).toContain('/h5/#/stations/checkin?t=');
    await page.keyboard.press('Escape');

    // photos of the site: two chosen at once, shown as thumbnails; a file that is not a photo is refused
    await page.getByTestId('station-photo-file').setInputFiles([
      { name: '门头.png', mimeType: 'image/png', buffer: pngOf(640, 480, 3) },
      { name: '休息区.jpg', mimeType: 'image/jpeg', buffer: JPEG_48x32 },
    ]);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="station-photos"] [data-testid="station-photo"] img').length === 2);
    await page.getByTestId('station-photo-file').setInputFiles([{ name: '假照片.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a photo at all') }]);
    await page.locator('.el-message--error', { hasText: '仅支持 JPG、PNG 照片' }).waitFor();
    expect(await page.locator('[data-testid="station-photos"] [data-testid="station-photo"]').count()).toBe(2);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid="station-photos"] img')].every((i) => i.complete && i.naturalWidth > 0),
    );
    await shot(page, 'console-site-photos');
    await ctx.close();
  });

  it('a worker at 375 px with a mocked position sees it first on the offline map, opens it and checks in by its QR', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      geolocation: HERE,
      permissions: ['geolocation'],
    });
    const outside: string[] = [];
    await ctx.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:') {
        outside.push(u.href);
        return route.abort();
      }
      return route.continue();
    });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/h5/#/login`);
    await page.locator('input[data-testid="phone-input"]').fill('13900000001');
    await page.getByTestId('send-code').click();
    const demo = await page.getByTestId('demo-code').textContent({ timeout: 10_000 });
    await page.locator('input[data-testid="code-input"]').fill(/(\d{6})/.exec(demo ?? '')![1]!);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-who').waitFor();

    await page.getByTestId('entry-station').click();
    await page.getByTestId('stations-located').waitFor();
    await page.getByTestId('station-card').first().waitFor();
    expect(await page.getByTestId('station-name').first().textContent()).toBe(SITE.name);
    expect(await page.getByTestId('station-distance').first().textContent()).toMatch(/^\d+ 米$/);
    // the offline base map: the nine county outlines of 盐城 from the shipped GeoJSON, the site's dot
    expect(await page.locator('[data-testid="base-map"] path[data-county]').count()).toBe(9);
    expect(await page.locator('[data-testid="base-map"] path[data-county="东台市"]').count()).toBe(1);
    await page.getByTestId(`map-dot-${stationId}`).waitFor();
    await page.getByTestId('map-user').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(page, 'h5-nearby');

    // filter by a facility the site has, then one it lacks
    await page.getByTestId('stations-type-driver').click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="station-name"]')?.textContent === n, SITE.name);

    await page.getByTestId('station-card').first().click();
    await page.getByTestId('station-detail-name').waitFor();
    expect(await page.getByTestId('station-detail-name').textContent()).toBe(SITE.name);
    expect(await page.getByTestId('station-facilities').textContent()).toContain('货车停车');
    expect(await page.getByTestId('station-navigate').getAttribute('href')).toContain(`position=${SITE.lng},${SITE.lat}`);
    // the photos staff uploaded, as thumbnails loaded lazily; a tap shows the photo
    expect(await page.getByTestId('station-photo-thumb').count()).toBe(2);
    expect(await page.getByTestId('station-photo-thumb').first().getAttribute('loading')).toBe('lazy');
    await page.getByTestId('station-photo-thumb').first().scrollIntoViewIfNeeded();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid="station-photo-thumb"]')].some((i) => i.complete && i.naturalWidth > 0),
    );
    await page.getByTestId('station-photos').scrollIntoViewIfNeeded();
    await shot(page, 'h5-detail');
    await page.getByTestId('station-photo-thumb').first().click();
    await page.getByTestId('station-photo-viewer').waitFor();
    await page.getByTestId('station-photo-viewer').click();
    // the worker's member card, as a scanner at the site reads it (its verify link)
    const card = await page.evaluate(async () => (await (await fetch('/api/worker/card')).json()) as { verifyPath: string });
    cardScan = `${server.url}${card.verifyPath}`;

    await page.goto(checkinUrl.replace(/^https?:\/\/[^/]+/, server.url));
    await page.getByTestId('station-checkin-result').waitFor();
    expect(await page.getByTestId('station-checkin-verdict').textContent()).toBe('签到成功');
    await shot(page, 'h5-checkin');
    expect(outside, 'no request leaves the server: the base map is offline').toEqual([]);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('the visit appears in the site’s figures; another county’s staff get 404', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await consoleLogin(page, 'county_admin');
    await page.goto(`${server.url}/admin/#/stations/${stationId}`);
    await page.getByTestId('station-visits').waitFor();
    expect(await page.getByTestId('station-visits').textContent()).toContain('扫码签到');
    expect(await page.locator('.el-card__header', { hasText: '服务人次' }).first().textContent()).toContain('共 1');

    // staff scan the worker's member card (a USB scanner types the QR text and Enter): one more visit, no person kept
    await page.getByTestId('station-card-scan').click();
    await page.getByTestId('station-card-dialog').waitFor();
    await field(page, 'card-scan-input').fill(cardScan);
    await field(page, 'card-scan-input').press('Enter');
    await page.getByTestId('card-scan-today').waitFor();
    expect(await page.getByTestId('card-scan-today').textContent()).toContain('今日刷卡 1 人次');
    expect(await page.getByTestId('card-scan-log').textContent()).toMatch(/已登记.*\*/);
    await field(page, 'card-scan-input').fill('随便输入的文字');
    await field(page, 'card-scan-input').press('Enter');
    expect(await page.getByTestId('card-scan-error').textContent()).toContain('二维码无效');
    await page.locator('[data-testid="station-card-dialog"] button', { hasText: '完成' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="station-visits"]')?.textContent?.includes('刷会员卡'));
    expect(await page.locator('.el-card__header', { hasText: '服务人次' }).first().textContent()).toContain('共 2');
    const figures = await page.evaluate(async (id) => {
      const me = await (await fetch('/api/session/staff')).json();
      const r = await fetch(`/api/orgs/${me.account.org.id}/station-figures`);
      return { status: r.status, body: await r.json(), id };
    }, stationId);
    expect(figures.status).toBe(200);
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    expect(figures.body.visitsPerMonth.find((m: { month: string }) => m.month === month).count).toBeGreaterThanOrEqual(1);
    await ctx.close();

    const other = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const p2 = await other.newPage();
    await consoleLogin(p2, 'sheyang_admin');
    const status = await p2.evaluate(async (id) => (await fetch(`/api/stations/${id}`)).status, stationId);
    expect(status).toBe(404);
    await other.close();
  });

  it('the console map shows the sites in scope coloured by type', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await consoleLogin(page, 'city_admin');
    await page.goto(`${server.url}/admin/#/stations?tab=map`);
    await page.getByTestId('stations-map').waitFor();
    await page.getByTestId(`map-dot-${stationId}`).waitFor();
    expect(await page.locator('[data-testid^="map-dot-"]').count()).toBeGreaterThan(50);
    await shot(page, 'console-map');
    await page.goto(`${server.url}/admin/#/stations?tab=figures`);
    await page.getByTestId('station-figures').waitFor();
    await page.waitForTimeout(500);
    await shot(page, 'console-figures');

    // 建设标准: the city union edits a type's standard (checked, confirmed, saved)
    await page.goto(`${server.url}/admin/#/stations?tab=standards`);
    await page.getByTestId('station-standards-table').waitFor();
    await page.getByTestId('standard-edit-carnation').click();
    await page.getByTestId('standard-dialog').waitFor();
    await page.getByTestId('standard-item-add').click();
    await page.getByTestId('standard-save').click();
    await page.locator('[data-testid="standard-dialog"] .el-form-item__error', { hasText: '请填写评分项目' }).waitFor();
    await field(page, 'standard-item-name-4').fill('母婴室管理');
    await shot(page, 'console-standards');
    await page.getByTestId('standard-save').click();
    await page.locator('.el-message-box', { hasText: '确认修改建设标准' }).waitFor();
    await page.locator('.el-message-box__btns button', { hasText: '保存' }).click();
    await page.locator('.el-message--success', { hasText: '已保存' }).waitFor();
    // the table reloads after the message shows: wait for the row, not for the message
    await page
      .getByTestId('station-standards-table')
      .locator('tr', { hasText: /康乃馨服务站\s*市总修订.*母婴室管理 10 分/ })
      .waitFor();
    await ctx.close();
  });
});
