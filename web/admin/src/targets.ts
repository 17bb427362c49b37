// 目标考核 in the console: the shapes of /api/targets answers and how a target reads.
import type { Indicator } from './stats';
import { serverYear } from './session';

export interface TargetIndicator {
  code: string;
  name: string;
  unit: string;
  kind: 'stock' | 'flow' | 'ratio';
  money: boolean;
  definition: string;
}

export interface Target {
  id: string;
  year: number;
  org: { id: string; name: string };
  setBy: { id: string; name: string };
  indicator: TargetIndicator;
  comparison: 'gte' | 'lte';
  comparisonLabel: string;
  comparisonSymbol: string;
  value: number;
  actual: number | null;
  completion: number | null;
  met: boolean;
  parentId: string | null;
  note: string | null;
  version: number;
}

export interface TargetListing {
  year: number;
  org: { id: string; name: string; type: string };
  asOf: string | null;
  snapshot: { takenAt: string } | null;
  canSet: boolean;
  own: (Target & { cascade: { count: number; sum: number } })[];
  assigned: Target[];
  children: { id: string; name: string; type: string }[];
}

export interface SchemeItem {
  id: string;
  kind: 'indicator' | 'manual';
  name: string;
  weight: number;
  description: string | null;
  indicator: TargetIndicator | null;
  rule: 'linear' | 'threshold' | 'floor60' | null;
  ruleLabel: string;
}

export interface Claim {
  id: string;
  status: 'submitted' | 'confirmed' | 'returned';
  statusLabel: string;
  claimedScore: number;
  confirmedScore: number | null;
  evidence: string;
  fileName: string | null;
  reviewNote: string | null;
  submittedBy: string;
  submittedAt: string;
  reviewedBy: string | null;
  version: number;
}

export interface ItemScore {
  itemId: string;
  score: number;
  status: 'met' | 'unmet' | 'no_target' | 'missing' | 'submitted' | 'confirmed' | 'returned';
  target?: { value: number; symbol: string; actual: number | null; completion: number | null } | null;
  claim?: Claim | null;
}

export interface OrgScore {
  org: { id: string; name: string };
  items: ItemScore[];
  total: number;
  rank: number;
}

export interface SchemeView {
  year: number;
  org: { id: string; name: string };
  canEdit: boolean;
  canReview: boolean;
  rules: { code: string; label: string; description: string }[];
  scheme: { id: string; name: string; version: number; items: SchemeItem[] } | null;
  ranking: OrgScore[];
  asOf: string | null;
}

export interface Assessment {
  year: number;
  org: { id: string; name: string };
  scheme: { id: string; name: string; by: string; items: SchemeItem[] } | null;
  score: { items: ItemScore[]; total: number } | null;
  canClaim?: boolean;
  asOf: string | null;
}

/** 1,234 人 / 85.0% / ¥1,234.00 */
export function targetValue(ind: Pick<Indicator, 'unit' | 'money'> | TargetIndicator, v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (ind.unit === '%') return `${v.toFixed(1)}%`;
  if (ind.money) return `¥${v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `${v.toLocaleString('zh-CN')} ${ind.unit}`;
}

export const STATUS_TEXT: Record<ItemScore['status'], string> = {
  met: '已达标',
  unmet: '未达标',
  no_target: '未下达目标',
  missing: '未自评',
  submitted: '待审核',
  confirmed: '已确认',
  returned: '已退回',
};

/** The progress bar: green when met, the brand red otherwise. */
export function progressColor(t: { met: boolean }): string {
  return t.met ? '#2f8a3e' : '#c8161d';
}

/** Next year, this year and last year of the server's day: the year choices of 目标. */
export function yearsAround(y = serverYear()): number[] {
  return [y + 1, y, y - 1];
}
