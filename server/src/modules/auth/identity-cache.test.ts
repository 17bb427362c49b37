// Who is asking is remembered for at most a second (decision 036): a change made in this process
// takes effect on the next request; a change this process did not make (another server process,
// simulated here by SQL straight to the database) within the second.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/test-app.js';
import { IDENTITY_TTL_MS } from './identity-cache.js';
import { SESSION_POLICY } from './auth.service.js';
import { rolesRepository, sessionsRepository } from './auth.repository.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const liveSession = async (username: string) =>
  t.db
    .selectFrom('sessions as s')
    .innerJoin('staff_accounts as a', 'a.id', 's.account_id')
    .select('s.id')
    .where('a.username', '=', username)
    .where('s.ended_at', 'is', null)
    .orderBy('s.created_at', 'desc')
    .executeTakeFirstOrThrow();

describe('identity cache', () => {
  it('a session ended outside this process stops working within a second, not at once', async () => {
    const staff = await t.login('county_admin');
    expect((await staff.get('/api/auth/me')).statusCode).toBe(200);
    const s = await liveSession('county_admin');
    // Another process ends it: this one has not heard.
    await t.db.updateTable('sessions').set({ ended_at: t.clock.now(), end_reason: 'revoked' }).where('id', '=', s.id).execute();
    const soon = await staff.get('/api/auth/me');
    expect(soon.statusCode).toBe(200);
    await sleep(IDENTITY_TTL_MS + 50);
    expect((await staff.get('/api/auth/me')).statusCode).toBe(401);
  });

  it("a change this process makes — a role's permissions, a session ended, a logout — holds on the very next request", async () => {
    const staff = await t.login('county_admin');
    expect((await staff.get('/api/members?page=1&pageSize=5')).statusCode).toBe(200);
    const role = await t.db.selectFrom('roles').select(['id', 'permissions']).where('code', '=', 'county_admin').executeTakeFirstOrThrow();
    await rolesRepository.update(t.db, role.id, { permissions: role.permissions.filter((p) => p !== 'member:read') });
    expect((await staff.get('/api/members?page=1&pageSize=5')).statusCode).toBe(403);
    await rolesRepository.update(t.db, role.id, { permissions: role.permissions });
    expect((await staff.get('/api/members?page=1&pageSize=5')).statusCode).toBe(200);

    await sessionsRepository.end(t.db, (await liveSession('county_admin')).id, t.clock.now(), 'revoked');
    expect((await staff.get('/api/members?page=1&pageSize=5')).statusCode).toBe(401);

    const again = await t.login('city_admin');
    expect((await again.get('/api/auth/me')).statusCode).toBe(200);
    expect((await again.post('/api/auth/logout')).statusCode).toBeLessThan(300);
    expect((await again.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('the app clock past the idle limit ends a session even while it is remembered', async () => {
    const staff = await t.login('grassroots_admin');
    expect((await staff.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(SESSION_POLICY.staff.idleMs + 1000);
    expect((await staff.get('/api/auth/me')).statusCode).toBe(401);
  });
});
