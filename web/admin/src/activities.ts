// Shapes and labels of the activities API (docs/api/activities.md, docs/api/activity-types.md), shared
// by the 活动管理 views and the Activity* components. Rows from the server carry their own labels; the
// lists here are for filters and forms before the dictionary has loaded.

export type ActivityType = 'recuperation' | 'childcare' | 'contest' | 'training' | 'quiz' | 'social' | 'lecture' | 'other';
export type ActivityStatus = 'draft' | 'published' | 'closed' | 'cancelled';
export type EnrollmentMode = 'fcfs' | 'lottery' | 'approval';
export type EnrollmentStatus = 'pending' | 'enrolled' | 'waitlisted' | 'attended' | 'no_show' | 'cancelled' | 'rejected';

export interface Option<T extends string = string> {
  value: T;
  label: string;
}

export const ACTIVITY_TYPES: Option<ActivityType>[] = [
  { value: 'recuperation', label: '疗休养' },
  { value: 'childcare', label: '暑托班' },
  { value: 'contest', label: '技能竞赛' },
  { value: 'training', label: '培训' },
  { value: 'lecture', label: '宣讲' },
  { value: 'quiz', label: '知识竞赛' },
  { value: 'social', label: '交友联谊' },
  { value: 'other', label: '其他活动' },
];

export const ACTIVITY_STATUSES: Option<ActivityStatus>[] = [
  { value: 'draft', label: '草稿' },
  { value: 'published', label: '已发布' },
  { value: 'closed', label: '已结束' },
  { value: 'cancelled', label: '已取消' },
];

export const ACTIVITY_STATUS_TAGS: Record<string, 'primary' | 'success' | 'warning' | 'info' | 'danger'> = {
  draft: 'info',
  published: 'success',
  closed: 'warning',
  cancelled: 'danger',
};

export const ENROLLMENT_MODES: (Option<EnrollmentMode> & { hint: string })[] = [
  { value: 'fcfs', label: '先到先得', hint: '报名开始后按提交先后占用名额，满额后自动进入候补' },
  { value: 'lottery', label: '报名抽签', hint: '报名期内只登记，截止后以公开的随机种子抽签，任何人可复核' },
  { value: 'approval', label: '报名审核', hint: '报名后由工作人员逐一审核，通过即占用名额' },
];

export const ENROLLMENT_STATUSES: Option<EnrollmentStatus>[] = [
  { value: 'pending', label: '待审核/待抽签' },
  { value: 'enrolled', label: '报名成功' },
  { value: 'waitlisted', label: '候补中' },
  { value: 'attended', label: '已参加' },
  { value: 'no_show', label: '未到场' },
  { value: 'cancelled', label: '已取消' },
  { value: 'rejected', label: '未通过' },
];

export const ENROLLMENT_STATUS_TAGS: Record<string, 'primary' | 'success' | 'warning' | 'info' | 'danger'> = {
  pending: 'primary',
  enrolled: 'success',
  waitlisted: 'warning',
  attended: 'success',
  no_show: 'danger',
  cancelled: 'info',
  rejected: 'danger',
};

export const POOL_LABELS: Record<string, string> = { general: '普通名额', priority: '优先名额', family: '家属名额' };

export const PRIORITY_GROUPS: Option[] = [
  { value: 'model_worker', label: '劳模' },
  { value: 'frontline', label: '一线职工' },
  { value: 'new_forms', label: '新就业形态' },
];

export const typeLabel = (v: string) => ACTIVITY_TYPES.find((t) => t.value === v)?.label ?? v;
export const modeLabel = (v: string) => ENROLLMENT_MODES.find((m) => m.value === v)?.label ?? v;

/** What a batch is called for the type: 批次 (疗休养), 班级 (暑托班), 场次 (others). */
export function batchNoun(type: string): string {
  if (type === 'recuperation') return '批次';
  if (type === 'childcare') return '班级';
  if (type === 'contest') return '赛项';
  return '场次';
}

export interface Batch {
  id: string;
  title: string;
  location: string | null;
  startsOn: string | null;
  endsOn: string | null;
  placesGeneral: number;
  placesPriority: number;
  placesFamily: number;
  /** Family members one enrollment may bring (0 = none), within placesFamily. */
  familyPerPerson: number;
  /** The server's one wording of the family places (the same on the H5). */
  familyText: string;
  eligibility: BatchEligibility;
  /** e.g. 仅限劳模，35–55 周岁; null = open to every member of the activity. */
  eligibilityText: string | null;
  places: number;
  taken: number;
  takenGeneral: number;
  takenPriority: number;
  takenFamily: number;
  left: number;
  waitlisted: number;
  pending: number;
}

