// 阵地: register, 验收 and 星级 against the type's standard, QR check-in once a day, the nearest-sites
// query (box prefilter gives the same answer as a full scan), figures, import with an error report.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember } from '../../../../tests/support/members.js';
import { distanceMetres } from './stations.constants.js';

let t: TestApp;
let county: Client;
let dongtai: string;
let worker: Client;
const ALL_WEEK = { allDay: false, days: Array.from({ length: 7 }, () => ({ open: '08:00', close: '20:00' })) };
const ALL_DAY = { allDay: true, days: Array(7).fill(null) };

const site = (over: Record<string, unknown> = {}) => ({
  orgId: dongtai,
  type: 'driver',
  name: '东台测试司机之家',
  address: '东台市城东新区某路 1 号',
  longitude: 120.32,
  latitude: 32.86,
  hours: ALL_DAY,
  facilities: ['water', 'microwave', 'charging', 'toilet', 'seats', 'truck_parking'],
  contactName: '王站长',
  contactPhone: '0515-85000001',
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  dongtai = await orgIdByName(t, '东台市总工会');
  county = await t.login('county_admin');
  worker = (await makeMember(t, dongtai, 5400)).worker;
});
afterAll(async () => t?.close());

describe('stations', () => {
  it('registers a site, refuses bad input in Chinese naming the field, and a duplicate name', async () => {
    const bad = await county.post('/api/stations', site({ name: '', longitude: 200, hours: { allDay: false, days: [] } }));
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().error.fields as Record<string, string>;
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(['name', 'longitude']));
    expect(JSON.stringify(fields)).toMatch(/[\u4e00-\u9fa5]/);
    const made = await county.post('/api/stations', site({ name: '东台重名驿站' }));
    expect(made.statusCode, made.body).toBe(200);
    const again = await county.post('/api/stations', site({ name: '东台重名驿站' }));
    expect(again.statusCode).toBe(400);
    expect(again.json().error.fields.name).toBe('本工会已有同名阵地');
    const unknown = await county.post('/api/stations', { ...site({ name: '多余字段' }), extra: 1 });
    expect(unknown.statusCode).toBe(400);
  });

  it('验收 fails on a missing required facility, passes when complete; rating gives stars once a year', async () => {
    const made = (await county.post('/api/stations', site({ name: '验收测试站', facilities: ['water', 'seats'] }))).json();
    const fail = await county.post(`/api/stations/${made.id}/acceptance`, { inspector: '李验收' });
    expect(fail.statusCode, fail.body).toBe(200);
    expect(fail.json().passed).toBe(false);
    expect(fail.json().missing.map((m: { name: string }) => m.name)).toContain('货车停车');
    const tooEarly = await county.post(`/api/stations/${made.id}/ratings`, { year: 2026, inspector: '李验收', scores: [{ code: 'place', score: 10 }] });
    expect(tooEarly.statusCode).toBe(409);

    let detail = (await county.get(`/api/stations/${made.id}`)).json();
    const fixed = await county.patch(`/api/stations/${made.id}`, { facilities: site().facilities, version: detail.version });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const stale = await county.patch(`/api/stations/${made.id}`, { name: '改名', version: detail.version });
    expect(stale.statusCode).toBe(409);
    const ok = await county.post(`/api/stations/${made.id}/acceptance`, { inspector: '李验收', note: '设施齐全' });
    expect(ok.json().passed).toBe(true);
    detail = (await county.get(`/api/stations/${made.id}`)).json();
    expect(detail.status).toBe('operating');
    expect(detail.acceptedAt).toBeTruthy();

    const over = await county.post(`/api/stations/${made.id}/ratings`, {
      year: 2026,
      inspector: '李验收',
      scores: [
        { code: 'place', score: 25 },
        { code: 'facility', score: 30 },
        { code: 'service', score: 30 },
        { code: 'management', score: 20 },
      ],
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.fields['scores.0']).toContain('最高 20 分');
    const rated = await county.post(`/api/stations/${made.id}/ratings`, {
      year: 2026,
      inspector: '李验收',
      scores: [
        { code: 'place', score: 18 },
        { code: 'facility', score: 27 },
        { code: 'service', score: 26 },
        { code: 'management', score: 17 },
      ],
    });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ total: 88, stars: 4 });
    const twice = await county.post(`/api/stations/${made.id}/ratings`, {
      year: 2026,
      inspector: '李验收',
      scores: ['place', 'facility', 'service', 'management'].map((code) => ({ code, score: 1 })),
    });
    expect(twice.statusCode).toBe(409);
    detail = (await county.get(`/api/stations/${made.id}`)).json();
    expect(detail.stars).toBe(4);
    expect(detail.inspections.map((i: { kindName: string }) => i.kindName)).toEqual(['星级评定', '验收', '验收']);
  });

  it('only the city union edits standards', async () => {
    const body = { requiredFacilities: ['water'], items: [{ code: 'all', name: '综合评价', maxScore: 100 }] };
    const refused = await county.request({ method: 'PUT', url: '/api/stations/standards/other', payload: body });
    expect(refused.statusCode).toBe(403);
    const city = await t.login('city_admin');
    const ok = await city.request({ method: 'PUT', url: '/api/stations/standards/other', payload: body });
    expect(ok.statusCode, ok.body).toBe(200);
    const seen = (await county.get('/api/stations/standards')).json();
    expect(seen.editable).toBe(false);
    expect(seen.items.find((s: { type: string }) => s.type === 'other')).toMatchObject({ custom: true, requiredFacilities: ['water'] });
    expect((await city.get('/api/stations/standards')).json().editable).toBe(true);
    const twice = await city.request({
      method: 'PUT',
      url: '/api/stations/standards/other',
      payload: {
        requiredFacilities: [],
        items: [
          { code: 'a', name: '综合评价', maxScore: 50 },
          { code: 'b', name: '综合评价', maxScore: 50 },
        ],
      },
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.fields['items.1.name']).toBe('评分项目“综合评价”重复');
    const zero = await city.request({
      method: 'PUT',
      url: '/api/stations/standards/other',
      payload: { requiredFacilities: [], items: [{ code: 'a', name: '综合', maxScore: 0 }] },
    });
    expect(zero.json().error.fields['items.0.maxScore']).toBe('分值至少 1 分');
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['detail'])
      .where('action', '=', 'station.standard')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const detail = typeof audit.detail === 'string' ? JSON.parse(audit.detail) : audit.detail;
    expect(detail).toEqual({ type: 'other', requiredFacilities: ['water'], items: ['综合评价 100'] });
  });

  it('a worker finds the nearest site first, checks in by its QR once a day, and the visit is counted', async () => {
    const made = (await county.post('/api/stations', site({ name: '最近的司机之家', longitude: 120.5001, latitude: 32.7001 }))).json();
    await county.post(`/api/stations/${made.id}/acceptance`, { inspector: '李验收' });
    const near = await worker.get('/api/worker/stations/nearby?lat=32.7&lng=120.5&type=driver');
    expect(near.statusCode, near.body).toBe(200);
    expect(near.json().items[0]).toMatchObject({ id: made.id, name: '最近的司机之家', openNow: true });
    expect(near.json().items[0].distance).toBeLessThan(30);

    const qr = (await county.get(`/api/stations/${made.id}/qr`)).json();
    expect(qr.checkinPath).toContain('/h5/#/stations/checkin?t=');
    const first = await worker.post('/api/worker/stations/checkin', { t: qr.token });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ stationId: made.id, already: false });
    const second = await worker.post('/api/worker/stations/checkin', { t: qr.token });
    expect(second.json().already).toBe(true);
    const forged = await worker.post('/api/worker/stations/checkin', { t: Buffer.from(`${made.id}.AAAAAAAAAAAAAAAA`).toString('base64url') });
    expect(forged.statusCode).toBe(400);

    await county.post(`/api/stations/${made.id}/services`, { service: 'water', count: 3 });
    const detail = (await county.get(`/api/stations/${made.id}`)).json();
    expect(detail.visits.total).toBe(4);
    expect(detail.visits.byService).toEqual([{ service: 'water', name: '饮水', count: 3 }]);
    // the site's own union (东台市) sees who checked in, masked
    expect(detail.visits.recentShown).toBe(true);
    expect(detail.visits.recent.some((v: { worker: string | null }) => /^\d{3}\*{4}\d{4}$/.test(v.worker ?? ''))).toBe(true);
    // the city sees counts only
    const city = await t.login('city_admin');
    const seen = (await city.get(`/api/stations/${made.id}`)).json();
    expect(seen.visits.total).toBe(4);
    expect(seen.visits.recent).toEqual([]);

    const figures = (await county.get(`/api/orgs/${dongtai}/station-figures?year=2026`)).json();
    expect(figures.visitsPerMonth.find((m: { month: string }) => m.month === '2026-11').count).toBeGreaterThanOrEqual(4);
    expect(figures.byType.find((x: { type: string }) => x.type === 'driver').count).toBeGreaterThanOrEqual(3);
    expect(Array.isArray(figures.townsWithoutSite)).toBe(true);
    const list = (await county.get(`/api/stations?type=driver&status=operating`)).json();
    expect(list.items.some((s: { id: string }) => s.id === made.id)).toBe(true);
  });

  it('staff scan a worker’s e-member card: a visit is counted, no personal data kept', async () => {
    const made = (await county.post('/api/stations', site({ name: '刷卡测试站' }))).json();
    const card = (await worker.get('/api/worker/card')).json();
    const ok = await county.post(`/api/stations/${made.id}/card-checkin`, { token: card.token });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().nameMasked).toMatch(/\*/);
    expect(ok.json()).toMatchObject({ already: false, todayCardVisits: 1 });
    // the scanner fires twice, or the member comes back at lunch: still one visit today
    const again = await county.post(`/api/stations/${made.id}/card-checkin`, { token: card.token });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ already: true, todayCardVisits: 1 });
    const bad = await county.post(`/api/stations/${made.id}/card-checkin`, { token: 'AAAAAAAAAAAAAAAAAAAA' });
    expect(bad.statusCode).toBe(400);
    const detail = (await county.get(`/api/stations/${made.id}`)).json();
    expect(detail.visits.bySource).toEqual([{ source: 'card', name: '刷会员卡', count: 1 }]);
    const row = await t.db.selectFrom('station_visits').select(['worker_id', 'note', 'card_key']).where('station_id', '=', made.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ worker_id: null, note: null });
    // the key is a keyed hash: neither the person's id nor anything of the card
    const person = (await t.db.selectFrom('people').select('id').where('worker_id', 'is not', null).execute()).map((p) => String(p.id));
    expect(row.card_key).toMatch(/^[0-9a-f]{16,}$|^[A-Za-z0-9+/=_-]{16,}$/);
    expect(person).not.toContain(row.card_key);
    expect(card.token).not.toContain(row.card_key);
  });

  it('a due inspection is reminded once to the site’s union', async () => {
    const made = (await county.post('/api/stations', site({ name: '到期提醒测试站' }))).json();
    await county.post(`/api/stations/${made.id}/acceptance`, { inspector: '李验收' });
    const svc = t.services.features.stations.service;
    const title = '阵地检查到期：到期提醒测试站';
    const mine = async () => ((await county.get('/api/messages?pageSize=100')).json().items as { title: string }[]).filter((m) => m.title === title).length;
    await svc.sendInspectionReminders();
    expect(await mine()).toBe(0); // due next year
    const saved = t.clock.now();
    t.clock.set(new Date('2027-04-01T02:00:00Z'));
    try {
      const fresh = await t.login('county_admin');
      await svc.sendInspectionReminders();
      await svc.sendInspectionReminders();
      const n = ((await fresh.get('/api/messages?pageSize=100')).json().items as { title: string; link: string }[]).filter((m) => m.title === title);
      expect(n).toHaveLength(1);
      expect(n[0]!.link).toBe(`/admin/#/stations/${made.id}`);
    } finally {
      t.clock.set(saved);
    }
  });

  it('the box prefilter answers exactly like a full scan', async () => {
    const svc = t.services.features.stations.service;
    for (const [lat, lng] of [
      [32.86, 120.32],
      [33.35, 120.16],
      [34.2, 119.9],
      [31.0, 121.5],
    ] as const) {
      const got = await svc.nearby({ lat, lng, limit: 10 });
      const all = await t.db.selectFrom('stations').select(['id', 'latitude', 'longitude']).where('status', 'in', ['operating', 'paused']).execute();
      const d = (r: { latitude: string; longitude: string }) => distanceMetres(lat, lng, Number(r.latitude), Number(r.longitude));
      const want = all.sort((a, b) => d(a) - d(b)).slice(0, 10);
      expect(got.items.map((x) => x.distance)).toEqual(want.map((w) => d(w)));
    }
  });

  it('imports .xlsx: good rows in, bad rows listed, a second run adds nothing; exports the list', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('阵地');
    ws.addRow(['所属工会', '阵地名称', '类型', '地址', '经度', '纬度', '开放时间', '设施', '联系人', '联系电话']);
    ws.addRow(['东台市总工会', '导入的户外驿站', '工会驿站（户外劳动者服务站）', '东台市某路', '120.31', '32.85', '24小时', '饮水、热饭', '', '']);
    ws.addRow(['射阳县总工会', '越权导入', '司机之家', '射阳县某路', '120.25', '33.77', '24小时', '', '', '']);
    ws.addRow(['东台市总工会', '坏行', '不存在的类型', '东台市某路', '999', '32.85', '随时', '飞机场', '', 'abc']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const send = () => county.request({ method: 'POST', url: '/api/stations/import', payload: file, headers: { 'content-type': 'application/octet-stream' } });
    const first = await send();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ rows: 3, added: 1 });
    expect(first.json().errors.map((e: { row: number }) => e.row)).toEqual([3, 4]);
    expect(first.json().errors[1].message).toMatch(/类型.*经度.*开放时间.*未知设施：飞机场.*联系电话/);
    const second = await send();
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ added: 0, unchanged: 1 });
    const xlsx = await county.get('/api/stations/export.xlsx?type=outdoor');
    expect(xlsx.statusCode).toBe(200);
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const names = read.worksheets[0]!.getColumn(2).values.map(String);
    expect(names).toContain('导入的户外驿站');
  });
});
