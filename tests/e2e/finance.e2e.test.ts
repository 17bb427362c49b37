// 工会经费 and 经费审查 in Chromium at 1366 px (issue 17's "Done when"): the county sets its sharing ratios,
// imports a 税务代收 statement (bad rows reported, a re-import adds nothing), the receipt is split between
// the grassroots union, the town, the county and the city exactly as configured, the county allocates to a
// town (never more than the county has: a larger 下拨 is refused), a 疗休养's cost draws on the county budget and
// shows in budget vs actual, the activity as a line of 职工活动; the 经审委员会 records a
// finding, the manual clock takes its rectification past the deadline, a 约谈 is recorded, the audited union
// submits its evidence, the committee closes the task and the rectification rate moves; 射阳 gets 404.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/src/platform/clock.js';
import { creditCode } from '../../server/src/modules/contracts/contracts.test-helpers.js';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import type { Database } from '../../server/src/db/database.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';

let env: InProcessApp;
let database: Database;
let url = '';
let browser: Browser;
const clock = new ManualClock(new Date('2026-11-21T02:00:00Z'));
const DAY = 86_400_000;
const day = (offset = 0) => new Date(clock.now().getTime() + 8 * 3600_000 + offset * DAY).toISOString().slice(0, 10);
const CODE = creditCode(17801, '91320981');
const ids: Record<string, string> = {};

beforeAll(async () => {
  env = await startInProcessApp(clock);
  ({ database, url } = env);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});

const api = (username: string) => env.api(username);

async function signedIn(username: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  // The console's date pickers default to the browser's today: keep the browser on the server's clock.
  await ctx.clock.install({ time: clock.now() });
  const page = await ctx.newPage();
  await page.goto(`${url}/admin/#/login`);
  await field(page, 'login-username').fill(username);
  await field(page, 'login-password').fill('Gonghui@2026');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user').waitFor();
  return { ctx, page };
}

const field = (page: Page | ReturnType<Page['locator']>, testid: string) =>
  page.locator(`[data-testid="${testid}"] input, input[data-testid="${testid}"]`).first();

function statement(): Buffer {
  return Buffer.from(
    [
      '统一社会信用代码,缴费单位名称,所属期,计费工资总额,实缴金额,入库日期,电子税票号码',
      `${CODE},东台端到端经费企业有限公司,2026-10,100000.00,2000.00,2026-11-10,332026118000001`,
      '91320981MA1XXXXXX,代码错误企业,2026-10,,100.00,2026-11-10,332026118000002',
      `${CODE},东台端到端经费企业有限公司,2026-10,,十元,2026-11-10,332026118000003`,
    ].join('\n'),
    'utf8',
  );
}

async function importStatement(page: Page) {
  await page.getByTestId('funds-import-file').setInputFiles({ name: '税务代收对账单.csv', mimeType: 'text/csv', buffer: statement() });
  await page.getByTestId('funds-import-submit').click();
}

