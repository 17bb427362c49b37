// The statistics return and the annual report against the records: the xlsx read back with exceljs
// (the paper form's merged header, a figure equal to a direct count), the .docx unzipped and read,
// the highlights version-checked and audited, downloads audited, another county's union 404.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { docxText } from '../../../../tests/support/docx-text.js';
import { makeMember } from '../../../../tests/support/members.js';
import { fakeResidentId } from '../../../../tests/support/people.js';

let t: TestApp;
let county: Client;
let leader: Client;
let dongtai: { id: string; path: string; name: string };
let sheyang: string;
const YEAR = 2026; // the test clock's year

const count = async (q: Promise<{ n: string }>) => Number((await q).n);
const liveMembersUnder = (path: string) =>
  count(
    t.db
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('org_path', 'like', `${path}%`)
      .where('status', 'in', ['active', 'retained'])
      .executeTakeFirstOrThrow(),
  );

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('county_admin');
  leader = await t.login('leader');
  dongtai = await t.db.selectFrom('orgs').select(['id', 'path', 'name']).where('name', '=', '东台市总工会').executeTakeFirstOrThrow();
  sheyang = (await t.db.selectFrom('orgs').select('id').where('name', '=', '射阳县总工会').executeTakeFirstOrThrow()).id;
  const union = await t.db.selectFrom('orgs').select('id').where('path', 'like', `${dongtai.path}%`).where('type', '=', 'grassroots').orderBy('id').limit(1).executeTakeFirstOrThrow();
  await makeMember(t, union.id, 9601, { idNumber: fakeResidentId(9601, '19900101', 2) }); // a woman (even 17th digit)
});
afterAll(async () => t?.close());

type Preview = {
  org: { id: string; name: string };
  summary: string[];
  sheets: { key: string; name: string; columns: { key: string }[]; rows: { label: string; kind: string; values: Record<string, number | null> }[] }[];
};

