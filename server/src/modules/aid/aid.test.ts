import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember, type TestMember } from '../../../../tests/support/members.js';
import { AppError } from '../../platform/errors.js';
import { fenOf, fromFen, toFen } from '../../platform/money.js';

let t: TestApp;
let county: Client;
let city: Client;
let dongtai: string;
let member: TestMember;

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('county_admin');
  city = await t.login('city_admin');
  dongtai = await orgIdByName(t, '东台市总工会');
  member = await makeMember(t, dongtai, 3001);
});
afterAll(async () => t?.close());

describe('money in fen', () => {
  it('converts yuan strings without floats', () => {
    expect(toFen('0.1')).toBe(10n);
    expect(toFen('1000')).toBe(100000n);
    expect(fromFen(toFen('0.1') + toFen('0.2'))).toBe('0.30');
    expect(fenOf('-3.5')).toBe(-350n);
    expect(() => toFen('1.234')).toThrow();
  });
});

describe('budgets and the ledger', () => {
  let budgetId: string;
  let disbursementId: string;

  it('allocates a budget per union per year per fund; a second one for the same key is refused', async () => {
    const r = await city.post('/api/aid/budgets', { orgId: dongtai, year: 2026, fundCode: 'living', amount: '50000', reason: '年度生活救助预算' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ amount: '50000.00', spent: '0.00', balance: '50000.00', fundName: '生活救助', year: 2026 });
    budgetId = r.json().id;
    expect(r.json().movements).toHaveLength(1);
    expect(r.json().movements[0]).toMatchObject({ kind: 'allocation', amount: '50000.00', balanceAfter: '50000.00', reason: '年度生活救助预算' });
    const again = await city.post('/api/aid/budgets', { orgId: dongtai, year: 2026, fundCode: 'living', amount: '1', reason: '重复下达' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('已有 2026 年度「生活救助」预算');
  });

  it('refuses amounts as numbers (no floats) and more than 2 decimals', async () => {
    const asNumber = await county.post('/api/aid/disbursements', { budgetId, amount: 100, membershipId: member.membershipId });
    expect(asNumber.statusCode).toBe(400);
    const threeDp = await county.post('/api/aid/disbursements', { budgetId, amount: '1.005', membershipId: member.membershipId });
    expect(threeDp.statusCode).toBe(400);
    expect(threeDp.json().error.fields.amount).toContain('两位小数');
  });

  it('disburses to a member; the balance and the ledger follow', async () => {
    const r = await county.post('/api/aid/disbursements', { budgetId, amount: '1234.56', membershipId: member.membershipId, note: '生活困难补助' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ budgetId, balanceAfter: '48765.44' });
    disbursementId = r.json().disbursementId;
    const b = (await county.get(`/api/aid/budgets/${budgetId}`)).json();
    expect(b).toMatchObject({ amount: '50000.00', spent: '1234.56', balance: '48765.44' });
    expect(b.movements.map((m: { kind: string; amount: string }) => [m.kind, m.amount])).toEqual([
      ['allocation', '50000.00'],
      ['disbursement', '-1234.56'],
    ]);
    expect(b.movements[1].actorName).toContain('county_admin');
  });

  it('never pays more than the balance', async () => {
    const r = await county.post('/api/aid/disbursements', { budgetId, amount: '48765.45', membershipId: member.membershipId });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toContain('帮扶资金余额不足');
    expect(r.json().error.message).toContain('48765.44');
    const exact = await county.post('/api/aid/disbursements', { budgetId, amount: '48765.44', membershipId: member.membershipId });
    expect(exact.statusCode, exact.body).toBe(200);
    expect(exact.json().balanceAfter).toBe('0.00');
    const reversed = await county.post(`/api/aid/disbursements/${exact.json().disbursementId}/reverse`, { reason: '录入错误，冲正' });
    expect(reversed.statusCode, reversed.body).toBe(200);
    expect(reversed.json()).toMatchObject({ status: 'reversed', reversalReason: '录入错误，冲正' });
    const twice = await county.post(`/api/aid/disbursements/${exact.json().disbursementId}/reverse`, { reason: '再次冲正' });
    expect(twice.statusCode).toBe(409);
    const b = (await county.get(`/api/aid/budgets/${budgetId}`)).json();
    expect(b).toMatchObject({ spent: '1234.56', balance: '48765.44' });
    expect(b.movements.at(-1)).toMatchObject({ kind: 'reversal', amount: '48765.44', balanceAfter: '48765.44', reason: '录入错误，冲正' });
  });

  it('adjusts down (its own staff) and up (the level above) with a reason, never below what was spent', async () => {
    const below = await county.post(`/api/aid/budgets/${budgetId}/adjust`, { amount: '1000', reason: '压减预算' });
    expect(below.statusCode).toBe(409);
    expect(below.json().error.message).toContain('不能低于已支出金额（已支出 1234.56 元）');
    const noReason = await county.post(`/api/aid/budgets/${budgetId}/adjust`, { amount: '2000' });
    expect(noReason.statusCode).toBe(400);
    const down = await county.post(`/api/aid/budgets/${budgetId}/adjust`, { amount: '1234.56', reason: '压减至已支出' });
    expect(down.statusCode, down.body).toBe(200);
    expect(down.json()).toMatchObject({ amount: '1234.56', balance: '0.00' });
    const up = await city.post(`/api/aid/budgets/${budgetId}/adjust`, { amount: '60000.00', reason: '追加预算' });
    expect(up.json()).toMatchObject({ amount: '60000.00', spent: '1234.56', balance: '58765.44' });
    expect(
      up
        .json()
        .movements.slice(-2)
        .map((m: { kind: string; amount: string }) => [m.kind, m.amount]),
    ).toEqual([
      ['adjustment', '-48765.44'],
      ['adjustment', '58765.44'],
    ]);
    const row = await t.db.selectFrom('aid_budgets').select(['amount', 'spent']).where('id', '=', budgetId).executeTakeFirstOrThrow();
    expect(fenOf(row.amount) - fenOf(row.spent)).toBe(5876544n);
  });

  it('lists budgets in scope with filters and totals', async () => {
    await city.post('/api/aid/budgets', { orgId: dongtai, year: 2026, fundCode: 'medical', amount: '30000', reason: '医疗救助预算' });
    const all = (await county.get('/api/aid/budgets?year=2026')).json();
    expect(all.total).toBe(2);
    expect(all.totals).toMatchObject({ amount: '90000.00', spent: '1234.56', balance: '88765.44' });
    const medical = (await county.get('/api/aid/budgets?fundCode=medical')).json();
    expect(medical.items.map((b: { fundCode: string }) => b.fundCode)).toEqual(['medical']);
    const none = (await county.get('/api/aid/budgets?year=2025')).json();
    expect(none.total).toBe(0);
  });

  it('exports the ledger as .xlsx', async () => {
    const r = await county.get(`/api/aid/budgets/${budgetId}/ledger.xlsx`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(3).getCell(3).value).toBe('类型');
    const kinds = [];
    for (let i = 4; i <= ws.rowCount; i++) kinds.push(ws.getRow(i).getCell(3).value);
    expect(kinds).toEqual(['下达预算', '发放', '发放', '冲正', '调整预算', '调整预算']);
  });

  it('figures per subtree: by fund, by cause, budget vs spent — each with the parameters of its rows', async () => {
    const f = (await county.get(`/api/orgs/${dongtai}/aid-figures?year=2026`)).json();
    expect(f.byFund).toEqual([
      { fundCode: 'living', fundName: '生活救助', count: 1, amount: '1234.56', rows: { fundCode: 'living', year: 2026, orgId: dongtai } },
    ]);
    expect(f.byCause).toEqual([{ cause: null, causeLabel: '未分类', count: 1, amount: '1234.56', rows: { cause: '未分类', year: 2026, orgId: dongtai } }]);
    expect(f.totals).toEqual({ budget: '90000.00', spent: '1234.56', balance: '88765.44' });
    const rows = (await county.get(`/api/aid/disbursements?cause=${encodeURIComponent('未分类')}&year=2026&orgId=${dongtai}&status=paid`)).json();
    expect(rows.total).toBe(1);
    expect(rows.items[0]).toMatchObject({ id: disbursementId, amount: '1234.56', person: { id: member.personId } });
    expect(rows.items[0].person.idMasked).toMatch(/\*{4}/);
  });
});

describe('money comes from above (decision 045)', () => {
  const body = (orgId: string, fundCode = 'education', amount = '20000.00') => ({ orgId, year: 2026, fundCode, amount, reason: '助学救助预算' });
  let budgetId: string;

  it('a union’s own staff may not create its budget (403, audited); the level above may; another county 404; anonymous 401', async () => {
    const own = await county.post('/api/aid/budgets', body(dongtai));
    expect(own.statusCode, own.body).toBe(403);
    expect(own.json().error.message).toBe('帮扶资金预算由上级工会下达：东台市总工会不能为本级下达或追加预算，请由上级工会办理');
    const refused = await t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('action', '=', 'POST /api/aid/budgets')
      .where('outcome', '=', 'failure')
      .execute();
    expect(refused.length).toBeGreaterThan(0);
    expect(await t.db.selectFrom('aid_budgets').select('id').where('org_id', '=', dongtai).where('fund_code', '=', 'education').execute()).toHaveLength(0);
    const sheyang = await t.login('sheyang_admin');
    expect((await sheyang.post('/api/aid/budgets', body(dongtai))).statusCode).toBe(404);
    expect((await t.anonymous.post('/api/aid/budgets', body(dongtai))).statusCode).toBe(401);
    const above = await city.post('/api/aid/budgets', body(dongtai));
    expect(above.statusCode, above.body).toBe(200);
    budgetId = above.json().id;
  });

  it('its own staff may not raise it (403), may lower it and pay from it; the level above raises it; another county 404; anonymous 401', async () => {
    const raise = await county.post(`/api/aid/budgets/${budgetId}/adjust`, { amount: '20000.01', reason: '自行追加' });
    expect(raise.statusCode, raise.body).toBe(403);
    expect(raise.json().error.message).toContain('帮扶资金预算由上级工会下达');
    const sheyang = await t.login('sheyang_admin');
    expect((await sheyang.post(`/api/aid/budgets/${budgetId}/adjust`, { amount: '30000', reason: '越权追加' })).statusCode).toBe(404);
    expect((await t.anonymous.post(`/api/aid/budgets/${budgetId}/adjust`, { amount: '30000', reason: '追加' })).statusCode).toBe(401);
    const lower = await county.post(`/api/aid/budgets/${budgetId}/adjust`, { amount: '15000.00', reason: '压减' });
    expect(lower.statusCode, lower.body).toBe(200);
    const paid = await county.post('/api/aid/disbursements', { budgetId, amount: '100.00', membershipId: member.membershipId });
    expect(paid.statusCode, paid.body).toBe(200);
    const up = await city.post(`/api/aid/budgets/${budgetId}/adjust`, { amount: '25000.00', reason: '市总追加' });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ amount: '25000.00', spent: '100.00', balance: '24900.00' });
  });

  it('the top union has nobody above: its own staff set its budget', async () => {
    const cityId = await orgIdByName(t, '盐城市总工会');
    const r = await city.post('/api/aid/budgets', body(cityId, 'other', '1000.00'));
    expect(r.statusCode, r.body).toBe(200);
    const up = await city.post(`/api/aid/budgets/${r.json().id}/adjust`, { amount: '2000.00', reason: '追加' });
    expect(up.statusCode, up.body).toBe(200);
  });
});

