// The holiday calendar through the HTTP API, and the SLAs that count with it: a join
// application's 15 working days and a service application's step, across 国庆 2026, and a day
// added by staff moving the next due date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember, type TestMember } from '../../../../tests/support/members.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { JOIN_CONSENT } from '../joining/joining.schema.js';
import { ensureHolidays } from './holidays.service.js';

let t: TestApp;
let sys: Client, county: Client;
let members: TestMember[];
let serviceTypeId: string;
const cst = (s: string) => new Date(`${s}+08:00`);

beforeAll(async () => {
  t = await createTestApp();
  sys = await t.login('sysadmin');
  county = await t.login('county_admin');
  const grassroots = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  members = [await makeMember(t, grassroots, 4101), await makeMember(t, grassroots, 4102), await makeMember(t, grassroots, 4103)];
  const type = await county.post('/api/service-types', {
    code: 'holiday_sla',
    name: '时限测试',
    category: '测试',
    applicantScope: 'member',
    form: [{ key: 'note', label: '说明', type: 'text', required: false }],
    attachments: [],
    steps: [{ key: 'only', name: '县级审批', level: 'county', slaDays: 3, actions: ['approve', 'reject'] }],
  });
  expect(type.statusCode, type.body).toBe(200);
  serviceTypeId = type.json().id;
});
afterAll(async () => t?.close());

async function submitAt(at: string, m: TestMember, key: string) {
  t.clock.set(cst(at));
  const svc = t.services.features.applications.service;
  const actor = { type: 'worker' as const, workerId: m.workerId, phoneMasked: '139****0000', sessionId: key };
  const r = await svc.submit(actor, { ip: '127.0.0.1', requestId: key, userAgent: null }, { serviceTypeId, values: {}, attachments: {}, idempotencyKey: key });
  const row = await t.db.selectFrom('applications').select('step_due_at').where('id', '=', r.id).executeTakeFirstOrThrow();
  return row.step_due_at!.toISOString();
}