/** Who may enroll in one batch, held by the server (activities.eligibility.ts). */
export interface BatchEligibility {
  modelWorkerOnly?: boolean;
  frontlineOnly?: boolean;
  employmentForms?: string[];
  minAge?: number | null;
  maxAge?: number | null;
  sex?: 'M' | 'F' | null;
}

export interface Eligibility {
  employmentForms?: string[];
  modelWorkerOnly?: boolean;
  newEmploymentOnly?: boolean;
  migrantWorkerOnly?: boolean;
}

export interface ActivitySummary {
  id: string;
  org: { id: string; name: string };
  type: ActivityType;
  typeLabel: string;
  title: string;
  status: ActivityStatus;
  statusLabel: string;
  enrollmentMode: EnrollmentMode;
  enrollmentModeLabel: string;
  startsOn: string | null;
  endsOn: string | null;
  locations: string[];
  opensAt: string | null;
  closesAt: string | null;
  cancelDeadline: string | null;
  costPerPerson: string;
  /** Per person: what the union pays and what the member pays (costPerPerson is their sum). */
  unionShare: string;
  personalShare: string;
  budget: string;
  places: number;
  taken: number;
  waitlisted: number;
  batchCount: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface LotteryInfo {
  seed: string;
  drawnAt: string;
  batches: { batchId: string; places: number; candidateCount: number; candidatesHash: string; winners: number }[];
}

export interface ActivityDetail extends ActivitySummary {
  description: string;
  contactName: string | null;
  contactPhone: string | null;
  eligibility: Eligibility;
  settings: Record<string, unknown>;
  batches: Batch[];
  lottery: LotteryInfo | null;
  /** sha256 of the seed fixed at publication (lottery mode); the seed itself only after the draw. */
  lotterySeedCommitment: string | null;
  publishedAt: string | null;
  cancelReason: string | null;
}

export interface StaffEnrollment {
  id: string;
  activity: { id: string; title: string; type: string; typeLabel: string };
  batch: { id: string; title: string; startsOn: string | null; endsOn: string | null };
  status: EnrollmentStatus;
  statusLabel: string;
  pool: string;
  familyCount: number;
  waitlistPosition: number | null;
  details: Record<string, unknown>;
  createdAt: string;
  enrolledAt: string | null;
  cancelledAt: string | null;
  reason: string | null;
  person: { id: string; name: string; idMasked: string; phoneMasked: string };
  org: { id: string; name: string };
  drawRank: number | null;
}

export interface CostReport {
  activityId: string;
  costPerPerson: string;
  unionShare?: string;
  personalShare?: string;
  budget: string;
  spend: string;
  remaining: string;
  overBudget: boolean;
  batches: { batchId: string; title: string; places: number; enrolled: number; familyPlaces: number; spend: string }[];
}

export interface PublicLottery {
  activityId: string;
  title: string;
  seed: string;
  drawnAt: string;
  algorithm: string;
  batches: { batchId: string; title: string; places: number; candidatesHash: string; candidates: string[]; order: string[]; winners: string[] }[];
}

export interface FigureRow {
  places: number;
  taken: number;
  waitlisted: number;
  budget: string;
  spend: string;
}

export interface ActivityFiguresData {
  orgId: string;
  params: { type: string | null; from: string | null; to: string | null };
  totals: FigureRow & { activities: number; participants: number };
  byType: (FigureRow & { type: string; label: string; activities: number; participants: number })[];
  byActivity: (FigureRow & { id: string; title: string; type: string; typeLabel: string; status: string })[];
}

/** 元 string → integer 分 (no floats for money). Returns null for an invalid amount. */
export function yuanToFen(v: string): bigint | null {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(v.trim());
  if (!m) return null;
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

/** Integer 分 → `1,234.50`. */
export function fenText(fen: bigint): string {
  const neg = fen < 0n;
  const abs = neg ? -fen : fen;
  const yuan = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${yuan}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** A 元 string from the server shown with thousands separators: `"5000000.00"` → `5,000,000.00`. */
export function money(v: string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const neg = v.startsWith('-');
  const fen = yuanToFen(neg ? v.slice(1) : v);
  if (fen === null) return v;
  return fenText(neg ? -fen : fen);
}

/** spend / budget as a percentage (0–100+, one decimal), computed in 分. */
export function percentOf(part: string, whole: string): number {
  const p = yuanToFen(part.replace(/^-/, '')) ?? 0n;
  const w = yuanToFen(whole) ?? 0n;
  if (w === 0n) return 0;
  return Number((p * 1000n) / w) / 10;
}

/** `YYYY-MM-DD` range text for an activity or batch. */
export function dateRange(from: string | null | undefined, to: string | null | undefined): string {
  if (!from && !to) return '—';
  if (from && to && from !== to) return `${from} 至 ${to}`;
  return from ?? to ?? '—';
}
