// 工作质效评价 arithmetic, pure: how far a target is met, what an item scores under its rule, and the
// ranking (ties share a place). Units are the indicator's own (人, 个, %, 元 …).
import type { ScoringRule, TargetComparison } from '../../db/schema-targets.js';

export const COMPARISONS: Record<TargetComparison, { label: string; symbol: string }> = {
  gte: { label: '不低于', symbol: '≥' },
  lte: { label: '不高于', symbol: '≤' },
};

export const RULES: Record<ScoringRule, { label: string; description: string }> = {
  linear: { label: '按完成率计分', description: '得分 = 分值 × 完成率，完成 100% 得满分（封顶）' },
  threshold: { label: '达标计分', description: '达到目标得满分，未达到不得分' },
  floor60: { label: '完成 60% 起计分', description: '完成率低于 60% 不得分；60% 及以上按完成率计分，100% 得满分' },
};

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * How far a target is met, 1 = met (may exceed 1 for ≥ targets). For ≥: actual ÷ target (a target of 0
 * is met by anything). For ≤: 1 while at or under the target, else target ÷ actual. Null when the
 * figure cannot be computed (a ratio without a denominator).
 */
export function completion(actual: number | null, target: number, comparison: TargetComparison): number | null {
  if (actual === null || !Number.isFinite(actual)) return null;
  if (comparison === 'gte') return target <= 0 ? 1 : Math.max(0, actual) / target;
  if (actual <= target) return 1;
  return actual <= 0 ? 1 : target / actual;
}

export function isMet(actual: number | null, target: number, comparison: TargetComparison): boolean {
  if (actual === null) return false;
  return comparison === 'gte' ? actual >= target : actual <= target;
}

/** An indicator item's score under its rule (two decimals); a missing figure scores 0. */
export function ruleScore(rule: ScoringRule, weight: number, rate: number | null): number {
  if (rate === null) return 0;
  const capped = Math.min(Math.max(rate, 0), 1);
  switch (rule) {
    case 'linear':
      return round2(weight * capped);
    case 'threshold':
      return rate >= 1 ? weight : 0;
    case 'floor60':
      return rate < 0.6 ? 0 : round2(weight * capped);
  }
}

/** A manual item counts only once confirmed, never above its weight. */
export function manualScore(weight: number, confirmed: number | null): number {
  if (confirmed === null) return 0;
  return round2(Math.min(Math.max(confirmed, 0), weight));
}

export function sumScores(scores: readonly number[]): number {
  return round2(scores.reduce((a, b) => a + b, 0));
}

/** Places by total, highest first; equal totals share a place (1, 2, 2, 4). Input order breaks no ties. */
export function rank<T extends { total: number }>(rows: readonly T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => b.total - a.total);
  return sorted.map((r) => ({ ...r, rank: sorted.findIndex((x) => x.total === r.total) + 1 }));
}

/** Progress as shown: a percentage with one decimal (completion × 100), capped at 999.9. */
export function percent(rate: number | null): number | null {
  return rate === null ? null : Math.min(999.9, Math.round(rate * 1000) / 10);
}
