// 阵地 photos, card scans and 维权咨询 service records (issue 14 items 1–3): photos are checked by their
// bytes, thumbnailed upright, capped per site, shown to workers only for the site itself (never the
// inspections'), deleted from the store with the row; inspection photos stay with their record; a card
// scan typed by a USB scanner (the card's verify link) counts a visit; a 维权咨询 becomes a
// consultation of the site's union (channel 驿站), linked both ways.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember } from '../../../../tests/support/members.js';
import { JPEG_48x32, jpegWithOrientation, pngOf } from '../../../../tests/support/images.js';
import { localFilesRoot } from '../applications/applications.files.js';
import { PHOTO_LIMITS } from './stations.photos.js';
import { cardTokenOf } from './stations.records.js';

let t: TestApp;
let dataDir: string;
let county: Client;
let worker: Client;
let dongtai: string;
const ALL_DAY = { allDay: true, days: Array(7).fill(null) };
const FACILITIES = ['water', 'microwave', 'charging', 'toilet', 'seats', 'truck_parking'];

async function makeSite(name: string, accept = true) {
  const made = await county.post('/api/stations', {
    orgId: dongtai,
    type: 'driver',
    name,
    address: '东台市某路 9 号',
    longitude: 120.41,
    latitude: 32.81,
    hours: ALL_DAY,
    facilities: FACILITIES,
  });
  expect(made.statusCode, made.body).toBe(200);
  const id = made.json().id as string;
  if (accept) expect((await county.post(`/api/stations/${id}/acceptance`, { inspector: '李验收' })).json().passed).toBe(true);
  return id;
}
const upload = (c: Client, url: string, buf: Buffer) =>
  c.request({ method: 'POST', url, payload: buf, headers: { 'content-type': 'application/octet-stream' } });
const audits = (action: string, targetId: string) =>
  t.db.selectFrom('audit_log').select(['action', 'outcome', 'detail']).where('action', '=', action).where('target_id', '=', targetId).execute();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gonghui-station-photos-'));
  t = await createTestApp({ config: { dataDir } });
  dongtai = await orgIdByName(t, '东台市总工会');
  county = await t.login('county_admin');
  worker = (await makeMember(t, dongtai, 5470)).worker;
});
afterAll(async () => t?.close());

