// Request logging costs little and leaks nothing: one line per request, the route pattern (never the
// raw URL with its query string), the status and the time — no bodies, no headers.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('request log', () => {
  let t: TestApp;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    t = await createTestApp({ loggerInstance: pino({ level: 'info' }, sink) });
  });
  afterAll(() => t.close());

  it('writes one line per request with the route pattern, never the query string or the body', async () => {
    const city = await t.login('city_admin');
    lines.length = 0;
    const search = await city.get('/api/members?q=13800138000&page=1');
    expect(search.statusCode).toBe(200);
    const refused = await t.anonymous.post('/api/auth/login', { username: 'city_admin', password: 'not-the-password-秘密' });
    expect(refused.statusCode).toBe(401);
    const requestLines = lines.filter((l) => l.msg === 'req');
    expect(requestLines).toHaveLength(2);
    expect(requestLines[0]).toMatchObject({ m: 'GET', r: '/api/members', s: 200 });
    expect(requestLines[1]).toMatchObject({ m: 'POST', r: '/api/auth/login', s: 401 });
    expect(typeof requestLines[0]!.ms).toBe('number');
    const all = JSON.stringify(lines);
    expect(all).not.toContain('13800138000');
    expect(all).not.toContain('not-the-password');
    expect(lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toHaveLength(0);
  });
});
