// Accessibility basics on the main pages (issue 11): axe-core (WCAG 2 A + AA rules: labels on
// inputs, names on buttons and links, contrast ≥ 4.5:1 for text …) finds no serious or critical
// violation on the worker's H5 at 375 px nor on the staff console at 1440 px, and the Tab key walks
// each login form in the order people fill it. Every violation found (of any impact) is listed with
// its target selectors in the failure message; a summary per page lands in
// screenshots/a11y-summary.json for people to read.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { h5Login as signIn } from '../support/h5-login.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: ServerProcess;
let browser: Browser;
const summary: Record<string, Record<string, number>> = {};

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-web.mjs', '--if-needed'], { stdio: 'pipe' });
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  writeFileSync(screenshotPath('a11y-summary').replace(/\.png$/, '.json'), JSON.stringify(summary, null, 2));
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
}

/** Runs axe-core (WCAG 2 A + AA) on what the page shows now. */
async function axe(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } };
    const result = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  });
}

function describeViolations(page: string, violations: Violation[]): string {
  const lines = violations.flatMap((v) => [
    `[${v.impact}] ${v.id}: ${v.help}`,
    ...v.nodes.flatMap((n) => [
      `    ${JSON.stringify(n.target)}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 220)}` : ''}`,
      `      ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`, // el-id-… targets mean little without the element
    ]),
  ]);
  return `${page}: ${violations.length} violation(s)\n${lines.join('\n')}`;
}

/** Waits until the page has settled (data loaded, transitions over), then checks it. */
async function check(page: Page, name: string, ready: string) {
  await page.locator(ready).first().waitFor({ timeout: 15_000 });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(400); // Vant / Element Plus fade-ins: axe measures contrast on what is painted
  const violations = await axe(page);
  const counts: Record<string, number> = {};
  for (const v of violations) counts[v.impact ?? 'unknown'] = (counts[v.impact ?? 'unknown'] ?? 0) + v.nodes.length;
  summary[name] = counts;
  await page.screenshot({ path: screenshotPath(`a11y-${name}`), fullPage: true });
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking, describeViolations(name, violations)).toEqual([]);
}

/** The test ids (or tag + name) that Tab visits, in order, on a freshly opened page (nothing focused yet). */
async function tabOrder(page: Page, steps: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < steps; i++) {
    await page.keyboard.press('Tab');
    seen.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return 'body';
        const tagged = el.closest('[data-testid]');
        return tagged?.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}`;
      }),
    );
  }
  return seen;
}

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const phone375 = () =>
  browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, userAgent: IPHONE, bypassCSP: true });
// bypassCSP: the pages' policy (script-src 'self') would refuse the injected axe-core script.
const desk1440 = () => browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true });

const h5Login = (page: Page, phone: string) => signIn(page, server.url, phone);

describe('H5 at 375 px', () => {
  let ctx: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    ctx = await phone375();
    page = await ctx.newPage();
  });
  afterAll(async () => ctx?.close());

  it('登录: no serious violation', async () => {
    await page.goto(`${server.url}/h5/#/login`);
    await check(page, 'h5-login', 'input[data-testid="phone-input"]');
  });

  it('登录 by keyboard: Tab goes 手机号 → 验证码 → 获取验证码 → 登录 (the order they are read and shown)', async () => {
    const p = await ctx.newPage();
    await p.goto(`${server.url}/h5/#/login`);
    await p.locator('input[data-testid="phone-input"]').waitFor();
    // On a phone the keyboard's "next" follows the same order as Tab.
    expect(await tabOrder(p, 4)).toEqual(['phone-input', 'code-input', 'send-code', 'login-submit']);
    // …and the focused button shows it (Vant's base.css removes every focus outline; App.vue brings it back).
    expect(await p.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
    await p.close();
  });

  it('the member (张建国): 首页, 我的, 个人信息, 入会, 会员卡, 服务, 活动, 消息', async () => {
    await h5Login(page, '13900000001');
    const pages: [string, string, string][] = [
      ['h5-home', '/', '[data-testid="home-who"]'],
      ['h5-mine', '/mine', '[data-testid="mine-member-no"]'],
      ['h5-profile', '/profile', '[data-testid="profile-name"]'],
      ['h5-join-member', '/join', '[data-testid="join-membership"]'],
      ['h5-card', '/card', '[data-testid="member-card"]'],
      ['h5-services', '/services', '[data-testid="services-category"]'],
      ['h5-activities', '/activities', '[data-testid="activity-card"], [data-testid="activities-empty"]'],
      ['h5-messages', '/messages', '[data-testid="message-item"], [data-testid="messages-empty"]'],
    ];
    const failures: string[] = [];
    for (const [name, path, ready] of pages) {
      await page.goto(`${server.url}/h5/#${path}`);
      await check(page, name, ready).catch((e: Error) => failures.push(e.message));
    }
    expect(failures.join('\n\n')).toBe('');
  });

  it('a worker who is not a member: 入会 (the wizard)', async () => {
    const other = await phone375();
    const p = await other.newPage();
    await h5Login(p, '13700009901');
    await p.goto(`${server.url}/h5/#/join`);
    await check(p, 'h5-join-nonmember', '[data-testid="join-step-union"]');
    await other.close();
  });
});

describe('console at 1440 px', () => {
  async function signIn(username: string): Promise<Page> {
    const p = await desk1440();
    await p.goto(`${server.url}/admin/#/login`);
    await p.locator('[data-testid="login-username"] input, input[data-testid="login-username"]').first().fill(username);
    await p.locator('[data-testid="login-password"] input, input[data-testid="login-password"]').first().fill('Gonghui@2026');
    await p.getByTestId('login-submit').click();
    await p.getByTestId('header-user').waitFor();
    return p;
  }

  it('登录: no serious violation', async () => {
    const p = await desk1440();
    await p.goto(`${server.url}/admin/#/login`);
    await check(p, 'console-login', '[data-testid="login-username"]');
    await p.close();
  });

  it('登录 by keyboard: Tab goes 用户名 → 密码 → 登录', async () => {
    const p = await desk1440();
    await p.goto(`${server.url}/admin/#/login`);
    await p.locator('[data-testid="login-username"]').first().waitFor();
    expect(await tabOrder(p, 3)).toEqual(['login-username', 'login-password', 'login-submit']);
    await p.close();
  });

  it('首页, 会员名册, 服务申请, 待我处理 (city_admin) and 审计日志 (auditor)', async () => {
    const failures: string[] = [];
    const admin = await signIn('city_admin');
    const pages: [string, string, string][] = [
      ['console-home', '/', '[data-testid="home-greeting"]'],
      ['console-members', '/members', '[data-testid="member-table"] .el-table__row'],
      ['console-applications', '/applications', '[data-testid="apps-table"]'],
      ['console-work-queue', '/work-queue', '[data-testid="queue-table"]'],
    ];
    for (const [name, path, ready] of pages) {
      await admin.goto(`${server.url}/admin/#${path}`);
      await check(admin, name, ready).catch((e: Error) => failures.push(e.message));
    }
    await admin.close();
    const auditor = await signIn('auditor');
    await auditor.goto(`${server.url}/admin/#/audit`);
    await check(auditor, 'console-audit', '[data-testid="audit-table"] .el-table__row').catch((e: Error) => failures.push(e.message));
    await auditor.close();
    expect(failures.join('\n\n')).toBe('');
  });
});
