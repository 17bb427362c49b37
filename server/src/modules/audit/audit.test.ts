import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';

let t: TestApp;
let auditor: Client;

beforeAll(async () => {
  t = await createTestApp();
  const city = await t.login('city_admin');
  for (let i = 0; i < 5; i++) {
    const r = await city.post('/api/orgs', { parentId: '1', type: 'industry_federation', name: `审计测试联合会${i}` });
    expect(r.statusCode).toBe(200);
  }
  await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'city_admin', password: 'Wrong#pass2026' } });
  auditor = await t.login('auditor');
});
afterAll(async () => t?.close());

/** Tampering as a DBA would: around the append-only trigger. */
async function tamper(statement: ReturnType<typeof sql>) {
  await t.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await statement.execute(trx);
  });
}

describe('audit trail', () => {
  it('records logins (success and failure) and writes, with actor, target, org and IP', async () => {
    const res = await auditor.get('/api/audit?pageSize=100');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { action: string; outcome: string; actorName: string; ip: string; targetId: string; orgName: string }[];
    expect(items.filter((i) => i.action === 'org.create')).toHaveLength(5);
    expect(items.find((i) => i.action === 'org.create')).toMatchObject({ ip: '127.0.0.1', outcome: 'success' });
    expect(items.some((i) => i.action === 'auth.login' && i.outcome === 'failure')).toBe(true);
    expect(items.some((i) => i.action === 'auth.login' && i.outcome === 'success' && i.actorName.includes('auditor'))).toBe(true);
    const filtered = (await auditor.get('/api/audit?outcome=failure')).json().items as { outcome: string }[];
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((i) => i.outcome === 'failure')).toBe(true);
  });

  it('a failed write by a signed-in user is recorded as a failure', async () => {
    const city = await t.login('city_admin');
    const r = await city.post('/api/orgs', { parentId: '1', type: 'village', name: '错误类型' });
    expect(r.statusCode).toBe(400);
    const rows = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'POST /api/orgs').where('outcome', '=', 'failure').execute();
    expect(rows).toHaveLength(1);
  });

  it('only the audit administrator reads it', async () => {
    for (const u of ['city_admin', 'sysadmin', 'secadmin']) {
      const c = await t.login(u);
      expect((await c.get('/api/audit')).statusCode, u).toBe(403);
    }
  });

  it('the database refuses UPDATE and DELETE on it', async () => {
    await expect(sql`update audit_log set action = 'x'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('verify passes on the untouched chain', async () => {
    const r = (await auditor.get('/api/audit/verify')).json();
    expect(r.ok).toBe(true);
    expect(r.checked).toBeGreaterThan(8);
    expect(r.problems).toEqual([]);
  });

  it('verify finds a row changed behind the application’s back', async () => {
    const row = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'org.create').orderBy('id').executeTakeFirstOrThrow();
    await tamper(sql`update audit_log set actor_name = '别人' where id = ${row.id}`);
    const r = (await auditor.get('/api/audit/verify')).json();
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ id: row.id, kind: 'modified' }));
  });

  it('verify finds a row removed from the middle, and rows removed from the end', async () => {
    const rows = await t.db.selectFrom('audit_log').select('id').orderBy('id').execute();
    const middle = rows[Math.floor(rows.length / 2)]!.id;
    const next = rows[Math.floor(rows.length / 2) + 1]!.id;
    await tamper(sql`delete from audit_log where id = ${middle}`);
    let r = (await auditor.get('/api/audit/verify')).json();
    expect(r.problems).toContainEqual(expect.objectContaining({ id: next, kind: 'missing' }));

    const last = await t.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await tamper(sql`delete from audit_log where id = ${last.id}`);
    r = (await auditor.get('/api/audit/verify')).json();
    expect(r.problems.some((p: { kind: string }) => p.kind === 'head_mismatch')).toBe(true);
  });

  it('offers no API that deletes or edits it', async () => {
    // the IT audit trail (/api/audit, /api/audit/…), not 经费审查's /api/audit-committee
    const routes = t.routes.filter((r) => r.url === '/api/audit' || r.url.startsWith('/api/audit/'));
    expect(routes.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect((await auditor.delete('/api/audit')).statusCode).toBe(404);
  });
});
