// The command centre end to end (issue 15): the leader's home shows the city's indicators and a figure
// drills down to a county and to the rows; the cockpit draws the 盐城 county map from the bundled
// boundaries with no request leaving the server; a target the city sets for 东台市 shows progress
// that moves when a member joins there; 射阳's staff get 404 for 东台's targets.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { fakePerson } from '../support/people.js';

let server: ServerProcess;
let browser: Browser;
const SHOTS = '/tmp/shots';
/** The machine may be busy: a poll waits up to 20 s. */
const SLOW = { timeout: 20_000 };
const year = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-web.mjs', '--if-needed'], { stdio: 'pipe' });
  // A busy machine (other suites, the web build) can take minutes to start the server and load the demo.
  server = await startServer({ timeoutMs: 300_000 });
  browser = await launchBrowser();
}, 330_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/dashboard-${name}.png` });
  await page.screenshot({ path: screenshotPath(`dashboard-${name}`) });
}

async function consoleLogin(page: Page, username: string) {
  await page.goto(`${server.url}/admin/#/login`);
  await page.locator('[data-testid="login-username"] input, input[data-testid="login-username"]').first().fill(username);
  await page.locator('[data-testid="login-password"] input, input[data-testid="login-password"]').first().fill('Gonghui@2026');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user').waitFor();
}

/** JSON calls as a signed-in console page makes them (cookie + CSRF header). */
async function call(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  return page.evaluate(
    async ([m, u, b]) => {
      const csrf = (await (await fetch('/api/session/staff')).json()).csrfToken as string;
      const res = await fetch(u as string, {
        method: m as string,
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        ...(b !== undefined && { body: JSON.stringify(b) }),
      });
      return { status: res.status, json: await res.json().catch(() => null) };
    },
    [method, url, body] as const,
  );
}

/** A page that fails the test when it asks anything of another host (the map must be offline). */
async function offlinePage(ctx: BrowserContext, outside: string[]): Promise<Page> {
  const page = await ctx.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outside.push(r.url());
  });
  return page;
}

