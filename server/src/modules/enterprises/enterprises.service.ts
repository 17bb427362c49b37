// The enterprise register (issue 13, item 1) and its 职代会 / 厂务公开 (item 6). 建会 is
// enterprises.founding.ts, the import enterprises.import.ts, the figures enterprises.coverage.ts.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { isUniqueViolation } from '../../db/errors.js';
import type { DB } from '../../db/schema.js';
import type { EnterprisesTable } from '../../db/schema-enterprises.js';
import { chinaDay, chinaYear } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import {
  CONGRESS_KINDS,
  FOUNDING_STATUSES,
  FOUNDING_THRESHOLD,
  INDUSTRIES,
  NON_PUBLIC,
  OFFICER_ROLES,
  OWNERSHIPS,
  SIZES,
  UNION_KINDS,
} from './enterprises.constants.js';
import { enterprisesRepository as repo, type Figure } from './enterprises.repository.js';
import type { CreateEnterpriseInput, EnterprisesQuery, UpdateEnterpriseInput } from './enterprises.schema.js';

type Row = Selectable<EnterprisesTable> & {
  org_name: string;
  union_name?: string | null;
  founding_status?: string | null;
  congress_ok?: boolean;
  disclosure_ok?: boolean;
};

export function enterpriseDto(e: Row) {
  return {
    id: e.id,
    orgId: e.org_id,
    orgName: e.org_name,
    creditCode: e.credit_code,
    name: e.name,
    ownership: e.ownership,
    ownershipLabel: OWNERSHIPS[e.ownership],
    nonPublic: NON_PUBLIC.includes(e.ownership),
    industry: e.industry,
    industryLabel: INDUSTRIES[e.industry] ?? e.industry,
    size: e.size,
    sizeLabel: SIZES[e.size],
    employees: e.employees,
    women: e.women,
    migrantWorkers: e.migrant_workers,
    address: e.address,
    divisionCode: e.division_code,
    isPlatform: e.is_platform,
    unionOrgId: e.union_org_id,
    unionName: e.union_name ?? null,
    unionKind: e.union_kind,
    unionKindLabel: e.union_kind ? UNION_KINDS[e.union_kind] : '未建会',
    unionisedOn: e.unionised_on,
    shouldFound: e.employees >= FOUNDING_THRESHOLD && !e.union_org_id,
    foundingStatus: e.founding_status ?? null,
    foundingStatusLabel: e.founding_status ? FOUNDING_STATUSES[e.founding_status as keyof typeof FOUNDING_STATUSES] : null,
    congressSystem: e.congress_system,
    disclosureSystem: e.disclosure_system,
    congressOk: e.congress_ok ?? null,
    disclosureOk: e.disclosure_ok ?? null,
    version: e.version,
  };
}

