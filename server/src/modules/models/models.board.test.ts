// 创新工作室 and the problem board: a studio led by a registered 劳模, an enterprise's problem claimed,
// worked, solved, sent back once and confirmed; the county's figures move by one; bad moves refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { creditCode } from '../contracts/contracts.test-helpers.js';

let t: TestApp;
let county: Client;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  county = await t.login('county_admin');
  const e = await county.post('/api/enterprises', {
    orgId: ids.dongtai,
    creditCode: creditCode(16001, '91320981'),
    name: '东台助企行示范机械有限公司',
    ownership: 'private',
    industry: 'C',
    size: 'small',
    employees: 120,
    women: 40,
    migrantWorkers: 10,
  });
  expect(e.statusCode, e.body).toBe(200);
  ids.enterprise = e.json().id;
  const lead = await county.post('/api/models/people', { orgId: ids.dongtai, name: '领衔劳模', honours: [{ kind: 'city_model', year: 2020, awardingBody: '盐城市人民政府' }] });
  ids.lead = lead.json().id;
});
afterAll(async () => t?.close());

const day = (offset = 0) => new Date(t.clock.now().getTime() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

describe('创新工作室', () => {
  it('registers a studio led by a registered person, refuses a duplicate name, records achievements', async () => {
    const bad = await county.post('/api/models/studios', { orgId: ids.dongtai, kind: 'x', name: '', field: '', level: 'city', namedYear: 1900 });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(expect.arrayContaining(['kind', 'name', 'field', 'namedYear']));
    const made = await county.post('/api/models/studios', {
      orgId: ids.dongtai,
      kind: 'model',
      name: '领衔劳模创新工作室',
      leadId: ids.lead,
      enterpriseId: ids.enterprise,
      field: '机械加工',
      level: 'city',
      namedYear: 2022,
      members: 12,
    });
    expect(made.statusCode, made.body).toBe(200);
    expect(made.json()).toMatchObject({ kindLabel: '劳模创新工作室', lead: { name: '领衔劳模' }, enterprise: { name: '东台助企行示范机械有限公司' }, levelLabel: '市级' });
    ids.studio = made.json().id;
    const dup = await county.post('/api/models/studios', { orgId: ids.dongtai, kind: 'worker', name: '领衔劳模创新工作室', field: '机械', level: 'city', namedYear: 2022 });
    expect(dup.statusCode).toBe(400);
    const a = await county.post(`/api/models/studios/${ids.studio}/achievements`, { kind: 'benefit', title: '数控刀具寿命提升', year: 2025, benefit: '380000.00' });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().achievements[0]).toMatchObject({ kindLabel: '创效', benefit: '380000.00' });
  });
});

