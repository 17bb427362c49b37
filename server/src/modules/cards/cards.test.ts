import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { JOIN_CONSENT } from '../joining/joining.schema.js';
import { maskName } from './cards.service.js';

let t: TestApp;
let town: Client;
let enterprise: string;

beforeAll(async () => {
  t = await createTestApp();
  enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  town = await t.login('town_admin');
});
afterAll(async () => t?.close());

const verify = (token: string) => t.anonymous.get(`/api/public/cards/verify?t=${encodeURIComponent(token)}`);

/** A worker who joined 东台's demo enterprise union and was approved. */
async function member(n: number) {
  const person = fakePerson(n);
  const w = await t.workerLogin(person.phone);
  const r = await w.post('/api/worker/join', {
    person,
    employment: { employerName: '东台某快递公司', employmentForm: 'courier' },
    targetOrgId: enterprise,
    consent: { agreed: true, version: JOIN_CONSENT.version },
    idempotencyKey: `card-test-${n}`,
  });
  expect(r.statusCode, r.body).toBe(200);
  const d = (await town.get(`/api/join-applications/${r.json().id}`)).json();
  const ok = await town.post(`/api/join-applications/${d.id}/review`, { action: 'approve', version: d.version });
  expect(ok.statusCode, ok.body).toBe(200);
  return { person, w };
}

describe('电子会员卡', () => {
  it('a worker who is not a member gets 404 尚未入会 and memberStatus null', async () => {
    const w = await t.workerLogin('13600001111');
    const r = await w.get('/api/worker/card');
    expect(r.statusCode).toBe(404);
    expect(r.json().error).toMatchObject({ code: 'NOT_FOUND', message: '尚未入会' });
    expect((await w.get('/api/worker/me')).json().worker.memberStatus).toBeNull();
  });

  it('a member gets the card and a token that checks as valid, with only the masked name', async () => {
    const { person, w } = await member(301);
    expect((await w.get('/api/worker/me')).json().worker.memberStatus).toBe('active');
    const r = await w.get('/api/worker/card');
    expect(r.statusCode, r.body).toBe(200);
    const card = r.json();
    expect(card.member).toMatchObject({ name: person.name, orgName: expect.any(String), status: 'active', statusLabel: '在会' });
    expect(card.member.memberNo).toMatch(/^320981\d{9}$/);
    expect(card.member.joinedOn).toBe('2026-11-21');
    expect(card.verifyPath).toBe(`/h5/#/verify?t=${card.token}`);
    expect(new Date(card.expiresAt).getTime() - t.clock.now().getTime()).toBe(5 * 60_000);
    const v = await verify(card.token);
    expect(v.statusCode).toBe(200);
    expect(v.json()).toEqual({ valid: true, nameMasked: maskName(person.name), orgName: card.member.orgName, status: 'active' });
    expect(v.json().nameMasked).toMatch(/^.\*+$/);
    // Nothing else about the person: no number, phone, ID or member number anywhere in the answer.
    for (const secret of [person.phone, person.idNumber, person.idNumber.slice(-4), card.member.memberNo, person.name]) expect(v.body).not.toContain(secret);
  });

  it('a token expires after 5 minutes (the card then gives a new one); a tampered token is invalid', async () => {
    const { w } = await member(302);
    const card = (await w.get('/api/worker/card')).json();
    t.clock.advance(4 * 60_000 + 59_000);
    expect((await verify(card.token)).json().valid).toBe(true);
    t.clock.advance(1_000);
    expect((await verify(card.token)).json()).toEqual({ valid: false, reason: '二维码已过期' });
    const fresh = (await w.get('/api/worker/card')).json();
    expect(fresh.token).not.toBe(card.token);
    expect((await verify(fresh.token)).json().valid).toBe(true);

    // Another person's id, or a later expiry, with the old signature.
    const [personId, exp, sig] = Buffer.from(fresh.token, 'base64url').toString().split('.') as [string, string, string];
    const forge = (s: string) => Buffer.from(s).toString('base64url');
    expect((await verify(forge(`${Number(personId) + 1}.${exp}.${sig}`))).json()).toEqual({ valid: false, reason: '二维码无效' });
    expect((await verify(forge(`${personId}.${Number(exp) + 3600}.${sig}`))).json()).toEqual({ valid: false, reason: '二维码无效' });
    expect((await verify(forge(`${personId}.${exp}.${sig.slice(0, -2)}AA`))).json()).toEqual({ valid: false, reason: '二维码无效' });
    expect((await verify('not-a-token')).json()).toEqual({ valid: false, reason: '二维码无效' });
    expect((await verify(fresh.token + 'x')).json()).toEqual({ valid: false, reason: '二维码无效' });
    expect((await t.anonymous.get('/api/public/cards/verify')).statusCode).toBe(400);
  });

  it('a member who has left: the old token says 会籍已失效, the card is gone, memberStatus is left', async () => {
    const { person, w } = await member(303);
    const card = (await w.get('/api/worker/card')).json();
    const m = (await town.get(`/api/members?q=${person.phone}`)).json().items[0];
    const d = (await town.get(`/api/members/${m.id}`)).json();
    const left = await town.post(`/api/members/${m.id}/status`, { action: 'leave', reason: '本人申请退会', version: d.version });
    expect(left.statusCode, left.body).toBe(200);
    expect((await verify(card.token)).json()).toEqual({ valid: false, reason: '会籍已失效' });
    expect((await w.get('/api/worker/card')).statusCode).toBe(404);
    expect((await w.get('/api/worker/me')).json().worker.memberStatus).toBe('left');
  });

  it('a retained member (保留会籍) still has a valid card', async () => {
    const { person, w } = await member(304);
    const m = (await town.get(`/api/members?q=${person.phone}`)).json().items[0];
    const d = (await town.get(`/api/members/${m.id}`)).json();
    expect((await town.post(`/api/members/${m.id}/status`, { action: 'retain', reason: '退休', version: d.version })).statusCode).toBe(200);
    const card = (await w.get('/api/worker/card')).json();
    expect(card.member).toMatchObject({ status: 'retained', statusLabel: '保留会籍' });
    expect((await verify(card.token)).json()).toMatchObject({ valid: true, status: 'retained' });
    expect((await w.get('/api/worker/me')).json().worker.memberStatus).toBe('retained');
  });

  it('masks names to the first character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('买买提·艾力')).toBe('买*****');
  });

  it('the public check is limited to 60 a minute per IP', async () => {
    let last = 0;
    for (let i = 0; i < 61; i++) last = (await t.anonymous.get('/api/public/cards/verify?t=abcdefghij')).statusCode;
    expect(last).toBe(429);
  });
});
