// Every SMS code is spent in one statement (spendSmsCode): concurrent guesses cannot read the same
// attempt count and each get a try, on the login and on the H5's phone change alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember } from '../../../../tests/support/members.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const codeRow = (phone: string, purpose: string) =>
  t.db
    .selectFrom('sms_codes')
    .select(['attempts', 'consumed_at'])
    .where('phone_bidx', '=', t.deps.crypto.blindIndex(phone, 'phone'))
    .where('purpose', '=', purpose)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();

const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

describe('SMS codes under concurrent requests', () => {
  it('six code requests at once for one phone send one code (the resend wait holds for a burst)', async () => {
    const phone = '13700007003';
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => t.app.inject({ method: 'POST', url: '/api/worker/sms-code', payload: { phone } })),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 429, 429, 429, 429, 429]);
    const codes = await t.db.selectFrom('sms_codes').select('id').where('phone_bidx', '=', t.deps.crypto.blindIndex(phone, 'phone')).execute();
    expect(codes.length).toBe(1);
  });

  it('login: six wrong codes at once spend the five attempts and no more; then the right code is refused', async () => {
    const phone = '13700007001';
    const sent = await t.app.inject({ method: 'POST', url: '/api/worker/sms-code', payload: { phone } });
    const code = sent.json().demoCode as string;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => t.app.inject({ method: 'POST', url: '/api/worker/login', payload: { phone, code: otherThan(code) } })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 400));
    expect(await codeRow(phone, 'worker_login')).toEqual({ attempts: 5, consumed_at: null });
    const messages = answers.map((a) => a.json().error.fields.code as string);
    expect(messages.filter((m) => m.startsWith('验证码错误，还可尝试')).length).toBe(4);
    const right = await t.app.inject({ method: 'POST', url: '/api/worker/login', payload: { phone, code } });
    expect(right.statusCode).toBe(400);
    expect(right.json().error.fields.code).toBe('验证码错误次数过多，请重新获取');
  });

  it('login: the right code twice at once signs in once', async () => {
    const phone = '13700007002';
    const code = (await t.app.inject({ method: 'POST', url: '/api/worker/sms-code', payload: { phone } })).json().demoCode;
    const answers = await Promise.all([1, 2].map(() => t.app.inject({ method: 'POST', url: '/api/worker/login', payload: { phone, code } })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 400]);
    expect(answers.find((a) => a.statusCode === 400)!.json().error.fields.code).toBe('验证码已使用，请重新获取');
  });

  it('phone change: six wrong codes at once spend the five attempts; the right code is then refused', async () => {
    const orgs = await t.db.selectFrom('orgs').select('id').where('type', '=', 'grassroots').orderBy('id').limit(1).execute();
    const m = await makeMember(t, orgs[0]!.id, 7010);
    const phone = '13812347010';
    const code = (await m.worker.post('/api/worker/profile/phone-code', { phone })).json().demoCode as string;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => m.worker.post('/api/worker/profile/phone', { phone, code: otherThan(code) })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 400));
    expect(await codeRow(phone, 'phone_change')).toEqual({ attempts: 5, consumed_at: null });
    const right = await m.worker.post('/api/worker/profile/phone', { phone, code });
    expect(right.json().error.fields.code).toBe('验证码错误次数过多，请重新获取');
  });
});
