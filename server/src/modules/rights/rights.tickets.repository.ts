// 12351 诉求工单 SQL. A ticket is seen by the subtree of the union handling it now and by the subtree
// of the union that took it (its origin): both prefix matches on materialised paths.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { RightsTicketEventsTable, RightsTicketsTable } from '../../db/schema-rights.js';
import type { Executor } from '../audit/audit.repository.js';

const COLUMNS = [
  't.id',
  't.org_id',
  't.origin_org_id',
  't.title',
  't.content',
  't.requester_name',
  't.phone_masked',
  't.status',
  sql<string | null>`t.due_on::text`.as('due_on'),
  't.overdue',
  't.escalated_at',
  't.answer',
  't.answered_at',
  't.satisfaction',
  't.closed_at',
  't.created_at',
  't.version',
] as const;

export const ticketsRepository = {
  async insert(db: Executor, row: Insertable<RightsTicketsTable>) {
    return db.insertInto('rights_tickets').values(row).returning(['id']).executeTakeFirstOrThrow();
  },

  async insertEvent(db: Executor, row: Insertable<RightsTicketEventsTable>) {
    await db.insertInto('rights_ticket_events').values(row).execute();
  },

  async inScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('rights_tickets as t')
      .innerJoin('orgs as o', 'o.id', 't.org_id')
      .innerJoin('orgs as g', 'g.id', 't.origin_org_id')
      .select([...COLUMNS, 'o.name as org_name', 'o.path as org_path', 'o.parent_id as org_parent_id', 'g.name as origin_name', 'g.path as origin_path'])
      .where('t.id', '=', id)
      .where((eb) => eb.or([eb('o.path', 'like', `${scopePath}%`), eb('g.path', 'like', `${scopePath}%`)]))
      .executeTakeFirst();
  },

  async update(db: Executor, id: string, version: number, patch: Updateable<RightsTicketsTable>) {
    return db
      .updateTable('rights_tickets')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id'])
      .executeTakeFirst();
  },

  async events(db: Executor, ticketId: string) {
    return db.selectFrom('rights_ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
  },

  /** Open tickets past their deadline not yet flagged (the sweep claims each once). */
  async claimOverdue(db: Executor, day: string, at: Date) {
    return db
      .updateTable('rights_tickets as t')
      .set({ overdue: true, escalated_at: at, version: sql`t.version + 1` })
      .from('orgs as o')
      .whereRef('o.id', '=', 't.org_id')
      .where('t.status', '=', 'open')
      .where('t.overdue', '=', false)
      .where('t.due_on', '<', day)
      .returning(['t.id', 't.org_id', 't.origin_org_id', 't.title', 'o.name as org_name', 'o.parent_id as org_parent_id'])
      .execute();
  },

  async list(
    db: Executor,
    scopePath: string,
    f: { orgPath?: string; status?: string; overdue?: boolean; fromTs?: Date; toTs?: Date; limit: number; offset: number },
  ) {
    let q = db
      .selectFrom('rights_tickets as t')
      .innerJoin('orgs as o', 'o.id', 't.org_id')
      .innerJoin('orgs as g', 'g.id', 't.origin_org_id')
      .where((eb) => eb.or([eb('o.path', 'like', `${scopePath}%`), eb('g.path', 'like', `${scopePath}%`)]));
    if (f.orgPath) q = q.where('o.path', 'like', `${f.orgPath}%`);
    if (f.status) q = q.where('t.status', '=', f.status as never);
    if (f.overdue) q = q.where('t.overdue', '=', true);
    if (f.fromTs) q = q.where('t.created_at', '>=', f.fromTs);
    if (f.toTs) q = q.where('t.created_at', '<', f.toTs);
    const items = await q
      .select([...COLUMNS, 'o.name as org_name', 'g.name as origin_name'])
      .orderBy('t.created_at', 'desc')
      .orderBy('t.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const { total } = await q.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow();
    return { items, total: Number(total) };
  },
};
