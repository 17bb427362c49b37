// A 税务代收 statement import runs only while its uploader may still import (imports.durable.ts,
// permission funds:manage): an account disabled, moved out of the job's union or without funds:manage
// by the time its queued job starts has no receipt of its file recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import {
  disableAccount,
  expectFailedAudit,
  importJob,
  moveAccount,
  queuedBehind,
  withoutPermission,
  xlsxFile,
  type Undo,
} from '../../../../tests/support/import-uploader.js';
import { creditCode } from '../contracts/contracts.test-helpers.js';
import { UPLOADER_MESSAGE } from '../imports/imports.durable.js';
import { STATEMENT_COLUMNS } from './funds.import.js';

let t: TestApp;
let county: Client;
let dongtai: string;
let union: string;
const CODE = creditCode(27001, '91320981');

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('county_admin');
  dongtai = await orgIdByName(t, '东台市总工会');
  union = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  // The grassroots union's own enterprise: a statement row with its code becomes a receipt of the union.
  const e = await county.post('/api/enterprises', {
    orgId: dongtai,
    creditCode: CODE,
    name: '东台代收测试纺织有限公司',
    ownership: 'private',
    industry: 'C',
    size: 'medium',
    employees: 200,
    women: 90,
    migrantWorkers: 40,
    unionOrgId: union,
  });
  expect(e.statusCode, e.body).toBe(200);
});
afterAll(async () => t?.close());

/** Receipts of the grassroots union's enterprise, one per 电子税票号码 `${from}…`. */
const statement = (from: number, count: number) =>
  Buffer.from(
    [STATEMENT_COLUMNS.join(','), ...Array.from({ length: count }, (_, i) => `${CODE},东台代收测试纺织有限公司,2026-10,,100.00,2026-11-10,${from + i}`)].join(
      '\n',
    ),
    'utf8',
  );

async function upload(c: Client, orgId: string, file: Buffer, fileName: string) {
  const r = await c.request({
    method: 'POST',
    url: `/api/funds/import?orgId=${orgId}&fileName=${encodeURIComponent(fileName)}`,
    headers: { 'content-type': 'application/octet-stream' },
    payload: file,
  });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { id: string }).id;
}

const receipts = async () =>
  Number(
    (
      await t.db
        .selectFrom('funds_receipts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('union_org_id', '=', union)
        .executeTakeFirstOrThrow()
    ).n,
  );

/**
 * The grassroots union's statement of three, queued behind the county's long one (rows of enterprises
 * not in the register: each one an error row); `change` before it starts.
 */
async function queuedBehindStatement(change: () => Promise<Undo>, from: number, fileName: string) {
  const grassroots = await t.login('grassroots_admin');
  const before = await receipts();
  const long = [
    [...STATEMENT_COLUMNS],
    ...Array.from({ length: 5000 }, (_, i) => [creditCode(700_000 + i), '未登记企业', '2026-10', '', '100.00', '2026-11-10', `L${from + i}`]),
  ];
  const { queued } = await queuedBehind(t, {
    table: 'funds_import_jobs',
    long: async () => upload(county, dongtai, await xlsxFile(long), '先导入的大对账单.xlsx'),
    queued: () => upload(grassroots, union, statement(from, 3), fileName),
    change,
    idle: () => t.services.features.funds.imports.idle(),
  });
  // No receipt of the queued statement was recorded.
  expect(await receipts()).toBe(before);
  return queued;
}

describe('a 税务代收 import whose uploader may no longer import', () => {
  it('does not run when the account was disabled after the upload: failed, nothing recorded, audited', async () => {
    const j = await queuedBehindStatement(() => disableAccount(t, 'grassroots_admin'), 332026110100, '停用后才轮到的对账单.csv');
    expect(j).toMatchObject({ status: 'failed', message: UPLOADER_MESSAGE, added: 0 });
    await expectFailedAudit(t, 'funds.statement.import', j.id);
  });

  it('does not run when the account was moved to a union outside the job’s union', async () => {
    const sheyang = await orgIdByName(t, '射阳县总工会');
    const j = await queuedBehindStatement(() => moveAccount(t, 'grassroots_admin', sheyang), 332026110200, '调离后才轮到的对账单.csv');
    expect(j).toMatchObject({ status: 'failed', message: UPLOADER_MESSAGE, added: 0 });
  });

  it('does not run when the account lost funds:manage (its other permissions kept); with it back the same upload runs', async () => {
    const j = await queuedBehindStatement(() => withoutPermission(t, 'grassroots_admin', 'funds:manage'), 332026110300, '撤权后才轮到的对账单.csv');
    expect(j).toMatchObject({ status: 'failed', message: UPLOADER_MESSAGE, added: 0 });

    const grassroots = await t.login('grassroots_admin');
    const before = await receipts();
    const again = await upload(grassroots, union, statement(332026110300, 3), '撤权后才轮到的对账单.csv');
    await t.services.features.funds.imports.idle();
    expect(await importJob(t, 'funds_import_jobs', again)).toMatchObject({ status: 'done', added: 3 });
    expect(await receipts()).toBe(before + 3);
  });
});
