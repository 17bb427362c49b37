// The reconciliation property (issue 17): for random receipts, ratios and chains, the shares sum to the
// receipt to the fen, no share is negative, and every union's ledger balances (collected = own +
// upward + below) while the whole tree's shares add up to everything collected.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RATIOS, LEVELS, dueOf, ledgerOf, percentToBp, shareReceipt, splitFen, type Ratios } from './funds.split.js';

// A small tree: city 1 → counties 10, 20 → towns 11, 12 (under 10), 21 (under 20) → grassroots 111, 112, 121, 211; 201 sits directly under county 20.
const PARENT: Record<string, string | null> = { '1': null, '10': '1', '20': '1', '11': '10', '12': '10', '21': '20', '111': '11', '112': '11', '121': '12', '211': '21', '201': '20' };
const LEVEL: Record<string, string> = { '1': 'city', '10': 'county', '20': 'county', '11': 'town', '12': 'town', '21': 'town' };
const GRASSROOTS = ['111', '112', '121', '211', '201'];
const chainOf = (g: string) => {
  const chain: Record<string, string> = { grassroots: g };
  for (let p = PARENT[g]; p; p = PARENT[p]) chain[LEVEL[p]!] = p;
  return chain;
};
const under = (u: string) => (o: string) => {
  for (let p: string | null = o; p; p = PARENT[p] ?? null) if (p === u) return true;
  return false;
};

const ratios: fc.Arbitrary<Ratios> = fc
  .tuple(fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 10000 }))
  .map(([a, b, c]) => {
    const [x, y, z] = [a, b, c].sort((p, q) => p - q) as [number, number, number];
    return { grassroots: x, town: y - x, county: z - y, city: 10000 - z };
  });

describe('funds split', () => {
  it('splitFen sums exactly and is within one fen of the exact share', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: 1, maxLength: 6 }), (amount, ws) => {
        fc.pre(ws.some((w) => w > 0));
        const parts = splitFen(amount, ws);
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(amount);
        const total = ws.reduce((a, b) => a + b, 0);
        parts.forEach((p, i) => {
          const exact = (amount * BigInt(ws[i]!)) / BigInt(total);
          expect(p - exact >= 0n && p - exact <= 1n).toBe(true);
        });
      }),
    );
  });

  it('every receipt is shared to the fen and every union’s ledger balances', () => {
    fc.assert(
      fc.property(
        ratios,
        fc.array(fc.record({ g: fc.constantFrom(...GRASSROOTS), amount: fc.bigInt({ min: 1n, max: 10n ** 11n }) }), { minLength: 1, maxLength: 40 }),
        (r, list) => {
          const receipts = list.map(({ g, amount }) => ({ unionId: g, amount, shares: shareReceipt(amount, r, chainOf(g)) }));
          for (const x of receipts) {
            expect(x.shares.reduce((a, s) => a + s.amount, 0n)).toBe(x.amount);
            expect(x.shares.every((s) => s.amount >= 0n)).toBe(true);
          }
          const all = receipts.reduce((a, x) => a + x.amount, 0n);
          let sharesEverywhere = 0n;
          for (const u of Object.keys(PARENT)) {
            const l = ledgerOf(u, under(u), receipts);
            expect(l.collected).toBe(l.own + l.upward + l.below);
            sharesEverywhere += l.own;
          }
          expect(sharesEverywhere).toBe(all);
          expect(ledgerOf('1', under('1'), receipts).upward).toBe(0n);
        },
      ),
    );
  });

  it('60 % stays with the grassroots union by default; a missing town passes its share up', () => {
    const s = shareReceipt(100_00n, DEFAULT_RATIOS, chainOf('111'));
    expect(Object.fromEntries(s.map((x) => [x.level, x.amount]))).toEqual({ grassroots: 60_00n, town: 10_00n, county: 20_00n, city: 10_00n });
    const direct = shareReceipt(100_01n, DEFAULT_RATIOS, chainOf('201'));
    expect(direct.map((x) => x.level)).toEqual(['grassroots', 'county', 'city']);
    expect(direct.reduce((a, x) => a + x.amount, 0n)).toBe(100_01n);
    expect(direct.find((x) => x.level === 'county')!.amount).toBe(30_00n);
    expect(LEVELS).toHaveLength(4);
  });

  it('amount due rounds half up; percent to basis points', () => {
    expect(dueOf(123_456_78n, 200)).toBe(2_469_14n);
    expect(dueOf(25n, 200)).toBe(1n);
    expect(percentToBp('60')).toBe(6000);
    expect(percentToBp('12.5')).toBe(1250);
    expect(percentToBp('2.05')).toBe(205);
  });
});
