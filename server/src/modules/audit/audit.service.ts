// The audit trail: append-only rows, each carrying the hash of the one before (SM3), so a row
// changed or removed behind the application's back breaks the chain and `verify` finds it.
import type { Kysely, Transaction } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { AuditRow, ActorType, DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { sm3 } from '../../platform/crypto.js';
import type { Actor, RequestMeta, StaffActor } from '../../platform/context.js';
import { randomInt } from 'node:crypto';
import { startBackgroundJob } from '../../platform/background-job.js';
import { AUDIT_CHAINS, DEFERRED_CHAIN, auditRepository, type DeferredAuditRow, type Executor } from './audit.repository.js';

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

type Unhashed = Omit<AuditRow, 'hash' | 'seq' | 'prev_hash'> & { prev_hash: string };
const SEAL_BATCH = 1000;

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

  /** Links unsealed rows of the deferred chain, oldest id first, in batches; returns how many. */
  async function sealDeferred(db: Kysely<DB> = deps.db): Promise<number> {
    let total = 0;
    for (;;) {
      if (!(await auditRepository.hasUnsealed(db))) return total;
      const n = await db.transaction().execute(async (trx) => {
        await auditRepository.lockChain(trx, DEFERRED_CHAIN);
        const { rows, lastSeq } = await auditRepository.unsealed(trx, SEAL_BATCH);
        if (rows.length === 0) return 0;
        let prev = (await auditRepository.head(trx, DEFERRED_CHAIN))?.last_hash ?? GENESIS_HASH;
        let seq = BigInt(lastSeq ?? 0);
        const sealed = rows.map(({ hash: _unsealed, seq: _none, ...row }) => {
          const hash = hashRow({ ...row, prev_hash: prev });
          const out = { id: row.id, prev_hash: prev, hash, seq: String(++seq) };
          prev = hash;
          return out;
        });
        const written = await auditRepository.seal(trx, sealed);
        if (written !== sealed.length) throw new Error(`audit sealing wrote ${written} of ${sealed.length} rows`);
        return written;
      });
      total += n;
      if (n < SEAL_BATCH) return total;
    }
  }

  return {
    /** Append inside the caller's transaction: the record and its audit row commit together. */
    append: appendIn,

    /**
     * The audit row of a single-statement write (docs/decisions/008): an INSERT for the caller's own
     * statement, one unsealed row per row of the CTE `source` (whose `id` is the target id). The
     * sealer links it into the deferred chain moments later.
     */
    deferredInsertFrom(source: string, entry: Omit<AuditEntry, 'targetId' | 'spread'>) {
      const row: DeferredAuditRow = {
        at: new Date(deps.clock.now().getTime()),
        actor_type: entry.actorType,
        actor_id: entry.actorId ?? null,
        actor_name: entry.actorName ?? null,
        action: entry.action,
        target_type: entry.targetType ?? null,
        org_id: entry.orgId ?? null,
        ip: entry.ip ?? null,
        request_id: entry.requestId ?? null,
        outcome: entry.outcome,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      };
      return auditRepository.deferredInsertFrom(source, row);
    },

    sealDeferred,

    /** Seals every `everyMs` in the background; `stop` seals once more. */
    startSealer(onError: (err: unknown) => void, everyMs = 1000) {
      const job = startBackgroundJob('audit sealing', () => sealDeferred(), { everyMs, onError });
      return {
        async stop() {
          await job.stop();
          await sealDeferred().catch(onError);
        },
      };
    },

    /** Append on its own (failures, reads), in a transaction of its own. */
    async record(entry: AuditEntry): Promise<void> {
      await deps.db.transaction().execute((trx) => appendIn(trx, entry));
    },

    async list(actor: StaffActor, rootOrgPath: string, f: Parameters<typeof auditRepository.list>[2]) {
      // Rows with no org (e.g. failed logins of unknown users) are shown to auditors of the root.
      return auditRepository.list(deps.db, { orgPath: actor.orgPath, includeUnscoped: actor.orgPath === rootOrgPath }, f);
    },

    async verify(db: Kysely<DB> = deps.db): Promise<VerifyResult> {
      // Rows written moments ago by a single-statement write are linked first, so they are checked too.
      await sealDeferred(db);
      // One snapshot for every read: appends and seals write their rows and their chain's head in one
      // statement, so within one snapshot the heads always match the rows (no false alarms under traffic).
      return db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          const problems: VerifyProblem[] = [];
          // Each chain is walked on its own: its rows in chain order (id order; seal order on the deferred
          // chain), each naming the previous row's hash.
          const prevHash = new Map<number, string>();
          const lastId = new Map<number, string>();
          let checked = 0;
          const check = (row: AuditRow) => {
            checked++;
            const { hash, seq: _position, prev_hash, ...rest } = row;
            if (hash === null || prev_hash === null || hashRow({ ...rest, prev_hash }) !== hash) {
              problems.push({ id: row.id, kind: 'modified', message: `第 ${row.id} 条记录的内容与其哈希不符：记录被修改过` });
            }
            const chain = Number(row.chain ?? 0);
            if (row.prev_hash !== (prevHash.get(chain) ?? GENESIS_HASH)) {
              problems.push({ id: row.id, kind: 'missing', message: `第 ${row.id} 条记录之前的记录缺失或被改动：哈希链断开` });
            }
            prevHash.set(chain, hash ?? '');
            lastId.set(chain, row.id);
          };
          for (let after: string | null = null; ;) {
            const batch = await auditRepository.batchAfter(trx, after, 2000);
            if (batch.length === 0) break;
            batch.forEach(check);
            after = batch[batch.length - 1]!.id;
          }
          for (let after: string | null = null; ;) {
            const batch = await auditRepository.deferredBatchAfter(trx, after, 2000);
            if (batch.length === 0) break;
            batch.forEach(check);
            after = batch[batch.length - 1]!.seq;
          }
          const heads = await auditRepository.heads(trx);
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
        });
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
