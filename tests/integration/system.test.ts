import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('API conventions', () => {
  it('/api/health says the database is reachable, which one, and the version', async () => {
    const r = await t.anonymous.get('/api/health');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+$/), database: { kind: testDbKind(), reachable: true } });
  });

  it('/api/openapi.json is generated from the schemas and lists every route', async () => {
    const doc = (await t.anonymous.get('/api/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const expected = t.routes.filter((r) => r.url !== '/api/openapi.json').map((r) => `${r.method} ${r.url}`);
    expect(listed.sort()).toEqual(expected.sort());
    expect(doc.paths['/api/orgs'].post.requestBody.content['application/json'].schema.properties.creditCode).toBeTruthy();
    // Who may call each route is part of the document.
    expect(doc.paths['/api/orgs'].post.description).toContain('org:write');
    expect(doc.paths['/api/orgs'].post.security).toEqual([{ staffSession: [] }]);
    expect(doc.paths['/api/worker/me'].get.security).toEqual([{ workerSession: [] }]);
    expect(doc.paths['/api/health'].get.security).toBeUndefined();
  });

  it('every response carries a request id; errors have one shape with a Chinese message', async () => {
    const r = await t.anonymous.get('/api/no-such-thing');
    expect(r.statusCode).toBe(404);
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('接口不存在') } });
    const bad = await t.anonymous.post('/api/auth/login', { username: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { password: expect.any(String) } });
    const notJson = await t.anonymous.request({ method: 'POST', url: '/api/auth/login', payload: '{oops', headers: { 'content-type': 'application/json' } });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('/api/config tells the front ends whether demo mode is on', async () => {
    expect((await t.anonymous.get('/api/config')).json()).toMatchObject({ appName: '智慧工会服务平台', demoMode: true });
  });
});
