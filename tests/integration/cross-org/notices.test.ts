// 通知公告 and 资讯: 东台 staff never reach a notice 射阳 sent to its towns (detail, table, 回执,
// reminders, files) nor 射阳's news; a 东台 worker never reads 射阳's news.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { makeMember } from '../../support/members.js';

const PDF = Buffer.from('%PDF-1.4\n射阳附件\n');
let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  ids.city = await orgIdByName(t, '盐城市总工会');
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  const sy = await t.login('sheyang_admin');
  const city = await t.login('city_admin');
  as.county = await t.login('county_admin');
  const att = await sy.request({
    method: 'POST',
    url: '/api/notices/attachments?name=a.pdf',
    headers: { 'content-type': 'application/octet-stream' },
    payload: PDF,
  });
  ids.file = att.json().id;
  const n = await sy.post('/api/notices', {
    title: '射阳独有通知',
    body: '射阳县各镇区。',
    audience: { roots: [{ orgId: ids.sheyang, types: ['town'] }] },
    attachmentIds: [ids.file],
    receipt: { deadline: new Date(t.clock.now().getTime() + 86_400_000).toISOString() },
  });
  expect(n.statusCode, n.body).toBe(200);
  ids.notice = n.json().id;
  // 东台's own lists are not empty: a notice from the city, one it sends, its own news.
  expect(
    (await city.post('/api/notices', { title: '市总通知', body: '各县。', audience: { roots: [{ orgId: ids.city, types: ['county'] }] } })).statusCode,
  ).toBe(200);
  expect(
    (await as.county.post('/api/notices', { title: '东台通知', body: '各镇。', audience: { roots: [{ orgId: ids.dongtai, types: ['town'] }] } })).statusCode,
  ).toBe(200);
  const now = t.clock.now().toISOString();
  const news = await sy.post('/api/news', { kind: 'article', title: '射阳独有资讯', bodyHtml: '<p>射阳</p>', targetOrgId: ids.sheyang, publishAt: now });
  expect(news.statusCode, news.body).toBe(200);
  ids.news = news.json().id;
  expect(
    (await as.county.post('/api/news', { kind: 'article', title: '东台资讯', bodyHtml: '<p>东台</p>', targetOrgId: ids.dongtai, publishAt: now })).statusCode,
  ).toBe(200);
  const dongtaiUnion = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  as.worker = (await makeMember(t, dongtaiUnion, 7201)).worker;
});
afterAll(async () => t?.close());

describe('notices and news: 东台 never reaches 射阳’s', () => {
  crossOrgCases(() => as, {
    'GET /api/notices/received': { kind: 'list', as: 'county', url: () => '/api/notices/received?pageSize=200', mustNotContain: () => '射阳独有通知' },
    'GET /api/notices/unread-count': { kind: 'no-org-data', why: 'the caller’s own union’s count' },
    'GET /api/notices/sent': { kind: 'list', as: 'county', url: () => '/api/notices/sent?pageSize=200', mustNotContain: () => '射阳独有通知' },
    'POST /api/notices/audience-preview': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/notices/audience-preview', body: { audience: { roots: [{ orgId: ids.sheyang, types: ['town'] }] } } }),
    },
    'POST /api/notices': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/notices', body: { title: '越权通知', body: 'x', audience: { orgIds: [ids.sheyang] } } }),
    },
    'GET /api/notices/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/notices/${ids.notice}` }) },
    'GET /api/notices/:id/recipients': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/notices/${ids.notice}/recipients` }) },
    'POST /api/notices/:id/reply': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/notices/${ids.notice}/reply`, body: { text: '越权回执' } }),
    },
    'POST /api/notices/:id/remind': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/notices/${ids.notice}/remind`, body: { which: 'unread' } }),
    },
    'POST /api/notices/:id/withdraw': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/notices/${ids.notice}/withdraw`, body: { reason: '越权撤回' } }),
    },
    'GET /api/notices/:id/files/:fileId': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/notices/${ids.notice}/files/${ids.file}` }),
    },
    'POST /api/notices/attachments': { kind: 'no-org-data', why: 'the caller’s own upload, usable only by its uploader (notices.test.ts)' },
    'POST /api/notices/reply-files': { kind: 'no-org-data', why: 'the caller’s own upload, usable only by its uploader' },
    'POST /api/news/images': { kind: 'no-org-data', why: 'the caller’s own upload; a cover must be of the caller’s union (news.test.ts)' },
    'GET /api/news/dictionary': { kind: 'no-org-data', why: 'labels only' },
    'POST /api/news/preview': { kind: 'no-org-data', why: 'sanitises the HTML sent, stores nothing' },
    'GET /api/news': { kind: 'list', as: 'county', url: () => '/api/news?pageSize=200', mustNotContain: () => '射阳独有资讯' },
    'POST /api/news': {
      kind: 'by-id',
      as: 'county',
      request: () => ({
        method: 'POST',
        url: '/api/news',
        body: { kind: 'article', title: '越权资讯', bodyHtml: '<p>x</p>', targetOrgId: ids.sheyang, publishAt: null },
      }),
    },
    'GET /api/news/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/news/${ids.news}` }) },
    'PATCH /api/news/:id': {
      kind: 'by-id',
      as: 'county',
      request: () => ({
        method: 'PATCH',
        url: `/api/news/${ids.news}`,
        body: { kind: 'article', title: '越权修改', bodyHtml: '<p>x</p>', targetOrgId: ids.dongtai, publishAt: null, version: 1 },
      }),
    },
    'POST /api/news/:id/withdraw': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/news/${ids.news}/withdraw`, body: { reason: '越权撤回', version: 1 } }),
    },
    'GET /api/public/news-images/:token': { kind: 'no-org-data', why: 'published article images by an unguessable token (news.test.ts)' },
    'GET /api/worker/news/home': { kind: 'no-org-data', why: 'the worker’s own union chain (checked below)' },
    'GET /api/worker/news': { kind: 'list', as: 'worker', url: () => '/api/worker/news?pageSize=200', mustNotContain: () => '射阳独有资讯' },
    'GET /api/worker/news/:id': { kind: 'by-id', as: 'worker', request: () => ({ method: 'GET', url: `/api/worker/news/${ids.news}` }) },
  });

  it('the 东台 worker’s home holds 东台’s news and not 射阳’s', async () => {
    const home = await as.worker!.get('/api/worker/news/home');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('东台资讯');
    expect(home.body).not.toContain('射阳独有资讯');
  });
});
