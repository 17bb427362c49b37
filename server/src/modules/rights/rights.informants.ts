// 信息员 registry: a union marks a member on its roll (a membership of its subtree) as an informant
// (新就业形态信息员, 驿站工作人员 …); the member's H5 account then shows the risk report entry.
// One live registration per person (partial unique index).
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/errors.js';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import { actorName, type RightsCtx } from './rights.common.js';
import { INFORMANT_KINDS, type InformantKindCode } from './rights.constants.js';
import { rightsRepository } from './rights.repository.js';
import { risksRepository as repo } from './rights.risks.repository.js';
import type { InformantsQuery } from './rights.risks.schema.js';

export function createInformants(ctx: RightsCtx) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  const service = {
    async list(actor: StaffActor, q: InformantsQuery) {
      const org = q.orgId ? await rightsRepository.orgInScope(db, actor.orgPath, q.orgId) : undefined;
      if (q.orgId && !org) throw notFound('工会');
      const r = await repo.listInformants(db, actor.orgPath, {
        orgPath: org?.path,
        kind: q.kind,
        active: q.active === undefined ? undefined : q.active === '1',
        q: q.q,
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return {
        total: r.total,
        items: r.items.map((i) => ({
          id: i.id,
          name: i.name,
          kind: i.kind,
          kindLabel: INFORMANT_KINDS[i.kind as InformantKindCode],
          org: { id: i.org_id, name: i.org_name },
          phoneMasked: i.phone_masked,
          hasAccount: i.has_account,
          note: i.note,
          active: i.active,
          reports: Number(i.reports),
          createdAt: i.created_at.toISOString(),
          version: i.version,
        })),
      };
    },

    /** 登记信息员: the member must be on the roll of the caller's subtree (a live membership). */
    async add(actor: StaffActor, meta: RequestMeta, input: { membershipId: string; orgId?: string; kind: InformantKindCode; note?: string }) {
      const member = await ctx.members.get(actor, input.membershipId);
      if (member.status !== 'active' && member.status !== 'retained') throw new AppError('CONFLICT', '只能登记在会会员为信息员');
      const org = await rightsRepository.orgInScope(db, actor.orgPath, input.orgId ?? actor.orgId);
      if (!org) throw notFound('工会');
      try {
        const id = await db.transaction().execute(async (trx) => {
          const row = await repo.insertInformant(trx, {
            org_id: org.id,
            person_id: member.personId,
            name: member.name,
            kind: input.kind,
            note: input.note ?? null,
            created_by: actorName(actor),
            updated_at: now(),
          });
          await ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'rights.informant.add',
            targetType: 'rights_informant',
            targetId: row.id,
            orgId: org.id,
            outcome: 'success',
            detail: { kind: input.kind, membershipId: input.membershipId },
          });
          return row.id;
        });
        return { id };
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('CONFLICT', `${member.name}已是信息员`);
        throw err;
      }
    },

    async edit(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; kind?: InformantKindCode; note?: string; active?: boolean }) {
      try {
        await db.transaction().execute(async (trx) => {
          const i = await repo.informantInScope(trx, actor.orgPath, id);
          if (!i) throw notFound('信息员');
          const ok = await repo.updateInformant(trx, id, input.version, {
            ...(input.kind && { kind: input.kind }),
            ...(input.note !== undefined && { note: input.note }),
            ...(input.active !== undefined && { active: input.active }),
            updated_at: now(),
          });
          if (!ok) throw conflict('信息员已被他人修改，请刷新后重试');
          await ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'rights.informant.edit',
            targetType: 'rights_informant',
            targetId: id,
            orgId: i.org_id,
            outcome: 'success',
            detail: { kind: input.kind ?? null, active: input.active ?? null },
          });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('CONFLICT', '此人已在其他工会登记为信息员');
        throw err;
      }
      return { ok: true as const };
    },
  };
  return service;
}

export type Informants = ReturnType<typeof createInformants>;
