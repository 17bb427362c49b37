// Input edge cases (issue 9, defect 6), one shared mechanism for every route: NUL, lone surrogates,
// bidi overrides and zero-width characters in any string, impossible dates and ids past the bigint
// range answer 400 naming the field — never 500, nothing stored. Text is stored NFC; ID numbers
// and phones are accepted as people type them and stored canonical; names with CJK characters
// outside the BMP are accepted.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../support/test-app.js';
import { fakePerson, fakeResidentId } from '../support/people.js';
import { makeMember } from '../support/members.js';
import { signRequest } from '../../examples/partner-client.mjs';

let t: TestApp;
let city: Client, county: Client, sysadmin: Client, secadmin: Client, auditor: Client, worker: Client;
let dongtai: string, grassroots: string, fed: string, legalAid: string;
let partner: { keyId: string; secret: string };

const JOIN = '/api/partner/v1/join-applications';
const TOO_BIG = '9223372036854775808'; // bigint max + 1
const LARGEST = '9223372036854775807';

const signed = (method: 'GET' | 'POST', path: string, body?: unknown) => {
  const s = signRequest({ method, path, body, keyId: partner.keyId, secret: partner.secret, now: t.clock.now().getTime() });
  return t.app.inject({ method, url: path, headers: s.headers, ...(s.body && { payload: s.body }) } as InjectOptions);
};

beforeAll(async () => {
  t = await createTestApp();
  city = await t.login('city_admin');
  county = await t.login('county_admin');
  sysadmin = await t.login('sysadmin');
  secadmin = await t.login('secadmin');
  auditor = await t.login('auditor');
  worker = await t.workerLogin('13700004001');
  dongtai = await orgIdByName(t, '东台市总工会');
  fed = await orgIdByName(t, '东台市新就业形态劳动者行业工会联合会');
  grassroots = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  legalAid = (await t.db.selectFrom('service_types').select('id').where('code', '=', 'legal_aid').executeTakeFirstOrThrow()).id;
  const p = await city.post('/api/partners', { name: '输入校验测试平台', orgId: fed });
  expect(p.statusCode, p.body).toBe(200);
  partner = { keyId: p.json().keyId, secret: p.json().secret };
});
afterAll(async () => t?.close());

const count = async (table: 'orgs' | 'applications' | 'join_applications', where: (q: any) => any) => {
  const q = where(t.db.selectFrom(table).select((eb: any) => eb.fn.countAll().as('n')));
  return Number((await q.executeTakeFirstOrThrow()).n);
};

// ---- one bad value, sent through each kind of route ----

interface Route {
  name: string;
  /** The JSON body can carry any string; a URL only valid UTF-8 (no lone surrogate). */
  inUrl: boolean;
  send(bad: string, n: number): Promise<{ statusCode: number; json(): any }>;
  field: string;
  stored?(n: number): Promise<number>;
}

const ROUTES: Route[] = [
  {
    name: 'staff JSON body (POST /api/orgs)',
    inUrl: false,
    send: (bad, n) => city.post('/api/orgs', { parentId: dongtai, name: `校验工会${n}${bad}`, type: 'grassroots' }),
    field: 'name',
    stored: (n) => count('orgs', (q) => q.where('name', 'like', `校验工会${n}%`)),
  },
  {
    name: 'query string (GET /api/members?q=)',
    inUrl: true,
    send: (bad) => county.get(`/api/members?q=${encodeURIComponent(`张${bad}三`)}`),
    field: 'q',
  },
  {
    name: 'path parameter (GET /api/orgs/:id)',
    inUrl: true,
    send: (bad) => city.get(`/api/orgs/${encodeURIComponent(`${dongtai}${bad}`)}`),
    field: 'id',
  },
  {
    name: 'worker H5 body (POST /api/worker/applications)',
    inUrl: false,
    send: (bad, n) =>
      worker.post('/api/worker/applications', {
        serviceTypeId: legalAid,
        orgId: grassroots,
        applicantName: '赵明',
        values: { disputeType: '劳动报酬', employer: '某物流公司', facts: `拖欠工资${bad}三个月`, contactPhone: '13700004001' },
        idempotencyKey: `hygiene-${n}-aaaa`,
      }),
    field: 'values.facts',
    stored: (n) => count('applications', (q) => q.where('idempotency_key', '=', `hygiene-${n}-aaaa`)),
  },
  {
    name: 'partner API (signed POST /api/partner/v1/join-applications)',
    inUrl: false,
    send: (bad, n) =>
      signed('POST', JOIN, {
        partnerRef: `hygiene-${n}`,
        person: { ...fakePerson(4100 + n), name: `王${bad}明` },
        employment: { employmentForm: 'truck_driver' },
      }),
    field: 'person.name',
    stored: (n) => count('join_applications', (q) => q.where('partner_ref', '=', `hygiene-${n}`)),
  },
];

