// Figures are scoped like the rows they count: staff of 东台市 asking for 射阳县's figures get 404,
// and the city's comparison of counties is not theirs to read.
import { afterAll, beforeAll, describe } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';

let t: TestApp;
const as: Record<string, Client> = {};
let sheyang = '';
let city = '';

beforeAll(async () => {
  t = await createTestApp();
  as.county = await t.login('county_admin');
  sheyang = (await t.db.selectFrom('orgs').select('id').where('name', '=', '射阳县总工会').executeTakeFirstOrThrow()).id;
  city = (await t.db.selectFrom('orgs').select('id').where('type', '=', 'city').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

describe('stats: another county’s figures', () => {
  crossOrgCases(() => as, {
    'GET /api/stats/indicators': { kind: 'no-org-data', why: 'the catalogue: codes, names and definitions of the indicators, no figures' },
    'GET /api/stats/overview': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/stats/overview?orgId=${sheyang}` }) },
    'GET /api/stats/indicators/:code': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/stats/indicators/members.live?orgId=${city}` }),
    },
  });
});
