// What the activities service's parts share: DTOs (batch, summary, detail, lottery), the member
// and activity shapes the plugins and eligibility rules see, batch checks and shares.
// Split out of activities.service.ts.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { EnrollmentStatus } from '../../db/schema-activities.js';
import { invalid } from '../../platform/errors.js';
import { fenOf, fromFen } from '../../platform/money.js';
import { candidatesHash, seedCommitment } from './activities.lottery.js';
import { ACTIVITY_TYPE_LABELS, activityTypePlugin, type PluginActivity, type PluginBatch, type PluginMember, type Trx } from './activities.plugins.js';
import { activitiesRepository as repo, HOLDING_STATUSES, type ActivityRow, type BatchInput, type BatchRow } from './activities.repository.js';
import { batchRule, describeBatchEligibility, describeFamilyPlaces, familyPlacesProblems, type EligibilityMember } from './activities.eligibility.js';
import { ACTIVITY_STATUSES, ENROLL_STATES, ENROLLMENT_MODES, ENROLLMENT_STATUSES, type BatchInputDto, type Eligibility } from './activities.schema.js';

export type Executor = Kysely<DB> | Trx;

export const HOLDING = new Set<EnrollmentStatus>(HOLDING_STATUSES);
export const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
export const asDay = (d: Date | string | null | undefined): string | null => {
  if (!d) return null;
  if (typeof d === 'string') return d.slice(0, 10);
  // date columns come back as local-midnight Dates from pg; format in local time
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
/** Beijing wall-clock time for messages: 2026-11-21 10:05 */
// Sums in integer fen (exact: parsed from the numeric's text, never through a float).
export const fen = (v: string | number) => Number(fenOf(v));
export const yuan = (f: number) => fromFen(BigInt(f));
export const H5_ENROLLMENTS = '/h5/#/enrollments';

export function batchDto(b: BatchRow) {
  const places = b.places_general + b.places_priority;
  const taken = b.taken_general + b.taken_priority;
  return {
    id: b.id,
    title: b.title,
    location: b.location,
    startsOn: asDay(b.starts_on),
    endsOn: asDay(b.ends_on),
    placesGeneral: b.places_general,
    placesPriority: b.places_priority,
    placesFamily: b.places_family,
    familyPerPerson: b.family_per_person,
    /** One wording of the family places for every page (activities.eligibility.ts). */
    familyText: describeFamilyPlaces({ placesFamily: b.places_family, familyPerPerson: b.family_per_person }),
    eligibility: batchRule(b.eligibility),
    eligibilityText: describeBatchEligibility(batchRule(b.eligibility)),
    places,
    taken,
    takenGeneral: b.taken_general,
    takenPriority: b.taken_priority,
    takenFamily: b.taken_family,
    left: Math.max(0, places - taken),
    waitlisted: Number(b.waitlisted ?? 0),
    pending: Number(b.pending ?? 0),
  };
}
export type BatchDto = ReturnType<typeof batchDto>;

export function summaryDto(a: ActivityRow, orgName: string, batches: BatchDto[]) {
  return {
    id: a.id,
    org: { id: a.org_id, name: orgName },
    type: a.type,
    typeLabel: ACTIVITY_TYPE_LABELS[a.type],
    title: a.title,
    status: a.status,
    statusLabel: ACTIVITY_STATUSES[a.status],
    enrollmentMode: a.enrollment_mode,
    enrollmentModeLabel: ENROLLMENT_MODES[a.enrollment_mode],
    startsOn: asDay(a.starts_on),
    endsOn: asDay(a.ends_on),
    locations: a.locations,
    opensAt: iso(a.opens_at),
    closesAt: iso(a.closes_at),
    cancelDeadline: iso(a.cancel_deadline),
    costPerPerson: a.cost_per_person,
    /** Per person, yuan: what the union pays and what the member pays (costPerPerson is their sum). */
    unionShare: yuan(a.union_share_fen),
    personalShare: yuan(a.personal_share_fen),
    budget: a.budget,
    places: batches.reduce((s, b) => s + b.places, 0),
    taken: batches.reduce((s, b) => s + b.taken, 0),
    waitlisted: batches.reduce((s, b) => s + b.waitlisted, 0),
    batchCount: batches.length,
    coverUrl: null,
    createdAt: iso(a.created_at)!,
    updatedAt: iso(a.updated_at)!,
    version: a.version,
  };
}

export function lotteryInfo(a: ActivityRow, batches: BatchRow[]) {
  if (!a.lottery_seed || !a.lottery_drawn_at) return null;
  return {
    seed: a.lottery_seed,
    drawnAt: iso(a.lottery_drawn_at)!,
    batches: batches.map((b) => ({
      batchId: b.id,
      places: b.lottery_places ?? 0,
      candidateCount: b.lottery_candidates?.length ?? 0,
      candidatesHash: b.lottery_candidates_hash,
      winners: Math.min(b.lottery_places ?? 0, b.lottery_candidates?.length ?? 0),
    })),
  };
}

export function detailDto(a: ActivityRow, orgName: string, batches: BatchRow[]) {
  const bs = batches.map(batchDto);
  return {
    ...summaryDto(a, orgName, bs),
    description: a.description,
    contactName: a.contact_name,
    contactPhone: a.contact_phone,
    eligibility: a.eligibility as Eligibility,
    settings: a.settings,
    batches: bs,
    lottery: lotteryInfo(a, batches),
    // Commit–reveal: the seed is fixed when a lottery activity is published and only its hash is
    // shown until the draw, so nobody can choose a seed after seeing who signed up.
    lotterySeedCommitment: a.enrollment_mode === 'lottery' && a.lottery_seed ? seedCommitment(a.lottery_seed) : null,
    publishedAt: iso(a.published_at),
    cancelReason: a.cancel_reason,
  };
}

export const pluginActivity = (a: ActivityRow): PluginActivity => ({
  id: a.id,
  orgId: a.org_id,
  orgPath: a.org_path,
  type: a.type,
  title: a.title,
  enrollmentMode: a.enrollment_mode,
  startsOn: asDay(a.starts_on),
  endsOn: asDay(a.ends_on),
  settings: a.settings,
});

export const pluginBatch = (b: BatchRow): PluginBatch => ({
  id: b.id,
  activityId: b.activity_id,
  title: b.title,
  startsOn: asDay(b.starts_on),
  endsOn: asDay(b.ends_on),
  placesGeneral: b.places_general,
  placesPriority: b.places_priority,
  placesFamily: b.places_family,
  familyPerPerson: b.family_per_person,
});

export type MemberRow = NonNullable<Awaited<ReturnType<typeof repo.workerMember>>>;
export const pluginMember = (m: MemberRow): PluginMember => ({
  personId: m.person_id,
  membershipId: m.membership_id,
  orgId: m.org_id,
  orgPath: m.org_path,
  employmentForm: m.employment_form,
  isModelWorker: m.is_model_worker,
  isMigrantWorker: m.is_migrant_worker,
});

/** The member as the batch rules read them (birth dates come back as text or a Date). */
export const eligibilityMember = (m: MemberRow): EligibilityMember => ({
  is_model_worker: m.is_model_worker,
  is_frontline: m.is_frontline,
  employment_form: m.employment_form,
  sex: m.sex,
  birth_date: asDay(m.birth_date),
});

/** Why a member may not join (null = eligible). */
export function ineligibility(a: ActivityRow, m: MemberRow): string | null {
  if (!m.org_path.startsWith(a.org_path)) return '该活动仅限本工会及下级工会会员参加';
  const e = a.eligibility as Eligibility;
  if (e.employmentForms?.length && !e.employmentForms.includes(m.employment_form)) return '该活动仅限特定就业形态的会员参加';
  if (e.modelWorkerOnly && !m.is_model_worker) return '该活动仅限劳动模范参加';
  if (e.newEmploymentOnly && m.employment_form === 'standard') return '该活动仅限新就业形态劳动者参加';
  if (e.migrantWorkerOnly && !m.is_migrant_worker) return '该活动仅限农民工会员参加';
  return null;
}

export function enrollState(a: ActivityRow, now: Date): keyof typeof ENROLL_STATES {
  if (a.status !== 'published') return a.status === 'draft' ? 'not_open' : 'ended';
  if (a.lottery_drawn_at) return 'drawn';
  if (a.opens_at && now < a.opens_at) return 'not_open';
  if (a.closes_at && now >= a.closes_at) return 'closed';
  return 'open';
}

export function statusLabel(status: EnrollmentStatus, mode: string) {
  if (status === 'pending' && mode === 'lottery') return '待抽签';
  return ENROLLMENT_STATUSES[status];
}

export function checkBatches(
  input: { batches?: BatchInputDto[]; startsOn?: string | null; endsOn?: string | null; opensAt?: Date | null; closesAt?: Date | null },
  type: ActivityRow['type'],
  existing: BatchRow[] = [],
) {
  if (input.startsOn && input.endsOn && input.endsOn < input.startsOn) throw invalid({ endsOn: '结束日期不能早于开始日期' });
  if (input.opensAt && input.closesAt && input.closesAt <= input.opensAt) throw invalid({ closesAt: '报名截止时间应晚于开始时间' });
  const takesFamily = !!activityTypePlugin(type)?.familyPlaces;
  for (const [i, b] of (input.batches ?? []).entries()) {
    if (b.startsOn && b.endsOn && b.endsOn < b.startsOn) throw invalid({ [`batches.${i}.endsOn`]: '批次结束日期不能早于开始日期' });
    // Family places: one definition the enroll sheet can honour (activities.eligibility.ts).
    const was = b.id ? existing.find((e) => e.id === b.id) : undefined;
    const problems = familyPlacesProblems({ placesFamily: b.placesFamily, familyPerPerson: familyPerPersonOf(b, was) }, takesFamily);
    const fields = Object.fromEntries(Object.entries(problems).map(([k, v]) => [`batches.${i}.${k}`, `${b.title}：${v}`]));
    if (Object.keys(fields).length) throw invalid(fields);
  }
}

/** Union and personal shares (fen) from the input; null when the input names no money per person. */
export function sharesOf(
  input: { costPerPerson?: string; unionShare?: string; personalShare?: string },
  current: { union: number; personal: number },
): { union_share_fen: number; personal_share_fen: number; cost_per_person: string } | null {
  if (input.unionShare === undefined && input.personalShare === undefined) {
    if (input.costPerPerson === undefined) return null;
    // Only a total: the union pays it all (as every activity did before the shares).
    return { union_share_fen: fen(input.costPerPerson), personal_share_fen: 0, cost_per_person: input.costPerPerson };
  }
  const union = input.unionShare !== undefined ? fen(input.unionShare) : current.union;
  const personal = input.personalShare !== undefined ? fen(input.personalShare) : current.personal;
  if (input.costPerPerson !== undefined && fen(input.costPerPerson) !== union + personal) {
    throw invalid({ costPerPerson: `人均费用应等于工会承担与个人自付之和（${yuan(union + personal)} 元）` });
  }
  return { union_share_fen: union, personal_share_fen: personal, cost_per_person: yuan(union + personal) };
}

/** Family members per enrollment: as given; left out, the batch's current number while it keeps a family pool (no pool, nobody). */
export const familyPerPersonOf = (b: BatchInputDto, was?: BatchRow) => b.familyPerPerson ?? (b.placesFamily > 0 ? (was?.family_per_person ?? 0) : 0);

export const batchRow = (b: BatchInputDto, i: number, was?: BatchRow): BatchInput => ({
  title: b.title,
  location: b.location ?? null,
  starts_on: b.startsOn ?? null,
  ends_on: b.endsOn ?? null,
  sort_order: i,
  places_general: b.placesGeneral,
  places_priority: b.placesPriority,
  places_family: b.placesFamily,
  family_per_person: familyPerPersonOf(b, was),
  eligibility: JSON.stringify(b.eligibility ?? batchRule(was?.eligibility)),
});

/** Enroll statements per batch running in PostgreSQL at once, per server process (decision 008). */
export const CLAIMS_PER_BATCH = 8;
