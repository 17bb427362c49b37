// 资讯 to workers: a county's article reaches the workers of its subtree (their home and list) and not
// another county's; scheduled items appear when the clock reaches them; withdrawn ones disappear;
// read counts count each worker once; the body is sanitised on the server; banners need an image.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember } from '../../../../tests/support/members.js';
import { auditActionLabel } from '../audit/audit.labels.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 3)]);
const HOUR = 3_600_000;

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

const article = (over: Record<string, unknown> = {}) => ({
  kind: 'article',
  title: '东台市总工会开展送温暖活动',
  bodyHtml: '<p>慰问困难职工 <strong>120</strong> 户。</p><script>alert(1)</script><img src="x" onerror="alert(1)"><a href="javascript:alert(1)">点此</a>',
  targetOrgId: ids.dongtai,
  publishAt: t.clock.now().toISOString(),
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  ids.city = await orgIdByName(t, '盐城市总工会');
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  const dongtaiUnion = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  const sheyangPath = (await t.db.selectFrom('orgs').select('path').where('id', '=', ids.sheyang).executeTakeFirstOrThrow()).path;
  const sheyangUnion = (
    await t.db.selectFrom('orgs').select('id').where('path', 'like', `${sheyangPath}%`).where('type', '=', 'grassroots').orderBy('id').executeTakeFirstOrThrow()
  ).id;
  as.dongtaiWorker = (await makeMember(t, dongtaiUnion, 7101)).worker;
  as.sheyangWorker = (await makeMember(t, sheyangUnion, 7102)).worker;
  as.guest = await t.workerLogin('13700007101'); // signed in, no membership
  for (const u of ['county_admin', 'sheyang_admin', 'city_admin', 'grassroots_admin']) as[u] = await t.login(u);
});
afterAll(async () => t?.close());

