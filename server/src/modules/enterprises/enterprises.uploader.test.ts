// An enterprise-register import runs only while its uploader may still import (imports.durable.ts,
// permission enterprise:write): an account disabled, moved out of the job's union or without
// enterprise:write by the time its queued job starts has nothing of its file registered.
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
import { CSV_HEADER, creditCode } from '../contracts/contracts.test-helpers.js';
import { UPLOADER_MESSAGE } from '../imports/imports.durable.js';

let t: TestApp;
let county: Client;
let dongtai: string;
let union: string;

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('county_admin');
  dongtai = await orgIdByName(t, '东台市总工会');
  union = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
});
afterAll(async () => t?.close());

const rows = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => [creditCode(from + i), `东台名录${from + i}有限公司`, '民营', 'C', '小型', '60', '30', '10', '', '', '否']);
const list = (from: number, count: number) => Buffer.from([CSV_HEADER, ...rows(from, count).map((r) => r.join(','))].join('\n'), 'utf8');

async function upload(c: Client, orgId: string, file: Buffer, fileName: string) {
  const r = await c.request({
    method: 'POST',
    url: `/api/enterprises/import?orgId=${orgId}&fileName=${encodeURIComponent(fileName)}`,
    headers: { 'content-type': 'application/octet-stream' },
    payload: file,
  });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { id: string }).id;
}

const registered = async (orgId: string) =>
  Number(
    (
      await t.db
        .selectFrom('enterprises')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The grassroots union's list of three, queued behind the county's long one; `change` before it starts. */
async function queuedBehindList(change: () => Promise<Undo>, from: number, fileName: string) {
  const grassroots = await t.login('grassroots_admin');
  const before = await registered(union);
  const { queued } = await queuedBehind(t, {
    table: 'enterprise_import_jobs',
    long: async () => upload(county, dongtai, await xlsxFile([CSV_HEADER.split(','), ...rows(from + 100_000, 5000)]), '先导入的大名录.xlsx'),
    queued: () => upload(grassroots, union, list(from, 3), fileName),
    change,
    idle: () => t.services.features.enterprises.imports.idle(),
  });
  // Nothing of the queued file reached the union's register.
  expect(await registered(union)).toBe(before);
  return queued;
}

describe('an enterprise import whose uploader may no longer import', () => {
  it('does not run when the account was disabled after the upload: failed, nothing registered, audited', async () => {
    const j = await queuedBehindList(() => disableAccount(t, 'grassroots_admin'), 400_000, '停用后才轮到的名录.csv');
    expect(j).toMatchObject({ status: 'failed', message: UPLOADER_MESSAGE, added: 0 });
    await expectFailedAudit(t, 'enterprise.import', j.id);
  });

  it('does not run when the account was moved to a union outside the job’s union', async () => {
    const sheyang = await orgIdByName(t, '射阳县总工会');
    const j = await queuedBehindList(() => moveAccount(t, 'grassroots_admin', sheyang), 410_000, '调离后才轮到的名录.csv');
    expect(j).toMatchObject({ status: 'failed', message: UPLOADER_MESSAGE, added: 0 });
  });

  it('does not run when the account lost enterprise:write (its other permissions kept); with it back the same upload runs', async () => {
    const j = await queuedBehindList(() => withoutPermission(t, 'grassroots_admin', 'enterprise:write'), 420_000, '撤权后才轮到的名录.csv');
    expect(j).toMatchObject({ status: 'failed', message: UPLOADER_MESSAGE, added: 0 });

    const grassroots = await t.login('grassroots_admin');
    const before = await registered(union);
    const again = await upload(grassroots, union, list(420_000, 3), '撤权后才轮到的名录.csv');
    await t.services.features.enterprises.imports.idle();
    expect(await importJob(t, 'enterprise_import_jobs', again)).toMatchObject({ status: 'done', added: 3 });
    expect(await registered(union)).toBe(before + 3);
  });
});
