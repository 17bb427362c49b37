import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/test-app.js';

let t: TestApp;
const MIN = 60_000;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const send = (phone: string, ip = '10.1.0.1') => t.app.inject({ method: 'POST', url: '/api/worker/sms-code', payload: { phone }, remoteAddress: ip });
const login = (phone: string, code: string) => t.app.inject({ method: 'POST', url: '/api/worker/login', payload: { phone, code } });
const codeSentTo = (phone: string) => /验证码为 (\d{6})/.exec(t.sms.sent.get(phone) ?? '')![1]!;

describe('worker SMS login', () => {
  it('sends a code through the SMS provider and logs in with it; the phone is stored encrypted and masked', async () => {
    const r = await send('13812345678');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ sent: true, resendAfter: 60 });
    const code = codeSentTo('13812345678');
    expect(r.json().demoCode).toBe(code); // demo mode only
    const res = await login('13812345678', code);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().worker.phoneMasked).toBe('138****5678');
    const wsid = res.cookies.find((c) => c.name === 'gh_wsid')!;
    expect(wsid.httpOnly).toBe(true);
    expect(wsid.sameSite).toBe('Strict');
    const me = await t.app.inject({ method: 'GET', url: '/api/worker/me', cookies: { gh_wsid: wsid.value } });
    expect(me.json().worker).toMatchObject({ phoneMasked: '138****5678', memberStatus: null });
    const row = await t.db.selectFrom('workers').selectAll().executeTakeFirstOrThrow();
    expect(row.phone_enc).not.toContain('13812345678');
    expect(t.deps.crypto.decrypt(row.phone_enc)).toBe('13812345678');
    // A worker session is not a staff session.
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { gh_sid: wsid.value } })).statusCode).toBe(401);
    // Full-width digits are normalised.
    t.clock.advance(2 * MIN);
    expect((await send('１３８１２３４５６７８')).statusCode).toBe(200);
  });

  it('a code can be used once', async () => {
    t.clock.advance(2 * MIN);
    await send('13900000001');
    const code = codeSentTo('13900000001');
    expect((await login('13900000001', code)).statusCode).toBe(200);
    const again = await login('13900000001', code);
    expect(again.statusCode).toBe(400);
  });

  it('expires after 5 minutes', async () => {
    await send('13900000002');
    const code = codeSentTo('13900000002');
    t.clock.advance(5 * MIN + 1000);
    const r = await login('13900000002', code);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields.code).toBe('验证码已过期，请重新获取');
  });

  it('allows 5 tries: after 5 wrong codes the right one is refused too', async () => {
    await send('13900000003');
    const code = codeSentTo('13900000003');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await login('13900000003', wrong)).statusCode).toBe(400);
    const r = await login('13900000003', code);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields.code).toContain('错误次数过多');
  });

  it('throttles resends per phone (60 s) and per IP', async () => {
    expect((await send('13900000004')).statusCode).toBe(200);
    const soon = await send('13900000004');
    expect(soon.statusCode).toBe(429);
    expect(soon.json().error.message).toMatch(/请 \d+ 秒后再试/);
    t.clock.advance(61_000);
    expect((await send('13900000004')).statusCode).toBe(200);

    const ip = '10.1.9.9';
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) codes.push((await send(`137000000${String(i).padStart(2, '0')}`, ip)).statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(20);
    expect(codes.at(-1)).toBe(429);
    expect((await send('13700000099', ip)).json().error.message).toContain('当前网络获取验证码过于频繁');
  });

  it('rejects a malformed phone with a Chinese field message', async () => {
    const r = await send('12345');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields.phone).toBe('请输入正确的 11 位手机号');
  });
});

describe('outside demo mode', () => {
  it('never returns the code in the response', async () => {
    const prod = await createTestApp({ config: { demoMode: false } });
    try {
      const r = await prod.app.inject({ method: 'POST', url: '/api/worker/sms-code', payload: { phone: '13812340000' } });
      expect(r.statusCode).toBe(200);
      expect(r.json().demoCode).toBeUndefined();
      expect(prod.sms.sent.get('13812340000')).toMatch(/验证码为 \d{6}/);
    } finally {
      await prod.close();
    }
  });
});
