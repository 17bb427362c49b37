// 调解员与专家库: mediators, lawyers, arbitrators and experts a union keeps; its subtree draws on them.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { POOL_KINDS, type PoolKindCode } from './rights.constants.js';
import { casesRepository as repo } from './rights.cases.repository.js';

export function createPool(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  return {
    async list(actor: StaffActor, q: { kind?: PoolKindCode; available?: '1'; page: number; pageSize: number }) {
      const r = await repo.poolList(db, actor.orgPath, { kind: q.kind, available: !!q.available, limit: q.pageSize, offset: offsetOf(q) });
      return {
        total: r.total,
        items: r.items.map((p) => ({
          id: p.id,
          name: p.name,
          organisation: p.organisation,
          speciality: p.speciality,
          kind: p.kind,
          kindLabel: POOL_KINDS[p.kind],
          available: p.available,
          org: { id: p.org_id, name: p.org_name },
          openCases: Number(p.open_cases),
        })),
      };
    },

    async add(
      actor: StaffActor,
      meta: RequestMeta,
      input: { name: string; organisation: string; speciality?: string; kind: PoolKindCode; available: boolean },
    ) {
      const id = await db.transaction().execute(async (trx) => {
        const row = await repo.insertPool(trx, {
          org_id: actor.orgId,
          name: input.name,
          organisation: input.organisation,
          speciality: input.speciality ?? '',
          kind: input.kind,
          available: input.available,
        });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'rights.pool.add',
          targetType: 'rights_pool',
          targetId: row.id,
          orgId: actor.orgId,
          outcome: 'success',
          detail: { kind: input.kind },
        });
        return row.id;
      });
      return { id };
    },

    async setAvailable(actor: StaffActor, meta: RequestMeta, id: string, available: boolean) {
      await db.transaction().execute(async (trx) => {
        const p = await repo.poolOwned(trx, actor.orgPath, id);
        if (!p) throw notFound('调解员或专家');
        await repo.setPoolAvailable(trx, id, available);
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'rights.pool.edit',
          targetType: 'rights_pool',
          targetId: id,
          orgId: p.org_id,
          outcome: 'success',
          detail: { available },
        });
      });
      return { ok: true as const };
    },
  };
}

export type Pool = ReturnType<typeof createPool>;
