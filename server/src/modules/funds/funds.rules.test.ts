// Issue 17's remaining rules (decision 034) through the HTTP pipeline: a 下拨 or a spending row never takes a
// union below zero (refused with the balance named; racing 下拨 cannot both pass), the aid budgets are lines of
// the 帮扶 category and their payments count as actual, 会费 per member union (switch, rate, bulk month, skip on
// re-run, exemptions, arrears, the member must be in the union's subtree), the 决算 workbook's sheets, the
// 经审委员会 gets 403 on every funds write, and the audit committee's working papers.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { loadExcel } from '../../platform/excel.js';
import { creditCode } from '../contracts/contracts.test-helpers.js';

let t: TestApp;
let county: Client;
let grassroots: Client;
let jingshen: Client;
let sheyang: Client;
const ids: Record<string, string> = {};
const CODE = creditCode(17301, '91320981');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

const receipt = (amount: string, ref: string) =>
  county.post('/api/funds/receipts', { enterpriseId: ids.enterprise, period: '2026-10', amount, receivedOn: '2026-11-10', channel: 'bank', sourceRef: ref });
const allocate = (amount: string, purpose = '建设补助') => county.post('/api/funds/allocations', { toOrgId: ids.town, amount, allocatedOn: '2026-11-20', purpose });
const ledger = async (c: Client, orgId?: string) => (await c.get(`/api/funds/ledger?year=2026${orgId ? `&orgId=${orgId}` : ''}`)).json().union;

beforeAll(async () => {
  t = await createTestApp({ config: { dataDir: mkdtempSync(join(tmpdir(), 'gh-funds-rules-')) } });
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  county = await t.login('county_admin');
  grassroots = await t.login('grassroots_admin');
  jingshen = await t.login('jingshen');
  sheyang = await t.login('sheyang_admin');
  ids.grassroots = (await grassroots.get('/api/auth/me')).json().account.org.id;
  ids.town = (await t.db.selectFrom('orgs').select('parent_id').where('id', '=', ids.grassroots!).executeTakeFirstOrThrow()).parent_id!;
  const e = await county.post('/api/enterprises', {
    orgId: ids.dongtai,
    creditCode: CODE,
    name: '东台余额规则纺织有限公司',
    ownership: 'private',
    industry: 'C',
    size: 'medium',
    employees: 100,
    women: 40,
    migrantWorkers: 10,
    unionOrgId: ids.grassroots,
  });
  expect(e.statusCode, e.body).toBe(200);
  ids.enterprise = e.json().id;
  // the default split 60/10/20/10: the county keeps 2,000.00 of 10,000.00
  expect((await receipt('10000.00', 'YH-RULES-1')).statusCode).toBe(200);
});
afterAll(async () => t?.close());

