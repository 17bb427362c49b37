import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson, fakeResidentId } from '../../../../tests/support/people.js';
import { employmentInput, personInput } from '../members/members.schema.js';
import { maskName, maskPlate } from './matching.schema.js';

let t: TestApp;
let county: Client;
let sheyang: Client;
const ids = {} as Record<'dongtai' | 'enterprise' | 'dongtaiFed' | 'sheyang' | 'sheyangEnterprise', string>;
const memberIds: Record<number, string> = {};

async function addMember(n: number, orgId: string, person: Record<string, unknown> = {}) {
  memberIds[n] = await t.db.transaction().execute(async (trx) => {
    const p = await t.services.members.identify(trx, personInput.parse(fakePerson(n, person)));
    const m = await t.services.members.admit(trx, {
      person: p,
      orgId,
      employment: employmentInput.parse({}),
      source: 'staff',
      actor: { type: 'system', id: null, name: '测试' },
    });
    return m.id;
  });
}

const HEADER = ['序号', '姓名', '身份证号', '手机号', '车牌号', '备注'];

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('小型货车车主');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readSheet(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return rows;
}

const upload = (c: Client, orgId: string, name: string, body: Buffer, fileName = 'list.xlsx') =>
  c.request({
    method: 'POST',
    url: `/api/match-lists?orgId=${orgId}&name=${encodeURIComponent(name)}&fileName=${encodeURIComponent(fileName)}`,
    payload: body,
    headers: { 'content-type': 'application/octet-stream' },
  });

// The list: 8 data rows.
//  n=11 member of a 东台 enterprise, n=12 retained member of the 东台 新工联  → members in scope (2)
//  n=13 member of a 射阳 union                                           → member elsewhere (1)
//  n=14, n=15 never joined, n=16 left the union                           → not members (3)
//  bad checksum, missing ID, duplicate of n=14, ID stored as a number      → invalid (4)
const person = (n: number) => fakePerson(n);
const listRows = () => [
  [1, person(11).name, fakeResidentId(11), person(11).phone, '苏J12345'],
  [2, person(12).name, fakeResidentId(12).toLowerCase(), '', '苏JD12345'],
  [3, person(13).name, fakeResidentId(13), person(13).phone, '苏J54321'],
  [4, '阿依古丽·买买提', fakeResidentId(14), person(14).phone, '苏J·A1245'],
  [5, person(15).name, `${fakeResidentId(15)}`, '021-12345678', ''],
  [6, person(16).name, fakeResidentId(16), person(16).phone, '=HYPERLINK("x")'],
  [7, '错号码', `${fakeResidentId(17).slice(0, 17)}${fakeResidentId(17).endsWith('0') ? '1' : '0'}`, '', ''],
  [8, '没号码', '', '13900000000', ''],
  [9, '重复人', fakeResidentId(14), '', ''],
  [10, '数字人', 329901199001010000, '', ''],
];

beforeAll(async () => {
  t = await createTestApp();
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  ids.enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  ids.dongtaiFed = await orgIdByName(t, '东台市新就业形态劳动者行业工会联合会');
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  ids.sheyangEnterprise = (
    await t.db
      .selectFrom('orgs')
      .select('id')
      .where('path', 'like', `/1/${ids.sheyang}/%`)
      .where('type', '=', 'grassroots')
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id;
  await addMember(11, ids.enterprise);
  await addMember(12, ids.dongtaiFed);
  await addMember(13, ids.sheyangEnterprise);
  await addMember(16, ids.enterprise);
  county = await t.login('county_admin');
  sheyang = await t.login('sheyang_admin');
  for (const [n, action] of [
    [12, 'retain'],
    [16, 'leave'],
  ] as const) {
    const m = (await county.get(`/api/members/${memberIds[n]}`)).json();
    const r = await county.post(`/api/members/${m.id}/status`, { action, reason: '测试办理', version: m.version });
    expect(r.statusCode, r.body).toBe(200);
  }
});
afterAll(async () => t?.close());

describe('masking', () => {
  it('keeps the surname and the plate’s region', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('阿依古丽·买买提')).toBe('阿依古丽·*');
    expect(maskPlate('苏JA1245')).toBe('苏J·***45');
    expect(maskPlate('苏J·A1245')).toBe('苏J·***45');
    expect(maskPlate('苏JD12345')).toBe('苏J·****45');
  });
});

