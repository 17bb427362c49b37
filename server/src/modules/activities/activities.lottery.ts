// The lottery draw: a pure, deterministic function of (seed, batch id, candidates, places), so anyone
// holding the published seed and candidate list can re-run it and get the same winners.
import { createHash } from 'node:crypto';

export const LOTTERY_ALGORITHM =
  'Fisher–Yates over the candidate enrollment ids sorted ascending (as numbers); for i = n-1 … 1: ' +
  "j = BigInt('0x' + sha256(`${seed}:${batchId}:${i}`).slice(0, 16)) mod (i + 1), swap order[i] and order[j]; " +
  'winners = the first `places` of the order, the rest join the waitlist in that order.';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Candidates sorted ascending as numbers (ids are bigint strings). */
export function sortCandidates(ids: readonly string[]): string[] {
  return [...ids].sort((a, b) => (a.length - b.length !== 0 ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0));
}

export const candidatesHash = (sorted: readonly string[]) => sha256(sorted.join('\n'));

/** The commitment published while sign-up is open: sha256 of the seed, revealed only after the draw. */
export const seedCommitment = (seed: string) => sha256(seed);

export function drawLottery(
  seed: string,
  batchId: string,
  candidates: readonly string[],
  places: number,
): { order: string[]; winners: string[]; waitlist: string[] } {
  const order = sortCandidates(candidates);
  for (let i = order.length - 1; i >= 1; i--) {
    const j = Number(BigInt(`0x${sha256(`${seed}:${batchId}:${i}`).slice(0, 16)}`) % BigInt(i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const k = Math.max(0, Math.min(places, order.length));
  return { order, winners: order.slice(0, k), waitlist: order.slice(k) };
}
