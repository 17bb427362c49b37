import { sql } from 'kysely';
import type { Partner } from '../../db/schema.js';
import type { Executor } from '../audit/audit.repository.js';

const partnerColumns = [
  'p.id',
  'p.name',
  'p.org_id',
  'p.key_id',
  'p.status',
  'p.rate_limit_per_minute',
  'p.secret_rotated_at',
  'p.created_at',
  'p.version',
  'o.name as org_name',
] as const;

export const partnersRepository = {
  async insert(
    db: Executor,
    row: { name: string; org_id: string; key_id: string; secret_enc: string; rate_limit_per_minute: number; created_by: string; secret_rotated_at: Date },
  ) {
    return db.insertInto('partners').values(row).returning('id').executeTakeFirstOrThrow();
  },

  /** Staff reads: scoped by the path of the partner's org. */
  async inScope(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('partners as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .select(partnerColumns)
      .where('p.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .executeTakeFirst();
  },

  async inScopeForUpdate(db: Executor, scopePath: string, id: string) {
    return db
      .selectFrom('partners as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .select(partnerColumns)
      .where('p.id', '=', id)
      .where('o.path', 'like', `${scopePath}%`)
      .forUpdate('p')
      .executeTakeFirst();
  },

  async list(db: Executor, scopePath: string, f: { limit: number; offset: number }) {
    const q = db.selectFrom('partners as p').innerJoin('orgs as o', 'o.id', 'p.org_id').where('o.path', 'like', `${scopePath}%`);
    const [items, total] = await Promise.all([
      q.select(partnerColumns).orderBy('p.id').limit(f.limit).offset(f.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  async update(db: Executor, id: string, patch: Partial<Pick<Partner, 'status' | 'secret_rotated_at'>> & { secret_enc?: string; updated_at: Date }) {
    await db
      .updateTable('partners')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .execute();
  },

  /** The signing check: by key id, unscoped (the key is the identity). */
  async byKeyId(db: Executor, keyId: string) {
    return db
      .selectFrom('partners')
      .select(['id', 'name', 'org_id', 'status', 'secret_enc', 'rate_limit_per_minute'])
      .where('key_id', '=', keyId)
      .executeTakeFirst();
  },

  /** Records a nonce; false when this partner has used it before. */
  async useNonce(db: Executor, partnerId: string, nonce: string, at: Date) {
    const r = await db
      .insertInto('partner_nonces')
      .values({ partner_id: partnerId, nonce, seen_at: at })
      .onConflict((oc) => oc.columns(['partner_id', 'nonce']).doNothing())
      .returning('nonce')
      .executeTakeFirst();
    return !!r;
  },

  async purgeNonces(db: Executor, before: Date) {
    await db.deleteFrom('partner_nonces').where('seen_at', '<', before).execute();
  },
};
