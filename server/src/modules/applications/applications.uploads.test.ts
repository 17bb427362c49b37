// Orphan uploads (issue 9, defect 5): a phone that is not a member stored 27 MB of attachments
// linked to nothing. Now each uploader has a quota, and the hourly clean-up deletes uploads no
// application took within 24 hours — the file from the store and the row from the table.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { ATTACHMENT_LIMIT, createLocalFileStore, localFilesRoot } from './applications.files.js';
import { createAttachmentUploads, UPLOAD_LIMITS } from './applications.uploads.js';
import type { StaffActor, WorkerActor } from '../../platform/context.js';
import { PHONE_DOMAIN } from '../members/members.people.js';

const png = (n: number, size = 80) => {
  const b = Buffer.alloc(size, n % 251);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  return b;
};
const META = { ip: '127.0.0.1', requestId: 'uploads-test', userAgent: null };
const HOUR = 3_600_000;

let t: TestApp;
let dataDir: string;
let grassrootsOrgId: string;
let legalAidId: string;

/** Each worker uploads from its own address: the route's per-address rate limit is not what is tested here. */
const ipOf = new Map<Client, string>();
async function worker(phone: string) {
  const w = await t.workerLogin(phone);
  ipOf.set(w, `10.9.${ipOf.size + 1}.1`);
  return w;
}
const upload = (w: Client, buf: Buffer, name = '证明.png') =>
  w.request({
    method: 'POST',
    url: `/api/worker/attachments?name=${encodeURIComponent(name)}`,
    payload: buf,
    headers: { 'content-type': 'application/octet-stream' },
    remoteAddress: ipOf.get(w),
  });
async function uploadId(w: Client, buf: Buffer) {
  const r = await upload(w, buf);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().id as string;
}
const workerIdOf = async (phone: string) =>
  (await t.db.selectFrom('workers').select('id').where('phone_bidx', '=', t.deps.crypto.blindIndex(phone, PHONE_DOMAIN)).executeTakeFirstOrThrow()).id;
const rowsOfWorker = async (workerId: string) =>
  t.db.selectFrom('application_attachments').select(['id', 'storage_key', 'application_id']).where('worker_id', '=', workerId).execute();
const onDisk = (storageKey: string) => existsSync(join(localFilesRoot(dataDir), storageKey));

