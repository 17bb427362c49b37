// The demo records of the activity types load on top of the core's demo activities and are usable
// through the API (the `npm start` demo).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/test-app.js';
import { seedActivitiesDemo } from './activities.demo.js';
import { seedActivityTypesDemo } from './activity-types.demo.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('activity types demo', () => {
  it('seeds a training session, a quiz bank, a childcare programme and a contest round, once', async () => {
    const now = t.clock.now();
    await seedActivitiesDemo(t.db, now);
    expect(await seedActivityTypesDemo(t.db, now)).toContain('知识竞赛');
    expect(await seedActivityTypesDemo(t.db, now)).toBeNull();
    const city = await t.login('city_admin');
    const list = (await city.get('/api/activities?pageSize=50')).json().items as { id: string; type: string }[];
    const of = (type: string) => list.find((a) => a.type === type)!.id;
    const questions = (await city.get(`/api/activities/${of('quiz')}/quiz/questions`)).json().items;
    expect(questions).toHaveLength(5);
    expect(questions.map((q: { kind: string }) => q.kind)).toEqual(['single', 'multi', 'judge', 'judge', 'single']);
    expect((await city.get(`/api/activities/${of('training')}/training/sessions`)).json().items).toHaveLength(1);
    expect((await city.get(`/api/activities/${of('contest')}/contest/rounds`)).json().items).toHaveLength(1);
    expect((await city.get(`/api/activities/${of('childcare')}`)).json().batches).toHaveLength(2);
  });
});
