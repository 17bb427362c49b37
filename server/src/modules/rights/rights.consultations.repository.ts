// 咨询台账 SQL: every read by id is prefix-scoped by the handling union's path.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { RightsConsultationMessagesTable, RightsConsultationsTable } from '../../db/schema-rights.js';
import type { Executor } from '../audit/audit.repository.js';
import { likeText } from './rights.common.js';

export interface ConsultationFilters {
  orgPath?: string;
  channel?: string;
  topic?: string;
  status?: string;
  outcome?: string;
  q?: string;
  fromTs?: Date;
  toTs?: Date;
  limit: number;
  offset: number;
}

const COLUMNS = [
  'c.id',
  'c.org_id',
  'c.channel',
  'c.topic',
  'c.worker_id',
  'c.person_id',
  'c.name',
  'c.phone_masked',
  'c.employer_name',
  'c.employer_enterprise_id',
  'c.summary',
  'c.answer',
  'c.outcome',
  'c.status',
  'c.handler_name',
  'c.consulted_at',
  'c.answered_at',
  sql<string | null>`c.callback_on::text`.as('callback_on'),
  'c.satisfaction',
  'c.case_id',
  'c.version',
] as const;

export const consultationsRepository = {
  async insert(db: Executor, row: Insertable<RightsConsultationsTable>) {
    return db.insertInto('rights_consultations').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async insertMessage(db: Executor, row: Insertable<RightsConsultationMessagesTable>) {
    await db.insertInto('rights_consultation_messages').values(row).execute();
  },

  async inScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('rights_consultations as c')
      .innerJoin('orgs as o', 'o.id', 'c.org_id')
      .select([...COLUMNS, 'c.phone_enc', 'c.phone_bidx', 'o.name as org_name', 'o.path as org_path'])
      .where('c.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async ofWorker(db: Executor, workerId: string, id: string) {
    return db
      .selectFrom('rights_consultations as c')
      .innerJoin('orgs as o', 'o.id', 'c.org_id')
      .select([...COLUMNS, 'o.name as org_name'])
      .where('c.id', '=', id)
      .where('c.worker_id', '=', workerId)
      .executeTakeFirst();
  },

  async listOfWorker(db: Executor, workerId: string) {
    return db
      .selectFrom('rights_consultations as c')
      .innerJoin('orgs as o', 'o.id', 'c.org_id')
      .select([...COLUMNS, 'o.name as org_name'])
      .where('c.worker_id', '=', workerId)
      .orderBy('c.consulted_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(100)
      .execute();
  },

  /** The worker's consultation made with this idempotency key (a retried H5 submit). */
  async byIdempotencyKey(db: Executor, workerId: string, key: string) {
    return db.selectFrom('rights_consultations').select(['id']).where('worker_id', '=', workerId).where('idempotency_key', '=', key).executeTakeFirst();
  },

  async messages(db: Executor, consultationId: string) {
    return db.selectFrom('rights_consultation_messages').selectAll().where('consultation_id', '=', consultationId).orderBy('id').execute();
  },

  async update(db: Executor, id: string, version: number, patch: Updateable<RightsConsultationsTable>) {
    return db
      .updateTable('rights_consultations')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  /** 转调解: links the case, once (version-checked; no row when someone moved it first or it is already linked). */
  async linkCase(db: Executor, id: string, version: number, patch: Updateable<RightsConsultationsTable>) {
    return db
      .updateTable('rights_consultations')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('case_id', 'is', null)
      .returning(['id'])
      .executeTakeFirst();
  },

  async list(db: Executor, scopePath: string, f: ConsultationFilters) {
    let q = db.selectFrom('rights_consultations as c').innerJoin('orgs as o', 'o.id', 'c.org_id').where('o.path', 'like', `${scopePath}%`);
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.channel) q = q.where('c.channel', '=', f.channel as never);
    if (f.topic) q = q.where('c.topic', '=', f.topic);
    if (f.status) q = q.where('c.status', '=', f.status as never);
    if (f.outcome) q = q.where('c.outcome', '=', f.outcome as never);
    if (f.q) q = q.where((eb) => eb.or([eb('c.name', 'like', likeText(f.q!)), eb('c.employer_name', 'like', likeText(f.q!))]));
    if (f.fromTs) q = q.where('c.consulted_at', '>=', f.fromTs);
    if (f.toTs) q = q.where('c.consulted_at', '<', f.toTs);
    const items = await q
      .select([...COLUMNS, 'o.name as org_name'])
      .orderBy('c.consulted_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },
};