describe('助企行 problem board', () => {
  it('post → claim → records → solve → sent back → solve → confirm; the county figures move by one', async () => {
    const year = Number(day().slice(0, 4));
    const before = (await county.get(`/api/models/board-figures?year=${year}`)).json();
    const indicator = async (code: string) => (await county.get(`/api/stats/indicators/${code}?from=${year}-01-01`)).json().totals[code] ?? 0;
    const solvedBefore = await indicator('models.problems_solved');
    const servedBefore = await indicator('models.enterprises_served');
    const badDeadline = await county.post('/api/models/problems', { enterpriseId: ids.enterprise, title: '齿轮箱异响', field: '机械', description: '齿轮箱高速运转时异响，原因不明。', deadline: day(-1) });
    expect(badDeadline.statusCode).toBe(400);
    expect(badDeadline.json().error.fields.deadline).toBeTruthy();
    const posted = await county.post('/api/models/problems', {
      enterpriseId: ids.enterprise,
      title: '齿轮箱高速异响',
      field: '机械加工',
      description: '齿轮箱在高速运转时出现周期性异响，已更换轴承仍未解决。',
      deadline: day(60),
    });
    expect(posted.statusCode, posted.body).toBe(200);
    let p = posted.json();
    expect(p).toMatchObject({ status: 'open', statusLabel: '待揭榜', enterprise: { name: '东台助企行示范机械有限公司' } });

    const early = await county.post(`/api/models/problems/${p.id}/solve`, { result: '已解决问题', peopleInvolved: 3, version: p.version });
    expect(early.statusCode).toBe(409);
    const both = await county.post(`/api/models/problems/${p.id}/claim`, { studioId: ids.studio, solverId: ids.lead, version: p.version });
    expect(both.statusCode).toBe(400);
    p = (await county.post(`/api/models/problems/${p.id}/claim`, { studioId: ids.studio, version: p.version })).json();
    expect(p).toMatchObject({ status: 'claimed', studio: { name: '领衔劳模创新工作室' } });
    const again = await county.post(`/api/models/problems/${p.id}/claim`, { solverId: ids.lead, version: p.version });
    expect(again.statusCode).toBe(409);
    const rec = await county.post(`/api/models/problems/${p.id}/records`, { kind: 'visit', onDay: day(), text: '到企业现场测量振动频谱' });
    expect(rec.statusCode, rec.body).toBe(200);
    p = (await county.post(`/api/models/problems/${p.id}/solve`, { result: '调整齿轮啮合间隙并更换润滑方案，异响消除。', peopleInvolved: 4, version: p.version })).json();
    expect(p.status).toBe('solved');
    const noNote = await county.post(`/api/models/problems/${p.id}/confirm`, { accept: false, confirmedBy: '企业王经理', version: p.version });
    expect(noNote.statusCode).toBe(400);
    p = (await county.post(`/api/models/problems/${p.id}/confirm`, { accept: false, confirmedBy: '企业王经理', note: '低速时仍有轻微异响', version: p.version })).json();
    expect(p.status).toBe('claimed');
    p = (await county.post(`/api/models/problems/${p.id}/solve`, { result: '补充动平衡校正，全转速段异响消除。', peopleInvolved: 5, version: p.version })).json();
    // Four eyes (decision 045): the county claimed and solved it, so the level above records the enterprise's word.
    const city = await t.login('city_admin');
    const stale = await city.post(`/api/models/problems/${p.id}/confirm`, { accept: true, confirmedBy: '企业王经理', version: p.version - 1 });
    expect(stale.statusCode).toBe(409);
    p = (await city.post(`/api/models/problems/${p.id}/confirm`, { accept: true, confirmedBy: '企业王经理', note: '满意', version: p.version })).json();
    expect(p).toMatchObject({ status: 'confirmed', statusLabel: '已解决', peopleInvolved: 5, confirmedBy: '企业王经理' });
    expect(p.records.map((r: { text: string }) => r.text).join('|')).toMatch(/发布难题.*揭榜.*现场测量.*企业退回.*企业确认已解决/);

    const after = (await county.get(`/api/models/board-figures?year=${year}`)).json();
    expect(after.totals.solved).toBe(before.totals.solved + 1);
    expect(after.totals.peopleInvolved).toBe(before.totals.peopleInvolved + 5);
    expect(after.totals.enterprisesServed).toBe(before.totals.enterprisesServed + 1);
    // the catalogue's indicators count the same rows
    expect(await indicator('models.problems_solved')).toBe(solvedBefore + 1);
    expect(await indicator('models.enterprises_served')).toBe(servedBefore + 1);
    const month = day().slice(0, 7);
    expect(after.months.find((m: { month: string }) => m.month === month)).toMatchObject({ solved: 1, posted: 1, claimed: 1 });

    const studio = (await county.get(`/api/models/studios/${ids.studio}`)).json();
    expect(studio.problems.map((x: { id: string }) => x.id)).toContain(p.id);
    const list = (await county.get('/api/models/studios')).json();
    expect(list.items.find((s: { id: string }) => s.id === ids.studio).solvedCount).toBe(1);
  });

  it('four eyes (decision 045): who claimed or solved it may not confirm it (403, audited); another account may; another county 404; anonymous 401', async () => {
    const post = await county.post('/api/models/problems', { enterpriseId: ids.enterprise, title: '焊缝气孔', field: '焊接', description: '焊缝气孔率偏高，需要攻关。', deadline: day(30) });
    let p = post.json();
    const city = await t.login('city_admin');
    p = (await county.post(`/api/models/problems/${p.id}/claim`, { studioId: ids.studio, version: p.version })).json();
    expect(p.claimedBy).toBeTruthy();
    // claimed by the county, solved by the city: neither may confirm
    p = (await city.post(`/api/models/problems/${p.id}/solve`, { result: '调整焊接电流与保护气流量，气孔消除。', peopleInvolved: 3, version: p.version })).json();
    expect(p.status).toBe('solved');
    for (const who of [county, city]) {
      const own = await who.post(`/api/models/problems/${p.id}/confirm`, { accept: true, confirmedBy: '企业李经理', version: p.version });
      expect(own.statusCode, own.body).toBe(403);
      expect(own.json().error.message).toContain('不能审批本人提交的事项');
    }
    const refusals = await t.db.selectFrom('audit_log').select('outcome').where('action', '=', 'POST /api/models/problems/:id/confirm').where('outcome', '=', 'failure').execute();
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    const sheyang = await t.login('sheyang_admin');
    expect((await sheyang.post(`/api/models/problems/${p.id}/confirm`, { accept: true, confirmedBy: '企业李经理', version: p.version })).statusCode).toBe(404);
    expect((await t.anonymous.post(`/api/models/problems/${p.id}/confirm`, { accept: true, confirmedBy: '企业李经理', version: p.version })).statusCode).toBe(401);
    // sending it back stays open to the solver (it favours nobody)
    const back = await city.post(`/api/models/problems/${p.id}/confirm`, { accept: false, confirmedBy: '企业李经理', note: '仍有少量气孔', version: p.version });
    expect(back.statusCode, back.body).toBe(200);
    p = (await county.post(`/api/models/problems/${p.id}/solve`, { result: '更换焊丝批次，气孔消除。', peopleInvolved: 3, version: back.json().version })).json();
    // solved again by the county: the city neither claimed nor solved it now, so it confirms
    const other = await city.post(`/api/models/problems/${p.id}/confirm`, { accept: true, confirmedBy: '企业李经理', version: p.version });
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json().status).toBe('confirmed');
  });

  it('withdraws an unclaimed problem with a reason', async () => {
    const p = (
      await county.post('/api/models/problems', { enterpriseId: ids.enterprise, title: '喷涂线色差', field: '表面处理', description: '喷涂线批次间色差超标，需要工艺改进。', deadline: day(30) })
    ).json();
    const w = await county.post(`/api/models/problems/${p.id}/withdraw`, { reason: '企业自行解决', version: p.version });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json().status).toBe('withdrawn');
    const listed = (await county.get('/api/models/problems?status=withdrawn')).json();
    expect(listed.items.map((x: { id: string }) => x.id)).toContain(p.id);
  });

  it('anonymous → 401', async () => {
    expect((await t.anonymous.get('/api/models/problems')).statusCode).toBe(401);
    expect((await t.anonymous.get('/api/models/studios')).statusCode).toBe(401);
  });
});
