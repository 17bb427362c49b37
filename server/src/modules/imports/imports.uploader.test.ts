// A queued or resumed import runs only while its uploader may still import (imports.durable.ts): an
// account disabled, moved out of the job's union or stripped of the permission after its upload does
// not have the file written into the roll. (The enterprise and 税务代收 imports: their own
// *.uploader.test.ts; the shared steps: tests/support/import-uploader.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson } from '../../../../tests/support/people.js';
import {
  disableAccount,
  expectFailedAudit,
  importJob,
  moveAccount,
  queuedBehind,
  withoutPermission,
  type Undo,
} from '../../../../tests/support/import-uploader.js';
import { UPLOADER_MESSAGE } from './imports.durable.js';
import { IMPORT_HEADERS } from './imports.schema.js';

let t: TestApp;
let county: Client;
let grassroots: Client;
let target: string;

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('county_admin');
  target = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
});
afterAll(async () => t?.close());

function csv(from: number, count: number): Buffer {
  const lines = [IMPORT_HEADERS.join(',')];
  for (let n = from; n < from + count; n++) {
    const p = fakePerson(n);
    lines.push(IMPORT_HEADERS.map((h) => (h === '姓名' ? p.name : h === '证件号码' ? p.idNumber : h === '手机号' ? p.phone : '')).join(','));
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

async function upload(c: Client, file: Buffer, fileName: string) {
  const r = await c.request({
    method: 'POST',
    url: `/api/members/import?orgId=${target}&fileName=${encodeURIComponent(fileName)}`,
    headers: { 'content-type': 'application/octet-stream' },
    payload: file,
  });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { jobId: string }).jobId;
}

const job = (id: string) => importJob(t, 'import_jobs', id);
const members = async () =>
  Number(
    (
      await t.db
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('org_id', '=', target)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Queues `second` behind a long first job, then changes the uploader before the second starts. */
async function queuedBehindRoll(change: () => Promise<Undo>, second: { from: number; count: number; name: string }) {
  grassroots = await t.login('grassroots_admin');
  const before = await members();
  const { long, queued } = await queuedBehind(t, {
    table: 'import_jobs',
    long: () => upload(county, csv(second.from + 100_000, 6000), '先导入的大名册.csv'),
    queued: () => upload(grassroots, csv(second.from, second.count), second.name),
    change,
    idle: () => t.services.features.imports.service.idle(),
  });
  // Only the first job's rows reached the union.
  expect(await members()).toBe(before + long.added);
  return queued;
}

describe('an import whose uploader may no longer import', () => {
  it('does not run when the account was disabled after the upload: failed, nothing added, audited', async () => {
    const j = await queuedBehindRoll(() => disableAccount(t, 'grassroots_admin'), {
      from: 300_000,
      count: 3,
      name: '停用后才轮到的名册.csv',
    });
    expect(j.status).toBe('failed');
    expect(j.message).toBe(UPLOADER_MESSAGE);
    expect(j.added).toBe(0);
    await expectFailedAudit(t, 'member.import', j.id);
  });

  it('does not run when the account was moved to a union outside the job’s union', async () => {
    const sheyang = await orgIdByName(t, '射阳县总工会');
    const j = await queuedBehindRoll(() => moveAccount(t, 'grassroots_admin', sheyang), {
      from: 320_000,
      count: 3,
      name: '调离后才轮到的名册.csv',
    });
    expect(j).toMatchObject({ status: 'failed', message: UPLOADER_MESSAGE, added: 0 });
  });

  it('does not run when the account lost member:import (its other permissions kept); with its role back the same upload runs', async () => {
    const j = await queuedBehindRoll(() => withoutPermission(t, 'grassroots_admin', 'member:import'), {
      from: 310_000,
      count: 3,
      name: '撤权后才轮到的名册.csv',
    });
    expect(j.status).toBe('failed');
    expect(j.message).toBe(UPLOADER_MESSAGE);

    // The same upload by the same account, with its role back: runs.
    grassroots = await t.login('grassroots_admin');
    const before = await members();
    const again = await upload(grassroots, csv(310_000, 3), '撤权后才轮到的名册.csv');
    await t.services.features.imports.service.idle();
    expect(await job(again)).toMatchObject({ status: 'done', added: 3 });
    expect(await members()).toBe(before + 3);
  });
});
