// Service catalogue and applications: 射阳's service type, application, attachment and lottery
// draw are invisible to 东台 staff (404 / not listed); a worker's applications and uploads are
// invisible to another worker.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { makeMember } from '../../support/members.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

async function upload(w: Client) {
  const r = await w.request({ method: 'POST', url: '/api/worker/attachments?name=p.png', payload: PNG, headers: { 'content-type': 'image/png' } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json().id as string;
}

/** A member applies for 求学圆梦 and for 困难帮扶; the first step approves the 求学圆梦 one; the county draws lots. */
async function seedLine(n: number, orgId: string, firstReviewer: Client, countyStaff: Client, countyId: string) {
  const m = await makeMember(t, orgId, n);
  const types = (await m.worker.get('/api/worker/services')).json().items as { id: string; code: string }[];
  const typeId = (code: string) => types.find((x) => x.code === code)!.id;
  const file = await upload(m.worker);
  const hardship = await m.worker.post('/api/worker/applications', {
    serviceTypeId: typeId('hardship_aid'),
    values: { category: '生活救助', amount: '1000', reason: '测试' },
    attachments: { proof: [file] },
    idempotencyKey: `xorg-hardship-${n}`,
  });
  expect(hardship.statusCode, hardship.body).toBe(200);
  const edu = await m.worker.post('/api/worker/applications', {
    serviceTypeId: typeId('education_dream'),
    values: { level: '大专', school: '盐城开放大学', major: '会计', tuition: '3000' },
    attachments: { admission: [await upload(m.worker)] },
    idempotencyKey: `xorg-edu-${n}`,
  });
  expect(edu.statusCode, edu.body).toBe(200);
  const ok = await firstReviewer.post(`/api/applications/${edu.json().id}/actions`, { action: 'approve', version: edu.json().version });
  expect(ok.statusCode, ok.body).toBe(200);
  const draw = await countyStaff.post('/api/lottery-draws', { serviceTypeId: typeId('education_dream'), stepKey: 'lottery', orgId: countyId });
  expect(draw.statusCode, draw.body).toBe(200);
  return { m, applicationId: hardship.json().id as string, attachmentId: file, drawId: draw.json().id as string, educationTypeId: typeId('education_dream') };
}

beforeAll(async () => {
  t = await createTestApp({ config: { dataDir: mkdtempSync(join(tmpdir(), 'gh-xorg-apps-')) } });
  const sheyangId = await orgIdByName(t, '射阳县总工会');
  const dongtaiId = await orgIdByName(t, '东台市总工会');
  const grassrootsOrg = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  const sheyang = await t.login('sheyang_admin');
  as.county = await t.login('county_admin');
  const grassroots = await t.login('grassroots_admin');

  // 射阳: its own service type, an application with an attachment, a lottery draw
  const type = await sheyang.post('/api/service-types', {
    code: 'sheyang_only_service',
    name: '射阳专属服务',
    category: '测试',
    applicantScope: 'worker',
    form: [{ key: 'note', label: '说明', type: 'text', required: false }],
    attachments: [],
    steps: [{ key: 'one', name: '县级办理', level: 'county', slaDays: 3, actions: ['approve', 'reject'] }],
  });
  expect(type.statusCode, type.body).toBe(200);
  ids.type = type.json().id;
  ids.typeVersion = String(type.json().version);
  ids.sheyangOrg = sheyangId;
  const s = await seedLine(2101, sheyangId, sheyang, sheyang, sheyangId);
  ids.application = s.applicationId;
  ids.sheyangMembership = s.m.membershipId;
  ids.attachment = s.attachmentId;
  ids.draw = s.drawId;
  ids.educationType = s.educationTypeId;
  // 东台: the same, so 东台's lists are not empty
  const d = await seedLine(2102, grassrootsOrg, grassroots, as.county, dongtaiId);
  as.otherWorker = d.m.worker;
});
afterAll(async () => t?.close());

describe('applications: another union or another worker', () => {
  crossOrgCases(() => as, {
    'GET /api/service-types/dictionary': { kind: 'no-org-data', why: 'labels only' },
    'GET /api/service-types': { kind: 'list', as: 'county', url: () => '/api/service-types', mustNotContain: () => 'sheyang_only_service' },
    'GET /api/service-types/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/service-types/${ids.type}` }) },
    'POST /api/service-types': {
      kind: 'by-id',
      as: 'county',
      request: () => ({
        method: 'POST',
        url: '/api/service-types',
        body: {
          code: 'dongtai_into_sheyang',
          name: '越权新建',
          category: '测试',
          applicantScope: 'worker',
          orgId: ids.sheyangOrg,
          form: [],
          attachments: [],
          steps: [{ key: 'one', name: '县级办理', level: 'county', slaDays: 3, actions: ['approve'] }],
        },
      }),
    },
    'PATCH /api/service-types/:id': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'PATCH', url: `/api/service-types/${ids.type}`, body: { version: Number(ids.typeVersion), name: '越权修改' } }),
    },
    'POST /api/service-types/:id/disable': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/service-types/${ids.type}/disable`, body: { version: Number(ids.typeVersion) } }),
    },
    'POST /api/service-types/:id/enable': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/service-types/${ids.type}/enable`, body: { version: Number(ids.typeVersion) } }),
    },
    'GET /api/worker/services': { kind: 'list', as: 'otherWorker', url: () => '/api/worker/services', mustNotContain: () => 'sheyang_only_service' },
    'GET /api/worker/services/:idOrCode': {
      kind: 'by-id',
      as: 'otherWorker',
      request: () => ({ method: 'GET', url: '/api/worker/services/sheyang_only_service' }),
    },
    'POST /api/worker/attachments': { kind: 'no-org-data', why: 'stores the caller’s own upload; reading another’s is the GET case' },
    'GET /api/worker/attachments/:id': {
      kind: 'by-id',
      as: 'otherWorker',
      request: () => ({ method: 'GET', url: `/api/worker/attachments/${ids.attachment}` }),
    },
    'POST /api/worker/applications': {
      kind: 'by-id',
      as: 'otherWorker',
      request: () => ({ method: 'POST', url: '/api/worker/applications', body: { serviceTypeId: ids.type, values: {}, idempotencyKey: 'xorg-steal-0001' } }),
    },
    'GET /api/worker/applications': { kind: 'no-org-data', why: 'only the worker’s own applications (applications.test.ts: another worker gets 404 by id)' },
    'GET /api/worker/applications/:id': {
      kind: 'by-id',
      as: 'otherWorker',
      request: () => ({ method: 'GET', url: `/api/worker/applications/${ids.application}` }),
    },
    'POST /api/worker/applications/:id/resubmit': {
      kind: 'by-id',
      as: 'otherWorker',
      request: () => ({ method: 'POST', url: `/api/worker/applications/${ids.application}/resubmit`, body: { version: 1, comment: '越权' } }),
    },
    'POST /api/worker/applications/:id/withdraw': {
      kind: 'by-id',
      as: 'otherWorker',
      request: () => ({ method: 'POST', url: `/api/worker/applications/${ids.application}/withdraw`, body: { version: 1 } }),
    },
    'GET /api/applications/queue': { kind: 'list', as: 'county', url: () => '/api/applications/queue?scope=subtree', mustNotContain: () => '射阳' },
    'GET /api/applications': { kind: 'list', as: 'county', url: () => '/api/applications?pageSize=200', mustNotContain: () => '射阳' },
    'POST /api/applications': {
      kind: 'by-id',
      as: 'county',
      request: () => ({
        method: 'POST',
        url: '/api/applications',
        body: { serviceTypeId: ids.educationType, membershipId: ids.sheyangMembership, values: {}, idempotencyKey: 'xorg-behalf-0001' },
      }),
    },
    'POST /api/applications/attachments': { kind: 'no-org-data', why: 'stores the caller’s own upload; only that account can attach it' },
    'GET /api/applications/export': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/applications/export?orgId=${ids.sheyangOrg}` }),
    },
    'GET /api/applications/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/applications/${ids.application}` }) },
    'GET /api/applications/:id/attachments/:attachmentId': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/applications/${ids.application}/attachments/${ids.attachment}` }),
    },
    'POST /api/applications/:id/actions': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/applications/${ids.application}/actions`, body: { action: 'approve', version: 1 } }),
    },
    'POST /api/applications/batch-approve': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/applications/batch-approve', body: { items: [{ id: ids.application, version: 1 }] } }),
    },
    'POST /api/lottery-draws': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: '/api/lottery-draws', body: { serviceTypeId: ids.educationType, stepKey: 'lottery', orgId: ids.sheyangOrg } }),
    },
    'GET /api/lottery-draws': { kind: 'list', as: 'county', url: () => '/api/lottery-draws', mustNotContain: () => '射阳' },
    'GET /api/lottery-draws/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/lottery-draws/${ids.draw}` }) },
    'GET /api/orgs/:id/application-figures': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/orgs/${ids.sheyangOrg}/application-figures` }),
    },
  });
});
