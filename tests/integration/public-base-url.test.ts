// Issue 11 item 7: links that leave the system (QR codes, posters, certificates) carry the
// configured PUBLIC_BASE_URL, not whatever address an admin's browser used; production without it
// is warned about, in the log and in the console's config.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parsePublicBaseUrl } from '../../server/src/config.js';
import { createTestApp, type Client, type TestApp } from '../support/test-app.js';

async function trainingSession(staff: Client, t: TestApp) {
  const now = t.clock.now().getTime();
  const r = await staff.post('/api/activities', {
    type: 'training',
    title: '安全生产宣讲',
    enrollmentMode: 'fcfs',
    opensAt: new Date(now - 3_600_000).toISOString(),
    closesAt: new Date(now + 30 * 86_400_000).toISOString(),
    startsOn: '2027-07-01',
    endsOn: '2027-08-01',
    batches: [{ title: '第一批', placesGeneral: 10 }],
  });
  expect(r.statusCode, r.body).toBe(200);
  const s = await staff.post(`/api/activities/${r.json().id}/training/sessions`, {
    title: '第一讲',
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 3_600_000).toISOString(),
  });
  expect(s.statusCode, s.body).toBe(200);
  return `/api/activities/${r.json().id}/training/sessions/${s.json().id}/qr`;
}

describe('PUBLIC_BASE_URL', () => {
  it('is checked when read from the environment', () => {
    expect(parsePublicBaseUrl(undefined)).toBeNull();
    expect(parsePublicBaseUrl('https://gh.example.cn/')).toBe('https://gh.example.cn');
    expect(parsePublicBaseUrl('https://gh.example.cn/union/')).toBe('https://gh.example.cn/union');
    for (const bad of ['gh.example.cn', 'ftp://gh.example.cn', 'https://gh.example.cn/?a=1', 'https://gh.example.cn/#x'])
      expect(() => parsePublicBaseUrl(bad), bad).toThrow(ConfigError);
  });

  describe('configured', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ config: { publicBaseUrl: 'https://gh.example.cn', env: 'production' } });
    });
    afterAll(() => t.close());

    it('the check-in QR points at it whatever host the console used', async () => {
      const staff = await t.login('sheyang_admin');
      const url = await trainingSession(staff, t);
      const qr = await staff.request({ method: 'GET', url, headers: { host: '127.0.0.1:3999' } });
      expect(qr.statusCode, qr.body).toBe(200);
      expect(qr.json().checkinUrl).toMatch(/^https:\/\/gh\.example\.cn\/h5\/#\/checkin\?t=/);
    });

    it('the console learns it and is not warned', async () => {
      const c = (await t.anonymous.get('/api/config')).json();
      expect(c).toMatchObject({ publicBaseUrl: 'https://gh.example.cn', publicBaseWarning: null });
    });
  });

  describe('unset', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ config: { publicBaseUrl: null, env: 'production' } });
    });
    afterAll(() => t.close());

    it('links use the request address, and production is warned', async () => {
      const staff = await t.login('sheyang_admin');
      const url = await trainingSession(staff, t);
      const qr = await staff.request({ method: 'GET', url, headers: { host: 'gh.internal:8080' } });
      expect(qr.json().checkinUrl).toMatch(/^http:\/\/gh\.internal:8080\/h5\/#\/checkin\?t=/);
      const c = (await t.anonymous.get('/api/config')).json();
      expect(c.publicBaseUrl).toBeNull();
      expect(c.publicBaseWarning).toContain('PUBLIC_BASE_URL');
    });
  });
});
