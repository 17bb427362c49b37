// A queued or resumed import runs only while its uploader may still import (imports.durable.ts): an
// account disabled, or stripped of the permission, after its upload does not have the file written
// into the roll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson } from '../../../../tests/support/people.js';
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

const job = (id: string) => t.db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
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
async function queuedBehind(change: () => Promise<void>, second: { from: number; count: number; name: string }) {
  grassroots = await t.login('grassroots_admin');
  const before = await members();
  const first = await upload(county, csv(second.from + 100_000, 6000), '先导入的大名册.csv');
  const queued = await upload(grassroots, csv(second.from, second.count), second.name);
  // The first job is still running: the second has not started, so what follows happens before it does.
  expect((await job(queued)).status).toBe('queued');
  await change();
  await t.services.features.imports.service.idle();
  const firstJob = await job(first);
  expect(firstJob.status).toBe('done');
  // Only the first job's rows reached the union.
  expect(await members()).toBe(before + firstJob.added);
  return job(queued);
}

describe('an import whose uploader may no longer import', () => {
  it('does not run when the account was disabled after the upload: failed, nothing added, audited', async () => {
    const j = await queuedBehind(
      async () => {
        await t.db.updateTable('staff_accounts').set({ status: 'disabled' }).where('username', '=', 'grassroots_admin').execute();
      },
      { from: 300_000, count: 3, name: '停用后才轮到的名册.csv' },
    );
    expect(j.status).toBe('failed');
    expect(j.message).toBe(UPLOADER_MESSAGE);
    expect(j.added).toBe(0);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['outcome', 'detail'])
      .where('action', '=', 'member.import')
      .where('target_id', '=', String(j.id))
      .executeTakeFirstOrThrow();
    expect(audit.outcome).toBe('failure');
    expect(JSON.stringify(audit.detail)).toContain('已停用');
    await t.db.updateTable('staff_accounts').set({ status: 'active' }).where('username', '=', 'grassroots_admin').execute();
  });

  it('does not run when the account lost the import permission after the upload; an account that still may, runs', async () => {
    const roles = await t.db
      .selectFrom('account_roles as ar')
      .innerJoin('staff_accounts as a', 'a.id', 'ar.account_id')
      .select(['ar.account_id', 'ar.role_id'])
      .where('a.username', '=', 'grassroots_admin')
      .execute();
    expect(roles.length).toBeGreaterThan(0);
    const j = await queuedBehind(
      async () => {
        await t.db.deleteFrom('account_roles').where('account_id', '=', roles[0]!.account_id).execute();
      },
      { from: 310_000, count: 3, name: '撤权后才轮到的名册.csv' },
    );
    expect(j.status).toBe('failed');
    expect(j.message).toBe(UPLOADER_MESSAGE);
    await t.db.insertInto('account_roles').values(roles).execute();

    // The same upload by the same account, with its role back: runs.
    grassroots = await t.login('grassroots_admin');
    const before = await members();
    const again = await upload(grassroots, csv(310_000, 3), '撤权后才轮到的名册.csv');
    await t.services.features.imports.service.idle();
    expect(await job(again)).toMatchObject({ status: 'done', added: 3 });
    expect(await members()).toBe(before + 3);
  });
});
