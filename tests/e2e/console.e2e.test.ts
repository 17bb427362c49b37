// The staff console as people use it on a common office screen (issue 11): every list page at
// 1366 × 768 fits without sideways scrolling, shows no internal codes, and 服务事项 shows 申请数 and
// 状态; and a staff member adds and corrects one member (新增会员 → 修改信息 → 更正姓名) with the
// audit trail reading it back in Chinese words.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { fakeResidentId } from '../support/people.js';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(username: string, viewport = { width: 1366, height: 768 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(`${server.url}/admin/`);
  await page.locator('[data-testid="login-username"] input, input[data-testid="login-username"]').first().fill(username);
  await page.locator('[data-testid="login-password"] input, input[data-testid="login-password"]').first().fill('Gonghui@2026');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user').waitFor();
  return page;
}

/** An el-input / el-select carries its test id on the inner input (or on its root). */
const field = (scope: Page | ReturnType<Page['locator']>, testid: string) =>
  scope
    .locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`)
    .first();

interface TableFit {
  testid: string | null;
  scrollWidth: number;
  clientWidth: number;
  text: string;
}

/** Every visible table's body wrapper: how wide its content is against the room it has. */
async function measure(page: Page): Promise<TableFit[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.el-table')]
      .filter((t) => t.offsetParent !== null && !t.closest('.el-dialog, .el-drawer'))
      .map((t) => {
        const wrap = (t.querySelector('.el-table__body-wrapper .el-scrollbar__wrap') ?? t.querySelector('.el-table__body-wrapper')) as HTMLElement;
        return { testid: t.getAttribute('data-testid'), scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, text: t.innerText };
      }),
  );
}

// Who sees which list page (the 三员 pages belong to the system / security / audit administrators).
const PAGES: { user: string; path: string; table: string; tab?: string; usernames?: boolean }[] = [
  { user: 'city_admin', path: '', table: 'stats-children' },
  { user: 'city_admin', path: 'stats/members.live', table: 'indicator-children' },
  { user: 'city_admin', path: 'members', table: 'member-table' },
  { user: 'city_admin', path: 'join-applications', table: 'join-table' },
  { user: 'city_admin', path: 'join-applications', table: 'join-table', tab: '待我方转出' },
  { user: 'city_admin', path: 'join-applications', table: 'join-table', tab: '全部' },
  { user: 'city_admin', path: 'campaigns', table: 'campaign-table' },
  { user: 'city_admin', path: 'imports', table: 'import-jobs' },
  { user: 'city_admin', path: 'match-lists', table: 'match-table' },
  { user: 'city_admin', path: 'work-queue', table: 'queue-table' },
  { user: 'city_admin', path: 'applications', table: 'apps-table' },
  { user: 'city_admin', path: 'service-types', table: 'service-types-table' },
  { user: 'city_admin', path: 'hardship', table: 'hardship-table' },
  { user: 'city_admin', path: 'aid-funds', table: 'aid-budgets-table' },
  { user: 'city_admin', path: 'aid-funds', table: 'aid-disbursements-table', tab: '发放明细' },
  { user: 'city_admin', path: 'activities', table: 'activity-table' },
  { user: 'city_admin', path: 'stations', table: 'stations-table' },
  { user: 'city_admin', path: 'rights', table: 'consultation-table' },
  { user: 'city_admin', path: 'rights', table: 'case-table', tab: '调解与法律援助' },
  { user: 'city_admin', path: 'rights', table: 'letter-table', tab: '一函两书' },
  { user: 'city_admin', path: 'rights', table: 'ticket-table', tab: '诉求工单' },
  { user: 'city_admin', path: 'rights', table: 'pool-table', tab: '调解员与专家库' },
  { user: 'city_admin', path: 'enterprises', table: 'enterprise-table' },
  { user: 'city_admin', path: 'enterprises', table: 'enterprise-table', tab: '未建会企业' },
  { user: 'city_admin', path: 'contracts', table: 'contract-table' },
  { user: 'city_admin', path: 'democracy', table: 'democracy-table' },
  { user: 'city_admin', path: 'notices', table: 'notice-table' },
  { user: 'city_admin', path: 'models', table: 'models-table' },
  { user: 'city_admin', path: 'studios', table: 'studios-table' },
  { user: 'county_admin', path: 'studios', table: 'points-table', tab: '创新成果积分' },
  { user: 'city_admin', path: 'reform', table: 'reform-table' },
  { user: 'county_admin', path: 'funds', table: 'receivables-table', tab: '应收与欠缴' },
  { user: 'county_admin', path: 'funds', table: 'receipts-table', tab: '到账与分成' },
  { user: 'county_admin', path: 'funds', table: 'budget-table', tab: '预算执行' },
  { user: 'jingshen', path: 'audit-committee', table: 'ac-projects-table' },
  { user: 'sysadmin', path: 'accounts', table: 'account-table', usernames: true },
  { user: 'sysadmin', path: 'roles', table: 'role-table' },
  { user: 'sysadmin', path: 'holidays', table: 'holiday-table' },
  { user: 'secadmin', path: 'sessions', table: 'session-table', usernames: true },
  { user: 'auditor', path: 'audit', table: 'audit-table', usernames: true },
];

describe('console list pages at 1366 × 768', () => {
  it('no table needs sideways scrolling, and no internal code is shown', async () => {
    const problems: string[] = [];
    const pages = new Map<string, Page>();
    for (const p of PAGES) {
      let page = pages.get(p.user);
      if (!page) pages.set(p.user, (page = await signedIn(p.user)));
      await page.goto(`${server.url}/admin/#/${p.path}`);
      if (p.tab) await page.locator('.el-tabs__item', { hasText: p.tab }).click();
      await page.getByTestId(p.table).waitFor();
      // the rows have arrived (or the empty state is shown)
      await page.waitForFunction(
        (tid) => {
          const t = document.querySelector(`[data-testid="${tid}"]`);
          return !!t && !t.querySelector('.el-loading-mask');
        },
        p.table,
        { timeout: 10_000 },
      );
      const fits = await measure(page);
      expect(
        fits.map((f) => f.testid),
        p.path,
      ).toContain(p.table);
      for (const f of fits) {
        if (f.scrollWidth > f.clientWidth + 1) problems.push(`${p.path}${p.tab ? `/${p.tab}` : ''} ${f.testid}: ${f.scrollWidth} > ${f.clientWidth}`);
        // snake_case codes such as hardship_aid or county_review (usernames are people's own words on the 三员 pages)
        const codes = p.usernames ? [] : (f.text.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? []);
        if (codes.length) problems.push(`${p.path} ${f.testid} shows codes: ${codes.join(', ')}`);
      }
      await page.screenshot({ path: screenshotPath(`e2e-console-1366-${p.path}${p.tab ? `-${PAGES.indexOf(p)}` : ''}`) });
    }
    for (const page of pages.values()) await page.close();
    expect(problems).toEqual([]);
    // 41 pages in one test (≈ 1 s each alone; each wait has its own limit): more than one test's 60 s when
    // two e2e files share the machine in CI.
  }, 180_000);

  it('the leader’s home: a figure opens its indicator, a county goes down a level, 查看明细 lists the rows of that county', async () => {
    const page = await signedIn('leader');
    await page.goto(`${server.url}/admin/#/`);
    const live = page.getByTestId('stat-members.live');
    await live.waitFor();
    const cityTotal = Number((await live.locator('.card-value').innerText()).replace(/[^\d]/g, ''));
    expect(cityTotal).toBeGreaterThan(0);
    await live.click();
    await page.getByTestId('indicator-total').waitFor();
    expect(Number((await page.getByTestId('indicator-total').innerText()).replace(/[^\d]/g, ''))).toBe(cityTotal);
    await page.getByTestId('indicator-children').getByText('东台市总工会', { exact: true }).click();
    await page.waitForFunction(() => document.querySelector('.indicator-page')?.textContent?.includes('东台市总工会及下级'));
    const countyTotal = Number((await page.getByTestId('indicator-total').innerText()).replace(/[^\d]/g, ''));
    expect(countyTotal).toBeGreaterThan(0);
    expect(countyTotal).toBeLessThanOrEqual(cityTotal);
    await page.getByTestId('indicator-rows').click();
    await page.waitForURL(/#\/members\?/);
    await page.getByTestId('member-table').locator('.el-table__row').first().waitFor();
    expect(decodeURIComponent(page.url())).toContain('orgName=东台市总工会');
    await page.close();
  });

  it('服务事项 shows 申请数 and 状态 inside the visible table, not under a fixed column', async () => {
    const page = await signedIn('city_admin');
    await page.goto(`${server.url}/admin/#/service-types`);
    const table = page.getByTestId('service-types-table');
    await table.locator('.el-table__row').first().waitFor();
    const box = (await table.boundingBox())!;
    for (const label of ['申请数', '状态']) {
      const th = table.locator('.el-table__header th', { hasText: label }).first();
      const b = (await th.boundingBox())!;
      expect(b.x, label).toBeGreaterThanOrEqual(box.x);
      expect(b.x + b.width, label).toBeLessThanOrEqual(box.x + box.width + 1);
      // left of the fixed 操作 column, not under it
      const op = (await table.locator('.el-table__header th', { hasText: '操作' }).first().boundingBox())!;
      expect(b.x + b.width, label).toBeLessThanOrEqual(op.x + 1);
    }
    expect(await table.innerText()).not.toContain('hardship_aid');
    await page.close();
  });
});

