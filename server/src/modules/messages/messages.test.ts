// The message centre: workers and staff see only their own messages, unread counts, mark read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember, type TestMember } from '../../../../tests/support/members.js';

let t: TestApp;
let member: TestMember;
let other: Client;
let county: Client;

beforeAll(async () => {
  t = await createTestApp();
  // A grassroots union (a county union takes no members through the H5): joining leaves messages.
  const enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  member = await makeMember(t, enterprise, 1701);
  other = await t.workerLogin('13700001701');
  county = await t.login('county_admin');
});
afterAll(async () => t?.close());

describe('worker messages', () => {
  it('joining left unread messages; marking one read lowers the count, read-all clears it', async () => {
    const list = (await member.worker.get('/api/worker/messages')).json();
    const n = list.total as number;
    expect(n).toBeGreaterThanOrEqual(1);
    expect(list.unread).toBe(n);
    expect(list.items[0]).toMatchObject({ category: 'join', read: false, link: '/h5/#/join/status' });
    expect(list.items[0].title).toContain('通过');
    expect((await member.worker.get('/api/worker/messages/unread-count')).json()).toEqual({ unread: n });
    expect((await member.worker.post(`/api/worker/messages/${list.items[0].id}/read`)).statusCode).toBe(200);
    expect((await member.worker.get('/api/worker/messages/unread-count')).json()).toEqual({ unread: n - 1 });
    expect((await member.worker.post('/api/worker/messages/read-all')).json()).toEqual({ ok: true, marked: n - 1 });
    expect((await member.worker.get('/api/worker/messages?unreadOnly=true')).json().items).toEqual([]);
  });

  it('another worker cannot read or mark it (404) and sees none', async () => {
    const id = (await member.worker.get('/api/worker/messages')).json().items[0].id;
    expect((await other.post(`/api/worker/messages/${id}/read`)).statusCode).toBe(404);
    expect((await other.get('/api/worker/messages')).json()).toMatchObject({ total: 0, unread: 0, items: [] });
  });
});

describe('staff messages', () => {
  it('staff get their own inbox; read-all marks every unread one', async () => {
    const account = await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'county_admin').executeTakeFirstOrThrow();
    for (const title of ['待办一', '待办二'])
      await t.services.messages.send(
        t.db,
        { accountId: account.id },
        { title, body: '有新的服务申请待处理', link: '/admin/#/work-queue', category: 'application' },
      );
    expect((await county.get('/api/messages/unread-count')).json()).toEqual({ unread: 2 });
    const r = await county.post('/api/messages/read-all');
    expect(r.json()).toEqual({ ok: true, marked: 2 });
    const list = (await county.get('/api/messages?pageSize=1')).json();
    expect(list).toMatchObject({ total: 2, unread: 0 });
    expect(list.items).toHaveLength(1);
    // Another account's message is not reachable.
    const city = await t.login('city_admin');
    expect((await city.post(`/api/messages/${list.items[0].id}/read`)).statusCode).toBe(404);
  });
});
