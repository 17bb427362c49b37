// The one workflow engine through the HTTP API: a service type defined by staff, 困难帮扶 with
// aid, returns and resubmission, idempotency, withdraw, overdue reminders, lottery, uploads,
// and (PostgreSQL) the races.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember, type TestMember } from '../../../../tests/support/members.js';
import { ensureServiceCatalogue } from './applications.catalogue.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

let t: TestApp;
let city: Client, county: Client, town: Client, grassroots: Client, sheyang: Client;
let grassrootsOrgId: string, dongtaiId: string;
let member: TestMember;

async function upload(w: Client, buf: Buffer, name: string, type = 'image/png') {
  return w.request({ method: 'POST', url: `/api/worker/attachments?name=${encodeURIComponent(name)}`, payload: buf, headers: { 'content-type': type } });
}
async function uploadId(w: Client, buf = PNG, name = '证明.png', type = 'image/png') {
  const r = await upload(w, buf, name, type);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().id as string;
}
async function typeId(code: string) {
  return (await t.db.selectFrom('service_types').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}
async function act(c: Client, id: string, body: Record<string, unknown>) {
  const d = (await c.get(`/api/applications/${id}`)).json();
  return c.post(`/api/applications/${id}/actions`, { version: d.version, ...body });
}
async function actOk(c: Client, id: string, body: Record<string, unknown>) {
  const r = await act(c, id, body);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

async function loginAll() {
  city = await t.login('city_admin');
  county = await t.login('county_admin');
  town = await t.login('town_admin');
  grassroots = await t.login('grassroots_admin');
  sheyang = await t.login('sheyang_admin');
}

async function relogin() {
  await loginAll();
  member.worker = await t.workerLogin(member.person.phone);
}

beforeAll(async () => {
  t = await createTestApp({ config: { dataDir: mkdtempSync(join(tmpdir(), 'gh-apps-')) } });
  await loginAll();
  grassrootsOrgId = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  dongtaiId = await orgIdByName(t, '东台市总工会');
  member = await makeMember(t, grassrootsOrgId, 2001);
});
afterAll(async () => t?.close());

describe('service catalogue', () => {
  it('seeds the built-in catalogue, visible to every union and to workers', async () => {
    const list = (await sheyang.get('/api/service-types')).json();
    const codes = list.items.map((x: { code: string }) => x.code);
    for (const c of ['hardship_aid', 'legal_aid', 'rights', 'counselling', 'education_dream', 'mutual_claim', 'employment']) expect(codes).toContain(c);
    const hardship = list.items.find((x: { code: string }) => x.code === 'hardship_aid');
    expect(hardship.steps.map((s: { level: string }) => s.level)).toEqual(['grassroots', 'county', 'city']);
    expect(hardship.editable).toBe(false); // a county account cannot edit a city-wide built-in
    const w = (await member.worker.get('/api/worker/services')).json();
    expect(w.items.find((x: { code: string }) => x.code === 'hardship_aid').canApply).toBe(true);
    const form = (await member.worker.get('/api/worker/services/hardship_aid')).json();
    expect(form.form.find((f: { key: string }) => f.key === 'category').options).toEqual(['生活救助', '医疗救助', '助学救助']);
    // a worker who is not a member may not apply for members-only services
    const outsider = await t.workerLogin('13600002001');
    const o = (await outsider.get('/api/worker/services')).json();
    expect(o.items.find((x: { code: string }) => x.code === 'hardship_aid')).toMatchObject({ canApply: false, whyNot: '该服务仅限工会会员申请' });
    expect(o.items.find((x: { code: string }) => x.code === 'legal_aid').canApply).toBe(true);
  });

  it('refuses a bad definition with Chinese field messages', async () => {
    const r = await county.post('/api/service-types', {
      code: 'bad_one',
      name: '坏定义',
      category: '测试',
      applicantScope: 'worker',
      form: [
        { key: 'a', label: '甲', type: 'select', required: true },
        { key: 'a', label: '乙', type: 'text', required: false },
      ],
      attachments: [],
      steps: [
        { key: 's1', name: '县级', level: 'county', slaDays: 3, actions: ['approve'] },
        { key: 's2', name: '基层', level: 'grassroots', slaDays: 3, actions: ['reject'] },
      ],
    });
    expect(r.statusCode).toBe(400);
    const f = r.json().error.fields;
    expect(f['form.1.key']).toContain('重复');
    expect(f['form.0.options']).toContain('请填写选项');
    expect(f['steps.1.level']).toContain('自下而上');
    expect(f['steps.1.actions']).toContain('通过');
    const none = await county.post('/api/service-types', {
      code: 'bad_two',
      name: '无环节',
      category: '测试',
      applicantScope: 'worker',
      form: [],
      attachments: [],
      steps: [],
    });
    expect(none.json().error.fields.steps).toBe('至少需要一个办理环节');
  });
});

describe('a service type defined through the console runs end to end', () => {
  it('define → apply with a file → return → resubmit → approvals → 办结, timeline in order', async () => {
    const created = await county.post('/api/service-types', {
      code: 'skills_training',
      name: '技能培训补贴',
      category: '就业服务',
      description: '参加技能培训的会员申请培训补贴',
      applicantScope: 'member',
      form: [
        { key: 'course', label: '培训课程', type: 'text', required: true, maxLength: 50 },
        { key: 'kind', label: '培训类别', type: 'select', required: true, options: ['电工', '焊工', '育婴师'] },
        { key: 'startOn', label: '开课日期', type: 'date', required: true },
        { key: 'idNumber', label: '学员身份证号', type: 'id_number', required: true },
      ],
      attachments: [{ key: 'receipt', label: '培训发票', required: true, kinds: ['image', 'pdf'], maxCount: 2 }],
      steps: [
        { key: 'first', name: '基层初审', level: 'grassroots', slaDays: 3, actions: ['approve', 'return', 'reject'] },
        { key: 'final', name: '县级审批', level: 'county', slaDays: 5, actions: ['approve', 'reject'] },
      ],
    });
    expect(created.statusCode, created.body).toBe(200);
    const type = created.json();
    expect(type).toMatchObject({ code: 'skills_training', org: { id: dongtaiId }, editable: true, version: 1 });
    // 射阳 staff do not see 东台's own service
    expect((await sheyang.get(`/api/service-types/${type.id}`)).statusCode).toBe(404);

    const file = await uploadId(member.worker, PDF, '发票.pdf', 'application/pdf');
    const missing = await member.worker.post('/api/worker/applications', {
      serviceTypeId: type.id,
      values: { course: '低压电工', kind: '电工', startOn: '2026-12-01' },
      attachments: {},
      idempotencyKey: 'skills-missing-1',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toMatchObject({ 'values.idNumber': '请填写学员身份证号', 'attachments.receipt': '请上传培训发票' });

    const idNumber = member.person.idNumber;
    const sub = await member.worker.post('/api/worker/applications', {
      serviceTypeId: type.id,
      values: { course: '低压电工', kind: '电工', startOn: '2026-12-01', idNumber },
      attachments: { receipt: [file] },
      idempotencyKey: 'skills-apply-1',
    });
    expect(sub.statusCode, sub.body).toBe(200);
    const app = sub.json();
    expect(app).toMatchObject({ status: 'in_review', statusLabel: '办理中', currentStep: { key: 'first' }, values: { idNumber } });

    // staff see the ID masked, the file through the application's own route
    const d = (await grassroots.get(`/api/applications/${app.id}`)).json();
    expect(d.values.idNumber).not.toBe(idNumber);
    expect(d.values.idNumber).toMatch(/^\d{4}\*+\d{3}[\dX]$/);
    expect(d.allowedActions).toEqual(['approve', 'return', 'reject']);
    const dl = await grassroots.get(d.attachments[0].url);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.rawPayload.equals(PDF)).toBe(true);

    await actOk(grassroots, app.id, { action: 'return', comment: '发票不清晰，请补充清晰的发票' });
    let mine = (await member.worker.get(`/api/worker/applications/${app.id}`)).json();
    expect(mine).toMatchObject({ status: 'returned', statusLabel: '待补正', returnReason: '发票不清晰，请补充清晰的发票', canResubmit: true });
    const png = await uploadId(member.worker);
    const re = await member.worker.post(`/api/worker/applications/${app.id}/resubmit`, {
      version: mine.version,
      attachments: { receipt: [png] },
      comment: '已补充清晰的发票照片',
    });
    expect(re.statusCode, re.body).toBe(200);
    mine = re.json();
    expect(mine).toMatchObject({ status: 'in_review', currentStep: { key: 'first' } }); // continues at the returning step
    expect(mine.attachments.map((a: { id: string }) => a.id)).toEqual([png]);
    expect(mine.values.idNumber).toBe(idNumber); // the encrypted value survives a resubmission

    await actOk(grassroots, app.id, { action: 'approve', comment: '材料齐全' });
    // the grassroots union cannot act on the county step
    expect((await grassroots.get(`/api/applications/${app.id}`)).json().allowedActions).toEqual([]);
    const fin = await actOk(county, app.id, { action: 'approve', comment: '同意' });
    expect(fin).toMatchObject({ status: 'approved', statusLabel: '已办结', currentStep: null });
    mine = (await member.worker.get(`/api/worker/applications/${app.id}`)).json();
    expect(mine.timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'return', 'resubmit', 'approve', 'approve', 'complete']);
    expect(mine.timeline.map((e: { stepKey: string | null }) => e.stepKey)).toEqual([null, 'first', 'first', 'first', 'final', null]);
    expect(mine.steps.map((s: { state: string }) => s.state)).toEqual(['done', 'done']);
    const msgs = (await member.worker.get('/api/worker/messages')).json().items.map((m: { title: string }) => m.title);
    expect(msgs).toContain('您的技能培训补贴申请已办结');
    expect(msgs).toContain('您的技能培训补贴申请需要补正');

    // editing the type later changes nothing for submitted applications
    const edited = await county.patch(`/api/service-types/${type.id}`, {
      version: type.version,
      form: [{ key: 'only', label: '唯一字段', type: 'text', required: true }],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await county.get(`/api/applications/${app.id}`)).json().form.map((f: { key: string }) => f.key)).toEqual(['course', 'kind', 'startOn', 'idNumber']);
    const stale = await county.patch(`/api/service-types/${type.id}`, { version: type.version, name: '旧版本' });
    expect(stale.statusCode).toBe(409);

    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', app.id)
      .where('target_type', '=', 'application')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'application.submit',
      'application.return',
      'application.resubmit',
      'application.approve',
      'application.approve',
    ]);
  });
});

