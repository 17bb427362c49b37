// 法治体检 and 信息员 risk reports through the whole HTTP pipeline: the city's checklist template (only
// the city edits it); a check-up of an enterprise of the register with a lawyer from the pool, findings,
// a rectification list followed to closure, the report .docx read by unzipping, the figures and the
// indicator catalogue moving; an informant on the roll reports a risk with a photo (idempotent), it is
// graded 重大 — the county and the city hear at once — turned into a 12351 ticket and closed; the
// employer of a consultation / case linked to the enterprise record; 射阳 sees none of it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember, type TestMember } from '../../../../tests/support/members.js';
import { docxText } from '../../../../tests/support/docx-text.js';
import { creditCode } from '../contracts/contracts.test-helpers.js';

let t: TestApp;
let city: Client;
let county: Client;
let sheyang: Client;
const ids: Record<string, string> = {};
const day = (offset = 0) => new Date(t.clock.now().getTime() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  // Risk photos are written to the data folder's file store.
  t = await createTestApp({ config: { dataDir: mkdtempSync(join(tmpdir(), 'gh-rights-')) } });
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  city = await t.login('city_admin');
  county = await t.login('county_admin');
  sheyang = await t.login('sheyang_admin');
  ids.grassroots = (await (await t.login('grassroots_admin')).get('/api/auth/me')).json().account.org.id;
  const e = await county.post('/api/enterprises', {
    orgId: ids.dongtai,
    creditCode: creditCode(36001, '91320981'),
    name: '东台体检示范机械有限公司',
    ownership: 'private',
    industry: 'C',
    size: 'small',
    employees: 80,
    women: 30,
    migrantWorkers: 10,
  });
  expect(e.statusCode, e.body).toBe(200);
  ids.enterprise = e.json().id;
  ids.lawyer = (await county.post('/api/rights/pool', { name: '体检律师', organisation: '东台某律所', kind: 'lawyer', available: true })).json().id;
});
afterAll(async () => t?.close());

