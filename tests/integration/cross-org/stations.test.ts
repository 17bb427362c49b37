// 阵地: staff of 东台 never reach a 射阳 site (read, edit, inspect, rate, log services, QR) nor its figures;
// workers see operating sites of any union (a public service map) but never a site in 筹建 or 撤销.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JPEG_48x32 } from '../../support/images.js';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { makeMember } from '../../support/members.js';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};
const ALL_DAY = { allDay: true, days: Array(7).fill(null) };

beforeAll(async () => {
  t = await createTestApp({ config: { dataDir: mkdtempSync(join(tmpdir(), 'gonghui-stations-xorg-')) } });
  ids.sheyangOrg = await orgIdByName(t, '射阳县总工会');
  const sy = await t.login('sheyang_admin');
  as.county = await t.login('county_admin');
  const made = await sy.post('/api/stations', {
    orgId: ids.sheyangOrg,
    type: 'driver',
    name: '射阳独有司机之家',
    address: '射阳县某路 8 号',
    longitude: 120.26,
    latitude: 33.77,
    hours: ALL_DAY,
    facilities: ['water'],
  });
  expect(made.statusCode, made.body).toBe(200);
  ids.station = made.json().id;
  const own = await as.county.post('/api/stations', {
    orgId: await orgIdByName(t, '东台市总工会'),
    type: 'home',
    name: '东台职工之家',
    address: '东台市某路 1 号',
    longitude: 120.32,
    latitude: 32.86,
    hours: ALL_DAY,
    facilities: ['water'],
  });
  expect(own.statusCode, own.body).toBe(200);
  as.worker = (await makeMember(t, await orgIdByName(t, '东台市总工会'), 5450)).worker;
  // a 射阳 site photo, an inspection (a failed 验收) with its photo, a 维权咨询 logged at the site
  const photo = (url: string) => sy.request({ method: 'POST', url, payload: JPEG_48x32, headers: { 'content-type': 'application/octet-stream' } });
  const sitePhoto = await photo(`/api/stations/${ids.station}/photos`);
  expect(sitePhoto.statusCode, sitePhoto.body).toBe(200);
  ids.photo = sitePhoto.json().id;
  ids.inspection = (await sy.post(`/api/stations/${ids.station}/acceptance`, { inspector: '射阳验收组' })).json().id;
  ids.inspectionPhoto = (await photo(`/api/stations/${ids.station}/inspections/${ids.inspection}/photos`)).json().id;
  const consult = await sy.post(`/api/stations/${ids.station}/services`, {
    service: 'consult',
    consultation: { topic: 'pay', name: '射阳职工', summary: '射阳的咨询' },
  });
  expect(consult.statusCode, consult.body).toBe(200);
  ids.consultation = consult.json().consultation.id;
});
afterAll(async () => t?.close());

