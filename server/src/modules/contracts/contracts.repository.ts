// All SQL of collective contracts, 范本 and 要约行动. Contracts are scoped by their union party's
// path (`orgs.path like scope%`). The shown status is computed from the stage and today's date.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { BargainingCampaignsTable, ContractsTable } from '../../db/schema-enterprises.js';
import type { Executor } from '../audit/audit.repository.js';
import { DEEMED_EFFECTIVE_DAYS } from './contracts.constants.js';

const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The day a filed contract takes effect: the approval day, or 15 days after 受理 without objection. */
export const effectiveFromSql = sql<
  string | null
>`(case when c.stage = 'approved' then c.reviewed_on when c.stage = 'accepted' then c.accepted_on + ${DEEMED_EFFECTIVE_DAYS}::int end)`;

export const statusSql = (today: string) => sql<string>`(case
  when c.renewed_by is not null then 'renewed'
  when c.stage = 'negotiating' then 'negotiating'
  when c.stage = 'objection' then 'objection'
  when c.stage = 'signed' then 'signed'
  when c.stage = 'submitted' then 'filed'
  when c.stage = 'accepted' and c.accepted_on + ${DEEMED_EFFECTIVE_DAYS}::int > ${today}::date then 'filed'
  when c.ends_on < ${today}::date then 'expired'
  else 'effective' end)`;

export interface ContractFilters {
  q?: string;
  kind?: string;
  status?: string;
  enterpriseId?: string;
  expiring?: boolean;
  today: string;
  limit: number;
  offset: number;
}

