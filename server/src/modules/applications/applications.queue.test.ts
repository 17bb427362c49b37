// 待我处理 (issue 11, item 10): by default what the caller's own union must act on, the subtree
// as a switch; batch approval with a result per item (another org's item → NOT_FOUND, a stale
// version → CONFLICT) that never undoes the others; 核定金额 on the list rows.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember } from '../../../../tests/support/members.js';

let t: TestApp;
let county: Client, grassroots: Client;
const rights: { id: string; version: number }[] = [];
let counselling: { id: string; version: number };
let sheyangApp: { id: string; version: number };

interface QueueRow {
  id: string;
  handlingOrg: { name: string } | null;
  batchApprovable: boolean;
  version: number;
}

beforeAll(async () => {
  t = await createTestApp({ config: { dataDir: mkdtempSync(join(tmpdir(), 'gh-queue-')) } });
  county = await t.login('county_admin');
  grassroots = await t.login('grassroots_admin');
  const grassrootsOrg = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  const m = await makeMember(t, grassrootsOrg, 2401);
  const types = (await m.worker.get('/api/worker/services')).json().items as { id: string; code: string }[];
  const typeId = (code: string) => types.find((x) => x.code === code)!.id;
  // 维权申请: 基层工会受理 → 县级工会协调处理, three of them waiting at the grassroots union
  for (let i = 0; i < 3; i++) {
    const r = await m.worker.post('/api/worker/applications', {
      serviceTypeId: typeId('rights'),
      values: { issue: '其他', counterparty: '某公司', facts: `批量办理测试 ${i}` },
      idempotencyKey: `queue-rights-000${i}`,
    });
    expect(r.statusCode, r.body).toBe(200);
    rights.push({ id: r.json().id, version: r.json().version });
  }
  // 心理咨询: 县级工会预约确认, waiting at 东台市总工会 itself
  const c = await m.worker.post('/api/worker/applications', {
    serviceTypeId: typeId('counselling'),
    values: { preferredDate: '2026-12-02', preferredTime: '上午', mode: '电话' },
    idempotencyKey: 'queue-counsel-0001',
  });
  expect(c.statusCode, c.body).toBe(200);
  counselling = { id: c.json().id, version: c.json().version };
  // 射阳县: a member's 心理咨询 handled by 射阳县总工会
  const sheyangId = await orgIdByName(t, '射阳县总工会');
  const s = await makeMember(t, sheyangId, 2402);
  const sc = await s.worker.post('/api/worker/applications', {
    serviceTypeId: typeId('counselling'),
    values: { preferredDate: '2026-12-03', preferredTime: '下午', mode: '电话' },
    idempotencyKey: 'queue-counsel-0002',
  });
  expect(sc.statusCode, sc.body).toBe(200);
  sheyangApp = { id: sc.json().id, version: sc.json().version };
});
afterAll(async () => t?.close());

describe('待我处理: own level by default, the subtree as a switch', () => {
  it('the county sees what 东台市总工会 itself must handle, not the grassroots items', async () => {
    const res = await county.get('/api/applications/queue');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as QueueRow[];
    expect(items.map((i) => i.id)).toContain(counselling.id);
    for (const r of rights) expect(items.map((i) => i.id)).not.toContain(r.id);
    expect(items.every((i) => i.handlingOrg?.name === '东台市总工会')).toBe(true);
    expect(res.json().total).toBe(items.length);
  });

  it('scope=subtree adds what the unions below handle (still never 射阳)', async () => {
    const items = (await county.get('/api/applications/queue?scope=subtree&pageSize=100')).json().items as QueueRow[];
    const ids = items.map((i) => i.id);
    for (const r of [...rights, counselling]) expect(ids).toContain(r.id);
    expect(ids).not.toContain(sheyangApp.id);
    expect((await county.get('/api/applications/queue?scope=everything')).statusCode).toBe(400);
  });

  it('the grassroots union sees its own items by default, each marked batch-approvable', async () => {
    const items = (await grassroots.get('/api/applications/queue')).json().items as QueueRow[];
    const mine = items.filter((i) => rights.some((r) => r.id === i.id));
    expect(mine).toHaveLength(3);
    expect(mine.every((i) => i.batchApprovable)).toBe(true);
  });

  it('anonymous callers get 401', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/applications/queue' })).statusCode).toBe(401);
    const r = await t.app.inject({ method: 'POST', url: '/api/applications/batch-approve', payload: { items: [{ id: rights[0]!.id, version: 1 }] } });
    expect(r.statusCode).toBe(401);
  });
});