describe('stations: 东台 staff never reach 射阳 sites', () => {
  crossOrgCases(() => as, {
    'GET /api/stations/dictionary': { kind: 'no-org-data', why: 'labels only' },
    'GET /api/stations/map-config': { kind: 'no-org-data', why: 'public: the tile server template (or none)' },
    'GET /api/stations': { kind: 'list', as: 'county', url: () => '/api/stations?pageSize=200', mustNotContain: () => '射阳独有司机之家' },
    'POST /api/stations': {
      kind: 'by-id',
      as: 'county',
      request: () => ({
        method: 'POST',
        url: '/api/stations',
        body: { orgId: ids.sheyangOrg, type: 'home', name: '越权登记', address: '射阳', longitude: 120.2, latitude: 33.7, hours: ALL_DAY, facilities: [] },
      }),
    },
    'GET /api/stations/map': { kind: 'list', as: 'county', url: () => '/api/stations/map', mustNotContain: () => '射阳独有司机之家' },
    'GET /api/stations/standards': { kind: 'no-org-data', why: 'city-wide standards, no site data' },
    'PUT /api/stations/standards/:type': { kind: 'no-org-data', why: 'city-wide; only the city union may edit (stations.test.ts: county → 403)' },
    'GET /api/stations/:id': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/stations/${ids.station}` }) },
    'PATCH /api/stations/:id': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'PATCH', url: `/api/stations/${ids.station}`, body: { name: '改名', version: 1 } }),
    },
    'POST /api/stations/:id/acceptance': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/stations/${ids.station}/acceptance`, body: { inspector: '越权验收' } }),
    },
    'POST /api/stations/:id/ratings': {
      kind: 'by-id',
      as: 'county',
      request: () => ({
        method: 'POST',
        url: `/api/stations/${ids.station}/ratings`,
        body: { year: 2026, inspector: '越权评定', scores: [{ code: 'place', score: 1 }] },
      }),
    },
    'POST /api/stations/:id/services': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/stations/${ids.station}/services`, body: { service: 'water', count: 1 } }),
    },
    'POST /api/stations/:id/card-checkin': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/stations/${ids.station}/card-checkin`, body: { token: 'AAAAAAAAAAAAAAAA' } }),
    },
    'POST /api/stations/:id/photos': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/stations/${ids.station}/photos`, body: JPEG_48x32 }),
    },
    'POST /api/stations/:id/inspections/:inspectionId/photos': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'POST', url: `/api/stations/${ids.station}/inspections/${ids.inspection}/photos`, body: JPEG_48x32 }),
    },
    'GET /api/stations/:id/photos': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/stations/${ids.station}/photos` }) },
    'GET /api/stations/:id/photos/:photoId': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/stations/${ids.station}/photos/${ids.photo}?size=thumb` }),
    },
    'DELETE /api/stations/:id/photos/:photoId': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'DELETE', url: `/api/stations/${ids.station}/photos/${ids.photo}` }),
    },
    // workers see the photos of operating / paused sites only, and never an inspection's
    'GET /api/worker/stations/:id/photos/:photoId': {
      kind: 'by-id',
      as: 'worker',
      request: () => ({ method: 'GET', url: `/api/worker/stations/${ids.station}/photos/${ids.inspectionPhoto}` }),
    },
    'GET /api/stations/consultations/:id': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/stations/consultations/${ids.consultation}` }),
    },
    'GET /api/stations/:id/qr': { kind: 'by-id', as: 'county', request: () => ({ method: 'GET', url: `/api/stations/${ids.station}/qr` }) },
    'GET /api/orgs/:id/station-figures': {
      kind: 'by-id',
      as: 'county',
      request: () => ({ method: 'GET', url: `/api/orgs/${ids.sheyangOrg}/station-figures` }),
    },
    'GET /api/stations/export.xlsx': { kind: 'no-org-data', why: 'the list in scope as .xlsx (the scope is the list query: see GET /api/stations)' },
    'GET /api/stations/template.xlsx': { kind: 'no-org-data', why: 'an empty template' },
    'POST /api/stations/import': { kind: 'no-org-data', why: 'rows naming a union outside scope are refused row by row (stations.test.ts)' },
    // worker: the map is public to signed-in workers, but only operating / paused sites
    'GET /api/worker/stations/nearby': { kind: 'no-org-data', why: 'operating sites of every union: a public service map (筹建/撤销 never shown, below)' },
    'GET /api/worker/stations/towns': { kind: 'no-org-data', why: 'town names and coordinates' },
    'GET /api/worker/stations/:id': { kind: 'by-id', as: 'worker', request: () => ({ method: 'GET', url: `/api/worker/stations/${ids.station}` }) },
    'POST /api/worker/stations/checkin': { kind: 'no-org-data', why: 'needs the site’s signed QR token (forged tokens refused in stations.test.ts)' },
  });

  it('the export in scope does not hold 射阳 sites', async () => {
    const res = await as.county!.get('/api/stations/export.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.includes(Buffer.from('射阳独有司机之家'))).toBe(false);
  });
});
