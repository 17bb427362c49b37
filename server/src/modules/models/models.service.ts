// 劳模工匠 honours register: people honoured (on the roll or not) with their honours, status and the
// contact union that looks after them (the data scope is that union's subtree); entitlements follow
// from the rules per honour kind, and every grant is a ledger row (one per person, benefit and year).
// The roll's 劳模 flag (`memberships.is_model_worker`) is kept in sync here on every write that can
// change it (decision 030).
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Benefit, HonourKind, ModelStatus } from '../../db/schema-models.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { maskPhone } from '../../platform/crypto.js';
import { fromFen, toFen } from '../../platform/money.js';
import { offsetOf } from '../../platform/pagination.js';
import { maskIdNumber, parseResidentId } from '../../platform/validators.js';
import { auditActor } from '../audit/audit.service.js';
import { ID_DOMAIN } from '../members/members.service.js';
import type { ModuleContext } from '../module-context.js';
import { BENEFITS, HONOUR_KINDS, MODEL_STATUSES } from './models.constants.js';
import { modelsRepository as repo } from './models.repository.js';
import type { CreatePersonInput, GrantInput, ListQuery, UpdatePersonInput } from './models.schema.js';

type Row = NonNullable<Awaited<ReturnType<typeof repo.inScope>>>;
const isCityUnion = (actor: StaffActor) => /^\/[0-9]+\/$/.test(actor.orgPath);
export const likeText = (q: string) => q.replace(/[\\%_]/g, (m) => `\\${m}`);

export function honourText(kind: string, year: number) {
  return `${year} 年${HONOUR_KINDS[kind as HonourKind]?.short ?? kind}`;
}

/** The register page's further parts: 积分 by year, 技能等级 results, and the hardship files (困难劳模) of the person. */
export interface PersonExtras {
  pointsByYear(personId: string): Promise<{ year: number; points: number; achievements: number }[]>;
  skillResults(personId: string): Promise<unknown[]>;
  hardshipFiles?(actor: StaffActor, idBidx: string): Promise<{ id: string; status: string; statusLabel: string; orgName: string }[]>;
}

