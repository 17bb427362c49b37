// The worker's own H5 (issue 11): a worker reaches only their own account and roll record; staff
// review the change requests of unions in their scope (东台市 staff get 404 for 射阳县's).
import { afterAll, beforeAll, describe } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { makeMember } from '../../support/members.js';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const sheyang = await orgIdByName(t, '射阳县总工会');
  const union = await t.db
    .selectFrom('orgs')
    .select('id')
    .where('path', 'like', `%/${sheyang}/%`)
    .where('type', '=', 'grassroots')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const m = await makeMember(t, union.id, 1760, { name: '射阳变更' });
  ids.change = (await m.worker.post('/api/worker/profile/changes', { address: '射阳县某路 1 号' })).json().id;
  // One in 东台市 too, so the county's list is not empty by accident.
  const dongtai = await orgIdByName(t, '东台市总工会');
  const dtUnion = await t.db.selectFrom('orgs').select('id').where('path', 'like', `%/${dongtai}/%`).where('type', '=', 'grassroots').orderBy('id').executeTakeFirstOrThrow();
  const d = await makeMember(t, dtUnion.id, 1761, { name: '东台变更' });
  await d.worker.post('/api/worker/profile/changes', { address: '东台市某路 1 号' });
  as.otherWorker = await t.workerLogin('13700001760');
  as.county = await t.login('county_admin');
});
afterAll(async () => t?.close());

describe('the worker’s own H5: only one’s own; change requests by scope', () => {
  crossOrgCases(() => as, {
    'GET /api/session/worker': { kind: 'no-org-data', why: 'answers only about the caller’s own cookie' },
    'GET /api/session/staff': { kind: 'no-org-data', why: 'answers only about the caller’s own cookie' },
    'GET /api/worker/state': { kind: 'no-org-data', why: 'the session’s own worker (profile.test.ts)' },
    'GET /api/worker/profile': { kind: 'no-org-data', why: 'the person linked to the session’s worker only' },
    'POST /api/worker/profile/phone-code': { kind: 'no-org-data', why: 'a code bound to the session’s worker (profile.test.ts: another account’s code fails)' },
    'POST /api/worker/profile/phone': { kind: 'no-org-data', why: 'changes only the session’s worker and its linked person' },
    'GET /api/worker/profile/changes': { kind: 'no-org-data', why: 'the worker’s own requests' },
    'POST /api/worker/profile/changes': { kind: 'no-org-data', why: 'files for the session’s own person; the body names no person' },
    'POST /api/worker/profile/changes/:id/withdraw': {
      kind: 'by-id',
      as: 'otherWorker',
      request: () => ({ method: 'POST', url: `/api/worker/profile/changes/${ids.change}/withdraw`, body: {} }),
    },
    'POST /api/worker/account/close': { kind: 'no-org-data', why: 'closes only the session’s own account' },
    'POST /api/worker/membership/claim': { kind: 'no-org-data', why: 'the person the session’s own SMS-proven phone finds; the body names no person (typed-phones-claim.test.ts)' },
    'GET /api/member-change-requests': { kind: 'list', as: 'county', url: () => '/api/member-change-requests?status=pending', mustNotContain: () => '射阳变更' },
    'POST /api/member-change-requests/:id/review': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/member-change-requests/${ids.change}/review`, body: { decision: 'approve', version: 1 } }),
    },
  });
});