describe('disburseIn (for the workflow engine)', () => {
  const audit = { actorType: 'system' as const, actorId: null, actorName: '测试', ip: null, requestId: null };

  it('pays in the caller’s transaction, with a category for figures', async () => {
    const aid = t.services.features.aid.service;
    const out = await t.db.transaction().execute((trx) =>
      aid.disburseIn(trx, {
        audit,
        budgetOrgId: dongtai,
        year: 2026,
        fundCode: 'medical',
        amount: '800.00',
        personId: member.personId,
        applicationId: '77',
        category: '医疗救助',
      }),
    );
    expect(out.balanceAfter).toBe('29200.00');
    const f = (await county.get(`/api/orgs/${dongtai}/aid-figures?year=2026`)).json();
    expect(f.byCause.find((c: { cause: string }) => c.cause === '医疗救助')).toMatchObject({ count: 1, amount: '800.00' });
    expect(aid.fundCodeOf('助学救助')).toBe('education');
  });

  it('409 when the union has no budget for that year and fund, and nothing is written', async () => {
    const aid = t.services.features.aid.service;
    const before = await t.db
      .selectFrom('aid_disbursements')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const err = await t.db
      .transaction()
      .execute((trx) => aid.disburseIn(trx, { audit, budgetOrgId: dongtai, year: 2027, fundCode: 'living', amount: '1.00', personId: member.personId }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(409);
    expect((err as AppError).message).toContain('帮扶资金预算不存在');
    const after = await t.db
      .selectFrom('aid_disbursements')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('an unknown fund code is a validation error, not a payment', async () => {
    const aid = t.services.features.aid.service;
    const err = await t.db
      .transaction()
      .execute((trx) => aid.disburseIn(trx, { audit, budgetOrgId: dongtai, year: 2026, fundCode: 'toString', amount: '1.00', personId: member.personId }))
      .catch((e: unknown) => e);
    expect((err as AppError).status).toBe(400);
    expect((err as AppError).message).toContain('帮扶资金类别无效');
  });
});

describe('concurrent approvals (PostgreSQL)', () => {
  it('100 concurrent 1,000 元 payments against 50,000 元: exactly 50 paid, 50 refused, balance exactly 0.00', async () => {
    const created = await city.post('/api/aid/budgets', { orgId: dongtai, year: 2026, fundCode: 'warmth', amount: '50000.00', reason: '送温暖' });
    const budgetId = created.json().id;
    const results = await Promise.all(
      Array.from({ length: 100 }, () => county.post('/api/aid/disbursements', { budgetId, amount: '1000.00', membershipId: member.membershipId })),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(50);
    expect(codes.filter((c) => c === 409)).toHaveLength(50);
    const b = await t.db.selectFrom('aid_budgets').select(['amount', 'spent']).where('id', '=', budgetId).executeTakeFirstOrThrow();
    expect(b.spent).toBe('50000.00');
    expect(fromFen(fenOf(b.amount) - fenOf(b.spent))).toBe('0.00');
    const moves = await t.db.selectFrom('aid_movements').select('kind').where('budget_id', '=', budgetId).where('kind', '=', 'disbursement').execute();
    expect(moves).toHaveLength(50);
    const detail = (await county.get(`/api/aid/budgets/${budgetId}`)).json();
    expect(detail.balance).toBe('0.00');
  }, 60_000);
});
