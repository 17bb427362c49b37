// The imports' uploader check (imports.durable.ts): a job queued behind a long one of its queue, and
// what can change about its uploader before it starts — shared by the roll's, the enterprise register's
// and the 税务代收 statement's tests. Each change returns the function that undoes it.
import { expect } from 'vitest';
import { loadExcel } from '../../server/src/platform/excel.js';
import type { Permission } from '../../server/src/platform/permissions.js';
import type { TestApp } from './test-app.js';

export type ImportJobTable = 'import_jobs' | 'enterprise_import_jobs' | 'funds_import_jobs';
export type Undo = () => Promise<void>;

export const importJob = (t: TestApp, table: ImportJobTable, id: string) =>
  t.db.selectFrom(table).select(['id', 'status', 'message', 'added']).where('id', '=', id).executeTakeFirstOrThrow();

const account = (t: TestApp, username: string) =>
  t.db.selectFrom('staff_accounts').select(['id', 'org_id']).where('username', '=', username).executeTakeFirstOrThrow();

/** The account is disabled. */
export async function disableAccount(t: TestApp, username: string): Promise<Undo> {
  await t.db.updateTable('staff_accounts').set({ status: 'disabled' }).where('username', '=', username).execute();
  return async () => void (await t.db.updateTable('staff_accounts').set({ status: 'active' }).where('username', '=', username).execute());
}

/**
 * The account's roles are replaced by one role with all their permissions but `permission`: only that
 * one is missing, so the job must be checked against its own import's permission, not any other.
 */
export async function withoutPermission(t: TestApp, username: string, permission: Permission): Promise<Undo> {
  const { id } = await account(t, username);
  const roles = await t.db
    .selectFrom('account_roles as ar')
    .innerJoin('roles as r', 'r.id', 'ar.role_id')
    .select(['ar.account_id', 'ar.role_id', 'r.duty', 'r.permissions'])
    .where('ar.account_id', '=', id)
    .execute();
  const kept = [...new Set(roles.flatMap((r) => r.permissions))].filter((p) => p !== permission);
  expect(kept.length).toBeLessThan(new Set(roles.flatMap((r) => r.permissions)).size);
  const role = await t.db
    .insertInto('roles')
    .values({
      code: `t_without_${permission.replace(/\W/g, '_')}_${id}`,
      name: `测试：无 ${permission}`,
      duty: roles[0]!.duty,
      permissions: kept,
      org_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db.deleteFrom('account_roles').where('account_id', '=', id).execute();
  await t.db.insertInto('account_roles').values({ account_id: id, role_id: role.id }).execute();
  return async () => {
    await t.db.deleteFrom('account_roles').where('account_id', '=', id).execute();
    await t.db.deleteFrom('roles').where('id', '=', role.id).execute();
    await t.db
      .insertInto('account_roles')
      .values(roles.map((r) => ({ account_id: r.account_id, role_id: r.role_id })))
      .execute();
  };
}

/** The account is moved to another union (one whose tree does not hold the job's union). */
export async function moveAccount(t: TestApp, username: string, toOrgId: string): Promise<Undo> {
  const { org_id } = await account(t, username);
  await t.db.updateTable('staff_accounts').set({ org_id: toOrgId }).where('username', '=', username).execute();
  return async () => void (await t.db.updateTable('staff_accounts').set({ org_id }).where('username', '=', username).execute());
}

/**
 * Uploads a long job, then the job under test into the same queue (so it waits), makes `change` before
 * it starts, waits until both ended and undoes the change. The long one must end done; the rows of both
 * are returned.
 */
export async function queuedBehind(
  t: TestApp,
  o: { table: ImportJobTable; long: () => Promise<string>; queued: () => Promise<string>; change: () => Promise<Undo>; idle: () => Promise<void> },
) {
  const long = await o.long();
  const queued = await o.queued();
  // The long job is still running: the second has not started, so what follows happens before it does.
  expect((await importJob(t, o.table, queued)).status).toBe('queued');
  const undo = await o.change();
  try {
    await o.idle();
  } finally {
    await undo();
  }
  const longJob = await importJob(t, o.table, long);
  expect(longJob.status).toBe('done');
  return { long: longJob, queued: await importJob(t, o.table, queued) };
}

/**
 * A register import's long file as .xlsx. On PGlite a .csv job of the register imports parses the whole
 * file at once and its in-thread queries resolve without a turn of the event loop: no request is answered
 * until the job ends, so nothing could be queued behind it. The xlsx reader lets the event loop turn.
 */
export async function xlsxFile(rows: string[][]): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The failed job's audit row: outcome failure, the uploader message as its reason. */
export async function expectFailedAudit(t: TestApp, action: string, jobId: string) {
  const audit = await t.db
    .selectFrom('audit_log')
    .select(['outcome', 'detail'])
    .where('action', '=', action)
    .where('target_id', '=', String(jobId))
    .executeTakeFirstOrThrow();
  expect(audit.outcome).toBe('failure');
  expect(JSON.stringify(audit.detail)).toContain('已停用');
}
