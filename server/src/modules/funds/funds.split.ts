// The split of one receipt between the levels (pure, no I/O): shares in integer fen by the largest
// remainder method, so they always sum to the receipt to the fen. A level with no union on the
// receipt's chain (e.g. a grassroots union directly under the county) passes its ratio to the next
// level up; the top level present takes what is left above it.
import type { FundsLevel } from '../../db/schema-funds.js';

export const LEVELS: readonly FundsLevel[] = ['grassroots', 'town', 'county', 'city'];
export const LEVEL_LABELS: Record<FundsLevel, string> = { grassroots: '基层工会', town: '镇街工会', county: '县级工会', city: '市总工会' };
export type Ratios = Record<FundsLevel, number>;
/** When no ratio is set for the region and year: 60 % stays with the grassroots union. */
export const DEFAULT_RATIOS: Ratios = { grassroots: 6000, town: 1000, county: 2000, city: 1000 };
/** 2 % of the wage bill (工会法 第四十三条), in basis points. */
export const DEFAULT_RATE_BP = 200;

/** `amount` split by integer `weights` (not all zero): floors, then the leftover fen to the largest remainders (ties: lower index). */
export function splitFen(amount: bigint, weights: readonly number[]): bigint[] {
  const total = weights.reduce((a, w) => a + BigInt(w), 0n);
  if (total <= 0n) throw new Error('weights sum to zero');
  const parts = weights.map((w) => (amount * BigInt(w)) / total);
  const rems = weights.map((w, i) => ({ i, r: (amount * BigInt(w)) % total }));
  let left = amount - parts.reduce((a, b) => a + b, 0n);
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of rems) {
    if (left <= 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts;
}

export interface Share {
  level: FundsLevel;
  orgId: string;
  amount: bigint;
}

/** The shares of a receipt for the unions on its chain (`chain[level]` = the union at that level, if any). */
export function shareReceipt(amount: bigint, ratios: Ratios, chain: Partial<Record<FundsLevel, string>>): Share[] {
  const present = LEVELS.filter((l) => chain[l]);
  if (!present.length) throw new Error('no union on the chain');
  const weights = new Map<FundsLevel, number>(present.map((l) => [l, 0]));
  let carry = 0;
  for (const l of LEVELS) {
    if (chain[l]) {
      weights.set(l, weights.get(l)! + ratios[l] + carry);
      carry = 0;
    } else carry += ratios[l];
  }
  if (carry) weights.set(present.at(-1)!, weights.get(present.at(-1)!)! + carry);
  const ws = present.map((l) => weights.get(l)!);
  // every ratio zero on the chain's levels cannot happen (they sum to 10000), but keep the receipt whole
  const parts = ws.some((w) => w > 0) ? splitFen(amount, ws) : present.map((_, i) => (i === 0 ? amount : 0n));
  return present.map((level, i) => ({ level, orgId: chain[level]!, amount: parts[i]! }));
}

/** The amount due for a month: payroll × rate (basis points), rounded half up to the fen. */
export const dueOf = (payrollFen: bigint, rateBp: number) => (payrollFen * BigInt(rateBp) + 5000n) / 10000n;

/** "60" / "12.5" (percent, ≤ 2 decimals) → basis points. */
export const percentToBp = (p: string) => {
  const [i, f = ''] = p.split('.');
  return Number(i) * 100 + Number((f + '00').slice(0, 2));
};
export const bpToPercent = (bp: number) => `${Math.floor(bp / 100)}${bp % 100 ? `.${String(bp % 100).padStart(2, '0').replace(/0$/, '')}` : ''}`;

/**
 * A union's ledger from its subtree's receipts (pure; the repository's SQL computes the same):
 * collected = own + upward + below, where own is its own shares, upward the shares of unions above it,
 * below the shares of unions under it. `isUnder(orgId)` says whether a union is in its subtree.
 */
export function ledgerOf(unionId: string, isUnder: (orgId: string) => boolean, receipts: { unionId: string; amount: bigint; shares: Share[] }[]) {
  let collected = 0n;
  let own = 0n;
  let upward = 0n;
  let below = 0n;
  for (const r of receipts) {
    if (!isUnder(r.unionId)) continue;
    collected += r.amount;
    for (const s of r.shares) {
      if (s.orgId === unionId) own += s.amount;
      else if (isUnder(s.orgId)) below += s.amount;
      else upward += s.amount;
    }
  }
  return { collected, own, upward, below };
}
