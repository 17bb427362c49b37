// 审计日志 in people's words: the list answers each row's action and object in Chinese, with the
// object's name where it is not personal data (accounts, unions) and never a member's name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';

let t: TestApp;
let auditor: Client;

beforeAll(async () => {
  t = await createTestApp();
  const city = await t.login('city_admin');
  const r = await city.post('/api/orgs', { parentId: '1', type: 'industry_federation', name: '审计用语测试联合会' });
  expect(r.statusCode).toBe(200);
  auditor = await t.login('auditor');
});
afterAll(async () => t?.close());

interface Row {
  action: string;
  actionLabel: string;
  targetType: string | null;
  targetId: string | null;
  targetText: string;
  actorName: string | null;
}

describe('audit rows in words', () => {
  it('names the action and the object: 登录 / 账号「市总管理员（city_admin）」, 新增组织 / 组织「…」', async () => {
    const res = await auditor.get('/api/audit?pageSize=100');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Row[];
    const login = items.find((i) => i.action === 'auth.login' && i.actorName?.includes('city_admin'))!;
    expect(login.actionLabel).toBe('登录');
    expect(login.targetText).toMatch(/^账号「.+（city_admin）」$/);
    const created = items.find((i) => i.action === 'org.create')!;
    expect(created.actionLabel).toBe('新增组织');
    expect(created.targetText).toBe('组织「审计用语测试联合会」');
    for (const i of items) {
      expect(i.actionLabel, i.action).toMatch(/[\u4e00-\u9fff]/);
      expect(i.targetText).not.toMatch(/^[a-z_]+ #/);
    }
  });

  it('filters by the action code the label stands for', async () => {
    const items = (await auditor.get('/api/audit?action=org.create')).json().items as Row[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.actionLabel === '新增组织')).toBe(true);
  });
});
