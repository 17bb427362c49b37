// All SQL of targets and 工作质效评价. Every read by an outside id is scoped by the target org's (or the
// assessed org's) path prefix; a target's org is a direct child of the org that set it.
import { sql } from 'kysely';
import type { Executor } from '../audit/audit.repository.js';
import type { ManualScoreStatus, ScoringRule, TargetComparison } from '../../db/schema-targets.js';

/** Org types assessed by a scheme: the administrative level below (县 under the city, 镇街 under a county …). */
export const ASSESSED_TYPES = ['county', 'town', 'village'] as const;

const targetColumns = [
  't.id',
  't.year',
  't.org_id',
  't.set_by_org_id',
  't.indicator_code',
  't.comparison',
  't.value',
  't.parent_id',
  't.note',
  't.version',
  't.updated_at',
  'o.name as org_name',
  'o.path as org_path',
  's.name as set_by_name',
] as const;

export const targetsRepository = {
  /** Active direct children of an org among the given ids (who a target may be set for). */
  async childrenAmong(db: Executor, parentId: string, ids: readonly string[]) {
    if (!ids.length) return [];
    return db
      .selectFrom('orgs')
      .select(['id', 'name', 'type', 'path'])
      .where('parent_id', '=', parentId)
      .where('status', '=', 'active')
      .where('id', 'in', ids)
      .execute();
  },

  /** Active direct children of an org (the target dialog's rows, and who a scheme assesses). */
  async activeChildren(db: Executor, parentId: string) {
    return db
      .selectFrom('orgs')
      .select(['id', 'name', 'type', 'path'])
      .where('parent_id', '=', parentId)
      .where('status', '=', 'active')
      .orderBy('id')
      .execute();
  },

  /** A year's targets set for an org (by its parent) and set by it (for its children); the org is inside `scope`. */
  async listFor(db: Executor, scope: string, orgId: string, year: number) {
    return db
      .selectFrom('targets as t')
      .innerJoin('orgs as o', 'o.id', 't.org_id')
      .innerJoin('orgs as s', 's.id', 't.set_by_org_id')
      .select(targetColumns)
      .where('o.path', 'like', `${scope}%`)
      .where('t.year', '=', year)
      .where((eb) => eb.or([eb('t.org_id', '=', orgId), eb('t.set_by_org_id', '=', orgId)]))
      .orderBy('t.indicator_code')
      .orderBy('t.org_id')
      .execute();
  },

  async inScope(db: Executor, scope: string, id: string) {
    return db
      .selectFrom('targets as t')
      .innerJoin('orgs as o', 'o.id', 't.org_id')
      .innerJoin('orgs as s', 's.id', 't.set_by_org_id')
      .select(targetColumns)
      .where('t.id', '=', id)
      .where('o.path', 'like', `${scope}%`)
      .executeTakeFirst();
  },

  /** The targets of one indicator and year for some orgs (to update rather than add). */
  async existing(db: Executor, year: number, code: string, orgIds: readonly string[]) {
    if (!orgIds.length) return [];
    return db
      .selectFrom('targets')
      .select(['id', 'org_id', 'set_by_org_id', 'version'])
      .where('year', '=', year)
      .where('indicator_code', '=', code)
      .where('org_id', 'in', orgIds)
      .forUpdate()
      .execute();
  },

  async insert(
    db: Executor,
    row: {
      year: number;
      org_id: string;
      set_by_org_id: string;
      indicator_code: string;
      comparison: TargetComparison;
      value: string;
      parent_id: string | null;
      note: string | null;
      created_by: string;
      updated_at: Date;
    },
  ) {
    return db.insertInto('targets').values(row).returning(['id', 'version']).executeTakeFirstOrThrow();
  },

  /** Version-checked change; undefined when someone changed it first. */
  async update(
    db: Executor,
    id: string,
    version: number | null,
    patch: { value?: string; comparison?: TargetComparison; note?: string | null; parent_id?: string | null; updated_at: Date },
  ) {
    let q = db
      .updateTable('targets')
      .set({ ...patch, version: sql<number>`version + 1` })
      .where('id', '=', id);
    if (version !== null) q = q.where('version', '=', version);
    return q.returning(['id', 'version']).executeTakeFirst();
  },

  async countCascaded(db: Executor, id: string) {
    const r = await db
      .selectFrom('targets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('parent_id', '=', id)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async remove(db: Executor, id: string, version: number) {
    const r = await db.deleteFrom('targets').where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  // ── schemes ──────────────────────────────────────────────────────────────────────────────

  async scheme(db: Executor, orgId: string, year: number) {
    return db.selectFrom('target_schemes').selectAll().where('org_id', '=', orgId).where('year', '=', year).executeTakeFirst();
  },

  async schemeItems(db: Executor, schemeId: string) {
    return db.selectFrom('target_scheme_items').selectAll().where('scheme_id', '=', schemeId).orderBy('position').orderBy('id').execute();
  },

  async insertScheme(db: Executor, row: { org_id: string; year: number; name: string; created_by: string; updated_at: Date }) {
    return db.insertInto('target_schemes').values(row).returning(['id', 'version']).executeTakeFirstOrThrow();
  },

  async updateScheme(db: Executor, id: string, version: number, name: string, at: Date) {
    return db
      .updateTable('target_schemes')
      .set({ name, updated_at: at, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(['id', 'version'])
      .executeTakeFirst();
  },

  async insertItem(
    db: Executor,
    row: {
      scheme_id: string;
      position: number;
      kind: 'indicator' | 'manual';
      name: string;
      indicator_code: string | null;
      rule: ScoringRule | null;
      weight: string;
      description: string | null;
    },
  ) {
    return db.insertInto('target_scheme_items').values(row).returning('id').executeTakeFirstOrThrow();
  },

  async updateItem(
    db: Executor,
    schemeId: string,
    id: string,
    row: {
      position: number;
      kind: 'indicator' | 'manual';
      name: string;
      indicator_code: string | null;
      rule: ScoringRule | null;
      weight: string;
      description: string | null;
    },
  ) {
    const r = await db.updateTable('target_scheme_items').set(row).where('id', '=', id).where('scheme_id', '=', schemeId).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  /** Items that have a manual claim (they may not be removed or turned into indicator items). */
  async itemsWithClaims(db: Executor, itemIds: readonly string[]) {
    if (!itemIds.length) return [];
    return db.selectFrom('target_manual_scores').select('item_id').distinct().where('item_id', 'in', itemIds).execute();
  },

  async deleteItems(db: Executor, schemeId: string, ids: readonly string[]) {
    if (!ids.length) return;
    await db.deleteFrom('target_scheme_items').where('scheme_id', '=', schemeId).where('id', 'in', ids).execute();
  },

  /** The manual claims on a scheme's items, optionally of one assessed org. */
  async claims(db: Executor, schemeId: string, orgId?: string) {
    let q = db
      .selectFrom('target_manual_scores as m')
      .innerJoin('target_scheme_items as i', 'i.id', 'm.item_id')
      .innerJoin('staff_accounts as a', 'a.id', 'm.submitted_by')
      .leftJoin('staff_accounts as r', 'r.id', 'm.reviewed_by')
      .select([
        'm.id',
        'm.item_id',
        'm.org_id',
        'm.claimed_score',
        'm.evidence',
        'm.file_name',
        'm.status',
        'm.confirmed_score',
        'm.review_note',
        'm.submitted_at',
        'm.reviewed_at',
        'm.version',
        'a.display_name as submitted_by_name',
        'r.display_name as reviewed_by_name',
      ])
      .where('i.scheme_id', '=', schemeId);
    if (orgId) q = q.where('m.org_id', '=', orgId);
    return q.orderBy('m.id').execute();
  },

  /** An item of the scheme an org is assessed by (its parent's scheme), or undefined. */
  async itemForAssessed(db: Executor, itemId: string, parentOrgId: string) {
    return db
      .selectFrom('target_scheme_items as i')
      .innerJoin('target_schemes as s', 's.id', 'i.scheme_id')
      .select(['i.id', 'i.kind', 'i.name', 'i.weight', 's.id as scheme_id', 's.org_id as scheme_org_id', 's.year'])
      .where('i.id', '=', itemId)
      .where('s.org_id', '=', parentOrgId)
      .executeTakeFirst();
  },

  async claimFor(db: Executor, itemId: string, orgId: string) {
    return db
      .selectFrom('target_manual_scores')
      .select(['id', 'status', 'version'])
      .where('item_id', '=', itemId)
      .where('org_id', '=', orgId)
      .forUpdate()
      .executeTakeFirst();
  },

  async insertClaim(db: Executor, row: { item_id: string; org_id: string; claimed_score: string; evidence: string; submitted_by: string; submitted_at: Date }) {
    return db.insertInto('target_manual_scores').values(row).returning(['id', 'version']).executeTakeFirstOrThrow();
  },

  /** A claim re-submitted (after a return or to amend it before review). */
  async resubmitClaim(db: Executor, id: string, version: number, row: { claimed_score: string; evidence: string; submitted_by: string; submitted_at: Date }) {
    return db
      .updateTable('target_manual_scores')
      .set({ ...row, status: 'submitted', confirmed_score: null, review_note: null, reviewed_by: null, reviewed_at: null, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '<>', 'confirmed')
      .returning(['id', 'version'])
      .executeTakeFirst();
  },

  /** A claim whose assessed org is inside `scope`, with its item and scheme. */
  async claimInScope(db: Executor, scope: string, id: string) {
    return db
      .selectFrom('target_manual_scores as m')
      .innerJoin('orgs as o', 'o.id', 'm.org_id')
      .innerJoin('target_scheme_items as i', 'i.id', 'm.item_id')
      .innerJoin('target_schemes as s', 's.id', 'i.scheme_id')
      .select([
        'm.id',
        'm.org_id',
        'm.status',
        'm.version',
        'm.claimed_score',
        'm.submitted_by',
        'm.file_key',
        'm.file_name',
        'm.file_mime',
        'o.name as org_name',
        'i.name as item_name',
        'i.weight',
        's.org_id as scheme_org_id',
        's.year',
      ])
      .where('m.id', '=', id)
      .where('o.path', 'like', `${scope}%`)
      .executeTakeFirst();
  },

  async setEvidenceFile(db: Executor, id: string, version: number, file: { file_key: string; file_name: string; file_mime: string }) {
    return db
      .updateTable('target_manual_scores')
      .set({ ...file, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '<>', 'confirmed')
      .returning(['id', 'version'])
      .executeTakeFirst();
  },

  async review(
    db: Executor,
    id: string,
    version: number,
    row: { status: ManualScoreStatus; confirmed_score: string | null; review_note: string | null; reviewed_by: string; reviewed_at: Date },
  ) {
    return db
      .updateTable('target_manual_scores')
      .set({ ...row, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', 'submitted')
      .returning(['id', 'version'])
      .executeTakeFirst();
  },

  /** Targets of a year set by an org (the scheme's indicator items score against them). */
  async setBy(db: Executor, setterId: string, year: number) {
    return db
      .selectFrom('targets')
      .select(['id', 'org_id', 'indicator_code', 'comparison', 'value'])
      .where('set_by_org_id', '=', setterId)
      .where('year', '=', year)
      .execute();
  },

  /** Targets of a year set for one org (its own assessment). */
  async setFor(db: Executor, orgId: string, year: number) {
    return db
      .selectFrom('targets')
      .select(['id', 'org_id', 'indicator_code', 'comparison', 'value'])
      .where('org_id', '=', orgId)
      .where('year', '=', year)
      .execute();
  },
};
