// 困难职工档案: one file per household (the database holds the rule), the national establishment
// flow as a versioned state machine with a timeline, yearly review, 结对帮扶 and the aid given.
import { chinaDay } from '../../platform/china-time.js';
import { isUniqueViolation } from '../../db/errors.js';
import { loadExcel } from '../../platform/excel.js';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { HardshipFilesTable } from '../../db/schema-hardship.js';
import type { Updateable } from 'kysely';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { maskIdNumber } from '../../platform/validators.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import type { AidService } from '../aid/aid.service.js';
import { fenOf, fromFen, yuan } from '../../platform/money.js';
import { escapeCell } from '../../platform/spreadsheet.js';
import { ID_DOMAIN } from '../members/members.people.js';
import { hardshipRepository } from './hardship.repository.js';
import { CLOSED_STATUSES, HARDSHIP_CAUSES, HARDSHIP_STATUSES, causeLabel, type HardshipStatus } from './hardship.constants.js';
import type { FileContent, FilesQuery } from './hardship.schema.js';

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

const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
const plusYear = (day: string) => {
  const [y, m, d] = day.split('-');
  const next = `${Number(y) + 1}-${m}-${d}`;
  return m === '02' && d === '29' ? `${Number(y) + 1}-02-28` : next;
};
const actorName = (a: StaffActor) => `${a.displayName}（${a.username}）`;
/** The county-level org of a path /1/<county>/…: its first two segments. */
const countyPathOf = (path: string) => {
  const parts = path.split('/').filter(Boolean);
  return parts.length >= 2 ? `/${parts[0]}/${parts[1]}/` : path;
};
const fileNo = (id: string) => `KN${id.padStart(6, '0')}`;
/** The county-level union of a file: the second id of its path (/1/<county>/…), the city for a city-level file. */
const countyOrgIdOf = (path: string) => {
  const ids = path.split('/').filter(Boolean);
  return ids[1] ?? ids[0]!;
};
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Staff are reminded of a yearly review this many days before it falls due (and when it is overdue). */
export const REVIEW_REMIND_DAYS = 30;

/**
 * What a transition tells people: the staff who act next (a union and the permission they need)
 * and, when the household head has an H5 account, the head (in-app now, SMS after commit).
 * Never the ID number or income; reasons stay on the file, where access is checked.
 */
interface Notice {
  staff?: { orgId: string; permission: 'hardship:write' | 'hardship:approve'; title: string; body: string };
  worker?: { title: string; body: string };
}

type FileRow = NonNullable<Awaited<ReturnType<typeof hardshipRepository.fileInScope>>>;
type ListRow = Awaited<ReturnType<typeof hardshipRepository.list>>['items'][number];

