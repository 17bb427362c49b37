import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { PDFDocument } from 'pdf-lib';
import { POSTER_HEIGHT, POSTER_WIDTH, posterSvg, wrapText } from './posters.service.js';

let t: TestApp;
let county: Client;
let campaignId: string;

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('county_admin');
  const dongtai = await orgIdByName(t, '东台市总工会');
  const r = await county.post('/api/campaigns', {
    orgId: dongtai,
    name: '东台市货车司机入会集中行动',
    employmentForms: ['truck_driver'],
    startsOn: '2026-11-01',
    endsOn: '2026-12-31',
  });
  expect(r.statusCode, r.body).toBe(200);
  campaignId = r.json().id;
});
afterAll(async () => t?.close());

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer) {
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('campaign posters', () => {
  it('downloads an A4 PNG poster', async () => {
    const r = await county.get(`/api/campaigns/${campaignId}/poster.png`);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect(String(r.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('入会海报-东台市货车司机入会集中行动.png')}`);
    const png = r.rawPayload;
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const size = pngSize(png);
    expect(size).toEqual({ width: POSTER_WIDTH, height: POSTER_HEIGHT });
    expect(size.width).toBeGreaterThanOrEqual(1000);
    expect(size.height).toBeGreaterThanOrEqual(1400);
    // Text and a QR code were drawn, not an empty page.
    expect(png.length).toBeGreaterThan(30_000);
  });

  it('downloads a one-page A4 PDF poster', async () => {
    const r = await county.get(`/api/campaigns/${campaignId}/poster.pdf`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    const pdf = r.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
  });

  it('another county’s staff get 404, as if the campaign did not exist', async () => {
    const sheyang = await t.login('sheyang_admin');
    for (const f of ['png', 'pdf']) {
      const r = await sheyang.get(`/api/campaigns/${campaignId}/poster.${f}`);
      expect(r.statusCode).toBe(404);
      expect(r.json().error.code).toBe('NOT_FOUND');
    }
    const missing = await county.get('/api/campaigns/999999999/poster.png');
    expect(missing.statusCode).toBe(404);
  });

  it('needs campaign:manage', async () => {
    const auditor = await t.login('auditor');
    expect((await auditor.get(`/api/campaigns/${campaignId}/poster.png`)).statusCode).toBe(403);
  });

  it('answers 503 in Chinese naming the font package when no CJK font is available', async () => {
    const before = process.env.GONGHUI_FONT_FILE;
    process.env.GONGHUI_FONT_FILE = '/nonexistent/font.ttc';
    try {
      const r = await county.get(`/api/campaigns/${campaignId}/poster.png`);
      expect(r.statusCode).toBe(503);
      expect(r.json().error.message).toContain('fonts-wqy-microhei');
    } finally {
      if (before === undefined) delete process.env.GONGHUI_FONT_FILE;
      else process.env.GONGHUI_FONT_FILE = before;
    }
  });

  it('downloads an org’s own join poster (PNG and PDF); another county’s org is 404', async () => {
    const dongtai = await orgIdByName(t, '东台市总工会');
    const png = await county.get(`/api/orgs/${dongtai}/join-poster.png`);
    expect(png.statusCode, png.body.slice(0, 200)).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(String(png.headers['content-disposition'])).toContain(encodeURIComponent('入会海报-东台市总工会.png'));
    expect(pngSize(png.rawPayload)).toEqual({ width: POSTER_WIDTH, height: POSTER_HEIGHT });
    expect(png.rawPayload.length).toBeGreaterThan(30_000);
    const pdf = await county.get(`/api/orgs/${dongtai}/join-poster.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((await PDFDocument.load(pdf.rawPayload)).getPageCount()).toBe(1);
    const sheyang = await orgIdByName(t, '射阳县总工会');
    for (const f of ['png', 'pdf']) {
      const r = await county.get(`/api/orgs/${sheyang}/join-poster.${f}`);
      expect(r.statusCode).toBe(404);
    }
    const auditor = await t.login('auditor');
    expect((await auditor.get(`/api/orgs/${dongtai}/join-poster.png`)).statusCode).toBe(403);
  });

  it('draws the org poster without a campaign name or period', () => {
    const svg = posterSvg({ orgName: '东台市总工会', joinUrl: 'http://x/h5/#/join?org=1' });
    expect(svg).not.toContain('活动有效期');
    expect(svg).toContain('东台市总工会');
  });

  it('wraps long names and cuts them with an ellipsis', () => {
    expect(wrapText('盐城市新就业形态劳动者行业工会联合会', 10, 2)).toEqual(['盐城市新就业形态劳动', '者行业工会联合会']);
    const cut = wrapText('一'.repeat(50), 10, 2);
    expect(cut).toHaveLength(2);
    expect(cut[1]!.endsWith('…')).toBe(true);
  });
});
