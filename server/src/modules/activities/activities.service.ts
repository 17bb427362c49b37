// Activities and enrollment: the common core of every activity type (issue 5). Places are held by
// the database (see 011_activities.ts); this service decides who may enroll, in which mode, and keeps
// the waitlist moving.
import { chinaDate, chinaDay, chinaMinute } from '../../platform/china-time.js';
import { isUniqueViolation } from '../../db/errors.js';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { loadExcel } from '../../platform/excel.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ActivityEnrollment, EnrollmentStatus } from '../../db/schema-activities.js';
import type { RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import { escapeCell } from '../../platform/spreadsheet.js';
import type { ModuleContext } from '../module-context.js';
import { fenOf, fromFen } from '../../platform/money.js';
import { candidatesHash, drawLottery, LOTTERY_ALGORITHM, seedCommitment, sortCandidates } from './activities.lottery.js';
import {
  ACTIVITY_TYPE_LABELS,
  activityTypePlugin,
  type ActivitiesCore,
  type EnrollContext,
  type PluginActivity,
  type PluginBatch,
  type PluginMember,
  type Trx,
} from './activities.plugins.js';
import { activitiesRepository as repo, HOLDING_STATUSES, type ActivityRow, type BatchInput, type BatchRow } from './activities.repository.js';
import { keyedGate } from '../../platform/gate.js';
import {
  batchIneligibility,
  batchRule,
  describeBatchEligibility,
  describeFamilyPlaces,
  familyPlacesProblems,
  type EligibilityMember,
} from './activities.eligibility.js';
import { rushGroups } from './activities.rush.js';
import {
  ACTIVITY_STATUSES,
  ENROLL_STATES,
  ENROLLMENT_MODES,
  ENROLLMENT_STATUSES,
  type BatchInputDto,
  type CreateActivityInput,
  type Eligibility,
  type UpdateActivityInput,
} from './activities.schema.js';

type Executor = Kysely<DB> | Trx;

const HOLDING = new Set<EnrollmentStatus>(HOLDING_STATUSES);
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const asDay = (d: Date | string | null | undefined): string | null => {
  if (!d) return null;
  if (typeof d === 'string') return d.slice(0, 10);
  // date columns come back as local-midnight Dates from pg; format in local time
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
/** Beijing wall-clock time for messages: 2026-11-21 10:05 */
// Sums in integer fen (exact: parsed from the numeric's text, never through a float).
const fen = (v: string | number) => Number(fenOf(v));
const yuan = (f: number) => fromFen(BigInt(f));
const H5_ENROLLMENTS = '/h5/#/enrollments';

function batchDto(b: BatchRow) {
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

function summaryDto(a: ActivityRow, orgName: string, batches: BatchDto[]) {
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

function lotteryInfo(a: ActivityRow, batches: BatchRow[]) {
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

function detailDto(a: ActivityRow, orgName: string, batches: BatchRow[]) {
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

const pluginActivity = (a: ActivityRow): PluginActivity => ({
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

const pluginBatch = (b: BatchRow): PluginBatch => ({
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

type MemberRow = NonNullable<Awaited<ReturnType<typeof repo.workerMember>>>;
const pluginMember = (m: MemberRow): PluginMember => ({
  personId: m.person_id,
  membershipId: m.membership_id,
  orgId: m.org_id,
  orgPath: m.org_path,
  employmentForm: m.employment_form,
  isModelWorker: m.is_model_worker,
  isMigrantWorker: m.is_migrant_worker,
});

/** The member as the batch rules read them (birth dates come back as text or a Date). */
const eligibilityMember = (m: MemberRow): EligibilityMember => ({
  is_model_worker: m.is_model_worker,
  is_frontline: m.is_frontline,
  employment_form: m.employment_form,
  sex: m.sex,
  birth_date: asDay(m.birth_date),
});

/** Why a member may not join (null = eligible). */
function ineligibility(a: ActivityRow, m: MemberRow): string | null {
  if (!m.org_path.startsWith(a.org_path)) return '该活动仅限本工会及下级工会会员参加';
  const e = a.eligibility as Eligibility;
  if (e.employmentForms?.length && !e.employmentForms.includes(m.employment_form)) return '该活动仅限特定就业形态的会员参加';
  if (e.modelWorkerOnly && !m.is_model_worker) return '该活动仅限劳动模范参加';
  if (e.newEmploymentOnly && m.employment_form === 'standard') return '该活动仅限新就业形态劳动者参加';
  if (e.migrantWorkerOnly && !m.is_migrant_worker) return '该活动仅限农民工会员参加';
  return null;
}

function enrollState(a: ActivityRow, now: Date): keyof typeof ENROLL_STATES {
  if (a.status !== 'published') return a.status === 'draft' ? 'not_open' : 'ended';
  if (a.lottery_drawn_at) return 'drawn';
  if (a.opens_at && now < a.opens_at) return 'not_open';
  if (a.closes_at && now >= a.closes_at) return 'closed';
  return 'open';
}

function statusLabel(status: EnrollmentStatus, mode: string) {
  if (status === 'pending' && mode === 'lottery') return '待抽签';
  return ENROLLMENT_STATUSES[status];
}

function checkBatches(
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
function sharesOf(
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
const familyPerPersonOf = (b: BatchInputDto, was?: BatchRow) => b.familyPerPerson ?? (b.placesFamily > 0 ? (was?.family_per_person ?? 0) : 0);

const batchRow = (b: BatchInputDto, i: number, was?: BatchRow): BatchInput => ({
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
const CLAIMS_PER_BATCH = 8;

export function createActivitiesService(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  // A few enroll statements per batch in PostgreSQL at once; the rest queue here (platform/gate.ts).
  const claimGate = keyedGate(CLAIMS_PER_BATCH);
  // The fcfs general pool: enrollments of a batch go in as groups, one durable commit each (activities.rush.ts).
  const rush = rushGroups(db);
  const clock = ctx.clock;

  async function load(exec: Executor, a: ActivityRow) {
    const [orgName, batches] = [await repo.orgName(exec, a.org_id), await repo.batchesOf(exec, [a.id])];
    return detailDto(a, orgName, batches);
  }

  async function inScope(exec: Executor, actor: StaffActor, id: string, forUpdate = false) {
    const a = await repo.byIdInScope(exec, actor.orgPath, id, forUpdate);
    if (!a) throw notFound('活动');
    return a;
  }

  function validateSettings(type: ActivityRow['type'], settings: Record<string, unknown>) {
    const p = activityTypePlugin(type);
    if (!p?.settingsSchema) return settings;
    const r = p.settingsSchema.safeParse(settings);
    if (!r.success) {
      const fields: Record<string, string> = {};
      for (const issue of r.error.issues) fields[['settings', ...issue.path.map(String)].join('.')] = issue.message;
      throw invalid(fields);
    }
    return r.data as Record<string, unknown>;
  }

  async function workerMember(exec: Executor, workerId: string) {
    const m = await repo.workerMember(exec, workerId);
    if (!m) throw new AppError('VALIDATION_FAILED', '您还不是工会会员，入会后才能报名活动');
    return m;
  }

  /** The activity as a worker may see it (published or closed, open to their union, eligible). */
  async function activityForWorker(exec: Executor, m: MemberRow, id: string) {
    const a = await repo.byId(exec, id);
    if (!a || a.status === 'draft' || !m.org_path.startsWith(a.org_path)) throw notFound('活动');
    return a;
  }

  async function enrollmentDto(
    exec: Executor,
    e: ActivityEnrollment,
    a: Pick<ActivityRow, 'id' | 'title' | 'type' | 'enrollment_mode' | 'cancel_deadline'>,
    b: { title: string; starts_on: unknown; ends_on: unknown },
  ) {
    const now = clock.now();
    return {
      id: e.id,
      activity: { id: a.id, title: a.title, type: a.type, typeLabel: ACTIVITY_TYPE_LABELS[a.type] },
      batch: { id: e.batch_id, title: b.title, startsOn: asDay(b.starts_on as string | null), endsOn: asDay(b.ends_on as string | null) },
      status: e.status,
      statusLabel: statusLabel(e.status, a.enrollment_mode),
      pool: e.pool,
      familyCount: e.family_count,
      waitlistPosition: e.status === 'waitlisted' ? await repo.waitlistPosition(exec, e) : null,
      details: e.details,
      createdAt: iso(e.created_at)!,
      enrolledAt: iso(e.enrolled_at),
      promotedAt: iso(e.promoted_at),
      cancelledAt: iso(e.cancelled_at),
      reason: e.reason,
      canCancel: ['pending', 'enrolled', 'waitlisted'].includes(e.status) && (!a.cancel_deadline || now < a.cancel_deadline),
    };
  }

  async function staffEnrollment(exec: Executor, e: ActivityEnrollment) {
    const a = (await repo.byId(exec, e.activity_id))!;
    const b = (await repo.batch(exec, e.activity_id, e.batch_id))!;
    const p = await exec.selectFrom('people').select(['id', 'name', 'id_masked', 'phone_masked']).where('id', '=', e.person_id).executeTakeFirstOrThrow();
    return {
      ...(await enrollmentDto(exec, e, a, b)),
      person: { id: p.id, name: p.name, idMasked: p.id_masked, phoneMasked: p.phone_masked },
      org: { id: e.org_id, name: await repo.orgName(exec, e.org_id) },
      drawRank: e.draw_rank,
    };
  }

  /**
   * A place was freed in a batch: promote waitlisted people in order while places last (a person
   * whose family places do not fit is skipped, keeping their position). Returns who was promoted.
   */
  async function promote(trx: Trx, actorEntry: ReturnType<typeof auditActor>, a: ActivityRow, batchId: string) {
    const promoted: { workerId: string | null; id: string }[] = [];
    const head = await repo.waitlistHead(trx, batchId, 20);
    for (const w of head) {
      let pool: 'general' | 'priority' | null = null;
      if (w.pool === 'priority' && (await repo.claim(trx, batchId, 'priority', w.family_count))) pool = 'priority';
      else if (await repo.claim(trx, batchId, 'general', w.family_count)) pool = 'general';
      if (!pool) continue;
      const now = clock.now();
      // The head was read `for update`, so it is still waitlisted; anything else is a bug.
      if (!(await repo.promoteEnrollment(trx, w.id, pool, now))) throw new Error(`enrollment ${w.id} is no longer waitlisted`);
      await ctx.audit.append(trx, {
        ...actorEntry,
        action: 'activity.enroll.promote',
        targetType: 'activity_enrollment',
        targetId: w.id,
        orgId: a.org_id,
        outcome: 'success',
        detail: { activityId: a.id, batchId },
      });
      if (w.worker_id) {
        await ctx.messages.send(
          trx,
          { workerId: w.worker_id },
          { title: '候补成功：您已获得活动名额', body: `您候补的活动“${a.title}”有名额空出，您已报名成功。`, link: H5_ENROLLMENTS, category: 'activity' },
        );
      }
      promoted.push({ workerId: w.worker_id, id: w.id });
      break;
    }
    return promoted;
  }

  async function smsPromoted(a: { title: string }, promoted: { workerId: string | null }[]) {
    for (const p of promoted) await ctx.messages.smsWorker(p.workerId, `您候补的活动“${a.title}”有名额空出，您已报名成功，请登录智慧工会查看。`);
  }

  const core: ActivitiesCore = {
    ctx,
    async activityForStaff(trx, actor, activityId) {
      return pluginActivity(await inScope(trx, actor, activityId));
    },
    async workerMember(trx, workerId) {
      return pluginMember(await workerMember(trx, workerId));
    },
    async liveEnrollment(trx, activityId, personId) {
      const r = await repo.liveOf(trx, activityId, personId);
      return r ? { id: r.id, batchId: r.batch_id, status: r.status } : null;
    },
    async markAttended(trx, enrollmentId) {
      const e = await repo.enrollment(trx, enrollmentId, true);
      if (!e) throw notFound('报名记录');
      if (e.status === 'attended') return;
      if (e.status !== 'enrolled' && e.status !== 'no_show') throw new AppError('VALIDATION_FAILED', '该报名未获得名额，不能签到');
      await repo.setEnrollment(trx, e.id, { status: 'attended' }, clock.now());
    },
  };

  return {
    core,

    // ---------------- staff: activities ----------------
    async list(
      actor: StaffActor,
      q: { type?: string; status?: string; mode?: string; orgId?: string; q?: string; from?: string; to?: string; page: number; pageSize: number },
    ) {
      let orgPath: string | undefined;
      if (q.orgId) {
        const o = await ctx.orgs.findInScope(actor, q.orgId);
        if (!o) throw notFound('组织');
        orgPath = o.path;
      }
      const r = await repo.list(db, actor.orgPath, { ...q, orgPath, limit: q.pageSize, offset: offsetOf(q) });
      const batches = await repo.batchesOf(
        db,
        r.items.map((a) => a.id),
      );
      return {
        total: r.total,
        items: r.items.map((a) => summaryDto(a, a.org_name, batches.filter((b) => b.activity_id === a.id).map(batchDto))),
      };
    },

    async get(actor: StaffActor, id: string) {
      return load(db, await inScope(db, actor, id));
    },

    async create(actor: StaffActor, meta: RequestMeta, input: CreateActivityInput) {
      checkBatches(input, input.type);
      const shares = sharesOf(input, { union: 0, personal: 0 }) ?? { union_share_fen: 0, personal_share_fen: 0, cost_per_person: '0.00' };
      const settings = validateSettings(input.type, input.settings);
      if (input.enrollmentMode === 'lottery' && !input.closesAt) throw invalid({ closesAt: '抽签报名须设置报名截止时间' });
      return db.transaction().execute(async (trx) => {
        const orgId = input.orgId ?? actor.orgId;
        const org = await repo.orgInScope(trx, actor.orgPath, orgId);
        if (!org) throw notFound('组织');
        const now = clock.now();
        const a = await repo.insert(trx, {
          org_id: org.id,
          org_path: org.path,
          type: input.type,
          title: input.title,
          description: input.description,
          locations: JSON.stringify(input.locations),
          starts_on: input.startsOn ?? null,
          ends_on: input.endsOn ?? null,
          ...shares,
          budget: input.budget,
          eligibility: JSON.stringify(input.eligibility),
          enrollment_mode: input.enrollmentMode,
          opens_at: input.opensAt ?? null,
          closes_at: input.closesAt ?? null,
          cancel_deadline: input.cancelDeadline ?? null,
          contact_name: input.contactName ?? null,
          contact_phone: input.contactPhone ?? null,
          settings: JSON.stringify(settings),
          created_by: actor.accountId,
          created_at: now,
          updated_at: now,
        });
        for (const [i, b] of input.batches.entries()) await repo.insertBatch(trx, a.id, batchRow(b, i));
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.create',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { title: a.title, type: a.type, mode: a.enrollment_mode, batches: input.batches.length },
        });
        return load(trx, a);
      });
    },

    async update(actor: StaffActor, meta: RequestMeta, id: string, input: UpdateActivityInput) {
      return db.transaction().execute(async (trx) => {
        const a = await inScope(trx, actor, id, true);
        if (a.version !== input.version) throw conflict();
        if (a.status === 'closed' || a.status === 'cancelled') throw new AppError('VALIDATION_FAILED', '活动已结束或已取消，不能修改');
        if (a.status !== 'draft' && ((input.type && input.type !== a.type) || (input.enrollmentMode && input.enrollmentMode !== a.enrollment_mode))) {
          throw invalid({ type: '活动发布后不能修改类型和报名方式' });
        }
        const merged = {
          startsOn: input.startsOn !== undefined ? input.startsOn : asDay(a.starts_on),
          endsOn: input.endsOn !== undefined ? input.endsOn : asDay(a.ends_on),
          opensAt: input.opensAt !== undefined ? input.opensAt : a.opens_at,
          closesAt: input.closesAt !== undefined ? input.closesAt : a.closes_at,
          batches: input.batches,
        };
        const type = input.type ?? a.type;
        const existingBatches = input.batches ? await repo.batchesOf(trx, [a.id]) : [];
        checkBatches(merged, type, existingBatches);
        if (!input.batches && type !== a.type) {
          // A new type must be able to honour the family places the batches already have.
          const takesFamily = !!activityTypePlugin(type)?.familyPlaces;
          for (const b of await repo.batchesOf(trx, [a.id])) {
            const p = familyPlacesProblems({ placesFamily: b.places_family, familyPerPerson: b.family_per_person }, takesFamily);
            if (Object.keys(p).length) throw invalid({ batches: `${b.title}：${Object.values(p)[0]}` });
          }
        }
        if ((input.enrollmentMode ?? a.enrollment_mode) === 'lottery' && !merged.closesAt) throw invalid({ closesAt: '抽签报名须设置报名截止时间' });
        const patch: Record<string, unknown> = {};
        if (input.type !== undefined) patch.type = input.type;
        if (input.title !== undefined) patch.title = input.title;
        if (input.description !== undefined) patch.description = input.description;
        if (input.locations !== undefined) patch.locations = JSON.stringify(input.locations);
        if (input.startsOn !== undefined) patch.starts_on = input.startsOn;
        if (input.endsOn !== undefined) patch.ends_on = input.endsOn;
        Object.assign(patch, sharesOf(input, { union: a.union_share_fen, personal: a.personal_share_fen }) ?? {});
        if (input.budget !== undefined) patch.budget = input.budget;
        if (input.eligibility !== undefined) patch.eligibility = JSON.stringify(input.eligibility);
        if (input.enrollmentMode !== undefined) patch.enrollment_mode = input.enrollmentMode;
        if (input.opensAt !== undefined) patch.opens_at = input.opensAt;
        if (input.closesAt !== undefined) patch.closes_at = input.closesAt;
        if (input.cancelDeadline !== undefined) patch.cancel_deadline = input.cancelDeadline;
        if (input.contactName !== undefined) patch.contact_name = input.contactName;
        if (input.contactPhone !== undefined) patch.contact_phone = input.contactPhone;
        if (input.settings !== undefined || input.type !== undefined) patch.settings = JSON.stringify(validateSettings(type, input.settings ?? a.settings));
        if (input.batches) {
          const existing = existingBatches;
          const keep = new Set(input.batches.filter((b) => b.id).map((b) => b.id!));
          for (const b of input.batches) if (b.id && !existing.some((e) => e.id === b.id)) throw notFound('批次');
          for (const e of existing) {
            if (keep.has(e.id)) continue;
            if (await repo.batchHasEnrollments(trx, e.id)) throw invalid({ batches: `批次“${e.title}”已有报名，不能删除` });
            await repo.deleteBatch(trx, a.id, e.id);
          }
          for (const [i, b] of input.batches.entries()) {
            const row = batchRow(b, i, b.id ? existing.find((x) => x.id === b.id) : undefined);
            if (!b.id) {
              await repo.insertBatch(trx, a.id, row);
              continue;
            }
            const e = existing.find((x) => x.id === b.id)!;
            if (row.places_general < e.taken_general || row.places_priority < e.taken_priority || row.places_family < e.taken_family) {
              throw invalid({ [`batches.${i}.placesGeneral`]: `批次“${e.title}”的名额不能少于已报名人数` });
            }
            await repo.updateBatch(trx, a.id, b.id, row);
          }
        }
        const updated = await repo.update(trx, a.id, a.version, patch, clock.now());
        if (!updated) throw conflict();
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.update',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { fields: Object.keys(input).filter((k) => k !== 'version') },
        });
        return load(trx, updated);
      });
    },

    async transition(actor: StaffActor, meta: RequestMeta, id: string, to: 'published' | 'closed' | 'cancelled', input: { version: number; reason?: string }) {
      const notices: { workerId: string | null }[] = [];
      const out = await db.transaction().execute(async (trx) => {
        const a = await inScope(trx, actor, id, true);
        if (a.version !== input.version) throw conflict();
        const allowed: Record<string, string[]> = { published: ['draft'], closed: ['published'], cancelled: ['draft', 'published'] };
        if (!allowed[to]!.includes(a.status))
          throw new AppError(
            'VALIDATION_FAILED',
            `活动当前为“${ACTIVITY_STATUSES[a.status]}”，不能${to === 'published' ? '发布' : to === 'closed' ? '结束' : '取消'}`,
          );
        const now = clock.now();
        if (to === 'published' && a.closes_at && a.closes_at <= now) throw invalid({ closesAt: '报名截止时间已过，请先修改后再发布' });
        const patch: Record<string, unknown> = { status: to };
        if (to === 'published') patch.published_at = now;
        if (to === 'published' && a.enrollment_mode === 'lottery' && !a.lottery_seed) patch.lottery_seed = randomBytes(32).toString('hex');
        if (to === 'cancelled') {
          patch.cancel_reason = input.reason;
          const live = await repo.liveOfActivity(trx, a.id);
          await repo.cancelAllLive(trx, a.id, `活动取消：${input.reason}`, now);
          await repo.releaseAllPlaces(trx, a.id);
          for (const e of live) {
            if (!e.worker_id) continue;
            await ctx.messages.send(
              trx,
              { workerId: e.worker_id },
              { title: '活动已取消', body: `您报名的活动“${a.title}”已取消。原因：${input.reason}`, link: H5_ENROLLMENTS, category: 'activity' },
            );
            notices.push({ workerId: e.worker_id });
          }
        }
        const updated = await repo.update(trx, a.id, a.version, patch, now);
        if (!updated) throw conflict();
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: to === 'published' ? 'activity.publish' : to === 'closed' ? 'activity.close' : 'activity.cancel',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: to === 'cancelled' ? { reason: input.reason, enrollmentsCancelled: notices.length } : null,
        });
        return load(trx, updated);
      });
      for (const n of notices) await ctx.messages.smsWorker(n.workerId, `您报名的活动“${out.title}”已取消，请登录智慧工会查看。`);
      return out;
    },

    // ---------------- lottery ----------------
    async draw(actor: StaffActor, meta: RequestMeta, id: string, input: { seed?: string }) {
      const winnersToTell: { workerId: string | null; won: boolean }[] = [];
      const out = await db.transaction().execute(async (trx) => {
        const a = await inScope(trx, actor, id, true);
        if (a.enrollment_mode !== 'lottery') throw new AppError('VALIDATION_FAILED', '该活动不是抽签报名');
        if (a.status !== 'published') throw new AppError('VALIDATION_FAILED', '活动未发布或已结束，不能抽签');
        if (a.lottery_drawn_at) throw new AppError('VALIDATION_FAILED', '该活动已抽签，不能重复抽签');
        const now = clock.now();
        if (!a.closes_at || now < a.closes_at)
          throw new AppError('VALIDATION_FAILED', `报名截止（${a.closes_at ? chinaMinute(a.closes_at) : '未设置'}）后才能抽签`);
        // The seed committed at publication (older activities without one get a fresh random seed).
        const seed = a.lottery_seed ?? randomBytes(32).toString('hex');
        if (input.seed && input.seed !== seed) throw invalid({ seed: '抽签种子已在发布时生成并公示其哈希，不能在抽签时更换' });
        const batches = await repo.batchesOf(trx, [a.id]);
        const summary: { batchId: string; candidates: number; winners: number }[] = [];
        for (const b of batches) {
          const pending = await repo.pendingOfBatch(trx, b.id);
          const candidates = sortCandidates(pending.map((e) => e.id));
          const places = Math.max(0, b.places_general - b.taken_general);
          const r = drawLottery(seed, b.id, candidates, places);
          await repo.saveDraw(trx, b.id, { places, candidates, hash: candidatesHash(candidates), order: r.order });
          const byId = new Map(pending.map((e) => [e.id, e]));
          for (const [rank, eid] of r.order.entries()) {
            const e = byId.get(eid)!;
            const won = rank < r.winners.length;
            if (won) {
              if (!(await repo.claim(trx, b.id, 'general', 0))) throw new Error('lottery claim failed');
              await repo.setEnrollment(trx, eid, { status: 'enrolled', taken_pool: 'general', enrolled_at: now, draw_rank: rank + 1 }, now);
            } else {
              await repo.setEnrollment(trx, eid, { status: 'waitlisted', draw_rank: rank + 1 }, now);
            }
            if (e.worker_id) {
              await ctx.messages.send(
                trx,
                { workerId: e.worker_id },
                won
                  ? { title: '抽签结果：中签', body: `恭喜，您在活动“${a.title}”的抽签中中签，报名成功。`, link: H5_ENROLLMENTS, category: 'activity' }
                  : {
                      title: '抽签结果：未中签',
                      body: `您在活动“${a.title}”的抽签中未中签，已进入候补（第 ${rank + 1 - r.winners.length} 位）。`,
                      link: H5_ENROLLMENTS,
                      category: 'activity',
                    },
              );
              winnersToTell.push({ workerId: e.worker_id, won });
            }
          }
          summary.push({ batchId: b.id, candidates: candidates.length, winners: r.winners.length });
        }
        const updated = await repo.update(trx, a.id, a.version, { lottery_seed: seed, lottery_drawn_at: now }, now);
        if (!updated) throw conflict();
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.draw',
          targetType: 'activity',
          targetId: a.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { seed, batches: summary },
        });
        return load(trx, updated);
      });
      for (const w of winnersToTell) {
        await ctx.messages.smsWorker(
          w.workerId,
          w.won ? `您在活动“${out.title}”的抽签中中签，报名成功。` : `您在活动“${out.title}”的抽签中未中签，已进入候补。`,
        );
      }
      return out;
    },

    async publicLottery(id: string) {
      const a = await repo.byId(db, id);
      if (!a || !a.lottery_seed || !a.lottery_drawn_at) throw notFound('抽签结果');
      const batches = await repo.batchesOf(db, [a.id]);
      return {
        activityId: a.id,
        title: a.title,
        seed: a.lottery_seed,
        // The commitment shown from publication on: sha256(seed) recomputed by anyone must equal it.
        seedCommitment: seedCommitment(a.lottery_seed),
        drawnAt: iso(a.lottery_drawn_at)!,
        algorithm: LOTTERY_ALGORITHM,
        batches: batches.map((b) => {
          const order = b.lottery_order ?? [];
          const places = b.lottery_places ?? 0;
          return {
            batchId: b.id,
            title: b.title,
            places,
            candidatesHash: b.lottery_candidates_hash ?? '',
            candidates: b.lottery_candidates ?? [],
            order,
            winners: order.slice(0, places),
          };
        }),
      };
    },

    async verifyLottery(id: string) {
      const pub = await this.publicLottery(id);
      const batches = pub.batches.map((b) => {
        const r = drawLottery(pub.seed, b.batchId, b.candidates, b.places);
        const ok = candidatesHash(sortCandidates(b.candidates)) === b.candidatesHash && r.order.join(',') === b.order.join(',');
        return { batchId: b.batchId, ok };
      });
      return { ok: batches.every((b) => b.ok), batches };
    },

    // ---------------- staff: enrollments ----------------
    async enrollments(
      actor: StaffActor,
      id: string,
      q: { batchId?: string; status?: EnrollmentStatus[]; q?: string; orgId?: string; page: number; pageSize: number },
    ) {
      const a = await inScope(db, actor, id);
      let orgPath: string | undefined;
      if (q.orgId) {
        const o = await ctx.orgs.findInScope(actor, q.orgId);
        if (!o) throw notFound('组织');
        orgPath = o.path;
      }
      const r = await repo.enrollmentsOfActivity(db, a.id, { batchId: q.batchId, statuses: q.status, q: q.q, orgPath, limit: q.pageSize, offset: offsetOf(q) });
      const items = [];
      for (const e of r.items) {
        items.push({
          ...(await enrollmentDto(db, e, a, { title: e.batch_title, starts_on: e.batch_starts_on, ends_on: e.batch_ends_on })),
          person: { id: e.person_id, name: e.name, idMasked: e.id_masked, phoneMasked: e.phone_masked },
          org: { id: e.org_id, name: e.org_name },
          drawRank: e.draw_rank,
        });
      }
      return { items, total: r.total };
    },

    async roster(actor: StaffActor, meta: RequestMeta, id: string, q: { batchId?: string; status?: EnrollmentStatus[] }) {
      const a = await inScope(db, actor, id);
      const rows = await repo.countRoster(db, a.id, { batchId: q.batchId, statuses: q.status });
      await ctx.audit.record({
        ...auditActor(actor, meta),
        action: 'activity.roster.export',
        targetType: 'activity',
        targetId: a.id,
        orgId: a.org_id,
        outcome: 'success',
        detail: { rows, batchId: q.batchId ?? null, status: q.status ?? null },
      });
      const stream = new PassThrough();
      const write = async () => {
        const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false });
        const ws = wb.addWorksheet('报名名单');
        const headers = ['序号', '姓名', '性别', '身份证号', '手机号', '所在工会', '批次', '状态', '家属人数', '报名时间'];
        ws.columns = headers.map((header, i) => ({ header, key: `c${i}`, width: [8, 12, 6, 22, 16, 30, 20, 10, 10, 20][i] }));
        let after: string | null = null;
        let n = 0;
        for (;;) {
          const page = await repo.rosterPage(db, a.id, { batchId: q.batchId, statuses: q.status }, after, 2000);
          for (const r of page) {
            ws.addRow(
              [
                String(++n),
                r.name,
                r.sex === 'M' ? '男' : r.sex === 'F' ? '女' : '',
                r.id_masked,
                r.phone_masked,
                r.org_name,
                r.batch_title,
                statusLabel(r.status, a.enrollment_mode),
                String(r.family_count),
                chinaMinute(new Date(r.created_at)),
              ].map((v) => escapeCell(v)),
            ).commit();
          }
          if (page.length < 2000 || stream.destroyed) break;
          after = page[page.length - 1]!.id;
        }
        ws.commit();
        await wb.commit();
      };
      write().catch((err: unknown) => stream.destroy(err as Error));
      return {
        stream,
        rows,
        fileName: `报名名单-${a.title}-${chinaDate(clock.now())}.xlsx`,
        asciiName: `activity-${a.id}-roster-${chinaDate(clock.now())}.xlsx`,
      };
    },

    async review(actor: StaffActor, meta: RequestMeta, enrollmentId: string, input: { action: 'approve' | 'reject'; reason?: string }) {
      let tell: { workerId: string | null; text: string } | null = null;
      const out = await db.transaction().execute(async (trx) => {
        const e = await repo.enrollmentInScope(trx, actor.orgPath, enrollmentId, true);
        if (!e) throw notFound('报名记录');
        const a = (await repo.byId(trx, e.activity_id))!;
        if (a.enrollment_mode !== 'approval') throw new AppError('VALIDATION_FAILED', '该活动不是审核报名');
        if (e.status !== 'pending') throw new AppError('VALIDATION_FAILED', `该报名当前为“${ENROLLMENT_STATUSES[e.status]}”，不能审核`);
        const now = clock.now();
        let status: EnrollmentStatus = 'rejected';
        let pool: 'general' | 'priority' | null = null;
        if (input.action === 'approve') {
          if (e.pool === 'priority' && (await repo.claim(trx, e.batch_id, 'priority', e.family_count))) pool = 'priority';
          else if (await repo.claim(trx, e.batch_id, 'general', e.family_count)) pool = 'general';
          status = pool ? 'enrolled' : 'waitlisted';
        }
        const updated = await repo.setEnrollment(
          trx,
          e.id,
          { status, taken_pool: pool, enrolled_at: pool ? now : null, reason: input.action === 'reject' ? (input.reason ?? null) : null },
          now,
        );
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.enroll.review',
          targetType: 'activity_enrollment',
          targetId: e.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { action: input.action, result: status, reason: input.reason ?? null },
        });
        const text =
          status === 'enrolled'
            ? `您报名的活动“${a.title}”已审核通过，报名成功。`
            : status === 'waitlisted'
              ? `您报名的活动“${a.title}”已审核通过，名额已满，已进入候补。`
              : `您报名的活动“${a.title}”未通过审核${input.reason ? `：${input.reason}` : '。'}`;
        if (e.worker_id) {
          await ctx.messages.send(trx, { workerId: e.worker_id }, { title: '活动报名审核结果', body: text, link: H5_ENROLLMENTS, category: 'activity' });
          tell = { workerId: e.worker_id, text };
        }
        return staffEnrollment(trx, updated);
      });
      if (tell) await ctx.messages.smsWorker((tell as { workerId: string | null }).workerId, (tell as { text: string }).text);
      return out;
    },

    async attendance(actor: StaffActor, meta: RequestMeta, enrollmentId: string, input: { result: 'attended' | 'no_show' }) {
      return db.transaction().execute(async (trx) => {
        const e = await repo.enrollmentInScope(trx, actor.orgPath, enrollmentId, true);
        if (!e) throw notFound('报名记录');
        if (!HOLDING.has(e.status)) throw new AppError('VALIDATION_FAILED', `该报名当前为“${ENROLLMENT_STATUSES[e.status]}”，不能登记到场情况`);
        const updated = await repo.setEnrollment(trx, e.id, { status: input.result }, clock.now());
        const a = (await repo.byId(trx, e.activity_id))!;
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.enroll.attendance',
          targetType: 'activity_enrollment',
          targetId: e.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { from: e.status, to: input.result },
        });
        return staffEnrollment(trx, updated);
      });
    },

    async costReport(actor: StaffActor, id: string) {
      const a = await inScope(db, actor, id);
      const batches = await repo.batchesOf(db, [a.id]);
      // The union's budget pays the union's share; what members pay themselves is not its spend.
      const cost = a.union_share_fen;
      const rows = batches.map((b) => {
        const enrolled = b.taken_general + b.taken_priority;
        return {
          batchId: b.id,
          title: b.title,
          places: b.places_general + b.places_priority,
          enrolled,
          familyPlaces: b.taken_family,
          spend: yuan((enrolled + b.taken_family) * cost),
          spendFen: (enrolled + b.taken_family) * cost,
        };
      });
      const spend = rows.reduce((s, r) => s + r.spendFen, 0);
      const budget = fen(a.budget);
      return {
        activityId: a.id,
        costPerPerson: a.cost_per_person,
        unionShare: yuan(a.union_share_fen),
        personalShare: yuan(a.personal_share_fen),
        budget: a.budget,
        spend: yuan(spend),
        remaining: yuan(budget - spend),
        overBudget: spend > budget,
        batches: rows.map(({ spendFen: _unused, ...r }) => r),
      };
    },

    async figures(actor: StaffActor, orgId: string, q: { type?: string; from?: string; to?: string }) {
      const org = await ctx.orgs.findInScope(actor, orgId);
      if (!org) throw notFound('组织');
      const acts = await repo.figures(db, org.path, q);
      const parts = await repo.participantsByType(db, org.path, q);
      const num = (v: unknown) => Number(v ?? 0);
      const rows = acts.map((a) => {
        const cost = Number(a.union_share_fen); // the union's spend: its share per person
        return {
          id: a.id,
          title: a.title,
          type: a.type,
          typeLabel: ACTIVITY_TYPE_LABELS[a.type],
          status: a.status,
          participants: num(a.participants),
          places: num(a.places),
          taken: num(a.taken),
          waitlisted: num(a.waitlisted),
          budgetFen: fen(a.budget),
          spendFen: (num(a.taken) + num(a.family)) * cost,
        };
      });
      const params = { type: q.type ?? null, from: q.from ?? null, to: q.to ?? null };
      const byTypeMap = new Map<string, { activities: number; places: number; taken: number; waitlisted: number; budgetFen: number; spendFen: number }>();
      for (const r of rows) {
        const t = byTypeMap.get(r.type) ?? { activities: 0, places: 0, taken: 0, waitlisted: 0, budgetFen: 0, spendFen: 0 };
        t.activities++;
        t.places += r.places;
        t.taken += r.taken;
        t.waitlisted += r.waitlisted;
        t.budgetFen += r.budgetFen;
        t.spendFen += r.spendFen;
        byTypeMap.set(r.type, t);
      }
      const sum = (k: 'places' | 'taken' | 'waitlisted' | 'budgetFen' | 'spendFen') => rows.reduce((s, r) => s + r[k], 0);
      const linkQuery = (extra: Record<string, string>) => ({ orgId: org.id, ...(q.from && { from: q.from }), ...(q.to && { to: q.to }), ...extra });
      return {
        orgId: org.id,
        params,
        totals: {
          activities: rows.length,
          participants: parts.total,
          places: sum('places'),
          taken: sum('taken'),
          waitlisted: sum('waitlisted'),
          budget: yuan(sum('budgetFen')),
          spend: yuan(sum('spendFen')),
        },
        byType: [...byTypeMap.entries()].map(([type, t]) => ({
          type,
          label: ACTIVITY_TYPE_LABELS[type as keyof typeof ACTIVITY_TYPE_LABELS],
          activities: t.activities,
          participants: Number(parts.byType.find((p) => p.type === type)?.n ?? 0),
          places: t.places,
          taken: t.taken,
          waitlisted: t.waitlisted,
          budget: yuan(t.budgetFen),
          spend: yuan(t.spendFen),
          link: { path: '/api/activities', query: linkQuery({ type }) },
        })),
        byActivity: [...rows]
          .sort((x, y) => y.participants - x.participants || Number(x.id) - Number(y.id))
          .slice(0, 50)
          .map(({ budgetFen, spendFen, ...r }) => ({
            ...r,
            budget: yuan(budgetFen),
            spend: yuan(spendFen),
            link: { path: `/api/activities/${r.id}/enrollments`, query: {} },
          })),
      };
    },

    // ---------------- worker ----------------
    async openToWorker(worker: WorkerActor, q: { type?: string; page: number; pageSize: number }) {
      const m = await repo.workerMember(db, worker.workerId);
      if (!m) return { items: [], total: 0, serverTime: clock.now().toISOString() };
      const all = (await repo.openToPath(db, m.org_path, { type: q.type, limit: 500, offset: 0 })).filter((a) => !ineligibility(a, m));
      const page = all.slice(offsetOf(q), offsetOf(q) + q.pageSize);
      const batches = await repo.batchesOf(
        db,
        page.map((a) => a.id),
      );
      const mine = await repo.liveOfMany(
        db,
        page.map((a) => a.id),
        m.person_id,
      );
      const now = clock.now();
      return {
        total: all.length,
        // The phone counts down on the server's clock (as on the detail), never on its own.
        serverTime: now.toISOString(),
        items: page.map((a) => {
          const e = mine.find((x) => x.activity_id === a.id);
          return {
            ...summaryDto(a, a.org_name, batches.filter((b) => b.activity_id === a.id).map(batchDto)),
            enrollState: enrollState(a, now),
            myEnrollment: e ? { id: e.id, status: e.status, statusLabel: statusLabel(e.status, a.enrollment_mode) } : null,
          };
        }),
      };
    },

    async workerDetail(worker: WorkerActor, id: string) {
      const m = await workerMember(db, worker.workerId);
      const a = await activityForWorker(db, m, id);
      if (ineligibility(a, m)) throw notFound('活动');
      const d = await load(db, a);
      const now = clock.now();
      // Why a batch is not open to this worker, before they try (the same rule the enroll checks).
      const who = eligibilityMember(m);
      const today = chinaDay(now);
      const batches = d.batches.map((b) => ({ ...b, notOpenToMe: batchIneligibility(b.eligibility, who, today) }));
      const live = await repo.liveOf(db, a.id, m.person_id);
      let myEnrollment = null;
      if (live) {
        const e = (await repo.enrollment(db, live.id))!;
        const b = (await repo.batch(db, a.id, e.batch_id))!;
        myEnrollment = await enrollmentDto(db, e, a, b);
      }
      return {
        ...d,
        batches,
        serverTime: now.toISOString(),
        opensInMs: a.opens_at ? Math.max(0, a.opens_at.getTime() - now.getTime()) : 0,
        enrollState: enrollState(a, now),
        myEnrollment,
      };
    },

    /** The rush path: reads outside the transaction, then one short transaction (audit + claim-and-insert). */
    async enroll(worker: WorkerActor, meta: RequestMeta, id: string, input: { batchId?: string; details: Record<string, unknown> }) {
      const { member: m, activity: a, batches, enrollmentId } = await repo.enrollContext(db, worker.workerId, id);
      if (!m) throw new AppError('VALIDATION_FAILED', '您还不是工会会员，入会后才能报名活动');
      if (!a || a.status === 'draft' || !m.org_path.startsWith(a.org_path)) throw notFound('活动');
      const why = ineligibility(a, m);
      if (why) throw new AppError('VALIDATION_FAILED', why);
      if (a.status !== 'published') throw new AppError('VALIDATION_FAILED', `活动${ACTIVITY_STATUSES[a.status]}，不能报名`);
      const now = clock.now();
      if (a.opens_at && now < a.opens_at) throw new AppError('VALIDATION_FAILED', `报名尚未开始，开始时间 ${chinaMinute(a.opens_at)}`);
      if ((a.closes_at && now >= a.closes_at) || a.lottery_drawn_at) throw new AppError('VALIDATION_FAILED', '报名已截止');
      let batch: BatchRow | undefined;
      if (input.batchId) batch = batches.find((b) => b.id === input.batchId);
      else if (batches.length === 1) batch = batches[0];
      else throw invalid({ batchId: '请选择批次' });
      if (!batch) throw notFound('批次');
      // The batch's own rules, from the member's record read with the activity (no extra round trip).
      const closed = batchIneligibility(batchRule(batch.eligibility), eligibilityMember(m), chinaDay(now));
      if (closed) throw new AppError('VALIDATION_FAILED', closed, { batchId: closed });

      const plugin = activityTypePlugin(a.type);
      let details = input.details;
      if (plugin?.detailsSchema) {
        const r = plugin.detailsSchema.safeParse(details);
        if (!r.success) {
          const fields: Record<string, string> = {};
          for (const issue of r.error.issues) fields[['details', ...issue.path.map(String)].join('.')] = issue.message;
          throw invalid(fields);
        }
        details = r.data as Record<string, unknown>;
      }
      const ectx: EnrollContext = {
        activity: pluginActivity(a),
        batch: pluginBatch(batch),
        member: pluginMember(m),
        personId: m.person_id,
        membershipId: m.membership_id,
        details,
        now,
      };
      const pool = plugin?.placePool?.(ectx) === 'priority' ? 'priority' : 'general';
      const familyCount = Math.max(0, Math.trunc(plugin?.familyPlaces?.(ectx) ?? 0));
      const base = {
        id: enrollmentId,
        activityId: a.id,
        batchId: batch.id,
        personId: m.person_id,
        membershipId: m.membership_id,
        workerId: worker.workerId,
        orgId: m.org_id,
        orgPath: m.org_path,
        pool,
        familyCount,
        details: JSON.stringify(details),
        now,
      } as const;

      // Type rules (e.g. once in N years) only read, so they run before the write; the write itself
      // is one statement — claim, enrollment and audit row — with no transaction round trips.
      if (plugin?.checkEligibility) await plugin.checkEligibility(db, ectx);
      const auditEntry = {
        ...auditActor(worker, meta),
        action: 'activity.enroll',
        targetType: 'activity_enrollment',
        orgId: a.org_id,
        outcome: 'success',
        detail: { activityId: a.id, batchId: batch.id, mode: a.enrollment_mode },
      } as const;
      const audit = ctx.audit.deferredInsertFrom('e', auditEntry);
      const write = async (exec: Executor) => {
        if (a.enrollment_mode !== 'fcfs') return repo.insertPending(exec, base, audit);
        let row: { id: string; status: EnrollmentStatus; position: number | null } | undefined;
        if (pool === 'priority') row = await repo.claimAndInsert(exec, { ...base, waitlistIfFull: false }, audit);
        return row ?? (await repo.claimAndInsert(exec, { ...base, pool: 'general', waitlistIfFull: true }, audit))!;
      };
      try {
        const reserve = plugin?.reserve;
        const row: { id: string; status: EnrollmentStatus; position?: number | null } = reserve
          ? await db.transaction().execute(async (trx) => {
              await reserve(trx, ectx);
              return write(trx);
            })
          : a.enrollment_mode === 'fcfs' && pool === 'general' && familyCount === 0
            ? // the rush: grouped with the other enrollments of this batch, one durable commit per group
              await rush(batch.id, { claim: base, audit: ctx.audit.deferredRow(auditEntry) })
            : await claimGate(batch.id, () => write(db));
        return this.enrollResult(a, batch, row.id, row.status, pool, familyCount, details, now, row.position ?? null);
      } catch (err) {
        if (isUniqueViolation(err, 'activity_enrollments_one_live')) throw conflict('您已报名该活动');
        throw err;
      }
    },

    enrollResult(
      a: ActivityRow,
      b: BatchRow,
      id: string,
      status: EnrollmentStatus,
      pool: 'general' | 'priority',
      familyCount: number,
      details: Record<string, unknown>,
      now: Date,
      position: number | null,
    ) {
      return {
        id,
        activity: { id: a.id, title: a.title, type: a.type, typeLabel: ACTIVITY_TYPE_LABELS[a.type] },
        batch: { id: b.id, title: b.title, startsOn: asDay(b.starts_on), endsOn: asDay(b.ends_on) },
        status,
        statusLabel: statusLabel(status, a.enrollment_mode),
        pool,
        familyCount,
        waitlistPosition: position,
        details,
        createdAt: now.toISOString(),
        enrolledAt: status === 'enrolled' ? now.toISOString() : null,
        promotedAt: null,
        cancelledAt: null,
        reason: null,
        canCancel: !a.cancel_deadline || now < a.cancel_deadline,
      };
    },

    async mine(worker: WorkerActor) {
      const rows = await repo.mine(db, worker.workerId);
      const items = [];
      for (const r of rows) {
        items.push(
          await enrollmentDto(
            db,
            r,
            { id: r.activity_id, title: r.activity_title, type: r.activity_type, enrollment_mode: 'fcfs', cancel_deadline: r.cancel_deadline },
            { title: r.batch_title, starts_on: r.batch_starts_on, ends_on: r.batch_ends_on },
          ),
        );
      }
      // pending reads 待抽签 for lottery activities
      const modes = new Map((await repo.modesOf(db, [...new Set(rows.map((r) => r.activity_id))])).map((x) => [x.id, x.enrollment_mode]));
      for (const it of items) if (it.status === 'pending') it.statusLabel = statusLabel('pending', modes.get(it.activity.id) ?? 'approval');
      return { items };
    },

    async mineOne(worker: WorkerActor, id: string) {
      const e = await repo.enrollmentOfWorker(db, worker.workerId, id);
      if (!e) throw notFound('报名记录');
      const a = (await repo.byId(db, e.activity_id))!;
      const b = (await repo.batch(db, a.id, e.batch_id))!;
      return enrollmentDto(db, e, a, b);
    },

    async cancel(worker: WorkerActor, meta: RequestMeta, id: string) {
      let promoted: { workerId: string | null; id: string }[] = [];
      let title = '';
      const out = await db.transaction().execute(async (trx) => {
        const e = await repo.enrollmentOfWorker(trx, worker.workerId, id, true);
        if (!e) throw notFound('报名记录');
        if (!['pending', 'enrolled', 'waitlisted'].includes(e.status))
          throw new AppError('VALIDATION_FAILED', `该报名当前为“${ENROLLMENT_STATUSES[e.status]}”，不能取消`);
        const a = (await repo.byId(trx, e.activity_id))!;
        title = a.title;
        const now = clock.now();
        if (a.cancel_deadline && now >= a.cancel_deadline)
          throw new AppError('VALIDATION_FAILED', `已过取消截止时间（${chinaMinute(a.cancel_deadline)}），不能取消`);
        const heldPlace = e.status === 'enrolled' && e.taken_pool;
        const updated = await repo.setEnrollment(trx, e.id, { status: 'cancelled', taken_pool: null, cancelled_at: now }, now);
        const entry = auditActor(worker, meta);
        // Lock order everywhere: the batch row first, then the audit chain (no deadlock with a review).
        if (heldPlace) {
          await repo.release(trx, e.batch_id, e.taken_pool!, e.family_count);
          if (a.status === 'published') promoted = await promote(trx, entry, a, e.batch_id);
        }
        await ctx.audit.append(trx, {
          ...entry,
          action: 'activity.enroll.cancel',
          targetType: 'activity_enrollment',
          targetId: e.id,
          orgId: a.org_id,
          outcome: 'success',
          detail: { activityId: a.id, batchId: e.batch_id, from: e.status, promoted: promoted.map((p) => p.id) },
        });
        const b = (await repo.batch(trx, a.id, e.batch_id))!;
        return enrollmentDto(trx, updated, a, b);
      });
      await smsPromoted({ title }, promoted);
      return out;
    },
  };
}

export type ActivitiesService = ReturnType<typeof createActivitiesService>;
