// 劳模工匠 register: create with honours (the roll's 劳模 flag follows), entitlements from the rules and
// a grant once per year, the city-only rules, import with an error report (same file twice adds nothing).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember, type TestMember } from '../../../../tests/support/members.js';
import { fakeResidentId } from '../../../../tests/support/people.js';

let t: TestApp;
let county: Client;
let city: Client;
let dongtai: string;
let member: TestMember;

beforeAll(async () => {
  t = await createTestApp();
  dongtai = await orgIdByName(t, '东台市总工会');
  county = await t.login('county_admin');
  city = await t.login('city_admin');
  member = await makeMember(t, dongtai, 16001);
});
afterAll(async () => t?.close());

const flag = async (membershipId: string) =>
  (await t.db.selectFrom('memberships').select('is_model_worker').where('id', '=', membershipId).executeTakeFirstOrThrow()).is_model_worker;

describe('models register', () => {
  it('another county registering a 东台 member’s ID number reaches neither the member nor the roll: not linked, the flag untouched', async () => {
    const other = await makeMember(t, dongtai, 16002);
    const sheyang = await t.login('sheyang_admin');
    const made = await sheyang.post('/api/models/people', {
      orgId: await orgIdByName(t, '射阳县总工会'),
      name: other.person.name,
      idNumber: other.person.idNumber,
      honours: [{ kind: 'city_model', year: 2022, awardingBody: '盐城市人民政府' }],
    });
    expect(made.statusCode, made.body).toBe(200);
    expect(made.json().onRoll).toBe(false); // no word on whether the number is a member elsewhere
    expect(await flag(other.membershipId)).toBe(false);
    const row = await t.db.selectFrom('model_people').select('person_id').where('id', '=', made.json().id).executeTakeFirstOrThrow();
    expect(row.person_id).toBeNull();
  });

  it('registers a roll member as 市劳模: linked to the roll, the 劳模 flag follows; bad input named in Chinese', async () => {
    const bad = await county.post('/api/models/people', { orgId: dongtai, name: '', idNumber: '123', honours: [] });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(expect.arrayContaining(['name', 'honours']));
    const badId = await county.post('/api/models/people', { orgId: dongtai, name: '错号', idNumber: '320981199001010012', honours: [{ kind: 'city_model', year: 2020, awardingBody: '盐城市人民政府' }] });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.fields.idNumber).toMatch(/身份证号/);

    expect(await flag(member.membershipId)).toBe(false);
    const made = await county.post('/api/models/people', {
      orgId: dongtai,
      name: member.person.name,
      idNumber: member.person.idNumber,
      phone: '13800001111',
      employer: '东台某机械厂',
      honours: [{ kind: 'city_model', year: 2021, awardingBody: '盐城市人民政府', certificateNo: 'YC-2021-9' }],
    });
    expect(made.statusCode, made.body).toBe(200);
    const p = made.json();
    expect(p).toMatchObject({ onRoll: true, status: 'active', phoneMasked: '138****1111' });
    expect(p.idMasked).toMatch(/^\d{4}\*+\w{4}$/);
    expect(JSON.stringify(p)).not.toContain(member.person.idNumber);
    expect(await flag(member.membershipId)).toBe(true);

    const again = await county.post('/api/models/people', { orgId: dongtai, name: '重复', idNumber: member.person.idNumber, honours: [{ kind: 'skill_expert', year: 2022, awardingBody: '人社局' }] });
    expect(again.statusCode).toBe(409); // 已登记 — inside the caller's subtree only (decision 033)

    // a second honour, then removing the 劳模 one: the flag goes off (a 技术能手 is no 劳模)
    const added = await county.post(`/api/models/people/${p.id}/honours`, { kind: 'skill_expert', year: 2019, awardingBody: '东台市人社局' });
    expect(added.statusCode, added.body).toBe(200);
    const dup = await county.post(`/api/models/people/${p.id}/honours`, { kind: 'skill_expert', year: 2019, awardingBody: '东台市人社局' });
    expect(dup.statusCode).toBe(400);
    const cm = added.json().honours.find((h: { kind: string }) => h.kind === 'city_model');
    const removed = await county.request({ method: 'DELETE', url: `/api/models/people/${p.id}/honours/${cm.id}` });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(await flag(member.membershipId)).toBe(false);
    await county.post(`/api/models/people/${p.id}/honours`, { kind: 'city_model', year: 2021, awardingBody: '盐城市人民政府' });
    expect(await flag(member.membershipId)).toBe(true);

    const list = (await county.get('/api/models/people?kind=city_model&onRoll=yes')).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(p.id);
    expect(list.items.find((x: { id: string }) => x.id === p.id).honours.map((h: { label: string }) => h.label)).toContain('2021 年市劳模');
  });

  it('a 市劳模 has the yearly entitlements; a grant is recorded once a year; one the honours do not give is refused', async () => {
    const made = (
      await county.post('/api/models/people', { orgId: dongtai, name: '陈待遇', honours: [{ kind: 'city_model', year: 2018, awardingBody: '盐城市人民政府' }] })
    ).json();
    const year = Number(t.clock.now().toISOString().slice(0, 4));
    const d = (await county.get(`/api/models/people/${made.id}?year=${year}`)).json();
    expect(d.entitlements.map((e: { benefit: string }) => e.benefit).sort()).toEqual(['checkup', 'hardship_subsidy', 'recuperation', 'spring_visit']);
    expect(d.entitlements.find((e: { benefit: string }) => e.benefit === 'spring_visit')).toMatchObject({ standard: '1000.00', granted: null, eligible: true });
    const today = t.clock.now().toISOString().slice(0, 10);
    const g = await county.post(`/api/models/people/${made.id}/grants`, { benefit: 'spring_visit', year, grantedOn: today });
    expect(g.statusCode, g.body).toBe(200);
    expect(g.json().entitlements.find((e: { benefit: string }) => e.benefit === 'spring_visit').granted).toMatchObject({ amount: '1000.00', grantedOn: today });
    expect(g.json().grants[0]).toMatchObject({ benefit: 'spring_visit', amount: '1000.00' });
    const twice = await county.post(`/api/models/people/${made.id}/grants`, { benefit: 'spring_visit', year, grantedOn: today });
    expect(twice.statusCode).toBe(409);
    const craftsman = (
      await county.post('/api/models/people', { orgId: dongtai, name: '周工匠', honours: [{ kind: 'craftsman_city', year: 2022, awardingBody: '盐城市总工会' }] })
    ).json();
    const notHis = await county.post(`/api/models/people/${craftsman.id}/grants`, { benefit: 'hardship_subsidy', year, grantedOn: today });
    expect(notHis.statusCode).toBe(400);
    expect(notHis.json().error.fields.benefit).toMatch(/不享受/);
    // a deceased person receives nothing more
    const dead = await county.patch(`/api/models/people/${made.id}`, { status: 'deceased', version: g.json().version });
    expect(dead.statusCode, dead.body).toBe(200);
    const refused = await county.post(`/api/models/people/${made.id}/grants`, { benefit: 'checkup', year, grantedOn: today });
    expect(refused.statusCode).toBe(400);
    const stale = await county.patch(`/api/models/people/${made.id}`, { status: 'retired', version: g.json().version });
    expect(stale.statusCode).toBe(409);
  });

  it('a grant’s amount is positive and at most the city’s standard; a benefit in kind takes none', async () => {
    const made = (
      await county.post('/api/models/people', { orgId: dongtai, name: '吴限额', honours: [{ kind: 'city_model', year: 2019, awardingBody: '盐城市人民政府' }] })
    ).json();
    const year = Number(t.clock.now().toISOString().slice(0, 4));
    const today = t.clock.now().toISOString().slice(0, 10);
    const grant = (benefit: string, amount: string) => county.post(`/api/models/people/${made.id}/grants`, { benefit, year, grantedOn: today, amount });
    const over = await grant('spring_visit', '1000.01');
    expect(over.statusCode, over.body).toBe(400);
    expect(over.json().error.fields.amount).toBe('金额不能超过市总工会规定的标准 1000.00 元');
    const huge = await grant('hardship_subsidy', '999999999999');
    expect(huge.json().error.fields.amount).toBe('金额不能超过市总工会规定的标准 3000.00 元');
    const zero = await grant('spring_visit', '0');
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error.fields.amount).toBe('金额必须大于 0');
    const inKind = await grant('checkup', '300');
    expect(inKind.statusCode).toBe(400);
    expect(inKind.json().error.fields.amount).toBe('「健康体检」没有金额标准，不登记金额');
    const part = await grant('spring_visit', '800');
    expect(part.statusCode, part.body).toBe(200);
    expect(part.json().entitlements.find((e: { benefit: string }) => e.benefit === 'spring_visit').granted).toMatchObject({ amount: '800.00' });
    const rows = await t.db.selectFrom('model_grants').select(['benefit', 'amount_fen']).where('model_person_id', '=', made.id).execute();
    expect(rows).toEqual([{ benefit: 'spring_visit', amount_fen: '80000' }]);
  });

  it('rules are the city union’s: a county reads, only the city edits', async () => {
    const rules = (await county.get('/api/models/rules')).json();
    expect(rules.editable).toBe(false);
    const r = rules.items.find((x: { honourKind: string; benefit: string }) => x.honourKind === 'city_model' && x.benefit === 'spring_visit');
    expect(r.amount).toBe('1000.00');
    const denied = await county.patch(`/api/models/rules/${r.id}`, { amount: '1200.00', version: r.version });
    expect(denied.statusCode).toBe(403);
    const ok = await city.patch(`/api/models/rules/${r.id}`, { amount: '1200.00', version: r.version });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().items.find((x: { id: string }) => x.id === r.id).amount).toBe('1200.00');
    const added = await city.post('/api/models/rules', { honourKind: 'skill_expert', benefit: 'checkup', note: '每年体检' });
    expect(added.statusCode, added.body).toBe(200);
    const dup = await city.post('/api/models/rules', { honourKind: 'skill_expert', benefit: 'checkup' });
    expect(dup.statusCode).toBe(400);
  });

  it('imports .xlsx: good rows in (one person, two honours), bad rows listed, the same file again adds nothing', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('劳模工匠');
    ws.addRow(['联系工会', '姓名', '身份证号', '手机号', '工作单位', '荣誉类别', '授予年份', '授予单位', '证书编号', '状态']);
    const id = fakeResidentId(16010, '19750303');
    ws.addRow(['东台市总工会', '吴导入', id, '13900009999', '东台某厂', '市劳模', '2015', '', 'YC15', '退休']);
    ws.addRow(['东台市总工会', '吴导入', id, '', '东台某厂', '江苏工匠', '2019', '江苏省总工会', '', '']);
    ws.addRow(['射阳县总工会', '越权', fakeResidentId(16011), '', '', '市劳模', '2015', '', '', '']);
    ws.addRow(['东台市总工会', '坏行', '123', 'abc', '', '金牌员工', '3000', '', '', '失踪']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const send = () => county.request({ method: 'POST', url: '/api/models/import', payload: file, headers: { 'content-type': 'application/octet-stream' } });
    const first = await send();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ rows: 4, people: 1, honours: 2 });
    expect(first.json().errors.map((e: { row: number }) => e.row)).toEqual([4, 5]);
    expect(first.json().errors[1].message).toMatch(/身份证号.*手机号.*荣誉类别.*授予年份.*状态/);
    const second = (await send()).json();
    expect(second).toMatchObject({ people: 0, honours: 0 });
    const found = (await county.get('/api/models/people?q=吴导入')).json();
    expect(found.items).toHaveLength(1);
    expect(found.items[0]).toMatchObject({ status: 'retired', onRoll: false });
    expect(found.items[0].honours).toHaveLength(2);
    const template = await county.get('/api/models/template.xlsx');
    expect(template.statusCode).toBe(200);
  });

  it('anonymous → 401', async () => {
    const anon = await t.anonymous.get('/api/models/people');
    expect(anon.statusCode).toBe(401);
  });
});
