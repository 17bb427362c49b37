// verify: walks every chain, recomputes each row's hash under the algorithm it names, follows the
// links, compares the heads, and checks the chains against the recorded legacy heads (unkeyed rows
// only up to them) and against the anchors written outside the database. docs/decisions/003, 008, 011.
import type { Kysely } from 'kysely';
import type { AuditRow, DB } from '../../db/schema.js';
import { readAnchors, type Anchor } from './audit.anchors.js';
import { GENESIS_HASH, HASH_ALG, legacyHeadText, type AuditKey } from './audit.hash.js';
import { DEFERRED_CHAIN, auditRepository } from './audit.repository.js';

export type VerifyProblemKind = 'modified' | 'missing' | 'head_mismatch' | 'unkeyed' | 'anchor_mismatch';
export const VERIFY_PROBLEM_KINDS = ['modified', 'missing', 'head_mismatch', 'unkeyed', 'anchor_mismatch'] as const;

export interface VerifyProblem {
  id: string;
  kind: VerifyProblemKind;
  message: string;
}
export interface VerifyResult {
  ok: boolean;
  checked: number;
  problems: VerifyProblem[];
  verifiedAt: string;
  /** Anchored heads checked against the chains, and when the newest anchor was written. */
  anchors: { checked: number; latestAt: string | null };
}

/** A row's place in its chain: seal order on the deferred chain, id order elsewhere. */
const positionOf = (row: { chain: number; id: string; seq: string | null }) => BigInt(Number(row.chain) === DEFERRED_CHAIN ? (row.seq ?? -1) : row.id);

interface AnchoredHead {
  chain: number;
  id: string;
  hash: string;
  at: string;
  /** Where the row was found (its position), once the walk reached it. */
  found?: bigint;
}

export async function verifyChains(db: Kysely<DB>, key: AuditKey, anchorFile: string | null): Promise<Omit<VerifyResult, 'verifiedAt'>> {
  const problems: VerifyProblem[] = [];
  // The anchors are read before the snapshot below: every head they name was committed before it.
  const { anchors, invalid } = anchorFile ? readAnchors(anchorFile, key) : { anchors: [] as Anchor[], invalid: [] };
  for (const bad of invalid) problems.push({ id: '0', kind: 'anchor_mismatch', message: `锚点文件第 ${bad.line} 行无效：${bad.reason}` });
  const anchored = anchors.flatMap((a) => a.heads.map((h): AnchoredHead => ({ chain: h.chain, id: h.id, hash: h.hash, at: a.at })));
  const anchoredByRow = new Map<string, AnchoredHead[]>();
  for (const a of anchored) {
    const k = `${a.chain}:${a.id}`;
    anchoredByRow.set(k, [...(anchoredByRow.get(k) ?? []), a]);
  }

  // One snapshot for every read: appends and seals write their rows and their chain's head in one
  // statement, so within one snapshot the heads always match the rows (no false alarms under traffic).
  const checked = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const legacy = new Map<number, { last_id: string; position: bigint; last_hash: string; seen: boolean }>();
      for (const h of await auditRepository.legacyHeads(trx)) {
        if (!key.macMatches('legacy-head', legacyHeadText(h), h.mac)) {
          problems.push({ id: h.last_id, kind: 'modified', message: `链 ${h.chain} 启用审计密钥前的历史链尾记录被改动（校验码不符）` });
          continue;
        }
        legacy.set(Number(h.chain), {
          last_id: h.last_id,
          position: positionOf({ chain: h.chain, id: h.last_id, seq: h.last_seq }),
          last_hash: h.last_hash,
          seen: false,
        });
      }
      // Each chain is walked on its own: its rows in chain order (id order; seal order on the deferred
      // chain), each naming the previous row's hash.
      const prevHash = new Map<number, string>();
      const lastId = new Map<number, string>();
      let count = 0;
      const check = (row: AuditRow) => {
        count++;
        const chain = Number(row.chain ?? 0);
        const position = positionOf({ chain, id: row.id, seq: row.seq });
        const { hash, seq: _position, prev_hash, hash_alg, ...rest } = row;
        const alg = Number(hash_alg);
        const before = legacy.get(chain);
        if (alg === HASH_ALG.sm3 && (!before || position > before.position)) {
          problems.push({ id: row.id, kind: 'unkeyed', message: `第 ${row.id} 条记录的哈希未使用审计密钥，而它不属于启用密钥前的历史记录：记录被改写过` });
        } else if (hash === null || prev_hash === null || key.hashRow({ ...rest, prev_hash }, alg) !== hash) {
          problems.push({ id: row.id, kind: 'modified', message: `第 ${row.id} 条记录的内容与其哈希不符：记录被修改过` });
        }
        if (before && row.id === before.last_id) {
          before.seen = true;
          if (hash !== before.last_hash)
            problems.push({ id: row.id, kind: 'modified', message: `第 ${row.id} 条记录（启用审计密钥前的历史链尾）与记录的哈希不符：历史记录被改写过` });
        }
        if (row.prev_hash !== (prevHash.get(chain) ?? GENESIS_HASH)) {
          problems.push({ id: row.id, kind: 'missing', message: `第 ${row.id} 条记录之前的记录缺失或被改动：哈希链断开` });
        }
        for (const a of anchoredByRow.get(`${chain}:${row.id}`) ?? []) {
          a.found = position;
          if (a.hash !== hash)
            problems.push({ id: row.id, kind: 'anchor_mismatch', message: `第 ${row.id} 条记录与 ${a.at} 写入的锚点哈希不符：记录被改写过` });
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
      for (const [chain, before] of legacy) {
        if (!before.seen)
          problems.push({
            id: before.last_id,
            kind: 'missing',
            message: `第 ${before.last_id} 条记录（链 ${chain} 启用审计密钥前的历史链尾）缺失：历史记录被删除`,
          });
      }
      return count;
    });

  // Every anchored head must still be in its chain, with its hash (checked above), in the order anchored.
  const lastFound = new Map<number, bigint>();
  for (const a of anchored) {
    if (a.found === undefined) {
      problems.push({
        id: a.id,
        kind: 'anchor_mismatch',
        message: `第 ${a.id} 条记录（链 ${a.chain}）于 ${a.at} 被锚定为链尾，现已不在链中：记录被删除或链被回滚`,
      });
      continue;
    }
    const previous = lastFound.get(a.chain);
    if (previous !== undefined && a.found < previous) {
      problems.push({ id: a.id, kind: 'anchor_mismatch', message: `第 ${a.id} 条记录在链中的位置早于此前锚定的链尾：链被重排` });
    }
    lastFound.set(a.chain, a.found);
  }
  return {
    ok: problems.length === 0,
    checked,
    problems,
    anchors: { checked: anchored.length, latestAt: anchors.length ? anchors[anchors.length - 1]!.at : null },
  };
}
