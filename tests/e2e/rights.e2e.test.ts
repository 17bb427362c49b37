// 维权 end to end in Chromium against the real server: a worker asks on the H5 (375 px); the enterprise
// union answers in the console and turns it into a mediation case with a mediator from the county's
// pool; a session is held; 调解成功 — the agreement .docx opens (unzipped, its text read); the figures
// move by one; a 提示函 is issued, the reply recorded; the county union escalates an overdue 提示函 to a
// 建议书; 射阳's staff get 404 on all of it.
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

async function console1366(username: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
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
const labelled = (scope: ReturnType<Page['locator']>, label: string) => scope.locator('.el-form-item', { hasText: label }).locator('input, textarea').first();
async function shot(page: Page, name: string) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}

describe('维权: consult → answer → mediation → agreement; 提示函 → reply; overdue → 建议书; 射阳 sees nothing', () => {
  const question = `车间每天加班两小时，公司说是自愿的不给加班费，合法吗？（${Date.now() % 100000}）`;
  let h5: Page;
  let staff: Page;
  let consultationId: string;
  let caseId: string;
  const letters: string[] = [];
  let before: any;

  afterEach(async (t) => {
    if (t.task.result?.state !== 'fail') return;
    console.log(`[rights e2e] failed\n${server.output().slice(-3000)}`);
    for (const [p, n] of [
      [h5, 'rights-h5-failure'],
      [staff, 'rights-console-failure'],
    ] as const)
      if (p && !p.isClosed()) await p.screenshot({ path: screenshotPath(n), fullPage: true }).catch(() => undefined);
  });

  it('a worker asks on the H5 at 375 px', async () => {
    const county = await staffApi('county_admin');
    before = (await county('GET', '/api/rights/figures')).json;
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
    await h5.getByTestId('rights-ask').waitFor();
    await field(h5, 'rights-question').fill(question);
    await h5.getByTestId('rights-ask').click();
    await h5.getByTestId('consultation-thread').waitFor();
    expect(await h5.getByTestId('consultation-status').innerText()).toContain('待答复');
    consultationId = /consultations\/(\d+)/.exec(h5.url())![1]!;
    expect(await h5.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  it('the enterprise union answers in the console; the worker is notified and reads it', async () => {
    staff = await console1366('grassroots_admin');
    await staff.goto(`${server.url}/admin/#/rights`);
    await staff
      .getByTestId('consultation-table')
      .locator('tr', { hasText: question.slice(0, 12) })
      .first()
      .click();
    await field(staff, 'answer-text').fill('用人单位安排加班应支付不低于工资 150% 的加班工资，"自愿"不能免除支付义务。已为您转调解。');
    await staff.getByTestId('answer-send').click();
    await staff.locator('.msg.staff').waitFor();
    await shot(staff, 'rights-consultation-1366');

    await h5.reload();
    await h5.getByTestId('msg-staff').waitFor();
    expect(await h5.getByTestId('consultation-status').innerText()).toContain('已答复');
    await shot(h5, 'rights-h5-thread-375');
    const msgs = await h5.evaluate(async () => (await fetch('/api/worker/messages')).json());
    expect(JSON.stringify(msgs)).toContain('咨询已答复');
  });

  it('turns it into a mediation case with the county’s mediator; a session; 调解成功; the agreement opens', async () => {
    await staff.getByTestId('to-case').click();
    const dialog = staff.getByTestId('case-dialog');
    await field(dialog, 'case-employer').fill('东台某机械制造有限公司');
    await field(dialog, 'case-claim').fill('3600');
    await dialog.locator('.el-select').last().click();
    await staff.locator('.el-select-dropdown__item:visible', { hasText: '陈立新' }).first().click();
    await dialog.locator('.el-dialog__title').click();
    await dialog.getByTestId('case-save').click();
    await staff.getByTestId('case-status').waitFor();
    caseId = /cases\/(\d+)/.exec(staff.url())![1]!;
    expect(await staff.locator('.page').innerText()).toContain('陈立新');

    await staff.getByTestId('session-new').click();
    const s = staff.locator('.el-dialog:visible');
    await field(s, 's-place').fill('东台市劳动争议多元调解中心');
    await field(s, 's-attendees').fill('申请人、企业人事经理、调解员陈立新');
    await field(s, 's-minutes').fill('企业同意补发加班工资 3000 元');
    await s.getByTestId('s-save').click();
    await staff.locator('.el-table', { hasText: '企业同意补发加班工资' }).waitFor();

    await staff.getByTestId('case-close').click();
    const c = staff.locator('.el-dialog:visible');
    await field(c, 'cl-agreed').fill('3000');
    await field(c, 'cl-terms').fill('一、被申请人于 10 日内一次性支付申请人加班工资 3000 元。\n二、申请人不再就本争议申请仲裁。');
    await c.getByTestId('cl-save').click();
    await expect.poll(() => staff.getByTestId('case-status').innerText()).toContain('调解成功');
    await staff.getByTestId('agreement').waitFor();
    await shot(staff, 'rights-case-1366');

    const api = await staffApi('grassroots_admin');
    const doc = await api('GET', `/api/rights/cases/${caseId}/agreement.docx`);
    expect(doc.status).toBe(200);
    const text = docxText(doc.raw);
    expect(text).toContain('劳动争议调解协议书');
    expect(text).toContain('东台某机械制造有限公司');
    expect(text).toContain('3000.00');
    expect(text).toContain('陈立新');

    const county = await staffApi('county_admin');
    const after = (await county('GET', '/api/rights/figures')).json;
    expect(after.mediation.opened).toBe(before.mediation.opened + 1);
    expect(after.mediation.succeeded).toBe(before.mediation.succeeded + 1);
    expect(after.consultations.total).toBe(before.consultations.total + 1);
  });

  it('a 提示函 is issued to the employer (workers masked) and its reply recorded', async () => {
    await staff.goto(`${server.url}/admin/#/rights?tab=letters`);
    await staff.getByTestId('letter-new').click();
    const d = staff.getByTestId('letter-dialog');
    await labelled(d, '用人单位').fill('东台某机械制造有限公司');
    await labelled(d, '事由').fill('依法支付延长工作时间工资');
    await labelled(d, '违法事实').fill('你单位安排孙小平等职工每日延长工作时间 2 小时，未支付加班工资。');
    await labelled(d, '法律依据').fill('《中华人民共和国劳动法》第四十四条');
    await labelled(d, '整改要求').fill('补发加班工资并依法安排工作时间');
    await labelled(d, '涉及职工').fill('孙小平');
    await d.getByTestId('letter-save').click();
    await staff.getByTestId('letter-preview').waitFor();
    const preview = await staff.getByTestId('letter-preview').innerText();
    expect(preview).toContain('工会劳动法律监督提示函');
    expect(preview).toMatch(/〔\d{4}〕\d+号/);
    expect(preview).toContain('孙**');
    expect(preview).not.toContain('孙小平');
    await shot(staff, 'rights-letter-1366');
    letters.push(/letters\/(\d+)/.exec(staff.url())![1]!);
    await staff.getByTestId('letter-reply').click();
    const r = staff.locator('.el-dialog:visible');
    await r.locator('textarea').first().fill('已补发加班工资，调整排班');
    await r.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => staff.getByTestId('letter-status').innerText()).toContain('已整改');
  });

  it('the county union escalates an overdue 提示函 to a 建议书', async () => {
    const county = await console1366('county_admin');
    await county.goto(`${server.url}/admin/#/rights?tab=letters&overdue=1`);
    await county.getByTestId('letter-table').locator('tbody tr', { hasText: '已逾期' }).first().click();
    await county.waitForURL(/letters\/\d+/);
    letters.push(/letters\/(\d+)/.exec(county.url())![1]!);
    await county.getByTestId('letter-escalate').click();
    await field(county.locator('.el-dialog:visible'), 'esc-demands').fill('对该单位不支付加班工资的行为依法调查处理。');
    await county.getByTestId('esc-save').click();
    await expect.poll(() => county.locator('.page-title').innerText()).toContain('建议书');
    await county.waitForURL((u) => u.hash.endsWith(`/${letters.at(-1)}`) === false);
    const preview = await county.getByTestId('letter-preview').innerText();
    expect(preview).toContain('工会劳动法律监督建议书');
    expect(preview).toContain('东台市劳动保障监察机构');
    expect(preview).toContain('东台市总工会');
    letters.push(/letters\/(\d+)/.exec(county.url())![1]!);
    await shot(county, 'rights-proposal-1366');
    await county.close();
  });

  it('射阳’s staff get 404 on all of it', async () => {
    const sy = await staffApi('sheyang_admin');
    for (const path of [
      `/api/rights/consultations/${consultationId}`,
      `/api/rights/cases/${caseId}`,
      `/api/rights/cases/${caseId}/agreement.docx`,
      ...letters.map((id) => `/api/rights/letters/${id}`),
      ...letters.map((id) => `/api/rights/letters/${id}/docx`),
    ]) {
      const r = await sy('GET', path);
      expect(r.status, path).toBe(404);
    }
    const list = await sy('GET', '/api/rights/consultations?pageSize=200');
    expect(JSON.stringify(list.json)).not.toContain(question);
  });
});