describe('staff edit of one member', () => {
  it('adds a member, corrects the employer and the name, and the audit log reads it back in words', async () => {
    const page = await signedIn('county_admin', { width: 1440, height: 900 });
    await page.goto(`${server.url}/admin/#/members`);
    await page.getByTestId('member-add').click();
    // the 新增 dialog (page) and the 修改 dialog (drawer) both stay in the DOM: the one on screen
    const dialog = page.locator('[data-testid="member-edit-dialog"]:visible');
    await dialog.waitFor();
    await dialog.getByTestId('member-add-org').click();
    await field(dialog, 'member-add-org').fill('永盛家纺');
    await page.locator('.org-select-popper .el-select-dropdown__item', { hasText: '东台永盛家纺有限公司工会委员会' }).first().click();
    await field(dialog, 'member-add-name').fill('钱立新');
    await field(dialog, 'member-add-id').fill(fakeResidentId(7301));
    await field(dialog, 'member-add-phone').fill('13977307301');
    await field(dialog, 'member-edit-employer').fill('东台永盛家纺有限公司');
    await page.screenshot({ path: screenshotPath('e2e-console-member-add') });
    await dialog.getByTestId('member-edit-submit').click();

    // the new member's drawer opens
    const drawer = page.getByTestId('member-drawer');
    await expect.poll(() => drawer.innerText(), { timeout: 10_000 }).toContain('钱立新');
    expect(await drawer.innerText()).toContain('东台永盛家纺有限公司');

    // 修改信息: a new employer
    await drawer.getByTestId('member-edit').click();
    await dialog.waitFor();
    await field(dialog, 'member-edit-employer').fill('东台永盛家纺有限公司二分厂');
    await field(dialog, 'member-edit-reason').fill('调岗');
    await dialog.getByTestId('member-edit-submit').click();
    await expect.poll(() => drawer.innerText(), { timeout: 10_000 }).toContain('二分厂');

    // 更正姓名: needs the evidence seen
    await drawer.getByTestId('member-correct-identity').click();
    await dialog.waitFor();
    await field(dialog, 'member-identity-name').fill('钱利新');
    await field(dialog, 'member-edit-reason').fill('录入时姓名有误');
    await dialog.getByTestId('member-edit-submit').click();
    await expect.poll(() => dialog.innerText(), { timeout: 10_000 }).toContain('请填写核验的证明材料');
    await field(dialog, 'member-identity-evidence').fill('身份证原件已核验');
    await dialog.getByTestId('member-edit-submit').click();
    await expect.poll(() => drawer.innerText(), { timeout: 10_000 }).toContain('钱利新');
    await page.screenshot({ path: screenshotPath('e2e-console-member-corrected') });
    await page.close();

    // the audit administrator reads the three changes in Chinese
    const audit = await signedIn('auditor', { width: 1440, height: 900 });
    await audit.goto(`${server.url}/admin/#/audit`);
    const table = audit.getByTestId('audit-table');
    await table.locator('.el-table__row').first().waitFor();
    const text = await table.innerText();
    for (const words of ['新增会员', '修改会员信息', '更正会员姓名或证件号码', '登录']) expect(text).toContain(words);
    expect(text).not.toMatch(/\bmember\.(add|edit|correct_identity)\b/);
    expect(text).not.toContain('钱利新'); // a member's name is not shown in the audit list
    await audit.screenshot({ path: screenshotPath('e2e-console-audit-words') });
    await audit.close();
  });
});

