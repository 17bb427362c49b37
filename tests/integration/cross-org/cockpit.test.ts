// 数据大屏 feed: 东台 staff asking for 射阳's feed get 404.
import { afterAll, beforeAll, describe } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';

let t: TestApp;
const as: Record<string, Client> = {};
let sheyang = '';

beforeAll(async () => {
  t = await createTestApp();
  as.county = await t.login('county_admin');
  sheyang = await orgIdByName(t, '射阳县总工会');
});
afterAll(async () => t?.close());

describe('cockpit: another county’s feed', () => {
  crossOrgCases(() => as, {
    'GET /api/cockpit/feed': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/cockpit/feed?orgId=${sheyang}` }) },
  });
});
