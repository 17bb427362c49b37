// 维权 through the whole HTTP pipeline: a worker's online question answered (with the message), turned
// into a mediation case with a mediator from the pool, a session, 调解成功 with the agreement .docx
// (read by unzipping), figures moving; 一函两书 with reply, overdue escalation to a 建议书 from the
// county; a 12351 ticket dispatched city → county → grassroots with a working-day deadline on the manual
// clock, overdue and escalated, answered, called back and closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember } from '../../../../tests/support/members.js';
import { fakeResidentId } from '../../../../tests/support/people.js';
import { docxText } from '../../../../tests/support/docx-text.js';

let t: TestApp;
let city: Client;
let county: Client;
let grassroots: Client;
const ids: Record<string, string> = {};
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  city = await t.login('city_admin');
  county = await t.login('county_admin');
  grassroots = await t.login('grassroots_admin');
  const me = (await grassroots.get('/api/auth/me')).json();
  ids.enterprise = me.account.org.id;
});
afterAll(async () => t?.close());

const relogin = async () => {
  city = await t.login('city_admin');
  county = await t.login('county_admin');
  grassroots = await t.login('grassroots_admin');
};

describe('consultations: staff ledger and the worker H5 thread', () => {
  it('staff log a window consultation in one request; the phone is stored sealed and listed masked', async () => {
    const r = await county.post('/api/rights/consultations', {
      channel: 'window',
      topic: 'pay',
      name: '王小明',
      phone: '13812345678',
      employerName: '东台某建筑公司',
      summary: '三个月工资未发',
      answer: '可申请调解或向劳动监察投诉',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'answered', outcome: 'answered', phoneMasked: '138****5678', channelLabel: '窗口/来访' });
    const row = await t.db.selectFrom('rights_consultations').select(['phone_enc', 'phone_bidx']).where('id', '=', r.json().id).executeTakeFirstOrThrow();
    expect(row.phone_enc).not.toContain('13812345678');
    expect(t.deps.crypto.decrypt(row.phone_enc!)).toBe('13812345678');
    const list = (await county.get('/api/rights/consultations?channel=window')).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(r.json().id);
    expect(JSON.stringify(list)).not.toContain('13812345678');
  });

  it('bad input names the field in Chinese', async () => {
    const r = await county.post('/api/rights/consultations', { channel: 'fax', topic: 'pay', name: '', summary: 'x' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toMatch(/咨询渠道无效|请填写咨询人姓名/);
  });

  it('a member asks on the H5; the union answers; the worker is notified and reads the thread', async () => {
    const m = await makeMember(t, ids.enterprise!, 5101);
    const body = { idempotencyKey: 'ask-contract-5101', topic: 'contract', question: '公司不签劳动合同怎么办？' };
    expect((await m.worker.post('/api/worker/rights/consultations', { topic: 'contract', question: '没有幂等键' })).statusCode).toBe(400);
    const asked = await m.worker.post('/api/worker/rights/consultations', body);
    expect(asked.statusCode, asked.body).toBe(200);
    ids.consultation = asked.json().id;
    expect(asked.json().org.id).toBe(ids.enterprise);
    // a retried submit (the same key) answers the same consultation, concurrently too: one record
    const again = await Promise.all([1, 2, 3].map(() => m.worker.post('/api/worker/rights/consultations', body)));
    for (const r of again) expect(r.json().id).toBe(ids.consultation);
    expect((await m.worker.get('/api/worker/rights/consultations')).json().items.filter((c: { summary: string }) => c.summary === body.question)).toHaveLength(
      1,
    );
    // the enterprise union's staff see it; another county's staff do not
    const seen = await grassroots.get(`/api/rights/consultations/${ids.consultation}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().thread).toHaveLength(1);
    const sy = await t.login('sheyang_admin');
    expect((await sy.get(`/api/rights/consultations/${ids.consultation}`)).statusCode).toBe(404);

    const answered = await grassroots.post(`/api/rights/consultations/${ids.consultation}/answer`, {
      version: seen.json().version,
      answer: '用人单位自用工之日起超过一个月不满一年未签书面合同的，应支付二倍工资。',
      outcome: 'answered',
    });
    expect(answered.statusCode, answered.body).toBe(200);
    const thread = (await m.worker.get(`/api/worker/rights/consultations/${ids.consultation}`)).json();
    expect(thread.status).toBe('answered');
    expect(thread.thread.map((x: { author: string }) => x.author)).toEqual(['worker', 'staff']);
    const msgs = (await m.worker.get('/api/worker/messages')).json();
    expect(msgs.items.some((x: { title: string; link: string }) => x.title === '咨询已答复' && x.link.includes(ids.consultation!))).toBe(true);
    // another worker cannot read it
    const other = await makeMember(t, ids.enterprise!, 5102);
    expect((await other.worker.get(`/api/worker/rights/consultations/${ids.consultation}`)).statusCode).toBe(404);
    // a follow-up puts it back to 待答复
    const more = await m.worker.post(`/api/worker/rights/consultations/${ids.consultation}/messages`, { body: '那已经干了半年了呢？' });
    expect(more.json().status).toBe('open');
  });
});

describe('mediation: pool, case from a consultation, session, 调解成功, agreement .docx, figures', () => {
  it('opens a case from the consultation with a county mediator; succeeds; the agreement opens', async () => {
    const before = (await county.get(`/api/rights/figures?orgId=${ids.dongtai}`)).json();
    const pool = await county.post('/api/rights/pool', {
      name: '陈律师',
      organisation: '东台某律师事务所',
      speciality: '劳动争议',
      kind: 'lawyer',
      available: true,
    });
    expect(pool.statusCode, pool.body).toBe(200);
    ids.mediator = pool.json().id;
    // the grassroots union draws on its county's pool
    expect((await grassroots.get('/api/rights/pool')).json().items.some((p: { id: string }) => p.id === ids.mediator)).toBe(true);
    const c = (await grassroots.get(`/api/rights/consultations/${ids.consultation}`)).json();
    const opened = await grassroots.post(`/api/rights/consultations/${ids.consultation}/case`, {
      version: c.version,
      disputeType: 'contract',
      employerName: '东台某机械公司',
      summary: '未签劳动合同，请求支付二倍工资差额 12000 元',
      claimAmount: '12000',
      mediatorIds: [ids.mediator],
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const k = opened.json();
    ids.case = k.id;
    expect(k).toMatchObject({ kind: 'mediation', status: 'open', staff: [{ name: '陈律师', role: 'mediator' }] });
    expect(k.dueOn > k.openedOn).toBe(true);
    expect((await grassroots.get(`/api/rights/consultations/${ids.consultation}`)).json()).toMatchObject({ outcome: 'to_mediation', caseId: k.id });

    const s = await grassroots.post(`/api/rights/cases/${k.id}/sessions`, {
      version: k.version,
      heldOn: '2026-11-21',
      place: '东台市劳动争议多元调解中心',
      online: false,
      attendees: '申请人、企业人事经理、调解员陈律师',
      minutes: '双方同意分两期支付',
    });
    expect(s.statusCode, s.body).toBe(200);
    const closed = await grassroots.post(`/api/rights/cases/${k.id}/close`, {
      version: s.json().version,
      outcome: 'succeeded',
      agreedAmount: '10000',
      paidAmount: '5000',
      agreementTerms: '一、被申请人于2026年12月31日前支付申请人10000元。\n二、申请人放弃其他请求。',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('succeeded');

    const doc = await grassroots.get(`/api/rights/cases/${k.id}/agreement.docx`);
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['content-type']).toContain('wordprocessingml');
    const text = docxText(doc.rawPayload);
    expect(text).toContain('劳动争议调解协议书');
    expect(text).toContain('东台某机械公司');
    expect(text).toContain('10000.00');
    expect(text).toContain('陈律师');

    const after = (await county.get(`/api/rights/figures?orgId=${ids.dongtai}`)).json();
    expect(after.mediation.opened).toBe(before.mediation.opened + 1);
    expect(after.mediation.succeeded).toBe(before.mediation.succeeded + 1);
    expect(after.consultations.total).toBeGreaterThanOrEqual(before.consultations.total);
    // the drill-down lists the rows behind the figure
    const rows = (await county.get(`/api/rights/cases?kind=mediation&status=succeeded&orgId=${ids.dongtai}&pageSize=200`)).json();
    expect(rows.total).toBe(after.mediation.succeeded);
  });

  it('a direct case seals parties; the full view and the reveal are audited', async () => {
    const id = fakeResidentId(5103);
    const r = await county.post('/api/rights/cases', {
      parties: [{ name: '赵师傅', idNumber: id, phone: '13900005103' }],
      disputeType: 'injury',
      employerName: '东台某物流公司',
      summary: '工伤待遇',
      claimAmount: '30000',
      mediatorIds: [],
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.body).not.toContain(id);
    expect(r.json().parties[0].idMasked).toMatch(/^\d{4}\*+\d{4}$/);
    const view = await county.get(`/api/rights/cases/${r.json().id}`);
    expect(view.statusCode).toBe(200);
    const audits = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', r.json().id).where('target_type', '=', 'rights_case').execute();
    expect(audits.map((a) => a.action)).toContain('rights.case.view');
    const shown = await county.post(`/api/rights/cases/${r.json().id}/parties/${r.json().parties[0].id}/reveal`, {
      field: 'idNumber',
      reason: '调解需要核对身份',
    });
    expect(shown.json().value).toBe(id);
  });
});

describe('一函两书: 提示函 → reply; overdue → 建议书 from the county', () => {
  const letter = {
    kind: 'reminder',
    employerName: '东台某纺织公司',
    subject: '依法足额支付劳动报酬',
    facts: '你单位拖欠李春花、王大力等职工9月至10月工资。',
    legalBasis: '《中华人民共和国劳动法》第五十条',
    demands: '立即足额支付拖欠的工资',
    workers: ['李春花', '王大力'],
    replyDays: 7,
  };

  it('numbers per union and year, masks the workers, and records the reply', async () => {
    const a = await grassroots.post('/api/rights/letters', letter);
    expect(a.statusCode, a.body).toBe(200);
    const b = await grassroots.post('/api/rights/letters', { ...letter, kind: 'opinion' });
    expect(a.json().docNo).toMatch(/〔2026〕1号$/);
    expect(b.json().docNo).toMatch(/〔2026〕2号$/);
    const preview = JSON.stringify(a.json().document);
    expect(preview).not.toContain('李春花');
    expect(preview).toContain('李**');
    const doc = await grassroots.get(`/api/rights/letters/${a.json().id}/docx`);
    const text = docxText(doc.rawPayload);
    expect(text).toContain('工会劳动法律监督提示函');
    expect(text).toContain(a.json().docNo);
    expect(text).not.toContain('王大力');
    const replied = await grassroots.post(`/api/rights/letters/${a.json().id}/reply`, {
      version: a.json().version,
      reply: '已补发工资',
      repliedOn: '2026-11-25',
      rectified: true,
    });
    expect(replied.json().status).toBe('rectified');
    // not overdue, not refused: no 建议书
    expect(
      (
        await county.post(`/api/rights/letters/${b.json().id}/escalate`, {
          version: b.json().version,
          addressee: '劳动保障监察机构',
          demands: '依法查处',
          replyDays: 15,
        })
      ).statusCode,
    ).toBe(409);
    ids.opinion = b.json().id;
  });

  it('an overdue 意见书 escalates to a 建议书 from the county union, not from the grassroots', async () => {
    t.clock.advance(10 * DAY);
    await relogin();
    const b = (await county.get(`/api/rights/letters/${ids.opinion}`)).json();
    expect(b.overdue).toBe(true);
    expect(
      (
        await grassroots.post(`/api/rights/letters/${ids.opinion}/escalate`, {
          version: b.version,
          addressee: '劳动保障监察机构',
          demands: '依法查处',
          replyDays: 15,
        })
      ).statusCode,
    ).toBe(403);
    const p = await county.post(`/api/rights/letters/${ids.opinion}/escalate`, {
      version: b.version,
      addressee: '劳动保障监察机构',
      demands: '依法查处拖欠工资行为',
      replyDays: 15,
    });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json()).toMatchObject({ kind: 'proposal', org: { id: ids.dongtai }, addressee: '东台市劳动保障监察机构' });
    expect(p.json().docNo).toMatch(/^东台工法〔2026〕\d+号$/);
    const ans = await county.post(`/api/rights/letters/${p.json().id}/answer`, { version: p.json().version, answer: '已立案查处', answeredOn: '2026-12-05' });
    expect(ans.json().status).toBe('answered');
    expect((await county.get(`/api/rights/letters/${ids.opinion}`)).json().status).toBe('escalated');
  });
});

describe('12351 ticket: city → county → grassroots, overdue, escalated, answered, called back, closed', () => {
  it('runs on the manual clock with working-day deadlines', async () => {
    await relogin();
    const created = await city.post('/api/rights/tickets', {
      title: '外卖骑手被平台扣款',
      content: '站点无故扣除配送费',
      requesterName: '刘骑手',
      phone: '13900005104',
    });
    expect(created.statusCode, created.body).toBe(200);
    let tk = created.json();
    const toCounty = await city.post(`/api/rights/tickets/${tk.id}/dispatch`, { version: tk.version, orgId: ids.dongtai, days: 5 });
    expect(toCounty.statusCode, toCounty.body).toBe(200);
    tk = toCounty.json();
    expect(tk.org.id).toBe(ids.dongtai);
    // the county passes it down to the enterprise union with 3 working days
    const toGrassroots = await county.post(`/api/rights/tickets/${tk.id}/dispatch`, { version: tk.version, orgId: ids.enterprise, days: 3 });
    expect(toGrassroots.statusCode, toGrassroots.body).toBe(200);
    tk = toGrassroots.json();
    const expectedDue = (await t.services.holidays.addWorkingDays(t.db, t.clock.now(), 3)).getTime();
    expect(tk.dueOn).toBe(new Date(expectedDue + 8 * 3600_000).toISOString().slice(0, 10));
    // not yet late
    expect(await t.services.features.rights.service.tickets.sweepOverdue()).toBe(0);
    // past the deadline: flagged and escalated once, with a message to the handler's parent union
    while (new Date(t.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10) <= tk.dueOn) t.clock.advance(DAY);
    expect(await t.services.features.rights.service.tickets.sweepOverdue()).toBe(1);
    expect(await t.services.features.rights.service.tickets.sweepOverdue()).toBe(0);
    await relogin();
    tk = (await grassroots.get(`/api/rights/tickets/${tk.id}`)).json();
    expect(tk.overdue).toBe(true);
    expect(tk.timeline.map((e: { action: string }) => e.action)).toEqual(['create', 'dispatch', 'dispatch', 'escalated']);
    const townMsgs = (await (await t.login('town_admin')).get('/api/messages')).json();
    expect(JSON.stringify(townMsgs)).toContain('诉求工单超期');
    // the origin cannot call back before the answer; the handler answers; the city calls back and closes
    expect((await city.post(`/api/rights/tickets/${tk.id}/callback`, { version: tk.version, satisfaction: 5 })).statusCode).toBe(409);
    tk = (await grassroots.post(`/api/rights/tickets/${tk.id}/answer`, { version: tk.version, answer: '已协调站点退还扣款' })).json();
    expect(tk.status).toBe('answered');
    expect((await grassroots.post(`/api/rights/tickets/${tk.id}/callback`, { version: tk.version, satisfaction: 5 })).statusCode).toBe(403);
    tk = (await city.post(`/api/rights/tickets/${tk.id}/callback`, { version: tk.version, satisfaction: 4, comment: '基本满意' })).json();
    expect(tk.status).toBe('called_back');
    tk = (await city.post(`/api/rights/tickets/${tk.id}/close`, { version: tk.version })).json();
    expect(tk.status).toBe('closed');
    const f = (await city.get('/api/rights/figures')).json();
    expect(f.tickets).toMatchObject({ overdue: expect.any(Number), answered: expect.any(Number) });
    expect(f.tickets.overdue).toBeGreaterThanOrEqual(1);
    // 射阳 sees nothing of it
    const sy = await t.login('sheyang_admin');
    expect((await sy.get(`/api/rights/tickets/${tk.id}`)).statusCode).toBe(404);
  });
});

describe('法律援助: a case from an approved 法律援助 application, with a lawyer from the pool', () => {
  it('refuses an application under review, opens one case once approved, and counts the amount recovered', async () => {
    await relogin();
    const m = await makeMember(t, ids.enterprise!, 5105);
    const types = (await m.worker.get('/api/worker/services')).json().items as { id: string; code: string }[];
    const legal = types.find((x) => x.code === 'legal_aid')!;
    const applied = await m.worker.post('/api/worker/applications', {
      serviceTypeId: legal.id,
      values: { disputeType: '工伤', employer: '东台某机械厂', facts: '机床划伤左手，公司未申报工伤', contactPhone: m.person.phone },
      attachments: {},
      idempotencyKey: 'rights-legal-5105',
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const appId = applied.json().id;
    const lawyer = (await county.post('/api/rights/pool', { name: '顾律师', organisation: '东台某律师事务所', kind: 'lawyer', available: true })).json().id;
    const body = {
      applicationId: appId,
      parties: [],
      disputeType: 'injury',
      employerName: '东台某机械厂',
      summary: '工伤认定与待遇',
      claimAmount: '50000',
      lawyerId: lawyer,
      stage: 'writing',
    };
    const early = await county.post('/api/rights/cases/legal-aid', body);
    expect(early.statusCode, early.body).toBe(409);
    // the workflow's steps approve it (each by a union whose subtree holds the step)
    for (let i = 0; i < 5; i++) {
      const a = (await city.get(`/api/applications/${appId}`)).json();
      if (a.status === 'approved') break;
      const r = await city.post(`/api/applications/${appId}/actions`, { action: 'approve', version: a.version, comment: '同意援助' });
      expect(r.statusCode, r.body).toBe(200);
    }
    expect((await city.get(`/api/applications/${appId}`)).json().status).toBe('approved');
    const before = (await county.get(`/api/rights/figures?orgId=${ids.dongtai}`)).json();
    const k = await county.post('/api/rights/cases/legal-aid', body);
    expect(k.statusCode, k.body).toBe(200);
    expect(k.json()).toMatchObject({ kind: 'legal_aid', stage: 'writing', applicationId: appId, staff: [{ name: '顾律师', role: 'lawyer' }] });
    expect(k.json().parties[0].phoneMasked).toMatch(/\*{4}/);
    expect((await county.post('/api/rights/cases/legal-aid', body)).statusCode).toBe(409);
    const staged = await county.post(`/api/rights/cases/${k.json().id}/stage`, { version: k.json().version, stage: 'arbitration', comment: '申请工伤仲裁' });
    expect(staged.json().stageLabel).toBe('仲裁代理');
    const done = await county.post(`/api/rights/cases/${k.json().id}/close`, {
      version: staged.json().version,
      outcome: 'closed',
      agreedAmount: '42000',
      result: '仲裁裁决支付工伤待遇',
    });
    expect(done.statusCode, done.body).toBe(200);
    const after = (await county.get(`/api/rights/figures?orgId=${ids.dongtai}`)).json();
    expect(after.legalAid.opened).toBe(before.legalAid.opened + 1);
    expect(Number(after.legalAid.recoveredAmount) - Number(before.legalAid.recoveredAmount)).toBe(42000);
  });
});
