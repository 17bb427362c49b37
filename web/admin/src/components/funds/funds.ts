// Shapes of /api/funds/* and /api/audit-committee/* (server/src/modules/funds, audit-committee) and small helpers.
import { serverToday } from '../../session';
export interface OrgRef {
  id: string;
  name: string;
}
export interface LedgerRow {
  org: OrgRef & { type: string };
  collected: string;
  own: string;
  upward: string;
  below: string;
  allocatedIn: string;
  allocatedOut: string;
  spent: string;
  available: string;
  balanced: boolean;
  /** decision 034: carried over from the years before, 会费 received, aid budgets' payments (in spent) */
  carried: string;
  dues: string;
  aidPaid: string;
}
export interface Receivable {
  id: string;
  enterprise: { id: string; name: string; creditCode: string };
  union: OrgRef;
  period: string;
  payroll: string;
  ratePercent: string;
  due: string;
  reduced: string;
  reductionReason: string | null;
  received: string;
  arrears: string;
  status: 'paid' | 'partial' | 'unpaid';
  statusLabel: string;
  version: number;
}
export interface Receipt {
  id: string;
  enterprise: { name: string; creditCode: string };
  union: OrgRef;
  period: string;
  amount: string;
  receivedOn: string;
  channel: string;
  channelLabel: string;
  sourceRef: string | null;
  shares: { level: string; levelLabel: string; orgName: string; amount: string }[];
}
export interface ImportJob {
  id: string;
  fileName: string;
  status: string;
  statusLabel: string;
  processed: number;
  added: number;
  duplicate: number;
  failed: number;
  message: string | null;
  createdAt: string;
  uploadedBy: string | null;
}
export interface Allocation {
  id: string;
  from: OrgRef;
  to: OrgRef;
  amount: string;
  allocatedOn: string;
  purpose: string;
  createdBy: string | null;
}
export interface BudgetRow {
  category: string;
  label: string;
  budget: string;
  spent: string;
  balance: string;
  rate: number | null;
  over: boolean;
  count: number;
  note: string;
  /** The aid budgets (帮扶) and activities (职工活动) that are lines of this category (decision 034). */
  lines: BudgetLine[];
  linesBudget: string;
  linesOver: boolean;
}
export interface BudgetLine {
  kind: 'aid' | 'activity';
  id: string;
  label: string;
  budget: string;
  spent: string;
  committed: string | null;
  link: string;
}
export interface DuesMember {
  membershipId: string;
  name: string;
  memberNo: string | null;
  joinedOn: string;
  wage: string | null;
  amount: string | null;
  paidOn: string | null;
  exemption: { id: string; reason: string } | null;
  status: 'paid' | 'unpaid' | 'exempt';
  statusLabel: string;
  owedMonths: number;
}
export interface DuesPage {
  org: OrgRef;
  period: string;
  settings: { enabled: boolean; ratePercent: string; version: number };
  figures: { members: number; exempt: number; paid: number; unpaid: number; amount: string; yearAmount: string };
  months: { period: string; count: number; amount: string }[];
  total: number;
  items: DuesMember[];
}

const fen = (v: string) => Math.round(Number(v) * 100);
/** a − b of two yuan strings, as a yuan string */
export const minus = (a: string, b: string) => {
  const d = fen(a) - fen(b);
  return `${d < 0 ? '-' : ''}${Math.floor(Math.abs(d) / 100)}.${String(Math.abs(d) % 100).padStart(2, '0')}`;
};
export interface Spending {
  id: string;
  org: OrgRef;
  category: string;
  categoryLabel: string;
  amount: string;
  spentOn: string;
  payee: string;
  purpose: string;
  activity: { id: string; title: string } | null;
  createdBy: string | null;
  vouchers: { id: string; fileName: string }[];
}

export const CATEGORIES = [
  { code: 'activities', label: '职工活动' },
  { code: 'rights', label: '维权' },
  { code: 'aid', label: '帮扶' },
  { code: 'business', label: '业务' },
  { code: 'admin', label: '行政' },
  { code: 'capital', label: '资本性' },
  { code: 'other', label: '其他' },
];

/** "1234567.5" → "1,234,567.50" */
export function money(v: string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const neg = v.startsWith('-');
  const [i = '0', f = ''] = (neg ? v.slice(1) : v).split('.');
  return `${neg ? '-' : ''}${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(f + '00').slice(0, 2)}`;
}

/** A problem with a typed yuan amount, or null. */
export function amountProblem(v: string, allowZero = false): string | null {
  const s = v.trim();
  if (!s) return '请填写金额';
  if (!/^(0|[1-9]\d{0,11})(\.\d{1,2})?$/.test(s)) return '金额应为最多两位小数的数字';
  if (!allowZero && Number(s) === 0) return '金额必须大于 0';
  return null;
}

export const today = serverToday;
export const thisYear = () => Number(today().slice(0, 4));
