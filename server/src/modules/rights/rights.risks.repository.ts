// 信息员 and risk report SQL. An informant and a report belong to a union (`org_id`): every read by id
// is prefix-scoped by its path; a worker reaches only their own informant row and reports.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { RightsInformantsTable, RightsRiskEventsTable, RightsRiskPhotosTable, RightsRisksTable } from '../../db/schema-rights.js';
import type { Executor } from '../audit/audit.repository.js';
import { likeText } from './rights.common.js';

const INFORMANT = ['i.id', 'i.org_id', 'i.person_id', 'i.name', 'i.kind', 'i.note', 'i.active', 'i.created_at', 'i.version'] as const;
const RISK = [
  'r.id',
  'r.org_id',
  'r.informant_id',
  'r.worker_id',
  'r.kind',
  'r.place',
  'r.people_affected',
  'r.description',
  sql<string | null>`r.occurred_on::text`.as('occurred_on'),
  'r.status',
  'r.grade',
  'r.graded_at',
  'r.alerted_at',
  'r.ticket_id',
  'r.close_note',
  'r.closed_at',
  'r.reported_at',
  'r.version',
] as const;

export const risksRepository = {
  // ---- informants ----
  async insertInformant(db: Executor, row: Insertable<RightsInformantsTable>) {
    return db.insertInto('rights_informants').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async informantInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('rights_informants as i')
      .innerJoin('orgs as o', 'o.id', 'i.org_id')
      .select([...INFORMANT, 'o.name as org_name'])
      .where('i.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async updateInformant(db: Executor, id: string, version: number, patch: Updateable<RightsInformantsTable>) {
    return db
      .updateTable('rights_informants')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  async listInformants(db: Executor, scopePath: string, f: { orgPath?: string; kind?: string; active?: boolean; q?: string; limit: number; offset: number }) {
    let q = db
      .selectFrom('rights_informants as i')
      .innerJoin('orgs as o', 'o.id', 'i.org_id')
      .innerJoin('people as p', 'p.id', 'i.person_id')
      .where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.kind) q = q.where('i.kind', '=', f.kind as never);
    if (f.active !== undefined) q = q.where('i.active', '=', f.active);
    if (f.q) q = q.where('i.name', 'like', likeText(f.q));
    const items = await q
      .select([
        ...INFORMANT,
        'o.name as org_name',
        'p.phone_masked',
        sql<boolean>`p.worker_id is not null`.as('has_account'),
        sql<string>`(select count(*) from rights_risks r where r.informant_id = i.id)`.as('reports'),
      ])
      .orderBy('i.active', 'desc')
      .orderBy('i.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  /** The worker's live informant registration (through the roll person linked to the account); `lock` serialises their uploads. */
  async informantOfWorker(db: Executor, workerId: string, lock = false) {
    let q = db
      .selectFrom('rights_informants as i')
      .innerJoin('people as p', 'p.id', 'i.person_id')
      .innerJoin('orgs as o', 'o.id', 'i.org_id')
      .select([...INFORMANT, 'o.name as org_name', 'o.path as org_path'])
      .where('p.worker_id', '=', workerId)
      .where('i.active', '=', true);
    if (lock) q = q.forUpdate('i');
    return q.executeTakeFirst();
  },

  // ---- photos ----
  async insertPhoto(db: Executor, row: Insertable<RightsRiskPhotosTable>) {
    return db.insertInto('rights_risk_photos').values(row).returning(['id', 'file_name', 'mime', 'size']).executeTakeFirstOrThrow();
  },

  async unlinkedPhotos(db: Executor, workerId: string) {
    const r = await db
      .selectFrom('rights_risk_photos')
      .select(sql<string>`count(*)`.as('n'))
      .where('worker_id', '=', workerId)
      .where('risk_id', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /** Gives the worker's untaken photos to a report; returns the ones taken. */
  async linkPhotos(db: Executor, workerId: string, riskId: string, ids: string[]) {
    if (!ids.length) return [];
    return db
      .updateTable('rights_risk_photos')
      .set({ risk_id: riskId })
      .where('worker_id', '=', workerId)
      .where('risk_id', 'is', null)
      .where('id', 'in', ids)
      .returning(['id'])
      .execute();
  },

  async photosOf(db: Executor, riskId: string) {
    return db.selectFrom('rights_risk_photos').select(['id', 'file_name', 'mime', 'size']).where('risk_id', '=', riskId).orderBy('id').execute();
  },

  async photo(db: Executor, riskId: string, photoId: string) {
    return db
      .selectFrom('rights_risk_photos')
      .select(['id', 'file_name', 'mime', 'storage_key'])
      .where('risk_id', '=', riskId)
      .where('id', '=', photoId)
      .executeTakeFirst();
  },

  /** Photos no report took, uploaded before `before` (the clean-up deletes them). */
  async expiredPhotos(db: Executor, before: Date, limit: number) {
    return db
      .selectFrom('rights_risk_photos')
      .select(['id', 'storage_key'])
      .where('risk_id', 'is', null)
      .where('created_at', '<', before)
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  async deletePhotos(db: Executor, ids: string[]) {
    if (ids.length) await db.deleteFrom('rights_risk_photos').where('id', 'in', ids).where('risk_id', 'is', null).execute();
  },

  // ---- risk reports ----
  async insert(db: Executor, row: Insertable<RightsRisksTable>) {
    return db.insertInto('rights_risks').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async byIdempotencyKey(db: Executor, workerId: string, key: string) {
    return db.selectFrom('rights_risks').select(['id']).where('worker_id', '=', workerId).where('idempotency_key', '=', key).executeTakeFirst();
  },

  async insertEvent(db: Executor, row: Insertable<RightsRiskEventsTable>) {
    await db.insertInto('rights_risk_events').values(row).execute();
  },

  async events(db: Executor, riskId: string) {
    return db.selectFrom('rights_risk_events').selectAll().where('risk_id', '=', riskId).orderBy('id').execute();
  },

  async inScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('rights_risks as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .innerJoin('rights_informants as i', 'i.id', 'r.informant_id')
      .leftJoin('rights_tickets as t', 't.id', 'r.ticket_id')
      .select([...RISK, 'o.name as org_name', 'o.path as org_path', 'i.name as informant_name', 'i.kind as informant_kind', 't.status as ticket_status'])
      .where('r.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async update(db: Executor, id: string, version: number, patch: Updateable<RightsRisksTable>) {
    return db
      .updateTable('rights_risks')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  async list(
    db: Executor,
    scopePath: string,
    f: { orgPath?: string; grade?: string; status?: string; kind?: string; fromTs?: Date; toTs?: Date; limit: number; offset: number },
  ) {
    let q = db
      .selectFrom('rights_risks as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .innerJoin('rights_informants as i', 'i.id', 'r.informant_id')
      .where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.grade === 'none') q = q.where('r.grade', 'is', null);
    else if (f.grade) q = q.where('r.grade', '=', f.grade as never);
    if (f.status) q = q.where('r.status', '=', f.status as never);
    if (f.kind) q = q.where('r.kind', '=', f.kind as never);
    if (f.fromTs) q = q.where('r.reported_at', '>=', f.fromTs);
    if (f.toTs) q = q.where('r.reported_at', '<', f.toTs);
    const items = await q
      .select([...RISK, 'o.name as org_name', 'i.name as informant_name', 'i.kind as informant_kind'])
      .orderBy('r.reported_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },

  async listOfWorker(db: Executor, workerId: string) {
    return db
      .selectFrom('rights_risks as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .select([...RISK, 'o.name as org_name'])
      .where('r.worker_id', '=', workerId)
      .orderBy('r.reported_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(100)
      .execute();
  },

  /** The county-level and city unions above (or at) a union: who hears of a 重大 risk at once. */
  async upperUnions(db: Executor, path: string) {
    const ids = path.split('/').filter(Boolean);
    return db.selectFrom('orgs').select(['id', 'name', 'type']).where('id', 'in', ids).where('type', 'in', ['county', 'city']).orderBy('path').execute();
  },
};