/** A non-member applies for 法律援助 (open to every worker) with these files as evidence. */
async function applyWith(w: Client, ids: string[], key: string) {
  const r = await w.post('/api/worker/applications', {
    serviceTypeId: legalAidId,
    orgId: grassrootsOrgId,
    applicantName: '赵明',
    values: { disputeType: '劳动报酬', employer: '某物流公司', facts: '拖欠工资', contactPhone: '13900009001' },
    attachments: { evidence: ids },
    idempotencyKey: key,
  });
  return r;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gh-uploads-'));
  t = await createTestApp({ config: { dataDir } });
  grassrootsOrgId = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  legalAidId = (await t.db.selectFrom('service_types').select('id').where('code', '=', 'legal_aid').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

describe('per-worker quota', () => {
  it(`holds ${UPLOAD_LIMITS.unlinkedFiles} files not yet on an application; the next is refused (上传文件过多) and not stored`, async () => {
    const phone = '13600009001';
    const w = await worker(phone);
    const ids: string[] = [];
    for (let i = 0; i < UPLOAD_LIMITS.unlinkedFiles; i++) ids.push(await uploadId(w, png(i)));
    const refused = await upload(w, png(99));
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(refused.json().error.message).toMatch(/^上传文件过多/);
    expect(refused.json().error.fields.file).toMatch(/^上传文件过多：尚未提交的附件最多 20 个/);
    const rows = await rowsOfWorker(await workerIdOf(phone));
    expect(rows).toHaveLength(UPLOAD_LIMITS.unlinkedFiles);
    expect(rows.every((r) => onDisk(r.storage_key))).toBe(true);

    // another worker has a quota of their own
    expect((await upload(await worker('13600009002'), png(1))).statusCode).toBe(200);

    // files that went onto an application no longer count
    const applied = await applyWith(w, ids.slice(0, 10), 'uploads-quota-0001');
    expect(applied.statusCode, applied.body).toBe(200);
    for (let i = 0; i < 10; i++) await uploadId(w, png(100 + i));
    expect((await upload(w, png(200))).statusCode).toBe(429);
  });

  it('holds 50 MB of files not yet on an application', async () => {
    const w = await worker('13600009003');
    const big = (n: number) => png(n, ATTACHMENT_LIMIT);
    for (let i = 0; i < UPLOAD_LIMITS.unlinkedBytes / ATTACHMENT_LIMIT; i++) await uploadId(w, big(i));
    const refused = await upload(w, png(7));
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toContain('合计 50 MB');
  });

  it('caps what a worker uploads in 24 hours, linked or not; staff entering for members are not capped by day', async () => {
    const files = createLocalFileStore(localFilesRoot(dataDir));
    const uploads = createAttachmentUploads({ db: t.db, clock: t.clock, audit: t.services.audit, files }, { ...UPLOAD_LIMITS, dailyFiles: 3 });
    const phone = '13600009004';
    await worker(phone);
    const me: WorkerActor = { type: 'worker', workerId: await workerIdOf(phone), phoneMasked: '136****9004', sessionId: 'x' };
    for (let i = 0; i < 3; i++) await uploads.upload(me, META, png(i), 'a.png');
    await expect(uploads.upload(me, META, png(3), 'a.png')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: '上传文件过多：24 小时内最多上传 3 个、合计 200 MB，请稍后再试',
    });
    const account = await t.db.selectFrom('staff_accounts').select(['id', 'org_id']).where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow();
    const staff = { type: 'staff', accountId: account.id, orgId: account.org_id, displayName: 'x', username: 'grassroots_admin' } as StaffActor;
    for (let i = 0; i < 4; i++) await uploads.upload(staff, META, png(i), 'a.png');
    t.clock.advance(24 * HOUR + 1000);
    await uploads.upload(me, META, png(4), 'a.png');
  });

  it('holds under parallel uploads (the uploader is locked while the quota is counted)', async () => {
    const phone = '13600009005';
    const w = await worker(phone);
    const answers = await Promise.all(Array.from({ length: UPLOAD_LIMITS.unlinkedFiles + 10 }, (_, i) => upload(w, png(i))));
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(UPLOAD_LIMITS.unlinkedFiles);
    expect(answers.filter((r) => r.statusCode === 429)).toHaveLength(10);
    const rows = await rowsOfWorker(await workerIdOf(phone));
    expect(rows).toHaveLength(UPLOAD_LIMITS.unlinkedFiles);
  });
});

describe('the clean-up of uploads linked to nothing', () => {
  it('deletes uploads no application took within 24 h (file and row), keeps linked and recent ones; a second run deletes nothing', async () => {
    // Whatever earlier tests left is expired first, so this test counts its own files only.
    t.clock.advance(25 * HOUR);
    await t.services.features.applications.service.expireUnlinkedUploads();

    const phone = '13600009006';
    const w = await worker(phone);
    const linked = await uploadId(w, png(1));
    const stale = await uploadId(w, png(2));
    expect((await applyWith(w, [linked], 'uploads-clean-0001')).statusCode).toBe(200);
    t.clock.advance(23 * HOUR);
    const recent = await uploadId(w, png(3));
    t.clock.advance(HOUR + 60_000);

    const before = new Map((await rowsOfWorker(await workerIdOf(phone))).map((r) => [r.id, r]));
    expect([...before.keys()].sort()).toEqual([linked, stale, recent].sort());
    expect([...before.values()].every((r) => onDisk(r.storage_key))).toBe(true);

    const removed = await t.services.features.applications.service.expireUnlinkedUploads();
    expect(removed).toBe(1);
    const after = await rowsOfWorker(await workerIdOf(phone));
    expect(after.map((r) => r.id).sort()).toEqual([linked, recent].sort());
    expect(onDisk(before.get(stale)!.storage_key)).toBe(false);
    expect(onDisk(before.get(linked)!.storage_key)).toBe(true);
    expect(onDisk(before.get(recent)!.storage_key)).toBe(true);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'application.attachment_expire').where('target_id', '=', stale).execute();
    expect(audit.map((a) => [a.actor_type, a.outcome])).toEqual([['system', 'success']]);

    // the worker sees the expired file gone; it cannot be attached any more; the others still work
    expect((await w.get(`/api/worker/attachments/${stale}`)).statusCode).toBe(404);
    expect((await w.get(`/api/worker/attachments/${linked}`)).statusCode).toBe(200);
    const late = await applyWith(w, [stale], 'uploads-clean-0002');
    expect(late.statusCode).toBe(400);
    expect(late.json().error.fields['attachments.evidence']).toBe('附件不存在，请重新上传');

    // idempotent: nothing more to delete, and the recent file goes once it is 24 h old
    expect(await t.services.features.applications.service.expireUnlinkedUploads()).toBe(0);
    t.clock.advance(23 * HOUR);
    expect(await t.services.features.applications.service.expireUnlinkedUploads()).toBe(1);
    expect((await rowsOfWorker(await workerIdOf(phone))).map((r) => r.id)).toEqual([linked]);
  });
});
