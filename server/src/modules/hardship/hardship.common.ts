// What the hardship service's parts share: labels, day arithmetic, file numbers, notices, the
// list summary and the scoped file read. Split out of hardship.service.ts.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { StaffActor } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { yuan } from '../../platform/money.js';
import { hardshipRepository } from './hardship.repository.js';
import { HARDSHIP_STATUSES, causeLabel } from './hardship.constants.js';

/** 公示 lasts at least this many calendar days (start and end included). */
export const NOTICE_MIN_DAYS = 5;

export const HARDSHIP_ACTIONS: Record<string, string> = {
  submit: '提交建档申请',
  edit: '修改档案',
  first_approve: '基层初审通过',
  first_reject: '基层初审驳回',
  visit: '入户核实',
  county_approve: '县级审核通过，进入公示',
  county_reject: '县级审核驳回',
  objection_upheld: '公示异议成立，退回重审',
  objection_dismissed: '公示异议不成立',
  establish: '建档',
  review_continue: '年度复核：继续帮扶',
  review_close: '年度复核：解困脱困',
  aid: '发放帮扶资金',
  pairing: '结对帮扶',
  pairing_visit: '结对走访',
};

export const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
export const plusYear = (day: string) => {
  const [y, m, d] = day.split('-');
  const next = `${Number(y) + 1}-${m}-${d}`;
  return m === '02' && d === '29' ? `${Number(y) + 1}-02-28` : next;
};
export const actorName = (a: StaffActor) => `${a.displayName}（${a.username}）`;
/** The county-level org of a path /1/<county>/…: its first two segments. */
export const countyPathOf = (path: string) => {
  const parts = path.split('/').filter(Boolean);
  return parts.length >= 2 ? `/${parts[0]}/${parts[1]}/` : path;
};
export const fileNo = (id: string) => `KN${id.padStart(6, '0')}`;
/** The county-level union of a file: the second id of its path (/1/<county>/…), the city for a city-level file. */
export const countyOrgIdOf = (path: string) => {
  const ids = path.split('/').filter(Boolean);
  return ids[1] ?? ids[0]!;
};
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Staff are reminded of a yearly review this many days before it falls due (and when it is overdue). */
export const REVIEW_REMIND_DAYS = 30;

/**
 * What a transition tells people: the staff who act next (a union and the permission they need)
 * and, when the household head has an H5 account, the head (in-app now, SMS after commit).
 * Never the ID number or income; reasons stay on the file, where access is checked.
 */
export interface Notice {
  staff?: { orgId: string; permission: 'hardship:write' | 'hardship:approve'; title: string; body: string };
  worker?: { title: string; body: string };
}

export type FileRow = NonNullable<Awaited<ReturnType<typeof hardshipRepository.fileInScope>>>;
export type ListRow = Awaited<ReturnType<typeof hardshipRepository.list>>['items'][number];

export const summary = (f: ListRow | FileRow, today: string) => ({
  id: f.id,
  fileNo: fileNo(f.id),
  status: f.status,
  statusLabel: HARDSHIP_STATUSES[f.status],
  org: { id: f.org_id, name: f.org_name },
  head: { personId: f.head_person_id, membershipId: f.membership_id, name: f.head_name, idMasked: f.head_id_masked, phoneMasked: f.head_phone_masked },
  mainCause: f.main_cause,
  mainCauseLabel: causeLabel(f.main_cause),
  householdSize: f.household_size,
  perCapitaIncome: yuan(f.per_capita_income),
  reviewDueOn: f.review_due_on,
  /** An established file whose yearly review is past due. */
  reviewOverdue: f.status === 'established' && !!f.review_due_on && f.review_due_on < today,
  establishedAt: f.established_at,
  updatedAt: f.updated_at,
  version: f.version,
});

export async function fileOrThrow(executor: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
  const f = await hardshipRepository.fileInScope(executor, actor.orgPath, id);
  if (!f) throw notFound('困难职工档案');
  return f;
}