describe('the calendar', () => {
  it('is seeded with the State Council schedules for 2025 and 2026; 2027 is not published', async () => {
    const y26 = (await sys.get('/api/holidays?year=2026')).json();
    expect(y26.notice).toContain('2026年部分节假日安排');
    expect(y26.items.filter((d: { kind: string }) => d.kind === 'holiday')).toHaveLength(33);
    expect(y26.items.filter((d: { kind: string }) => d.kind === 'workday').map((d: { day: string }) => d.day)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    expect(y26.items.find((d: { day: string }) => d.day === '2026-10-10')).toMatchObject({ kind: 'workday', name: '国庆节调休', weekday: 6, edited: false });
    const y25 = (await sys.get('/api/holidays?year=2025')).json();
    expect(y25.items).toHaveLength(28 + 5);
    expect(await sys.get('/api/holidays?year=2027').then((r) => r.json())).toEqual({ year: 2027, items: [], notice: null });
  });

  it('needs holiday:manage (401 anonymous, 403 without it) and checks its input', async () => {
    expect((await t.anonymous.get('/api/holidays?year=2026')).statusCode).toBe(401);
    expect((await county.get('/api/holidays?year=2026')).statusCode).toBe(403);
    expect((await county.post('/api/holidays', { day: '2026-12-01', kind: 'holiday', name: '测试' })).statusCode).toBe(403);
    expect((await county.delete('/api/holidays/2026-10-01')).statusCode).toBe(403);
    expect((await sys.get('/api/holidays?year=abc')).statusCode).toBe(400);
    expect((await sys.post('/api/holidays', { day: '2026-02-30', kind: 'holiday', name: '不存在' })).statusCode).toBe(400);
    const weekday = await sys.post('/api/holidays', { day: '2026-12-02', kind: 'workday', name: '调休' });
    expect(weekday.statusCode).toBe(400);
    expect(weekday.json().error.message).toContain('周六或周日');
    const dup = await sys.post('/api/holidays', { day: '2026-10-01', kind: 'holiday', name: '国庆节' });
    expect(dup.statusCode).toBe(409);
    expect((await sys.delete('/api/holidays/2026-12-25')).statusCode).toBe(404);
  });

  it('a county-level system administrator may read but not change the city-wide calendar', async () => {
    const roles = (await sys.get('/api/roles')).json().items as { id: string; code: string }[];
    const created = await sys.post('/api/accounts', {
      username: 'dt_sys_h',
      displayName: '东台系统管理员',
      orgId: await orgIdByName(t, '东台市总工会'),
      roleIds: [roles.find((r) => r.code === 'system_admin')!.id],
      password: 'Dongtai#2026x',
    });
    expect(created.statusCode, created.body).toBe(200);
    const c = await t.login('dt_sys_h', 'Dongtai#2026x');
    expect((await c.post('/api/auth/password', { currentPassword: 'Dongtai#2026x', newPassword: 'Dongtai#2026y' })).statusCode).toBe(200);
    expect((await c.get('/api/holidays?year=2026')).statusCode).toBe(200);
    const r = await c.post('/api/holidays', { day: '2026-12-01', kind: 'holiday', name: '东台自定' });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toContain('市总工会');
    expect((await c.delete('/api/holidays/2026-10-01')).statusCode).toBe(403);
  });

  it('staff remove and add days, audited; a removed official day stays removed after the start-up seed', async () => {
    const removed = await sys.delete('/api/holidays/2025-01-01');
    expect(removed.statusCode, removed.body).toBe(200);
    await ensureHolidays(t.db);
    expect((await sys.get('/api/holidays?year=2025')).json().items.map((d: { day: string }) => d.day)).not.toContain('2025-01-01');
    const back = await sys.post('/api/holidays', { day: '2025-01-01', kind: 'holiday', name: '元旦（补录）' });
    expect(back.statusCode, back.body).toBe(200);
    expect((await sys.get('/api/holidays?year=2025')).json().items[0]).toMatchObject({ day: '2025-01-01', name: '元旦（补录）', edited: true });
    const audit = await t.db.selectFrom('audit_log').select(['action', 'target_id', 'detail']).where('target_type', '=', 'holiday').orderBy('seq').execute();
    expect(audit.map((a) => [a.action, a.target_id])).toEqual([
      ['holiday.remove', '2025-01-01'],
      ['holiday.add', '2025-01-01'],
    ]);
    expect(JSON.parse(audit[1]!.detail!)).toEqual({ kind: 'holiday', name: '元旦（补录）' });
  });
});

describe('SLAs count with the calendar', () => {
  it('a service application submitted on 2026-09-30 with 3 working days is due on the 调休 Saturday 10-10', async () => {
    expect(await submitAt('2026-09-30T10:00:00', members[0]!, 'holiday-sla-0001')).toBe(cst('2026-10-10T10:00:00').toISOString());
  });

  it('a join application submitted on 2026-09-30 is due 15 working days later, on 10-27', async () => {
    t.clock.set(cst('2026-09-30T10:00:00'));
    const p = fakePerson(4199);
    const w = await t.workerLogin(p.phone);
    const grassroots = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
    const r = await w.post('/api/worker/join', {
      person: p,
      employment: {},
      targetOrgId: grassroots,
      consent: { agreed: true, version: JOIN_CONSENT.version },
      idempotencyKey: 'holiday-join-4199',
    });
    expect(r.statusCode, r.body).toBe(200);
    const row = await t.db.selectFrom('join_applications').select('due_at').where('id', '=', r.json().id).executeTakeFirstOrThrow();
    expect(row.due_at.toISOString()).toBe(cst('2026-10-27T10:00:00').toISOString());
  });

  it('a day added by staff moves the next due date', async () => {
    // Monday 2026-11-30 + 3 working days = Thursday 12-03; with Tuesday 12-01 off, Friday 12-04.
    expect(await submitAt('2026-11-30T10:00:00', members[1]!, 'holiday-sla-0002')).toBe(cst('2026-12-03T10:00:00').toISOString());
    const sysNow = await t.login('sysadmin');
    const added = await sysNow.post('/api/holidays', { day: '2026-12-01', kind: 'holiday', name: '临时放假' });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toEqual({ day: '2026-12-01', kind: 'holiday', name: '临时放假' });
    expect(await submitAt('2026-11-30T10:00:00', members[2]!, 'holiday-sla-0003')).toBe(cst('2026-12-04T10:00:00').toISOString());
    // And removing it again restores Monday-to-Friday counting for that week.
    expect((await sysNow.delete('/api/holidays/2026-12-01')).statusCode).toBe(200);
    const svc = t.services.holidays;
    expect((await svc.addWorkingDays(t.db, cst('2026-11-30T10:00:00'), 3)).toISOString()).toBe(cst('2026-12-03T10:00:00').toISOString());
  });
});
