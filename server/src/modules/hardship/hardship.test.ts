import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember, type TestMember } from '../../../../tests/support/members.js';
import { fakeResidentId } from '../../../../tests/support/people.js';

let t: TestApp;
let county: Client;
let grassroots: Client;
let town: Client;
let enterprise: string;
let enterpriseName: string;
let dongtai: string;
const m: Record<string, TestMember> = {};

const DAY = 86_400_000;
const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const today = () => chinaDay(t.clock.now());
const plusDays = (n: number) => chinaDay(new Date(t.clock.now().getTime() + n * DAY));

/** Moves the clock; staff sign in again (sessions time out when idle). */
async function advance(ms: number) {
  t.clock.advance(ms);
  county = await t.login('county_admin');
  grassroots = await t.login('grassroots_admin');
  town = await t.login('town_admin');
}

beforeAll(async () => {
  t = await createTestApp();
  await advance(0);
  const acc = await t.db
    .selectFrom('staff_accounts as a')
    .innerJoin('orgs as o', 'o.id', 'a.org_id')
    .select(['a.org_id', 'o.name'])
    .where('a.username', '=', 'grassroots_admin')
    .executeTakeFirstOrThrow();
  enterprise = acc.org_id;
  enterpriseName = acc.name;
  dongtai = await orgIdByName(t, '东台市总工会');
  for (const [k, n] of [
    ['a', 3101],
    ['b', 3102],
    ['c', 3103],
    ['d', 3104],
    ['e', 3105],
    ['f', 3106],
  ] as const) {
    m[k] = await makeMember(t, enterprise, n);
  }
});
afterAll(async () => t?.close());

const fileBody = (member: TestMember, family: object[] = [], extra: object = {}) => ({
  membershipId: member.membershipId,
  mainCause: 'illness',
  secondaryCauses: ['low_income'],
  headHealth: '慢性肾病',
  headWork: '车间操作工',
  headMonthlyIncome: '2100.00',
  address: '东台市某镇某村 8 号',
  situation: '户主患慢性肾病需长期透析，家庭收入低。',
  family,
  ...extra,
});