describe('困难帮扶 with aid', () => {
  it('grassroots returns for a missing document, the worker adds it, three levels approve, aid is paid, 办结', async () => {
    const budget = await city.post('/api/aid/budgets', {
      orgId: dongtaiId,
      year: 2026,
      fundCode: 'living',
      amount: '50000.00',
      reason: '2026 年生活救助资金',
    });
    expect(budget.statusCode, budget.body).toBe(200);
    const w = await makeMember(t, grassrootsOrgId, 2002);
    const proof = await uploadId(w.worker);
    const sub = await w.worker.post('/api/worker/applications', {
      serviceTypeId: await typeId('hardship_aid'),
      values: { category: '生活救助', amount: '3000', reason: '家人重病，收入微薄' },
      attachments: { proof: [proof] },
      idempotencyKey: 'hardship-2002-a',
    });
    expect(sub.statusCode, sub.body).toBe(200);
    const id = sub.json().id;
    expect(sub.json().requestedAmount).toBe('3000.00');

    await actOk(grassroots, id, { action: 'return', comment: '缺少医院诊断证明，请补充' });
    const mine = (await w.worker.get(`/api/worker/applications/${id}`)).json();
    const extra = await uploadId(w.worker, PDF, '诊断证明.pdf', 'application/pdf');
    const re = await w.worker.post(`/api/worker/applications/${id}/resubmit`, {
      version: mine.version,
      attachments: { other: [extra] },
      comment: '已补充诊断证明',
    });
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json().attachments).toHaveLength(2);

    await actOk(grassroots, id, { action: 'approve' });
    const atCounty = await actOk(county, id, { action: 'approve' });
    expect(atCounty.currentStep.key).toBe('city_approval');
    const atCity = (await city.get(`/api/applications/${id}`)).json();
    expect(atCity.needsAmount).toBe(true);
    const noAmount = await city.post(`/api/applications/${id}/actions`, { action: 'approve', version: atCity.version });
    expect(noAmount.statusCode).toBe(400);
    expect(noAmount.json().error.fields.amount).toBe('请填写核定金额');
    const tooMuch = await city.post(`/api/applications/${id}/actions`, { action: 'approve', version: atCity.version, amount: '3000.01' });
    expect(tooMuch.json().error.fields.amount).toContain('不能超过申请金额');
    const done = await actOk(city, id, { action: 'approve', amount: '2500.00', comment: '核定 2500 元' });
    expect(done).toMatchObject({ status: 'approved', grantedAmount: '2500.00' });

    const b = (await county.get(`/api/aid/budgets/${budget.json().id}`)).json();
    expect(b.spent).toBe('2500.00');
    expect(b.balance).toBe('47500.00');
    const paid = await t.db.selectFrom('aid_disbursements').select(['amount', 'fund_code', 'person_id']).where('application_id', '=', id).execute();
    expect(paid).toEqual([{ amount: '2500.00', fund_code: 'living', person_id: w.personId }]);

    const worker = (await w.worker.get(`/api/worker/applications/${id}`)).json();
    expect(worker.statusLabel).toBe('已办结');
    const msgs = (await w.worker.get('/api/worker/messages')).json().items;
    expect(msgs[0].title).toBe('您的困难帮扶申请已办结');
    expect(msgs[0].body).toContain('2500.00');
    expect(t.sms.sent.get(w.person.phone)).toContain('困难帮扶申请已办结');
  });

  it('a budget that cannot pay leaves the application where it was (409)', async () => {
    const w = await makeMember(t, grassrootsOrgId, 2003);
    const proof = await uploadId(w.worker);
    const id = (
      await w.worker.post('/api/worker/applications', {
        serviceTypeId: await typeId('hardship_aid'),
        values: { category: '医疗救助', amount: '1000', reason: '住院' },
        attachments: { proof: [proof] },
        idempotencyKey: 'hardship-2003-a',
      })
    ).json().id;
    await actOk(grassroots, id, { action: 'approve' });
    await actOk(county, id, { action: 'approve' });
    const r = await act(city, id, { action: 'approve', amount: '800.00' });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toContain('帮扶资金预算不存在');
    const d = (await city.get(`/api/applications/${id}`)).json();
    expect(d).toMatchObject({ status: 'in_review', currentStep: { key: 'city_approval' } });
    expect(d.timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'approve', 'approve']);
  });
});

