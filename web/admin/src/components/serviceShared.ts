// Shapes of the service catalogue and applications API (docs/api/applications.md), their labels and
// the SLA wording, shared by the work queue, the application list and detail, and the editor.
import type { OrgRef } from '../types';
import type { WorkingCalendar } from '../workingCalendar';

export type FieldType = 'text' | 'textarea' | 'number' | 'amount' | 'date' | 'select' | 'id_number' | 'phone' | 'file';
export type Level = 'grassroots' | 'town' | 'county' | 'city';
export type StepAction = 'approve' | 'return' | 'reject' | 'transfer';

export interface FormField {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  options?: string[];
  min?: number | null;
  max?: number | null;
  maxLength?: number | null;
  placeholder?: string;
}

export interface AttachmentDef {
  key: string;
  label: string;
  required: boolean;
  kinds: ('image' | 'pdf')[];
  maxCount: number;
}

export interface Step {
  key: string;
  name: string;
  kind?: 'review' | 'lottery';
  kindLabel?: string;
  level: Level;
  levelLabel?: string;
  permission?: string;
  slaDays: number;
  actions: StepAction[];
  places?: number | null;
}

export interface AidConfig {
  fundCode?: string | null;
  fundField?: string | null;
  amountField: string;
  payLevel: Level;
  maxAmount: string;
}