describe('the balance rule (decision 034)', () => {
  it('a 下拨 larger than the available balance is refused, naming the balance; the ledger stays ≥ 0', async () => {
    expect((await ledger(county)).available).toBe('2000.00');
    const over = await allocate('2000.01');
    expect(over.statusCode).toBe(400);
    expect(over.json().error.message).toBe('东台市总工会可用经费余额为 2000.00 元，不足以下拨 2000.01 元');
    expect(over.json().error.fields.amount).toContain('不足以下拨');
    expect((await allocate('1500.00')).statusCode).toBe(200);
    const spend = await county.post('/api/funds/spending', { category: 'admin', amount: '600.00', spentOn: '2026-11-20', payee: '文印中心', purpose: '办公' });
    expect(spend.statusCode).toBe(400);
    expect(spend.json().error.message).toContain('不足以支出 600.00 元');
    const l = await ledger(county);
    expect(l).toMatchObject({ allocatedOut: '1500.00', available: '500.00', spent: '0.00' });
    // the town received it and may pass it on, but not more
    expect((await ledger(county, ids.town)).available).toBe('2500.00'); // 1,000.00 share + 1,500.00 下拨
    const refusals = await t.db.selectFrom('audit_log').select('outcome').where('action', '=', 'POST /api/funds/allocations').where('outcome', '=', 'failure').execute();
    expect(refusals.length).toBeGreaterThan(0);
  });

  it('the aid budgets are lines of the 帮扶 category: their payments are actual spending and leave the ledger', async () => {
    expect((await county.post('/api/funds/budgets', { year: 2026, category: 'aid', amount: '5000.00' })).statusCode).toBe(200);
    // the city allocates 东台's aid budget (decision 045: money comes from above)
    const b = await (await t.login('city_admin')).post('/api/aid/budgets', { orgId: ids.dongtai, year: 2026, fundCode: 'living', amount: '3000.00', reason: '年度生活救助预算' });
    expect(b.statusCode, b.body).toBe(200);
    const m = await county.post('/api/members', { orgId: ids.grassroots, person: fakePerson(17301) });
    expect(m.statusCode, m.body).toBe(200);
    ids.member = (await t.db.selectFrom('memberships').select('id').where('org_id', '=', ids.grassroots!).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    const d = await county.post('/api/aid/disbursements', { budgetId: b.json().id, amount: '300.00', membershipId: ids.member, cause: '疾病' });
    expect(d.statusCode, d.body).toBe(200);
    const bva = (await county.get('/api/funds/budgets?year=2026')).json();
    const aid = bva.rows.find((r: { category: string }) => r.category === 'aid');
    expect(aid).toMatchObject({ budget: '5000.00', spent: '300.00', count: 1, linesBudget: '3000.00', linesOver: false });
    expect(aid.lines).toEqual([expect.objectContaining({ kind: 'aid', budget: '3000.00', spent: '300.00' })]);
    expect(aid.lines[0].label).toMatch(/^帮扶资金·/);
    expect(await ledger(county)).toMatchObject({ spent: '300.00', aidPaid: '300.00', available: '200.00' });
  });

  it('racing 下拨: of eight at once over a balance of 200.00, exactly two of 100.00 pass', async () => {
    const res = await Promise.all(Array.from({ length: 8 }, (_, i) => allocate('100.00', `并发下拨 ${i}`)));
    expect(res.filter((r) => r.statusCode === 200)).toHaveLength(2);
    expect(res.filter((r) => r.statusCode === 400)).toHaveLength(6);
    expect((await ledger(county)).available).toBe('0.00');
  });

  it('the 决算 is a workbook of 收入, 支出 by category (budget, actual, variance, the aid lines) and 收支结余', async () => {
    const r = await county.get('/api/funds/final-accounts.xlsx?year=2026');
    expect(r.statusCode).toBe(200);
    const wb = new (await loadExcel()).Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['收入决算表', '支出决算表', '收支结余表', '上解与留成']);
    const text = (name: string) => JSON.stringify(wb.getWorksheet(name)!.getSheetValues());
    expect(text('支出决算表')).toContain('差异（预算−决算）');
    expect(text('支出决算表')).toMatch(/其中：帮扶资金·[^"]+",3000,300,2700/);
    expect(text('收入决算表')).toContain('拨缴经费收入（本级分成）",2000');
    expect(text('收支结余表')).toContain('年末结余",0');
  });
});

describe('会费 per member union', () => {
  it('is off until the union switches it on; the rate defaults to 0.5 %', async () => {
    const off = (await grassroots.get('/api/funds/dues?period=2026-10')).json();
    expect(off.settings).toEqual({ enabled: false, ratePercent: '0.5', version: 0 });
    const refused = await grassroots.post('/api/funds/dues/records', { period: '2026-10', paidOn: '2026-10-15', items: [{ membershipId: ids.member, wage: '6000.00' }] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('未开启会费收缴');
    const on = await grassroots.post('/api/funds/dues/settings', { enabled: true, ratePercent: '0.5' });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toEqual({ enabled: true, ratePercent: '0.5', version: 1 });
    const stale = await grassroots.post('/api/funds/dues/settings', { enabled: true, ratePercent: '1', version: 0 });
    expect(stale.statusCode).toBe(409);
    const bad = await grassroots.post('/api/funds/dues/settings', { enabled: true, ratePercent: '12' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('会费比例');
  });

  it('a month in bulk: 0.5 % of each wage (or the amount typed), a re-run adds nothing, outsiders and the exempt refused', async () => {
    const m2 = await county.post('/api/members', { orgId: ids.grassroots, person: fakePerson(17302) });
    expect(m2.statusCode, m2.body).toBe(200);
    ids.member2 = (await t.db.selectFrom('memberships').select('id').where('org_id', '=', ids.grassroots!).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    const sy = await sheyang.post('/api/members', { orgId: await orgIdByName(t, '射阳县总工会'), person: fakePerson(17303) });
    expect(sy.statusCode, sy.body).toBe(200);
    const outsider = (await t.db.selectFrom('memberships').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    const body = {
      period: '2026-10',
      paidOn: '2026-10-15',
      items: [
        { membershipId: ids.member, wage: '6000.00' },
        { membershipId: ids.member2, wage: '4321.00', amount: '20.00' },
        { membershipId: outsider, wage: '5000.00' },
      ],
    };
    const r = await grassroots.post('/api/funds/dues/records', body);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ added: 2, skipped: 0, amount: '50.00', refused: [{ membershipId: outsider, reason: '不是本会在册会员' }] });
    const again = (await grassroots.post('/api/funds/dues/records', body)).json();
    expect(again).toMatchObject({ added: 0, skipped: 2, amount: '0.00' });
    const list = (await grassroots.get('/api/funds/dues?period=2026-10')).json();
    expect(list.figures).toMatchObject({ members: 2, paid: 2, unpaid: 0, exempt: 0, amount: '50.00', yearAmount: '50.00' });
    expect(list.items.find((i: { membershipId: string }) => i.membershipId === ids.member)).toMatchObject({ wage: '6000.00', amount: '30.00', statusLabel: '已缴' });
    expect(list.months).toEqual([{ period: '2026-10', count: 2, amount: '50.00' }]);
    // 会费 is income of the union's ledger
    expect((await ledger(grassroots)).dues).toBe('50.00');
  });

  it('exemptions carry a reason; the arrears list shows who owes which months', async () => {
    const x = await grassroots.post('/api/funds/dues/exemptions', { membershipId: ids.member2, reason: '困难职工，经工会委员会研究免缴' });
    expect(x.statusCode, x.body).toBe(200);
    expect((await grassroots.post('/api/funds/dues/exemptions', { membershipId: ids.member2, reason: '重复' })).statusCode).toBe(409);
    const nov = (await grassroots.get('/api/funds/dues?period=2026-11&status=unpaid')).json();
    expect(nov.figures).toMatchObject({ members: 2, paid: 0, unpaid: 1, exempt: 1 });
    expect(nov.items).toHaveLength(1);
    expect(nov.items[0]).toMatchObject({ membershipId: ids.member, statusLabel: '未缴', owedMonths: 1 });
    const exempt = (await grassroots.get('/api/funds/dues?period=2026-11&status=exempt')).json();
    expect(exempt.items[0]).toMatchObject({ membershipId: ids.member2, statusLabel: '免缴', exemption: { reason: '困难职工，经工会委员会研究免缴' } });
    const refused = await grassroots.post('/api/funds/dues/records', { period: '2026-11', paidOn: '2026-11-15', items: [{ membershipId: ids.member2, wage: '4000.00' }] });
    expect(refused.json().refused).toEqual([{ membershipId: ids.member2, reason: '该会员已免缴会费' }]);
    expect((await grassroots.post(`/api/funds/dues/exemptions/${x.json().id}/revoke`)).statusCode).toBe(200);
    expect((await grassroots.post(`/api/funds/dues/exemptions/${x.json().id}/revoke`)).statusCode).toBe(409);
    const after = (await grassroots.get('/api/funds/dues?period=2026-11')).json();
    expect(after.figures).toMatchObject({ unpaid: 2, exempt: 0 });
    const actions = (await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'funds.dues.%').execute()).map((a) => a.action);
    for (const a of ['funds.dues.settings', 'funds.dues.record', 'funds.dues.exempt', 'funds.dues.exemption_revoke']) expect(actions).toContain(a);
  });

  it('the anonymous get 401; the 经审委员会 reads the dues but cannot record them', async () => {
    expect((await t.anonymous.get('/api/funds/dues')).statusCode).toBe(401);
    expect((await t.anonymous.post('/api/funds/dues/records', {})).statusCode).toBe(401);
    expect((await jingshen.get(`/api/funds/dues?orgId=${ids.grassroots}&period=2026-10`)).json().figures.paid).toBe(2);
  });
});

describe('separation', () => {
  it('the 经审委员会 gets 403 on every funds write route', async () => {
    const writes = t.routes.filter((r) => r.url.startsWith('/api/funds/') && r.method !== 'GET');
    expect(writes.length).toBeGreaterThanOrEqual(15);
    for (const r of writes) {
      const url = r.url.replace(/:(\w+)/g, '1');
      const res = await jingshen.request({ method: r.method as 'POST', url, payload: {} });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
    }
    // and the GET that makes a letter in the funds office's name
    expect((await jingshen.get('/api/funds/receivables/1/notice.docx')).statusCode).toBe(403);
  });
});

describe('working papers of an audit project', () => {
  it('the committee uploads; the audited union reads (audited); nobody else adds or reads', async () => {
    const p = await jingshen.post('/api/audit-committee/projects', {
      auditedOrgId: ids.grassroots,
      kind: 'special_fund',
      title: '帮扶资金专项审计',
      periodFrom: '2026-01-01',
      periodTo: '2026-10-31',
      team: '王审计',
    });
    expect(p.statusCode, p.body).toBe(200);
    ids.project = p.json().id;
    const up = (c: Client, body: Buffer, name = '底稿.pdf', title = '') =>
      c.request({
        method: 'POST',
        url: `/api/audit-committee/projects/${ids.project}/papers?fileName=${encodeURIComponent(name)}${title ? `&title=${encodeURIComponent(title)}` : ''}`,
        payload: body,
        headers: { 'content-type': 'application/octet-stream' },
      });
    const w = await up(jingshen, PDF, '抽查凭证底稿.pdf', '帮扶资金发放抽查底稿');
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json()).toMatchObject({ title: '帮扶资金发放抽查底稿', fileName: '抽查凭证底稿.pdf' });
    expect((await up(jingshen, PNG, '照片.png')).statusCode).toBe(200);
    const bad = await up(jingshen, Buffer.from('PK\u0003\u0004 not allowed'), 'x.docx');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('JPG、PNG 图片或 PDF');
    // the audited union's staff have no auditcommittee:manage
    expect((await up(grassroots, PDF)).statusCode).toBe(403);
    const list = (await grassroots.get(`/api/audit-committee/projects/${ids.project}/papers`)).json();
    expect(list.items.map((i: { title: string }) => i.title)).toEqual(['帮扶资金发放抽查底稿', '照片.png']);
    const got = await grassroots.get(`/api/audit-committee/projects/${ids.project}/papers/${w.json().id}`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PDF)).toBe(true);
    expect((await sheyang.get(`/api/audit-committee/projects/${ids.project}/papers/${w.json().id}`)).statusCode).toBe(404);
    expect((await t.anonymous.get(`/api/audit-committee/projects/${ids.project}/papers`)).statusCode).toBe(401);
    const actions = (await t.db.selectFrom('audit_log').select(['action', 'actor_name']).where('action', 'like', 'auditcommittee.paper.%').execute()).map((a) => a.action);
    expect(actions.filter((a) => a === 'auditcommittee.paper.upload')).toHaveLength(2);
    expect(actions).toContain('auditcommittee.paper.read');
  });

  it('a committee auditing its own union files papers; an account that also keeps that union’s funds cannot', async () => {
    const own = await jingshen.post('/api/audit-committee/projects', {
      auditedOrgId: ids.dongtai,
      kind: 'final_accounts',
      title: '东台市总工会本级决算审计',
      periodFrom: '2025-01-01',
      periodTo: '2025-12-31',
      team: '经审委员会',
    });
    expect(own.statusCode, own.body).toBe(200);
    const put = (c: Client) =>
      c.request({ method: 'POST', url: `/api/audit-committee/projects/${own.json().id}/papers?fileName=x.pdf`, payload: PDF, headers: { 'content-type': 'application/octet-stream' } });
    expect((await put(jingshen)).statusCode).toBe(200);
    const sys = await t.login('sysadmin');
    const roles = (await sys.get('/api/roles')).json().items as { id: string; code: string }[];
    const made = await sys.post('/api/accounts', {
      username: 'dt_both_roles',
      displayName: '东台兼职人员',
      orgId: ids.dongtai,
      roleIds: ['county_admin', 'audit_committee'].map((c) => roles.find((r) => r.code === c)!.id),
      password: 'Both#Roles2026',
    });
    expect(made.statusCode, made.body).toBe(200);
    const both = await t.firstLogin('dt_both_roles', 'Both#Roles2026');
    const refused = await put(both);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('经审委员会上传');
  });
});
