// An org moved to another county takes its activities and their enrollments with it: the copied
// org_path follows the move (COPIED_PATHS, rewritten by orgs.move), so the old county's staff get 404 and can no
// longer write to them, and the new county's staff see them. Its own app: the move reshapes the tree.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember } from '../../../../tests/support/members.js';

let t: TestApp;
let city: Client;
let town: Client;

beforeAll(async () => {
  t = await createTestApp();
  city = await t.login('city_admin');
  town = await t.login('town_admin');
});
afterAll(async () => t?.close());

it('a town moved from 东台 to 射阳: its activity and enrollments leave 东台’s scope and enter 射阳’s', async () => {
  const townId = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'town_admin').executeTakeFirstOrThrow()).org_id;
  const enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  const created = await town.post('/api/activities', {
    type: 'other',
    title: '镇街职工健步走',
    enrollmentMode: 'fcfs',
    batches: [{ title: '一批', placesGeneral: 5 }],
  });
  expect(created.statusCode, created.body).toBe(200);
  const published = await town.post(`/api/activities/${created.json().id}/publish`, { version: created.json().version });
  expect(published.statusCode, published.body).toBe(200);
  const a = published.json();
  const m = await makeMember(t, enterprise, 7301);
  const enrolled = await m.worker.post(`/api/worker/activities/${a.id}/enroll`, { batchId: a.batches[0].id, details: {} });
  expect(enrolled.statusCode, enrolled.body).toBe(200);

  const dongtai = await t.login('county_admin');
  expect((await dongtai.get(`/api/activities/${a.id}`)).statusCode).toBe(200);

  const node = (await city.get(`/api/orgs/${townId}`)).json();
  const moved = await city.post(`/api/orgs/${townId}/move`, { newParentId: await orgIdByName(t, '射阳县总工会'), version: node.version });
  expect(moved.statusCode, moved.body).toBe(200);

  const sheyang = await t.login('sheyang_admin');
  const dongtaiAgain = await t.login('county_admin');
  expect((await sheyang.get(`/api/activities/${a.id}`)).statusCode).toBe(200);
  expect((await sheyang.get(`/api/activities/${a.id}/enrollments`)).json().items).toHaveLength(1);
  const read = await dongtaiAgain.get(`/api/activities/${a.id}`);
  expect(read.statusCode, read.body).toBe(404);
  const close = await dongtaiAgain.post(`/api/activities/${a.id}/close`, { version: a.version });
  expect(close.statusCode, close.body).toBe(404);
  const paths = await t.db
    .selectFrom('activities')
    .select('org_path')
    .where('id', '=', a.id)
    .union(t.db.selectFrom('activity_enrollments').select('org_path').where('activity_id', '=', a.id))
    .execute();
  const townPath = (await t.db.selectFrom('orgs').select('path').where('id', '=', townId).executeTakeFirstOrThrow()).path;
  for (const p of paths) expect(p.org_path.startsWith(townPath)).toBe(true);
});