export function createModelsService(ctx: ModuleContext, extras?: PersonExtras) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  async function personOrThrow(executor: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const p = await repo.inScope(executor, actor.orgPath, id);
    if (!p) throw notFound('劳模工匠');
    return p;
  }

  async function orgInScope(actor: StaffActor, orgId: string) {
    const org = await ctx.orgs.findInScope(actor, orgId);
    if (!org) throw notFound('联系工会');
    return org;
  }

  async function audit(trx: Transaction<DB>, actor: StaffActor, meta: RequestMeta, action: string, targetId: string | null, orgId: string, detail?: Record<string, unknown>) {
    await ctx.audit.append(trx, { ...auditActor(actor, meta), action, targetType: 'model_person', targetId, orgId, outcome: 'success', ...(detail && { detail }) });
  }

  /** The roll's 劳模 flag of a linked person follows whether any of their register entries holds a 劳模 honour. */
  async function syncRoll(trx: Transaction<DB>, personId: string | null) {
    if (!personId) return;
    await ctx.members.setModelWorker(trx, personId, await repo.isModelWorker(trx, personId));
  }

  /**
   * ID number → stored form, blind index and the roll person it is — only when that person is a member of a
   * union in `scopePath` (the caller's subtree): a register entry never reaches, or tells about, a member of
   * another county (the link writes the roll's 劳模 flag). A Chinese reason when invalid.
   */
  async function identity(trx: Transaction<DB>, idNumber: string | null | undefined, scopePath: string) {
    if (!idNumber) return { ok: true as const, id: null };
    const parsed = parseResidentId(idNumber, now());
    if (typeof parsed === 'string') return { ok: false as const, reason: parsed };
    const bidx = ctx.crypto.blindIndex(`resident_id:${parsed.number}`, ID_DOMAIN);
    const person = await ctx.members.personByIdNumber(trx, 'resident_id', parsed.number);
    const onRoll = person && (await repo.isMemberUnder(trx, person.id, scopePath)) ? person : null;
    return {
      ok: true as const,
      id: { number: parsed.number, sex: parsed.sex, bidx, enc: ctx.crypto.encrypt(parsed.number), masked: maskIdNumber(parsed.number), personId: onRoll?.id ?? null },
    };
  }

  /** What the person is entitled to in `year`: per benefit, the honours giving it and the rule's standard; granted or not. */
  async function entitlements(p: Row, year: number, honours: { kind: string }[], grants: Awaited<ReturnType<typeof repo.grants>>) {
    const kinds = new Set(honours.map((h) => h.kind));
    const rules = (await repo.rules(db)).filter((r) => r.active && kinds.has(r.honour_kind));
    const byBenefit = new Map<Benefit, typeof rules>();
    for (const r of rules) byBenefit.set(r.benefit, [...(byBenefit.get(r.benefit) ?? []), r]);
    return [...byBenefit.entries()].map(([benefit, rs]) => {
      const amounts = rs.map((r) => (r.amount_fen === null ? null : BigInt(r.amount_fen))).filter((a): a is bigint => a !== null);
      const best = amounts.length ? amounts.reduce((a, b) => (b > a ? b : a)) : null;
      const given = grants.find((g) => g.benefit === benefit && g.year === year);
      return {
        benefit,
        label: BENEFITS[benefit],
        from: rs.map((r) => HONOUR_KINDS[r.honour_kind].short),
        standard: best === null ? null : fromFen(best),
        note: rs[0]!.note,
        eligible: p.status !== 'deceased',
        granted: given ? { id: given.id, grantedOn: given.granted_on, amount: given.amount_fen === null ? null : fromFen(BigInt(given.amount_fen)) } : null,
      };
    });
  }

  const present = (p: Row | Awaited<ReturnType<typeof repo.list>>['items'][number]) => ({
    id: p.id,
    name: p.name,
    sex: p.sex,
    idMasked: p.id_masked,
    phoneMasked: p.phone_masked,
    employer: p.employer,
    jobTitle: p.job_title,
    status: p.status,
    statusLabel: MODEL_STATUSES[p.status],
    onRoll: !!p.person_id,
    org: { id: p.org_id, name: p.org_name },
    note: p.note,
    version: p.version,
  });

  const service = {
    dictionary() {
      return {
        honourKinds: Object.entries(HONOUR_KINDS).map(([code, k]) => ({ code, name: k.name, short: k.short, group: k.group, body: k.body })),
        statuses: Object.entries(MODEL_STATUSES).map(([code, name]) => ({ code, name })),
        benefits: Object.entries(BENEFITS).map(([code, name]) => ({ code, name })),
      };
    },

    async list(actor: StaffActor, q: ListQuery) {
      const orgPath = q.orgId ? (await orgInScope(actor, q.orgId)).path : undefined;
      const { items, total } = await repo.list(db, actor.orgPath, {
        orgPath,
        q: q.q ? likeText(q.q) : undefined,
        kind: q.kind,
        status: q.status,
        onRoll: q.onRoll === undefined ? undefined : q.onRoll === 'yes',
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return {
        items: items.map((p) => ({
          ...present(p),
          honours: (p.honours ?? '')
            .split(',')
            .filter(Boolean)
            .map((h) => {
              const [kind, year] = h.split(':');
              return { kind: kind!, year: Number(year), label: honourText(kind!, Number(year)) };
            }),
        })),
        total,
      };
    },

    async get(actor: StaffActor, id: string, year?: number) {
      const p = await personOrThrow(db, actor, id);
      const y = year ?? Number(chinaDay(now()).slice(0, 4));
      const [honours, grants, pointsByYear, skillResults, hardship] = await Promise.all([
        repo.honours(db, id),
        repo.grants(db, id),
        extras?.pointsByYear(id) ?? [],
        extras?.skillResults(id) ?? [],
        // 困难劳模: a link to the household file only for staff who may read hardship files
        p.id_bidx && extras?.hardshipFiles && actor.permissions.has('hardship:read') ? extras.hardshipFiles(actor, p.id_bidx) : null,
      ]);
      return {
        ...present(p),
        year: y,
        pointsByYear,
        skillResults,
        hardshipFiles: hardship,
        honours: honours.map((h) => ({
          id: h.id,
          kind: h.kind,
          kindName: HONOUR_KINDS[h.kind].name,
          year: h.year,
          awardingBody: h.awarding_body,
          certificateNo: h.certificate_no,
        })),
        entitlements: await entitlements(p, y, honours, grants),
        grants: grants.map((g) => ({
          id: g.id,
          benefit: g.benefit,
          benefitLabel: BENEFITS[g.benefit],
          year: g.year,
          grantedOn: g.granted_on,
          amount: g.amount_fen === null ? null : fromFen(BigInt(g.amount_fen)),
          note: g.note,
          orgName: g.org_name,
        })),
      };
    },

    async create(actor: StaffActor, meta: RequestMeta, input: CreatePersonInput) {
      const org = await orgInScope(actor, input.orgId);
      const kinds = input.honours.map((h) => `${h.kind}:${h.year}`);
      if (new Set(kinds).size !== kinds.length) throw invalid({ honours: '同一荣誉同一年份只能填写一次' });
      const id = await db.transaction().execute(async (trx) => {
        const who = await identity(trx, input.idNumber, actor.orgPath);
        if (!who.ok) throw invalid({ idNumber: who.reason });
        // the duplicate check is the caller's subtree: another county's entry of the same number is no answer (decision 033)
        if (who.id && (await repo.personByIdBidxInScope(trx, who.id.bidx, actor.orgPath))) throw conflict('该身份证号已登记在本级及下级的劳模工匠名册中');
        const row = await repo.insertPerson(trx, {
          org_id: org.id,
          person_id: who.id?.personId ?? null,
          name: input.name,
          sex: who.id?.sex ?? input.sex ?? null,
          id_enc: who.id?.enc ?? null,
          id_bidx: who.id?.bidx ?? null,
          id_masked: who.id?.masked ?? null,
          phone_enc: input.phone ? ctx.crypto.encrypt(input.phone) : null,
          phone_masked: input.phone ? maskPhone(input.phone) : null,
          employer: input.employer ?? null,
          job_title: input.jobTitle ?? null,
          status: input.status,
          note: input.note ?? null,
          created_by: actor.accountId,
          updated_at: now(),
        });
        await repo.insertHonours(
          trx,
          input.honours.map((h) => ({ model_person_id: row.id, kind: h.kind, year: h.year, awarding_body: h.awardingBody, certificate_no: h.certificateNo ?? null })),
        );
        await syncRoll(trx, who.id?.personId ?? null);
        await audit(trx, actor, meta, 'models.person.create', row.id, org.id, { honours: kinds });
        return row.id;
      });
      return service.get(actor, id);
    },

    async update(actor: StaffActor, meta: RequestMeta, id: string, input: UpdatePersonInput) {
      await db.transaction().execute(async (trx) => {
        const p = await personOrThrow(trx, actor, id);
        if (input.orgId !== undefined) await orgInScope(actor, input.orgId);
        const ok = await repo.update(trx, id, input.version, {
          ...(input.orgId !== undefined && { org_id: input.orgId }),
          ...(input.phone !== undefined && { phone_enc: input.phone ? ctx.crypto.encrypt(input.phone) : null, phone_masked: input.phone ? maskPhone(input.phone) : null }),
          ...(input.employer !== undefined && { employer: input.employer }),
          ...(input.jobTitle !== undefined && { job_title: input.jobTitle }),
          ...(input.status !== undefined && { status: input.status as ModelStatus }),
          ...(input.note !== undefined && { note: input.note }),
          updated_at: now(),
        });
        if (!ok) throw conflict('该人员信息已被他人修改，请刷新后重试');
        await audit(trx, actor, meta, 'models.person.edit', id, p.org_id, { changed: Object.keys(input).filter((k) => k !== 'version') });
      });
      return service.get(actor, id);
    },

    async addHonour(actor: StaffActor, meta: RequestMeta, id: string, h: CreatePersonInput['honours'][number]) {
      await db.transaction().execute(async (trx) => {
        const p = await personOrThrow(trx, actor, id);
        const added = await repo.insertHonours(trx, [{ model_person_id: id, kind: h.kind, year: h.year, awarding_body: h.awardingBody, certificate_no: h.certificateNo ?? null }]);
        if (!added.length) throw invalid({ kind: `已登记 ${honourText(h.kind, h.year)}` });
        await syncRoll(trx, p.person_id);
        await audit(trx, actor, meta, 'models.honour.add', id, p.org_id, { honour: `${h.kind}:${h.year}` });
      });
      return service.get(actor, id);
    },

    async removeHonour(actor: StaffActor, meta: RequestMeta, id: string, honourId: string) {
      await db.transaction().execute(async (trx) => {
        const p = await personOrThrow(trx, actor, id);
        const gone = await repo.deleteHonour(trx, id, honourId);
        if (!gone) throw notFound('荣誉');
        if (!(await repo.honours(trx, id)).length) throw new AppError('CONFLICT', '至少保留一项荣誉；如需移出名册请联系市总工会');
        await syncRoll(trx, p.person_id);
        await audit(trx, actor, meta, 'models.honour.remove', id, p.org_id, { honour: `${gone.kind}:${gone.year}` });
      });
      return service.get(actor, id);
    },

    /** Gives one entitlement for a year: it must follow from the person's honours; once per benefit and year. */
    async grant(actor: StaffActor, meta: RequestMeta, id: string, input: GrantInput) {
      const before = await service.get(actor, id, input.year);
      const ent = before.entitlements.find((e) => e.benefit === input.benefit);
      if (!ent) throw invalid({ benefit: `${before.name}的荣誉不享受「${BENEFITS[input.benefit]}」` });
      if (!ent.eligible) throw invalid({ benefit: `${before.name}已${before.statusLabel}，不再发放待遇` });
      if (Number(input.grantedOn.slice(0, 4)) !== input.year || input.grantedOn > chinaDay(now())) throw invalid({ grantedOn: '发放日期应在该年度内且不晚于今天' });
      // The city's standard is the ceiling: a county may record less (a part paid), never more, and no
      // sum at all for a benefit the rules give in kind (no standard amount: 疗休养, 体检).
      if (input.amount != null) {
        if (ent.standard === null) throw invalid({ amount: `「${BENEFITS[input.benefit]}」没有金额标准，不登记金额` });
        if (toFen(input.amount) > toFen(ent.standard)) throw invalid({ amount: `金额不能超过市总工会规定的标准 ${ent.standard} 元` });
      }
      const amount = input.amount ?? ent.standard;
      await db.transaction().execute(async (trx) => {
        const p = await personOrThrow(trx, actor, id);
        const row = await repo.insertGrant(trx, {
          model_person_id: id,
          benefit: input.benefit,
          year: input.year,
          granted_on: input.grantedOn,
          amount_fen: amount === null ? null : String(toFen(amount)),
          note: input.note ?? null,
          org_id: actor.orgId,
          created_by: actor.accountId,
        });
        if (!row) throw conflict(`${input.year} 年度的「${BENEFITS[input.benefit]}」已发放，不能重复登记`);
        await audit(trx, actor, meta, 'models.grant', id, p.org_id, { benefit: input.benefit, year: input.year, amountFen: amount === null ? null : String(toFen(amount)) });
      });
      return service.get(actor, id, input.year);
    },

    // ---------- entitlement rules (the city's) ----------
    async rules(actor: StaffActor) {
      const rows = await repo.rules(db);
      return {
        editable: isCityUnion(actor) && actor.permissions.has('models:manage'),
        items: rows.map((r) => ({
          id: r.id,
          honourKind: r.honour_kind,
          honourName: HONOUR_KINDS[r.honour_kind].name,
          benefit: r.benefit,
          benefitLabel: BENEFITS[r.benefit],
          amount: r.amount_fen === null ? null : fromFen(BigInt(r.amount_fen)),
          note: r.note,
          active: r.active,
          version: r.version,
        })),
      };
    },

    async assertCity(actor: StaffActor) {
      if (!isCityUnion(actor)) throw new AppError('FORBIDDEN', '劳模工匠待遇标准由市总工会统一维护');
    },

    async addRule(actor: StaffActor, meta: RequestMeta, input: { honourKind: HonourKind; benefit: Benefit; amount?: string | null; note?: string | null }) {
      await service.assertCity(actor);
      await db.transaction().execute(async (trx) => {
        const row = await repo.insertRule(trx, {
          honour_kind: input.honourKind,
          benefit: input.benefit,
          amount_fen: input.amount ? String(toFen(input.amount)) : null,
          note: input.note ?? '',
        });
        if (!row) throw invalid({ benefit: '该荣誉已有此项待遇标准' });
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'models.rule.add', targetType: 'model_rule', targetId: row.id, orgId: actor.orgId, outcome: 'success' });
      });
      return service.rules(actor);
    },

    async editRule(actor: StaffActor, meta: RequestMeta, id: string, input: { amount?: string | null; note?: string | null; active?: boolean; version: number }) {
      await service.assertCity(actor);
      await db.transaction().execute(async (trx) => {
        if (!(await repo.rule(trx, id))) throw notFound('待遇标准');
        const ok = await repo.updateRule(trx, id, input.version, {
          ...(input.amount !== undefined && { amount_fen: input.amount ? String(toFen(input.amount)) : null }),
          ...(input.note !== undefined && { note: input.note ?? '' }),
          ...(input.active !== undefined && { active: input.active }),
          updated_at: now(),
        });
        if (!ok) throw conflict('待遇标准已被他人修改，请刷新后重试');
        await ctx.audit.append(trx, { ...auditActor(actor, meta), action: 'models.rule.edit', targetType: 'model_rule', targetId: id, orgId: actor.orgId, outcome: 'success' });
      });
      return service.rules(actor);
    },

    // used by the import
    identity,
    syncRoll,
  };
  return service;
}

export type ModelsService = ReturnType<typeof createModelsService>;
