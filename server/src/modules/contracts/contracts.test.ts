// Enterprises → 建会 → 女职工专项 contract → in force after the 15-day wait, through the API on a
// real database with the manual clock; the figures move with the facts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { CSV_HEADER, creditCode, fileWomenContract, foundUnion, uploadEnterprises } from './contracts.test-helpers.js';

let t: TestApp;
let county: Client;
let dongtai: string;
const day = () => new Date(t.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const figure = (f: { figures: { key: string; numerator: number | null; denominator: number | null }[] }, key: string) => f.figures.find((x) => x.key === key)!;

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('county_admin');
  dongtai = await orgIdByName(t, '东台市总工会');
});
afterAll(async () => t?.close());

describe('enterprise register', () => {
  it('refuses a credit code with a wrong check character and a second registration of the same code', async () => {
    const good = creditCode(1);
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const body = {
      orgId: dongtai,
      name: '东台测试机械有限公司',
      ownership: 'private',
      industry: 'C',
      size: 'small',
      employees: 40,
      women: 12,
      migrantWorkers: 20,
    };
    const r1 = await county.post('/api/enterprises', { ...body, creditCode: bad });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.fields.creditCode).toContain('统一社会信用代码无效');
    const r2 = await county.post('/api/enterprises', { ...body, creditCode: good });
    expect(r2.statusCode, r2.body).toBe(200);
    expect(r2.json()).toMatchObject({ nonPublic: true, shouldFound: true, industryLabel: '制造业' });
    const r3 = await county.post('/api/enterprises', { ...body, creditCode: good });
    expect(r3.statusCode).toBe(400);
    const r4 = await county.post('/api/enterprises', { ...body, creditCode: creditCode(2), women: 41 });
    expect(r4.json().error.fields.women).toBe('女职工人数不能多于职工人数');
  });

  it('imports a list: bad rows reported, good rows merged, the same file twice adds nothing', async () => {
    const rows = [
      CSV_HEADER,
      `${creditCode(101)},东台导入甲有限公司,民营,C,小型,60,30,10,东台市某路1号,320981,否`,
      `${creditCode(102)},东台导入乙有限公司,外商投资,I 信息传输、软件和信息技术服务业,中型,200,80,0,,,是`,
      `${creditCode(103).slice(0, 17)}X,坏代码有限公司,民营,C,小型,30,1,1,,,否`,
      `${creditCode(104)},人数不对有限公司,民营,C,小型,10,20,1,,,否`,
      `${creditCode(101)},东台导入甲有限公司,民营,C,小型,60,30,10,,,否`,
      `${creditCode(105)},小微店,个体,H,微型,5,2,0,,,否`,
    ].join('\n');
    const job = await uploadEnterprises(county, dongtai, rows);
    expect(job).toMatchObject({ status: 'done', processed: 6, added: 3, failed: 3 });
    const again = await uploadEnterprises(county, dongtai, rows);
    expect(again).toMatchObject({ status: 'done', added: 0, updated: 0, unchanged: 3, failed: 3 });
    const report = await county.get(`/api/enterprise-import-jobs/${job.id}/errors.xlsx`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toContain('spreadsheetml');
    const changed = await uploadEnterprises(county, dongtai, [CSV_HEADER, `${creditCode(101)},东台导入甲有限公司,民营,C,小型,65,30,10,,,否`].join('\n'));
    expect(changed).toMatchObject({ added: 0, updated: 1 });
    const unionless = await county.get('/api/enterprises?unionless=true&q=东台导入');
    expect(
      unionless
        .json()
        .items.map((e: { name: string }) => e.name)
        .sort(),
    ).toEqual(['东台导入乙有限公司', '东台导入甲有限公司']);
  });
});

