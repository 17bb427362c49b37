// The real-name roll: people (identity, encrypted with blind indexes), memberships (one live
// membership per person, enforced by a partial unique index), and the 会籍 events.
import { chinaDay } from '../../platform/china-time.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Kysely, Transaction } from 'kysely';
import type { DB, Membership, MembershipSource, Person } from '../../db/schema.js';
import type { AppDeps, RequestMeta, StaffActor } from '../../platform/context.js';
import { maskPhone, type FieldCrypto } from '../../platform/crypto.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { isMainlandMobile, maskIdNumber, normaliseWidth, parseResidentId } from '../../platform/validators.js';
import { auditActor, type AuditEntry, type AuditService } from '../audit/audit.service.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import { membersRepository, ROLL_TOTAL_CAP, type RollFilters } from './members.repository.js';
import { ID_DOMAIN, PHONE_DOMAIN, personRecord, pinyinOf } from './members.people.js';
import { EMPLOYMENT_FORMS, ID_TYPES, MEMBERSHIP_STATUSES, type EmploymentInput, type PersonInput } from './members.schema.js';
import { createMemberEdits } from './members.edit.js';

export interface EventActor {
  type: 'staff' | 'worker' | 'partner' | 'import' | 'system';
  id: string | null;
  name: string | null;
}

export const staffEventActor = (a: StaffActor): EventActor => ({ type: 'staff', id: a.accountId, name: `${a.displayName}（${a.username}）` });

export { ID_DOMAIN, PHONE_DOMAIN, pinyinOf } from './members.people.js';

/** Interprets a search box: full phone, full ID, last four (of the ID or the phone), pinyin (initials or full), or a name. */
export function rollSearchOf(c: FieldCrypto, q: string | undefined): RollFilters['search'] {
  const v = q ? normaliseWidth(q).trim() : '';
  if (!v) return undefined;
  if (isMainlandMobile(v)) return { kind: 'phone', bidx: c.blindIndex(v, PHONE_DOMAIN) };
  const id = parseResidentId(v);
  if (typeof id !== 'string') return { kind: 'id', bidx: c.blindIndex(`resident_id:${id.number}`, ID_DOMAIN) };
  if (/^[0-9]{3}[0-9Xx]$/.test(v)) return { kind: 'last4', value: v.toUpperCase() };
  if (/^[a-zA-Z]{1,30}$/.test(v)) return { kind: 'pinyin', value: v.toLowerCase() };
  return { kind: 'name', value: v };
}

