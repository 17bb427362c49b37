// How an audit row is hashed (docs/decisions/003, 011). Each row names the previous row's hash and
// carries its own: HMAC-SM3 under the audit key (GONGHUI_AUDIT_KEY, outside the database) of the
// row's canonical form, which ends with prev_hash. Rows written before migration 022 were hashed
// with plain SM3 (hash_alg 0); verify accepts those only up to each chain's recorded legacy head.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditRow } from '../../db/schema.js';
import { sm3 } from '../../platform/crypto.js';

export const GENESIS_HASH = '0'.repeat(64);

/** hash_alg values: the original unkeyed chain, and the keyed one. */
export const HASH_ALG = { sm3: 0, hmacSm3: 1 } as const;

export type Unhashed = Omit<AuditRow, 'hash' | 'seq' | 'prev_hash' | 'hash_alg'> & { prev_hash: string };

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

export interface AuditKey {
  /** The row's hash under the algorithm it names (keyed for every new row). */
  hashRow(row: Unhashed, alg?: number): string;
  /** A MAC under the audit key of a labelled text (legacy heads, anchor lines). */
  mac(label: string, text: string): string;
  macMatches(label: string, text: string, mac: string): boolean;
}

export function auditKey(hexKey: string): AuditKey {
  if (!/^[0-9a-f]{64}$/i.test(hexKey ?? '')) throw new Error('审计密钥（GONGHUI_AUDIT_KEY）缺失或格式错误：应为 64 位十六进制字符串');
  const key = Buffer.from(hexKey, 'hex');
  const hmac = (text: string) => createHmac('sm3', key).update(text).digest('hex');
  const mac = (label: string, text: string) => hmac(`gonghui audit ${label} v1\n${text}`);
  return {
    hashRow(row, alg = HASH_ALG.hmacSm3) {
      if (alg === HASH_ALG.sm3) return sm3(canonical(row));
      if (alg === HASH_ALG.hmacSm3) return hmac(canonical(row));
      throw new Error(`unknown audit hash algorithm ${alg}`);
    },
    mac,
    macMatches(label, text, given) {
      const expected = Buffer.from(mac(label, text));
      const actual = Buffer.from(String(given));
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}

/** The text a legacy head's MAC covers. */
export const legacyHeadText = (h: { chain: number; last_id: string; last_seq: string | null; last_hash: string }) =>
  JSON.stringify([Number(h.chain), String(h.last_id), h.last_seq === null ? null : String(h.last_seq), h.last_hash]);
