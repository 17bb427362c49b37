// 工会经费 through the HTTP pipeline: a unionised enterprise of the register owes 2 % of its payroll; a
// 税务代收 statement is imported (bad rows reported, a re-import adds nothing); each receipt is split
// between the grassroots union, the town, the county and the city by the county's ratios to the fen;
// the ledgers balance; 催缴 reaches the enterprise's union and the letter is a .docx; the county
// allocates to a town; a 疗休养's cost draws on the county budget; the 经审委员会 reads but cannot
// write; 射阳 gets 404 and the anonymous 401.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { docxText } from '../../../../tests/support/docx-text.js';
import { creditCode } from '../contracts/contracts.test-helpers.js';

let t: TestApp;
let county: Client;
let grassroots: Client;
let sheyang: Client;
let jingshen: Client;
const ids: Record<string, string> = {};
const CODE = creditCode(17001, '91320981');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const upload = (c: Client, csv: string, name = '税务代收对账单.csv') =>
  c.request({
    method: 'POST',
    url: `/api/funds/import?fileName=${encodeURIComponent(name)}`,
    payload: Buffer.from(csv, 'utf8'),
    headers: { 'content-type': 'application/octet-stream' },
  });

beforeAll(async () => {
  t = await createTestApp({ config: { dataDir: mkdtempSync(join(tmpdir(), 'gh-funds-')) } });
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  county = await t.login('county_admin');
  grassroots = await t.login('grassroots_admin');
  sheyang = await t.login('sheyang_admin');
  jingshen = await t.login('jingshen');
  const me = (await grassroots.get('/api/auth/me')).json().account.org;
  ids.grassroots = me.id;
  const g = await t.db.selectFrom('orgs').select(['parent_id']).where('id', '=', ids.grassroots!).executeTakeFirstOrThrow();
  ids.town = g.parent_id!;
  const e = await county.post('/api/enterprises', {
    orgId: ids.dongtai,
    creditCode: CODE,
    name: '东台经费示范纺织有限公司',
    ownership: 'private',
    industry: 'C',
    size: 'medium',
    employees: 200,
    women: 90,
    migrantWorkers: 40,
    unionOrgId: ids.grassroots,
  });
  expect(e.statusCode, e.body).toBe(200);
  ids.enterprise = e.json().id;
});
afterAll(async () => t?.close());