describe('the engine rules', () => {
  it('idempotent submit: the same key answers the same application', async () => {
    const body = {
      serviceTypeId: await typeId('legal_aid'),
      values: { disputeType: '劳动报酬', employer: '某物流公司', facts: '拖欠三个月工资', contactPhone: '13900002001' },
      idempotencyKey: 'legal-idem-0001',
    };
    const a = await member.worker.post('/api/worker/applications', body);
    const b = await member.worker.post('/api/worker/applications', body);
    expect(a.statusCode, a.body).toBe(200);
    expect(b.json().id).toBe(a.json().id);
    const n = await t.db
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('idempotency_key', '=', 'legal-idem-0001')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
    // the phone field is masked for staff
    expect((await grassroots.get(`/api/applications/${a.json().id}`)).json().values.contactPhone).toBe('139****2001');
  });

  it('withdraw only before the first review action', async () => {
    const tid = await typeId('legal_aid');
    const values = { disputeType: '工伤', employer: '某厂', facts: '工伤认定', contactPhone: '13900002001' };
    const a = (await member.worker.post('/api/worker/applications', { serviceTypeId: tid, values, idempotencyKey: 'legal-wd-00001' })).json();
    expect(a.canWithdraw).toBe(true);
    const wd = await member.worker.post(`/api/worker/applications/${a.id}/withdraw`, { version: a.version });
    expect(wd.statusCode, wd.body).toBe(200);
    expect(wd.json()).toMatchObject({ status: 'withdrawn', statusLabel: '已撤回', canWithdraw: false });

    const b = (await member.worker.post('/api/worker/applications', { serviceTypeId: tid, values, idempotencyKey: 'legal-wd-00002' })).json();
    await actOk(grassroots, b.id, { action: 'return', comment: '请补充工伤认定书' });
    const cur = (await member.worker.get(`/api/worker/applications/${b.id}`)).json();
    const re = await member.worker.post(`/api/worker/applications/${b.id}/resubmit`, { version: cur.version, comment: '已补充' });
    expect(re.json().canWithdraw).toBe(false);
    const late = await member.worker.post(`/api/worker/applications/${b.id}/withdraw`, { version: re.json().version });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toBe('已有审核记录，不能撤回');
  });

  it('a stale version answers 409 with the conflict message; return and reject need a reason', async () => {
    const a = (
      await member.worker.post('/api/worker/applications', {
        serviceTypeId: await typeId('rights'),
        values: { issue: '欠薪', counterparty: '某建筑公司', facts: '欠薪两个月' },
        idempotencyKey: 'rights-ver-0001',
      })
    ).json();
    const noReason = await grassroots.post(`/api/applications/${a.id}/actions`, { action: 'reject', version: a.version });
    expect(noReason.json().error.fields.comment).toBe('请填写不予通过的原因');
    const ok = await grassroots.post(`/api/applications/${a.id}/actions`, { action: 'approve', version: a.version });
    expect(ok.statusCode).toBe(200);
    const stale = await town.post(`/api/applications/${a.id}/actions`, { action: 'approve', version: a.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toBe('该申请已被他人处理，请刷新后查看');
    const notAllowed = await act(county, a.id, { action: 'transfer', toOrgId: dongtaiId });
    expect(notAllowed.statusCode).toBe(400);
  });

  it('transfer to another union at the same level, in scope', async () => {
    const other = await t.db
      .selectFrom('orgs')
      .select(['id', 'name'])
      .where('type', '=', 'grassroots')
      .where('path', 'like', `${(await t.db.selectFrom('orgs').select('path').where('id', '=', dongtaiId).executeTakeFirstOrThrow()).path}%`)
      .where('id', '!=', grassrootsOrgId)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const a = (
      await member.worker.post('/api/worker/applications', {
        serviceTypeId: await typeId('employment'),
        values: { intention: '仓库管理', education: '大专', needTraining: '是', contactPhone: '13900002001' },
        idempotencyKey: 'employ-tr-0001',
      })
    ).json();
    const d = (await county.get(`/api/applications/${a.id}`)).json();
    expect(d.transferTargets.some((o: { id: string }) => o.id === other.id)).toBe(true);
    const r = await actOk(county, a.id, { action: 'transfer', toOrgId: other.id, comment: '转该企业工会办理' });
    expect(r.handlingOrg).toEqual({ id: other.id, name: other.name });
    expect(r.currentStep.key).toBe('accept');
    // the original grassroots union no longer handles it
    expect((await act(grassroots, a.id, { action: 'approve' })).statusCode).toBe(404);
    const bad = await act(county, a.id, { action: 'transfer', toOrgId: dongtaiId });
    expect(bad.json().error.fields.toOrgId).toBe('只能转办给同一层级的工会');
  });

  it('求学圆梦: more applicants than places → a published, re-runnable lottery', async () => {
    const tid = await typeId('education_dream');
    const type = (await city.get(`/api/service-types/${tid}`)).json();
    const steps = type.steps.map(({ levelLabel: _l, kindLabel: _k, ...s }: Record<string, unknown>) => (s.kind === 'lottery' ? { ...s, places: 2 } : s));
    const patched = await city.patch(`/api/service-types/${tid}`, { version: type.version, steps });
    expect(patched.statusCode, patched.body).toBe(200);
    // the reference seed runs at every start and never overwrites a staff edit
    await ensureServiceCatalogue(t.db);
    expect((await city.get(`/api/service-types/${tid}`)).json().steps.find((x: { kind: string }) => x.kind === 'lottery').places).toBe(2);
    const ids: string[] = [];
    for (const n of [2011, 2012, 2013]) {
      const w = await makeMember(t, grassrootsOrgId, n);
      const f = await uploadId(w.worker);
      const r = await w.worker.post('/api/worker/applications', {
        serviceTypeId: tid,
        values: { level: '本科', school: '盐城工学院', major: '机械工程', tuition: '6800' },
        attachments: { admission: [f] },
        idempotencyKey: `edu-${n}-0001`,
      });
      expect(r.statusCode, r.body).toBe(200);
      ids.push(r.json().id);
      await actOk(grassroots, r.json().id, { action: 'approve' });
    }
    const seed = '0123456789abcdef0123456789abcdef';
    const draw = await county.post('/api/lottery-draws', { serviceTypeId: tid, stepKey: 'lottery', orgId: dongtaiId, seed });
    expect(draw.statusCode, draw.body).toBe(200);
    const d = draw.json();
    expect(d).toMatchObject({ seed, places: 2, candidates: ids });
    const expected = [...ids]
      .sort((x, y) => (createHash('sha256').update(`${seed}:${x}`).digest('hex') < createHash('sha256').update(`${seed}:${y}`).digest('hex') ? -1 : 1))
      .slice(0, 2);
    expect(d.winners).toEqual(expected);
    for (const id of ids) {
      const a = (await county.get(`/api/applications/${id}`)).json();
      if (expected.includes(id)) expect(a).toMatchObject({ status: 'in_review', currentStep: { key: 'confirm' } });
      else expect(a).toMatchObject({ status: 'not_selected', statusLabel: '未中签' });
    }
    expect((await county.get(`/api/lottery-draws/${d.id}`)).json().winners).toEqual(expected);
    expect((await county.post('/api/lottery-draws', { serviceTypeId: tid, stepKey: 'lottery', orgId: dongtaiId })).statusCode).toBe(400);
  });
});

describe('代为申请 (staff entry on a member’s behalf)', () => {
  it('staff enter an application with their own uploads; idempotent; the member sees it', async () => {
    const w = await makeMember(t, grassrootsOrgId, 2005);
    const up = await grassroots.request({
      method: 'POST',
      url: '/api/applications/attachments?name=证明.pdf',
      payload: PDF,
      headers: { 'content-type': 'application/pdf' },
    });
    expect(up.statusCode, up.body).toBe(200);
    const workerFile = await uploadId(w.worker);
    const body = {
      serviceTypeId: await typeId('legal_aid'),
      membershipId: w.membershipId,
      values: { disputeType: '劳动合同', employer: '某商贸公司', facts: '未签劳动合同', contactPhone: w.person.phone },
      attachments: { evidence: [up.json().id] },
      idempotencyKey: 'staff-entry-2005',
    };
    const r = await grassroots.post('/api/applications', body);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'in_review', applicant: { isMember: true }, currentStep: { key: 'accept' } });
    expect(r.json().timeline[0]).toMatchObject({ action: 'submit', comment: '工作人员代为申请' });
    expect((await grassroots.post('/api/applications', body)).json().id).toBe(r.json().id);
    const seen = (await w.worker.get(`/api/worker/applications/${r.json().id}`)).json().attachments;
    expect(seen).toHaveLength(1);
    expect((await w.worker.get(seen[0].url)).rawPayload.equals(PDF)).toBe(true);
    expect((await member.worker.get(seen[0].url)).statusCode).toBe(404);
    // staff cannot attach a worker's upload
    const steal = await grassroots.post('/api/applications', { ...body, attachments: { evidence: [workerFile] }, idempotencyKey: 'staff-entry-2005-b' });
    expect(steal.json().error.fields['attachments.evidence']).toBe('附件不存在，请重新上传');
    // nor enter for a member outside the subtree
    const outside = await makeMember(t, await orgIdByName(t, '射阳县总工会'), 2006);
    expect((await grassroots.post('/api/applications', { ...body, membershipId: outside.membershipId, idempotencyKey: 'staff-entry-2006' })).statusCode).toBe(
      404,
    );
  });
});

