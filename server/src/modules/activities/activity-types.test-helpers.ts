// Shared set-up of the activity-types integration tests: an app, 东台 staff, members of 东台's demo
// enterprise union (people 6000–6999) and published activities open for enrollment now.
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { JOIN_CONSENT } from '../joining/joining.schema.js';

export interface Member {
  worker: Client;
  personId: string;
  name: string;
  phone: string;
}

export const HOUR = 3_600_000;
export const iso = (ms: number) => new Date(ms).toISOString();

export class TypesEnv {
  private constructor(
    readonly t: TestApp,
    public county: Client,
    public city: Client,
    readonly enterprise: string,
  ) {}

  static async create() {
    const t = await createTestApp();
    const enterprise = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
    return new TypesEnv(t, await t.login('county_admin'), await t.login('city_admin'), enterprise);
  }

  /** Staff sessions idle out after 30 minutes: sign in again after moving the clock. */
  async relogin() {
    this.county = await this.t.login('county_admin');
    this.city = await this.t.login('city_admin');
  }

  /** An active member of 东台's demo enterprise union, with employment flags. */
  async member(n: number, name: string, employment: Record<string, unknown> = {}): Promise<Member> {
    const person = fakePerson(n, { name });
    const worker = await this.t.workerLogin(person.phone);
    const applied = await worker.post('/api/worker/join', {
      person,
      employment,
      targetOrgId: this.enterprise,
      consent: { agreed: true, version: JOIN_CONSENT.version },
      idempotencyKey: `activity-types-${n}`,
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const d = (await this.city.get(`/api/join-applications/${applied.json().id}`)).json();
    const ok = await this.city.post(`/api/join-applications/${d.id}/review`, { action: 'approve', version: d.version });
    expect(ok.statusCode, ok.body).toBe(200);
    const p = await this.t.db.selectFrom('people').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    if (employment.isModelWorker) {
      // 劳模 comes from the register (decision 033): 东台 registers the member as a 市劳模.
      const union = await this.t.db.selectFrom('orgs').select('id').where('name', '=', '东台市总工会').executeTakeFirstOrThrow();
      const made = await this.county.post('/api/models/people', {
        orgId: union.id,
        name,
        idNumber: person.idNumber,
        honours: [{ kind: 'city_model', year: 2020, awardingBody: '盐城市人民政府' }],
      });
      expect(made.statusCode, made.body).toBe(200);
    }
    return { worker, personId: p.id, name, phone: person.phone };
  }

  /** Creates and publishes an activity of the staff's union, open for enrollment now. */
  async activity(staff: Client, input: Record<string, unknown>) {
    const now = this.t.clock.now().getTime();
    const r = await staff.post('/api/activities', {
      title: '测试活动',
      enrollmentMode: 'fcfs',
      opensAt: iso(now - HOUR),
      closesAt: iso(now + 400 * 24 * HOUR),
      batches: [{ title: '第一批', placesGeneral: 20 }],
      ...input,
    });
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json();
    const p = await staff.post(`/api/activities/${d.id}/publish`, { version: d.version });
    expect(p.statusCode, p.body).toBe(200);
    return p.json() as { id: string; batches: { id: string }[]; version: number };
  }
}

export const enroll = (m: Member, activityId: string, body: Record<string, unknown> = {}) => m.worker.post(`/api/worker/activities/${activityId}/enroll`, body);

export async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const upload = (c: Client, url: string, file: Buffer) =>
  c.request({ method: 'POST', url, headers: { 'content-type': 'application/octet-stream' }, payload: file });

/** One entry of a zip (stored or deflated), for checking a .docx. */
export function zipEntry(zip: Buffer, name: string): string | null {
  let i = 0;
  while (i + 30 <= zip.length && zip.readUInt32LE(i) === 0x04034b50) {
    const method = zip.readUInt16LE(i + 8);
    const size = zip.readUInt32LE(i + 18);
    const nameLen = zip.readUInt16LE(i + 26);
    const extraLen = zip.readUInt16LE(i + 28);
    const entry = zip.subarray(i + 30, i + 30 + nameLen).toString('utf8');
    const start = i + 30 + nameLen + extraLen;
    if (entry === name) {
      const data = zip.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    i = start + size;
  }
  return null;
}
