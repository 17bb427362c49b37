// The import pipeline with its worker threads and several chunks (decision 013): a small file run
// with the thresholds lowered gives the rows, errors, row numbers and re-run behaviour of the
// in-thread and row-by-row paths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffActor } from '../../platform/context.js';
import { createTestApp, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { createImportsService, type ImportsService } from './imports.service.js';

let t: TestApp;
let actor: StaffActor;
let target: string;
const meta = { ip: '127.0.0.1', requestId: 'pipeline', userAgent: null };
const services: ImportsService[] = [];

beforeAll(async () => {
  t = await createTestApp();
  target = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  const acc = await t.db
    .selectFrom('staff_accounts as a')
    .innerJoin('orgs as o', 'o.id', 'a.org_id')
    .select(['a.id', 'a.org_id', 'o.path'])
    .where('a.username', '=', 'county_admin')
    .executeTakeFirstOrThrow();
  actor = {
    type: 'staff',
    accountId: acc.id,
    username: 'county_admin',
    displayName: '县总管理员',
    orgId: acc.org_id,
    orgPath: acc.path,
    permissions: new Set(['member:import']),
    sessionId: 'test',
  };
});
afterAll(async () => {
  for (const s of services) await s.close();
  await t?.close();
});

function service(opts: Parameters<typeof createImportsService>[1]) {
  const s = t.services;
  const created = createImportsService(
    { ...t.deps, audit: s.audit, orgs: s.orgs, members: s.members, joining: s.joining, messages: s.messages, holidays: s.holidays },
    opts,
  );
  services.push(created);
  return created;
}

const line = (n: number, extra: string[] = []) => {
  const p = fakePerson(n);
  return [p.name, p.idNumber, p.phone, ...extra].join(',');
};

// Line 1 the header; a blank line; a quoted employer with a line break; a line of empty cells; two duplicates across chunks.
const FILE = [
  '姓名,证件号码,手机号,工作单位',
  line(300),
  line(301, ['"东台,某公司"']),
  '',
  line(302, ['12345']).replace(fakePerson(302).phone, '12345'),
  line(303, ['"第一行\r\n第二行"']),
  line(300, ['重复']),
  line(304),
  ',,,',
  line(305),
  line(301),
  line(306),
].join('\r\n');

async function run(s: ImportsService, file: string, name: string) {
  const { jobId } = await s.start(actor, meta, { orgId: target, fileName: name }, Buffer.from(`\uFEFF${file}\r\n`, 'utf8'));
  await s.idle();
  return s.get(actor, jobId);
}

async function errors(jobId: string) {
  const rows = await t.db.selectFrom('import_job_errors').select(['row_no', 'values_enc', 'reason']).where('job_id', '=', jobId).orderBy('row_no').execute();
  return rows.map((r) => ({ rowNo: r.row_no, cells: JSON.parse(t.deps.crypto.decrypt(r.values_enc)) as string[], reason: r.reason }));
}

describe('the pipeline across worker threads and chunks', () => {
  it('the same rows, errors and row numbers as the row-by-row path, and a re-run adds nothing', async () => {
    const pooled = await run(service({ workerThreshold: 0, chunkRows: 3 }), FILE, '分块.csv');
    expect(pooled).toMatchObject({ status: 'done', total: 9, processed: 9, added: 6, skipped: 0, failed: 3 });
    const errs = await errors(pooled.id);
    // Row numbers as csv-parse counts lines: the quoted CR LF on line 6 counts two, so its row is 8.
    expect(errs.map((e) => e.rowNo)).toEqual([5, 9, 13]);
    expect(errs[0]!.reason).toContain('手机号应为 11 位大陆手机号');
    expect(errs[1]!.reason).toContain('与第 2 行重复');
    expect(errs[2]!.reason).toContain('与第 3 行重复');
    expect(errs[1]!.cells).toEqual([fakePerson(300).name, fakePerson(300).idNumber, fakePerson(300).phone, '重复']);
    const quoted = await t.db
      .selectFrom('memberships')
      .select('employer_name')
      .where('org_id', '=', target)
      .where('employer_name', 'like', '第一行%')
      .executeTakeFirstOrThrow();
    expect(quoted.employer_name).toBe('第一行\r\n第二行');

    // Again, in this thread and then row by row: everyone skipped, the same errors on the same rows.
    for (const s of [service({}), service({ careful: true })]) {
      const again = await run(s, FILE, '分块.csv');
      expect(again).toMatchObject({ status: 'done', total: 9, added: 0, skipped: 6, failed: 3 });
      expect((await errors(again.id)).map((e) => [e.rowNo, e.reason])).toEqual(errs.map((e) => [e.rowNo, e.reason]));
    }
  });
});