describe('法治体检', () => {
  it('the checklist template is the city’s: everyone reads it, only the city edits it', async () => {
    const items = (await county.get('/api/rights/checkup-items')).json().items;
    expect(items.map((i: { title: string }) => i.title)).toEqual(
      expect.arrayContaining(['劳动合同签订率', '工资按时足额支付', '社会保险缴纳', '工时与休息休假', '女职工四期保护', '职代会与厂务公开', '集体合同']),
    );
    const refused = await county.post('/api/rights/checkup-items', { title: '县里加的项目', sort: 100 });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('市总工会');
    const added = await city.post('/api/rights/checkup-items', { title: '劳务派遣用工比例', guidance: '不超过用工总量 10%', sort: 75 });
    expect(added.statusCode, added.body).toBe(200);
    const item = added.json().items.find((i: { title: string }) => i.title === '劳务派遣用工比例');
    expect((await city.patch(`/api/rights/checkup-items/${item.id}`, { version: item.version + 1, active: false })).statusCode).toBe(409);
    const off = await city.patch(`/api/rights/checkup-items/${item.id}`, { version: item.version, active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().items.find((i: { title: string }) => i.title === '劳务派遣用工比例').active).toBe(false);
    expect((await county.get('/api/rights/checkup-items')).json().items.some((i: { title: string }) => i.title === '劳务派遣用工比例')).toBe(false);
    ids.items = String(items.length);
  });

  it('a check-up of an enterprise of the register: findings, rectifications to closure, the report .docx, figures', async () => {
    const before = (await county.get('/api/rights/figures')).json();
    expect((await county.post('/api/rights/checkups', { employerName: '某厂', checkedOn: day(), poolIds: [] })).statusCode).toBe(400);
    const syEnt = await sheyang.post('/api/rights/checkups', { enterpriseId: ids.enterprise, checkedOn: day(), poolIds: [ids.lawyer] });
    expect(syEnt.statusCode).toBe(404);
    const made = await county.post('/api/rights/checkups', {
      enterpriseId: ids.enterprise,
      checkedOn: day(),
      poolIds: [ids.lawyer],
      staffNames: '县总法律部 孙明',
    });
    expect(made.statusCode, made.body).toBe(200);
    let c = made.json();
    ids.checkup = c.id;
    expect(c).toMatchObject({ employerName: '东台体检示范机械有限公司', enterpriseId: ids.enterprise, status: 'open', statusLabel: '待录入体检结果' });
    expect(c.findings).toHaveLength(Number(ids.items)); // the deactivated item is not copied
    expect(c.staff[0].name).toBe('体检律师');

    const wage = c.findings.find((f: { title: string }) => f.title === '工资按时足额支付');
    const all = (result: string) =>
      c.findings.map((f: { id: string }) => ({
        id: f.id,
        result: f.id === wage.id ? 'issue' : result,
        note: f.id === wage.id ? '加班工资未足额支付' : undefined,
      }));
    const missing = await county.post(`/api/rights/checkups/${c.id}/findings`, {
      version: c.version,
      findings: all('ok').slice(1),
      riskLevel: 'medium',
      summary: '意见',
    });
    expect(missing.statusCode).toBe(400);
    const noRect = await county.post(`/api/rights/checkups/${c.id}/findings`, {
      version: c.version,
      findings: all('ok'),
      riskLevel: 'medium',
      summary: '意见',
    });
    expect(noRect.statusCode).toBe(400);
    expect(noRect.json().error.fields.rectifications).toContain('整改');
    const rec = await county.post(`/api/rights/checkups/${c.id}/findings`, {
      version: c.version,
      findings: all('ok'),
      riskLevel: 'medium',
      summary: '加班工资支付存在风险，须限期整改。',
      rectifications: [
        { findingId: wage.id, task: '补发加班工资', owner: '人力资源部 王经理', dueOn: day(10) },
        { task: '建立加班审批台账', owner: '生产部 蔡经理', dueOn: day(2) },
      ],
    });
    expect(rec.statusCode, rec.body).toBe(200);
    c = rec.json();
    expect(c).toMatchObject({ status: 'rectifying', riskLevel: 'medium', riskLabel: '中风险', openRectifications: 2 });
    expect((await county.post(`/api/rights/checkups/${c.id}/close`, { version: c.version, note: '办结' })).json().error.message).toContain('2 项整改未完成');

    // the deadline of the second passes: it is flagged, and listed under 整改逾期
    t.clock.advance(3 * 86_400_000);
    city = await t.login('city_admin');
    county = await t.login('county_admin');
    sheyang = await t.login('sheyang_admin');
    c = (await county.get(`/api/rights/checkups/${c.id}`)).json();
    expect(c.overdueRectifications).toBe(1);
    expect((await county.get('/api/rights/checkups?overdue=1')).json().items.map((x: { id: string }) => x.id)).toContain(c.id);
    for (const r of c.rectifications) {
      const done = await county.post(`/api/rights/checkups/${c.id}/rectifications/${r.id}/done`, {
        version: c.version,
        doneOn: day(),
        note: `${r.task}已完成`,
      });
      expect(done.statusCode, done.body).toBe(200);
      c = done.json();
    }
    c = (await county.post(`/api/rights/checkups/${c.id}/follow-up`, { version: c.version, comment: '回访职工，加班工资已到账' })).json();
    const closed = await county.post(`/api/rights/checkups/${c.id}/close`, { version: c.version, note: '整改全部完成，体检办结。' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', openRectifications: 0 });
    expect(closed.json().timeline.map((e: { label: string }) => e.label)).toEqual(['开展体检', '录入体检结果', '整改完成', '整改完成', '跟进', '办结']);

    const doc = await county.get(`/api/rights/checkups/${c.id}/report.docx`);
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['content-type']).toContain('wordprocessingml');
    const text = docxText(doc.rawPayload);
    for (const s of [
      '东台体检示范机械有限公司法治体检报告',
      '东台市总工会',
      '工资按时足额支付',
      '加班工资未足额支付',
      '中风险',
      '补发加班工资',
      '人力资源部 王经理',
      '律师体检律师',
      '整改全部完成',
    ])
      expect(text).toContain(s);

    const after = (await county.get('/api/rights/figures')).json();
    expect(after.checkups.total).toBe(before.checkups.total + 1);
    expect(after.checkups.closed).toBe(before.checkups.closed + 1);
    expect(after.checkups.byRisk.find((r: { code: string }) => r.code === 'medium').count).toBe(
      before.checkups.byRisk.find((r: { code: string }) => r.code === 'medium').count + 1,
    );
    const ind = await county.get(`/api/stats/indicators/rights.checkups?from=${day(-10)}&to=${day()}`);
    expect(ind.statusCode, ind.body).toBe(200);
    expect(ind.body).toContain('法治体检');

    // another county: 404 on the record, the report and the steps; not in its list
    for (const path of [`/api/rights/checkups/${c.id}`, `/api/rights/checkups/${c.id}/report.docx`]) expect((await sheyang.get(path)).statusCode).toBe(404);
    expect((await sheyang.post(`/api/rights/checkups/${c.id}/follow-up`, { version: 1, comment: '越权' })).statusCode).toBe(404);
    expect(JSON.stringify((await sheyang.get('/api/rights/checkups?pageSize=100')).json())).not.toContain('东台体检示范');
  });

  it('the employer of a consultation and of a case is linkable to the enterprise record', async () => {
    const c = await county.post('/api/rights/consultations', {
      channel: 'window',
      topic: 'pay',
      name: '关联咨询人',
      summary: '欠薪',
      enterpriseId: ids.enterprise,
    });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ enterpriseId: ids.enterprise, employerName: '东台体检示范机械有限公司' });
    const k = await county.post(`/api/rights/consultations/${c.json().id}/case`, {
      version: c.json().version,
      disputeType: 'pay',
      summary: '欠薪',
      claimAmount: '100',
      mediatorIds: [],
    });
    expect(k.statusCode, k.body).toBe(200);
    expect(k.json()).toMatchObject({ enterpriseId: ids.enterprise, employerName: '东台体检示范机械有限公司' });
    const out = await sheyang.post('/api/rights/consultations', { channel: 'window', topic: 'pay', name: '越权', summary: 'x', enterpriseId: ids.enterprise });
    expect(out.statusCode).toBe(404);
  });
});