describe('list matching', () => {
  let listId: string;

  it('uploads a list: only blind indexes and masked values are kept; invalid rows are counted with the reason', async () => {
    const res = await upload(county, ids.dongtai, '交通局小型货车车主', await xlsx(listRows()), '小型货车车主.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    listId = body.id;
    expect(body).toMatchObject({
      name: '交通局小型货车车主',
      fileName: '小型货车车主.xlsx',
      org: { id: ids.dongtai, name: '东台市总工会' },
      rowCount: 10,
      invalidCount: 4,
    });
    expect(new Date(body.expiresAt).getTime() - new Date(body.createdAt).getTime()).toBe(30 * 86_400_000);
    expect(body.invalidRows.map((r: { row: number; reason: string }) => [r.row, r.reason])).toEqual([
      [8, '身份证号校验位不正确，请核对'],
      [9, '缺少身份证号'],
      [10, '与第 5 行身份证号重复'],
      [11, '身份证号被存成了数字（已丢失末几位），请将该列设为文本后重新导出'],
    ]);
    const stored = await t.db.selectFrom('match_list_rows').selectAll().where('list_id', '=', listId).orderBy('row_no').execute();
    expect(stored).toHaveLength(10);
    const all = JSON.stringify(stored);
    for (const n of [11, 12, 13, 14, 15, 16]) {
      expect(all).not.toContain(fakeResidentId(n));
      expect(all).not.toContain(person(n).phone);
      expect(all).not.toContain(person(n).name);
    }
    expect(stored[3]).toMatchObject({ name_masked: '阿依古丽·*', plate_masked: '苏J·***45', id_masked: `3299**********${fakeResidentId(14).slice(-4)}` });
    expect(stored[1]!.plate_masked).toBe('苏J·****45');
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'match_list.create').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ rows: 10, invalid: 4 });
  });

  it('reports exact counts within the caller’s scope; a member of a union outside it is counted, not named', async () => {
    const res = await county.get(`/api/match-lists/${listId}`);
    expect(res.statusCode, res.body).toBe(200);
    const { summary } = res.json();
    expect(summary).toEqual({
      total: 10,
      members: 2,
      membersElsewhere: 1,
      nonMembers: 3,
      invalid: 4,
      byUnion: expect.arrayContaining([
        { org: { id: ids.enterprise, name: expect.any(String) }, members: 1 },
        { org: { id: ids.dongtaiFed, name: '东台市新就业形态劳动者行业工会联合会' }, members: 1 },
      ]),
    });
    expect(summary.byUnion).toHaveLength(2);
    expect(res.body).not.toContain('射阳');
    // The city's scope includes 射阳: the same list, seen from the city, has three members there.
    const city = await t.login('city_admin');
    const fromCity = (await city.get(`/api/match-lists/${listId}`)).json().summary;
    expect(fromCity).toMatchObject({ members: 3, membersElsewhere: 0, nonMembers: 3 });
  });

  it('a CSV (UTF-8 with BOM) gives the same counts', async () => {
    const csv = '\uFEFF' + [HEADER, ...listRows()].map((r) => r.map((v) => (typeof v === 'number' && v > 1e15 ? '' : String(v))).join(',')).join('\r\n');
    const res = await upload(county, ids.dongtai, 'CSV 名单', Buffer.from(csv, 'utf8'), 'list.csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary).toMatchObject({ total: 10, members: 2, membersElsewhere: 1, nonMembers: 3, invalid: 4 });
    expect(res.json().invalidRows[3].reason).toBe('缺少身份证号');
  });

  it('the not-yet export holds exactly the non-members, masked and formula-escaped', async () => {
    const res = await county.get(`/api/match-lists/${listId}/not-yet.xlsx`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('交通局小型货车车主-未入会-20261121.xlsx'));
    const rows = await readSheet(res.rawPayload);
    expect(rows[0]).toEqual(['原表行号', '姓名', '身份证号', '手机号', '车牌号']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['5', '6', '7']);
    expect(rows[1]).toEqual(['5', '阿依古丽·*', `3299**********${fakeResidentId(14).slice(-4)}`, `139****${person(14).phone.slice(-4)}`, '苏J·***45']);
    expect(rows[2]![3]).toBe('*'.repeat(11)); // a landline: not kept, shown as stars
    expect(rows[3]![1]).toBe(`${person(16).name[0]}**`);
    expect(rows[3]![4]).toBe(`'=H·${'*'.repeat(11)}")`); // a formula-looking plate, escaped
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'match_list.export_not_yet').execute();
    expect(audit).toHaveLength(1);
  });

  it('lists the scope’s lists; another county sees nothing and gets 404 for the list, its report, its export and its deletion', async () => {
    const mine = (await county.get('/api/match-lists')).json();
    expect(mine.total).toBe(2);
    expect(mine.items[1]).toMatchObject({
      id: listId,
      name: '交通局小型货车车主',
      org: { id: ids.dongtai, name: '东台市总工会' },
      rowCount: 10,
      invalidCount: 4,
    });
    expect(Object.keys(mine.items[0]).sort()).toEqual(['createdAt', 'expiresAt', 'fileName', 'id', 'invalidCount', 'name', 'org', 'rowCount']);
    expect((await sheyang.get('/api/match-lists')).json()).toEqual({ items: [], total: 0 });
    for (const url of [`/api/match-lists/${listId}`, `/api/match-lists/${listId}/not-yet.xlsx`]) {
      const r = await sheyang.get(url);
      expect(r.statusCode, url).toBe(404);
    }
    expect((await sheyang.delete(`/api/match-lists/${listId}`)).statusCode).toBe(404);
    const intoSheyang = await upload(county, ids.sheyang, '越权名单', await xlsx(listRows()));
    expect(intoSheyang.statusCode).toBe(404);
  });

  it('rejects a file without an ID column, an empty body, a missing name, and a leader without member:match', async () => {
    const noId = new ExcelJS.Workbook();
    noId.addWorksheet('x').addRow(['姓名', '电话']);
    noId.worksheets[0]!.addRow(['张三', '13900000001']);
    const r1 = await upload(county, ids.dongtai, '无身份证', Buffer.from(await noId.xlsx.writeBuffer()));
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.fields.file).toContain('身份证号');
    const r2 = await county.request({
      method: 'POST',
      url: `/api/match-lists?orgId=${ids.dongtai}&name=x`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(0),
    });
    expect(r2.statusCode).toBe(400);
    const r3 = await county.request({
      method: 'POST',
      url: `/api/match-lists?orgId=${ids.dongtai}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('a'),
    });
    expect(r3.statusCode).toBe(400);
    expect(r3.json().error.fields.name).toBe('请填写名单名称');
    const leader = await t.login('leader');
    expect((await leader.get('/api/match-lists')).statusCode).toBe(403);
  });

  it('matches a list longer than one page (2,000 rows) completely; Chinese text survives the streaming reader', async () => {
    const rows: unknown[][] = [];
    const g = '建国秀英志强海燕红梅国华丽娟明伟芳军';
    for (let n = 40_000; n < 42_500; n++) {
      const name = `${g[n % 18]}${g[Math.floor(n / 18) % 18]}${g[Math.floor(n / 324) % 18]}古丽·买买提`;
      rows.push([n, name, fakeResidentId(n), '', '苏J12345']);
    }
    rows.push([1, person(11).name, fakeResidentId(11)], [2, person(13).name, fakeResidentId(13)]);
    const res = await upload(county, ids.dongtai, '长名单', await xlsx(rows), 'long.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary).toMatchObject({ total: 2502, members: 1, membersElsewhere: 1, nonMembers: 2500, invalid: 0 });
    const names = await t.db.selectFrom('match_list_rows').select('name_masked').where('list_id', '=', res.json().id).execute();
    // exceljs's streaming reader alone would cut a few characters in half at its chunk boundaries (U+FFFD).
    expect(names.filter((r) => !/^[建国秀英志强海燕红梅华丽娟明伟芳军]{3}古丽·\*$/.test(r.name_masked ?? '')).length).toBe(2);
    const sheet = await readSheet((await county.get(`/api/match-lists/${res.json().id}/not-yet.xlsx`)).rawPayload);
    expect(sheet).toHaveLength(2501);
    expect((await county.delete(`/api/match-lists/${res.json().id}`)).statusCode).toBe(200);
  });

  it('a CSV read a row at a time: a fault after 1,500 good rows (written in batches) leaves no list and no row behind', async () => {
    const before = await t.db.selectFrom('match_list_rows').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const good = Array.from({ length: 1500 }, (_, i) => `${i + 1},职工${i},${fakeResidentId(50_000 + i)},,苏J12345 小型货车车主名单备注`);
    // Past the good rows (and past csv-parse's first pieces of 64 KB): a quote never closed.
    const csv = [HEADER.join(','), ...good, ...good.map((l) => l.replace(/^\d+/, (n) => String(Number(n) + 1500))), '9999,"未闭合,1,,'].join('\n');
    expect(csv.length).toBeGreaterThan(128 * 1024);
    const res = await upload(county, ids.dongtai, '坏名单', Buffer.from(csv, 'utf8'), 'bad.csv');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields.file).toContain('文件无法读取');
    expect((await t.db.selectFrom('match_lists').select('id').where('name', '=', '坏名单').execute()).length).toBe(0);
    const after = await t.db.selectFrom('match_list_rows').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses a body over 20 MB', async () => {
    const r = await upload(county, ids.dongtai, '太大', Buffer.alloc(20 * 1024 * 1024 + 1, 0x41));
    expect(r.statusCode).toBe(413);
  });

  it('deleting a list removes it and its rows, audited', async () => {
    const csv = await upload(county, ids.dongtai, '待删除', Buffer.from(`姓名,身份证号\n张三,${fakeResidentId(30)}\n`, 'utf8'), 'x.csv');
    const id = csv.json().id;
    const del = await county.delete(`/api/match-lists/${id}`);
    expect(del.statusCode, del.body).toBe(200);
    expect((await county.get(`/api/match-lists/${id}`)).statusCode).toBe(404);
    expect(await t.db.selectFrom('match_list_rows').select('row_no').where('list_id', '=', id).execute()).toEqual([]);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'match_list.delete').executeTakeFirstOrThrow();
    expect(audit.target_id).toBe(id);
  });

  it('after 30 days the cleanup deletes the lists and their rows', async () => {
    expect(await t.services.features.matching.service.cleanupExpired()).toBe(0);
    t.clock.advance(31 * 86_400_000);
    const removed = await t.services.features.matching.service.cleanupExpired();
    expect(removed).toBe(2);
    expect(await t.db.selectFrom('match_lists').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('match_list_rows').select('row_no').execute()).toEqual([]);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'match_list.expire').execute();
    expect(audit.map((a) => a.actor_type)).toEqual(['system', 'system']);
  });
});