describe('dashboard: home, drill-down, cockpit, targets', () => {
  it('the leader’s home shows the city’s indicators; one drills down to a county and to its rows', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await consoleLogin(page, 'leader');
    const card = page.getByTestId('stat-members.live');
    await card.waitFor();
    const cityTotal = Number((await card.innerText()).replace(/[^\d]/g, ''));
    expect(cityTotal).toBeGreaterThan(0);
    await card.click();
    await page.getByTestId('indicator-children').waitFor();
    await expect.poll(() => page.getByTestId('indicator-title').innerText(), SLOW).toBe('会员总数');
    const dongtai = page.getByTestId('indicator-children').locator('tr', { hasText: '东台市总工会' });
    const countyFigure = Number((await dongtai.locator('td').nth(1).innerText()).replace(/[^\d]/g, ''));
    expect(countyFigure).toBeGreaterThan(0);
    expect(countyFigure).toBeLessThan(cityTotal);
    await dongtai.getByText('东台市总工会').click();
    await expect.poll(() => page.locator('.el-page-header').innerText(), SLOW).toContain('东台市总工会');
    await expect.poll(async () => Number((await page.getByTestId('indicator-total').innerText()).replace(/[^\d]/g, '')), SLOW).toBe(countyFigure);
    await page.getByTestId('indicator-rows').click();
    await page.waitForURL(/#\/members\?/);
    expect(decodeURIComponent(page.url())).toContain('东台市总工会');
    await page.locator('.el-table__row').first().waitFor();
    await expect.poll(async () => (await page.locator('body').innerText()).includes(String(countyFigure)), SLOW).toBe(true);
    await ctx.close();
  }, 120_000);

  it('the cockpit at 1920 × 1080 draws the county map from the bundled boundaries, offline, with figures and the feed', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const outside: string[] = [];
    const page = await offlinePage(ctx, outside);
    await consoleLogin(page, 'leader');
    await page.goto(`${server.url}/admin/#/cockpit`);
    await page.getByTestId('cockpit-map').waitFor();
    const shapes = page.getByTestId('county-path');
    await expect.poll(() => shapes.count(), SLOW).toBe(10);
    expect(await page.locator('[data-testid="county-path"][data-boundary="yes"]').count()).toBe(9);
    expect(await page.locator('[data-testid="county-path"][data-county="东台市"]').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
    await expect.poll(async () => (await page.getByTestId('cockpit-key-members.live').innerText()).replace(/[^\d]/g, '').length, SLOW).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('cockpit-ranking').locator('li').count(), SLOW).toBe(10);
    await expect.poll(() => page.getByTestId('cockpit-feed').locator('li').count(), SLOW).toBeGreaterThan(0);
    // no menu chrome on the cockpit
    expect(await page.getByTestId('header-user').count()).toBe(0);
    await page.getByTestId('cockpit-map-members.joined').click();
    await page.waitForTimeout(300);
    await shot(page, 'cockpit-1920');
    expect(outside, `requests to other hosts: ${outside.join(', ')}`).toEqual([]);
    await ctx.close();
  }, 120_000);

  it('a target the city sets for 东台市 shows progress that moves when a member joins there; 射阳 gets 404', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await consoleLogin(page, 'city_admin');
    const orgs = await call(page, 'GET', '/api/orgs/search?pageSize=50&type=county&q=' + encodeURIComponent('东台市总工会'));
    const dongtai = orgs.json.items.find((o: { name: string }) => o.name === '东台市总工会').id as string;
    const set = await call(page, 'POST', '/api/targets', {
      year,
      indicatorCode: 'members.joined',
      comparison: 'gte',
      items: [{ orgId: dongtai, value: 5000 }],
    });
    expect(set.status, JSON.stringify(set.json)).toBe(200);
    await page.goto(`${server.url}/admin/#/targets?year=${year}`);
    const cell = page.getByTestId(`actual-${dongtai}-members.joined`);
    await cell.waitFor();
    const before = Number((await cell.innerText()).replace(/[^\d]/g, ''));

    // A worker joins a union of 东台市 through the H5 API; the grassroots union approves.
    const grassroots = await browser.newContext();
    const g = await grassroots.newPage();
    await consoleLogin(g, 'grassroots_admin');
    const me = await call(g, 'GET', '/api/session/staff');
    const unionId = me.json.account.org.id as string;
    const person = fakePerson(7301);
    const w = await browser.newContext();
    const wp = await w.newPage();
    await wp.goto(`${server.url}/h5/`);
    const joined = await wp.evaluate(
      async ([p, union]) => {
        const sent = await (
          await fetch('/api/worker/sms-code', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: p.phone }) })
        ).json();
        const login = await (
          await fetch('/api/worker/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ phone: p.phone, code: sent.demoCode }),
          })
        ).json();
        const consent = await (await fetch('/api/worker/join/consent')).json().catch(() => ({ version: null }));
        const res = await fetch('/api/worker/join', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': login.csrfToken },
          body: JSON.stringify({
            person: p,
            employment: {},
            targetOrgId: union,
            consent: { agreed: true, version: consent.version },
            idempotencyKey: 'dashboard-e2e-1',
          }),
        });
        return { status: res.status, body: await res.json() };
      },
      [person, unionId] as const,
    );
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    const detail = await call(g, 'GET', `/api/join-applications/${joined.body.id}`);
    const approved = await call(g, 'POST', `/api/join-applications/${joined.body.id}/review`, { action: 'approve', version: detail.json.version });
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);

    await page.reload();
    await cell.waitFor();
    await expect.poll(async () => Number((await cell.innerText()).replace(/[^\d]/g, '')), SLOW).toBe(before + 1);
    await page.getByTestId('targets-group-members.joined').scrollIntoViewIfNeeded();
    await shot(page, 'targets-1440');

    // 射阳's staff: 东台's targets do not exist for them.
    const sy = await browser.newContext();
    const sp = await sy.newPage();
    await consoleLogin(sp, 'sheyang_admin');
    const theirs = await call(sp, 'GET', `/api/targets?year=${year}&orgId=${dongtai}`);
    expect(theirs.status).toBe(404);
    const byId = await call(sp, 'PATCH', `/api/targets/${set.json.ids[0]}`, { value: 1, version: 1 });
    expect(byId.status).toBe(404);
    await Promise.all([ctx.close(), grassroots.close(), w.close(), sy.close()]);
  }, 240_000);
});