describe('工会经费 and 经费审查 in the console', () => {
  it('collects, shares, allocates and spends; an audit finding is rectified to closure; another county gets 404', async () => {
    const county = await api('county_admin');
    const grassroots = await database.db
      .selectFrom('staff_accounts as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select(['o.id', 'o.name', 'o.parent_id'])
      .where('a.username', '=', 'grassroots_admin')
      .executeTakeFirstOrThrow();
    const town = await database.db.selectFrom('orgs').select(['id', 'name']).where('id', '=', grassroots.parent_id!).executeTakeFirstOrThrow();
    const dongtai = await database.db.selectFrom('orgs').select(['id', 'name', 'path']).where('name', '=', '东台市总工会').executeTakeFirstOrThrow();
    const e = await county('POST', '/api/enterprises', {
      orgId: dongtai.id,
      creditCode: CODE,
      name: '东台端到端经费企业有限公司',
      ownership: 'private',
      industry: 'C',
      size: 'medium',
      employees: 120,
      women: 50,
      migrantWorkers: 20,
      unionOrgId: grassroots.id,
    });
    expect(e.status, JSON.stringify(e.json)).toBe(200);
    // the county's 疗休养 (an activity of the activities module)
    const act = await database.db
      .insertInto('activities')
      .values({
        org_id: dongtai.id,
        org_path: dongtai.path,
        type: 'recuperation',
        title: '东台劳模疗休养（端到端）',
        enrollment_mode: 'approval',
        budget: '400.00',
        starts_on: '2026-12-01',
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.activity = (act as { id: string }).id;

    const { ctx, page } = await signedIn('county_admin');
    // 1. the county's sharing ratios for the year
    await page.goto(`${url}/admin/#/funds?tab=settings&year=2026`);
    await page.getByTestId('ratio-set').click();
    const dlg = page.locator('.el-dialog:visible');
    await dlg.locator('.el-select').first().click();
    await dlg.locator('.el-select input').first().fill('东台市总工会');
    await page.locator('.org-select-popper .el-select-dropdown__item', { hasText: '东台市总工会' }).first().click();
    for (const [k, v] of [
      ['grassroots', '55'],
      ['town', '15'],
      ['county', '20'],
      ['city', '10'],
    ] as const)
      await field(dlg, `ratio-${k}`).fill(v);
    await dlg.getByTestId('ratio-submit').click();
    await page.getByTestId('ratios-table').getByText('55%').waitFor();

    // 2. the statement: bad rows reported, a re-import adds nothing
    await page.goto(`${url}/admin/#/funds?tab=import&year=2026`);
    await importStatement(page);
    await page.getByTestId('funds-jobs').getByText('入账 1，已导入过 0，错误 2').waitFor();
    const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('funds-import-errors').first().click()]);
    expect(report.suggestedFilename()).toMatch(/错误行.*\.xlsx$/);
    await importStatement(page);
    await page.getByTestId('funds-jobs').getByText('入账 0，已导入过 1，错误 2').waitFor();
    await page.screenshot({ path: screenshotPath('e2e-finance-import'), fullPage: true });

    // 3. the receipt split as configured, to the fen
    await page.goto(`${url}/admin/#/funds?tab=receipts&year=2026`);
    const shares = page.getByTestId('receipt-shares').first();
    await shares.getByText('基层工会 1,100.00').waitFor();
    await expect(shares.textContent()).resolves.toContain('镇街工会 300.00');
    await expect(shares.textContent()).resolves.toContain('县级工会 400.00');
    await expect(shares.textContent()).resolves.toContain('市总工会 200.00');

    // 4. the county allocates to a town
    await page.goto(`${url}/admin/#/funds?tab=ledger&year=2026`);
    await page.getByTestId('ledger-balanced').waitFor();
    await page.getByTestId('funds-allocate').click();
    const alloc = page.getByTestId('allocate-dialog');
    await alloc.locator('.el-select').first().click();
    await alloc.locator('.el-select input').first().fill(town.name);
    await page.locator('.org-select-popper .el-select-dropdown__item', { hasText: town.name }).first().click();
    await alloc.getByTestId('allocate-available').getByText('可用余额 400.00 元').waitFor();
    // more than the county has is refused, naming its balance (decision 034)
    await field(alloc, 'allocate-amount').fill('500.00');
    await field(alloc, 'allocate-purpose').fill('基层工会建设补助');
    await alloc.getByTestId('allocate-submit').click();
    await alloc.getByText('东台市总工会可用经费余额为 400.00 元，不足以下拨 500.00 元').first().waitFor();
    await field(alloc, 'allocate-amount').fill('250.00');
    await alloc.getByTestId('allocate-submit').click();
    await page.getByTestId('allocations-table').getByText('基层工会建设补助').waitFor();
    await page.getByTestId('ledger-children').locator('tr', { hasText: town.name }).getByText('250.00').first().waitFor();
    await page.getByTestId('ledger-可用余额').getByText('150.00').waitFor();
    await page.screenshot({ path: screenshotPath('e2e-finance-ledger'), fullPage: true });

    // 5. a 疗休养's cost draws on the county budget and shows in budget vs actual
    await page.goto(`${url}/admin/#/funds?tab=budgets&year=2026`);
    await page.getByTestId('budget-set').click();
    await field(page.locator('.el-dialog:visible'), 'budget-amount').fill('500.00');
    await page.getByTestId('budget-submit').click();
    await page.getByTestId('budget-table').locator('tr', { hasText: '职工活动' }).getByText('500.00').first().waitFor();
    await page.getByTestId('spending-create').click();
    const sd = page.getByTestId('spending-dialog');
    await sd.getByTestId('spending-activity').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '东台劳模疗休养（端到端）' }).first().click();
    await field(sd, 'spending-amount').fill('120.00');
    await field(sd, 'spending-payee').fill('黄山职工疗休养基地');
    await field(sd, 'spending-purpose').fill('劳模疗休养第一批费用');
    await sd.getByTestId('spending-submit').click();
    const row = page.getByTestId('budget-table').locator('tr', { hasText: '职工活动' });
    await row.getByText('120.00').first().waitFor();
    await row.getByText('24%').first().waitFor();
    // the activity's own budget is a line of 职工活动, with what was paid for it
    const line = page.getByTestId('budget-table').locator('tr', { hasText: '东台劳模疗休养（端到端）' });
    await line.getByText('400.00').first().waitFor();
    await line.getByText('30%').first().waitFor();
    await page.getByTestId('spending-table').getByText('东台劳模疗休养（端到端）').waitFor();
    await page.screenshot({ path: screenshotPath('e2e-finance-budgets'), fullPage: true });
    await ctx.close();

    // 6. the 经审委员会 audits the grassroots union; the finding's rectification goes overdue
    const js = await api('jingshen');
    const p = await js('POST', '/api/audit-committee/projects', {
      auditedOrgId: grassroots.id,
      kind: 'final_accounts',
      title: '端到端决算审计',
      periodFrom: '2025-01-01',
      periodTo: '2025-12-31',
      team: '王审计、李会计',
    });
    expect(p.status, JSON.stringify(p.json)).toBe(200);
    ids.project = p.json.id;
    let jsPage = await signedIn('jingshen');
    await jsPage.page.goto(`${url}/admin/#/audit-committee/${ids.project}`);
    await jsPage.page.getByTestId('ac-add-finding').click();
    const fd = jsPage.page.getByTestId('ac-finding-dialog');
    await fd.locator('textarea').first().waitFor();
    await fd.locator('textarea').first().fill('超标准列支职工活动慰问品');
    await field(fd, 'ac-f-amount').fill('12800.50');
    await field(fd, 'ac-f-responsible').fill('张主席');
    await field(fd, 'ac-f-task').fill('清退超标准部分并修订制度');
    await field(fd, 'ac-f-owner').fill('李财务');
    await field(fd, 'ac-f-deadline').fill(day(10));
    await field(fd, 'ac-f-deadline').press('Enter');
    await fd.getByTestId('ac-f-submit').click();
    await jsPage.page.getByTestId('ac-finding').first().waitFor();
    await jsPage.page.getByTestId('ac-project-rate').getByText('0%').waitFor();
    // a working paper (底稿) of the committee
    await jsPage.page
      .getByTestId('ac-paper-file')
      .setInputFiles({ name: '慰问品抽查底稿.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await jsPage.page.getByTestId('ac-paper-upload').click();
    await jsPage.page.getByTestId('ac-papers-table').getByText('慰问品抽查底稿.pdf').waitFor();
    await jsPage.ctx.close();

    clock.advance(11 * DAY);
    jsPage = await signedIn('jingshen');
    await jsPage.page.goto(`${url}/admin/#/audit-committee?tab=tasks&overdue=1`);
    await jsPage.page.getByTestId('ac-tasks-table').getByText('已逾期').waitFor();
    await jsPage.page.goto(`${url}/admin/#/audit-committee/${ids.project}`);
    await jsPage.page.getByTestId('ac-task-status').getByText('已逾期').waitFor();
    await jsPage.page.getByTestId('ac-interview').click();
    const iv = jsPage.page.getByTestId('ac-act-dialog');
    await field(iv, 'ac-act-interviewer').fill('经审委员会主任');
    await iv.locator('textarea').first().fill('逾期未整改，责令十日内完成');
    await iv.getByTestId('ac-act-submit').click();
    await jsPage.page.getByText('逾期未整改，责令十日内完成').waitFor();
    await jsPage.page.screenshot({ path: screenshotPath('e2e-finance-audit-overdue'), fullPage: true });

    // 7. the audited union submits its evidence; the committee signs off; the rate moves
    const gr = await signedIn('grassroots_admin');
    await gr.page.goto(`${url}/admin/#/audit-committee/${ids.project}`);
    await gr.page.getByTestId('ac-evidence').click();
    const ev = gr.page.getByTestId('ac-act-dialog');
    await ev.locator('textarea').first().fill('已清退 12800.50 元，附银行回单与新制度');
    await ev.getByTestId('ac-act-submit').click();
    await gr.page.getByTestId('ac-task-status').getByText('待销号', { exact: false }).waitFor();
    // the audited union reads the working papers, and cannot add any
    await gr.page.getByTestId('ac-papers-table').getByText('慰问品抽查底稿.pdf').waitFor();
    await expect(gr.page.getByTestId('ac-paper-upload').count()).resolves.toBe(0);
    await expect(gr.page.getByTestId('ac-close').count()).resolves.toBe(0);
    await gr.ctx.close();

    await jsPage.page.reload();
    await jsPage.page.getByTestId('ac-close').click();
    const cl = jsPage.page.getByTestId('ac-act-dialog');
    await cl.locator('textarea').first().fill('整改到位，同意销号');
    await cl.getByTestId('ac-act-submit').click();
    await jsPage.page.getByTestId('ac-project-rate').getByText('100%').waitFor();
    await jsPage.page.goto(`${url}/admin/#/audit-committee?tab=figures`);
    await jsPage.page.getByTestId('ac-rate').getByText('100%').waitFor();
    await jsPage.page.screenshot({ path: screenshotPath('e2e-finance-audit-figures'), fullPage: true });
    await jsPage.ctx.close();

    // 8. another county: 404 on the project page and on the records by id
    const sy = await signedIn('sheyang_admin');
    await sy.page.goto(`${url}/admin/#/audit-committee/${ids.project}`);
    await sy.page.getByText('审计项目不存在或无权访问').waitFor();
    await sy.ctx.close();
    const sheyang = await api('sheyang_admin');
    expect((await sheyang('GET', `/api/audit-committee/projects/${ids.project}`)).status).toBe(404);
    const receivable = (await (await api('county_admin'))('GET', '/api/funds/receivables?period=2026-10')).json.items[0];
    expect((await sheyang('GET', `/api/funds/receivables/${receivable.id}`)).status).toBe(404);
    expect((await sheyang('GET', `/api/funds/ledger?year=2026&orgId=${dongtai.id}`)).status).toBe(404);
    // One flow across a dozen console pages and two accounts: 55 s in CI with two e2e files sharing the machine.
  }, 180_000);
});