export function createEnterprisesService(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const today = () => chinaDay(ctx.clock.now());

  const audit = (
    trx: Transaction<DB>,
    actor: StaffActor,
    meta: RequestMeta,
    action: string,
    e: { id: string; name: string; org_id: string },
    detail?: object,
  ) =>
    ctx.audit.append(trx, {
      ...auditActor(actor, meta),
      action,
      targetType: 'enterprise',
      targetId: e.id,
      orgId: e.org_id,
      outcome: 'success',
      detail: { name: e.name, ...detail },
    });

  /** The covering union must be in the caller's scope and take members (a 基层工会, 联合基层工会 or 行业工会联合会). */
  async function coveringUnion(actor: StaffActor, unionOrgId: string) {
    const u = await ctx.orgs.findInScope(actor, unionOrgId);
    if (!u) throw notFound('覆盖工会');
    const kind = u.type === 'grassroots' ? 'own' : u.type === 'joint_grassroots' ? 'joint' : u.type === 'industry_federation' ? 'industry' : null;
    if (!kind || u.status !== 'active') throw invalid({ unionOrgId: '覆盖工会应为基层工会、联合基层工会或行业工会联合会' });
    return { id: u.id, kind } as const;
  }

  async function get(actor: StaffActor, id: string) {
    const e = await repo.findInScope(db, actor.orgPath, id);
    if (!e) throw notFound('企业');
    const union = e.union_org_id ? await ctx.orgs.forMembership(db, e.union_org_id) : undefined;
    const [foundings, officers, congress, disclosures] = await Promise.all([
      repo.foundingsOf(db, id),
      repo.officersOf(db, id),
      repo.congressOf(db, id),
      repo.disclosuresOf(db, id),
    ]);
    const t = today();
    const yearAgo = new Date(Date.parse(`${t}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
    return {
      ...enterpriseDto({ ...e, union_name: union?.org.name ?? null }),
      congressOk: !!e.union_org_id && e.congress_system && congress.some((s) => s.held_on > yearAgo),
      disclosureOk: !!e.union_org_id && e.disclosure_system && disclosures.some((d) => d.published_on > yearAgo),
      foundings: foundings.map((f) => ({ id: f.id, status: f.status, statusLabel: FOUNDING_STATUSES[f.status], startedOn: f.started_on })),
      officers: officers.map((o) => ({
        id: o.id,
        name: o.name,
        role: o.role,
        roleLabel: OFFICER_ROLES[o.role],
        termStart: o.term_start,
        termEnd: o.term_end,
        renewalDue: o.term_end <= t,
      })),
      congressSessions: congress.map((s) => ({
        id: s.id,
        heldOn: s.held_on,
        kind: s.kind,
        kindLabel: CONGRESS_KINDS[s.kind],
        delegates: s.delegates,
        present: s.present,
        motions: s.motions,
        resolutions: s.resolutions,
      })),
      disclosures: disclosures.map((d) => ({ id: d.id, publishedOn: d.published_on, subject: d.subject, channel: d.channel })),
    };
  }

  return {
    dictionary() {
      const pairs = (o: Record<string, string>) => Object.entries(o).map(([value, label]) => ({ value, label }));
      return {
        ownerships: pairs(OWNERSHIPS),
        nonPublic: NON_PUBLIC,
        industries: pairs(INDUSTRIES),
        sizes: pairs(SIZES),
        officerRoles: pairs(OFFICER_ROLES),
        foundingStatuses: pairs(FOUNDING_STATUSES),
        foundingThreshold: FOUNDING_THRESHOLD,
      };
    },

    async create(actor: StaffActor, meta: RequestMeta, input: CreateEnterpriseInput) {
      const org = await ctx.orgs.findInScope(actor, input.orgId);
      if (!org) throw notFound('所属工会');
      const union = input.unionOrgId ? await coveringUnion(actor, input.unionOrgId) : null;
      try {
        const id = await db.transaction().execute(async (trx) => {
          const e = await repo.insert(trx, {
            org_id: org.id,
            credit_code: input.creditCode,
            name: input.name,
            ownership: input.ownership,
            industry: input.industry,
            size: input.size,
            employees: input.employees,
            women: input.women,
            migrant_workers: input.migrantWorkers,
            address: input.address,
            division_code: input.divisionCode,
            is_platform: input.isPlatform,
            union_org_id: union?.id ?? null,
            union_kind: union?.kind ?? null,
            unionised_on: union ? today() : null,
          });
          await audit(trx, actor, meta, 'enterprise.create', e, { creditCode: e.credit_code });
          return e.id;
        });
        return get(actor, id);
      } catch (err) {
        if (isUniqueViolation(err)) throw invalid({ creditCode: '该统一社会信用代码的企业已登记' });
        throw err;
      }
    },

    async update(actor: StaffActor, meta: RequestMeta, id: string, input: UpdateEnterpriseInput) {
      const union = input.unionOrgId ? await coveringUnion(actor, input.unionOrgId) : null;
      await db.transaction().execute(async (trx) => {
        const e = await repo.findInScope(trx, actor.orgPath, id, true);
        if (!e) throw notFound('企业');
        const employees = input.employees ?? e.employees;
        if ((input.women ?? e.women) > employees) throw invalid({ women: '女职工人数不能多于职工人数' });
        if ((input.migrantWorkers ?? e.migrant_workers) > employees) throw invalid({ migrantWorkers: '农民工人数不能多于职工人数' });
        const updated = await repo.update(trx, id, input.version, {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.ownership !== undefined && { ownership: input.ownership }),
          ...(input.industry !== undefined && { industry: input.industry }),
          ...(input.size !== undefined && { size: input.size }),
          ...(input.employees !== undefined && { employees: input.employees }),
          ...(input.women !== undefined && { women: input.women }),
          ...(input.migrantWorkers !== undefined && { migrant_workers: input.migrantWorkers }),
          ...(input.address !== undefined && { address: input.address }),
          ...(input.divisionCode !== undefined && { division_code: input.divisionCode }),
          ...(input.isPlatform !== undefined && { is_platform: input.isPlatform }),
          ...(input.unionOrgId !== undefined &&
            (union
              ? { union_org_id: union.id, union_kind: union.kind, unionised_on: e.unionised_on ?? today() }
              : { union_org_id: null, union_kind: null, unionised_on: null })),
        });
        if (!updated) throw conflict();
        const { version: _v, ...changed } = input;
        await audit(trx, actor, meta, 'enterprise.update', updated, { changed: Object.keys(changed) });
      });
      return get(actor, id);
    },

    async list(actor: StaffActor, q: EnterprisesQuery) {
      let scope = actor.orgPath;
      if (q.orgId) {
        const o = await ctx.orgs.findInScope(actor, q.orgId);
        if (!o) throw notFound('组织');
        scope = o.path;
      }
      const { items, total } = await repo.list(db, scope, {
        q: q.q,
        ownership: q.ownership,
        industry: q.industry,
        unionless: q.unionless,
        figure: q.figure as Figure | undefined,
        isPlatform: q.isPlatform,
        year: q.year ?? chinaYear(ctx.clock.now()),
        today: today(),
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return { items: items.map((e) => enterpriseDto(e as Row)), total };
    },

    get,

    /** For the contracts module: an enterprise in the caller's scope, or undefined. */
    async findInScope(exec: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
      return repo.findInScope(exec, actor.orgPath, id);
    },

    // ---- 职代会 / 厂务公开 ----
    async addCongress(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: {
        heldOn: string;
        kind: 'congress' | 'assembly';
        delegates: number;
        present: number;
        motions: { title: string; handling: string }[];
        resolutions: string;
      },
    ) {
      if (input.heldOn > today()) throw invalid({ heldOn: '召开日期不能晚于今天' });
      await db.transaction().execute(async (trx) => {
        const e = await repo.findInScope(trx, actor.orgPath, id, true);
        if (!e) throw notFound('企业');
        if (!e.union_org_id) throw invalid({ enterpriseId: '企业尚未建会，不能登记职代会' });
        const s = await repo.insertCongress(trx, {
          enterprise_id: id,
          held_on: input.heldOn,
          kind: input.kind,
          delegates: input.delegates,
          present: input.present,
          motions: JSON.stringify(input.motions),
          resolutions: input.resolutions,
        });
        await audit(trx, actor, meta, 'enterprise.congress', e, { sessionId: s.id, heldOn: s.held_on });
      });
      return get(actor, id);
    },

    async setSystems(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; congressSystem: boolean; disclosureSystem: boolean }) {
      await db.transaction().execute(async (trx) => {
        const e = await repo.findInScope(trx, actor.orgPath, id, true);
        if (!e) throw notFound('企业');
        if (!e.union_org_id && (input.congressSystem || input.disclosureSystem))
          throw invalid({ congressSystem: '企业尚未建会，不能建立职代会、厂务公开制度' });
        const updated = await repo.update(trx, id, input.version, { congress_system: input.congressSystem, disclosure_system: input.disclosureSystem });
        if (!updated) throw conflict();
        await audit(trx, actor, meta, 'enterprise.systems', e, { congressSystem: input.congressSystem, disclosureSystem: input.disclosureSystem });
      });
      return get(actor, id);
    },

    async addDisclosure(actor: StaffActor, meta: RequestMeta, id: string, input: { publishedOn: string; subject: string; channel: string }) {
      if (input.publishedOn > today()) throw invalid({ publishedOn: '公开日期不能晚于今天' });
      await db.transaction().execute(async (trx) => {
        const e = await repo.findInScope(trx, actor.orgPath, id, true);
        if (!e) throw notFound('企业');
        const d = await repo.insertDisclosure(trx, { enterprise_id: id, published_on: input.publishedOn, subject: input.subject, channel: input.channel });
        await audit(trx, actor, meta, 'enterprise.disclosure', e, { itemId: d.id, subject: d.subject });
      });
      return get(actor, id);
    },
  };
}

export type EnterprisesService = ReturnType<typeof createEnterprisesService>;
