// An org moved to another county takes its sent notices and its news with it: the copied paths
// (sender org_path, recipients' org_path, a news item's org_path and target_path) follow the move
// (COPIED_PATHS, rewritten by orgs.move), so the old county's staff get 404 and cannot withdraw them, the new county
// sees them, and the town's workers still get the news aimed at their town. Its own app: the move
// reshapes the tree.
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

it('a town moved from 东台 to 射阳: its notice and its news leave 东台’s scope and enter 射阳’s', async () => {
  const townId = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'town_admin').executeTakeFirstOrThrow()).org_id;
  const enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  const worker = (await makeMember(t, enterprise, 7311)).worker;
  const notice = await town.post('/api/notices', {
    title: '关于报送本镇职工之家建设情况的通知',
    body: '请各工会按时报送。',
    audience: { roots: [{ orgId: townId, types: ['grassroots'] }] },
  });
  expect(notice.statusCode, notice.body).toBe(200);
  const news = await town.post('/api/news', {
    kind: 'article',
    title: '本镇开展职工健步走',
    bodyHtml: '<p>欢迎报名。</p>',
    targetOrgId: townId,
    publishAt: t.clock.now().toISOString(),
  });
  expect(news.statusCode, news.body).toBe(200);
  const dongtai = await t.login('county_admin');
  expect((await dongtai.get(`/api/notices/${notice.json().id}`)).statusCode).toBe(200);
  expect((await dongtai.get(`/api/news/${news.json().id}`)).statusCode).toBe(200);

  const node = (await city.get(`/api/orgs/${townId}`)).json();
  const moved = await city.post(`/api/orgs/${townId}/move`, { newParentId: await orgIdByName(t, '射阳县总工会'), version: node.version });
  expect(moved.statusCode, moved.body).toBe(200);

  const sheyang = await t.login('sheyang_admin');
  const dongtaiAgain = await t.login('county_admin');
  expect((await sheyang.get(`/api/notices/${notice.json().id}`)).statusCode).toBe(200);
  expect((await sheyang.get(`/api/news/${news.json().id}`)).statusCode).toBe(200);
  expect((await dongtaiAgain.get(`/api/notices/${notice.json().id}`)).statusCode).toBe(404);
  const withdrawNotice = await dongtaiAgain.post(`/api/notices/${notice.json().id}/withdraw`, { reason: '旧县撤回' });
  expect(withdrawNotice.statusCode, withdrawNotice.body).toBe(404);
  const withdrawNews = await dongtaiAgain.post(`/api/news/${news.json().id}/withdraw`, { reason: '旧县撤回', version: news.json().version });
  expect(withdrawNews.statusCode, withdrawNews.body).toBe(404);
  // The town's member still gets the news aimed at the town.
  const home = (await worker.get('/api/worker/news/home')).json();
  expect(home.articles.map((a: { id: string }) => a.id)).toContain(news.json().id);
});
