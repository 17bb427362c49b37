// The audit trail: append-only rows, each carrying the hash of the one before, keyed with the audit
// key (HMAC-SM3, audit.hash.ts), so a row changed or removed behind the application's back breaks
// the chain and `verify` finds it — also when whoever changed it could rewrite the whole database,
// since the key is not in it; the chain heads are anchored outside the database (audit.anchors.ts).
import type { Kysely, Transaction } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { ActorType, DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Actor, RequestMeta, StaffActor } from '../../platform/context.js';
import { randomInt } from 'node:crypto';
import { startBackgroundJob } from '../../platform/background-job.js';
import type { Jobs } from '../../platform/jobs.js';
import { appendAnchor, type AnchorHead } from './audit.anchors.js';
import { GENESIS_HASH, HASH_ALG, auditKey, legacyHeadText, type AuditKey, type Unhashed } from './audit.hash.js';
import { AUDIT_CHAINS, DEFERRED_CHAIN, auditRepository, type DeferredAuditRow, type Executor } from './audit.repository.js';
import { verifyChains, type VerifyResult } from './audit.verify.js';
import { auditTargetsRepository } from './audit.targets.repository.js';

export { GENESIS_HASH };
export type { VerifyProblem, VerifyResult } from './audit.verify.js';

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

const SEAL_BATCH = 1000;

/** The actor and origin of a request, in the form an audit entry wants. */
export function auditActor(actor: Actor, meta: RequestMeta): Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'> {
  const base = { ip: meta.ip, requestId: meta.requestId };
  if (actor.type === 'staff') return { ...base, actorType: 'staff', actorId: actor.accountId, actorName: `${actor.displayName}（${actor.username}）` };
  if (actor.type === 'worker') return { ...base, actorType: 'worker', actorId: actor.workerId, actorName: actor.phoneMasked };
  if (actor.type === 'partner') return { ...base, actorType: 'partner', actorId: actor.partnerId, actorName: actor.name };
  return { ...base, actorType: 'anonymous', actorId: null, actorName: null };
}

export const fromRequest = (req: FastifyRequest) => auditActor(req.actor, req.meta);

export interface AuditServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** GONGHUI_AUDIT_KEY (hex): the chain's HMAC key, kept outside the database. */
  key: string;
  /** The anchors file (DATA_DIR/audit-anchors.log, audit.anchors.ts); null: no anchors. */
  anchorFile?: string | null;
}

