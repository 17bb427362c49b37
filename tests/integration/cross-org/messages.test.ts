// Messages are the recipient's own: another worker or another account gets 404 or sees nothing.
import { afterAll, beforeAll, describe } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { makeMember } from '../../support/members.js';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  // A 射阳 grassroots union (a county union takes no members through the H5): joining leaves a message.
  const sheyang = await orgIdByName(t, '射阳县总工会');
  const union = await t.db
    .selectFrom('orgs')
    .select('id')
    .where('path', 'like', `%/${sheyang}/%`)
    .where('type', '=', 'grassroots')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const m = await makeMember(t, union.id, 1702);
  ids.workerMessage = (await m.worker.get('/api/worker/messages')).json().items[0].id;
  const sheyangAdmin = await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'sheyang_admin').executeTakeFirstOrThrow();
  await t.services.messages.send(t.db, { accountId: sheyangAdmin.id }, { title: '射阳待办', body: '射阳', category: 'system' });
  ids.staffMessage = (await t.db.selectFrom('messages').select('id').where('account_id', '=', sheyangAdmin.id).executeTakeFirstOrThrow()).id;
  as.otherWorker = await t.workerLogin('13700001702');
  as.county = await t.login('county_admin');
});
afterAll(async () => t?.close());

describe('messages: only the recipient', () => {
  crossOrgCases(() => as, {
    'GET /api/worker/messages': { kind: 'no-org-data', why: 'only the worker’s own messages (messages.test.ts: another worker sees none)' },
    'GET /api/worker/messages/unread-count': { kind: 'no-org-data', why: 'only the worker’s own count' },
    'POST /api/worker/messages/:id/read': {
      kind: 'by-id',
      as: 'otherWorker',
      request: () => ({ method: 'POST', url: `/api/worker/messages/${ids.workerMessage}/read`, body: {} }),
    },
    'POST /api/worker/messages/read-all': { kind: 'no-org-data', why: 'marks only the worker’s own messages' },
    'GET /api/messages': { kind: 'no-org-data', why: 'only the account’s own inbox' },
    'GET /api/messages/unread-count': { kind: 'no-org-data', why: 'only the account’s own count' },
    'POST /api/messages/:id/read': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/messages/${ids.staffMessage}/read`, body: {} }),
    },
    'POST /api/messages/read-all': { kind: 'no-org-data', why: 'marks only the account’s own messages' },
  });
});