const BAD_TEXT: [string, string][] = [
  ['NUL', '\u0000'],
  ['a control character (ESC)', '\u001b'],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate', '\udc00'],
  ['RIGHT-TO-LEFT OVERRIDE', '\u202e'],
  ['LEFT-TO-RIGHT EMBEDDING', '\u202a'],
  ['RIGHT-TO-LEFT ISOLATE', '\u2067'],
  ['POP DIRECTIONAL ISOLATE', '\u2069'],
  ['ZERO WIDTH SPACE', '\u200b'],
  ['ZERO WIDTH JOINER', '\u200d'],
  ['WORD JOINER', '\u2060'],
  ['BOM / ZERO WIDTH NO-BREAK SPACE', '\ufeff'],
];

describe('refused characters: 400 naming the field, nothing stored, never 500', () => {
  let n = 0;
  const cases = ROUTES.flatMap((r) => BAD_TEXT.filter(([, c]) => !(r.inUrl && /[\ud800-\udfff]/.test(c))).map(([what, c]) => [r.name, what, r, c] as const));
  it.each(cases)('%s — %s', async (_route, _what, route, bad) => {
    const i = ++n;
    const res = await route.send(bad, i);
    expect(res.statusCode, JSON.stringify(res.json())).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields[route.field]).toContain('包含不允许的字符');
    expect(error.message).toContain(route.field);
    if (route.stored) expect(await route.stored(i)).toBe(0);
  });

  it('a refused character in a key is refused too, named by its object', async () => {
    const res = await worker.post('/api/worker/applications', {
      serviceTypeId: legalAid,
      orgId: grassroots,
      values: { ['facts\u200b']: 'x' },
      idempotencyKey: 'hygiene-key-0001',
    });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toEqual(['values']);
  });
});

describe('impossible dates: 400 naming the field', () => {
  const cases: [string, () => Promise<{ statusCode: number; json(): any }>, string][] = [
    ['staff JSON body', () => city.post('/api/orgs', { parentId: dongtai, name: '日期校验工会', type: 'grassroots', foundedOn: '2026-02-30' }), 'foundedOn'],
    ['query string', () => county.get('/api/applications?from=2026-02-30'), 'from'],
    ['query string (audit)', () => auditor.get('/api/audit?from=2026-02-29'), 'from'],
    ['path parameter', () => sysadmin.delete('/api/holidays/2026-02-30'), 'day'],
    [
      'worker H5 body',
      () =>
        worker.post('/api/worker/join', {
          person: { ...fakePerson(4201), phone: '13700004001', birthDate: '2026-02-30' },
          employment: {},
          targetOrgId: grassroots,
          consent: { agreed: true, version: '2026-11-01' },
          idempotencyKey: 'hygiene-date-0001',
        }),
      'person.birthDate',
    ],
    [
      'partner API',
      () => signed('POST', JOIN, { partnerRef: 'hygiene-date', person: { ...fakePerson(4202), birthDate: '2026-13-01' }, employment: {} }),
      'person.birthDate',
    ],
  ];
  it.each(cases)('%s', async (_what, send, field) => {
    const res = await send();
    expect(res.statusCode, JSON.stringify(res.json())).toBe(400);
    expect(res.json().error.fields[field]).toMatch(/不是有效日期/);
  });

  it('a real leap day is accepted', async () => {
    const res = await city.post('/api/orgs', { parentId: dongtai, name: '闰日成立工会', type: 'grassroots', foundedOn: '2024-02-29' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().foundedOn).toBe('2024-02-29');
  });
});

describe('ids past the bigint range: 400 naming the field', () => {
  const cases: [string, () => Promise<{ statusCode: number; json(): any }>, string][] = [
    ['path parameter', () => city.get(`/api/orgs/${TOO_BIG}`), 'id'],
    ['path parameter (second id)', () => city.get(`/api/applications/1/attachments/${TOO_BIG}`), 'attachmentId'],
    ['staff JSON body', () => city.post('/api/orgs', { parentId: TOO_BIG, name: '编号校验工会', type: 'grassroots' }), 'parentId'],
    [
      'staff JSON body (array)',
      () => sysadmin.post('/api/accounts', { username: 'idcheck', displayName: '编号校验', orgId: dongtai, roleIds: [TOO_BIG], password: 'Idcheck#2026x' }),
      'roleIds.0',
    ],
    ['query string', () => county.get(`/api/applications?orgId=${TOO_BIG}`), 'orgId'],
    [
      'worker H5 body',
      () => worker.post('/api/worker/applications', { serviceTypeId: TOO_BIG, values: {}, idempotencyKey: 'hygiene-id-0001' }),
      'serviceTypeId',
    ],
    ['partner API', () => signed('POST', JOIN, { partnerRef: 'hygiene-id', person: fakePerson(4301), employment: {}, targetOrgId: TOO_BIG }), 'targetOrgId'],
  ];
  it.each(cases)('%s', async (_what, send, field) => {
    const res = await send();
    expect(res.statusCode, JSON.stringify(res.json())).toBe(400);
    expect(res.json().error.fields[field]).toContain('超出范围');
  });

  it('a row version past int answers 400 naming it (a stale one answers 409)', async () => {
    const org = (await city.get(`/api/orgs/${dongtai}`)).json();
    const big = await city.patch(`/api/orgs/${dongtai}`, { version: 2 ** 31, name: org.name });
    expect(big.statusCode).toBe(400);
    expect(big.json().error.fields.version).toBe('版本号超出范围');
    expect((await city.patch(`/api/orgs/${dongtai}`, { version: org.version + 1, name: org.name })).statusCode).toBe(409);
  });

  it('the roll and join lists use the shared id and date fields: 400 naming the field', async () => {
    for (const [url, field] of [
      [`/api/members?orgId=${TOO_BIG}`, 'orgId'],
      ['/api/members?joinedFrom=2026-02-30', 'joinedFrom'],
      [`/api/join-applications?orgId=${TOO_BIG}`, 'orgId'],
    ] as const) {
      const res = await county.get(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.json().error.fields ?? {}), url).toContain(field);
    }
  });

  it('the largest bigint is a valid id: 404 when there is no such record', async () => {
    expect((await city.get(`/api/orgs/${LARGEST}`)).statusCode).toBe(404);
  });

  it('no route answers 500 to an id past the bigint range in its path', async () => {
    const staff = [city, sysadmin, secadmin, auditor];
    const checked: string[] = [];
    for (const r of t.routes) {
      if (!r.url.includes(':') || r.access === 'partner') continue;
      const url = r.url.replace(/:[A-Za-z]+/g, TOO_BIG);
      const send = (c: Client) =>
        c.request({ method: r.method as InjectOptions['method'], url, ...(r.method !== 'GET' && r.method !== 'DELETE' && { payload: {} }) });
      let res;
      if (r.access === 'public') res = await send(t.anonymous);
      else if (r.access === 'worker') res = await send(worker);
      else {
        for (const c of staff) {
          res = await send(c);
          if (res.statusCode !== 403) break;
        }
      }
      expect(res!.statusCode, `${r.method} ${r.url}: ${res!.body}`).not.toBe(500);
      if (res!.statusCode !== 403) expect([400, 404], `${r.method} ${r.url}: ${res!.body}`).toContain(res!.statusCode);
      checked.push(`${r.method} ${r.url}`);
    }
    expect(checked.length).toBeGreaterThan(50);
  });
});

