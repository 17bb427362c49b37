// Enterprises → 建会 → 要约 → 女职工专项 contract → in force after the 15-day wait, in Chromium at
// 1440 px. The server is the real app (buildApp with the built console) on an in-memory database
// with a manual clock, so the waiting period passes by advancing the clock, not by waiting.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/src/platform/clock.js';
import { loadExcel } from '../../server/src/platform/excel.js';
import { creditCode } from '../../server/src/modules/contracts/contracts.test-helpers.js';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import type { Database } from '../../server/src/db/database.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';

let env: InProcessApp;
let database: Database;
let url = '';
let browser: Browser;
const clock = new ManualClock(new Date('2027-03-01T02:00:00Z'));
const DAY = 86_400_000;
const day = () => new Date(clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);

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

async function login(page: Page, username: string) {
  await page.goto(`${url}/admin/#/login`);
  await page.locator('input[data-testid="login-username"], [data-testid="login-username"] input').first().fill(username);
  await page.locator('input[data-testid="login-password"], [data-testid="login-password"] input').first().fill('Gonghui@2026');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user').waitFor();
}

async function enterpriseXlsx(): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  const ws = wb.addWorksheet('企业名录');
  ws.addRow(['统一社会信用代码', '企业名称', '所有制类型', '行业门类', '企业规模', '职工人数', '女职工人数', '农民工人数', '地址', '行政区划代码', '平台企业']);
  ws.addRow([creditCode(7001), '东台端到端纺织有限公司', '民营', 'C', '中型', '180', '120', '60', '东台市经济开发区纬一路 8 号', '320981', '否']);
  ws.addRow([creditCode(7002), '东台端到端物流有限公司', '私营', 'G', '小型', '45', '8', '30', '', '', '是']);
  ws.addRow(['91320981MA1XXXXXX', '代码错误有限公司', '民营', 'C', '小型', '30', '3', '1', '', '', '否']);
  ws.addRow([creditCode(7004), '人数错误有限公司', '民营', 'C', '小型', '20', '30', '1', '', '', '否']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('enterprises, 建会 and a 女职工专项 contract in the console', () => {
  it('imports, founds a union, runs the contract through filing and the waiting period; the figures move; another county gets 404', async () => {
    const county = await api('county_admin');
    const before = (await county('GET', '/api/coverage')).json;
    const fig = (f: { figures: { key: string; numerator: number }[] }, k: string) => f.figures.find((x) => x.key === k)!.numerator;

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    // The console's date pickers default to the browser's today: keep the browser on the server's clock.
    await ctx.clock.install({ time: clock.now() });
    const page = await ctx.newPage();
    await login(page, 'county_admin');

    // Import a list with two bad rows.
    await page.goto(`${url}/admin/#/enterprises?tab=import`);
    await page.getByTestId('enterprise-import-file').setInputFiles({
      name: '市场监管企业名录.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await enterpriseXlsx(),
    });
    await page.getByTestId('enterprise-import-submit').click();
    await page.getByTestId('enterprise-jobs').getByText('新增 2，更新 0，未变 0，错误 2').waitFor();
    const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('enterprise-errors').click()]);
    expect(report.suggestedFilename()).toMatch(/错误行.*\.xlsx$/);

    // The 未建会 list → 建会.
    await page.goto(`${url}/admin/#/enterprises?tab=unionless&q=${encodeURIComponent('东台端到端纺织')}`);
    const row = page.getByTestId('enterprise-table').locator('tr', { hasText: '东台端到端纺织有限公司' });
    await row.waitFor();
    await page.screenshot({ path: screenshotPath('e2e-enterprises-unionless'), fullPage: true });
    await row.getByTestId('enterprise-found').click();
    const dlg = page.getByTestId('founding-dialog');
    await dlg.locator('[data-testid="founding-organiser"] input, input[data-testid="founding-organiser"]').first().fill('县总工会基层部 陈明');
    await dlg.getByTestId('founding-next').click();
    await page.getByText('已启动建会筹备').waitFor();
    const fillIn = (id: string, v: string) => dlg.locator(`[data-testid="${id}"] input, input[data-testid="${id}"]`).first().fill(v);
    await fillIn('elect-chair', '周立新');
    await fillIn('elect-members', '吴敏、郑华');
    await fillIn('elect-funds', '钱进');
    await fillIn('elect-women', '冯丽');
    await dlg.getByTestId('founding-next').click();
    await page.getByText('已登记选举结果').waitFor();
    // Four eyes (decision 045): the county started it and recorded the election, so the dialog offers it no 批复;
    // the city approves, and the county registers the 法人资格.
    await dlg.getByTestId('founding-own').waitFor();
    expect(await dlg.getByTestId('founding-next').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('e2e-enterprises-founding-own'), fullPage: true });
    const pending = (await county('GET', '/api/foundings?status=elected&pageSize=100')).json.items.find((x: { enterpriseName: string }) => x.enterpriseName === '东台端到端纺织有限公司');
    const approved = await (await api('city_admin'))('POST', `/api/foundings/${pending.id}/approval`, { version: pending.version, approvalNo: '东工字〔2027〕12号', approvedOn: day() });
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    const legal = await county('POST', `/api/foundings/${pending.id}/legal-registration`, {
      version: approved.json.version,
      certificateNo: '工法证字第3209812027001号',
      registeredOn: day(),
    });
    expect(legal.status, JSON.stringify(legal.json)).toBe(200);
    await dlg.getByRole('button', { name: '关闭' }).last().click();
    await page.screenshot({ path: screenshotPath('e2e-enterprises-founding'), fullPage: true });
    const ent = (await county('GET', `/api/enterprises?q=${encodeURIComponent('东台端到端纺织')}`)).json.items[0];
    expect(ent).toMatchObject({ unionKind: 'own', unionName: '东台端到端纺织有限公司工会委员会' });

    // A 春季要约 campaign reaches it.
    const dongtai = ent.orgId;
    const camp = await county('POST', '/api/bargaining-campaigns', {
      orgId: dongtai,
      title: '2027 年春季集中要约行动',
      year: 2027,
      startsOn: day(),
      endsOn: '2027-05-31',
      minEmployees: 25,
      industries: [],
      unionisedOnly: true,
    });
    expect(camp.status).toBe(200);
    expect((await county('POST', `/api/bargaining-campaigns/${camp.json.id}/targets/${ent.id}`, { stage: 'offered', on: day() })).status).toBe(200);

    // A 女职工专项 contract from the 范本.
    const tpl = (await county('GET', '/api/contract-templates')).json.items.find((t: { code: string }) => t.code === 'women');
    const created = await county('POST', '/api/contracts', {
      kind: 'women',
      title: '东台端到端纺织有限公司女职工权益保护专项集体合同',
      enterpriseIds: [ent.id],
      templateId: tpl.id,
      termYears: 3,
      unionParty: '东台端到端纺织有限公司工会委员会',
      employerParty: '东台端到端纺织有限公司',
      unionNegotiator: '周立新',
      employerNegotiator: '何总经理',
    });
    expect(created.status).toBe(200);
    const id = created.json.id as string;
    await page.goto(`${url}/admin/#/contracts/${id}`);
    await page.getByTestId('contract-detail').waitFor();
    const [docx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('contract-docx').click()]);
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync((await docx.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    expect(bytes.includes(Buffer.from('word/document.xml'))).toBe(true);

    // Negotiate: change the 育儿假 clause, record a round, the 职代会 vote, sign, file, 受理.
    await page.getByTestId('clause-edit-w5').click();
    await page
      .locator('[data-testid="clause-text-w5"] textarea, textarea[data-testid="clause-text-w5"]')
      .first()
      .fill('子女三周岁以下的，夫妻双方每年各享受育儿假十五天，育儿假期间视为出勤，工资照发。');
    await page.getByTestId('clause-save-w5').click();
    await expect.poll(() => page.getByTestId('clause-w5').getAttribute('data-state')).toBe('changed');
    await page.locator('[data-testid="round-topics"] input, input[data-testid="round-topics"]').first().fill('育儿假天数与孕期检查');
    await page.getByTestId('round-add').click();
    await page.getByText('已登记协商会议').waitFor();
    const num = (tid: string, v: string) => page.locator(`[data-testid="${tid}"] input, input[data-testid="${tid}"]`).first().fill(v);
    await num('vote-delegates', '60');
    await num('vote-present', '56');
    await num('vote-for', '52');
    await page.getByTestId('vote-submit').click();
    await page.getByText('已登记表决结果').waitFor();
    await page.getByTestId('contract-sign').click();
    await page.getByText('已签订').first().waitFor();
    await page.getByTestId('contract-submit').click();
    await page.getByText('已报送人社部门').waitFor();
    await page.getByTestId('contract-accept').click();
    await page.getByText('已登记受理').waitFor();
    await expect.poll(() => page.getByTestId('contract-status-tag').textContent()).toBe('已备案');
    await page.screenshot({ path: screenshotPath('e2e-contract-clauses'), fullPage: true });

    // 14 days: still 已备案; 15 days after 受理 without objection: 生效.
    clock.advance(14 * DAY);
    await page.clock.setSystemTime(clock.now());
    await login(page, 'county_admin');
    await page.goto(`${url}/admin/#/contracts/${id}`);
    await expect.poll(() => page.getByTestId('contract-status-tag').textContent()).toBe('已备案');
    clock.advance(DAY);
    await page.clock.setSystemTime(clock.now());
    await login(page, 'county_admin');
    await page.goto(`${url}/admin/#/contracts/${id}`);
    await expect.poll(() => page.getByTestId('contract-status-tag').textContent()).toBe('生效');

    // The county's figures moved; the drill-down lists the contract.
    const county2 = await api('county_admin');
    const after = (await county2('GET', '/api/coverage')).json;
    expect(fig(after, 'founding_rate')).toBe(fig(before, 'founding_rate') + 1);
    expect(fig(after, 'contracts_women')).toBe(1);
    expect(fig(after, 'bargaining')).toBe(1);
    await page.goto(`${url}/admin/#/enterprises?tab=coverage`);
    await page.getByTestId('fig-contracts_women').waitFor();
    await page.screenshot({ path: screenshotPath('e2e-coverage'), fullPage: true });
    await page.getByTestId('fig-contracts_women').click();
    await page.getByTestId('contract-table').getByText('东台端到端纺织有限公司女职工权益保护专项集体合同').waitFor();

    // Another county: 404 for the contract, the enterprise and the founding.
    const sheyang = await api('sheyang_admin');
    expect((await sheyang('GET', `/api/contracts/${id}`)).status).toBe(404);
    expect((await sheyang('GET', `/api/enterprises/${ent.id}`)).status).toBe(404);
    expect((await sheyang('GET', `/api/contracts/${id}/draft.docx`)).status).toBe(404);
    await ctx.close();
  });
});