describe('信息员 and risk reports', () => {
  let informant: TestMember;
  let plain: TestMember;

  it('a member on the roll is registered as an informant; only informants may report', async () => {
    informant = await makeMember(t, ids.grassroots!, 3601);
    plain = await makeMember(t, ids.grassroots!, 3602);
    expect((await informant.worker.get('/api/worker/rights/risks')).json()).toEqual({ informant: null, reports: [] });
    expect((await sheyang.post('/api/rights/informants', { membershipId: informant.membershipId, kind: 'gig' })).statusCode).toBe(404);
    // registered by the county into the enterprise union's registry: reports go to that union
    const added = await county.post('/api/rights/informants', { membershipId: informant.membershipId, orgId: ids.grassroots, kind: 'gig', note: '外卖骑手' });
    expect(added.statusCode, added.body).toBe(200);
    ids.informant = added.json().id;
    expect((await county.post('/api/rights/informants', { membershipId: informant.membershipId, kind: 'station' })).statusCode).toBe(409);
    const list = (await county.get('/api/rights/informants')).json();
    expect(list.items.find((i: { id: string }) => i.id === ids.informant)).toMatchObject({ kindLabel: '新就业形态信息员', hasAccount: true, active: true });
    expect((await informant.worker.get('/api/worker/rights/risks')).json().informant).toMatchObject({ kindLabel: '新就业形态信息员' });

    const report = { idempotencyKey: 'plain-risk-0001', kind: 'wage_arrears', place: '某工地', peopleAffected: 3, description: '欠薪', photoIds: [] };
    expect((await plain.worker.post('/api/worker/rights/risks', report)).statusCode).toBe(403);
    const up = await plain.worker.request({
      method: 'POST',
      url: '/api/worker/rights/risk-photos?name=a.png',
      payload: PNG,
      headers: { 'content-type': 'image/png' },
    });
    expect(up.statusCode).toBe(403);
  });

  it('an informant reports with a photo (idempotent); graded 重大, the county and the city hear at once; a ticket; closed', async () => {
    const before = (await city.get('/api/rights/figures')).json();
    const cityUnread = (await city.get('/api/messages/unread-count')).json().unread;
    const notPhoto = await informant.worker.request({
      method: 'POST',
      url: '/api/worker/rights/risk-photos?name=a.png',
      payload: Buffer.from('%PDF-1.4 x'),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(notPhoto.statusCode).toBe(400);
    const up = await informant.worker.request({
      method: 'POST',
      url: '/api/worker/rights/risk-photos?name=%E7%8E%B0%E5%9C%BA.png',
      payload: PNG,
      headers: { 'content-type': 'image/png' },
    });
    expect(up.statusCode, up.body).toBe(200);
    const body = {
      idempotencyKey: 'risk-3601-0001',
      kind: 'mass_incident',
      place: '东台某配送站',
      peopleAffected: 35,
      description: '骑手聚集讨论集体停跑',
      occurredOn: day(),
      photoIds: [up.json().id],
    };
    const [a, b] = await Promise.all([informant.worker.post('/api/worker/rights/risks', body), informant.worker.post('/api/worker/rights/risks', body)]);
    expect(a.statusCode, a.body).toBe(200);
    expect(b.json().id).toBe(a.json().id);
    ids.risk = a.json().id;
    expect((await informant.worker.get('/api/worker/rights/risks')).json().reports).toHaveLength(1);
    // the photo is taken: another report cannot take it again
    const reuse = await informant.worker.post('/api/worker/rights/risks', { ...body, idempotencyKey: 'risk-3601-0002' });
    expect(reuse.statusCode).toBe(400);

    let r = (await county.get(`/api/rights/risks/${ids.risk}`)).json();
    expect(r).toMatchObject({ status: 'reported', gradeLabel: '待研判', org: { id: ids.grassroots }, informant: { kindLabel: '新就业形态信息员' } });
    expect(r.photos).toHaveLength(1);
    const photo = await county.get(`/api/rights/risks/${ids.risk}/photos/${r.photos[0].id}`);
    expect(photo.statusCode).toBe(200);
    expect(photo.rawPayload.equals(PNG)).toBe(true);
    expect((await county.post(`/api/rights/risks/${ids.risk}/ticket`, { version: r.version })).statusCode).toBe(409); // grade first

    const graded = await county.post(`/api/rights/risks/${ids.risk}/grade`, { version: r.version, grade: 'severe', comment: '有群体性事件苗头' });
    expect(graded.statusCode, graded.body).toBe(200);
    r = graded.json();
    expect(r).toMatchObject({ grade: 'severe', gradeLabel: '重大', alerted: true, status: 'graded' });
    const bell = (await city.get('/api/messages')).json();
    expect((await city.get('/api/messages/unread-count')).json().unread).toBe(cityUnread + 1);
    expect(bell.items[0]).toMatchObject({ title: '重大劳动关系风险', link: `/admin/#/rights/risks/${ids.risk}` });
    expect((await county.get('/api/messages')).json().items.some((m: { title: string }) => m.title === '重大劳动关系风险')).toBe(true);
    // graded again as 重大: no second alert
    r = (await county.post(`/api/rights/risks/${ids.risk}/grade`, { version: r.version, grade: 'severe' })).json();
    expect((await city.get('/api/messages/unread-count')).json().unread).toBe(cityUnread + 1);

    const ticketed = await county.post(`/api/rights/risks/${ids.risk}/ticket`, { version: r.version, comment: '请镇工会处置' });
    expect(ticketed.statusCode, ticketed.body).toBe(200);
    r = ticketed.json();
    const ticket = (await county.get(`/api/rights/tickets/${r.ticketId}`)).json();
    expect(ticket).toMatchObject({ status: 'open', origin: { id: ids.dongtai }, requesterName: `信息员${informant.person.name}` });
    expect((await county.post(`/api/rights/risks/${ids.risk}/close`, { version: r.version, note: '已处置' })).json().error.message).toContain('尚未办结');
    const answered = await county.post(`/api/rights/tickets/${ticket.id}/answer`, { version: ticket.version, answer: '已约谈站点，骑手复工' });
    expect(answered.statusCode, answered.body).toBe(200);
    const closed = await county.post(`/api/rights/risks/${ids.risk}/close`, { version: r.version, note: '约谈站点，取消新规，骑手复工' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().timeline.map((e: { label: string }) => e.label)).toEqual(['上报', '重大风险报告', '研判定级', '研判定级', '转诉求工单', '办结']);

    const after = (await city.get('/api/rights/figures')).json();
    expect(after.risks.total).toBe(before.risks.total + 1);
    const sev = (f: typeof after) => f.risks.byGrade.find((g: { code: string }) => g.code === 'severe').count;
    expect(sev(after)).toBe(sev(before) + 1);

    for (const path of [`/api/rights/risks/${ids.risk}`, `/api/rights/risks/${ids.risk}/photos/${r.photos[0].id}`])
      expect((await sheyang.get(path)).statusCode).toBe(404);
    expect((await sheyang.post(`/api/rights/risks/${ids.risk}/grade`, { version: 1, grade: 'general' })).statusCode).toBe(404);
    expect(JSON.stringify((await sheyang.get('/api/rights/risks?pageSize=100')).json())).not.toContain('东台某配送站');
  });

  it('a photo no report took is deleted after 24 hours', async () => {
    const up = await informant.worker.request({
      method: 'POST',
      url: '/api/worker/rights/risk-photos?name=b.png',
      payload: PNG,
      headers: { 'content-type': 'image/png' },
    });
    expect(up.statusCode, up.body).toBe(200);
    t.clock.advance(25 * 3_600_000);
    expect(await t.services.features.rights.service.risks.expirePhotos()).toBeGreaterThanOrEqual(1);
    expect(await t.db.selectFrom('rights_risk_photos').select('id').where('id', '=', up.json().id).executeTakeFirst()).toBeUndefined();
    // the photo a report took stays
    expect(await t.db.selectFrom('rights_risk_photos').select('id').where('risk_id', '=', ids.risk!).executeTakeFirst()).toBeDefined();
    county = await t.login('county_admin');
    informant = { ...informant, worker: await t.workerLogin(informant.person.phone) };
  });

  it('an informant is stood down: the H5 entry goes', async () => {
    const i = (await county.get('/api/rights/informants')).json().items.find((x: { id: string }) => x.id === ids.informant);
    const off = await county.patch(`/api/rights/informants/${ids.informant}`, { version: i.version, active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect((await informant.worker.get('/api/worker/rights/risks')).json().informant).toBeNull();
  });
});