export const contractsRepository = {
  async templates(db: Executor) {
    return db.selectFrom('contract_templates').selectAll().orderBy('code').orderBy('version', 'desc').execute();
  },
  async template(db: Executor, id: string) {
    return db.selectFrom('contract_templates').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async latestTemplateVersion(db: Executor, code: string) {
    const r = await db
      .selectFrom('contract_templates')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('code', '=', code)
      .executeTakeFirst();
    return Number(r?.v ?? 0);
  },
  async insertTemplate(db: Executor, row: Insertable<import('../../db/schema-enterprises.js').ContractTemplatesTable>) {
    return db.insertInto('contract_templates').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async insert(db: Executor, row: Insertable<ContractsTable>) {
    return db.insertInto('contracts').values(row).returningAll().executeTakeFirstOrThrow();
  },
  async attachEnterprises(db: Executor, contractId: string, enterpriseIds: string[]) {
    if (enterpriseIds.length)
      await db
        .insertInto('contract_enterprises')
        .values(enterpriseIds.map((e) => ({ contract_id: contractId, enterprise_id: e })))
        .execute();
  },

  async findInScope(db: Executor, scopePath: string, id: string, today: string, forUpdate = false) {
    let q = db
      .selectFrom('contracts as c')
      .innerJoin('orgs as o', 'o.id', 'c.org_id')
      .selectAll('c')
      .select(['o.name as org_name'])
      .select(statusSql(today).as('status'))
      .select(effectiveFromSql.as('effective_from'))
      .where('c.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`);
    if (forUpdate) q = q.forUpdate('c');
    return q.executeTakeFirst();
  },

  async update(db: Executor, id: string, version: number, patch: Updateable<ContractsTable>) {
    return db
      .updateTable('contracts')
      .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },

  async enterprisesOf(db: Executor, contractId: string) {
    return db
      .selectFrom('contract_enterprises as ce')
      .innerJoin('enterprises as e', 'e.id', 'ce.enterprise_id')
      .select(['e.id', 'e.name', 'e.credit_code', 'e.employees', 'e.women'])
      .where('ce.contract_id', '=', contractId)
      .orderBy('e.id')
      .limit(200)
      .execute();
  },
  async roundsOf(db: Executor, contractId: string) {
    return db.selectFrom('contract_rounds').selectAll().where('contract_id', '=', contractId).orderBy('held_on').orderBy('id').execute();
  },
  async insertRound(db: Executor, row: { contract_id: string; held_on: string; topics: string; minutes: string }) {
    return db.insertInto('contract_rounds').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async list(db: Executor, scopePath: string, f: ContractFilters) {
    let q = db.selectFrom('contracts as c').innerJoin('orgs as o', 'o.id', 'c.org_id').where('o.path', 'like', `${scopePath}%`);
    if (f.q) q = q.where((eb) => eb.or([eb('c.title', 'like', like(f.q!)), eb('c.employer_party', 'like', like(f.q!))]));
    if (f.kind) q = q.where('c.kind', '=', f.kind as never);
    if (f.status) q = q.where(statusSql(f.today), '=', f.status);
    if (f.enterpriseId)
      q = q.where((eb) =>
        eb.exists(eb.selectFrom('contract_enterprises as ce').whereRef('ce.contract_id', '=', 'c.id').where('ce.enterprise_id', '=', f.enterpriseId!)),
      );
    if (f.expiring) q = q.where(statusSql(f.today), '=', 'effective').where(sql<boolean>`c.ends_on <= ${f.today}::date + 90`);
    const [items, total] = await Promise.all([
      q
        .selectAll('c')
        .select(['o.name as org_name'])
        .select(statusSql(f.today).as('status'))
        .select(effectiveFromSql.as('effective_from'))
        .orderBy('c.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  /** In force and ending within `days`, not yet reminded for that many days ahead. */
  async expiringUnreminded(db: Executor, today: string, days: number, limit: number) {
    return db
      .selectFrom('contracts as c')
      .select(['c.id', 'c.title', 'c.ends_on', 'c.org_id'])
      .where(statusSql(today), '=', 'effective')
      .where(sql<boolean>`c.ends_on <= ${today}::date + ${days}::int`)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('contract_reminders as r').whereRef('r.contract_id', '=', 'c.id').where('r.days_ahead', '=', days))))
      .orderBy('c.id')
      .limit(limit)
      .execute();
  },
  async claimReminder(db: Executor, contractId: string, days: number, at: Date) {
    const r = await db
      .insertInto('contract_reminders')
      .values({ contract_id: contractId, days_ahead: days, sent_at: at })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  },

  // ---- 要约行动 ----
  async insertCampaign(db: Executor, row: Insertable<BargainingCampaignsTable>) {
    return db.insertInto('bargaining_campaigns').values(row).returningAll().executeTakeFirstOrThrow();
  },
  /** Targets every enterprise of the subtree matching the criteria, in one statement. */
  async insertTargets(db: Executor, campaignId: string, scopePath: string, c: { minEmployees: number; industries: string[]; unionisedOnly: boolean }) {
    let q = db
      .selectFrom('enterprises as e')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .select([sql<string>`${campaignId}::bigint`.as('campaign_id'), 'e.id as enterprise_id'])
      .where('o.path', 'like', `${scopePath}%`)
      .where('e.employees', '>=', c.minEmployees);
    if (c.industries.length) q = q.where('e.industry', 'in', c.industries);
    if (c.unionisedOnly) q = q.where('e.union_org_id', 'is not', null);
    const r = await db.insertInto('bargaining_targets').columns(['campaign_id', 'enterprise_id']).expression(q).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0);
  },
  async campaignInScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('bargaining_campaigns as b')
      .innerJoin('orgs as o', 'o.id', 'b.org_id')
      .selectAll('b')
      .select(['o.name as org_name', 'o.path as org_path', 'o.depth as org_depth'])
      .where('b.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },
  async campaigns(db: Executor, scopePath: string, limit: number, offset: number) {
    const q = db.selectFrom('bargaining_campaigns as b').innerJoin('orgs as o', 'o.id', 'b.org_id').where('o.path', 'like', `${scopePath}%`);
    const [items, total] = await Promise.all([
      q
        .selectAll('b')
        .select(['o.name as org_name'])
        .select((eb) => [
          eb.selectFrom('bargaining_targets as t').select(eb.fn.countAll<string>().as('n')).whereRef('t.campaign_id', '=', 'b.id').as('targets'),
          eb
            .selectFrom('bargaining_targets as t')
            .select(eb.fn.countAll<string>().as('n'))
            .whereRef('t.campaign_id', '=', 'b.id')
            .where('t.stage', '=', 'signed')
            .as('signed'),
        ])
        .orderBy('b.id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },
  /** Stage counts per child of `groupPath` (a county per row for the city), within the caller's scope. */
  async progressByChild(db: Executor, campaignId: string, scopePath: string, groupDepth: number) {
    const child = sql<string>`split_part(o.path, '/', ${sql.lit(groupDepth + 3)})`;
    return db
      .selectFrom('bargaining_targets as t')
      .innerJoin('enterprises as e', 'e.id', 't.enterprise_id')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .select([child.as('child_id'), 't.stage'])
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('t.campaign_id', '=', campaignId)
      .where('o.path', 'like', `${scopePath}%`)
      .groupBy([child, 't.stage'])
      .execute();
  },
  async targets(db: Executor, campaignId: string, scopePath: string, f: { stage?: string; limit: number; offset: number }) {
    let q = db
      .selectFrom('bargaining_targets as t')
      .innerJoin('enterprises as e', 'e.id', 't.enterprise_id')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .where('t.campaign_id', '=', campaignId)
      .where('o.path', 'like', `${scopePath}%`);
    if (f.stage) q = q.where('t.stage', '=', f.stage as never);
    const [items, total] = await Promise.all([
      q
        .selectAll('t')
        .select(['e.name as enterprise_name', 'e.employees', 'o.name as org_name'])
        .orderBy('e.employees', 'desc')
        .orderBy('e.id')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },
  async target(db: Executor, campaignId: string, enterpriseId: string, scopePath: string) {
    return db
      .selectFrom('bargaining_targets as t')
      .innerJoin('enterprises as e', 'e.id', 't.enterprise_id')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .selectAll('t')
      .select(['e.name as enterprise_name', 'e.org_id'])
      .where('t.campaign_id', '=', campaignId)
      .where('t.enterprise_id', '=', enterpriseId)
      .where('o.path', 'like', `${scopePath}%`)
      .forUpdate('t')
      .executeTakeFirst();
  },
  async setTarget(db: Executor, campaignId: string, enterpriseId: string, patch: Record<string, unknown>) {
    await db.updateTable('bargaining_targets').set(patch).where('campaign_id', '=', campaignId).where('enterprise_id', '=', enterpriseId).execute();
  },
  async setRenewedBy(db: Executor, id: string, successorId: string) {
    await db
      .updateTable('contracts')
      .set({ renewed_by: successorId, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  },
  /** A contract drafted for targeted enterprises moves their campaign progress to 协商 (never backwards). */
  async markStage(db: Executor, enterpriseIds: string[], stage: 'negotiating', on: string) {
    if (!enterpriseIds.length) return;
    await db
      .updateTable('bargaining_targets')
      .set({ stage, negotiating_on: on })
      .where('enterprise_id', 'in', enterpriseIds)
      .where('stage', 'in', ['pending', 'offered', 'responded'])
      .execute();
  },
  /** Signing a contract marks the enterprise signed in every campaign of the year that targets it. */
  async markSigned(db: Executor, enterpriseIds: string[], contractId: string, signedOn: string) {
    if (!enterpriseIds.length) return;
    await db
      .updateTable('bargaining_targets')
      .set({ stage: 'signed', signed_on: signedOn, contract_id: contractId })
      .where('enterprise_id', 'in', enterpriseIds)
      .where('stage', '!=', 'signed')
      .where((eb) =>
        eb(
          'campaign_id',
          'in',
          eb
            .selectFrom('bargaining_campaigns')
            .select('id')
            .where('starts_on', '<=', signedOn)
            .where(sql<boolean>`extract(year from starts_on) = extract(year from ${signedOn}::date)`),
        ),
      )
      .execute();
  },
};
