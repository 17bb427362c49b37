// Paired cross-tenant cases (Documenso's unauthorized-api-access): a module's test file seeds a
// record in 射阳县, then staff of 东台市 (or another worker) ask for it and must get 404, or a
// list must not show it. Files named tests/integration/cross-org/*.test.ts use this runner;
// tests/integration/access-matrix.test.ts reads their case keys so that every API route has one.
import { expect, it } from 'vitest';
import type { Client } from './test-app.js';

export type CrossOrgCase =
  | { kind: 'by-id'; as: string; request: () => { method: string; url: string; body?: unknown } }
  | { kind: 'list'; as: string; url: () => string; mustNotContain: () => string }
  | { kind: 'no-org-data'; why: string };

/** Registers one `it` per case; `clients()` is read when the case runs (after beforeAll). */
export function crossOrgCases(clients: () => Record<string, Client>, cases: Record<string, CrossOrgCase>) {
  for (const [key, c] of Object.entries(cases)) {
    if (c.kind === 'no-org-data') continue;
    it(`another org: ${key}`, async () => {
      const client = clients()[c.as];
      if (!client) throw new Error(`no client named ${c.as}`);
      if (c.kind === 'by-id') {
        const { method, url, body } = c.request();
        const res = await client.request({ method: method as 'GET', url, ...(body !== undefined && { payload: body as object }) });
        expect(res.statusCode, `${key}: ${res.body.slice(0, 300)}`).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      } else {
        const res = await client.get(c.url());
        expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
        expect(res.json().items.length, `${key}: the list is not empty`).toBeGreaterThan(0);
        expect(res.body).not.toContain(c.mustNotContain());
      }
    });
  }
}