describe('news for workers', () => {
  it('a county article: sanitised, on its workers’ home and list, not on another county’s', async () => {
    const made = await as.county_admin!.post('/api/news', article());
    expect(made.statusCode, made.body).toBe(200);
    ids.article = made.json().id;
    expect(made.json()).toMatchObject({ status: 'published', statusLabel: '已发布', targetName: '东台市总工会', orgName: '东台市总工会' });
    const detail = (await as.county_admin!.get(`/api/news/${ids.article}`)).json();
    expect(detail.bodyHtml).toBe('<p>慰问困难职工 <strong>120</strong> 户。</p><a>点此</a>');
    expect(detail.summary).toBe('慰问困难职工 120 户。 点此');

    const home = (await as.dongtaiWorker!.get('/api/worker/news/home')).json();
    expect(home.articles.map((a: { id: string }) => a.id)).toContain(ids.article);
    expect((await as.sheyangWorker!.get('/api/worker/news/home')).json().articles.map((a: { id: string }) => a.id)).not.toContain(ids.article);
    expect((await as.sheyangWorker!.get(`/api/worker/news/${ids.article}`)).statusCode).toBe(404);
    expect((await as.guest!.get(`/api/worker/news/${ids.article}`)).statusCode).toBe(404);
    const list = (await as.dongtaiWorker!.get('/api/worker/news?kind=article')).json();
    expect(list.items[0]).toMatchObject({ id: ids.article, orgName: '东台市总工会' });
  });

  it('counts each worker’s first reading once', async () => {
    const first = await as.dongtaiWorker!.get(`/api/worker/news/${ids.article}`);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ readCount: 1, bodyHtml: '<p>慰问困难职工 <strong>120</strong> 户。</p><a>点此</a>' });
    expect((await as.dongtaiWorker!.get(`/api/worker/news/${ids.article}`)).json().readCount).toBe(1);
    expect((await as.county_admin!.get(`/api/news/${ids.article}`)).json().readCount).toBe(1);
  });

  it('city-wide items reach every worker, members or not', async () => {
    const city = await as.city_admin!.post('/api/news', article({ title: '全市职工技能大赛启动', targetOrgId: ids.city }));
    expect(city.statusCode, city.body).toBe(200);
    for (const w of ['dongtaiWorker', 'sheyangWorker', 'guest']) {
      expect(
        (await as[w]!.get('/api/worker/news/home')).json().articles.map((a: { id: string }) => a.id),
        w,
      ).toContain(city.json().id);
    }
    // The guest (no membership) does not see the county's.
    expect((await as.guest!.get('/api/worker/news/home')).json().articles.map((a: { id: string }) => a.id)).not.toContain(ids.article);
  });

  it('scheduled publishing follows the clock; a draft is never shown', async () => {
    const at = new Date(t.clock.now().getTime() + 2 * HOUR).toISOString();
    const s = await as.county_admin!.post('/api/news', article({ title: '定时发布的资讯', publishAt: at }));
    expect(s.json()).toMatchObject({ status: 'scheduled', publishAt: at });
    const draft = await as.county_admin!.post('/api/news', article({ title: '草稿资讯', publishAt: null }));
    expect(draft.json().status).toBe('draft');
    const seen = async () => (await as.dongtaiWorker!.get('/api/worker/news?kind=article')).json().items.map((a: { title: string }) => a.title) as string[];
    expect(await seen()).not.toContain('定时发布的资讯');
    expect((await as.dongtaiWorker!.get(`/api/worker/news/${s.json().id}`)).statusCode).toBe(404);
    t.clock.advance(2 * HOUR + 1000);
    for (const u of ['county_admin', 'sheyang_admin', 'city_admin', 'grassroots_admin']) as[u] = await t.login(u);
    expect(await seen()).toContain('定时发布的资讯');
    expect(await seen()).not.toContain('草稿资讯');
    expect((await as.county_admin!.get(`/api/news/${s.json().id}`)).json().status).toBe('published');
    expect((await as.county_admin!.get('/api/news?status=draft')).json().items.map((n: { title: string }) => n.title)).toEqual(['草稿资讯']);
  });

  it('withdrawal takes an item off the H5 (with confirmation of the version); it cannot then be edited', async () => {
    const d = (await as.county_admin!.get(`/api/news/${ids.article}`)).json();
    const w = await as.county_admin!.post(`/api/news/${ids.article}/withdraw`, { reason: '内容需更新', version: d.version });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json()).toMatchObject({ status: 'withdrawn', withdrawReason: '内容需更新' });
    expect((await as.dongtaiWorker!.get(`/api/worker/news/${ids.article}`)).statusCode).toBe(404);
    const edit = await as.county_admin!.patch(`/api/news/${ids.article}`, { ...article(), version: w.json().version });
    expect(edit.statusCode).toBe(409);
    expect((await as.county_admin!.post(`/api/news/${ids.article}/withdraw`, { reason: '再撤一次', version: w.json().version })).statusCode).toBe(409);
  });

  it('banners need an image, served by its token; 服务推荐 need a link', async () => {
    expect((await as.county_admin!.post('/api/news', article({ kind: 'banner', title: '无图横幅', bodyHtml: '' }))).json().error.fields.coverFileId).toBe(
      '横幅需要一张图片',
    );
    expect((await as.county_admin!.post('/api/news', article({ kind: 'service', title: '无链接服务', bodyHtml: '' }))).json().error.fields.link).toContain(
      '链接',
    );
    const img = await as.county_admin!.request({
      method: 'POST',
      url: '/api/news/images?name=banner.png',
      headers: { 'content-type': 'application/octet-stream' },
      payload: PNG,
    });
    expect(img.statusCode, img.body).toBe(200);
    expect(img.json().url).toMatch(/^\/api\/public\/news-images\/[A-Za-z0-9_-]{32}$/);
    const pdf = await as.county_admin!.request({
      method: 'POST',
      url: '/api/news/images',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('%PDF-1.4'),
    });
    expect(pdf.statusCode).toBe(400);
    const banner = await as.county_admin!.post(
      '/api/news',
      article({ kind: 'banner', title: '东台职工服务月', bodyHtml: '', coverFileId: img.json().id, link: '#/services' }),
    );
    expect(banner.statusCode, banner.body).toBe(200);
    const home = (await as.dongtaiWorker!.get('/api/worker/news/home')).json();
    expect(home.banners[0]).toMatchObject({ title: '东台职工服务月', imageUrl: img.json().url, link: '#/services' });
    const served = await t.anonymous.get(img.json().url);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect((await t.anonymous.get('/api/public/news-images/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);
    // Another union's image cannot be a cover.
    const other = await as.sheyang_admin!.post(
      '/api/news',
      article({ kind: 'banner', title: '借用图片', targetOrgId: ids.sheyang, coverFileId: img.json().id }),
    );
    expect(other.json().error.fields.coverFileId).toBe('图片不存在，请重新上传');
    // An article image in the body survives the allowlist.
    const withImg = await as.county_admin!.post('/api/news', article({ title: '带图资讯', bodyHtml: `<p>图</p><img src="${img.json().url}" alt="现场">` }));
    expect((await as.county_admin!.get(`/api/news/${withImg.json().id}`)).json().bodyHtml).toBe(`<p>图</p><img src="${img.json().url}" alt="现场">`);
  });

  it('the preview applies the server’s allowlist', async () => {
    const p = await as.county_admin!.post('/api/news/preview', { bodyHtml: '<h2 onclick="x()">题</h2><style>p{}</style>' });
    expect(p.json()).toEqual({ html: '<h2>题</h2>' });
  });

  it('another county: 404 on every item route, nothing in its list; a target outside the subtree is 404; anonymous 401', async () => {
    const sy = as.sheyang_admin!;
    expect((await sy.get(`/api/news/${ids.article}`)).statusCode).toBe(404);
    expect((await sy.patch(`/api/news/${ids.article}`, { ...article(), version: 1 })).statusCode).toBe(404);
    expect((await sy.post(`/api/news/${ids.article}/withdraw`, { reason: '越权撤回', version: 1 })).statusCode).toBe(404);
    expect((await sy.get('/api/news?pageSize=200')).json().items.some((n: { orgName: string }) => n.orgName === '东台市总工会')).toBe(false);
    expect((await as.county_admin!.post('/api/news', article({ targetOrgId: ids.sheyang }))).statusCode).toBe(404);
    for (const url of ['/api/news', `/api/news/${ids.article}`, '/api/worker/news/home', `/api/worker/news/${ids.article}`]) {
      expect((await t.anonymous.get(url)).statusCode, url).toBe(401);
    }
  });

  it('writes audit rows in words', async () => {
    const rows = await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'news.%').execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['news.create', 'news.update', 'news.withdraw', 'news.image_upload']) {
      if (a === 'news.update') continue; // the edit above was refused; a real edit is below
      expect(actions.has(a), a).toBe(true);
      expect(auditActionLabel(a)).not.toBe(a);
    }
    const d = (await as.county_admin!.get('/api/news?status=draft')).json().items[0];
    const full = (await as.county_admin!.get(`/api/news/${d.id}`)).json();
    const e = await as.county_admin!.patch(`/api/news/${d.id}`, { ...article({ title: '草稿改名', publishAt: null }), version: full.version });
    expect(e.statusCode, e.body).toBe(200);
    expect(e.json().title).toBe('草稿改名');
    expect((await t.db.selectFrom('audit_log').select('action').where('action', '=', 'news.update').execute()).length).toBe(1);
    expect(auditActionLabel('news.update')).toBe('修改资讯');
  });
});
