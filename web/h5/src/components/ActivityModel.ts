// Shapes of the worker activity APIs (docs/api/activities.md, docs/api/activity-types.md) and the
// small helpers the activity pages share.

export type ActivityType = 'recuperation' | 'childcare' | 'contest' | 'training' | 'quiz' | 'social' | 'lecture' | 'other';
export type EnrollState = 'not_open' | 'open' | 'closed' | 'drawn' | 'ended';
export type EnrollmentStatus = 'pending' | 'enrolled' | 'waitlisted' | 'attended' | 'no_show' | 'cancelled' | 'rejected';

export const TYPE_OPTIONS: { value: ActivityType | ''; label: string }[] = [
  { value: '', label: '全部' },
  { value: 'recuperation', label: '疗休养' },
  { value: 'childcare', label: '暑托班' },
  { value: 'contest', label: '技能竞赛' },
  { value: 'training', label: '培训' },
  { value: 'lecture', label: '宣讲' },
  { value: 'quiz', label: '知识竞赛' },
  { value: 'social', label: '交友联谊' },
  { value: 'other', label: '其他' },
];

/** Tag backgrounds under white 12 px text: each ≥ 4.5:1 against white (WCAG AA). */
export const TYPE_COLORS: Record<string, string> = {
  recuperation: '#067f45',
  childcare: '#ad5a00',
  contest: '#2a6fcf',
  training: '#7a4fd1',
  lecture: '#7a4fd1',
  quiz: '#c93a33',
  social: '#c8386f',
  other: '#646566',
};

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
  /** The server's one wording of the family places: 可带家属，每人至多 2 名（家属名额共 10 个） / 不设家属名额. */
  familyText: string;
  /** The batch's rule in words (仅限劳模，35–55 周岁); null = open to every member of the activity. */
  eligibilityText: string | null;
  /** Why this batch is not open to the signed-in worker (本批次仅限劳模报名); null = it is. */
  notOpenToMe?: string | null;
  places: number;
  taken: number;
  takenFamily: number;
  left: number;
  waitlisted: number;
  pending: number;
}

export interface ActivitySummary {
  id: string;
  org: { id: string; name: string };
  type: ActivityType;
  typeLabel: string;
  title: string;
  status: string;
  statusLabel: string;
  enrollmentMode: 'fcfs' | 'lottery' | 'approval';
  enrollmentModeLabel: string;
  startsOn: string | null;
  endsOn: string | null;
  locations: string[];
  opensAt: string | null;
  closesAt: string | null;
  cancelDeadline: string | null;
  costPerPerson: string;
  /** Per person: what the union pays and what the worker pays (costPerPerson is their sum). */
  unionShare: string;
  personalShare: string;
  places: number;
  taken: number;
  waitlisted: number;
  batchCount: number;
}

export interface WorkerActivityItem extends ActivitySummary {
  enrollState: EnrollState;
  myEnrollment: { id: string; status: EnrollmentStatus; statusLabel: string } | null;
}

export interface Enrollment {
  id: string;
  activity: { id: string; title: string; type: ActivityType; typeLabel: string };
  batch: { id: string; title: string; startsOn: string | null; endsOn: string | null };
  status: EnrollmentStatus;
  statusLabel: string;
  pool: 'general' | 'priority' | 'family';
  familyCount: number;
  waitlistPosition: number | null;
  details: Record<string, unknown>;
  createdAt: string;
  enrolledAt: string | null;
  cancelledAt: string | null;
  reason: string | null;
  canCancel: boolean;
  /** When the place came from the waitlist (候补转正); null for a place taken at sign-up, approved or drawn. */
  promotedAt: string | null;
}

export interface ActivityDetail extends ActivitySummary {
  description: string;
  contactName: string | null;
  contactPhone: string | null;
  settings: Record<string, unknown>;
  batches: Batch[];
  lottery: { seed: string; drawnAt: string } | null;
  /** Lottery mode: sha256 of the seed fixed at publication, shown before the draw. */
  lotterySeedCommitment: string | null;
  serverTime: string;
  opensInMs: number;
  enrollState: EnrollState;
  myEnrollment: Enrollment | null;
}

/** GET /worker/activities: the page plus the server's clock for the countdowns. */
export interface WorkerActivityList {
  items: WorkerActivityItem[];
  total: number;
  serverTime: string;
}