describe('attachments', () => {
  it('refuses an executable renamed .jpg, an empty file and an oversize one', async () => {
    const exe = await upload(member.worker, EXE, '照片.jpg', 'image/jpeg');
    expect(exe.statusCode).toBe(400);
    expect(exe.json().error.message).toContain('仅支持 JPG、PNG 图片或 PDF 文件');
    const typed = await upload(member.worker, EXE, 'setup.exe', 'application/x-msdownload');
    expect(typed.statusCode).toBe(400);
    expect(typed.json().error.code).toBe('VALIDATION_FAILED');
    const big = await upload(member.worker, Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]), 'big.png');
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toBe('文件不能超过 10 MB');
    const ok = await upload(member.worker, PNG, '../../etc/passwd.exe', 'application/octet-stream');
    expect(ok.json()).toMatchObject({ kind: 'image', mime: 'image/png', name: 'passwd.png' });
  });

  it('another worker and another union get 404 for the application and its files', async () => {
    const f = await uploadId(member.worker);
    const other = await makeMember(t, grassrootsOrgId, 2004);
    expect((await other.worker.get(`/api/worker/attachments/${f}`)).statusCode).toBe(404);
    const a = (
      await member.worker.post('/api/worker/applications', {
        serviceTypeId: await typeId('hardship_aid'),
        values: { category: '助学救助', amount: '2000', reason: '子女上学' },
        attachments: { proof: [f] },
        idempotencyKey: 'hardship-2001-x',
      })
    ).json();
    expect((await other.worker.get(`/api/worker/applications/${a.id}`)).statusCode).toBe(404);
    const staffUrl = `/api/applications/${a.id}/attachments/${f}`;
    expect((await sheyang.get(`/api/applications/${a.id}`)).statusCode).toBe(404);
    expect((await sheyang.get(staffUrl)).statusCode).toBe(404);
    expect((await grassroots.get(staffUrl)).statusCode).toBe(200);
    // someone else's upload cannot be attached
    const theirs = await uploadId(other.worker);
    const steal = await member.worker.post('/api/worker/applications', {
      serviceTypeId: await typeId('hardship_aid'),
      values: { category: '助学救助', amount: '2000', reason: '子女上学' },
      attachments: { proof: [theirs] },
      idempotencyKey: 'hardship-2001-y',
    });
    expect(steal.statusCode).toBe(400);
    expect(steal.json().error.fields['attachments.proof']).toBe('附件不存在，请重新上传');
  });
});