const summary = (f: ListRow | FileRow, today: string) => ({
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

export function createHardshipService(ctx: ModuleContext & { aid: AidService }) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  /** Household figures in fen: never floats. Per capita rounds half up to the fen. */
  function household(content: FileContent) {
    const size = 1 + content.family.length;
    const income = fenOf(content.headMonthlyIncome) + content.family.reduce((s, m) => s + fenOf(m.monthlyIncome), 0n);
    const perCapita = (income * 2n + BigInt(size)) / (2n * BigInt(size));
    return { household_size: size, household_income: fromFen(income), per_capita_income: fromFen(perCapita) };
  }

  /** Rows for the family table; on an edit, a member sent with its `id` and no new ID number keeps the stored one. */
  function familyRows(
    fileId: string,
    content: FileContent,
    existing: { id: string; id_enc: string | null; id_bidx: string | null; id_masked: string | null }[] = [],
  ) {
    return content.family.map((m, i) => {
      const kept = !m.idNumber && m.id ? existing.find((e) => e.id === m.id) : undefined;
      return {
        file_id: fileId,
        name: m.name,
        relation: m.relation,
        id_enc: m.idNumber ? ctx.crypto.encrypt(m.idNumber) : (kept?.id_enc ?? null),
        id_bidx: m.idNumber ? ctx.crypto.blindIndex(`resident_id:${m.idNumber}`, ID_DOMAIN) : (kept?.id_bidx ?? null),
        id_masked: m.idNumber ? maskIdNumber(m.idNumber) : (kept?.id_masked ?? null),
        health: m.health ?? null,
        work: m.work ?? null,
        monthly_income: m.monthlyIncome,
        sort: i,
      };
    });
  }

  function householdKeys(headBidx: string, family: { id_bidx: string | null }[]) {
    const keys: { id_bidx: string; role: 'head' | 'family' }[] = [{ id_bidx: headBidx, role: 'head' }];
    for (const m of family) {
      if (!m.id_bidx) continue;
      if (keys.some((k) => k.id_bidx === m.id_bidx)) throw invalid({ family: '家庭成员身份证号重复（或与户主相同）' });
      keys.push({ id_bidx: m.id_bidx, role: 'family' });
    }
    return keys;
  }

  const duplicateMessage = (orgName: string, id: string) => `该家庭已有困难职工档案（所属工会：${orgName}，档案编号 ${fileNo(id)}），一户只能建一份档案`;

  async function assertHouseholdFree(trx: Transaction<DB>, bidxs: string[], exceptFileId?: string) {
    const existing = await hardshipRepository.openFileHolding(trx, bidxs, exceptFileId);
    if (existing) throw new AppError('CONFLICT', duplicateMessage(existing.org_name, existing.id));
  }

  /** A unique violation of the one-open-file index (two at once): answer with the file that won. */
  async function rethrowDuplicate(err: unknown, bidxs: string[], exceptFileId?: string): Promise<never> {
    if (isUniqueViolation(err, 'hardship_one_open_file')) {
      const existing = await hardshipRepository.openFileHolding(db, bidxs, exceptFileId);
      throw new AppError('CONFLICT', existing ? duplicateMessage(existing.org_name, existing.id) : '该家庭已有困难职工档案，一户只能建一份档案');
    }
    throw err;
  }

  async function fileOrThrow(executor: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const f = await hardshipRepository.fileInScope(executor, actor.orgPath, id);
    if (!f) throw notFound('困难职工档案');
    return f;
  }

  /**
   * One transition: the file must be in one of `from` and at `version`; it moves to `to` (or stays),
   * with a timeline event and an audit row, all in one transaction. `extra` runs inside it first.
   */
  async function transition(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    t: {
      version: number;
      from: HardshipStatus[];
      to?: HardshipStatus;
      action: string;
      comment?: string | null;
      patch?: Updateable<HardshipFilesTable> | ((f: FileRow) => Updateable<HardshipFilesTable>);
      check?: (f: FileRow) => void;
      extra?: (trx: Transaction<DB>, f: FileRow) => Promise<void>;
      notify?: (f: FileRow) => Notice;
    },
  ) {
    const sms = await db.transaction().execute(async (trx) => {
      const f = await fileOrThrow(trx, actor, id);
      if (f.version !== t.version) throw conflict('档案已被他人处理，请刷新后重试');
      if (!t.from.includes(f.status))
        throw new AppError('CONFLICT', `档案当前状态为「${HARDSHIP_STATUSES[f.status]}」，不能${HARDSHIP_ACTIONS[t.action] ?? '执行此操作'}`);
      t.check?.(f);
      const at = now();
      const patch = typeof t.patch === 'function' ? t.patch(f) : t.patch;
      const moved = await hardshipRepository.update(trx, id, t.version, { ...patch, ...(t.to && { status: t.to }), updated_at: at });
      if (!moved) throw conflict('档案已被他人处理，请刷新后重试');
      if (t.to && CLOSED_STATUSES.includes(t.to)) await hardshipRepository.closeKeys(trx, id);
      await t.extra?.(trx, f);
      await hardshipRepository.insertEvent(trx, {
        file_id: id,
        action: t.action,
        from_status: f.status,
        to_status: t.to ?? f.status,
        comment: t.comment ?? null,
        actor_id: actor.accountId,
        actor_name: actorName(actor),
        at,
      });
      await ctx.audit.append(trx, {
        ...auditActor(actor, meta),
        action: `hardship.${t.action}`,
        targetType: 'hardship_file',
        targetId: id,
        orgId: f.org_id,
        outcome: 'success',
        detail: { from: f.status, to: t.to ?? f.status, comment: t.comment ?? null },
      });
      return t.notify ? send(trx, f, t.notify(f)) : null;
    });
    if (sms) await ctx.messages.smsWorker(sms.workerId, sms.text);
    return service.get(actor, id);
  }

  /** Writes a transition's messages in its transaction; returns the SMS to send after the commit. */
  async function send(trx: Transaction<DB>, f: FileRow, n: Notice) {
    if (n.staff) {
      const { orgId, permission, title, body } = n.staff;
      await ctx.messages.sendToStaff(trx, { orgId, permission }, { title, body, link: `/admin/#/hardship/${f.id}`, category: 'hardship' });
    }
    if (!n.worker || !f.head_worker_id) return null;
    await ctx.messages.send(trx, { workerId: f.head_worker_id }, { title: n.worker.title, body: n.worker.body, category: 'hardship' });
    return { workerId: f.head_worker_id, text: n.worker.body };
  }

  /** `<union><head>的困难职工档案（KN…）`: how staff messages name a file. */
  const fileLabel = (f: FileRow) => `${f.org_name}${f.head_name}的困难职工档案（${fileNo(f.id)}）`;
  const toUnion = (f: FileRow, title: string, body: string): Notice['staff'] => ({ orgId: f.org_id, permission: 'hardship:write', title, body });
  const toCounty = (f: FileRow, title: string, body: string): Notice['staff'] => ({
    orgId: countyOrgIdOf(f.org_path),
    permission: 'hardship:approve',
    title,
    body,
  });

  /** Appends to an open file without moving it (pairings, visits): timeline + audit. */
  async function record(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    action: string,
    comment: string | null,
    statuses: HardshipStatus[],
    body: (trx: Transaction<DB>, f: FileRow) => Promise<{ detail: Record<string, unknown>; comment?: string }>,
  ) {
    await db.transaction().execute(async (trx) => {
      const f = await fileOrThrow(trx, actor, id);
      if (!statuses.includes(f.status)) throw new AppError('CONFLICT', `档案当前状态为「${HARDSHIP_STATUSES[f.status]}」，不能${HARDSHIP_ACTIONS[action]}`);
      const { detail, comment: done } = await body(trx, f);
      await hardshipRepository.insertEvent(trx, {
        file_id: id,
        action,
        from_status: f.status,
        to_status: f.status,
        comment: done ?? comment,
        actor_id: actor.accountId,
        actor_name: actorName(actor),
        at: now(),
      });
      await ctx.audit.append(trx, {
        ...auditActor(actor, meta),
        action: `hardship.${action}`,
        targetType: 'hardship_file',
        targetId: id,
        orgId: f.org_id,
        outcome: 'success',
        detail,
      });
    });
  }

  const service = {
    causes() {
      return { items: Object.entries(HARDSHIP_CAUSES).map(([code, label]) => ({ code, label })) };
    },

    async create(actor: StaffActor, meta: RequestMeta, input: FileContent & { membershipId: string }) {
      const head = await hardshipRepository.membershipInScope(db, actor.orgPath, input.membershipId);
      if (!head) throw notFound('会员');
      if (head.status !== 'active' && head.status !== 'retained') throw invalid({ membershipId: '户主须为在籍会员' });
      const familyBidx = familyRows('0', input).map((r) => ({ id_bidx: r.id_bidx }));
      const keys = householdKeys(head.id_bidx, familyBidx);
      const bidxs = keys.map((k) => k.id_bidx);
      let id: string;
      try {
        id = await db.transaction().execute(async (trx) => {
          await assertHouseholdFree(trx, bidxs);
          const at = now();
          const file = await hardshipRepository.insertFile(trx, {
            org_id: head.org_id,
            membership_id: head.id,
            head_person_id: head.person_id,
            main_cause: input.mainCause,
            secondary_causes: JSON.stringify(input.secondaryCauses.filter((c) => c !== input.mainCause)),
            head_health: input.headHealth ?? null,
            head_work: input.headWork ?? null,
            head_monthly_income: input.headMonthlyIncome,
            ...household(input),
            address: input.address ?? null,
            situation: input.situation,
            created_by: actorName(actor),
            updated_at: at,
          });
          await hardshipRepository.insertFamily(trx, familyRows(file.id, input));
          await hardshipRepository.replaceKeys(trx, file.id, keys);
          await hardshipRepository.insertEvent(trx, {
            file_id: file.id,
            action: 'submit',
            from_status: null,
            to_status: 'submitted',
            comment: null,
            actor_id: actor.accountId,
            actor_name: actorName(actor),
            at,
          });
          await ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'hardship.submit',
            targetType: 'hardship_file',
            targetId: file.id,
            orgId: head.org_id,
            outcome: 'success',
            detail: { membershipId: head.id, mainCause: input.mainCause, householdSize: 1 + input.family.length },
          });
          return file.id;
        });
      } catch (err) {
        return rethrowDuplicate(err, bidxs);
      }
      return service.get(actor, id);
    },

    /** Changes the content while the file waits for the grassroots review (e.g. after a return). */
    async update(actor: StaffActor, meta: RequestMeta, id: string, input: FileContent & { version: number }) {
      const current = await fileOrThrow(db, actor, id);
      const headBidx = (await hardshipRepository.membershipInScope(db, actor.orgPath, current.membership_id))?.id_bidx;
      if (!headBidx) throw notFound('困难职工档案');
      const rows = familyRows(id, input, await hardshipRepository.family(db, id));
      const keys = householdKeys(
        headBidx,
        rows.map((r) => ({ id_bidx: r.id_bidx })),
      );
      const bidxs = keys.map((k) => k.id_bidx);
      try {
        return await transition(actor, meta, id, {
          version: input.version,
          from: ['submitted'],
          action: 'edit',
          patch: {
            main_cause: input.mainCause,
            secondary_causes: JSON.stringify(input.secondaryCauses.filter((c) => c !== input.mainCause)),
            head_health: input.headHealth ?? null,
            head_work: input.headWork ?? null,
            head_monthly_income: input.headMonthlyIncome,
            ...household(input),
            address: input.address ?? null,
            situation: input.situation,
          },
          extra: async (trx) => {
            await assertHouseholdFree(trx, bidxs, id);
            await hardshipRepository.deleteFamily(trx, id);
            await hardshipRepository.insertFamily(trx, rows);
            await hardshipRepository.replaceKeys(trx, id, keys);
          },
        });
      } catch (err) {
        return rethrowDuplicate(err, bidxs, id);
      }
    },

    firstReview(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; action: 'approve' | 'reject'; comment?: string }) {
      if (input.action === 'reject' && !input.comment) throw invalid({ comment: '驳回须填写理由' });
      return transition(actor, meta, id, {
        version: input.version,
        from: ['submitted'],
        to: input.action === 'approve' ? 'visiting' : 'rejected',
        action: input.action === 'approve' ? 'first_approve' : 'first_reject',
        comment: input.comment ?? null,
        patch: input.action === 'reject' ? { reject_reason: input.comment ?? null } : {},
        notify: (f) =>
          input.action === 'approve'
            ? { staff: toCounty(f, '困难职工档案通过基层初审', `${fileLabel(f)}已通过基层初审，入户核实后报县级审核。`) }
            : { staff: toUnion(f, '困难职工档案基层初审驳回', `${fileLabel(f)}未通过基层初审，驳回理由见档案。`) },
      });
    },

    visit(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: { version: number; visitedOn: string; visitors: string; findings: string; photos?: string[] },
    ) {
      if (input.visitedOn > chinaDay(now())) throw invalid({ visitedOn: '核实日期不能晚于今天' });
      return transition(actor, meta, id, {
        version: input.version,
        from: ['visiting'],
        to: 'county_review',
        action: 'visit',
        comment: `${input.visitedOn} ${input.visitors}：${input.findings}`,
        extra: async (trx) => {
          await hardshipRepository.insertVisit(trx, {
            file_id: id,
            visited_on: input.visitedOn,
            visitors: input.visitors,
            findings: input.findings,
            photos: JSON.stringify(input.photos ?? []),
            recorded_by: actorName(actor),
            at: now(),
          });
        },
        notify: (f) => ({ staff: toCounty(f, '困难职工档案待县级审核', `${fileLabel(f)}已完成入户核实，请进行县级审核。`) }),
      });
    },

    countyReview(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: { version: number; action: 'approve' | 'reject'; comment?: string; noticeStart?: string; noticeEnd?: string },
    ) {
      if (input.action === 'reject' && !input.comment) throw invalid({ comment: '驳回须填写理由' });
      if (input.action === 'approve') {
        if (!input.noticeStart || !input.noticeEnd) throw invalid({ noticeStart: '请填写公示起止日期' });
        if (dayNumber(input.noticeEnd) - dayNumber(input.noticeStart) + 1 < NOTICE_MIN_DAYS) {
          throw invalid({ noticeEnd: `公示期不少于 ${NOTICE_MIN_DAYS} 天` });
        }
        if (input.noticeStart < chinaDay(now())) throw invalid({ noticeStart: '公示开始日期不能早于今天' });
      }
      return transition(actor, meta, id, {
        version: input.version,
        from: ['county_review'],
        to: input.action === 'approve' ? 'notice' : 'rejected',
        action: input.action === 'approve' ? 'county_approve' : 'county_reject',
        comment:
          input.action === 'approve' ? `公示 ${input.noticeStart} 至 ${input.noticeEnd}${input.comment ? `；${input.comment}` : ''}` : (input.comment ?? null),
        check: (f) => {
          // The county-level union (or the city above it) reviews, not the grassroots or the town.
          if (!countyPathOf(f.org_path).startsWith(actor.orgPath)) throw new AppError('FORBIDDEN', '困难职工档案须由县级工会审核');
        },
        patch: input.action === 'approve' ? { notice_start: input.noticeStart!, notice_end: input.noticeEnd! } : { reject_reason: input.comment ?? null },
        notify: (f) =>
          input.action === 'approve'
            ? {
                staff: toUnion(
                  f,
                  '困难职工档案进入公示',
                  `${fileLabel(f)}已通过县级审核，公示期 ${input.noticeStart} 至 ${input.noticeEnd}。请组织公示，登记异议；公示期满后办理建档。`,
                ),
              }
            : { staff: toUnion(f, '困难职工档案县级审核驳回', `${fileLabel(f)}未通过县级审核，驳回理由见档案。`) },
      });
    },

    objection(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: { version: number; raisedBy: string; content: string; outcome: 'upheld' | 'dismissed'; handling?: string },
    ) {
      const upheld = input.outcome === 'upheld';
      return transition(actor, meta, id, {
        version: input.version,
        from: ['notice'],
        ...(upheld && { to: 'submitted' as const }),
        action: upheld ? 'objection_upheld' : 'objection_dismissed',
        comment: `${input.raisedBy}：${input.content}${input.handling ? `（处理：${input.handling}）` : ''}`,
        patch: upheld ? { notice_start: null, notice_end: null } : {},
        extra: async (trx) => {
          await hardshipRepository.insertObjection(trx, {
            file_id: id,
            raised_by: input.raisedBy,
            content: input.content,
            outcome: input.outcome,
            handling: input.handling ?? null,
            recorded_by: actorName(actor),
            at: now(),
          });
        },
        // The objection itself (who raised it, what it says) stays on the file: the head is not told who objected.
        notify: (f) =>
          upheld
            ? {
                staff: toUnion(f, '公示异议成立，档案退回重审', `${fileLabel(f)}公示期间的异议经核实成立，档案已退回待基层初审，请核实后修改并重新初审。`),
                worker: {
                  title: '困难职工建档申请需补充核实',
                  body: `您家庭的困难职工建档申请（${fileNo(f.id)}）在公示期间需要重新核实，${f.org_name}将与您联系补充或更正材料。`,
                },
              }
            : { staff: toUnion(f, '公示异议已登记（不成立）', `${fileLabel(f)}公示期间的异议经核实不成立，公示期满（${f.notice_end}）后可办理建档。`) },
      });
    },

    establish(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; comment?: string }) {
      const today = chinaDay(now());
      return transition(actor, meta, id, {
        version: input.version,
        from: ['notice'],
        to: 'established',
        action: 'establish',
        comment: input.comment ?? null,
        check: (f) => {
          if (!f.notice_end || today <= f.notice_end) throw new AppError('CONFLICT', `公示期至 ${f.notice_end ?? '—'} 结束，公示期满后方可建档`);
        },
        patch: { established_at: now(), review_due_on: plusYear(today) },
        notify: (f) => ({
          staff: toUnion(f, '困难职工档案已建档', `${fileLabel(f)}已建档，年度复核到期日 ${plusYear(today)}。`),
          worker: {
            title: '您家庭已建立困难职工档案',
            body: `您家庭的困难职工档案（${fileNo(f.id)}）已由${f.org_name}建档，工会将按规定开展帮扶；档案每年复核一次，下次复核时间 ${plusYear(today)}。`,
          },
        }),
      });
    },

    yearlyReview(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; decision: 'continue' | 'close'; reason: string }) {
      const close = input.decision === 'close';
      return transition(actor, meta, id, {
        version: input.version,
        from: ['established'],
        ...(close && { to: 'closed' as const }),
        action: close ? 'review_close' : 'review_continue',
        comment: input.reason,
        patch: (f) => (close ? { closed_at: now(), closed_reason: input.reason } : { review_due_on: plusYear(f.review_due_on ?? chinaDay(now())) }),
        extra: async (trx) => {
          const year = Number(chinaDay(now()).slice(0, 4));
          await hardshipRepository.insertReview(trx, {
            file_id: id,
            year,
            decision: input.decision,
            reason: input.reason,
            reviewed_by: actorName(actor),
            at: now(),
          });
        },
        notify: (f) =>
          close
            ? {
                staff: toUnion(f, '困难职工档案解困脱困', `${fileLabel(f)}经年度复核解困脱困，档案已结档。`),
                worker: {
                  title: '您家庭已解困脱困',
                  body: `经年度复核，您家庭的困难职工档案（${fileNo(f.id)}）已办理解困脱困。如再遇困难，可随时联系${f.org_name}。`,
                },
              }
            : {},
      });
    },

    /**
     * Messages the union's hardship:write staff about established files whose yearly review falls due
     * within REVIEW_REMIND_DAYS or is overdue: once per file and review year, claimed in
     * hardship_review_reminders (daily job; tests call it directly).
     */
    async sendReviewReminders() {
      const today = chinaDay(now());
      const until = addDays(today, REVIEW_REMIND_DAYS);
      let sent = 0;
      for (;;) {
        const batch = await hardshipRepository.reviewsDueUnreminded(db, until, 200);
        if (!batch.length) break;
        for (const f of batch) {
          const due = f.review_due_on!;
          const reviewYear = Number(due.slice(0, 4));
          const ok = await db.transaction().execute(async (trx) => {
            const claimed = await hardshipRepository.claimReviewReminder(trx, {
              file_id: f.id,
              review_year: reviewYear,
              due_on: due,
              org_id: f.org_id,
              sent_at: now(),
            });
            if (!claimed) return false;
            const when = due < today ? `已于 ${due} 到期，请尽快复核` : `将于 ${due} 到期，请在到期前完成复核`;
            await ctx.messages.sendToStaff(
              trx,
              { orgId: f.org_id, permission: 'hardship:write' },
              {
                title: `年度复核提醒：困难职工档案 ${fileNo(f.id)}`,
                body: `${f.head_name}的困难职工档案（${fileNo(f.id)}）${reviewYear} 年度复核${when}（继续帮扶或解困脱困）。`,
                link: `/admin/#/hardship/${f.id}`,
                category: 'hardship',
              },
            );
            await ctx.audit.append(trx, {
              actorType: 'system',
              actorId: null,
              actorName: '系统',
              action: 'hardship.remind',
              targetType: 'hardship_file',
              targetId: f.id,
              orgId: f.org_id,
              outcome: 'success',
              detail: { reviewYear, dueOn: due },
            });
            return true;
          });
          if (ok) sent++;
        }
        if (batch.length < 200) break;
      }
      return sent;
    },

    /** 帮扶资金 for this household: paid from a budget in the same transaction as the file's timeline. */
    async recordAid(actor: StaffActor, meta: RequestMeta, id: string, input: { budgetId: string; amount: string; note?: string }) {
      let result: Awaited<ReturnType<AidService['disburseIn']>> | undefined;
      await record(actor, meta, id, 'aid', null, ['established'], async (trx, f) => {
        const budget = await ctx.aid.budgetForPayment(trx, actor, input.budgetId);
        result = await ctx.aid.disburseIn(trx, {
          audit: auditActor(actor, meta),
          ...budget,
          amount: input.amount,
          personId: f.head_person_id,
          hardshipFileId: id,
          cause: f.main_cause,
          note: input.note ?? `困难职工档案 ${fileNo(id)}`,
        });
        return {
          detail: { ...result, amount: input.amount },
          comment: `${budget.year} 年度「${budget.fundName}」${input.amount} 元${input.note ? `：${input.note}` : ''}`,
        };
      });
      return result!;
    },

    async addPairing(actor: StaffActor, meta: RequestMeta, id: string, input: { kind: 'unit' | 'cadre'; name: string; contact?: string; startedOn: string }) {
      await record(actor, meta, id, 'pairing', `${input.kind === 'unit' ? '结对单位' : '结对干部'}：${input.name}`, ['established'], async (trx) => {
        const p = await hardshipRepository.insertPairing(trx, {
          file_id: id,
          kind: input.kind,
          name: input.name,
          contact: input.contact ?? null,
          started_on: input.startedOn,
          created_by: actorName(actor),
          at: now(),
        });
        return { detail: { pairingId: p.id, kind: input.kind, name: input.name } };
      });
      return service.get(actor, id);
    },

    async addPairingVisit(actor: StaffActor, meta: RequestMeta, id: string, pairingId: string, input: { visitedOn: string; notes: string }) {
      if (input.visitedOn > chinaDay(now())) throw invalid({ visitedOn: '走访日期不能晚于今天' });
      await record(actor, meta, id, 'pairing_visit', `${input.visitedOn}：${input.notes}`, ['established', 'closed'], async (trx) => {
        if (!(await hardshipRepository.pairingOfFile(trx, id, pairingId))) throw notFound('结对帮扶');
        await hardshipRepository.insertPairingVisit(trx, {
          pairing_id: pairingId,
          visited_on: input.visitedOn,
          notes: input.notes,
          recorded_by: actorName(actor),
          at: now(),
        });
        return { detail: { pairingId, visitedOn: input.visitedOn } };
      });
      return service.get(actor, id);
    },

    /** A family member's full ID number, for a holder of member:reveal, with a stated reason; audited. (The head's: /api/members/:membershipId/reveal.) */
    async revealFamilyId(actor: StaffActor, meta: RequestMeta, id: string, memberId: string, reason: string) {
      const f = await fileOrThrow(db, actor, id);
      const member = await hardshipRepository.familyMember(db, id, memberId);
      if (!member) throw notFound('家庭成员');
      await ctx.audit.record({
        ...auditActor(actor, meta),
        action: 'hardship.reveal',
        targetType: 'hardship_family_member',
        targetId: member.id,
        orgId: f.org_id,
        outcome: 'success',
        detail: { fileId: id, field: 'idNumber', reason },
      });
      return { field: 'idNumber' as const, value: member.id_enc ? ctx.crypto.decrypt(member.id_enc) : null };
    },

    async list(actor: StaffActor, q: FilesQuery) {
      const orgPath = q.orgId ? (await ctx.orgs.findInScope(actor, q.orgId))?.path : undefined;
      if (q.orgId && !orgPath) throw notFound('组织');
      const { items, total } = await hardshipRepository.list(db, actor.orgPath, {
        status: q.status,
        cause: q.cause,
        orgPath,
        reviewDueYear: q.reviewDueYear,
        q: q.q,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      const today = chinaDay(now());
      return { items: items.map((f) => summary(f, today)), total };
    },

    async get(actor: StaffActor, id: string) {
      const f = await fileOrThrow(db, actor, id);
      const family = await hardshipRepository.family(db, id);
      const visits = await hardshipRepository.visits(db, id);
      const objections = await hardshipRepository.objections(db, id);
      const reviews = await hardshipRepository.reviews(db, id);
      const pairings = await hardshipRepository.pairings(db, id);
      const pairingVisits = await hardshipRepository.pairingVisits(db, id);
      const events = await hardshipRepository.events(db, id);
      const aid = await ctx.aid.ofFile(db, id, f.head_person_id);
      return {
        ...summary(f, chinaDay(now())),
        secondaryCauses: f.secondary_causes.map((code) => ({ code, label: causeLabel(code) })),
        headHealth: f.head_health,
        headWork: f.head_work,
        headMonthlyIncome: yuan(f.head_monthly_income),
        householdIncome: yuan(f.household_income),
        address: f.address,
        situation: f.situation,
        family: family.map((m) => ({
          id: m.id,
          name: m.name,
          relation: m.relation,
          idMasked: m.id_masked,
          health: m.health,
          work: m.work,
          monthlyIncome: yuan(m.monthly_income),
        })),
        visits: visits.map((v) => ({
          id: v.id,
          visitedOn: v.visited_on,
          visitors: v.visitors,
          findings: v.findings,
          photos: v.photos,
          recordedBy: v.recorded_by,
          at: v.at,
        })),
        notice: f.notice_start && f.notice_end ? { start: f.notice_start, end: f.notice_end } : null,
        objections: objections.map((o) => ({
          id: o.id,
          raisedBy: o.raised_by,
          content: o.content,
          outcome: o.outcome,
          outcomeLabel: o.outcome === 'upheld' ? '异议成立' : '异议不成立',
          handling: o.handling,
          recordedBy: o.recorded_by,
          at: o.at,
        })),
        reviews: reviews.map((r) => ({
          id: r.id,
          year: r.year,
          decision: r.decision,
          decisionLabel: r.decision === 'close' ? '解困脱困' : '继续帮扶',
          reason: r.reason,
          reviewedBy: r.reviewed_by,
          at: r.at,
        })),
        pairings: pairings.map((p) => ({
          id: p.id,
          kind: p.kind,
          kindLabel: p.kind === 'unit' ? '结对单位' : '结对干部',
          name: p.name,
          contact: p.contact,
          startedOn: p.started_on,
          visits: pairingVisits
            .filter((v) => v.pairing_id === p.id)
            .map((v) => ({ id: v.id, visitedOn: v.visited_on, notes: v.notes, recordedBy: v.recorded_by, at: v.at })),
        })),
        aid,
        timeline: events.map((e) => ({
          id: e.id,
          action: e.action,
          actionLabel: HARDSHIP_ACTIONS[e.action] ?? e.action,
          fromStatus: e.from_status,
          toStatus: e.to_status,
          comment: e.comment,
          actorName: e.actor_name,
          at: e.at,
        })),
        rejectReason: f.reject_reason,
        closedReason: f.closed_reason,
        closedAt: f.closed_at,
      };
    },

    async exportXlsx(actor: StaffActor, meta: RequestMeta, q: Omit<FilesQuery, 'page' | 'pageSize'>) {
      const { items } = await service.list(actor, { ...q, page: 1, pageSize: 10_000 } as FilesQuery);
      const wb = new (await loadExcel()).Workbook();
      const ws = wb.addWorksheet('困难职工档案');
      ws.addRow(['档案编号', '状态', '所属工会', '户主', '身份证号', '手机号', '主要致困原因', '家庭人口', '人均月收入（元）', '复核到期', '建档时间']);
      for (const f of items) {
        ws.addRow([
          f.fileNo,
          f.statusLabel,
          escapeCell(f.org.name),
          escapeCell(f.head.name),
          f.head.idMasked,
          f.head.phoneMasked ?? '',
          f.mainCauseLabel,
          f.householdSize,
          f.perCapitaIncome,
          f.reviewDueOn ?? '',
          f.establishedAt ? chinaDay(f.establishedAt) : '',
        ]);
      }
      ws.columns.forEach((c, i) => (c.width = [12, 10, 24, 10, 20, 14, 14, 8, 14, 12, 12][i]));
      await db.transaction().execute((trx) =>
        ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'hardship.export',
          targetType: 'hardship_file',
          orgId: actor.orgId,
          outcome: 'success',
          detail: { rows: items.length, filters: q },
        }),
      );
      const stamp = chinaDay(now()).replace(/-/g, '');
      return {
        buffer: Buffer.from(await wb.xlsx.writeBuffer()),
        rows: items.length,
        fileName: `困难职工档案-${stamp}.xlsx`,
        asciiName: `hardship-files-${stamp}.xlsx`,
      };
    },
  };
  return service;
}

export type HardshipService = ReturnType<typeof createHardshipService>;