describe('工会统计年报', () => {
  it('the preview: members on the roll at year end equal the rows; the children and 本级 add up to 合计', async () => {
    const r = await county.get(`/api/reports/yearly?year=${YEAR}`);
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json() as Preview;
    expect(p.org.id).toBe(dongtai.id);
    expect(p.sheets.map((s) => s.name)).toEqual(['基层工会组织情况', '会员情况', '职工之家与服务阵地', '帮扶', '维权服务']);
    const members = p.sheets.find((s) => s.key === 'members')!;
    const total = members.rows[0]!;
    expect(total.kind).toBe('total');
    expect(total.values.members).toBe(await liveMembersUnder(dongtai.path));
    expect(total.values.members).toBeGreaterThan(0);
    const parts = members.rows.slice(1).reduce((n, row) => n + (row.values.members ?? 0), 0);
    expect(parts).toBe(total.values.members);
    const grassroots = await count(
      t.db
        .selectFrom('orgs')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('path', 'like', `${dongtai.path}%`)
        .where('type', 'in', ['grassroots', 'joint_grassroots'])
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow(),
    );
    expect(p.sheets[0]!.rows[0]!.values.grassroots).toBe(grassroots);
    expect(p.summary[1]).toContain(`年末在册会员${total.values.members!.toLocaleString('zh-CN')}人`);
  });

  it('the xlsx in the paper layout: merged headers, 栏次, 合计 equal to a direct count', async () => {
    const res = await county.get(`/api/reports/yearly.xlsx?year=${YEAR}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('东台市总工会2026年工会统计年报.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['基层工会组织情况', '会员情况', '职工之家与服务阵地', '帮扶', '维权服务']);
    const ws = wb.getWorksheet('会员情况')!;
    expect(ws.getCell('A2').value).toBe('2026年工会会员情况（含新就业形态劳动者）');
    expect(ws.getCell('A3').value).toBe('填报单位：东台市总工会');
    const merges = (ws.model as unknown as { merges: string[] }).merges;
    expect(merges).toEqual(expect.arrayContaining(['A4:A5', 'B4:B5', 'C4:E4', 'F4:K4', 'L4:M4']));
    expect(ws.getCell('F4').value).toBe('新就业形态劳动者会员（人）');
    expect(ws.getCell('G5').value).toBe('货车司机');
    expect(ws.getCell('A6').value).toBe('甲');
    expect(ws.getCell('B6').value).toBe('1');
    expect(ws.getCell('A7').value).toBe('合计');
    expect(ws.getCell('B7').value).toBe(await liveMembersUnder(dongtai.path));
    const women = await count(
      t.db
        .selectFrom('memberships as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('m.org_path', 'like', `${dongtai.path}%`)
        .where('m.status', 'in', ['active', 'retained'])
        .where('p.sex', '=', 'F')
        .executeTakeFirstOrThrow(),
    );
    expect(ws.getCell('C7').value).toBe(women);
    expect(women).toBeGreaterThan(0);
    // one row per direct child after 合计 (and 本级 when it has members)
    const towns = await t.db.selectFrom('orgs').select('name').where('parent_id', '=', dongtai.id).where('status', '=', 'active').execute();
    const labels = new Set<string>();
    ws.eachRow((row, n) => n > 7 && labels.add(String(row.getCell(1).value)));
    for (const town of towns) expect(labels.has(town.name)).toBe(true);
    // downloads are audited
    const audited = await t.db.selectFrom('audit_log').select(['org_id', 'detail']).where('action', '=', 'report.yearly_return_export').executeTakeFirstOrThrow();
    expect(audited.org_id).toBe(dongtai.id);
    expect(JSON.parse(audited.detail!)).toMatchObject({ year: YEAR });
  });

  it('highlights: the first save with version 0, a stale version → 409, the leader may not write, another county’s union 404', async () => {
    const body = { orgId: dongtai.id, year: YEAR, body: '开展“入会攻坚”行动，新就业形态劳动者入会取得突破。\n建成户外劳动者服务站，打造“15分钟服务圈”。', version: 0 };
    const first = await county.request({ method: 'PUT', url: '/api/reports/highlights', payload: body });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().version).toBe(1);
    expect((await county.request({ method: 'PUT', url: '/api/reports/highlights', payload: body })).statusCode).toBe(409);
    expect((await leader.request({ method: 'PUT', url: '/api/reports/highlights', payload: { ...body, version: 1 } })).statusCode).toBe(403);
    const other = await county.request({ method: 'PUT', url: '/api/reports/highlights', payload: { ...body, orgId: sheyang } });
    expect(other.statusCode).toBe(404);
    expect((await county.get(`/api/reports/highlights?year=${YEAR}`)).json()).toMatchObject({ version: 1, body: body.body });
    const empty = await county.request({ method: 'PUT', url: '/api/reports/highlights', payload: { ...body, body: '  ', version: 1 } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields.body).toBe('请填写年度工作亮点');
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'report.highlights_save').execute()).toHaveLength(1);
  });

  it('the annual report .docx: 公文 layout text with the figures, the highlights and the charts as images', async () => {
    const res = await county.get(`/api/reports/annual.docx?year=${YEAR}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const text = docxText(res.rawPayload);
    expect(text).toContain('东台市总工会2026年度工作报告');
    expect(text).toContain('盐城市总工会：');
    expect(text).toContain('一、基本情况');
    expect(text).toContain(`年末在册会员${(await liveMembersUnder(dongtai.path)).toLocaleString('zh-CN')}人`);
    expect(text).toContain('二、主要工作与亮点');
    expect(text).toContain('建成户外劳动者服务站，打造“15分钟服务圈”。');
    expect(text).toContain('三、下级工会主要数据');
    expect(text).toContain('图1  2026年各月新发展会员（人）');
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    try {
      writeFileSync(join(dir, 'r.docx'), res.rawPayload);
      const list = execFileSync('unzip', ['-l', join(dir, 'r.docx')], { encoding: 'utf8' });
      expect(list.match(/word\/media\/[^\s]+\.png/g)?.length).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const audited = await t.db.selectFrom('audit_log').select('detail').where('action', '=', 'report.annual_report_export').executeTakeFirstOrThrow();
    expect(JSON.parse(audited.detail!)).toMatchObject({ year: YEAR, highlights: true });
  });

  it('another county’s union → 404, a future year → 400, anonymous → 401', async () => {
    for (const url of [`/api/reports/yearly?year=${YEAR}&orgId=${sheyang}`, `/api/reports/yearly.xlsx?year=${YEAR}&orgId=${sheyang}`, `/api/reports/annual.docx?year=${YEAR}&orgId=${sheyang}`]) {
      const r = await county.get(url);
      expect(r.statusCode, url).toBe(404);
    }
    const future = await county.get(`/api/reports/yearly?year=${YEAR + 1}`);
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields.year).toBe('不能统计未来的年度');
    expect((await t.anonymous.get(`/api/reports/yearly?year=${YEAR}`)).statusCode).toBe(401);
    // the leader reads the city's return
    const city = await leader.get(`/api/reports/yearly?year=${YEAR}`);
    expect(city.statusCode).toBe(200);
    expect((city.json() as Preview).sheets[1]!.rows[0]!.values.members).toBe(await liveMembersUnder('/1/'));
  });
});
