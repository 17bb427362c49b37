// Shapes of the aid and hardship APIs (docs/api/aid-hardship.md) and their labels, shared by
// HardshipView, HardshipFileView, AidFundsView and the figures.
import type { OrgRef } from '../types';

export interface AidFund {
  code: string;
  name: string;
}

export interface Budget {
  id: string;
  org: OrgRef;
  year: number;
  fundCode: string;
  fundName: string;
  amount: string;
  spent: string;
  balance: string;
  version: number;
  updatedAt: string;
}

export interface Movement {
  id: string;
  kind: 'allocation' | 'adjustment' | 'disbursement' | 'reversal';
  kindLabel: string;
  amount: string;
  balanceAfter: string;
  reason: string | null;
  disbursementId: string | null;
  actorName: string | null;
  at: string;
}

export interface Disbursement {
  id: string;
  budgetId: string;
  org: OrgRef;
  year: number;
  fundCode: string;
  fundName: string;
  amount: string;
  status: 'paid' | 'reversed';
  person: { id: string; name: string; idMasked: string };
  applicationId: string | null;
  hardshipFileId: string | null;
  cause: string | null;
  causeLabel: string | null;
  category: string | null;
  note: string | null;
  paidAt: string;
  paidBy: string | null;
  reversedAt: string | null;
  reversalReason: string | null;
}

export interface AidFigures {
  org: OrgRef;
  year: number;
  byFund: { fundCode: string; fundName: string; count: number; amount: string; rows: Record<string, string | number> }[];
  byCause: { cause: string | null; causeLabel: string; count: number; amount: string; rows: Record<string, string | number | null> }[];
  budgets: { fundCode: string; fundName: string; amount: string; spent: string; balance: string; rows: Record<string, string | number> }[];
  totals: { budget: string; spent: string; balance: string };
}

export type HardshipStatus = 'submitted' | 'visiting' | 'county_review' | 'notice' | 'established' | 'closed' | 'rejected';

export const HARDSHIP_STATUSES: { value: HardshipStatus; label: string; tag: 'primary' | 'success' | 'warning' | 'info' | 'danger' }[] = [
  { value: 'submitted', label: '待基层初审', tag: 'primary' },
  { value: 'visiting', label: '待入户核实', tag: 'primary' },
  { value: 'county_review', label: '待县级审核', tag: 'warning' },
  { value: 'notice', label: '公示中', tag: 'warning' },
  { value: 'established', label: '已建档', tag: 'success' },
  { value: 'closed', label: '已解困脱困', tag: 'info' },
  { value: 'rejected', label: '已驳回', tag: 'danger' },
];
export const hardshipTag = (s: string) => HARDSHIP_STATUSES.find((x) => x.value === s)?.tag ?? 'info';

export const HARDSHIP_CAUSES_FALLBACK: { code: string; label: string }[] = [
  { code: 'illness', label: '因病' },
  { code: 'disability', label: '因残' },
  { code: 'schooling', label: '因子女就学' },
  { code: 'disaster', label: '因灾' },
  { code: 'accident', label: '因意外' },
  { code: 'unemployment', label: '失业' },
  { code: 'low_income', label: '收入低' },
  { code: 'other', label: '其他' },
];

export interface HardshipFileSummary {
  id: string;
  fileNo: string;
  status: HardshipStatus;
  statusLabel: string;
  org: OrgRef;
  head: { personId: string; membershipId?: string; name: string; idMasked: string; phoneMasked: string };
  mainCause: string;
  mainCauseLabel: string;
  householdSize: number;
  perCapitaIncome: string;
  reviewDueOn: string | null;
  /** Established and past reviewDueOn (newer servers). */
  reviewOverdue?: boolean;
  establishedAt: string | null;
  updatedAt: string;
  version: number;
}

export interface FamilyMember {
  id: string;
  name: string;
  relation: string;
  idMasked: string | null;
  health: string | null;
  work: string | null;
  monthlyIncome: string;
}

export interface HardshipFileDetail extends HardshipFileSummary {
  /** The server answers `{ code, label }`; older answers were plain codes. */
  secondaryCauses: (string | { code: string; label: string })[];
  headHealth: string | null;
  headWork: string | null;
  headMonthlyIncome: string;
  householdIncome: string;
  address: string | null;
  situation: string;
  family: FamilyMember[];
  visits: { id: string; visitedOn: string; visitors: string; findings: string; photos: string[]; recordedBy: string | null; at: string }[];
  notice: { start: string; end: string } | null;
  objections: {
    id: string;
    raisedBy: string;
    content: string;
    outcome: string;
    outcomeLabel: string;
    handling: string | null;
    recordedBy: string | null;
    at: string;
  }[];
  reviews: { id: string; year: number; decision: string; reason: string; reviewedBy: string | null; at: string }[];
  pairings: {
    id: string;
    kind: 'unit' | 'cadre';
    kindLabel: string;
    name: string;
    contact: string | null;
    startedOn: string;
    visits: { id: string; visitedOn: string; notes: string; recordedBy: string | null; at: string }[];
  }[];
  aid: { total: string; items: Disbursement[] };
  timeline: {
    id: string;
    action: string;
    actionLabel: string;
    fromStatus: string | null;
    toStatus: string | null;
    comment: string | null;
    actorName: string | null;
    actorId: string | null;
    at: string;
  }[];
  closedReason: string | null;
  rejectReason?: string | null;
  closedAt?: string | null;
}

export const causeCode = (c: string | { code: string }) => (typeof c === 'string' ? c : c.code);

/** "1234.5" → "1,234.50" (string arithmetic only, never floats for sums). */
export function yuan(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const s = String(v);
  const neg = s.startsWith('-');
  const [int = '0', frac = ''] = (neg ? s.slice(1) : s).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}.${(frac + '00').slice(0, 2)}`;
}

/** A money input check: positive, at most 2 decimals. Returns a Chinese problem or null. */
export function moneyProblem(v: string, opts: { allowZero?: boolean } = {}): string | null {
  const s = v.trim();
  if (!s) return '请填写金额';
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(s)) return '金额须为数字，最多两位小数';
  if (!opts.allowZero && /^0+(\.0+)?$/.test(s)) return '金额须大于 0';
  return null;
}

/** Normalises "100" / "100.5" to "100.00" / "100.50". */
export function money2(v: string): string {
  const [i = '0', f = ''] = v.trim().split('.');
  return `${i.replace(/^0+(?=\d)/, '')}.${(f + '00').slice(0, 2)}`;
}

/** Compares two money strings as integer fen: -1, 0, 1. */
export function compareMoney(a: string, b: string): number {
  const fen = (s: string) => {
    const [i = '0', f = ''] = s.split('.');
    return BigInt(i) * 100n + BigInt((f + '00').slice(0, 2));
  };
  const d = fen(a) - fen(b);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}