describe('text is stored NFC; names with CJK outside the BMP; ID numbers and phones as typed', () => {
  it('a decomposed string is read back composed (staff body and worker body)', async () => {
    const org = await city.post('/api/orgs', { parentId: dongtai, name: 'Cafe\u0301 职工工会', type: 'grassroots' });
    expect(org.statusCode, org.body).toBe(200);
    expect(org.json().name).toBe('Café 职工工会');
    expect((await city.get(`/api/orgs/${org.json().id}`)).json().name).toBe('Café 职工工会');
    const row = await t.db.selectFrom('orgs').select('name').where('id', '=', org.json().id).executeTakeFirstOrThrow();
    expect(row.name).toBe('Caf\u00e9 职工工会');
  });

  it('a signed partner body is normalised after its signature is checked (the signature covers the bytes as sent)', async () => {
    const res = await signed('POST', JOIN, {
      partnerRef: 'hygiene-nfc',
      person: fakePerson(4401),
      employment: { employerName: 'Cafe\u0301 货运', employmentForm: 'truck_driver' },
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('a name with Extension B characters is accepted and read back identical; ID number and phone as typed are stored canonical and found', async () => {
    const id = (() => {
      for (let n = 4500; n < 5500; n++) if (fakeResidentId(n).endsWith('X')) return { n, id: fakeResidentId(n) };
      throw new Error('no X');
    })();
    const fw = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const typedId = `${fw(id.id.slice(0, 6))} ${id.id.slice(6, 14)}-${id.id.slice(14, 17)}x`;
    const phone = `139${String(10_000_000 + id.n).slice(-8)}`;
    const typedPhone = `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)} ${fw(phone.slice(7))}`;
    const m = await makeMember(t, grassroots, id.n, { name: '𠀀𪚥明', idNumber: typedId, phone: typedPhone });
    for (const q of [id.id, phone]) {
      const found = (await county.get(`/api/members?q=${q}`)).json();
      expect(
        found.items.map((x: { id: string; name: string }) => [x.id, x.name]),
        q,
      ).toEqual([[m.membershipId, '𠀀𪚥明']]);
    }
    const reveal = async (field: string) =>
      (await city.post(`/api/members/${m.membershipId}/reveal`, { field, reason: '核对输入规范化' })).json().value as string;
    expect(await reveal('idNumber')).toBe(id.id);
    expect(await reveal('phone')).toBe(phone);
    // found also when the search box gets it as typed
    expect((await county.get(`/api/members?q=${encodeURIComponent(`${id.id.slice(0, 17)}x`)}`)).json().total).toBe(1);
  });

  it('the worker signs in with the phone as typed (+86, spaces): the same account', async () => {
    const a = await t.workerLogin('13700004002');
    t.clock.advance(61_000); // one SMS code a minute per phone
    const b = await t.workerLogin('+86 137 0000 4002');
    const me = async (c: Client) => (await c.get('/api/worker/me')).json().worker.id;
    expect(await me(b)).toBe(await me(a));
  });
});
