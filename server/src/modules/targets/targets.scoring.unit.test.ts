import { describe, expect, it } from 'vitest';
import { completion, isMet, manualScore, percent, rank, ruleScore, sumScores } from './targets.scoring.js';

describe('completion of a target', () => {
  it('≥: actual ÷ target, over 100 % when exceeded; a target of 0 is met by anything', () => {
    expect(completion(50, 200, 'gte')).toBe(0.25);
    expect(completion(300, 200, 'gte')).toBe(1.5);
    expect(completion(0, 0, 'gte')).toBe(1);
    expect(completion(-5, 10, 'gte')).toBe(0);
  });
  it('≤: met while at or under the target, else target ÷ actual', () => {
    expect(completion(3, 5, 'lte')).toBe(1);
    expect(completion(5, 5, 'lte')).toBe(1);
    expect(completion(10, 5, 'lte')).toBe(0.5);
    expect(completion(4, 0, 'lte')).toBe(0);
  });
  it('a figure that cannot be computed (a ratio over nothing) has no completion and is not met', () => {
    expect(completion(null, 80, 'gte')).toBeNull();
    expect(isMet(null, 80, 'gte')).toBe(false);
    expect(isMet(80, 80, 'gte')).toBe(true);
    expect(isMet(79.9, 80, 'gte')).toBe(false);
    expect(isMet(81, 80, 'lte')).toBe(false);
  });
});

describe('item scores by rule', () => {
  it('linear: weight × completion, capped at the weight', () => {
    expect(ruleScore('linear', 20, 0.5)).toBe(10);
    expect(ruleScore('linear', 20, 1.7)).toBe(20);
    expect(ruleScore('linear', 15, 1 / 3)).toBe(5);
    expect(ruleScore('linear', 20, null)).toBe(0);
  });
  it('threshold: all or nothing', () => {
    expect(ruleScore('threshold', 10, 0.999)).toBe(0);
    expect(ruleScore('threshold', 10, 1)).toBe(10);
  });
  it('floor60: nothing under 60 %, then linear to the weight', () => {
    expect(ruleScore('floor60', 10, 0.59)).toBe(0);
    expect(ruleScore('floor60', 10, 0.6)).toBe(6);
    expect(ruleScore('floor60', 10, 0.85)).toBe(8.5);
    expect(ruleScore('floor60', 10, 2)).toBe(10);
  });
  it('a manual item counts once confirmed, never above its weight', () => {
    expect(manualScore(10, null)).toBe(0);
    expect(manualScore(10, 8.5)).toBe(8.5);
    expect(manualScore(10, 12)).toBe(10);
  });
  it('sums to two decimals without float noise', () => {
    expect(sumScores([0.1, 0.2])).toBe(0.3);
    expect(sumScores([33.33, 33.33, 33.34])).toBe(100);
  });
});

describe('ranking', () => {
  it('highest first; equal totals share a place and the next place is skipped', () => {
    const r = rank([
      { id: 'a', total: 70 },
      { id: 'b', total: 90 },
      { id: 'c', total: 70 },
      { id: 'd', total: 50 },
    ]);
    expect(r.map((x) => [x.id, x.rank])).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 2],
      ['d', 4],
    ]);
  });
  it('progress as a percentage with one decimal', () => {
    expect(percent(0.12345)).toBe(12.3);
    expect(percent(null)).toBeNull();
    expect(percent(50)).toBe(999.9);
  });
});