export interface ServiceType {
  id: string;
  code: string;
  name: string;
  category: string;
  description: string;
  applicantScope: 'member' | 'worker';
  applicantScopeLabel: string;
  org: OrgRef | null;
  builtin: boolean;
  status: 'active' | 'disabled';
  statusLabel: string;
  form: FormField[];
  attachments: AttachmentDef[];
  steps: Step[];
  aid: AidConfig | null;
  editable: boolean;
  applicationCount: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Option<T extends string = string> {
  value: T;
  label: string;
}

export interface ServiceDictionary {
  statuses: Option[];
  actions: Option[];
  stepActions: Option<StepAction>[];
  levels: Option<Level>[];
  stepKinds: Option[];
  applicantScopes: Option[];
  fieldTypes: Option<FieldType>[];
  categories: Option[];
}

export const FIELD_TYPES: Option<FieldType>[] = [
  { value: 'text', label: '单行文本' },
  { value: 'textarea', label: '多行文本' },
  { value: 'number', label: '数字' },
  { value: 'amount', label: '金额（元）' },
  { value: 'date', label: '日期' },
  { value: 'select', label: '下拉选择' },
  { value: 'id_number', label: '身份证号' },
  { value: 'phone', label: '手机号' },
  { value: 'file', label: '附件' },
];

export const LEVELS: Option<Level>[] = [
  { value: 'grassroots', label: '基层工会' },
  { value: 'town', label: '镇街工会' },
  { value: 'county', label: '县级工会' },
  { value: 'city', label: '市总工会' },
];
export const levelLabel = (v: string) => LEVELS.find((l) => l.value === v)?.label ?? v;

export const STEP_ACTIONS: Option<StepAction>[] = [
  { value: 'approve', label: '通过' },
  { value: 'return', label: '退回补正' },
  { value: 'reject', label: '不予通过' },
  { value: 'transfer', label: '转办' },
];

export const APPLICATION_STATUSES: { value: string; label: string; tag: 'primary' | 'success' | 'warning' | 'info' | 'danger' }[] = [
  { value: 'in_review', label: '办理中', tag: 'primary' },
  { value: 'returned', label: '待补正', tag: 'warning' },
  { value: 'approved', label: '已办结', tag: 'success' },
  { value: 'rejected', label: '不予通过', tag: 'danger' },
  { value: 'withdrawn', label: '已撤回', tag: 'info' },
  { value: 'not_selected', label: '未中签', tag: 'info' },
];
export const applicationTag = (s: string) => APPLICATION_STATUSES.find((x) => x.value === s)?.tag ?? 'info';

export interface StaffApplicationRow {
  id: string;
  no: string;
  serviceType: { id: string; code: string; name: string };
  status: string;
  statusLabel: string;
  applicantName: string;
  applicantPhoneMasked: string;
  org: OrgRef;
  handlingOrg: OrgRef | null;
  currentStep: { key: string; name: string; levelLabel: string } | null;
  submittedAt: string;
  dueAt: string | null;
  overdue: boolean;
  requestedAmount: string | null;
  /** 核定金额: set when an aid application was approved. */
  grantedAmount: string | null;
  /** 待我处理 only: the current step may be approved in a batch. */
  batchApprovable?: boolean;
  version: number;
}

export interface TimelineEvent {
  id: string;
  action: string;
  actionLabel: string;
  stepKey: string | null;
  stepName: string | null;
  actorName: string | null;
  orgName: string | null;
  comment: string | null;
  at: string;
}

export interface ApplicationAttachment {
  id: string;
  defKey: string;
  name: string;
  kind: 'image' | 'pdf';
  size: number;
  url: string;
}

export interface StaffApplication extends StaffApplicationRow {
  applicant: { name: string; phoneMasked: string; idMasked: string | null; memberNo: string | null; isMember: boolean };
  values: Record<string, string | number | null>;
  form: FormField[];
  attachmentDefs: AttachmentDef[];
  steps: {
    key: string;
    name: string;
    levelLabel: string;
    kind: string;
    org: OrgRef | null;
    state: 'done' | 'current' | 'pending' | 'skipped';
    dueAt: string | null;
  }[];
  attachments: ApplicationAttachment[];
  grantedAmount: string | null;
  aid: { fundCode: string | null; maxAmount: string; payLevel: string } | null;
  returnReason: string | null;
  rejectReason: string | null;
  allowedActions: StepAction[];
  needsAmount: boolean;
  transferTargets: OrgRef[];
  timeline: TimelineEvent[];
}

export interface ApplicationFigures {
  orgId: string;
  byServiceAndStatus: { serviceTypeId: string; serviceName: string; status: string; statusLabel: string; count: number; query: string }[];
  handlingTimeByStep: {
    serviceTypeId: string;
    serviceName: string;
    stepKey: string;
    stepName: string;
    handled: number;
    medianHours: number | null;
    query: string;
  }[];
  overdue: { count: number; query: string };
}

const DAY = 86_400_000;
/** Midnight (China time) of an instant, as a day number — the SLA counts whole days in CST. */
const cstDay = (t: number) => Math.floor((t + 8 * 3_600_000) / DAY);

const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** Working days from today (exclusive) to the due day (inclusive): Mon–Fri, minus 放假日, plus 调休上班日. */
function workingDaysBetween(fromDay: number, toDay: number, cal: WorkingCalendar | null): number {
  let n = 0;
  for (let d = fromDay + 1; d <= toDay; d++) {
    const iso = isoDay(d);
    if (cal?.workdays.has(iso)) n++;
    else if (cal?.holidays.has(iso)) continue;
    else {
      const dow = (d + 4) % 7; // 1970-01-01 was a Thursday (4)
      if (dow !== 0 && dow !== 6) n++;
    }
  }
  return n;
}

/**
 * The SLA line of an open step: "剩余N个工作日" / "今日到期" / "已超期N天" (red). `cal` is the city's
 * working calendar (useWorkingCalendar); without it the count is Monday–Friday. `now` is for tests.
 */
export function slaText(
  dueAt: string | null,
  overdue: boolean,
  cal: WorkingCalendar | null = null,
  now = Date.now(),
): { text: string; level: 'ok' | 'soon' | 'overdue' | 'none' } {
  if (!dueAt) return { text: '—', level: 'none' };
  const due = new Date(dueAt).getTime();
  if (Number.isNaN(due)) return { text: '—', level: 'none' };
  const today = cstDay(now);
  const dueDay = cstDay(due);
  if (overdue || due < now) {
    const days = Math.max(1, today - dueDay);
    return { text: `已超期${days}天`, level: 'overdue' };
  }
  const left = workingDaysBetween(today, dueDay, cal);
  if (dueDay === today) return { text: '今日到期', level: 'soon' };
  if (left === 0) return { text: dueDay === today + 1 ? '明日到期' : `${dueDay - today}天后到期`, level: 'soon' };
  return { text: `剩余${left}个工作日`, level: left <= 2 ? 'soon' : 'ok' };
}

/** Parses a figures `query` string into a route query object. */
export function queryOf(qs: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(qs)) out[k] = v;
  return out;
}

export function fileSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