describe('site photos', () => {
  it('uploads a JPEG by its bytes, lists it, serves it and an upright thumbnail; refuses what is not a photo', async () => {
    const id = await makeSite('照片测试司机之家');
    const up = await upload(county, `/api/stations/${id}/photos?name=${encodeURIComponent('门头.jpeg')}&caption=${encodeURIComponent('站点门头')}`, JPEG_48x32);
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ name: '门头.jpg', caption: '站点门头', width: 48, height: 32, inspectionId: null });
    const photoId = up.json().id as string;

    const full = await county.get(`/api/stations/${id}/photos/${photoId}`);
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(full.rawPayload.equals(JPEG_48x32)).toBe(true);
    const thumb = await county.get(`/api/stations/${id}/photos/${photoId}?size=thumb`);
    expect(thumb.headers['content-type']).toBe('image/png');
    expect(thumb.rawPayload.subarray(1, 4).toString('latin1')).toBe('PNG');

    // a phone photo taken upright (EXIF orientation 6) is stored as shot and shown turned
    const turned = await upload(county, `/api/stations/${id}/photos?name=a.jpg`, jpegWithOrientation(6));
    expect(turned.json()).toMatchObject({ width: 32, height: 48 });
    const turnedThumb = (await county.get(`/api/stations/${id}/photos/${turned.json().id}?size=thumb`)).rawPayload;
    expect([turnedThumb.readUInt32BE(16), turnedThumb.readUInt32BE(20)]).toEqual([32, 48]);
    // a big picture gets a thumbnail of at most 320 px on its longer side
    const big = await upload(county, `/api/stations/${id}/photos?name=b.png`, pngOf(900, 600, 1));
    const bigThumb = (await county.get(`/api/stations/${id}/photos/${big.json().id}?size=thumb`)).rawPayload;
    expect([bigThumb.readUInt32BE(16), bigThumb.readUInt32BE(20)]).toEqual([320, 213]);

    const pdf = await upload(county, `/api/stations/${id}/photos?name=x.jpg`, Buffer.from('%PDF-1.4 not a photo'));
    expect(pdf.statusCode).toBe(400);
    expect(pdf.json().error.fields.file).toBe('仅支持 JPG、PNG 照片');
    const empty = await upload(county, `/api/stations/${id}/photos`, Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    // a PNG header claiming 20000 × 20000 pixels is refused before anything is decoded
    const bomb = pngOf(1, 1);
    bomb.writeUInt32BE(20_000, 16);
    bomb.writeUInt32BE(20_000, 20);
    const refused = await upload(county, `/api/stations/${id}/photos`, bomb);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('像素过大');
    const longCaption = await upload(county, `/api/stations/${id}/photos?caption=${encodeURIComponent('长'.repeat(61))}`, JPEG_48x32);
    expect(longCaption.statusCode).toBe(400);

    const list = (await county.get(`/api/stations/${id}/photos`)).json();
    expect(list.items.map((p: { id: string }) => p.id)).toEqual([big.json().id, turned.json().id, photoId]);
    expect((await county.get(`/api/stations/${id}`)).json().photos).toHaveLength(3);
    expect(await audits('station.photo_upload', id)).toHaveLength(3);
  });

  it('holds the per-site cap, also under parallel uploads', async () => {
    const id = await makeSite('照片上限测试站', false);
    const saved = PHOTO_LIMITS.siteFiles;
    PHOTO_LIMITS.siteFiles = 3;
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(county, `/api/stations/${id}/photos`, pngOf(8, 8, i))));
      expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(3);
      const no = answers.find((a) => a.statusCode !== 200)!;
      expect(no.statusCode).toBe(429);
      expect(no.json().error.message).toContain('最多 3 张');
    } finally {
      PHOTO_LIMITS.siteFiles = saved;
    }
    expect((await county.get(`/api/stations/${id}/photos`)).json().items).toHaveLength(3);
  });

  it('inspection photos stay with their record; a site photo is deleted from the store; workers see the site’s own photos only', async () => {
    const id = await makeSite('照片可见性测试站');
    const detail = (await county.get(`/api/stations/${id}`)).json();
    const inspection = detail.inspections[0].id as string;
    const insp = await upload(county, `/api/stations/${id}/inspections/${inspection}/photos?name=${encodeURIComponent('验收现场.png')}`, pngOf(40, 30, 2));
    expect(insp.statusCode, insp.body).toBe(200);
    expect(insp.json().inspectionId).toBe(inspection);
    const site = (await upload(county, `/api/stations/${id}/photos?name=site.jpg`, JPEG_48x32)).json();
    const other = await makeSite('别的站', false);
    expect((await upload(county, `/api/stations/${other}/inspections/${inspection}/photos`, JPEG_48x32)).statusCode).toBe(404);

    const again = (await county.get(`/api/stations/${id}`)).json();
    expect(again.inspections[0].photos.map((p: { id: string }) => p.id)).toEqual([insp.json().id]);
    expect(again.photos.map((p: { id: string }) => p.id)).toEqual([site.id]);

    // the worker's 驿站详情: the site photo with its thumbnail link, never the inspection's
    const pub = (await worker.get(`/api/worker/stations/${id}`)).json();
    expect(pub.photos).toEqual([expect.objectContaining({ id: site.id, thumbUrl: `/api/worker/stations/${id}/photos/${site.id}?size=thumb` })]);
    expect((await worker.get(pub.photos[0].thumbUrl)).statusCode).toBe(200);
    expect((await worker.get(`/api/worker/stations/${id}/photos/${insp.json().id}`)).statusCode).toBe(404);
    expect((await worker.get(`/api/worker/stations/${other}/photos/${site.id}`)).statusCode).toBe(404);

    expect((await county.delete(`/api/stations/${id}/photos/${insp.json().id}`)).statusCode).toBe(409);
    const row = await t.db.selectFrom('station_photos').select(['storage_key', 'thumb_key']).where('id', '=', site.id).executeTakeFirstOrThrow();
    const root = localFilesRoot(dataDir);
    expect(existsSync(join(root, row.storage_key)) && existsSync(join(root, row.thumb_key))).toBe(true);
    const del = await county.delete(`/api/stations/${id}/photos/${site.id}`);
    expect(del.statusCode, del.body).toBe(200);
    expect(existsSync(join(root, row.storage_key)) || existsSync(join(root, row.thumb_key))).toBe(false);
    expect((await county.get(`/api/stations/${id}/photos/${site.id}`)).statusCode).toBe(404);
    expect((await county.delete(`/api/stations/${id}/photos/${site.id}`)).statusCode).toBe(404);
    expect((await audits('station.photo_delete', id)).map((a) => a.outcome)).toEqual(['success']);
  });

  it('answers 401 to an anonymous caller on every photo route', async () => {
    for (const [method, url] of [
      ['POST', '/api/stations/1/photos'],
      ['POST', '/api/stations/1/inspections/1/photos'],
      ['GET', '/api/stations/1/photos'],
      ['GET', '/api/stations/1/photos/1'],
      ['DELETE', '/api/stations/1/photos/1'],
      ['GET', '/api/worker/stations/1/photos/1'],
      ['GET', '/api/stations/consultations/1'],
    ] as const) {
      expect((await t.anonymous.request({ method, url })).statusCode, `${method} ${url}`).toBe(401);
    }
  });
});