async function detail(id: string, as = grassroots) {
  const r = await as.get(`/api/hardship/files/${id}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

/** Takes a submitted file to 公示 and returns it. */
async function toNotice(id: string) {
  let f = await detail(id);
  const first = await town.post(`/api/hardship/files/${id}/first-review`, { version: f.version, action: 'approve', comment: '材料齐全' });
  expect(first.statusCode, first.body).toBe(200);
  const visit = await grassroots.post(`/api/hardship/files/${id}/visit`, {
    version: first.json().version,
    visitedOn: today(),
    visitors: '张主席、李委员',
    findings: '家中确有重病患者，住房简陋，情况属实。',
  });
  expect(visit.statusCode, visit.body).toBe(200);
  f = visit.json();
  const cr = await county.post(`/api/hardship/files/${id}/county-review`, {
    version: f.version,
    action: 'approve',
    noticeStart: today(),
    noticeEnd: plusDays(4),
  });
  expect(cr.statusCode, cr.body).toBe(200);
  return cr.json();
}

describe('the establishment flow', () => {
  let id: string;

  it('grassroots staff apply on the member’s behalf; per-capita income is computed in fen', async () => {
    const r = await grassroots.post(
      '/api/hardship/files',
      fileBody(m.a!, [
        { name: '王秀梅', relation: '配偶', idNumber: fakeResidentId(3501), health: '健康', work: '无业', monthlyIncome: '0' },
        { name: '王小明', relation: '子女', health: '健康', work: '在校学生', monthlyIncome: '0' },
      ]),
    );
    expect(r.statusCode, r.body).toBe(200);
    const f = r.json();
    id = f.id;
    expect(f).toMatchObject({
      status: 'submitted',
      statusLabel: '待基层初审',
      org: { id: enterprise, name: enterpriseName },
      mainCause: 'illness',
      mainCauseLabel: '因病',
      householdSize: 3,
      householdIncome: '2100.00',
      perCapitaIncome: '700.00',
      secondaryCauses: [{ code: 'low_income', label: '收入低' }],
    });
    expect(f.head.idMasked).toMatch(/\*{4}/);
    expect(f.family[0].idMasked).toMatch(/^3299\*+\d{3}[\dX]$/);
    expect(JSON.stringify(f)).not.toContain(fakeResidentId(3501));
    expect(f.timeline.map((e: { action: string }) => e.action)).toEqual(['submit']);
    const stored = await t.db
      .selectFrom('hardship_family_members')
      .select(['id_enc'])
      .where('file_id', '=', id)
      .where('name', '=', '王秀梅')
      .executeTakeFirstOrThrow();
    expect(stored.id_enc).not.toContain(fakeResidentId(3501));
  });

  it('a family member’s full ID only with member:reveal and a reason, audited', async () => {
    const f = await detail(id);
    const spouse = f.family.find((x: { relation: string }) => x.relation === '配偶');
    const url = `/api/hardship/files/${id}/family/${spouse.id}/reveal`;
    expect((await grassroots.post(url, {})).statusCode).toBe(400);
    const r = await grassroots.post(url, { reason: '核对医保报销材料' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ field: 'idNumber', value: fakeResidentId(3501) });
    const audit = await t.db.selectFrom('audit_log').select(['detail']).where('action', '=', 'hardship.reveal').executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.detail)).toContain('核对医保报销材料');
    const leader = await t.login('leader');
    expect((await leader.post(url, { reason: '领导查看' })).statusCode).toBe(403);
    expect((await grassroots.post(`/api/hardship/files/${id}/family/999999/reveal`, { reason: '不存在' })).statusCode).toBe(404);
  });

  it('an edit that sends a family member back by id, without the number, keeps the stored ID number and household key', async () => {
    const f = await detail(id);
    const spouse = f.family.find((x: { relation: string }) => x.relation === '配偶');
    const r = await grassroots.patch(`/api/hardship/files/${id}`, {
      version: f.version,
      ...fileBody(m.a!, [{ id: spouse.id, name: '王秀梅', relation: '配偶', monthlyIncome: '100' }], { membershipId: undefined }),
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().family[0]).toMatchObject({ name: '王秀梅', idMasked: spouse.idMasked, monthlyIncome: '100.00' });
    const keys = await t.db.selectFrom('hardship_household_keys').select('role').where('file_id', '=', id).execute();
    expect(keys.map((k) => k.role).sort()).toEqual(['family', 'head']);
  });

  it('transitions check the version: a stale one gets 409', async () => {
    const f = await detail(id);
    const edit = await grassroots.patch(`/api/hardship/files/${id}`, {
      version: f.version,
      ...fileBody(m.a!, [], { membershipId: undefined, headMonthlyIncome: '2000' }),
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ householdSize: 1, perCapitaIncome: '2000.00' });
    const stale = await town.post(`/api/hardship/files/${id}/first-review`, { version: f.version, action: 'approve' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('档案已被他人处理');
  });

  it('four eyes (decision 045): who submitted or edited the file may not pass its first review (403, audited); another county 404; anonymous 401', async () => {
    const f = await detail(id);
    const own = await grassroots.post(`/api/hardship/files/${id}/first-review`, { version: f.version, action: 'approve' });
    expect(own.statusCode, own.body).toBe(403);
    expect(own.json().error.message).toBe('不能审批本人提交的事项：提交或修改档案的账号不能作基层初审，请由本级另一账号或上级工会初审');
    const refusals = await t.db.selectFrom('audit_log').select('outcome').where('action', '=', 'POST /api/hardship/files/:id/first-review').where('outcome', '=', 'failure').execute();
    expect(refusals.length).toBeGreaterThan(0);
    expect((await detail(id)).status).toBe('submitted');
    const sheyang = await t.login('sheyang_admin');
    expect((await sheyang.post(`/api/hardship/files/${id}/first-review`, { version: f.version, action: 'approve' })).statusCode).toBe(404);
    expect((await t.anonymous.post(`/api/hardship/files/${id}/first-review`, { version: f.version, action: 'approve' })).statusCode).toBe(401);
    // the county, which neither submitted nor edited it, could; the town does it below
  });

  it('rejection needs a reason; a wrong step is refused', async () => {
    const f = await detail(id);
    const noReason = await grassroots.post(`/api/hardship/files/${id}/first-review`, { version: f.version, action: 'reject' });
    expect(noReason.statusCode).toBe(400);
    const early = await grassroots.post(`/api/hardship/files/${id}/establish`, { version: f.version });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('待基层初审');
  });

  it('goes through first review, home visit and county review into 公示 (at least 5 days)', async () => {
    let f = await detail(id);
    f = (await town.post(`/api/hardship/files/${id}/first-review`, { version: f.version, action: 'approve' })).json();
    expect(f.status).toBe('visiting');
    f = (
      await grassroots.post(`/api/hardship/files/${id}/visit`, {
        version: f.version,
        visitedOn: today(),
        visitors: '张主席、李委员',
        findings: '情况属实',
        photos: ['visit-1.jpg'],
      })
    ).json();
    expect(f).toMatchObject({ status: 'county_review', visits: [{ visitors: '张主席、李委员', findings: '情况属实', photos: ['visit-1.jpg'] }] });
    const notCounty = await town.post(`/api/hardship/files/${id}/county-review`, {
      version: f.version,
      action: 'approve',
      noticeStart: today(),
      noticeEnd: plusDays(4),
    });
    expect(notCounty.statusCode).toBe(403);
    const short = await county.post(`/api/hardship/files/${id}/county-review`, {
      version: f.version,
      action: 'approve',
      noticeStart: today(),
      noticeEnd: plusDays(3),
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toContain('公示期不少于 5 天');
    const ok = await county.post(`/api/hardship/files/${id}/county-review`, {
      version: f.version,
      action: 'approve',
      noticeStart: today(),
      noticeEnd: plusDays(4),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'notice', notice: { start: today(), end: plusDays(4) } });
  });

  it('an upheld objection returns the file; a dismissed one is recorded; 建档 only after the notice ends', async () => {
    let f = await detail(id);
    const upheld = await grassroots.post(`/api/hardship/files/${id}/objections`, {
      version: f.version,
      raisedBy: '同车间职工',
      content: '其配偶另有经营收入',
      outcome: 'upheld',
      handling: '退回重新核实收入',
    });
    expect(upheld.statusCode, upheld.body).toBe(200);
    expect(upheld.json()).toMatchObject({ status: 'submitted', notice: null });
    f = await toNotice(id);
    const dismissed = await grassroots.post(`/api/hardship/files/${id}/objections`, {
      version: f.version,
      raisedBy: '匿名',
      content: '家庭情况不属实',
      outcome: 'dismissed',
      handling: '经核实情况属实',
    });
    expect(dismissed.json().status).toBe('notice');
    f = dismissed.json();
    expect(f.objections.map((o: { outcome: string }) => o.outcome)).toEqual(['upheld', 'dismissed']);
    const early = await grassroots.post(`/api/hardship/files/${id}/establish`, { version: f.version });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('公示期满后方可建档');
    await advance(5 * DAY);
    const est = await grassroots.post(`/api/hardship/files/${id}/establish`, { version: f.version });
    expect(est.statusCode, est.body).toBe(200);
    expect(est.json()).toMatchObject({ status: 'established', statusLabel: '已建档' });
    expect(est.json().reviewDueOn).toBe(`${Number(today().slice(0, 4)) + 1}${today().slice(4)}`);
    expect(est.json().timeline.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'edit',
      'edit',
      'first_approve',
      'visit',
      'county_approve',
      'objection_upheld',
      'first_approve',
      'visit',
      'county_approve',
      'objection_dismissed',
      'establish',
    ]);
  });

  it('pairing (结对帮扶) with visit records', async () => {
    const p = await grassroots.post(`/api/hardship/files/${id}/pairings`, {
      kind: 'cadre',
      name: '陈建国（工会副主席）',
      contact: '0515-8888',
      startedOn: today(),
    });
    expect(p.statusCode, p.body).toBe(200);
    const pairingId = p.json().pairings[0].id;
    const v = await grassroots.post(`/api/hardship/files/${id}/pairings/${pairingId}/visits`, { visitedOn: today(), notes: '送去米油，了解透析费用报销情况' });
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json().pairings[0]).toMatchObject({ kind: 'cadre', kindLabel: '结对干部', visits: [{ notes: '送去米油，了解透析费用报销情况' }] });
    const future = await grassroots.post(`/api/hardship/files/${id}/pairings/${pairingId}/visits`, { visitedOn: plusDays(3), notes: '未来' });
    expect(future.statusCode).toBe(400);
    const wrong = await grassroots.post(`/api/hardship/files/${id}/pairings/999999/visits`, { visitedOn: today(), notes: '无此结对' });
    expect(wrong.statusCode).toBe(404);
  });

  it('aid recorded on the file draws on the budget, shows on the file, in the ledger and in the figures by cause', async () => {
    const year = Number(today().slice(0, 4));
    // the level above allocates 东台's budget (decision 045); 东台 pays from it
    const budget = await (await t.login('city_admin')).post('/api/aid/budgets', { orgId: dongtai, year, fundCode: 'warmth', amount: '10000', reason: '送温暖' });
    expect(budget.statusCode, budget.body).toBe(200);
    const budgetId = budget.json().id;
    const paid = await county.post(`/api/hardship/files/${id}/aid`, { budgetId, amount: '600.00', note: '春节送温暖' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ budgetId, balanceAfter: '9400.00' });
    const f = await detail(id, county);
    expect(f.aid.total).toBe('600.00');
    expect(f.aid.items[0]).toMatchObject({ amount: '600.00', fundName: '送温暖', cause: 'illness', causeLabel: '因病', hardshipFileId: id });
    expect(f.timeline.at(-1)).toMatchObject({ action: 'aid' });
    expect(f.timeline.at(-1).comment).toContain('送温暖');
    const ledger = (await county.get(`/api/aid/budgets/${budgetId}`)).json();
    expect(ledger.movements.at(-1)).toMatchObject({ kind: 'disbursement', amount: '-600.00', balanceAfter: '9400.00' });
    const figures = (await county.get(`/api/orgs/${dongtai}/aid-figures?year=${year}`)).json();
    expect(figures.byCause).toContainEqual({
      cause: 'illness',
      causeLabel: '因病',
      count: 1,
      amount: '600.00',
      rows: { cause: 'illness', year, orgId: dongtai },
    });
    const rows = (await county.get(`/api/aid/disbursements?cause=illness&year=${year}&orgId=${dongtai}`)).json();
    expect(rows.items.map((d: { id: string }) => d.id)).toEqual([paid.json().disbursementId]);
    const pending = await grassroots.post('/api/hardship/files', fileBody(m.f!));
    expect(pending.statusCode, pending.body).toBe(200);
    const refused = await county.post('/api/aid/disbursements', { budgetId, amount: '1.00', hardshipFileId: pending.json().id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('尚未建档');
    const direct = await county.post('/api/aid/disbursements', { budgetId, amount: '100.00', hardshipFileId: id, note: '送温暖慰问金' });
    expect(direct.statusCode, direct.body).toBe(200);
    expect(direct.json().balanceAfter).toBe('9300.00');
    expect((await detail(id, county)).aid.total).toBe('700.00');
    const over = await county.post(`/api/hardship/files/${id}/aid`, { budgetId, amount: '9300.01' });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.message).toContain('帮扶资金余额不足');
    expect((await detail(id, county)).aid.items).toHaveLength(2);
  });

  it('list with filters, and a masked export', async () => {
    const byStatus = (await county.get('/api/hardship/files?status=established')).json();
    expect(byStatus.items.map((f: { id: string }) => f.id)).toContain(id);
    const byCause = (await county.get('/api/hardship/files?cause=low_income')).json();
    expect(byCause.items.map((f: { id: string }) => f.id)).toContain(id);
    const dueYear = Number(today().slice(0, 4)) + 1;
    expect((await county.get(`/api/hardship/files?reviewDueYear=${dueYear}`)).json().total).toBe(1);
    expect((await county.get(`/api/hardship/files?reviewDueYear=${dueYear + 1}`)).json().total).toBe(0);
    expect((await county.get('/api/hardship/files?cause=disaster')).json().total).toBe(0);
    const x = await county.get('/api/hardship/files/export.xlsx?status=established');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const row = wb.worksheets[0]!.getRow(2);
    expect(String(row.getCell(5).value)).toMatch(/\*{4}/);
    expect(String(row.getCell(5).value)).not.toBe(m.a!.person.idNumber);
    expect(row.getCell(7).value).toBe('因病');
  });

  it('the yearly review continues or closes (解困脱困) the file, which frees the household', async () => {
    let f = await detail(id);
    const due = f.reviewDueOn as string;
    expect(f.reviewOverdue).toBe(false);
    await advance(366 * DAY);
    f = await detail(id);
    expect(f.reviewOverdue).toBe(true);
    const cont = await grassroots.post(`/api/hardship/files/${id}/yearly-review`, { version: f.version, decision: 'continue', reason: '仍需长期透析' });
    expect(cont.statusCode, cont.body).toBe(200);
    expect(cont.json().reviewDueOn).toBe(`${Number(due.slice(0, 4)) + 1}${due.slice(4)}`);
    f = cont.json();
    const close = await grassroots.post(`/api/hardship/files/${id}/yearly-review`, { version: f.version, decision: 'close', reason: '肾移植成功，已恢复工作' });
    expect(close.json()).toMatchObject({ status: 'closed', closedReason: '肾移植成功，已恢复工作' });
    expect(close.json().reviews.map((r: { decision: string }) => r.decision)).toEqual(['continue', 'close']);
    const again = await grassroots.post('/api/hardship/files', fileBody(m.a!));
    expect(again.statusCode, again.body).toBe(200);
  });
});

describe('one household, one file', () => {
  it('a second file for the same head is refused, naming the existing file’s union', async () => {
    const first = await grassroots.post(
      '/api/hardship/files',
      fileBody(m.b!, [{ name: '刘芳', relation: '配偶', idNumber: fakeResidentId(3502), monthlyIncome: '1500' }]),
    );
    expect(first.statusCode, first.body).toBe(200);
    const second = await grassroots.post('/api/hardship/files', fileBody(m.b!));
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toContain(`所属工会：${enterpriseName}`);
  });

  it('…and so is one whose family includes the head of an open file, or a family member of one', async () => {
    const headAsFamily = await grassroots.post(
      '/api/hardship/files',
      fileBody(m.c!, [{ name: '户主乙', relation: '兄弟', idNumber: m.b!.person.idNumber, monthlyIncome: '0' }]),
    );
    expect(headAsFamily.statusCode).toBe(409);
    expect(headAsFamily.json().error.message).toContain('该家庭已有困难职工档案');
    const familyShared = await grassroots.post(
      '/api/hardship/files',
      fileBody(m.c!, [{ name: '刘芳', relation: '配偶', idNumber: fakeResidentId(3502), monthlyIncome: '0' }]),
    );
    expect(familyShared.statusCode).toBe(409);
    // The head of a new file is already a family member of another open file.
    const d = m.d!;
    const withD = await grassroots.post(
      '/api/hardship/files',
      fileBody(m.c!, [{ name: d.person.name, relation: '子女', idNumber: d.person.idNumber, monthlyIncome: '0' }]),
    );
    expect(withD.statusCode, withD.body).toBe(200);
    const dAsHead = await grassroots.post('/api/hardship/files', fileBody(d));
    expect(dAsHead.statusCode).toBe(409);
  });

  it('the database holds the rule even without the service check', async () => {
    const key = await t.db
      .selectFrom('hardship_household_keys')
      .select(['id_bidx'])
      .where('is_open', '=', true)
      .where('role', '=', 'head')
      .executeTakeFirstOrThrow();
    const other = await t.db.selectFrom('hardship_files').select('id').orderBy('id').executeTakeFirstOrThrow();
    await expect(t.db.insertInto('hardship_household_keys').values({ file_id: other.id, id_bidx: key.id_bidx, role: 'family' }).execute()).rejects.toThrow();
  });

  it('a rejected file frees the household', async () => {
    const dup = await grassroots.post('/api/hardship/files', fileBody(m.d!));
    expect(dup.statusCode).toBe(409);
    const cFile = (await grassroots.get('/api/hardship/files?status=submitted'))
      .json()
      .items.find((f: { head: { personId: string } }) => f.head.personId === m.c!.personId);
    const rej = await grassroots.post(`/api/hardship/files/${cFile.id}/first-review`, { version: cFile.version, action: 'reject', comment: '收入超过标准' });
    expect(rej.json()).toMatchObject({ status: 'rejected', rejectReason: '收入超过标准' });
    const now = await grassroots.post('/api/hardship/files', fileBody(m.d!));
    expect(now.statusCode, now.body).toBe(200);
  });

  it('five staff file the same household at once: exactly one file, four clear 409s', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => grassroots.post('/api/hardship/files', fileBody(m.e!))));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().error.message).toContain(`所属工会：${enterpriseName}`);
    const files = await t.db.selectFrom('hardship_files').select('id').where('head_person_id', '=', m.e!.personId).execute();
    expect(files).toHaveLength(1);
  });

  it('the causes dictionary', async () => {
    const r = (await grassroots.get('/api/hardship/causes')).json();
    expect(r.items.map((c: { label: string }) => c.label)).toEqual(['因病', '因残', '因子女就学', '因灾', '因意外', '失业', '收入低', '其他']);
  });
});
