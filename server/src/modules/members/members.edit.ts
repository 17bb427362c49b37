// Staff add or correct ONE member from the console (issue 11, item 11): add one member, correct
// contact and employment, correct a name or ID number (reason + evidence), and transfer a member to
// another union in the caller's subtree. The same validation as imports and join applications, a
// version check on the membership, one transaction and one audit row per change.
//
// Doors an attacker would try, and what shuts them:
// - another org's member or union: every read by id is scoped by the caller's path in SQL → 404;
//   a transfer can only go to a union in the caller's own subtree (a union outside it is 404), so
//   nobody moves a person onto another org's roll;
// - an existing person typed again under a new union: the roll's identity is never rewritten by
//   what was typed (decision 009) and a live membership elsewhere is refused (one membership);
// - taking over a worker account: the console never links accounts; a phone or ID of a person
//   linked to a worker account is the worker's to change (H5); a new phone that another person or
//   a registered worker account holds is refused (the phone-match link would otherwise hand that
//   account this person's membership); a phone staff type (new person or edit) is marked, and the
//   phone-match link never trusts it — else staff could type a real ID with their own spare phone
//   and sign in on the H5 as that person (decisions 022, 044);
// - a name / ID correction is audited with before and after masked, and needs a reason and the
//   evidence seen.
import type { Kysely, Transaction } from 'kysely';
import type { DB, Membership, MembershipSource, Person } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { AppDeps, RequestMeta, StaffActor } from '../../platform/context.js';
import { maskPhone } from '../../platform/crypto.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { maskIdNumber } from '../../platform/validators.js';
import { auditActor, type AuditService } from '../audit/audit.service.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import { ID_DOMAIN, PHONE_DOMAIN, pinyinOf } from './members.people.js';
import { membersEditRepository as repo, type MembershipPatch, type PersonPatch } from './members.edit.repository.js';
import type { AddMemberInput, CorrectIdentityInput, EditMemberInput, TransferMemberInput } from './members.edit.schema.js';
import type { EmploymentInput, PersonInput } from './members.schema.js';
import type { EventActor } from './members.service.js';

const LIVE = ['active', 'retained'];
const staffEventActor = (a: StaffActor): EventActor => ({ type: 'staff', id: a.accountId, name: `${a.displayName}（${a.username}）` });

/** 张建国 → 张*国, 李四 → 李*: enough to recognise a change in the audit trail, not the name. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 2) return `${chars[0] ?? ''}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** What the edits use of the members service (written out: the service itself returns the edits). */
interface Base {
  personByIdNumber(trx: Transaction<DB>, idType: string, idNumber: string): Promise<Person | undefined>;
  findOrCreate(trx: Transaction<DB>, p: PersonInput, phone: 'typed'): Promise<{ person: Person; created: boolean }>;
  liveMembership(trx: Transaction<DB>, personId: string): Promise<Membership | undefined>;
  admit(
    trx: Transaction<DB>,
    input: { person: Person; orgId: string; employment: EmploymentInput; source: MembershipSource; joinedOn?: string; actor: EventActor; reason?: string },
  ): Promise<Membership & { member_no: string }>;
  transfer(
    trx: Transaction<DB>,
    input: { from: Membership; person: Person; toOrgId: string; employment: EmploymentInput; actor: EventActor; reason: string },
  ): Promise<Membership & { member_no: string }>;
  get(actor: StaffActor, id: string): Promise<unknown>;
}

