// The audit trail: append-only rows, each carrying the hash of the one before (SM3), so a row
// changed or removed behind the application's back breaks the chain and `verify` finds it.
import type { Kysely, Transaction } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { AuditRow, ActorType, DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { sm3 } from '../../platform/crypto.js';
import type { Actor, RequestMeta, StaffActor } from '../../platform/context.js';
import { randomInt } from 'node:crypto';
import { AUDIT_CHAINS, auditRepository, type Executor } from './audit.repository.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  actorType: ActorType;
  actorId?: string | null;
  actorName?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  orgId?: string | null;
  ip?: string | null;
  requestId?: string | null;
  outcome: 'success' | 'failure';
  detail?: Record<string, unknown> | null;
  /**
   * High-volume appends (the enrollment rush) go to one of several hash chains picked at random,
   * so they do not all wait on one lock; everything else stays on chain 0. See docs/decisions/007.
   */
  spread?: boolean;
}

type Unhashed = Omit<AuditRow, 'hash'>;

function canonical(row: Unhashed): string {
  return JSON.stringify([
    row.id,
    row.at.toISOString(),
    row.actor_type,
    row.actor_id,
    row.actor_name,
    row.action,
    row.target_type,
    row.target_id,
    row.org_id,
    row.ip,
    row.request_id,
    row.outcome,
    row.detail,
    row.prev_hash,
  ]);
}

export const hashRow = (row: Unhashed) => sm3(canonical(row));

/** The actor and origin of a request, in the form an audit entry wants. */
export function auditActor(actor: Actor, meta: RequestMeta): Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'> {
  const base = { ip: meta.ip, requestId: meta.requestId };
  if (actor.type === 'staff') return { ...base, actorType: 'staff', actorId: actor.accountId, actorName: `${actor.displayName}（${actor.username}）` };
  if (actor.type === 'worker') return { ...base, actorType: 'worker', actorId: actor.workerId, actorName: actor.phoneMasked };
  if (actor.type === 'partner') return { ...base, actorType: 'partner', actorId: actor.partnerId, actorName: actor.name };
  return { ...base, actorType: 'anonymous', actorId: null, actorName: null };
}

export const fromRequest = (req: FastifyRequest) => auditActor(req.actor, req.meta);

export function createAuditService(deps: { db: Kysely<DB>; clock: Clock }) {
  async function appendIn(trx: Transaction<DB>, entry: AuditEntry): Promise<void> {
    const chain = entry.spread ? 1 + randomInt(AUDIT_CHAINS - 1) : 0;
    let head = chain === 0 ? undefined : await auditRepository.lockHeadAndNextId(trx, chain);
    if (!head) {
      await auditRepository.lockChain(trx, chain);
      // A spread chain's head may have been created meanwhile: lock it as the fast path does.
      if (chain !== 0) head = await auditRepository.lockHeadAndNextId(trx, chain);
      head ??= await auditRepository.headAndNextId(trx, chain);
    }
    const { id, last_hash } = head;
    // Millisecond precision: what JavaScript's Date keeps, so the hash recomputes exactly.
    const at = new Date(deps.clock.now().getTime());
    const row: Unhashed = {
      id,
      at,
      actor_type: entry.actorType,
      actor_id: entry.actorId ?? null,
      actor_name: entry.actorName ?? null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      org_id: entry.orgId ?? null,
      ip: entry.ip ?? null,
      request_id: entry.requestId ?? null,
      outcome: entry.outcome,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      prev_hash: last_hash ?? GENESIS_HASH,
      chain,
    };
    await auditRepository.insert(trx, { ...row, hash: hashRow(row) });
  }

  return {
    /** Append inside the caller's transaction: the record and its audit row commit together. */
    append: appendIn,

    /** Append on its own (failures, reads), in a transaction of its own. */
    async record(entry: AuditEntry): Promise<void> {
      await deps.db.transaction().execute((trx) => appendIn(trx, entry));
    },

    async list(actor: StaffActor, rootOrgPath: string, f: Parameters<typeof auditRepository.list>[2]) {
      // Rows with no org (e.g. failed logins of unknown users) are shown to auditors of the root.
      return auditRepository.list(deps.db, { orgPath: actor.orgPath, includeUnscoped: actor.orgPath === rootOrgPath }, f);
    },

    async verify(db: Executor = deps.db): Promise<VerifyResult> {
      const problems: VerifyProblem[] = [];
      // Each chain is walked on its own: its rows in id order, each naming the previous row's hash.
      const prevHash = new Map<number, string>();
      const lastId = new Map<number, string>();
      let after: string | null = null;
      let checked = 0;
      for (;;) {
        const batch = await auditRepository.batchAfter(db, after, 2000);
        if (batch.length === 0) break;
        for (const row of batch) {
          checked++;
          const { hash, ...rest } = row;
          if (hashRow(rest) !== hash) {
            problems.push({ id: row.id, kind: 'modified', message: `第 ${row.id} 条记录的内容与其哈希不符：记录被修改过` });
          }
          const chain = Number(row.chain ?? 0);
          if (row.prev_hash !== (prevHash.get(chain) ?? GENESIS_HASH)) {
            problems.push({ id: row.id, kind: 'missing', message: `第 ${row.id} 条记录之前的记录缺失或被改动：哈希链断开` });
          }
          prevHash.set(chain, hash);
          lastId.set(chain, row.id);
          after = row.id;
        }
      }
      const heads = await auditRepository.heads(db);
      for (const head of heads) {
        const chain = Number(head.chain);
        const last = lastId.get(chain) ?? null;
        // A spread chain nobody has appended to yet (created empty by the migration).
        if (last === null && String(head.last_id) === '0' && head.last_hash === GENESIS_HASH) continue;
        if (head.last_id !== last || head.last_hash !== prevHash.get(chain)) {
          problems.push({
            id: head.last_id,
            kind: 'head_mismatch',
            message: `链尾应为第 ${head.last_id} 条记录，实际为第 ${last ?? '无'} 条：末尾记录被删除或改动`,
          });
        }
      }
      for (const [chain, last] of lastId) {
        if (!heads.some((h) => Number(h.chain) === chain)) problems.push({ id: last, kind: 'head_mismatch', message: '链尾记录缺失' });
      }
      return { ok: problems.length === 0, checked, problems, verifiedAt: deps.clock.now().toISOString() };
    },
  };
}

export interface VerifyProblem {
  id: string;
  kind: 'modified' | 'missing' | 'head_mismatch';
  message: string;
}
export interface VerifyResult {
  ok: boolean;
  checked: number;
  problems: VerifyProblem[];
  verifiedAt: string;
}

export type AuditService = ReturnType<typeof createAuditService>;
