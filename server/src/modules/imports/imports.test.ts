import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffActor } from '../../platform/context.js';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson, fakeResidentId } from '../../../../tests/support/people.js';
import { createImportsService, CRASH_MESSAGE, decodeCsv, xlsxRows } from './imports.service.js';
import { wholeUtf8Length } from '../../platform/spreadsheet.js';
import { IMPORT_HEADERS } from './imports.schema.js';

let t: TestApp;
let county: Client;
let target: string; // the 东台 enterprise union the roll is imported into
let otherUnion: string; // another 东台 union, for 一人一会

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('county_admin');
  target = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  const dongtai = await orgIdByName(t, '东台市总工会');
  otherUnion = (
    await t.db
      .selectFrom('orgs')
      .select('id')
      .where('path', 'like', `/1/${dongtai}/%`)
      .where('type', '=', 'grassroots')
      .where('id', '<>', target)
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => t?.close());

type Row = Partial<Record<(typeof IMPORT_HEADERS)[number], string>>;

async function xlsx(rows: Row[], headers: readonly string[] = IMPORT_HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('会员名单');
  ws.addRow([...headers]);
  for (const r of rows) ws.addRow(headers.map((h) => r[h as keyof Row] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function csv(rows: Row[]): Buffer {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [IMPORT_HEADERS.join(','), ...rows.map((r) => IMPORT_HEADERS.map((h) => q(r[h] ?? '')).join(','))];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

const row = (n: number, extra: Row = {}): Row => {
  const p = fakePerson(n);
  return { 姓名: p.name, 证件号码: p.idNumber, 手机号: p.phone, ...extra };
};

async function upload(c: Client, file: Buffer, fileName: string, orgId = target) {
  return c.request({
    method: 'POST',
    url: `/api/members/import?orgId=${orgId}&fileName=${encodeURIComponent(fileName)}`,
    headers: { 'content-type': 'application/octet-stream' },
    payload: file,
  });
}

async function runJob(c: Client, file: Buffer, fileName: string, orgId = target) {
  const r = await upload(c, file, fileName, orgId);
  expect(r.statusCode, r.body).toBe(200);
  const { jobId } = r.json() as { jobId: string };
  await t.services.features.imports.service.idle();
  const job = await c.get(`/api/import-jobs/${jobId}`);
  expect(job.statusCode, job.body).toBe(200);
  return job.json();
}

async function errorRows(c: Client, jobId: string) {
  const r = await c.get(`/api/import-jobs/${jobId}/errors.xlsx`);
  expect(r.statusCode, r.body).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  const width = ws.getRow(1).cellCount;
  ws.eachRow((rr) =>
    rows.push(
      Array.from({ length: width }, (_, i) => {
        const v = rr.getCell(i + 1).value;
        return v === null || v === undefined ? '' : String(v as string);
      }),
    ),
  );
  return rows;
}

// Good rows, and one row for each kind of mistake; the expected reason fragment beside it.
const GOOD: Row[] = [
  row(1, { 性别: '男', 出生日期: '1990-01-01', 就业形态: '外卖配送员', 是否农民工: '是', 入会日期: '2020-05-01', 学历: '大专', 户籍类型: '农村' }),
  row(2, { 工作单位: '东台某物流公司', 就业形态: '货车司机', 紧急联系人: '李四', 紧急联系人电话: '13800001111' }),
  row(3, { 证件类型: '居民身份证', 是否劳模: '是', 是否一线职工: '是', 入会日期: '2021/3/8' }),
  row(4, { 政治面貌: '中共党员', 民族: '汉族' }),
  row(5),
];
const wrongCheck = (() => {
  const id = fakeResidentId(20);
  return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
})();
const BAD: [Row, string][] = [
  [row(20, { 证件号码: wrongCheck }), '证件号码：身份证号校验位不正确'],
  [row(21, { 出生日期: '1991-01-01' }), '出生日期与身份证号不一致'],
  [row(22, { 性别: '男' }), '性别与身份证号不一致'],
  [row(1, { 手机号: '13900000999' }), '与第 2 行重复'],
  [row(900), '一人只能加入一个工会'],
  [row(24, { 手机号: '1234567' }), '手机号应为 11 位大陆手机号'],
  [row(25, { 姓名: '' }), '姓名：必填'],
  [row(26, { 证件号码: '' }), '证件号码：必填'],
  [row(27, { 手机号: '', 工作单位: '=HYPERLINK("http://x","y")' }), '手机号：必填'],
  [row(28, { 就业形态: '飞行员' }), '就业形态：“飞行员”无效'],
  [row(29, { 学历: '幼儿园' }), '学历：“幼儿园”无效'],
  [row(30, { 入会日期: '2024-13-40' }), '入会日期：“2024-13-40”不是有效日期'],
  [row(31, { 入会日期: '2027-01-01' }), '入会日期不能是将来的日期'],
  [row(32, { 姓名: '张三3' }), '姓名应为 2-30 个汉字'],
];
// Interleaved so bad rows sit between good ones; fakePerson(22)'s ID has an even sex digit (female).
const FILE_ROWS: Row[] = [GOOD[0]!, ...BAD.slice(0, 5).map((b) => b[0]), GOOD[1]!, GOOD[2]!, ...BAD.slice(5).map((b) => b[0]), GOOD[3]!, GOOD[4]!];
const expectedReasons = BAD.map((b) => b[1]);

describe('template', () => {
  it('xlsx: the columns in order, and a 填写说明 sheet', async () => {
    const r = await county.get('/api/members/import/template?format=xlsx');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['会员名单', '填写说明']);
    expect((wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual(IMPORT_HEADERS);
    const help = wb.getWorksheet('填写说明')!;
    const helpText = JSON.stringify(help.getSheetValues());
    for (const h of ['证件类型', '就业形态', '居民身份证', '其他新就业形态', '城镇']) expect(helpText).toContain(h);
  });

  it('csv: UTF-8 with BOM, the header line', async () => {
    const r = await county.get('/api/members/import/template?format=csv');
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(r.rawPayload.toString('utf8').slice(1).trim()).toBe(IMPORT_HEADERS.join(','));
  });
});

describe('import an xlsx roll', () => {
  let firstJob: { id: string };

  it('a person already in another union (imported there first)', async () => {
    const job = await runJob(county, await xlsx([row(900)]), '其他工会名单.xlsx', otherUnion);
    expect(job).toMatchObject({ status: 'done', total: 1, processed: 1, added: 1, skipped: 0, failed: 0, errorReportAvailable: false });
  });

  it('the job finishes with exact counts; good rows are on the roll', async () => {
    const job = await runJob(county, await xlsx(FILE_ROWS), '会员名单.xlsx');
    firstJob = job;
    expect(job).toMatchObject({
      status: 'done',
      fileName: '会员名单.xlsx',
      org: { id: target },
      total: FILE_ROWS.length,
      processed: FILE_ROWS.length,
      added: GOOD.length,
      skipped: 0,
      failed: BAD.length,
      errorReportAvailable: true,
      message: null,
    });
    expect(job.startedAt).toBeTruthy();
    expect(job.finishedAt).toBeTruthy();
    for (const g of GOOD) {
      const r = (await county.get(`/api/members?q=${g.手机号}`)).json();
      expect(r.total, g.姓名).toBe(1);
      expect(r.items[0]).toMatchObject({ name: g.姓名, org: { id: target }, status: 'active' });
    }
    const first = (await county.get(`/api/members?q=${GOOD[0]!.手机号}`)).json().items[0];
    expect(first).toMatchObject({ employmentForm: 'food_delivery', isMigrantWorker: true, joinedOn: '2020-05-01' });
    const third = (await county.get(`/api/members?q=${GOOD[2]!.手机号}`)).json().items[0];
    // 是否劳模 = 是 in the file is not taken: 劳模 comes from the register (decision 033)
    expect(third).toMatchObject({ isModelWorker: false, joinedOn: '2021-03-08' });
    const detail = (await county.get(`/api/members/${first.id}`)).json();
    expect(detail).toMatchObject({ source: 'import', education: '大专', hukouType: 'rural', isFrontline: false });
    expect((await county.get(`/api/members/${third.id}`)).json()).toMatchObject({ isModelWorker: false, isFrontline: true });
    expect(detail.history[0]).toMatchObject({ type: 'join', actorName: '会员名单.xlsx' });
    // Nothing from the bad rows reached the roll.
    expect((await county.get(`/api/members?q=${fakePerson(24).name}`)).json().items.every((m: { org: { id: string } }) => m.org.id !== target)).toBe(true);
    const people = await t.db.selectFrom('memberships').select('id').where('org_id', '=', target).where('source', '=', 'import').execute();
    expect(people).toHaveLength(GOOD.length);
  });

  it('the error report lists exactly the bad rows, original columns + 错误原因, formulas escaped', async () => {
    const rows = await errorRows(county, firstJob.id);
    expect(rows[0]).toEqual([...IMPORT_HEADERS, '错误原因']);
    const body = rows.slice(1);
    expect(body).toHaveLength(BAD.length);
    body.forEach((r, i) => {
      const [input, reason] = BAD[i]!;
      expect(r[IMPORT_HEADERS.length], `row ${i}: ${r.join('|')}`).toContain(reason);
      expect(r[0]).toBe(input.姓名 ?? '');
      expect(r[2]).toBe(input.证件号码 ?? '');
    });
    const formulaRow = body.find((r) => r[11]?.includes('HYPERLINK'))!;
    expect(formulaRow[11]).toBe(`'=HYPERLINK("http://x","y")`);
    expect(expectedReasons).toHaveLength(14);
  });

  it('one audit row per job, with the counts', async () => {
    const rows = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.import').where('target_id', '=', firstJob.id).execute();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.detail!)).toMatchObject({ added: GOOD.length, skipped: 0, failed: BAD.length, processed: FILE_ROWS.length });
    const memberAudits = await t.db.selectFrom('audit_log').select('id').where('target_type', '=', 'membership').where('action', 'like', 'member.%').execute();
    expect(memberAudits).toHaveLength(0);
  });

  it('importing the same file again adds nothing: the good rows are skipped, the same errors', async () => {
    const job = await runJob(county, await xlsx(FILE_ROWS), '会员名单.xlsx');
    expect(job).toMatchObject({ status: 'done', total: FILE_ROWS.length, added: 0, skipped: GOOD.length, failed: BAD.length });
    const rows = (await errorRows(county, job.id)).slice(1);
    expect(rows.map((r) => r[IMPORT_HEADERS.length])).toEqual((await errorRows(county, firstJob.id)).slice(1).map((r) => r[IMPORT_HEADERS.length]));
    const people = await t.db.selectFrom('memberships').select('id').where('org_id', '=', target).where('source', '=', 'import').execute();
    expect(people).toHaveLength(GOOD.length);
  });

  it('the jobs list shows them, newest first; progress is read from the database', async () => {
    const r = await county.get('/api/import-jobs?page=1&pageSize=10');
    expect(r.statusCode).toBe(200);
    const list = r.json();
    expect(list.total).toBe(3);
    expect(list.items[2]).toMatchObject({ fileName: '其他工会名单.xlsx', added: 1 });
    expect(list.items.map((j: { status: string }) => j.status)).toEqual(['done', 'done', 'done']);
  });

  it('a file without the required columns fails with a clear message', async () => {
    const job = await runJob(county, await xlsx([{ 姓名: '王五' }], ['姓名', '工作单位']), '缺列.xlsx');
    expect(job.status).toBe('failed');
    expect(job.message).toContain('缺少必填列：证件号码、手机号');
  });
});

describe('the row-by-row fallback path', () => {
  it('gives the same counts and errors as the batched path', async () => {
    const s = t.services;
    const careful = createImportsService(
      { ...t.deps, audit: s.audit, orgs: s.orgs, members: s.members, joining: s.joining, messages: s.messages, holidays: s.holidays },
      { careful: true },
    );
    const acc = await t.db
      .selectFrom('staff_accounts as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select(['a.id', 'a.org_id', 'o.path'])
      .where('a.username', '=', 'county_admin')
      .executeTakeFirstOrThrow();
    const actor: StaffActor = {
      type: 'staff',
      accountId: acc.id,
      username: 'county_admin',
      displayName: '县总管理员',
      orgId: acc.org_id,
      orgPath: acc.path,
      permissions: new Set(['member:import']),
      sessionId: 'test',
    };
    const meta = { ip: '127.0.0.1', requestId: 'careful', userAgent: null };
    // Same shape as the main file, new people (one already in this union, one in another).
    const rows = [row(60), row(61, { 证件号码: wrongCheck }), row(60, { 手机号: '13900000998' }), row(900), row(1), row(62, { 学历: '幼儿园' }), row(63)];
    const { jobId } = await careful.start(actor, meta, { orgId: target, fileName: '逐行.xlsx' }, await xlsx(rows));
    await careful.idle();
    const job = await careful.get(actor, jobId);
    expect(job).toMatchObject({ status: 'done', total: 7, added: 2, skipped: 1, failed: 4 });
    const reasons = (await errorRows(county, jobId)).slice(1).map((r) => r[IMPORT_HEADERS.length]);
    expect(reasons).toHaveLength(4);
    expect(reasons[0]).toContain('校验位');
    expect(reasons[1]).toContain('与第 2 行重复');
    expect(reasons[2]).toContain('一人只能加入一个工会');
    expect(reasons[3]).toContain('学历');
    expect((await county.get(`/api/members?q=${row(63).手机号}`)).json().items[0]).toMatchObject({ org: { id: target } });
  });
});

describe('a person already on the roll (decision 009)', () => {
  it('a row whose name or phone differs from the roll record of its ID is reported, never written over the roll — batched and row by row', async () => {
    const s = t.services;
    const careful = createImportsService(
      { ...t.deps, audit: s.audit, orgs: s.orgs, members: s.members, joining: s.joining, messages: s.messages, holidays: s.holidays },
      { careful: true },
    );
    const first = await runJob(county, csv([row(75), row(76)]), '名册.csv');
    expect(first).toMatchObject({ added: 2, failed: 0 });
    // They leave; the roll keeps their records.
    const people = await t.db
      .selectFrom('people')
      .selectAll()
      .where(
        'id_bidx',
        'in',
        [75, 76].map((n) => t.deps.crypto.blindIndex(`resident_id:${fakeResidentId(n)}`, 'id')),
      )
      .orderBy('id')
      .execute();
    await t.db
      .updateTable('memberships')
      .set({ status: 'left' })
      .where(
        'person_id',
        'in',
        people.map((p) => p.id),
      )
      .execute();

    const batched = await runJob(county, csv([row(75, { 姓名: '冒名顶替' }), row(76, { 手机号: '13800000076' })]), '改名.csv');
    expect(batched).toMatchObject({ added: 0, failed: 2 });
    const reasons = (await errorRows(county, batched.id)).slice(1).map((r) => r[IMPORT_HEADERS.length]);
    expect(reasons[0]).toBe('证件号码：证件号码已在会员名册中，但姓名与名册记录不一致，未导入：请核对后在会员名册中更正或修改文件');
    expect(reasons[1]).toContain('手机号与名册记录不一致');

    const acc = await t.db
      .selectFrom('staff_accounts as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select(['a.id', 'a.org_id', 'o.path'])
      .where('a.username', '=', 'county_admin')
      .executeTakeFirstOrThrow();
    const actor: StaffActor = {
      type: 'staff',
      accountId: acc.id,
      username: 'county_admin',
      displayName: '县总管理员',
      orgId: acc.org_id,
      orgPath: acc.path,
      permissions: new Set(['member:import']),
      sessionId: 'test',
    };
    const { jobId } = await careful.start(
      actor,
      { ip: '127.0.0.1', requestId: 'careful-2', userAgent: null },
      { orgId: target, fileName: '逐行改名.xlsx' },
      await xlsx([row(75, { 姓名: '冒名顶替' }), row(76)]),
    );
    await careful.idle();
    expect(await careful.get(actor, jobId)).toMatchObject({ status: 'done', added: 1, failed: 1 });
    expect((await errorRows(county, jobId))[1]![IMPORT_HEADERS.length]).toContain('姓名与名册记录不一致');

    const after = await t.db
      .selectFrom('people')
      .selectAll()
      .where(
        'id',
        'in',
        people.map((p) => p.id),
      )
      .orderBy('id')
      .execute();
    expect(after.map((p) => [p.name, p.phone_bidx, p.worker_id])).toEqual(people.map((p) => [p.name, p.phone_bidx, p.worker_id]));
  });
});

describe('reading large xlsx files', () => {
  it('Chinese text survives the streaming reader’s chunk boundaries (exceljs decodes chunks on their own)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    for (let i = 0; i < 20_000; i++) ws.addRow(['张三丰', `盐城某物流有限公司第${i}分公司`, '货车司机']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    let n = 0;
    const broken: string[][] = [];
    for await (const r of xlsxRows(buf)) {
      n++;
      if (r[0] !== '张三丰' || r[2] !== '货车司机' || r.join('').includes('\uFFFD')) broken.push(r);
    }
    expect(n).toBe(20_000);
    expect(broken).toEqual([]);
    expect(wholeUtf8Length(Buffer.from('ab货', 'utf8').subarray(0, 4))).toBe(2);
    expect(wholeUtf8Length(Buffer.from('ab货', 'utf8'))).toBe(5);
  });
});

describe('csv', () => {
  it('UTF-8 with BOM: good rows added, bad rows reported', async () => {
    const rows = [row(40, { 就业形态: '快递员', 入会日期: '2022-02-02' }), row(41, { 手机号: '12345' }), row(42), row(1)];
    const job = await runJob(county, csv(rows), '名单.csv');
    expect(job).toMatchObject({ status: 'done', total: 4, added: 2, skipped: 1, failed: 1 });
    const m = (await county.get(`/api/members?q=${rows[0]!.手机号}`)).json().items[0];
    expect(m).toMatchObject({ employmentForm: 'courier', joinedOn: '2022-02-02' });
    const errors = await errorRows(county, job.id);
    expect(errors).toHaveLength(2);
    expect(errors[1]![IMPORT_HEADERS.length]).toContain('手机号');
  });

  it('bytes that are not UTF-8 are read as GB18030', () => {
    // “姓名,手机号” in GB18030.
    const gb = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xca, 0xd6, 0xbb, 0xfa, 0xba, 0xc5]);
    expect(decodeCsv(gb)).toBe('姓名,手机号');
    expect(decodeCsv(Buffer.from('\uFEFF姓名', 'utf8')).replace(/^\uFEFF/, '')).toBe('姓名');
  });
});

describe('access', () => {
  it('another county’s staff get 404 for the job, its error report, and cannot import into this union', async () => {
    const jobs = (await county.get('/api/import-jobs')).json().items as { id: string }[];
    const sheyang = await t.login('sheyang_admin');
    for (const j of jobs) {
      expect((await sheyang.get(`/api/import-jobs/${j.id}`)).statusCode).toBe(404);
      expect((await sheyang.get(`/api/import-jobs/${j.id}/errors.xlsx`)).statusCode).toBe(404);
    }
    expect((await sheyang.get('/api/import-jobs')).json()).toEqual({ items: [], total: 0 });
    const r = await upload(sheyang, csv([row(50)]), '越权.csv');
    expect(r.statusCode).toBe(404);
    expect(await t.db.selectFrom('import_jobs').select('id').where('file_name', '=', '越权.csv').execute()).toHaveLength(0);
  });

  it('a caller without member:import gets 403', async () => {
    const leader = await t.login('leader');
    expect((await leader.get('/api/members/import/template')).statusCode).toBe(403);
    expect((await upload(leader, csv([row(51)]), 'x.csv')).statusCode).toBe(403);
    expect((await leader.get('/api/import-jobs')).statusCode).toBe(403);
  });

  it('the upload is checked: octet-stream body, a known file type', async () => {
    const json = await county.post(`/api/members/import?orgId=${target}&fileName=a.csv`, { rows: [] });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.fields.file).toContain('application/octet-stream');
    const xls = await upload(county, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), 'a.xlsx');
    expect(xls.statusCode).toBe(400);
    const name = await upload(county, csv([row(52)]), 'a.txt');
    expect(name.statusCode).toBe(400);
    expect(name.json().error.fields.fileName).toContain('.xlsx');
  });
});

describe('upload size', () => {
  it('accepts files over the usual 1 MB body limit, refuses those over 20 MB', async () => {
    const note = '备'.repeat(300_000); // ~900 KB of UTF-8 per row, in a column the import ignores
    const file = Buffer.from(
      `\uFEFF姓名,证件号码,手机号,备注\r\n${[row(70), row(71)].map((r) => `${r.姓名},${r.证件号码},${r.手机号},${note}`).join('\r\n')}\r\n`,
    );
    expect(file.length).toBeGreaterThan(1024 * 1024);
    const job = await runJob(county, file, '大文件.csv');
    expect(job).toMatchObject({ status: 'done', added: 2, failed: 0 });
    const big = await upload(county, Buffer.alloc(20 * 1024 * 1024 + 1, 0x41), '太大.csv');
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('restart', () => {
  it('jobs left running by a stopped process are marked failed when the module starts', async () => {
    const stale = await t.db
      .insertInto('import_jobs')
      .values({
        org_id: target,
        uploaded_by: null,
        uploaded_by_name: '测试',
        file_name: '中断.xlsx',
        file_sm3: '0'.repeat(64),
        file_size: 10,
        format: 'xlsx',
        status: 'running',
        total: 1000,
        message: null,
        created_at: new Date(t.clock.now().getTime() - 60_000),
        started_at: new Date(t.clock.now().getTime() - 60_000),
        finished_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const s = t.services;
    const restarted = createImportsService({
      ...t.deps,
      audit: s.audit,
      orgs: s.orgs,
      members: s.members,
      joining: s.joining,
      messages: s.messages,
      holidays: s.holidays,
    });
    await restarted.recovered;
    const job = (await county.get(`/api/import-jobs/${stale.id}`)).json();
    expect(job).toMatchObject({ status: 'failed', message: CRASH_MESSAGE });
    expect(job.finishedAt).toBeTruthy();
  });
});