export function createMemberEdits(deps: AppDeps & { audit: AuditService; orgs: OrgsService }, members: Base) {
  const db: Kysely<DB> = deps.database.db;
  const c = deps.crypto;

  /** The live membership in scope at `version`, and its person, both locked. */
  async function lockMember(trx: Transaction<DB>, actor: StaffActor, id: string, version: number): Promise<{ m: Membership; p: Person }> {
    const m = await repo.membershipInScopeForUpdate(trx, actor.orgPath, id);
    if (!m) throw notFound('会员');
    if (!LIVE.includes(m.status)) throw new AppError('CONFLICT', '该会籍已结束（已转出或已退会），不能修改');
    if (m.version !== version) throw conflict('会员信息已被他人修改，请刷新后重试');
    const p = await repo.personForUpdate(trx, m.person_id);
    if (!p) throw notFound('会员');
    return { m, p };
  }

  /** A new phone for a person: refused where it would hand the person to someone else's account. */
  async function checkNewPhone(trx: Transaction<DB>, p: Person, bidx: string) {
    if (p.worker_id) throw new AppError('CONFLICT', '该会员已绑定职工账号，手机号请由本人在职工端更换');
    if (await repo.otherPersonWithPhone(trx, bidx, p.id)) throw invalid({ phone: '该手机号已登记在其他人员名下，请核对' });
    if (await repo.workerWithPhone(trx, bidx)) throw invalid({ phone: '该手机号已注册职工账号，请由本人在职工端申请入会或变更，由工会审核关联' });
  }

  return {
    /** 新增会员: one person into a union of the caller's subtree, as an import row would be. */
    async addOne(actor: StaffActor, meta: RequestMeta, input: AddMemberInput) {
      const org = await deps.orgs.findInScope(actor, input.orgId);
      if (!org) throw notFound('工会');
      if (org.status !== 'active') throw new AppError('CONFLICT', '该工会已撤销，不能添加会员');
      const p = input.person;
      const id = await db.transaction().execute(async (trx) => {
        const existing = await members.personByIdNumber(trx, p.idType, p.idNumber);
        if (existing) {
          const live = await members.liveMembership(trx, existing.id);
          if (live) {
            const mine = live.org_path.startsWith(actor.orgPath);
            throw new AppError(
              'CONFLICT',
              mine ? '此人已在名册中登记为会员，无需重复添加' : '此人已是其他工会的会员（一人只能加入一个工会），请由其所在工会办理会籍转接',
            );
          }
          // Back on the roll after leaving: the roll's identity stands (decision 009); a differing name is corrected separately.
          if (existing.name !== p.name)
            throw invalid({ 'person.name': '该证件号码已在名册中登记，姓名与登记的不一致；请核对，或添加后在会员详情中办理姓名更正' });
        } else {
          const phoneBidx = c.blindIndex(p.phone, PHONE_DOMAIN);
          if (await repo.workerWithPhone(trx, phoneBidx)) {
            // Same as checkNewPhone: a person created here with a registered account's phone would be linked to it by phone match.
            throw invalid({ 'person.phone': '该手机号已注册职工账号，请由本人在职工端申请入会，由工会审核' });
          }
        }
        // A phone staff typed is no proof of who holds it: the phone-match link skips it (decisions 022, 044).
        const person = existing ?? (await members.findOrCreate(trx, p, 'typed')).person;
        const m = await members.admit(trx, {
          person,
          orgId: org.id,
          // the 劳模 flag follows the honours register (modules/models, decision 033), never a tick by staff
          employment: { ...input.employment, isModelWorker: false },
          source: 'staff',
          joinedOn: input.joinedOn,
          actor: staffEventActor(actor),
          reason: input.reason ?? '工作人员录入',
        });
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'member.add',
          targetType: 'membership',
          targetId: m.id,
          orgId: org.id,
          outcome: 'success',
          detail: {
            personId: person.id,
            newPerson: !existing,
            name: maskName(person.name),
            id: person.id_masked,
            memberNo: m.member_no,
            reason: input.reason ?? null,
          },
        });
        return m.id;
      });
      return members.get(actor, id);
    },

    /** 修改会员信息: contact and employment, at the membership's version. */
    async editOne(actor: StaffActor, meta: RequestMeta, id: string, input: EditMemberInput) {
      await db.transaction().execute(async (trx) => {
        const { m, p } = await lockMember(trx, actor, id, input.version);
        const person: PersonPatch = {};
        const membership: MembershipPatch = {};
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        const note = (field: string, from: unknown, to: unknown) => {
          if ((from ?? null) !== (to ?? null)) changes[field] = { from: from ?? null, to: to ?? null };
          return (from ?? null) !== (to ?? null);
        };
        if (input.phone !== undefined) {
          const bidx = c.blindIndex(input.phone, PHONE_DOMAIN);
          if (bidx !== p.phone_bidx) {
            await checkNewPhone(trx, p, bidx);
            // Not proof that the phone's holder is this person: the phone-match link skips it (decision 022).
            Object.assign(person, {
              phone_enc: c.encrypt(input.phone),
              phone_bidx: bidx,
              phone_masked: maskPhone(input.phone),
              phone_set_by_staff_at: deps.clock.now(),
            });
            changes.phone = { from: p.phone_masked, to: maskPhone(input.phone) };
          }
        }
        if (input.emergencyContactPhone !== undefined) {
          const masked = input.emergencyContactPhone ? maskPhone(input.emergencyContactPhone) : null;
          if (note('emergencyContactPhone', p.emergency_contact_phone_masked, masked))
            Object.assign(person, {
              emergency_contact_phone_enc: input.emergencyContactPhone ? c.encrypt(input.emergencyContactPhone) : null,
              emergency_contact_phone_masked: masked,
            });
        }
        if (input.emergencyContactName !== undefined && note('emergencyContactName', p.emergency_contact_name, input.emergencyContactName || null))
          person.emergency_contact_name = input.emergencyContactName || null;
        if (input.education !== undefined && note('education', p.education, input.education)) person.education = input.education;
        if (input.politicalStatus !== undefined && note('politicalStatus', p.political_status, input.politicalStatus))
          person.political_status = input.politicalStatus;
        if (input.employerName !== undefined && note('employerName', m.employer_name, input.employerName || null))
          membership.employer_name = input.employerName || null;
        if (input.jobTitle !== undefined && note('jobTitle', m.job_title, input.jobTitle || null)) membership.job_title = input.jobTitle || null;
        if (input.skillGrade !== undefined && note('skillGrade', m.skill_grade, input.skillGrade || null)) membership.skill_grade = input.skillGrade || null;
        if (input.employmentForm !== undefined && note('employmentForm', m.employment_form, input.employmentForm))
          membership.employment_form = input.employmentForm;
        if (input.isMigrantWorker !== undefined && note('isMigrantWorker', m.is_migrant_worker, input.isMigrantWorker))
          membership.is_migrant_worker = input.isMigrantWorker;
        if (input.isFrontline !== undefined && note('isFrontline', m.is_frontline, input.isFrontline)) membership.is_frontline = input.isFrontline;
        if (!Object.keys(changes).length) throw invalid({ version: '没有要修改的内容' }, '没有要修改的内容');
        if (Object.keys(person).length) await repo.updatePerson(trx, p.id, person);
        // The membership's version moves on every edit: it is the token the console holds.
        if (!(await repo.updateMembership(trx, m.id, m.version, membership))) throw conflict('会员信息已被他人修改，请刷新后重试');
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'member.edit',
          targetType: 'membership',
          targetId: m.id,
          orgId: m.org_id,
          outcome: 'success',
          detail: { changes, reason: input.reason ?? null },
        });
      });
      return members.get(actor, id);
    },

    /** 更正姓名 / 证件号码: a sensitive change with a reason and the evidence seen; before and after masked in the audit. */
    async correctIdentity(actor: StaffActor, meta: RequestMeta, id: string, input: CorrectIdentityInput) {
      try {
        await db.transaction().execute(async (trx) => {
          const { m, p } = await lockMember(trx, actor, id, input.version);
          const patch: PersonPatch = {};
          const detail: Record<string, unknown> = { reason: input.reason, evidence: input.evidence };
          if (input.name !== undefined && input.name !== p.name) {
            const py = pinyinOf(input.name);
            Object.assign(patch, { name: input.name, name_initials: py.initials, name_pinyin: py.full });
            detail.name = { from: maskName(p.name), to: maskName(input.name) };
          }
          if (input.id) {
            const bidx = c.blindIndex(`${input.id.idType}:${input.id.number}`, ID_DOMAIN);
            if (bidx !== p.id_bidx) {
              if (p.worker_id) throw new AppError('CONFLICT', '该会员已绑定职工账号，证件号码更正请由本人在职工端提交变更申请');
              if (await repo.otherPersonWithId(trx, bidx, p.id)) throw invalid({ idNumber: '该证件号码已登记在其他人员名下，不能更正为此号码' });
              Object.assign(patch, {
                id_type: input.id.idType,
                id_enc: c.encrypt(input.id.number),
                id_bidx: bidx,
                id_last4: input.id.number.slice(-4),
                id_masked: maskIdNumber(input.id.number),
                ...(input.id.sex && { sex: input.id.sex }),
                ...(input.id.birthDate && { birth_date: input.id.birthDate }),
              });
              detail.id = { from: p.id_masked, to: maskIdNumber(input.id.number) };
            }
          }
          if (!Object.keys(patch).length) throw invalid({ name: '更正后的信息与登记的相同' }, '更正后的信息与登记的相同');
          await repo.updatePerson(trx, p.id, patch);
          if (!(await repo.updateMembership(trx, m.id, m.version, {}))) throw conflict('会员信息已被他人修改，请刷新后重试');
          await deps.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'member.correct_identity',
            targetType: 'membership',
            targetId: m.id,
            orgId: m.org_id,
            outcome: 'success',
            detail,
          });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw invalid({ idNumber: '该证件号码已登记在其他人员名下，不能更正为此号码' });
        throw err;
      }
      return members.get(actor, id);
    },

    /** 会籍转接 within the caller's subtree: the membership ends as transferred out, a new one starts in the target union. */
    async transferOne(actor: StaffActor, meta: RequestMeta, id: string, input: TransferMemberInput) {
      const to = await deps.orgs.findInScope(actor, input.toOrgId);
      if (!to) throw notFound('转入工会');
      if (to.status !== 'active') throw new AppError('CONFLICT', '转入工会已撤销');
      const newId = await db.transaction().execute(async (trx) => {
        const { m, p } = await lockMember(trx, actor, id, input.version);
        if (m.status !== 'active') throw new AppError('CONFLICT', '保留会籍的会员请先恢复会籍，再办理转接');
        if (m.org_id === to.id) throw invalid({ toOrgId: '转入工会与当前所在工会相同' });
        const next = await members.transfer(trx, {
          from: m,
          person: p,
          toOrgId: to.id,
          employment: {
            employerName: input.employerName === undefined ? (m.employer_name ?? undefined) : (input.employerName ?? undefined),
            jobTitle: m.job_title ?? undefined,
            employmentForm: m.employment_form,
            skillGrade: m.skill_grade ?? undefined,
            isMigrantWorker: m.is_migrant_worker,
            isModelWorker: m.is_model_worker,
            isFrontline: m.is_frontline,
          },
          actor: staffEventActor(actor),
          reason: input.reason,
        });
        await deps.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'member.transfer',
          targetType: 'membership',
          targetId: next.id,
          orgId: to.id,
          outcome: 'success',
          detail: { fromMembershipId: m.id, fromOrgId: m.org_id, toOrgId: to.id, reason: input.reason },
        });
        return next.id;
      });
      return members.get(actor, newId);
    },
  };
}

export type MemberEdits = ReturnType<typeof createMemberEdits>;