/** GET /public/activities/:id/lottery — enrollment ids and hashes only, no personal data. */
export interface PublicLottery {
  activityId: string;
  title: string;
  seed: string;
  seedCommitment: string;
  drawnAt: string;
  algorithm: string;
  batches: { batchId: string; title: string; places: number; candidatesHash: string; candidates: string[]; order: string[]; winners: string[] }[];
}

/** Where this phone keeps the commitment it was shown before the draw, to check the revealed seed against later. */
export const commitmentKey = (activityId: string) => `gh-lottery-commitment:${activityId}`;

/** sha256 as hex via Web Crypto; null where the browser offers none (plain-HTTP pages). */
export async function sha256Hex(text: string): Promise<string | null> {
  if (typeof crypto === 'undefined' || !crypto.subtle) return null;
  const buf = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Copies text; plain-HTTP pages have no clipboard API, so falls back to a selected text area. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}

export interface Certificate {
  id: string;
  code: string;
  holderName: string;
  award: string;
  issuedOn: string;
  activityTitle: string;
  verifyPath: string;
}

/**
 * The enroll state at `serverNowMs` (the server's clock, see ActivityClock): the server's answer,
 * moved on when the window opened or closed since — the phone's own clock is never used.
 */
export function enrollStateAt(a: Pick<WorkerActivityItem, 'enrollState' | 'opensAt' | 'closesAt'>, serverNowMs: number): EnrollState {
  const opens = a.opensAt ? new Date(a.opensAt).getTime() : null;
  const closes = a.closesAt ? new Date(a.closesAt).getTime() : null;
  if (a.enrollState === 'not_open' && opens !== null && serverNowMs >= opens) return closes !== null && serverNowMs >= closes ? 'closed' : 'open';
  if (a.enrollState === 'open' && closes !== null && serverNowMs >= closes) return 'closed';
  return a.enrollState;
}

/** The status as the worker sees it on a list card. */
export function listBadge(a: WorkerActivityItem): { text: string; kind: 'soon' | 'open' | 'full' | 'ended' } {
  if (a.enrollState === 'not_open') return { text: '即将开始', kind: 'soon' };
  if (a.enrollState === 'open') {
    if (a.enrollmentMode === 'fcfs' && a.places > 0 && a.taken >= a.places) return { text: '已满可候补', kind: 'full' };
    return { text: '报名中', kind: 'open' };
  }
  if (a.enrollState === 'drawn') return { text: '已抽签', kind: 'ended' };
  if (a.enrollState === 'closed') return { text: '报名已截止', kind: 'ended' };
  return { text: '已结束', kind: 'ended' };
}

/** What an enrollment means for the worker, in one line. */
export function enrollmentHeadline(e: Pick<Enrollment, 'status' | 'statusLabel' | 'waitlistPosition'>): string {
  switch (e.status) {
    case 'enrolled':
      return '报名成功';
    case 'waitlisted':
      return e.waitlistPosition ? `已进入候补第${e.waitlistPosition}位` : '候补中';
    case 'pending':
      return e.statusLabel === '待抽签' ? '已参与抽签，等待开奖' : '已提交，待审核';
    default:
      return e.statusLabel;
  }
}

export const STATUS_TAG: Record<EnrollmentStatus, 'primary' | 'success' | 'warning' | 'danger' | 'default'> = {
  pending: 'warning',
  enrolled: 'success',
  waitlisted: 'warning',
  attended: 'success',
  no_show: 'danger',
  cancelled: 'default',
  rejected: 'danger',
};

export const RELATIONS = [
  { value: 'spouse', label: '配偶' },
  { value: 'child', label: '子女' },
  { value: 'parent', label: '父母' },
  { value: 'other', label: '其他' },
] as const;

export function dateRange(a: { startsOn: string | null; endsOn: string | null }): string {
  if (!a.startsOn) return '时间待定';
  if (!a.endsOn || a.endsOn === a.startsOn) return a.startsOn;
  return `${a.startsOn} 至 ${a.endsOn}`;
}

export function errorText(err: unknown): string {
  return err instanceof Error && err.name !== 'TypeError' && err.message ? err.message : '网络连接失败，请检查网络后重试';
}
