import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson, fakeResidentId } from '../../../../tests/support/people.js';
import { makeMember } from '../../../../tests/support/members.js';
import { getOutcome, signRequest, submitJoin } from '../../../../examples/partner-client.mjs';

let t: TestApp;
let city: Client;
let county: Client;
let sheyangPartnerAdmin: Client;
let fed: string;
let partner: { id: string; keyId: string; secret: string };
let other: { id: string; keyId: string; secret: string };

const JOIN = '/api/partner/v1/join-applications';

/** A request signed with the example client, sent through the whole app. */
async function signed(
  who: { keyId: string; secret: string },
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  opts: { nonce?: string; now?: number; tamper?: (h: Record<string, string>) => void } = {},
) {
  const s = signRequest({ method, path, body, keyId: who.keyId, secret: who.secret, now: opts.now ?? t.clock.now().getTime(), nonce: opts.nonce });
  opts.tamper?.(s.headers);
  const req: InjectOptions = { method, url: path, headers: s.headers, ...(s.body && { payload: s.body }) };
  return t.app.inject(req);
}

const failures = (reason: string) =>
  t.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'partner.auth')
    .where('outcome', '=', 'failure')
    .where('actor_type', '=', 'partner')
    .where('detail', 'like', `%"reason":"${reason}"%`)
    .execute();

const driver = (n: number, ref: string) => ({
  partnerRef: ref,
  person: fakePerson(n),
  employment: { employerName: '满帮货运（示例）', employmentForm: 'truck_driver', isMigrantWorker: true },
});

beforeAll(async () => {
  t = await createTestApp();
  city = await t.login('city_admin');
  county = await t.login('county_admin');
  fed = await orgIdByName(t, '东台市新就业形态劳动者行业工会联合会');
  // A 射阳县 account that may manage partners (its scope is 射阳县's subtree).
  const sys = await t.login('sysadmin');
  const roles = (await sys.get('/api/roles')).json().items as { id: string; code: string }[];
  const r = await sys.post('/api/accounts', {
    username: 'sy_partner',
    displayName: '射阳平台管理',
    orgId: await orgIdByName(t, '射阳县总工会'),
    roleIds: [roles.find((x) => x.code === 'city_admin')!.id],
    password: 'Sheyang#2026x',
  });
  expect(r.statusCode, r.body).toBe(200);
  sheyangPartnerAdmin = await t.firstLogin('sy_partner', 'Sheyang#2026x');
});
afterAll(async () => t?.close());