describe('staff lists, export, figures', () => {
  it('lists in scope with filters; exports masked xlsx; figures link to rows', async () => {
    const all = (await county.get('/api/applications?pageSize=100')).json();
    expect(all.total).toBeGreaterThan(3);
    expect((await sheyang.get('/api/applications')).json().items.every((x: { org: { name: string } }) => !x.org.name.includes('东台'))).toBe(true);
    const byPhone = (await county.get(`/api/applications?q=${member.person.phone}`)).json();
    expect(byPhone.total).toBeGreaterThan(0);
    expect(byPhone.items.every((x: { applicantPhoneMasked: string }) => x.applicantPhoneMasked === '139****2001')).toBe(true);
    const x = await county.get('/api/applications/export?status=approved');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const f = (await county.get(`/api/orgs/${dongtaiId}/application-figures`)).json();
    const approved = f.byServiceAndStatus.find((r: { status: string; serviceName: string }) => r.status === 'approved' && r.serviceName === '困难帮扶');
    expect(approved.count).toBeGreaterThanOrEqual(1);
    const rows = (await county.get(`/api/applications?${approved.query}`)).json();
    expect(rows.total).toBe(approved.count);
    expect(f.handlingTimeByStep.length).toBeGreaterThan(0);
  });
});

// Last before the races: it moves the clock 10 days on (sessions of makeMember's city client expire).
describe('overdue', () => {
  it('overdue steps are flagged and reminded once; the queue puts them first', async () => {
    const a = (
      await member.worker.post('/api/worker/applications', {
        serviceTypeId: await typeId('counselling'),
        values: { preferredDate: '2026-12-02', preferredTime: '上午', mode: '电话' },
        idempotencyKey: 'counsel-od-0001',
      })
    ).json();
    const svc = t.services.features.applications.service;
    const before = await svc.sendReminders();
    expect(before).toBe(0);
    t.clock.advance(10 * 86_400_000); // 2 working days SLA: long past
    await relogin(); // the sessions went idle
    const q = (await county.get('/api/applications/queue')).json();
    expect(q.items[0]).toMatchObject({ id: a.id, overdue: true });
    expect((await county.get('/api/applications?overdue=true')).json().items.map((x: { id: string }) => x.id)).toContain(a.id);
    expect(await svc.sendReminders()).toBeGreaterThanOrEqual(1);
    expect(await svc.sendReminders()).toBe(0);
    const countyAccount = (await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'county_admin').executeTakeFirstOrThrow()).id;
    const reminders = await t.db
      .selectFrom('messages')
      .select('title')
      .where('account_id', '=', countyAccount)
      .where('body', 'like', `%SQ${a.id.padStart(8, '0')}%`)
      .execute();
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.title).toBe('催办：心理咨询申请已超期');
    const figures = (await county.get(`/api/orgs/${dongtaiId}/application-figures`)).json();
    expect(figures.overdue.count).toBeGreaterThanOrEqual(1);
    expect(figures.overdue.query).toBe(`overdue=true&orgId=${dongtaiId}`);
    await actOk(county, a.id, { action: 'approve' });
    // the clock stays 10 days on (still 2026): later tests run in December
  });
});

