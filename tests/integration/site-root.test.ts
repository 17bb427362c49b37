// The site root over real HTTP (issue 11, item 8): a phone goes to the worker H5, a desktop gets
// the page with both doors (职工端 / 工会工作人员).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ serveWeb: true });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => t?.close());

const UA = {
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
  wechat: 'Mozilla/5.0 (Linux; Android 13; V2049A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47',
  desktop: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
};

describe('GET /', () => {
  it.each(['iphone', 'android', 'wechat'] as const)('a phone (%s) is sent to /h5/', async (ua) => {
    const res = await fetch(`${base}/`, { headers: { 'user-agent': UA[ua] }, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/h5/');
    expect(res.headers.get('vary')).toMatch(/user-agent/i);
  });

  it.each(['desktop', 'mac'] as const)('a desktop (%s) gets the page with both doors', async (ua) => {
    const res = await fetch(`${base}/`, { headers: { 'user-agent': UA[ua] }, redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('href="/h5/"');
    expect(html).toContain('href="/admin/"');
    expect(html).toContain('职工端');
    expect(html).toContain('工会工作人员');
    expect(html).not.toContain('<script');
  });

  it('no User-Agent at all (a script, a health probe) gets the page, not a redirect', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
  });
});