describe('partner accounts (partner:manage)', () => {
  it('staff create a partner: keyId and the secret shown once, stored encrypted, audited', async () => {
    const res = await city.post('/api/partners', { name: '示例货运平台', orgId: fed });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({ name: '示例货运平台', org: { id: fed }, status: 'active', statusLabel: '启用', rateLimitPerMinute: 120 });
    expect(p.keyId).toMatch(/^ghk_[0-9a-f]{24}$/);
    expect(p.secret.length).toBeGreaterThanOrEqual(40);
    partner = { id: p.id, keyId: p.keyId, secret: p.secret };

    const row = await t.db.selectFrom('partners').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(p.secret);
    expect(t.deps.crypto.decrypt(row.secret_enc)).toBe(p.secret);

    const got = await city.get(`/api/partners/${p.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).not.toHaveProperty('secret');
    expect(got.body).not.toContain(p.secret);
    const list = await city.get('/api/partners');
    expect(list.json().items.map((x: { id: string }) => x.id)).toContain(p.id);
    expect(list.body).not.toContain(p.secret);

    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'partner.create').where('target_id', '=', p.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_type: 'staff', outcome: 'success', org_id: fed });
    expect(audit.detail).not.toContain(p.secret);

    const o = (await city.post('/api/partners', { name: '另一平台', orgId: fed })).json();
    other = { id: o.id, keyId: o.keyId, secret: o.secret };
  });

  it('validates input in Chinese and rejects unknown fields; county staff without partner:manage are refused', async () => {
    const bad = await city.post('/api/partners', { name: 'x', orgId: fed, extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.extra).toContain('不允许的字段');
    const noName = await city.post('/api/partners', { name: 'x', orgId: fed });
    expect(noName.json().error.fields.name).toBe('平台名称至少 2 个字');
    expect((await county.get('/api/partners')).statusCode).toBe(403);
  });

  it('another county’s staff get 404 for the partner record and do not see it listed', async () => {
    for (const url of [`/api/partners/${partner.id}`]) expect((await sheyangPartnerAdmin.get(url)).statusCode).toBe(404);
    for (const action of ['rotate-secret', 'disable', 'enable']) {
      const r = await sheyangPartnerAdmin.post(`/api/partners/${partner.id}/${action}`, {});
      expect(r.statusCode, action).toBe(404);
    }
    const list = await sheyangPartnerAdmin.get('/api/partners');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('示例货运平台');
    expect((await sheyangPartnerAdmin.post('/api/partners', { name: '越权平台', orgId: fed })).statusCode).toBe(404);
  });
});

describe('one-tap join through signed requests', () => {
  let appId: string;

  it('the partner submits for a driver; the same partnerRef again returns the same application', async () => {
    const res = await signed(partner, 'POST', JOIN, driver(1, 'driver-0001'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ partnerRef: 'driver-0001', status: 'pending', statusLabel: '待审核' });
    appId = res.json().id;
    const again = await signed(partner, 'POST', JOIN, driver(1, 'driver-0001'));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().id).toBe(appId);
    const row = await t.db.selectFrom('join_applications').selectAll().where('id', '=', appId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel: 'partner', partner_id: partner.id, partner_ref: 'driver-0001', target_org_id: fed, worker_id: null });
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'join.submit').where('target_id', '=', appId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_type: 'partner', actor_id: partner.id, actor_name: '示例货运平台', outcome: 'success' });
  });

  it('bad input gets Chinese field errors; a target outside the partner’s union is refused', async () => {
    const bad = await signed(partner, 'POST', JOIN, { ...driver(2, 'driver-0002'), person: fakePerson(2, { idNumber: '329901199001010010' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields['person.idNumber']).toContain('校验位');
    // Outside the partner's subtree: 404, as if the union did not exist.
    const outside = await signed(partner, 'POST', JOIN, { ...driver(3, 'driver-0003'), targetOrgId: await orgIdByName(t, '射阳县总工会') });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.code).toBe('NOT_FOUND');
    expect(await t.db.selectFrom('join_applications').select('id').where('partner_ref', '=', 'driver-0003').executeTakeFirst()).toBeUndefined();
    const tooYoung = await signed(partner, 'POST', JOIN, { ...driver(8, 'driver-0008'), person: fakePerson(8, { idNumber: fakeResidentId(8, '20120101') }) });
    expect(tooYoung.statusCode).toBe(400);
    expect(tooYoung.json().error.fields['person.idNumber']).toContain('年满 16 周岁');
  });

  it('(b) a 东台 partner typing a 射阳 member’s ID with another name: refused for 射阳 unions (404) and never changes the member', async () => {
    const sheyang = await orgIdByName(t, '射阳县总工会');
    const m = await makeMember(t, sheyang, 5101);
    const before = await t.db
      .selectFrom('people')
      .select(['name', 'phone_bidx', 'worker_id', 'version'])
      .where('id', '=', m.personId)
      .executeTakeFirstOrThrow();
    const sheyangUnion = (
      await t.db
        .selectFrom('orgs')
        .select('id')
        .where('path', 'like', `%/${sheyang}/%`)
        .where('type', '=', 'grassroots')
        .orderBy('id')
        .executeTakeFirstOrThrow()
    ).id;
    const typed = { ...m.person, name: '冒名顶替', phone: '13700005101' };
    for (const [ref, targetOrgId] of [
      ['takeover-1', sheyang],
      ['takeover-2', sheyangUnion],
    ] as const) {
      const r = await signed(partner, 'POST', JOIN, { partnerRef: ref, person: typed, employment: { employmentForm: 'truck_driver' }, targetOrgId });
      expect(r.statusCode, ref).toBe(404);
    }
    // Into its own 新工联 it is an application like any other, and still nothing changes on the roll.
    const own = await signed(partner, 'POST', JOIN, { partnerRef: 'takeover-3', person: typed, employment: { employmentForm: 'truck_driver' } });
    expect(own.statusCode, own.body).toBe(200);
    const fresh = await signed(partner, 'POST', JOIN, driver(5102, 'takeover-4'));
    const strip = (b: { id: string; partnerRef: string }) => ({ ...b, id: '', partnerRef: '' });
    expect(strip(own.json())).toEqual(strip(fresh.json()));
    const read = (await signed(partner, 'GET', `${JOIN}/takeover-3`)).json();
    expect(read).toMatchObject({ status: 'pending', memberNo: null });
    expect(read).not.toHaveProperty('isTransfer');
    expect(
      await t.db.selectFrom('people').select(['name', 'phone_bidx', 'worker_id', 'version']).where('id', '=', m.personId).executeTakeFirstOrThrow(),
    ).toEqual(before);
    expect((await m.worker.get('/api/worker/card')).json().member.name).toBe(m.person.name);
  });

  it('the 新工联 (county staff) approves; the partner reads approved and the member number', async () => {
    const pending = await signed(partner, 'GET', `${JOIN}/driver-0001`);
    expect(pending.statusCode, pending.body).toBe(200);
    expect(pending.json()).toMatchObject({ id: appId, status: 'pending', memberNo: null, rejectReason: null });
    const detail = (await county.get(`/api/join-applications/${appId}`)).json();
    expect(detail).toMatchObject({ channel: 'partner', canReview: true });
    const ok = await county.post(`/api/join-applications/${appId}/review`, { action: 'approve', version: detail.version });
    expect(ok.statusCode, ok.body).toBe(200);
    const outcome = await signed(partner, 'GET', `${JOIN}/driver-0001`);
    expect(outcome.statusCode).toBe(200);
    expect(outcome.json()).toMatchObject({ status: 'approved', statusLabel: '已通过', memberNo: expect.stringMatching(/^320981\d{9}$/) });
    const m = await t.db.selectFrom('memberships').select(['source', 'org_id']).where('status', '=', 'active').where('org_id', '=', fed).execute();
    expect(m).toContainEqual({ source: 'partner', org_id: fed });
  });

  it('another partner cannot read the first partner’s application (404)', async () => {
    const res = await signed(other, 'GET', `${JOIN}/driver-0001`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});

describe('refused requests: 401, audited as partner failures', () => {
  it('a replayed nonce', async () => {
    const nonce = 'replay-nonce-0000000001';
    const first = await signed(partner, 'GET', `${JOIN}/driver-0001`, undefined, { nonce });
    expect(first.statusCode).toBe(200);
    const replay = await signed(partner, 'GET', `${JOIN}/driver-0001`, undefined, { nonce });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('重复的请求') });
    expect(await failures('replayed_nonce')).toHaveLength(1);
  });

  it('a stale timestamp (the clock moved 6 minutes)', async () => {
    const signedAt = t.clock.now().getTime();
    t.clock.advance(6 * 60_000);
    const res = await signed(partner, 'GET', `${JOIN}/driver-0001`, undefined, { now: signedAt });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toContain('时间戳');
    const future = await signed(partner, 'GET', `${JOIN}/driver-0001`, undefined, { now: t.clock.now().getTime() + 6 * 60_000 });
    expect(future.statusCode).toBe(401);
    expect(await failures('stale_timestamp')).toHaveLength(2);
  });

  it('a wrong signature: wrong secret, or a body changed after signing', async () => {
    const wrong = await signed({ keyId: partner.keyId, secret: 'not-the-secret' }, 'GET', `${JOIN}/driver-0001`);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toContain('签名');
    const s = signRequest({
      method: 'POST',
      path: JOIN,
      body: driver(4, 'driver-0004'),
      keyId: partner.keyId,
      secret: partner.secret,
      now: t.clock.now().getTime(),
    });
    const tampered = await t.app.inject({ method: 'POST', url: JOIN, headers: s.headers, payload: s.body.replace('driver-0004', 'driver-0005') });
    expect(tampered.statusCode).toBe(401);
    const otherPath = await signed(partner, 'GET', `${JOIN}/driver-0001`, undefined, {
      tamper: (h) => {
        h['X-GH-Signature'] = signRequest({
          method: 'GET',
          path: `${JOIN}/driver-0009`,
          keyId: partner.keyId,
          secret: partner.secret,
          now: t.clock.now().getTime(),
          nonce: h['X-GH-Nonce'],
        }).headers['X-GH-Signature']!;
      },
    });
    expect(otherPath.statusCode).toBe(401);
    expect(await failures('bad_signature')).toHaveLength(3);
    expect(await t.db.selectFrom('join_applications').select('id').where('partner_ref', '=', 'driver-0005').executeTakeFirst()).toBeUndefined();
  });

  it('an unknown key, and an unsigned call', async () => {
    const res = await signed({ keyId: 'ghk_000000000000000000000000', secret: 'x' }, 'GET', `${JOIN}/driver-0001`);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toContain('接入密钥');
    expect(await failures('unknown_key')).toHaveLength(1);
    const unsigned = await t.app.inject({ method: 'POST', url: JOIN, payload: driver(6, 'driver-0006') });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().error.code).toBe('UNAUTHENTICATED');
    expect(await failures('missing_headers')).toHaveLength(1);
  });

  it('a disabled partner; enabled again it works; a rotated secret replaces the old one at once', async () => {
    const d = await city.post(`/api/partners/${partner.id}/disable`, {});
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json().status).toBe('disabled');
    const refused = await signed(partner, 'GET', `${JOIN}/driver-0001`);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toContain('已停用');
    const [row] = await failures('disabled');
    expect(row).toMatchObject({ actor_id: partner.id, actor_name: '示例货运平台', org_id: fed });
    expect((await city.post(`/api/partners/${partner.id}/enable`, {})).json().status).toBe('active');
    expect((await signed(partner, 'GET', `${JOIN}/driver-0001`)).statusCode).toBe(200);

    const rotated = await city.post(`/api/partners/${partner.id}/rotate-secret`, {});
    expect(rotated.statusCode).toBe(200);
    const secret = rotated.json().secret as string;
    expect(secret).not.toBe(partner.secret);
    expect((await signed(partner, 'GET', `${JOIN}/driver-0001`)).statusCode).toBe(401);
    partner = { ...partner, secret };
    expect((await signed(partner, 'GET', `${JOIN}/driver-0001`)).statusCode).toBe(200);
    const actions = await t.db.selectFrom('audit_log').select('action').where('target_type', '=', 'partner').where('outcome', '=', 'success').execute();
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['partner.create', 'partner.disable', 'partner.enable', 'partner.rotate_secret']));
  });

  it('old nonces are deleted after 10 minutes', async () => {
    expect(
      Number(
        (
          await t.db
            .selectFrom('partner_nonces')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBeGreaterThan(0);
    t.clock.advance(11 * 60_000);
    expect((await signed(partner, 'GET', `${JOIN}/driver-0001`)).statusCode).toBe(200);
    const left = await t.db.selectFrom('partner_nonces').selectAll().execute();
    expect(left).toHaveLength(1);
  });

  it('each partner is rate-limited at its own rate', async () => {
    const slow = (await city.post('/api/partners', { name: '限流平台', orgId: fed, rateLimitPerMinute: 3 })).json();
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await signed(slow, 'GET', `${JOIN}/nothing-${i}`)).statusCode);
    expect(codes).toEqual([404, 404, 404, 429]);
    expect((await signed(partner, 'GET', `${JOIN}/driver-0001`)).statusCode).toBe(200);
  });
});

describe('the example client over HTTP', () => {
  it('submitJoin and getOutcome against the listening server', async () => {
    t.clock.set(new Date()); // the client signs with the real time
    const baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const conn = { baseUrl, keyId: partner.keyId, secret: partner.secret };
    const submitted = await submitJoin({ ...conn, application: driver(7, 'driver-0007') });
    expect(submitted).toMatchObject({ partnerRef: 'driver-0007', status: 'pending' });
    const outcome = await getOutcome({ ...conn, partnerRef: 'driver-0007' });
    expect(outcome).toMatchObject({ id: submitted.id, status: 'pending', memberNo: null });
    await expect(getOutcome({ ...conn, secret: 'wrong' + partner.secret, partnerRef: 'driver-0007' })).rejects.toMatchObject({ status: 401 });
  });
});

describe('OpenAPI', () => {
  it('lists the partner routes with the signing scheme', async () => {
    const doc = (await t.anonymous.get('/api/openapi.json')).json();
    expect(doc.components.securitySchemes.partnerSignature.description).toContain('HMAC-SM3');
    const post = doc.paths['/api/partner/v1/join-applications'].post;
    expect(post.security).toEqual([{ partnerSignature: [] }]);
    expect(post.description).toContain('X-GH-Signature');
    expect(doc.paths['/api/partner/v1/join-applications/{partnerRef}'].get).toBeTruthy();
    expect(doc.paths['/api/partners'].post.security).toEqual([{ staffSession: [] }]);
  });
});