describe('batch approval', () => {
  it('approves each item in its own transaction and answers a result per item', async () => {
    const res = await grassroots.post('/api/applications/batch-approve', {
      comment: '材料齐全，同意受理',
      items: [
        { id: rights[0]!.id, version: rights[0]!.version },
        { id: rights[1]!.id, version: rights[1]!.version + 7 }, // stale
        { id: sheyangApp.id, version: sheyangApp.version }, // another org's
        { id: rights[2]!.id, version: rights[2]!.version },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { approved: number; refused: number; results: { id: string; ok: boolean; code?: string; no?: string }[] };
    expect(body).toMatchObject({ approved: 2, refused: 2 });
    expect(body.results.map((r) => [r.id, r.ok, r.code ?? null])).toEqual([
      [rights[0]!.id, true, null],
      [rights[1]!.id, false, 'CONFLICT'],
      [sheyangApp.id, false, 'NOT_FOUND'],
      [rights[2]!.id, true, null],
    ]);
    expect(body.results[0]!.no).toBe(`SQ${rights[0]!.id.padStart(8, '0')}`);
    // the approved ones moved on to the county step; the stale one did not move; 射阳's is untouched
    const steps = await t.db
      .selectFrom('applications')
      .select(['id', 'step_key', 'status'])
      .where('id', 'in', [...rights.map((r) => r.id), sheyangApp.id])
      .execute();
    const step = (id: string) => steps.find((s) => s.id === id)!.step_key;
    expect(step(rights[0]!.id)).toBe('handle');
    expect(step(rights[2]!.id)).toBe('handle');
    expect(step(rights[1]!.id)).toBe('accept');
    expect(steps.find((s) => s.id === sheyangApp.id)!.status).toBe('in_review');
    // each approval is audited like a single one, and the batch leaves one row naming the refusals
    const audit = await t.db.selectFrom('audit_log').select(['action', 'target_id', 'detail']).where('action', 'like', 'application.%approve').execute();
    expect(audit.filter((a) => a.action === 'application.approve').map((a) => a.target_id)).toEqual(expect.arrayContaining([rights[0]!.id, rights[2]!.id]));
    const batch = audit.find((a) => a.action === 'application.batch_approve')!;
    expect(JSON.parse(batch.detail!)).toMatchObject({
      requested: 4,
      approved: 2,
      refused: [
        { id: rights[1]!.id, code: 'CONFLICT' },
        { id: sheyangApp.id, code: 'NOT_FOUND' },
      ],
    });
  });

  it('a batch of only another org’s items answers 404, as one such id would', async () => {
    const res = await county.post('/api/applications/batch-approve', { items: [{ id: sheyangApp.id, version: sheyangApp.version }] });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('refuses an empty or oversized batch with a Chinese message', async () => {
    const empty = await grassroots.post('/api/applications/batch-approve', { items: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('请选择要批量通过的申请');
    const many = Array.from({ length: 51 }, (_, i) => ({ id: String(i + 1), version: 1 }));
    expect((await grassroots.post('/api/applications/batch-approve', { items: many })).body).toContain('一次最多批量通过 50 件');
  });

  it('list rows carry the granted amount (核定金额)', async () => {
    const items = (await county.get('/api/applications?pageSize=5')).json().items as Record<string, unknown>[];
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) expect(i).toHaveProperty('grantedAmount');
  });
});
