// The `npm start` 工会经费 demo (seed/demo-funds.ts) over the people and enterprises demo, on the test clock:
// the 会费 story runs up to the demo's current month, consistent with who had joined when.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/test-app.js';
import { chinaDay } from '../platform/china-time.js';
import { seedModuleDemos } from './demo-modules.js';
import { seedPeopleDemo, type ReplayClock } from './demo-people.js';
import { seedEnterprisesDemo } from './demo-enterprises.js';
import { seedFundsDemo } from './demo-funds.js';

let t: TestApp;
let story: string[];
let today: string;

beforeAll(async () => {
  t = await createTestApp();
  const start = t.clock.now();
  today = chinaDay(start);
  const clock: ReplayClock = { now: () => t.clock.now(), replayAt: (at) => t.clock.set(at ?? start) };
  const ctx = { db: t.db, crypto: t.deps.crypto, clock, services: t.services };
  await seedModuleDemos(t.db, { now: start });
  await seedPeopleDemo(ctx);
  await seedEnterprisesDemo(ctx);
  story = await seedFundsDemo(ctx);
}, 180_000);
afterAll(async () => t?.close());

describe('工会经费 demo for npm start', () => {
  it('会费 runs through the twelve months up to the current month, never before a member joined nor after today', async () => {
    expect(story.join('\n')).toMatch(/会费：.+笔月度会费/);
    const rows = await t.db
      .selectFrom('funds_dues as d')
      .innerJoin('memberships as m', 'm.id', 'd.membership_id')
      .select(['d.period', sql<string>`to_char(d.paid_on, 'YYYY-MM-DD')`.as('paid_on'), sql<string>`to_char(m.joined_on, 'YYYY-MM')`.as('joined')])
      .execute();
    const periods = [...new Set(rows.map((r) => r.period))].sort();
    expect(periods).toHaveLength(12);
    expect(periods.at(-1)).toBe(today.slice(0, 7));
    for (const r of rows) {
      expect(r.paid_on <= today).toBe(true);
      expect(r.paid_on.slice(0, 7)).toBe(r.period);
      expect(r.joined <= r.period).toBe(true);
    }
  });

  it('the current month’s view over the API: paid, one exempt, one member two months behind', async () => {
    const gr = await t.login('grassroots_admin');
    const res = await gr.get('/api/funds/dues');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.period).toBe(today.slice(0, 7));
    expect(body.months.at(-1).period).toBe(today.slice(0, 7));
    expect(body.months.at(-1).count).toBeGreaterThan(0);
    expect(body.figures).toMatchObject({ exempt: 1, unpaid: 1 });
    expect(body.figures.paid).toBe(body.figures.members - 2);
    const behind = body.items.filter((i: { status: string }) => i.status === 'unpaid');
    expect(behind.map((i: { owedMonths: number }) => i.owedMonths)).toEqual([2]);
  });
});