describe('工会经费', () => {
  it('sets the county’s sharing ratios for the year (they must sum to 100 %)', async () => {
    const bad = await county.post('/api/funds/ratios', { orgId: ids.dongtai, year: 2026, grassroots: '60', town: '10', county: '20', city: '5' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('100%');
    const ok = await county.post('/api/funds/ratios', { orgId: ids.dongtai, year: 2026, grassroots: '55', town: '15', county: '20', city: '10' });
    expect(ok.statusCode, ok.body).toBe(200);
    const s = (await county.get('/api/funds/settings')).json();
    expect(s.defaults.ratePercent).toBe('2');
    expect(s.ratios[0]).toMatchObject({ year: 2026, grassroots: '55', town: '15', county: '20', city: '10' });
  });

  it('a receivable is 2 % of the payroll; a second one for the same month is refused', async () => {
    const r = await county.post('/api/funds/receivables', { enterpriseId: ids.enterprise, period: '2026-09', payroll: '100000.00' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ due: '2000.00', received: '0.00', arrears: '2000.00', statusLabel: '欠缴', ratePercent: '2' });
    ids.receivable = r.json().id;
    const again = await county.post('/api/funds/receivables', { enterpriseId: ids.enterprise, period: '2026-09', payroll: '1.00' });
    expect(again.statusCode).toBe(409);
  });

  it('imports a 税务代收 statement: bad rows reported with reasons, a re-import adds nothing', async () => {
    const csv = [
      '统一社会信用代码,缴费单位名称,所属期,计费工资总额,实缴金额,入库日期,电子税票号码',
      `${CODE},东台经费示范纺织有限公司,2026-10,100000.00,2000.00,2026-11-10,332026110000001`,
      `91320981MA1XXXXXX,代码错误,2026-10,,100.00,2026-11-10,332026110000002`,
      `${CODE},东台经费示范纺织有限公司,2026-10,,12.345,2026-11-10,332026110000003`,
      `${CODE},东台经费示范纺织有限公司,2026-10,,100.00,2026-11-10,332026110000001`,
      `${creditCode(17999, '91320981')},未登记企业,2026-10,,100.00,2026-11-10,332026110000005`,
    ].join('\n');
    const job = await upload(county, csv);
    expect(job.statusCode, job.body).toBe(200);
    await t.services.features.funds.imports.idle();
    const done = (await county.get(`/api/funds/import-jobs/${job.json().id}`)).json();
    expect(done).toMatchObject({ status: 'done', added: 1, duplicate: 0, failed: 4 });
    const report = await county.get(`/api/funds/import-jobs/${job.json().id}/errors.xlsx`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toContain('spreadsheetml');

    const again = await upload(county, csv);
    await t.services.features.funds.imports.idle();
    const second = (await county.get(`/api/funds/import-jobs/${again.json().id}`)).json();
    expect(second).toMatchObject({ status: 'done', added: 0, duplicate: 1, failed: 4 });
    const receipts = (await county.get('/api/funds/receipts?year=2026&channel=tax')).json();
    expect(receipts.total).toBe(1);
    // the statement's payroll made the month's receivable
    const oct = (await county.get('/api/funds/receivables?period=2026-10')).json();
    expect(oct.items[0]).toMatchObject({ due: '2000.00', received: '2000.00', arrears: '0.00', statusLabel: '已缴清' });
  });

  it('splits every receipt between the levels as configured, to the fen', async () => {
    const r = (await county.get('/api/funds/receipts?year=2026')).json().items[0];
    expect(r.amount).toBe('2000.00');
    expect(Object.fromEntries(r.shares.map((s: { level: string; amount: string }) => [s.level, s.amount]))).toEqual({
      grassroots: '1100.00',
      town: '300.00',
      county: '400.00',
      city: '200.00',
    });
    const bank = await county.post('/api/funds/receipts', {
      enterpriseId: ids.enterprise,
      period: '2026-09',
      amount: '1000.01',
      receivedOn: '2026-11-15',
      channel: 'bank',
      sourceRef: 'YH20261115001',
    });
    expect(bank.statusCode, bank.body).toBe(200);
    const shares = bank.json().shares as { amount: string }[];
    expect(shares.reduce((a, s) => a + Math.round(Number(s.amount) * 100), 0)).toBe(100001);
    const dup = await county.post('/api/funds/receipts', { enterpriseId: ids.enterprise, period: '2026-09', amount: '5.00', receivedOn: '2026-11-15', channel: 'bank', sourceRef: 'YH20261115001' });
    expect(dup.statusCode).toBe(409);
    const sep = (await county.get(`/api/funds/receivables/${ids.receivable}`)).json();
    expect(sep).toMatchObject({ received: '1000.01', arrears: '999.99', statusLabel: '部分缴纳' });
    const arrears = (await county.get('/api/funds/receivables?arrears=1')).json();
    expect(arrears.items.map((i: { period: string }) => i.period)).toEqual(['2026-09']);
    expect(arrears.totals.arrears).toBe('999.99');
  });

  it('each union’s ledger balances: collected = own + owed upward + kept below', async () => {
    const l = (await county.get('/api/funds/ledger?year=2026')).json();
    expect(l.union).toMatchObject({ collected: '3000.01', balanced: true });
    const fen = (v: string) => Math.round(Number(v) * 100);
    expect(fen(l.union.own) + fen(l.union.upward) + fen(l.union.below)).toBe(300001);
    expect(l.union.upward).toBe('300.00');
    const g = (await grassroots.get('/api/funds/ledger?year=2026')).json().union;
    expect(g).toMatchObject({ collected: '3000.01', below: '0.00', balanced: true });
    expect(fen(g.own) + fen(g.upward)).toBe(300001);
  });

  it('催缴: a message to the enterprise’s union and a GB/T 9704 letter', async () => {
    const sent = await county.post(`/api/funds/receivables/${ids.receivable}/remind`);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ arrears: '999.99' });
    expect(sent.json().sent).toBeGreaterThan(0);
    const inbox = (await grassroots.get('/api/messages')).json().items as { title: string; body: string }[];
    expect(inbox.some((m) => m.title.includes('工会经费催缴') && m.body.includes('999.99'))).toBe(true);
    const letter = await county.get(`/api/funds/receivables/${ids.receivable}/notice.docx`);
    expect(letter.statusCode).toBe(200);
    const text = docxText(letter.rawPayload);
    expect(text).toContain('工会经费催缴通知书');
    expect(text).toContain('东台经费示范纺织有限公司');
    expect(text).toContain('999.99');
  });

  it('a reduction needs a reason and an approval, and never exceeds what is due', async () => {
    const v = (await county.get(`/api/funds/receivables/${ids.receivable}`)).json();
    const tooMuch = await county.post(`/api/funds/receivables/${ids.receivable}/reduction`, { version: v.version, amount: '3000.00', reason: '困难企业', approvedBy: '东工〔2026〕8号' });
    expect(tooMuch.statusCode).toBe(400);
    const ok = await county.post(`/api/funds/receivables/${ids.receivable}/reduction`, { version: v.version, amount: '999.99', reason: '困难企业', approvedBy: '东工〔2026〕8号' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ arrears: '0.00', statusLabel: '已缴清' });
  });

  it('the county allocates to a town in its subtree; the town sees it received', async () => {
    const outside = await county.post('/api/funds/allocations', { toOrgId: await orgIdByName(t, '射阳县总工会'), amount: '10.00', allocatedOn: '2026-11-20', purpose: '越权' });
    expect(outside.statusCode).toBe(404);
    const a = await county.post('/api/funds/allocations', { toOrgId: ids.town, amount: '300.00', allocatedOn: '2026-11-20', purpose: '基层工会建设补助' });
    expect(a.statusCode, a.body).toBe(200);
    const l = (await county.get(`/api/funds/ledger?year=2026&orgId=${ids.town}`)).json();
    expect(l.union.allocatedIn).toBe('300.00');
    const c = (await county.get('/api/funds/ledger?year=2026')).json();
    expect(c.union.allocatedOut).toBe('300.00');
    expect(c.union.available).toBe('300.00'); // 400.00 + 200.00 own shares − 300.00
    expect(c.children.find((x: { org: { id: string } }) => x.org.id === ids.town).allocatedIn).toBe('300.00');
    const list = (await county.get('/api/funds/allocations?year=2026')).json();
    expect(list.items[0]).toMatchObject({ amount: '300.00', purpose: '基层工会建设补助' });
  });

  it('a 疗休养’s cost draws on the county budget and shows in budget vs actual; vouchers attach', async () => {
    const act = await t.db
      .insertInto('activities')
      .values({ org_id: ids.dongtai, org_path: (await t.db.selectFrom('orgs').select('path').where('id', '=', ids.dongtai!).executeTakeFirstOrThrow()).path, type: 'recuperation', title: '劳模疗休养（黄山）', enrollment_mode: 'approval', budget: '400.00', starts_on: '2026-12-01' } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.activity = (act as { id: string }).id;
    const b = await county.post('/api/funds/budgets', { year: 2026, category: 'activities', amount: '500.00', note: '含疗休养' });
    expect(b.statusCode, b.body).toBe(200);
    const s = await county.post('/api/funds/spending', {
      category: 'activities',
      amount: '120.00',
      spentOn: '2026-11-18',
      payee: '黄山职工疗休养基地',
      purpose: '劳模疗休养第一批费用',
      activityId: ids.activity,
    });
    expect(s.statusCode, s.body).toBe(200);
    const bva = (await county.get('/api/funds/budgets?year=2026')).json();
    expect(bva.rows.find((r: { category: string }) => r.category === 'activities')).toMatchObject({ budget: '500.00', spent: '120.00', balance: '380.00', rate: 24 });
    // the activity's own budget is a line of the 职工活动 category (decision 034)
    expect(bva.rows.find((r: { category: string }) => r.category === 'activities').lines).toEqual([
      expect.objectContaining({ kind: 'activity', id: ids.activity, label: '劳模疗休养（黄山）', budget: '400.00', spent: '120.00', committed: '0.00' }),
    ]);
    const rows = (await county.get(`/api/funds/spending?activityId=${ids.activity}`)).json();
    expect(rows.items[0].activity).toMatchObject({ title: '劳模疗休养（黄山）' });
    const v = await county.request({ method: 'POST', url: `/api/funds/spending/${s.json().id}/vouchers?fileName=发票.png`, payload: PNG, headers: { 'content-type': 'image/png' } });
    expect(v.statusCode, v.body).toBe(200);
    const got = await county.get(`/api/funds/spending/${s.json().id}/vouchers/${v.json().id}`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PNG)).toBe(true);
    const bad = await county.request({ method: 'POST', url: `/api/funds/spending/${s.json().id}/vouchers`, payload: Buffer.from('not a file'), headers: { 'content-type': 'text/plain' } });
    expect(bad.statusCode).toBe(400);
    const xlsx = await county.get('/api/funds/final-accounts.xlsx?year=2026');
    expect(xlsx.statusCode).toBe(200);
    // an activity of another county cannot be named
    const other = await sheyang.post('/api/funds/spending', { category: 'activities', amount: '1.00', spentOn: '2026-11-18', payee: 'x', purpose: 'y', activityId: ids.activity });
    expect(other.statusCode).toBe(404);
  });

  it('the 经审委员会 reads the funds it audits but cannot change them', async () => {
    expect((await jingshen.get('/api/funds/ledger?year=2026')).statusCode).toBe(200);
    expect((await jingshen.get('/api/funds/receivables')).json().total).toBeGreaterThan(0);
    for (const [url, body] of [
      ['/api/funds/allocations', { toOrgId: ids.town, amount: '1.00', allocatedOn: '2026-11-20', purpose: '经审不能下拨' }],
      ['/api/funds/receipts', { enterpriseId: ids.enterprise, period: '2026-09', amount: '1.00', receivedOn: '2026-11-15', channel: 'bank' }],
      ['/api/funds/budgets', { year: 2026, category: 'admin', amount: '1.00' }],
    ] as const) {
      const r = await jingshen.post(url, body);
      expect(r.statusCode, url).toBe(403);
    }
  });

  it('the indicator catalogue counts funds collected (with the rows behind it) and the arrears snapshot', async () => {
    const ind = await county.get('/api/stats/indicators/funds.collected?from=2026-01-01&to=2026-11-21');
    expect(ind.statusCode, ind.body).toBe(200);
    const body = ind.json();
    expect(JSON.stringify(body)).toContain('工会经费到账');
    expect(JSON.stringify(body)).toContain('3000.01');
    await t.services.features.stats.service.takeSnapshot();
    const arrears = await county.get('/api/stats/indicators/funds.arrears');
    expect(arrears.statusCode, arrears.body).toBe(200);
    expect(arrears.body).toContain('/funds');
  });

  it('another county gets 404; the anonymous 401; every write is in the audit trail', async () => {
    expect((await sheyang.get(`/api/funds/receivables/${ids.receivable}`)).statusCode).toBe(404);
    expect((await sheyang.post(`/api/funds/receivables/${ids.receivable}/remind`)).statusCode).toBe(404);
    expect((await sheyang.get(`/api/funds/ledger?year=2026&orgId=${ids.dongtai}`)).statusCode).toBe(404);
    expect((await sheyang.get('/api/funds/receipts?year=2026')).json().total).toBe(0);
    expect((await t.anonymous.get('/api/funds/receipts')).statusCode).toBe(401);
    const actions = (await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'funds.%').execute()).map((r) => r.action);
    for (const a of ['funds.ratios.set', 'funds.receivable.create', 'funds.statement.import', 'funds.receipt.create', 'funds.receivable.remind', 'funds.allocation.create', 'funds.budget.set', 'funds.spending.create', 'funds.voucher.upload'])
      expect(actions, a).toContain(a);
  });

  it('催缴 on a schedule: a past month in arrears is reminded once, again only after 30 days', async () => {
    const r = await county.post('/api/funds/receivables', { enterpriseId: ids.enterprise, period: '2026-08', payroll: '1000.00' });
    expect(r.statusCode, r.body).toBe(200);
    const sweep = () => t.services.features.funds.service.sendDueReminders();
    expect(await sweep()).toBe(1);
    expect(await sweep()).toBe(0);
    t.clock.advance(31 * 86_400_000);
    expect(await sweep()).toBe(1);
    const audited = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'funds.receivable.remind_scheduled').execute();
    expect(audited).toHaveLength(2);
  });
  it('a ticket number another county used for its own enterprise does not make this enterprise’s receipt a duplicate', async () => {
    const sheyang = await t.login('sheyang_admin'); // the sweep above moved the clock past the sessions
    const county = await t.login('county_admin');
    const syPath = (await t.db.selectFrom('orgs').select('path').where('name', '=', '射阳县总工会').executeTakeFirstOrThrow()).path;
    const syUnion = await t.db.selectFrom('orgs').select('id').where('path', 'like', `${syPath}%`).where('type', '=', 'grassroots').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const e = await sheyang.post('/api/enterprises', {
      orgId: await orgIdByName(t, '射阳县总工会'),
      creditCode: creditCode(17002, '91320924'),
      name: '射阳经费测试有限公司',
      ownership: 'private',
      industry: 'C',
      size: 'small',
      employees: 40,
      women: 10,
      migrantWorkers: 5,
      unionOrgId: syUnion.id,
    });
    expect(e.statusCode, e.body).toBe(200);
    const receipt = (enterpriseId: string, amount: string) => ({ enterpriseId, period: '2026-10', amount, receivedOn: '2026-11-16', channel: 'bank', sourceRef: 'YH20261116777' });
    const theirs = await sheyang.post('/api/funds/receipts', receipt(e.json().id, '10.00'));
    expect(theirs.statusCode, theirs.body).toBe(200);
    const ours = await county.post('/api/funds/receipts', receipt(ids.enterprise!, '20.00'));
    expect(ours.statusCode, ours.body).toBe(200);
  });
});