describe('card scans and 维权咨询 service records', () => {
  it('reads the token out of the scanned verify link, counts the visit and keeps no person', async () => {
    expect(cardTokenOf('https://gh.example.cn/h5/#/verify?t=AbC_-12345678')).toBe('AbC_-12345678');
    expect(cardTokenOf('  AbC_-12345678 ')).toBe('AbC_-12345678');
    const id = await makeSite('扫卡测试站');
    const card = (await worker.get('/api/worker/card')).json();
    const scanned = `http://127.0.0.1:4105${card.verifyPath}`;
    const first = await county.post(`/api/stations/${id}/card-checkin`, { token: scanned });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ ok: true, todayCardVisits: 1 });
    expect(first.json().nameMasked).toMatch(/\*/);
    // the same card again (the link or the bare token): the same visit, once a day
    expect((await county.post(`/api/stations/${id}/card-checkin`, { token: card.token })).json()).toMatchObject({ todayCardVisits: 1, already: true });
    const rows = await t.db.selectFrom('station_visits').select(['source', 'worker_id']).where('station_id', '=', id).execute();
    expect(rows).toEqual([{ source: 'card', worker_id: null }]);
    const expired = t.clock.now();
    t.clock.set(new Date(expired.getTime() + 6 * 60_000));
    try {
      const late = await (await t.login('county_admin')).post(`/api/stations/${id}/card-checkin`, { token: scanned });
      expect(late.statusCode).toBe(400);
      expect(late.json().error.fields.token).toBe('二维码已过期');
    } finally {
      t.clock.set(expired);
    }
  });

  it('a 维权咨询 logged at a site becomes a consultation of the site’s union (channel 驿站), linked both ways', async () => {
    const id = await makeSite('咨询测试驿站');
    const missing = await county.post(`/api/stations/${id}/services`, { service: 'consult', count: 1 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields.consultation).toContain('咨询记录');
    const bad = await county.post(`/api/stations/${id}/services`, {
      service: 'consult',
      count: 2,
      consultation: { topic: 'pay', name: '', phone: '123', summary: '' },
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(expect.arrayContaining(['consultation.name', 'consultation.phone', 'consultation.summary']));
    const two = await county.post(`/api/stations/${id}/services`, {
      service: 'consult',
      count: 2,
      consultation: { topic: 'pay', name: '张三', summary: '问工资' },
    });
    expect(two.json().error.fields.count).toBe('维权咨询每次登记一人次');
    const water = await county.post(`/api/stations/${id}/services`, { service: 'water', consultation: { topic: 'pay', name: '张三', summary: '问工资' } });
    expect(water.statusCode).toBe(400);

    const ok = await county.post(`/api/stations/${id}/services`, {
      service: 'consult',
      consultation: { topic: 'pay', name: '王师傅', phone: '13912345678', summary: '平台拖欠两个月运费', answer: '已告知可申请调解' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const c = ok.json().consultation as { id: string; no: string };
    expect(c.no).toMatch(/^ZX\d+/);

    const rec = (await county.get(`/api/rights/consultations/${c.id}`)).json();
    expect(rec).toMatchObject({ channel: 'station', org: { id: dongtai }, name: '王师傅', phoneMasked: '139****5678', status: 'answered' });
    expect(rec.summary).toBe('【咨询测试驿站】平台拖欠两个月运费');
    const back = await county.get(`/api/stations/consultations/${c.id}`);
    expect(back.json()).toMatchObject({ stationId: id, stationName: '咨询测试驿站' });
    const detail = (await county.get(`/api/stations/${id}`)).json();
    expect(detail.visits.byService).toEqual([{ service: 'consult', name: '维权咨询', count: 1 }]);
    expect(detail.visits.recent[0]).toMatchObject({ service: '维权咨询', consultationId: c.id });
    const logged = (await audits('station.service', id))[0]!.detail;
    expect(typeof logged === 'string' ? JSON.parse(logged) : logged).toMatchObject({ service: 'consult', consultation: c.id });
    expect(await audits('rights.consultation.create', c.id)).toHaveLength(1);
    // a consultation not logged at a site has no way back
    const plain = await county.post('/api/rights/consultations', { channel: 'window', topic: 'pay', name: '李四', summary: '窗口咨询' });
    expect((await county.get(`/api/stations/consultations/${plain.json().id}`)).statusCode).toBe(404);
  });
});