export function createAuditService(deps: AuditServiceDeps) {
  const key = auditKey(deps.key);
  const anchorFile = deps.anchorFile ?? null;

  /** The row `deferredInsertFrom` writes, as data: for set-based inserts of many (`auditRepository.deferredInsertManyFrom`). */
  function deferredRow(entry: Omit<AuditEntry, 'targetId' | 'spread'>): DeferredAuditRow {
    return {
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
  }

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
    await auditRepository.insert(trx, { ...row, hash_alg: HASH_ALG.hmacSm3, hash: key.hashRow(row) });
  }

  /**
   * Links unsealed rows of the deferred chain, oldest id first, in batches; returns how many. Every
   * process runs a sealer (decision 037): the chain's lock makes them take turns, and the timer's run
   * (`skipIfBusy`) does not wait for it — the sealer holding it seals this process's rows too.
   */
  async function sealDeferred(db: Kysely<DB> = deps.db, opts: { skipIfBusy?: boolean } = {}): Promise<number> {
    let total = 0;
    for (;;) {
      if (!(await auditRepository.hasUnsealed(db))) return total;
      const n = await db.transaction().execute(async (trx) => {
        if (opts.skipIfBusy) {
          if (!(await auditRepository.tryLockChain(trx, DEFERRED_CHAIN))) return -1;
        } else await auditRepository.lockChain(trx, DEFERRED_CHAIN);
        const { rows, lastSeq } = await auditRepository.unsealed(trx, SEAL_BATCH);
        if (rows.length === 0) return 0;
        let prev = (await auditRepository.head(trx, DEFERRED_CHAIN))?.last_hash ?? GENESIS_HASH;
        let seq = BigInt(lastSeq ?? 0);
        const sealed = rows.map(({ hash: _unsealed, seq: _none, hash_alg: _keyed, ...row }) => {
          const hash = key.hashRow({ ...row, prev_hash: prev });
          const out = { id: row.id, prev_hash: prev, hash, seq: String(++seq) };
          prev = hash;
          return out;
        });
        const written = await auditRepository.seal(trx, sealed);
        if (written !== sealed.length) throw new Error(`audit sealing wrote ${written} of ${sealed.length} rows`);
        return written;
      });
      if (n < 0) return total;
      total += n;
      if (n < SEAL_BATCH) return total;
    }
  }

  /**
   * Appends the heads that moved since `previous` (chain → hash; all heads when empty) to the anchors
   * file; returns what it wrote (null when nothing moved).
   */
  async function anchor(previous: ReadonlyMap<number, string> = new Map()): Promise<AnchorHead[] | null> {
    if (!anchorFile) throw new Error('audit anchoring needs an anchor file');
    // Under a lock, heads read and line written together: processes sharing a DATA_DIR never write an
    // older head after a newer one (verify would call that a reordered chain; decision 037).
    return deps.db.transaction().execute(async (trx) => {
      await auditRepository.lockAnchoring(trx);
      const heads = (await auditRepository.headsForAnchor(trx))
        .map((h) => ({ chain: Number(h.chain), id: String(h.last_id), seq: h.seq === null ? null : String(h.seq), hash: h.last_hash }))
        .filter((h) => previous.get(h.chain) !== h.hash);
      if (heads.length === 0) return null;
      appendAnchor(anchorFile, key, deps.clock.now(), heads);
      return heads;
    });
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
      return auditRepository.deferredInsertFrom(source, deferredRow(entry));
    },

    deferredRow,

    /**
     * Append inside the caller's transaction WITHOUT the chain lock: the row is written unsealed on the
     * deferred chain and linked by the sealer within a second (decision 008). For public writes that
     * many people make at once (join submissions): a chain lock is held until the commit is flushed,
     * so every such transaction would wait for the previous one's flush (≈ 100 a second on one disk).
     */
    async appendDeferred(trx: Transaction<DB>, entry: Omit<AuditEntry, 'spread'>): Promise<void> {
      await auditRepository.insertDeferred(trx, { ...deferredRow(entry), target_id: entry.targetId ?? null });
    },

    sealDeferred,

    /** How far the sealer is behind: unsealed rows and the age of the oldest, in seconds (/metrics). */
    async sealerLag(): Promise<{ unsealed: number; oldestAgeSeconds: number }> {
      const { unsealed, oldestAt } = await auditRepository.sealerLag(deps.db);
      return { unsealed, oldestAgeSeconds: oldestAt ? Math.max(0, (deps.clock.now().getTime() - oldestAt.getTime()) / 1000) : 0 };
    },

    /** Seals every `everyMs` in the background; `stop` seals once more. */
    startSealer(onError: (err: unknown) => void, everyMs = 1000) {
      const job = startBackgroundJob('audit sealing', () => sealDeferred(deps.db, { skipIfBusy: true }), { everyMs, onError });
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

    /** The names of the objects audit rows point at (账号「张三」…), for the log's 对象 column. */
    targetNames(targets: { type: string; id: string }[]) {
      return auditTargetsRepository.names(deps.db, targets);
    },

    /** The newest rows in the caller's scope (failures only when asked), without a total. */
    async recent(actor: StaffActor, rootOrgPath: string, f: { outcome?: 'success' | 'failure'; since?: Date; limit: number }) {
      return auditRepository.recent(deps.db, { orgPath: actor.orgPath, includeUnscoped: actor.orgPath === rootOrgPath }, f);
    },

    /** The last chain verification (who ran it, when, its result), or null when none ran yet. */
    async lastVerification() {
      const r = await auditRepository.latestOfAction(deps.db, 'audit.verify');
      if (!r) return null;
      const d = (r.detail ? JSON.parse(r.detail) : {}) as { ok?: boolean; checked?: number; problems?: number };
      return { at: r.at.toISOString(), by: r.actor_name, ok: d.ok === true, checked: d.checked ?? 0, problems: d.problems ?? 0 };
    },

    async verify(db: Kysely<DB> = deps.db): Promise<VerifyResult> {
      // Rows written moments ago by a single-statement write are linked first, so they are checked too.
      await sealDeferred(db);
      const result = await verifyChains(db, key, anchorFile);
      return { ...result, verifiedAt: deps.clock.now().toISOString() };
    },

    anchor,

    /**
     * Anchors the chain heads every `everyMs` (and once at start); `stop` anchors once more, so the
     * heads at shutdown are written. `onAnchor` gets each anchor written (the server logs it).
     */
    startAnchoring(opts: { onAnchor?: (heads: AnchorHead[]) => void; onError: (err: unknown) => void; everyMs?: number; jobs?: Jobs }) {
      if (!anchorFile) throw new Error('audit anchoring needs an anchor file');
      let last = new Map<number, string>();
      const run = async () => {
        const written = await anchor(last);
        if (written) {
          last = new Map([...last, ...written.map((h): [number, string] => [h.chain, h.hash])]);
          opts.onAnchor?.(written);
        }
      };
      const everyMs = opts.everyMs ?? 60_000;
      // With the job runner: once a minute across all processes (each still anchors at its own stop).
      if (opts.jobs) opts.jobs.every('audit anchoring', everyMs, run, { atStart: true });
      const job = opts.jobs ? null : startBackgroundJob('audit anchoring', run, { everyMs, atStart: true, onError: opts.onError });
      return {
        async stop() {
          await job?.stop();
          await run().catch(opts.onError);
        },
      };
    },
  };
}

/**
 * Once per database, when the audit key is first configured for it (key-check.ts, in the transaction
 * that records the key's check value): the last unkeyed row of each chain, MACed under the key.
 * verify accepts unkeyed rows only up to these. Returns the chains recorded.
 */
export async function recordLegacyHeads(trx: Executor, hexKey: string): Promise<number[]> {
  const key: AuditKey = auditKey(hexKey);
  if ((await auditRepository.legacyHeads(trx)).length) return [];
  const rows = (await auditRepository.lastUnkeyedRows(trx)).map((r) => ({ ...r, chain: Number(r.chain) }));
  await auditRepository.insertLegacyHeads(
    trx,
    rows.map((r) => ({ ...r, mac: key.mac('legacy-head', legacyHeadText(r)) })),
  );
  return rows.map((r) => r.chain);
}

export type AuditService = ReturnType<typeof createAuditService>;