export function createMembersService(deps: AppDeps & { audit: AuditService; orgs: OrgsService }) {
  const db: Kysely<DB> = deps.database.db;
  const c = deps.crypto;

  deps.orgs.registerDissolveGuard(async (trx, org) => {
    const n = await membersRepository.countLiveInOrg(trx, org.id, ['active']);
    return n > 0 ? `该工会仍有 ${n} 名在会会员，请先办理会员转出或退会后再撤销` : null;
  });

  async function assignMemberNo(trx: Transaction<DB>, person: Person, divisionCode: string | null, at: Date): Promise<string> {
    if (person.member_no) return person.member_no;
    // 6-digit county-level 行政区划 prefix + 2-digit year + 7-digit sequence: 320981 26 0000123.
    const prefix = `${(divisionCode ?? '000000').slice(0, 6)}${chinaDay(at).slice(2, 4)}`;
    const seq = await membersRepository.nextMemberSeq(trx, prefix);
    const memberNo = `${prefix}${String(seq).padStart(7, '0')}`;
    await membersRepository.setMemberNo(trx, person.id, memberNo);
    return memberNo;
  }

  async function event(
    trx: Transaction<DB>,
    m: Pick<Membership, 'id' | 'person_id' | 'org_id'>,
    type: Parameters<typeof membersRepository.insertEvent>[1]['type'],
    actor: EventActor,
    reason: string | null,
  ) {
    await membersRepository.insertEvent(trx, {
      person_id: m.person_id,
      membership_id: m.id,
      org_id: m.org_id,
      type,
      reason,
      actor_type: actor.type,
      actor_id: actor.id,
      actor_name: actor.name,
      at: deps.clock.now(),
    });
  }

  const service = {
    /**
     * The person for this identity: created when the ID is new; a person already on the roll is
     * returned as it is — what somebody typed never rewrites the roll (decision 009).
     */
    async identify(trx: Transaction<DB>, p: PersonInput): Promise<Person> {
      return (await service.findOrCreate(trx, p)).person;
    },

    /**
     * `phone`: 'proven' only when the phone is the login phone of the worker who typed it (an H5
     * application); any other phone — typed by staff, imported, sent by a partner — is marked, and
     * the phone-match link skips it (decisions 022, 044).
     */
    async findOrCreate(trx: Transaction<DB>, p: PersonInput, phone: 'typed' | 'proven' = 'typed'): Promise<{ person: Person; created: boolean }> {
      const row = { ...personRecord(c, p, null), phone_set_by_staff_at: phone === 'proven' ? null : deps.clock.now() };
      const created = await membersRepository.insertPersonIfAbsent(trx, row);
      if (created) return { person: created, created: true };
      return { person: (await membersRepository.personByIdIndex(trx, c.blindIndex(`${p.idType}:${p.idNumber}`, ID_DOMAIN)))!, created: false };
    },

    async personByIdNumber(trx: Kysely<DB> | Transaction<DB>, idType: string, idNumber: string) {
      return membersRepository.personByIdIndex(trx, c.blindIndex(`${idType}:${idNumber}`, ID_DOMAIN));
    },

    /** The person with this ID blind index (domain 'id', value 'type:number'); locked when `forUpdate`. */
    personByIdIndex: (trx: Kysely<DB> | Transaction<DB>, idBidx: string, forUpdate = false) =>
      forUpdate ? membersRepository.personByIdIndexForUpdate(trx, idBidx) : membersRepository.personByIdIndex(trx, idBidx),

    /** The roll record of an ID number (person, live membership and union), for a reviewer to compare. */
    rollRecord: (trx: Kysely<DB> | Transaction<DB>, idBidx: string) => membersRepository.rollRecordByIdIndex(trx, idBidx),

    /** 劳模 on the roll is derived from the honours register: modules/models sets it when a person's honours change. */
    setModelWorker: (trx: Transaction<DB>, personId: string, value: boolean) => membersRepository.setModelWorker(trx, personId, value),

    /** Which identity fields of a roll record differ from what was typed (a missing roll phone is no difference). */
    differences(person: Pick<Person, 'name' | 'phone_bidx'>, typed: { name: string; phoneBidx: string | null }) {
      return {
        name: person.name !== typed.name,
        phone: !!person.phone_bidx && !!typed.phoneBidx && person.phone_bidx !== typed.phoneBidx,
      };
    },

    /**
     * A change of name and/or phone a reviewer accepted; the caller audits it in its transaction.
     * `phone`: as in findOrCreate — a phone the applicant signed in with is proven, any other is marked.
     */
    async changeIdentity(
      trx: Transaction<DB>,
      person: Person,
      change: { name?: string; phone?: string },
      phone: 'typed' | 'proven' = 'typed',
    ): Promise<Person> {
      const patch: Parameters<typeof membersRepository.updateIdentity>[2] = {};
      if (change.name !== undefined && change.name !== person.name) {
        const py = pinyinOf(change.name);
        Object.assign(patch, { name: change.name, name_initials: py.initials, name_pinyin: py.full });
      }
      if (change.phone !== undefined) {
        const bidx = c.blindIndex(change.phone, PHONE_DOMAIN);
        if (bidx !== person.phone_bidx)
          Object.assign(patch, {
            phone_enc: c.encrypt(change.phone),
            phone_bidx: bidx,
            phone_masked: maskPhone(change.phone),
            phone_set_by_staff_at: phone === 'proven' ? null : deps.clock.now(),
          });
      }
      return Object.keys(patch).length ? ((await membersRepository.updateIdentity(trx, person.id, patch)) ?? person) : person;
    },

    /**
     * Links a worker account to a person (a reviewer's confirmation or a matching roll phone).
     * A person has one account and an account one person (people_one_per_worker): the person's
     * previous account is replaced and another person linked to this account is unlinked.
     * Answers the member.link_worker audit entry (old and new account) for the caller to append
     * last in its transaction (an audit append holds the chain lock until commit).
     */
    async linkWorker(
      trx: Transaction<DB>,
      input: { person: Person; workerId: string; reason: 'reviewer' | 'phone_match'; applicationId?: string; orgId?: string | null },
      who: Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'>,
    ): Promise<{ changed: boolean; previousWorkerId: string | null; detachedPersonId: string | null; audit: AuditEntry | null }> {
      const previousWorkerId = input.person.worker_id;
      if (previousWorkerId === input.workerId) return { changed: false, previousWorkerId, detachedPersonId: null, audit: null };
      const holders = await membersRepository.personsByWorker(trx, input.workerId);
      const detached = holders.find((h) => h.id !== input.person.id) ?? null;
      if (detached) await membersRepository.setWorker(trx, detached.id, null);
      await membersRepository.setWorker(trx, input.person.id, input.workerId);
      const audit: AuditEntry = {
        ...who,
        action: 'member.link_worker',
        targetType: 'person',
        targetId: input.person.id,
        orgId: input.orgId ?? null,
        outcome: 'success',
        detail: {
          reason: input.reason,
          oldWorkerId: previousWorkerId,
          newWorkerId: input.workerId,
          unlinkedPersonId: detached?.id ?? null,
          applicationId: input.applicationId ?? null,
        },
      };
      return { changed: true, previousWorkerId, detachedPersonId: detached?.id ?? null, audit };
    },

    liveMembership: (trx: Kysely<DB> | Transaction<DB>, personId: string) => membersRepository.liveMembership(trx, personId),
    personById: (trx: Kysely<DB> | Transaction<DB>, id: string) => membersRepository.personById(trx, id),
    membershipForUpdate: (trx: Transaction<DB>, id: string) => membersRepository.membershipForUpdate(trx, id),

    /** Admits a person to a union (no live membership elsewhere: the database refuses a second one). */
    async admit(
      trx: Transaction<DB>,
      input: { person: Person; orgId: string; employment: EmploymentInput; source: MembershipSource; joinedOn?: string; actor: EventActor; reason?: string },
    ): Promise<Membership & { member_no: string }> {
      const target = await deps.orgs.forMembership(trx, input.orgId);
      if (!target || target.org.status !== 'active') throw new AppError('CONFLICT', '目标工会不存在或已撤销');
      const at = deps.clock.now();
      let m: Membership;
      try {
        m = await membersRepository.insertMembership(trx, {
          person_id: input.person.id,
          org_id: target.org.id,
          org_path: target.org.path,
          status: 'active',
          employer_name: input.employment.employerName ?? null,
          job_title: input.employment.jobTitle ?? null,
          employment_form: input.employment.employmentForm,
          skill_grade: input.employment.skillGrade ?? null,
          is_migrant_worker: input.employment.isMigrantWorker,
          // 劳模 comes from the register only (decision 033): the insert trigger sets it from a register entry
          // linked to the person (or one covering this union that it links); what an application, an import row
          // or a transfer declares is not taken.
          is_model_worker: false,
          is_frontline: input.employment.isFrontline ?? false,
          joined_on: input.joinedOn ?? chinaDay(at),
          ended_on: null,
          source: input.source,
        });
      } catch (err) {
        if (isUniqueViolation(err, 'memberships_one_live_per_person'))
          throw new AppError('CONFLICT', '此人已是其他工会的会员（一人只能加入一个工会），请办理会籍转接');
        throw err;
      }
      const memberNo = await assignMemberNo(trx, input.person, target.divisionCode, at);
      await event(trx, m, input.source === 'transfer' ? 'transfer_in' : 'join', input.actor, input.reason ?? null);
      return { ...m, member_no: memberNo };
    },

    /** 会籍转接: the old membership ends as transferred out, a new one starts in the target union. */
    async transfer(
      trx: Transaction<DB>,
      input: { from: Membership; person: Person; toOrgId: string; employment: EmploymentInput; actor: EventActor; reason: string },
    ) {
      const ended = await membersRepository.updateMembership(trx, input.from.id, input.from.version, {
        status: 'transferred_out',
        ended_on: chinaDay(deps.clock.now()),
      });
      if (!ended) throw conflict('原会籍已变更，请刷新后重试');
      await event(trx, ended, 'transfer_out', input.actor, input.reason);
      return service.admit(trx, {
        person: input.person,
        orgId: input.toOrgId,
        employment: input.employment,
        source: 'transfer',
        actor: input.actor,
        reason: input.reason,
      });
    },

    /** Staff change of status: retain (退休/失业 → 保留会籍), restore, leave. */
    async changeStatus(actor: StaffActor, meta: RequestMeta, id: string, input: { action: 'retain' | 'restore' | 'leave'; reason: string; version: number }) {
      await db.transaction().execute(async (trx) => {
        const m = await membersRepository.membershipInScope(trx, actor.orgPath, id);
        if (!m) throw notFound('会员');
        const allowed = { retain: ['active'], restore: ['retained'], leave: ['active', 'retained'] }[input.action];
        if (!allowed.includes(m.status)) throw new AppError('CONFLICT', `当前会籍状态为“${MEMBERSHIP_STATUSES[m.status]}”，不能办理此项`);
        const status = input.action === 'retain' ? 'retained' : input.action === 'restore' ? 'active' : 'left';
        const updated = await membersRepository.updateMembership(trx, m.id, input.version, {
          status,
          ended_on: status === 'left' ? chinaDay(deps.clock.now()) : null,
        });
        if (!updated) throw conflict();
        await event(trx, updated, input.action, staffEventActor(actor), input.reason);
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: `member.${input.action}`,
          targetType: 'membership',
          targetId: m.id,
          orgId: m.org_id,
          outcome: 'success',
          detail: { reason: input.reason },
        });
      });
      return service.get(actor, id);
    },

    searchOf: (q: string | undefined) => rollSearchOf(c, q),

    async list(actor: StaffActor, f: Omit<RollFilters, 'search' | 'limit' | 'offset'> & { q?: string; page: number; pageSize: number }) {
      // 所属工会 is that union and the unions under it (as every figure counts): its path becomes the scope.
      const scope = f.orgId ? (await deps.orgs.findInScope(actor, f.orgId))?.path : actor.orgPath;
      if (!scope) throw notFound('组织');
      const filters: RollFilters = { ...f, orgId: undefined, search: service.searchOf(f.q), limit: f.pageSize, offset: (f.page - 1) * f.pageSize };
      // One statement, no transaction: the connections carry no-JIT (db/database.ts, decision 036).
      const page = await membersRepository.roll(db, scope, filters);
      // The count stopped early (filters no index holds, a large scope): the planner's estimate, labelled.
      const { items, total, totalIsEstimate } = page.totalIsEstimate
        ? { ...page, total: Math.max(page.total, Math.min(Math.round(await membersRepository.rollEstimate(db, scope, filters)), ROLL_TOTAL_CAP + 1)) }
        : page;
      return {
        total,
        // total is counted up to ROLL_TOTAL_CAP + 1: past the cap it stands for "more than 10,000".
        totalCapped: total > ROLL_TOTAL_CAP,
        // An estimate (the console shows 约): filters the indexes do not hold, over a large scope.
        totalIsEstimate,
        items: items.map((r) => ({
          id: r.id,
          personId: r.person_id,
          name: r.name,
          sex: r.sex,
          idMasked: r.id_masked,
          phoneMasked: r.phone_masked,
          memberNo: r.member_no,
          org: { id: r.org_id, name: r.org_name },
          status: r.status,
          statusLabel: MEMBERSHIP_STATUSES[r.status],
          employmentForm: r.employment_form,
          employmentFormLabel: EMPLOYMENT_FORMS[r.employment_form],
          employerName: r.employer_name,
          joinedOn: r.joined_on,
          isMigrantWorker: r.is_migrant_worker,
          isModelWorker: r.is_model_worker,
        })),
      };
    },

    async get(actor: StaffActor, id: string) {
      const m = await membersRepository.membershipInScope(db, actor.orgPath, id);
      if (!m) throw notFound('会员');
      const events = await membersRepository.events(db, m.person_id);
      return {
        id: m.id,
        personId: m.person_id,
        name: m.name,
        idType: m.id_type,
        idTypeLabel: ID_TYPES[m.id_type],
        idMasked: m.id_masked,
        phoneMasked: m.phone_masked,
        sex: m.sex,
        birthDate: m.birth_date,
        ethnicity: m.ethnicity,
        education: m.education,
        politicalStatus: m.political_status,
        hukouType: m.hukou_type,
        hukouRegion: m.hukou_region,
        emergencyContactName: m.emergency_contact_name,
        emergencyContactPhoneMasked: m.emergency_contact_phone_masked,
        address: m.address,
        memberNo: m.member_no,
        org: { id: m.org_id, name: m.org_name },
        status: m.status,
        statusLabel: MEMBERSHIP_STATUSES[m.status],
        employerName: m.employer_name,
        jobTitle: m.job_title,
        employmentForm: m.employment_form,
        employmentFormLabel: EMPLOYMENT_FORMS[m.employment_form],
        skillGrade: m.skill_grade,
        isMigrantWorker: m.is_migrant_worker,
        isModelWorker: m.is_model_worker,
        // 一线职工: what batch rules of activities may ask for (decision 017).
        isFrontline: m.is_frontline,
        joinedOn: m.joined_on,
        endedOn: m.ended_on,
        source: m.source,
        version: m.version,
        // The 会籍 timeline across every union the person has belonged to.
        history: events.map((e) => ({
          id: e.id,
          type: e.type,
          org: { id: e.org_id, name: e.org_name },
          reason: e.reason,
          actorName: e.actor_name,
          at: e.at.toISOString(),
        })),
      };
    },

    /** A full sensitive value, for a holder of member:reveal, with a stated reason; audited. */
    async reveal(actor: StaffActor, meta: RequestMeta, id: string, field: 'idNumber' | 'phone' | 'emergencyContactPhone', reason: string) {
      const m = await membersRepository.membershipInScope(db, actor.orgPath, id);
      if (!m) throw notFound('会员');
      const s = await membersRepository.sensitiveOf(db, m.person_id);
      const enc = field === 'idNumber' ? s.id_enc : field === 'phone' ? s.phone_enc : s.emergency_contact_phone_enc;
      await deps.audit.record({
        ...auditActor(actor, meta),
        action: 'member.reveal',
        targetType: 'membership',
        targetId: m.id,
        orgId: m.org_id,
        outcome: 'success',
        detail: { field, reason },
      });
      return { field, value: enc ? c.decrypt(enc) : null };
    },

    async figures(actor: StaffActor, orgId: string) {
      const org = await deps.orgs.findInScope(actor, orgId);
      if (!org) throw notFound('组织');
      const now = deps.clock.now();
      const since = `${chinaDay(new Date(now.getTime() - 365 * 86400_000)).slice(0, 7)}-01`;
      const f = await membersRepository.figures(db, org.path, since);
      return {
        orgId: org.id,
        byStatus: Object.keys(MEMBERSHIP_STATUSES).map((k) => ({
          status: k,
          label: MEMBERSHIP_STATUSES[k as keyof typeof MEMBERSHIP_STATUSES],
          count: Number(f.byStatus.find((r) => r.status === k)?.n ?? 0),
        })),
        byEmploymentForm: Object.keys(EMPLOYMENT_FORMS).map((k) => ({
          form: k,
          label: EMPLOYMENT_FORMS[k as keyof typeof EMPLOYMENT_FORMS],
          count: Number(f.byForm.find((r) => r.employment_form === k)?.n ?? 0),
        })),
        newPerMonth: f.perMonth.map((r) => ({ month: r.month, count: Number(r.n) })),
      };
    },
  };
  // One-member edits from the console (members.edit.ts): add, correct, correct identity, transfer.
  return Object.assign(service, { edits: createMemberEdits(deps, service) });
}

export type MembersService = ReturnType<typeof createMembersService>;
