// The holiday calendar is city-wide reference data: no org's records to reach into. What guards
// it: holiday:manage (others get 403, anonymous 401), and changes only by the city union's accounts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';

let t: TestApp;
const as: Record<string, Client> = {};

beforeAll(async () => {
  t = await createTestApp();
  as.county = await t.login('county_admin');
  as.sheyang = await t.login('sheyang_admin');
  as.sys = await t.login('sysadmin');
});
afterAll(async () => t?.close());

describe('holidays: city-wide, by permission', () => {
  crossOrgCases(() => as, {
    'GET /api/working-calendar': { kind: 'no-org-data', why: 'city-wide calendar: which days count as working days, for every signed-in staff member' },
    'GET /api/holidays': { kind: 'no-org-data', why: 'city-wide calendar (reference data); needs holiday:manage' },
    'POST /api/holidays': { kind: 'no-org-data', why: 'city-wide calendar; holiday:manage and an account of the city union' },
    'DELETE /api/holidays/:day': { kind: 'no-org-data', why: 'city-wide calendar; holiday:manage and an account of the city union' },
  });

  it('staff of any county without holiday:manage get 403; anonymous 401', async () => {
    for (const c of [as.county!, as.sheyang!]) {
      expect((await c.get('/api/holidays?year=2026')).statusCode).toBe(403);
      expect((await c.post('/api/holidays', { day: '2026-12-01', kind: 'holiday', name: '越权' })).statusCode).toBe(403);
      expect((await c.delete('/api/holidays/2026-10-01')).statusCode).toBe(403);
    }
    expect((await t.anonymous.get('/api/holidays?year=2026')).statusCode).toBe(401);
    expect((await t.anonymous.get('/api/working-calendar')).statusCode).toBe(401);
    // every staff member reads the same calendar (the console counts 剩余N个工作日 with it)
    for (const c of [as.county!, as.sheyang!]) {
      const cal = (await c.get('/api/working-calendar')).json();
      expect(cal.holidays).toContain('2026-10-01');
      expect(cal.workdays).toContain('2026-10-10');
    }
    expect((await t.anonymous.delete('/api/holidays/2026-10-01')).statusCode).toBe(401);
    // Nothing changed; the city's system administrator sees the same year.
    const y = (await as.sys!.get('/api/holidays?year=2026')).json();
    expect(y.items.map((d: { day: string }) => d.day)).toContain('2026-10-01');
    expect(y.items.map((d: { day: string }) => d.day)).not.toContain('2026-12-01');
  });
});
