// The hardship service's shared internals: household figures and keys, the one-file-per-household
// checks, the versioned transition with its timeline, audit and notices, and timeline records.
// Split out of hardship.service.ts.
import { isUniqueViolation } from '../../db/errors.js';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { HardshipFilesTable } from '../../db/schema-hardship.js';
import type { Updateable } from 'kysely';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid } from '../../platform/errors.js';
import { maskIdNumber } from '../../platform/validators.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import type { AidService } from '../aid/aid.service.js';
import { fenOf, fromFen } from '../../platform/money.js';
import { ID_DOMAIN } from '../members/members.people.js';
import { hardshipRepository } from './hardship.repository.js';
import { CLOSED_STATUSES, HARDSHIP_STATUSES, type HardshipStatus } from './hardship.constants.js';
import type { FileContent } from './hardship.schema.js';
import { HARDSHIP_ACTIONS, actorName, countyOrgIdOf, fileNo, fileOrThrow, type FileRow, type Notice } from './hardship.common.js';
import type { HardshipReads } from './hardship.read.js';

export function createHardshipCore(ctx: ModuleContext & { aid: AidService }, reads: HardshipReads) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  /** Household figures in fen: never floats. Per capita rounds half up to the fen. */
  function household(content: FileContent) {
    const size = 1 + content.family.length;
    const income = fenOf(content.headMonthlyIncome) + content.family.reduce((s, m) => s + fenOf(m.monthlyIncome), 0n);
    const perCapita = (income * 2n + BigInt(size)) / (2n * BigInt(size));
    return { household_size: size, household_income: fromFen(income), per_capita_income: fromFen(perCapita) };
  }

  /** Rows for the family table; on an edit, a member sent with its `id` and no new ID number keeps the stored one. */
  function familyRows(
    fileId: string,
    content: FileContent,
    existing: { id: string; id_enc: string | null; id_bidx: string | null; id_masked: string | null }[] = [],
  ) {
    return content.family.map((m, i) => {
      const kept = !m.idNumber && m.id ? existing.find((e) => e.id === m.id) : undefined;
      return {
        file_id: fileId,
        name: m.name,
        relation: m.relation,
        id_enc: m.idNumber ? ctx.crypto.encrypt(m.idNumber) : (kept?.id_enc ?? null),
        id_bidx: m.idNumber ? ctx.crypto.blindIndex(`resident_id:${m.idNumber}`, ID_DOMAIN) : (kept?.id_bidx ?? null),
        id_masked: m.idNumber ? maskIdNumber(m.idNumber) : (kept?.id_masked ?? null),
        health: m.health ?? null,
        work: m.work ?? null,
        monthly_income: m.monthlyIncome,
        sort: i,
      };
    });
  }

  function householdKeys(headBidx: string, family: { id_bidx: string | null }[]) {
    const keys: { id_bidx: string; role: 'head' | 'family' }[] = [{ id_bidx: headBidx, role: 'head' }];
    for (const m of family) {
      if (!m.id_bidx) continue;
      if (keys.some((k) => k.id_bidx === m.id_bidx)) throw invalid({ family: '家庭成员身份证号重复（或与户主相同）' });
      keys.push({ id_bidx: m.id_bidx, role: 'family' });
    }
    return keys;
  }

  const duplicateMessage = (orgName: string, id: string) => `该家庭已有困难职工档案（所属工会：${orgName}，档案编号 ${fileNo(id)}），一户只能建一份档案`;

  async function assertHouseholdFree(trx: Transaction<DB>, bidxs: string[], exceptFileId?: string) {
    const existing = await hardshipRepository.openFileHolding(trx, bidxs, exceptFileId);
    if (existing) throw new AppError('CONFLICT', duplicateMessage(existing.org_name, existing.id));
  }

  /** A unique violation of the one-open-file index (two at once): answer with the file that won. */
  async function rethrowDuplicate(err: unknown, bidxs: string[], exceptFileId?: string): Promise<never> {
    if (isUniqueViolation(err, 'hardship_one_open_file')) {
      const existing = await hardshipRepository.openFileHolding(db, bidxs, exceptFileId);
      throw new AppError('CONFLICT', existing ? duplicateMessage(existing.org_name, existing.id) : '该家庭已有困难职工档案，一户只能建一份档案');
    }
    throw err;
  }

  /**
   * One transition: the file must be in one of `from` and at `version`; it moves to `to` (or stays),
   * with a timeline event and an audit row, all in one transaction. `extra` runs inside it first.
   */
  async function transition(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    t: {
      version: number;
      from: HardshipStatus[];
      to?: HardshipStatus;
      action: string;
      comment?: string | null;
      patch?: Updateable<HardshipFilesTable> | ((f: FileRow) => Updateable<HardshipFilesTable>);
      check?: (f: FileRow) => void;
      extra?: (trx: Transaction<DB>, f: FileRow) => Promise<void>;
      notify?: (f: FileRow) => Notice;
    },
  ) {
    const sms = await db.transaction().execute(async (trx) => {
      const f = await fileOrThrow(trx, actor, id);
      if (f.version !== t.version) throw conflict('档案已被他人处理，请刷新后重试');
      if (!t.from.includes(f.status))
        throw new AppError('CONFLICT', `档案当前状态为「${HARDSHIP_STATUSES[f.status]}」，不能${HARDSHIP_ACTIONS[t.action] ?? '执行此操作'}`);
      t.check?.(f);
      const at = now();
      const patch = typeof t.patch === 'function' ? t.patch(f) : t.patch;
      const moved = await hardshipRepository.update(trx, id, t.version, { ...patch, ...(t.to && { status: t.to }), updated_at: at });
      if (!moved) throw conflict('档案已被他人处理，请刷新后重试');
      if (t.to && CLOSED_STATUSES.includes(t.to)) await hardshipRepository.closeKeys(trx, id);
      await t.extra?.(trx, f);
      await hardshipRepository.insertEvent(trx, {
        file_id: id,
        action: t.action,
        from_status: f.status,
        to_status: t.to ?? f.status,
        comment: t.comment ?? null,
        actor_id: actor.accountId,
        actor_name: actorName(actor),
        at,
      });
      await ctx.audit.append(trx, {
        ...auditActor(actor, meta),
        action: `hardship.${t.action}`,
        targetType: 'hardship_file',
        targetId: id,
        orgId: f.org_id,
        outcome: 'success',
        detail: { from: f.status, to: t.to ?? f.status, comment: t.comment ?? null },
      });
      return t.notify ? send(trx, f, t.notify(f)) : null;
    });
    if (sms) await ctx.messages.smsWorker(sms.workerId, sms.text);
    return reads.get(actor, id);
  }

  /** Writes a transition's messages in its transaction; returns the SMS to send after the commit. */
  async function send(trx: Transaction<DB>, f: FileRow, n: Notice) {
    if (n.staff) {
      const { orgId, permission, title, body } = n.staff;
      await ctx.messages.sendToStaff(trx, { orgId, permission }, { title, body, link: `/admin/#/hardship/${f.id}`, category: 'hardship' });
    }
    if (!n.worker || !f.head_worker_id) return null;
    await ctx.messages.send(trx, { workerId: f.head_worker_id }, { title: n.worker.title, body: n.worker.body, category: 'hardship' });
    return { workerId: f.head_worker_id, text: n.worker.body };
  }

  /** `<union><head>的困难职工档案（KN…）`: how staff messages name a file. */
  const fileLabel = (f: FileRow) => `${f.org_name}${f.head_name}的困难职工档案（${fileNo(f.id)}）`;
  const toUnion = (f: FileRow, title: string, body: string): Notice['staff'] => ({ orgId: f.org_id, permission: 'hardship:write', title, body });
  const toCounty = (f: FileRow, title: string, body: string): Notice['staff'] => ({
    orgId: countyOrgIdOf(f.org_path),
    permission: 'hardship:approve',
    title,
    body,
  });

  /** Appends to an open file without moving it (pairings, visits): timeline + audit. */
  async function record(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    action: string,
    comment: string | null,
    statuses: HardshipStatus[],
    body: (trx: Transaction<DB>, f: FileRow) => Promise<{ detail: Record<string, unknown>; comment?: string }>,
  ) {
    await db.transaction().execute(async (trx) => {
      const f = await fileOrThrow(trx, actor, id);
      if (!statuses.includes(f.status)) throw new AppError('CONFLICT', `档案当前状态为「${HARDSHIP_STATUSES[f.status]}」，不能${HARDSHIP_ACTIONS[action]}`);
      const { detail, comment: done } = await body(trx, f);
      await hardshipRepository.insertEvent(trx, {
        file_id: id,
        action,
        from_status: f.status,
        to_status: f.status,
        comment: done ?? comment,
        actor_id: actor.accountId,
        actor_name: actorName(actor),
        at: now(),
      });
      await ctx.audit.append(trx, {
        ...auditActor(actor, meta),
        action: `hardship.${action}`,
        targetType: 'hardship_file',
        targetId: id,
        orgId: f.org_id,
        outcome: 'success',
        detail,
      });
    });
  }

  return { db, now, household, familyRows, householdKeys, assertHouseholdFree, rethrowDuplicate, transition, send, fileLabel, toUnion, toCounty, record };
}

export type HardshipCore = ReturnType<typeof createHardshipCore>;