describe('account form: the roles the chosen union may hold', () => {
  it('a county’s own role is offered for its accounts only; the roles come city first', async () => {
    // 东台's 系统管理员 defines a role of its own (through the API, as the console would).
    const call = async (login: { cookie: string; csrf: string }, method: string, path: string, body?: unknown) => {
      const r = await fetch(`${server.url}${path}`, {
        method,
        headers: { cookie: login.cookie, 'x-csrf-token': login.csrf, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, json: (await r.json()) as any };
    };
    const signIn = async (username: string, password: string) => {
      const r = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      expect(r.status).toBe(200);
      return { cookie: r.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
    };
    const sys = await signIn('sysadmin', 'Gonghui@2026');
    const roles = (await call(sys, 'GET', '/api/roles')).json.items as { id: string; code: string }[];
    const dongtai = (
      (await call(sys, 'GET', `/api/accounts/orgs?q=${encodeURIComponent('东台市总工会')}&page=1&pageSize=5`)).json.items as { id: string; name: string }[]
    ).find((o) => o.name === '东台市总工会')!;
    const made = await call(sys, 'POST', '/api/accounts', {
      username: 'e2e_dt_sys',
      displayName: '东台系统管理员',
      orgId: dongtai.id,
      roleIds: [roles.find((r) => r.code === 'system_admin')!.id],
      password: 'Dongtai#2026x',
    });
    expect(made.status).toBe(200);
    const dt = await signIn('e2e_dt_sys', 'Dongtai#2026x');
    expect((await call(dt, 'POST', '/api/auth/password', { currentPassword: 'Dongtai#2026x', newPassword: 'Dongtai#2026x-New' })).status).toBe(200);
    expect((await call(dt, 'POST', '/api/roles', { code: 'e2e_dt_viewer', name: '东台组织查看员', permissions: ['org:read'] })).status).toBe(200);

    const page = await signedIn('sysadmin');
    await page.goto(`${server.url}/admin/#/accounts`);
    await page.getByTestId('account-create').click();
    const dialog = page.locator('.el-dialog', { hasText: '新建账号' });
    const offered = async () => {
      await dialog.getByTestId('account-form-roles').click();
      const items = page.locator('.account-roles-popper .el-select-dropdown__item:visible > span:first-child');
      await items.first().waitFor();
      const names = await items.allInnerTexts();
      await page.keyboard.press('Escape');
      return names;
    };
    const pickOrg = async (name: string) => {
      await dialog.getByTestId('account-form-org').click();
      await field(dialog, 'account-form-org').fill(name);
      await page.locator('.org-select-popper .el-select-dropdown__item', { hasText: name }).first().click();
    };
    await pickOrg('盐城市总工会');
    const atCity = await offered();
    expect(atCity).not.toContain('东台组织查看员');
    // Highest level first: 市总 before 县总 before 镇街 before 基层.
    expect(atCity.slice(0, 4)).toEqual(['市总管理员', '县总工会管理员', '镇街工会管理员', '基层工会管理员']);
    await pickOrg('东台市总工会');
    expect(await offered()).toContain('东台组织查看员');
    await dialog.getByTestId('account-form-roles').click();
    await page.screenshot({ path: screenshotPath('console-account-roles') });
    await page.screenshot({ path: '/tmp/shots/uxfix/console-account-roles.png' });
    await page.close();
  });
});