describe('建会 and a 女职工专项 contract', () => {
  it('founds a grassroots union under the town, files a contract and it takes effect 15 days after 受理', async () => {
    const list = await county.get('/api/enterprises?unionless=true&q=东台导入甲');
    const ent = list.json().items[0];
    const before = (await county.get('/api/coverage')).json();
    const town = (
      await t.db.selectFrom('orgs').select('id').where('parent_id', '=', dongtai).where('type', '=', 'town').orderBy('id').executeTakeFirstOrThrow()
    ).id;

    // 女职工 ≥ 10: the election must include a 女职工委员会.
    const f0 = (await county.post(`/api/enterprises/${ent.id}/foundings`, { parentOrgId: town, organiser: '镇工会张三', startedOn: day() })).json();
    const noWomen = await county.post(`/api/foundings/${f0.id}/election`, {
      version: f0.version,
      meetingKind: '会员大会',
      electedOn: day(),
      termYears: 5,
      officers: [
        { name: '王主席', role: 'chair' },
        { name: '赵审查', role: 'funds_review' },
      ],
    });
    expect(noWomen.statusCode).toBe(400);
    expect(noWomen.json().error.fields.officers).toContain('女职工委员会');
    await county.post(`/api/foundings/${f0.id}/cancel`, { version: f0.version });

    const grassroots = await t.login('grassroots_admin');
    const f = await foundUnion(county, await t.login('city_admin'), ent.id, town, day());
    expect(f).toMatchObject({ status: 'registered', legalCertNo: '工法证字第320981001号' });
    const union = await t.db.selectFrom('orgs').selectAll().where('id', '=', f.unionOrgId).executeTakeFirstOrThrow();
    expect(union).toMatchObject({ type: 'grassroots', parent_id: town, name: '东台导入甲有限公司工会委员会', chair_name: '王主席' });
    const detail = (await county.get(`/api/enterprises/${ent.id}`)).json();
    expect(detail).toMatchObject({ unionOrgId: f.unionOrgId, unionKind: 'own', shouldFound: false });
    expect(detail.officers.find((o: { role: string }) => o.role === 'chair').termEnd).toBe(
      new Date(Date.parse(`${day()}T00:00:00Z`) + (5 * 365 + 1) * 86_400_000 - 86_400_000).toISOString().slice(0, 10),
    );
    // A grassroots account elsewhere does not see it.
    expect((await grassroots.get(`/api/enterprises/${ent.id}`)).statusCode).toBe(404);

    // A 春季要约 campaign reaches it.
    const camp = await county.post('/api/bargaining-campaigns', {
      orgId: dongtai,
      title: '2026 春季集中要约',
      year: 2026,
      startsOn: day(),
      endsOn: day(),
      minEmployees: 25,
      industries: [],
      unionisedOnly: true,
    });
    expect(camp.statusCode, camp.body).toBe(200);
    const adv = await county.post(`/api/bargaining-campaigns/${camp.json().id}/targets/${ent.id}`, { stage: 'offered', on: day() });
    expect(adv.statusCode, adv.body).toBe(200);

    const k = await fileWomenContract(county, ent.id, day());
    expect(k).toMatchObject({ status: 'filed', statusLabel: '已备案', workersCovered: 65, womenCovered: 30 });
    expect(k.clauseDiff.find((c: { key: string }) => c.key === 'w5').state).toBe('changed');
    expect(k.clauseDiff.filter((c: { state: string }) => c.state === 'kept').length).toBe(9);
    const docx = await county.get(`/api/contracts/${k.id}/draft.docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');

    t.clock.advance(14 * 86_400_000);
    let c2 = await t.login('county_admin');
    expect((await c2.get(`/api/contracts/${k.id}`)).json().status).toBe('filed');
    t.clock.advance(86_400_000);
    c2 = await t.login('county_admin');
    const eff = (await c2.get(`/api/contracts/${k.id}`)).json();
    expect(eff).toMatchObject({ status: 'effective', statusLabel: '生效' });
    const review = await c2.post(`/api/contracts/${k.id}/review`, { version: eff.version, reviewedOn: day(), result: 'objection', opinion: '太晚' });
    expect(review.statusCode).toBe(409);

    const after = (await c2.get('/api/coverage')).json();
    expect(figure(after, 'founding_rate').numerator).toBe(figure(before, 'founding_rate').numerator! + 1);
    expect(figure(after, 'contracts_women').numerator).toBe(1);
    expect(figure(after, 'bargaining').numerator).toBe(1);
    const progress = (await c2.get(`/api/bargaining-campaigns/${camp.json().id}`)).json();
    expect(progress.signed).toBe(1);
    const drill = (await c2.get('/api/contracts?kind=women&status=effective')).json();
    expect(drill.items.map((x: { id: string }) => x.id)).toEqual([k.id]);
  });

  it('four eyes (decision 045): who started the founding or recorded its election may not give the 上级批复 (403, audited); another county 404; anonymous 401', async () => {
    county = await t.login('county_admin'); // the clock moved on in the test before: a new session
    const ent = (await county.get('/api/enterprises?unionless=true&q=东台导入乙')).json().items[0];
    const town = (
      await t.db.selectFrom('orgs').select('id').where('parent_id', '=', dongtai).where('type', '=', 'town').orderBy('id').executeTakeFirstOrThrow()
    ).id;
    const city = await t.login('city_admin');
    const elect = (c: Client, f: { id: string; version: number }) =>
      c.post(`/api/foundings/${f.id}/election`, {
        version: f.version,
        meetingKind: '会员大会',
        electedOn: day(),
        termYears: 5,
        officers: [
          { name: '钱主席', role: 'chair' },
          { name: '孙审查', role: 'funds_review' },
          { name: '李女工', role: 'women_committee' },
        ],
      });
    const approval = (c: Client, f: { id: string; version: number }) =>
      c.post(`/api/foundings/${f.id}/approval`, { version: f.version, approvalNo: '县工批〔2026〕9号', approvedOn: day() });
    const message = '不能审批本人提交的事项：发起建会或登记选举的账号不能作上级批复，请由本级另一账号或上级工会批复';

    // started by the city, election recorded by the county: the county may not approve it
    let f = (await city.post(`/api/enterprises/${ent.id}/foundings`, { parentOrgId: town, organiser: '镇工会钱五', startedOn: day() })).json();
    f = (await elect(county, f)).json();
    expect(f.status).toBe('elected');
    const byElector = await approval(county, f);
    expect(byElector.statusCode, byElector.body).toBe(403);
    expect(byElector.json().error.message).toBe(message);
    const byStarter = await approval(city, f);
    expect(byStarter.statusCode, byStarter.body).toBe(403);
    expect((await county.post(`/api/foundings/${f.id}/cancel`, { version: f.version })).statusCode).toBe(200);

    // started and elected by the county: refused to it, nothing created; the city approves it
    f = (await county.post(`/api/enterprises/${ent.id}/foundings`, { parentOrgId: town, organiser: '镇工会钱五', startedOn: day() })).json();
    f = (await elect(county, f)).json();
    const unionsBefore = await t.db.selectFrom('orgs').select('id').where('parent_id', '=', town).execute();
    const own = await approval(county, f);
    expect(own.statusCode, own.body).toBe(403);
    expect(own.json().error.message).toBe(message);
    expect(await t.db.selectFrom('orgs').select('id').where('parent_id', '=', town).execute()).toHaveLength(unionsBefore.length);
    const refusals = await t.db.selectFrom('audit_log').select('outcome').where('action', '=', 'POST /api/foundings/:id/approval').where('outcome', '=', 'failure').execute();
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    expect((await (await t.login('sheyang_admin')).post(`/api/foundings/${f.id}/approval`, { version: f.version, approvalNo: 'x', approvedOn: day() })).statusCode).toBe(404);
    expect((await t.anonymous.post(`/api/foundings/${f.id}/approval`, { version: f.version, approvalNo: 'x', approvedOn: day() })).statusCode).toBe(401);
    const ok = await approval(city, f);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'established', startedBy: expect.any(String), electedBy: expect.any(String) });
  });

  it('reminds contract expiry 90 and 30 days ahead, once each', async () => {
    const svc = t.services.features.contracts.service;
    t.clock.advance((3 * 365 - 15 - 100) * 86_400_000);
    expect(await svc.sendExpiryReminders()).toBe(0);
    t.clock.advance(15 * 86_400_000);
    expect(await svc.sendExpiryReminders()).toBe(1);
    expect(await svc.sendExpiryReminders()).toBe(0);
    t.clock.advance(60 * 86_400_000);
    expect(await svc.sendExpiryReminders()).toBe(1);
  });
});
