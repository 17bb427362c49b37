// Change requests (issue 11, decision 015): a member asks to change roll data they may not change
// themselves — 工作单位 (on the membership) and 住址 (on the person). The union of the membership
// (or a union above it, by scope) approves or refuses with the version it saw; approval writes the
// roll in the same transaction, refusal changes nothing. One open request per person.
//
// Who may file: only the worker whose account is linked to the person, for that person's live
// membership, both taken from the session (nothing in the body names a person). Who may decide:
// staff with member:write whose scope holds the request's union (another org: 404).
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/errors.js';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { profileRepository, type ChangeStatus } from './profile.repository.js';
import { CHANGE_FIELDS, CHANGE_STATUSES, type ChangeField } from './profile.schema.js';

type Changes = Partial<Record<ChangeField, { from: string | null; to: string | null }>>;

function describe(changes: Changes): string {
  return Object.keys(changes)
    .map((k) => CHANGE_FIELDS[k as ChangeField])
    .join('、');
}

export function createProfileChangesService(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  return {
    async submit(worker: WorkerActor, meta: RequestMeta, input: { employerName?: string | null; address?: string | null }) {
      const at = now();
      try {
        return await db.transaction().execute(async (trx) => {
          const p = await profileRepository.personOfWorker(trx, worker.workerId);
          if (!p || !p.membership_id || !p.org_id) throw new AppError('CONFLICT', '您还不是工会会员：入会后才能申请变更名册信息');
          const changes: Changes = {};
          if (input.employerName !== undefined && input.employerName !== p.employer_name) changes.employerName = { from: p.employer_name, to: input.employerName };
          if (input.address !== undefined && input.address !== p.address) changes.address = { from: p.address, to: input.address };
          if (Object.keys(changes).length === 0) throw new AppError('VALIDATION_FAILED', '填写的内容与名册一致，无需变更', { employerName: '与名册一致' });
          const row = await profileRepository.insertRequest(trx, {
            person_id: p.person_id,
            membership_id: p.membership_id,
            org_id: p.org_id,
            worker_id: worker.workerId,
            changes: JSON.stringify(changes),
            created_at: at,
            updated_at: at,
          });
          await ctx.audit.append(trx, {
            ...auditActor(worker, meta),
            action: 'member.change_request',
            targetType: 'member_change_request',
            targetId: row.id,
            orgId: p.org_id,
            outcome: 'success',
            detail: { personId: p.person_id, changes },
          });
          await ctx.messages.sendToStaff(
            trx,
            { orgId: p.org_id, permission: 'member:write' },
            {
              title: '会员信息变更待审核',
              body: `会员${p.name}申请变更${describe(changes)}，请核对后处理。`,
              link: '/admin/#/member-changes',
              category: 'system',
            },
          );
          return { id: row.id, status: 'pending' as const, statusLabel: CHANGE_STATUSES.pending };
        });
      } catch (err) {
        if (isUniqueViolation(err, 'member_change_requests_one_open')) throw conflict('您已有一份信息变更申请在等待工会审核：请等审核完成或先撤回');
        throw err;
      }
    },

    async mine(worker: WorkerActor) {
      const rows = await profileRepository.requestsOfWorker(db, worker.workerId);
      return rows.map((r) => ({
        id: r.id,
        changes: r.changes,
        status: r.status,
        statusLabel: CHANGE_STATUSES[r.status],
        orgName: r.org_name,
        reviewNote: r.review_note,
        createdAt: r.created_at.toISOString(),
        reviewedAt: r.reviewed_at?.toISOString() ?? null,
      }));
    },

    async withdraw(worker: WorkerActor, meta: RequestMeta, id: string) {
      const at = now();
      await db.transaction().execute(async (trx) => {
        const r = await profileRepository.pendingOfWorkerForUpdate(trx, worker.workerId, id);
        if (!r) throw notFound('变更申请');
        if (r.status !== 'pending') throw conflict('该申请已处理，不能撤回');
        if (!(await profileRepository.decide(trx, r.id, r.version, { status: 'withdrawn', reviewed_by: null, reviewed_at: at, review_note: null }))) {
          throw conflict('该申请已处理，不能撤回');
        }
        await ctx.audit.append(trx, {
          ...auditActor(worker, meta),
          action: 'member.change_withdraw',
          targetType: 'member_change_request',
          targetId: r.id,
          orgId: r.org_id,
          outcome: 'success',
        });
      });
    },

    async list(actor: StaffActor, q: { page: number; pageSize: number; status?: ChangeStatus }) {
      const { rows, total } = await profileRepository.pageInScope(db, actor.orgPath, {
        status: q.status ?? null,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      return {
        items: rows.map((r) => ({
          id: r.id,
          name: r.name,
          memberNo: r.member_no,
          orgName: r.org_name,
          changes: r.changes,
          current: { employerName: r.current_employer, address: r.current_address },
          membershipLive: r.membership_status === 'active' || r.membership_status === 'retained',
          status: r.status,
          statusLabel: CHANGE_STATUSES[r.status],
          version: r.version,
          reviewNote: r.review_note,
          createdAt: r.created_at.toISOString(),
          reviewedAt: r.reviewed_at?.toISOString() ?? null,
        })),
        total,
      };
    },

    async review(actor: StaffActor, meta: RequestMeta, id: string, input: { decision: 'approve' | 'refuse'; reason?: string; version: number }) {
      const at = now();
      return db.transaction().execute(async (trx) => {
        const r = await profileRepository.findInScopeForUpdate(trx, actor.orgPath, id);
        if (!r) throw notFound('变更申请');
        if (r.status !== 'pending' || r.version !== input.version) throw conflict('该申请已被他人处理或已撤回，请刷新后查看');
        const changes = r.changes as Changes;
        if (input.decision === 'approve') {
          // The membership must still be live in the union that received the request (a transfer moves it away).
          const m = await profileRepository.liveMembershipForUpdate(trx, r.membership_id, r.org_id);
          if (!m) throw conflict('该会员的会籍已变动（转出或退会），不能再按此申请变更，请不予通过');
          if (changes.employerName) await profileRepository.setEmployer(trx, r.membership_id, changes.employerName.to, at);
          if (changes.address) await profileRepository.setAddress(trx, r.person_id, changes.address.to, at);
        }
        const status = input.decision === 'approve' ? 'approved' : 'refused';
        const note = input.reason?.trim() || null;
        if (!(await profileRepository.decide(trx, r.id, r.version, { status, reviewed_by: actor.accountId, reviewed_at: at, review_note: note }))) {
          throw conflict('该申请已被他人处理或已撤回，请刷新后查看');
        }
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: input.decision === 'approve' ? 'member.change_approve' : 'member.change_refuse',
          targetType: 'member_change_request',
          targetId: r.id,
          orgId: r.org_id,
          outcome: 'success',
          detail: { personId: r.person_id, membershipId: r.membership_id, changes, reason: note },
        });
        await ctx.messages.send(
          trx,
          { workerId: r.worker_id },
          {
            title: input.decision === 'approve' ? '信息变更已通过' : '信息变更未通过',
            body:
              input.decision === 'approve'
                ? `您申请变更的${describe(changes)}已由工会审核通过，名册已更新。`
                : `您申请变更的${describe(changes)}未通过审核${note ? `：${note}` : ''}。`,
            link: '/h5/#/profile',
            category: 'system',
          },
        );
        return { id: r.id, status, statusLabel: CHANGE_STATUSES[status] };
      });
    },
  };
}

export type ProfileChangesService = ReturnType<typeof createProfileChangesService>;
