import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson, fakeResidentId } from '../../../../tests/support/people.js';
import { employmentInput, personInput } from './members.schema.js';
import { EXPORT_PAGE_SIZE, ROLL_COLUMNS } from './members.export.js';
import { maskPhone } from '../../platform/crypto.js';
import { maskIdNumber } from '../../platform/validators.js';

let t: TestApp;
let county: Client;
const ids: Record<string, string> = {};

async function addMember(n: number, orgId: string, employment: Record<string, unknown> = {}, person: Record<string, unknown> = {}) {
  await t.db.transaction().execute(async (trx) => {
    const p = await t.services.members.identify(trx, personInput.parse(fakePerson(n, person)));
    await t.services.members.admit(trx, {
      person: p,
      orgId,
      employment: employmentInput.parse(employment),
      source: 'staff',
      actor: { type: 'system', id: null, name: '测试' },
    });
    // 劳模 comes from the register (decision 033): set as the register's sync does
    if (employment.isModelWorker) await t.services.members.setModelWorker(trx, p.id, true);
  });
}

async function readSheet(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return rows;
}

const exportAs = (c: Client, body: unknown) => c.request({ method: 'POST', url: '/api/members/export', payload: body as object });

beforeAll(async () => {
  t = await createTestApp();
  ids.enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  ids.dongtaiFed = await orgIdByName(t, '东台市新就业形态劳动者行业工会联合会');
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  ids.sheyangEnterprise = (
    await t.db
      .selectFrom('orgs')
      .select('id')
      .where('path', 'like', `/1/${ids.sheyang}/%`)
      .where('type', '=', 'grassroots')
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id;
  await addMember(1, ids.enterprise, { employerName: '=HYPERLINK("http://evil.example","点我")', isMigrantWorker: true });
  await addMember(2, ids.enterprise, { employerName: '东台某物流公司', employmentForm: 'truck_driver' });
  await addMember(3, ids.dongtaiFed, { employerName: '@SUM(A1)', employmentForm: 'courier', isModelWorker: true }, { name: '阿依古丽·买买提' });
  await addMember(4, ids.sheyangEnterprise, { employerName: '射阳某公司' }, { name: '射阳会员' });
  county = await t.login('county_admin');
});
afterAll(async () => t?.close());

describe('POST /api/members/export', () => {
  it('streams a masked .xlsx of the caller’s scope, formula-escaped, and audits it', async () => {
    const res = await exportAs(county, { filters: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="member-roll-20261121.xlsx"; filename*=UTF-8''${encodeURIComponent('会员名册-20261121.xlsx')}`,
    );
    const rows = await readSheet(res.rawPayload);
    expect(rows[0]).toEqual([...ROLL_COLUMNS]);
    const data = rows.slice(1);
    expect(data).toHaveLength(3);
    expect(data.map((r) => r[1])).not.toContain('射阳会员');
    const first = data.find((r) => r[4]!.endsWith(fakeResidentId(1).slice(-4)))!;
    expect(first[4]).toBe(`${fakeResidentId(1).slice(0, 4)}**********${fakeResidentId(1).slice(-4)}`);
    expect(first[5]).toBe(`139****${fakePerson(1).phone.slice(-4)}`);
    expect(first[9]).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    expect(first[11]).toBe('是');
    const third = data.find((r) => r[1] === '阿依古丽·买买提')!;
    expect(third[9]).toBe("'@SUM(A1)");
    expect(third).toMatchObject({ 7: '在会', 8: '快递员', 12: '是' });
    expect(first[0]).toMatch(/^32098126\d{7}$/);
    expect(first[3]).toBe('1990-01-01');
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.export').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ rows: 3, full: false });
  });

  it('applies the filters (employment form, org, status)', async () => {
    const byForm = await readSheet((await exportAs(county, { filters: { employmentForm: 'truck_driver' } })).rawPayload);
    expect(byForm.slice(1).map((r) => r[4]!.slice(-4))).toEqual([fakeResidentId(2).slice(-4)]);
    const byOrg = await readSheet((await exportAs(county, { filters: { orgId: ids.dongtaiFed, status: ['active', 'retained'] } })).rawPayload);
    expect(byOrg.slice(1).map((r) => r[1])).toEqual(['阿依古丽·买买提']);
    const none = await readSheet((await exportAs(county, { filters: { status: ['left'] } })).rawPayload);
    expect(none).toHaveLength(1);
  });

  it('answers 404 for a union outside the scope, and rejects unknown fields', async () => {
    const out = await exportAs(county, { filters: { orgId: ids.sheyang } });
    expect(out.statusCode).toBe(404);
    const unknown = await exportAs(county, { filters: {}, columns: ['x'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('columns');
  });

  it('full values need member:reveal and a reason; they are decrypted and audited with the reason and row count', async () => {
    const noReason = await exportAs(county, { filters: {}, full: true });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toContain('事由');
    const res = await exportAs(county, { filters: { employmentForm: 'standard' }, full: true, reason: '年度会员核对' });
    expect(res.statusCode, res.body).toBe(200);
    const data = (await readSheet(res.rawPayload)).slice(1);
    expect(data).toHaveLength(1);
    expect(data[0]![4]).toBe(fakeResidentId(1));
    expect(data[0]![5]).toBe(fakePerson(1).phone);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.export_full').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ rows: 1, full: true, reason: '年度会员核对', filters: { employmentForm: 'standard' } });
    expect(audit.actor_name).toContain('county_admin');
  });

  it('a search by full ID number is kept masked in the audit trail', async () => {
    const res = await exportAs(county, { filters: { q: fakeResidentId(2) } });
    expect((await readSheet(res.rawPayload)).length).toBe(2);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.export').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.detail).not.toContain(fakeResidentId(2));
    expect(JSON.parse(audit.detail!).filters.q).toMatch(/^3299\*+/);
  });

  it('an account with member:export but without member:reveal gets masked only; a leader without member:export gets 403', async () => {
    const sys = await t.login('sysadmin');
    const role = await sys.post('/api/roles', { code: 'exporter', name: '名册导出员', permissions: ['member:read', 'member:export'] });
    expect(role.statusCode, role.body).toBe(200);
    const dongtai = await orgIdByName(t, '东台市总工会');
    const acc = await sys.post('/api/accounts', {
      username: 'dt_exporter',
      displayName: '导出员',
      orgId: dongtai,
      roleIds: [role.json().id],
      password: 'Exporter#2026',
    });
    expect(acc.statusCode, acc.body).toBe(200);
    const exporter = await t.firstLogin('dt_exporter', 'Exporter#2026');
    expect((await exportAs(exporter, { filters: {} })).statusCode).toBe(200);
    const full = await exportAs(exporter, { filters: {}, full: true, reason: '想看完整号码' });
    expect(full.statusCode).toBe(403);
    expect(full.json().error.code).toBe('FORBIDDEN');
    const leader = await t.login('leader');
    const denied = await exportAs(leader, { filters: {} });
    expect(denied.statusCode).toBe(403);
  });

  it('reads page after page (keyset across unions): every row once, none missed', async () => {
    const n = EXPORT_PAGE_SIZE * 2 + 500;
    const orgs = [ids.enterprise!, ids.dongtaiFed!];
    const paths = await t.db.selectFrom('orgs').select(['id', 'path']).where('id', 'in', orgs).execute();
    const c = t.deps.crypto;
    for (let start = 0; start < n; start += 500) {
      const people = Array.from({ length: 500 }, (_, i) => {
        const k = 10_000 + start + i;
        const id = fakeResidentId(k);
        const phone = `137${String(k).padStart(8, '0')}`;
        return {
          id_type: 'resident_id' as const,
          id_enc: c.encrypt(id),
          id_bidx: c.blindIndex(`resident_id:${id}`, 'id'),
          id_last4: id.slice(-4),
          id_masked: maskIdNumber(id),
          name: '批量会员',
          name_initials: 'plhy',
          name_pinyin: 'pilianghuiyuan',
          sex: 'M' as const,
          birth_date: '1990-01-01',
          phone_enc: c.encrypt(phone),
          phone_bidx: c.blindIndex(phone, 'phone'),
          phone_masked: maskPhone(phone),
          member_no: `M${k}`,
          ethnicity: null,
          education: null,
          political_status: null,
          hukou_type: null,
          hukou_region: null,
          emergency_contact_name: null,
          emergency_contact_phone_enc: null,
          emergency_contact_phone_masked: null,
          worker_id: null,
        };
      });
      const inserted = await t.db.insertInto('people').values(people).returning('id').execute();
      await t.db
        .insertInto('memberships')
        .values(
          inserted.map((p, i) => {
            const org = paths[(start + i) % 2]!;
            return {
              person_id: p.id,
              org_id: org.id,
              org_path: org.path,
              status: 'active' as const,
              joined_on: '2026-01-01',
              source: 'import' as const,
              employer_name: null,
              job_title: null,
              skill_grade: null,
              ended_on: null,
            };
          }),
        )
        .execute();
    }
    const res = await exportAs(county, { filters: {} });
    expect(res.headers['x-row-count']).toBe(String(n + 3));
    const data = (await readSheet(res.rawPayload)).slice(1);
    expect(data).toHaveLength(n + 3);
    expect(new Set(data.map((r) => r[0])).size).toBe(n + 3);
  });
});