describe('races (real concurrency on PostgreSQL; serialised on PGlite)', () => {
  it('two reviewers approve one application at the same moment: exactly one transition', async () => {
    const a = (
      await member.worker.post('/api/worker/applications', {
        serviceTypeId: await typeId('rights'),
        values: { issue: '其他', counterparty: '某公司', facts: '并发测试' },
        idempotencyKey: 'rights-race-0001',
      })
    ).json();
    const [r1, r2] = await Promise.all([
      grassroots.post(`/api/applications/${a.id}/actions`, { action: 'approve', version: a.version }),
      county.post(`/api/applications/${a.id}/actions`, { action: 'approve', version: a.version }),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const loser = r1.statusCode === 409 ? r1 : r2;
    expect(loser.json().error.message).toBe('该申请已被他人处理，请刷新后查看');
    const events = await t.db.selectFrom('application_events').select('action').where('application_id', '=', a.id).where('action', '=', 'approve').execute();
    expect(events).toHaveLength(1);
  });

  it('100 concurrent final approvals of 1,000 元 against a 50,000 元 budget: exactly 50 paid, balance 0', async () => {
    const type = await county.post('/api/service-types', {
      code: 'race_subsidy',
      name: '并发补助',
      category: '困难帮扶',
      applicantScope: 'member',
      form: [{ key: 'amount', label: '申请金额', type: 'amount', required: true }],
      attachments: [],
      steps: [{ key: 'only', name: '县级审批', level: 'county', slaDays: 5, actions: ['approve', 'reject'] }],
      aid: { fundCode: 'other', amountField: 'amount', payLevel: 'county', maxAmount: '1000.00' },
    });
    expect(type.statusCode, type.body).toBe(200);
    const budget = await city.post('/api/aid/budgets', { orgId: dongtaiId, year: 2026, fundCode: 'other', amount: '50000.00', reason: '并发测试' });
    expect(budget.statusCode, budget.body).toBe(200);
    const apps: { id: string; version: number }[] = [];
    // 100 submissions through the service (the H5 route is rate-limited to 30 a minute)
    const svc = t.services.features.applications.service;
    const actor = { type: 'worker' as const, workerId: member.workerId, phoneMasked: '139****2001', sessionId: 'race' };
    const meta = { ip: '127.0.0.1', requestId: 'race', userAgent: null };
    for (let i = 0; i < 100; i++) {
      const r = await svc.submit(actor, meta, {
        serviceTypeId: type.json().id,
        values: { amount: '1000' },
        attachments: {},
        idempotencyKey: `race-subsidy-${String(i).padStart(4, '0')}`,
      });
      apps.push({ id: r.id, version: r.version });
    }
    const results = await Promise.all(
      apps.map((a) => county.post(`/api/applications/${a.id}/actions`, { action: 'approve', version: a.version, amount: '1000.00' })),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(50);
    expect(codes.filter((c) => c === 409)).toHaveLength(50);
    const b = (await county.get(`/api/aid/budgets/${budget.json().id}`)).json();
    expect(b.spent).toBe('50000.00');
    expect(b.balance).toBe('0.00');
    const approved = await t.db
      .selectFrom('applications')
      .select('id')
      .where('service_type_id', '=', type.json().id)
      .where('status', '=', 'approved')
      .execute();
    expect(approved).toHaveLength(50);
  }, 120_000);
});
