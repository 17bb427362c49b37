import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../../db/errors.js';
import type { DB, Org, OrgType } from '../../db/schema.js';
import type { AppDeps, RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { auditActor, type AuditService } from '../audit/audit.service.js';
import { identityChanged } from '../auth/identity-cache.js';
import { orgsRepository, type OrgWithCounts } from './orgs.repository.js';
import {
  acceptsMembers,
  ALLOWED_PARENTS,
  MEMBER_UNION_TYPES,
  ORG_STATUSES,
  ORG_TYPES,
  type CreateOrgInput,
  type OrgDetailDto,
  type OrgNodeDto,
  type UpdateOrgInput,
} from './orgs.schema.js';

/**
 * Another module (members) registers a guard to refuse dissolving a union that still has
 * active members. A guard returns a Chinese reason to refuse, or null to allow.
 */
export type DissolveGuard = (trx: Transaction<DB>, org: Org) => Promise<string | null>;

/**
 * Work a module does on a move beyond its copied paths: those (COPIED_PATHS in orgs.copied-paths.ts)
 * are rewritten by the move itself, before the hooks run. `by`: who moved it, for the hook's audit rows.
 */
export type MoveHook = (trx: Transaction<DB>, oldPath: string, newPath: string, by: { actor: StaffActor; meta: RequestMeta }) => Promise<void>;

export const pathIds = (path: string) => path.split('/').filter(Boolean);

function toNode(o: OrgWithCounts): OrgNodeDto {
  return {
    id: o.id,
    parentId: o.parent_id,
    name: o.name,
    type: o.type,
    typeLabel: ORG_TYPES[o.type],
    status: o.status,
    divisionCode: o.division_code,
    childCount: o.child_count,
  };
}

export function createOrgsService(deps: AppDeps & { audit: AuditService }) {
  const db: Kysely<DB> = deps.database.db;
  const guards: DissolveGuard[] = [];
  const moveHooks: MoveHook[] = [];

  async function detail(exec: Kysely<DB> | Transaction<DB>, o: Org): Promise<OrgDetailDto> {
    const ancestorIds = pathIds(o.path).slice(0, -1);
    const [names, childCount, descendantCount] = await Promise.all([
      orgsRepository.namesByIds(exec, ancestorIds),
      orgsRepository.countChildren(exec, o.id),
      orgsRepository.countDescendants(exec, o.path),
    ]);
    return {
      ...toNode({ ...o, child_count: childCount }),
      statusLabel: ORG_STATUSES[o.status],
      creditCode: o.credit_code,
      address: o.address,
      longitude: o.longitude === null ? null : Number(o.longitude),
      latitude: o.latitude === null ? null : Number(o.latitude),
      foundedOn: o.founded_on,
      chairName: o.chair_name,
      ancestors: ancestorIds.map((id) => ({ id, name: names.get(id) ?? '' })),
      descendantCount,
      dissolvedAt: o.dissolved_at ? o.dissolved_at.toISOString() : null,
      dissolveReason: o.dissolve_reason,
      createdAt: o.created_at.toISOString(),
      updatedAt: o.updated_at.toISOString(),
      version: o.version,
    };
  }

  function checkParentType(type: OrgType, parent: Org, field: string) {
    if (!ALLOWED_PARENTS[type].includes(parent.type)) {
      throw invalid({ [field]: `${ORG_TYPES[type]}不能设在${ORG_TYPES[parent.type]}之下` });
    }
    if (parent.status !== 'active') throw invalid({ [field]: '上级组织已撤销' });
  }

  const audit = (trx: Transaction<DB>, actor: StaffActor, meta: RequestMeta, action: string, org: Org, detail?: Record<string, unknown>) =>
    deps.audit.append(trx, {
      ...auditActor(actor, meta),
      action,
      targetType: 'org',
      targetId: org.id,
      orgId: org.id,
      outcome: 'success',
      detail: { name: org.name, ...detail },
    });

  return {
    registerDissolveGuard(guard: DissolveGuard) {
      guards.push(guard);
    },

    registerMoveHook(hook: MoveHook) {
      moveHooks.push(hook);
    },

    /** For other modules inside their transaction: the org, its status and the 行政区划 code of it or its nearest ancestor. */
    async forMembership(trx: Kysely<DB> | Transaction<DB>, orgId: string) {
      const org = await orgsRepository.findById(trx, orgId);
      if (!org) return undefined;
      const division = await orgsRepository.nearestDivisionCode(trx, org.path);
      return { org, divisionCode: division };
    },

    /** The caller's own node (the tree's root as they see it). */
    async ownRoot(actor: StaffActor): Promise<OrgNodeDto[]> {
      const o = await orgsRepository.findByPath(db, actor.orgPath);
      return o ? [toNode(o)] : [];
    },

    async children(actor: StaffActor, parentId: string): Promise<OrgNodeDto[]> {
      const parent = await orgsRepository.findInScope(db, actor.orgPath, parentId);
      if (!parent) throw notFound('组织');
      return (await orgsRepository.children(db, actor.orgPath, parentId)).map(toNode);
    },

    async search(actor: StaffActor, f: { q: string; type?: OrgType; status?: Org['status']; page: number; pageSize: number }) {
      const { items, total } = await orgsRepository.search(db, actor.orgPath, {
        ...f,
        limit: f.pageSize,
        offset: (f.page - 1) * f.pageSize,
      });
      const ids = [...new Set(items.flatMap((o) => pathIds(o.path)))];
      const names = await orgsRepository.namesByIds(db, ids);
      return {
        // `path` is answered only where a route declares it (the account form: roles apply at or below their union).
        items: items.map((o) => ({ ...toNode(o), path: o.path, pathNames: pathIds(o.path).map((id) => names.get(id) ?? '') })),
        total,
      };
    },

    async get(actor: StaffActor, id: string): Promise<OrgDetailDto> {
      const o = await orgsRepository.findInScope(db, actor.orgPath, id);
      if (!o) throw notFound('组织');
      return detail(db, o);
    },

    /** Scoped lookup for other modules: undefined when out of the actor's subtree. */
    async findInScope(actor: StaffActor, id: string): Promise<Org | undefined> {
      return orgsRepository.findInScope(db, actor.orgPath, id);
    },

    async create(actor: StaffActor, meta: RequestMeta, input: CreateOrgInput): Promise<OrgDetailDto> {
      try {
        return await db.transaction().execute(async (trx) => {
          const parent = await orgsRepository.findInScope(trx, actor.orgPath, input.parentId);
          if (!parent) throw notFound('上级组织');
          checkParentType(input.type, parent, 'type');
          const id = await orgsRepository.nextId(trx);
          const org = await orgsRepository.insert(trx, {
            id,
            parent_id: parent.id,
            path: `${parent.path}${id}/`,
            depth: parent.depth + 1,
            type: input.type,
            name: input.name,
            credit_code: input.creditCode,
            division_code: input.divisionCode,
            address: input.address,
            longitude: input.longitude === null ? null : String(input.longitude),
            latitude: input.latitude === null ? null : String(input.latitude),
            founded_on: input.foundedOn,
            chair_name: input.chairName,
          });
          await audit(trx, actor, meta, 'org.create', org, { parentId: parent.id, type: org.type });
          return detail(trx, org);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw invalid({ creditCode: '该统一社会信用代码已被其他组织使用' });
        throw err;
      }
    },

    async update(actor: StaffActor, meta: RequestMeta, id: string, input: UpdateOrgInput): Promise<OrgDetailDto> {
      try {
        return await db.transaction().execute(async (trx) => {
          const current = await orgsRepository.findInScopeForUpdate(trx, actor.orgPath, id);
          if (!current) throw notFound('组织');
          if (current.status !== 'active') throw new AppError('CONFLICT', '已撤销的组织不能修改');
          const patch = {
            ...(input.name !== undefined && { name: input.name }),
            ...(input.creditCode !== undefined && { credit_code: input.creditCode }),
            ...(input.divisionCode !== undefined && { division_code: input.divisionCode }),
            ...(input.address !== undefined && { address: input.address }),
            ...(input.longitude !== undefined && { longitude: input.longitude === null ? null : String(input.longitude) }),
            ...(input.latitude !== undefined && { latitude: input.latitude === null ? null : String(input.latitude) }),
            ...(input.foundedOn !== undefined && { founded_on: input.foundedOn }),
            ...(input.chairName !== undefined && { chair_name: input.chairName }),
          };
          const updated = await orgsRepository.update(trx, id, input.version, patch);
          if (!updated) throw conflict();
          const { version: _v, ...changed } = input;
          await audit(trx, actor, meta, 'org.update', updated, { changed: Object.keys(changed) });
          return detail(trx, updated);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw invalid({ creditCode: '该统一社会信用代码已被其他组织使用' });
        throw err;
      }
    },

    /** Moves a node and its whole subtree under a new parent, in one transaction. */
    async move(actor: StaffActor, meta: RequestMeta, id: string, input: { newParentId: string; version: number }): Promise<OrgDetailDto> {
      const result = await db.transaction().execute(async (trx) => {
        const node = await orgsRepository.findInScopeForUpdate(trx, actor.orgPath, id);
        if (!node) throw notFound('组织');
        if (node.path === actor.orgPath) throw new AppError('FORBIDDEN', '不能移动本级组织');
        if (node.version !== input.version) throw conflict();
        const parent = await orgsRepository.findInScopeForUpdate(trx, actor.orgPath, input.newParentId);
        if (!parent) throw notFound('目标上级组织');
        if (parent.path.startsWith(node.path)) throw invalid({ newParentId: '不能移动到自身或其下级组织之下' });
        if (parent.id === node.parent_id) throw invalid({ newParentId: '已在该上级组织之下' });
        checkParentType(node.type, parent, 'newParentId');
        const newPath = `${parent.path}${node.id}/`;
        const moved = await orgsRepository.rewriteSubtree(trx, node.path, newPath, parent.depth + 1 - node.depth);
        await orgsRepository.rewriteCopiedPaths(trx, node.path, newPath);
        for (const hook of moveHooks) await hook(trx, node.path, newPath, { actor, meta });
        const updated = await orgsRepository.update(trx, node.id, node.version, { parent_id: parent.id });
        if (!updated) throw conflict();
        await audit(trx, actor, meta, 'org.move', updated, { fromParentId: node.parent_id, toParentId: parent.id, nodesMoved: moved });
        return detail(trx, updated);
      });
      // Again after the commit: a look-up between the in-transaction bump and the commit read the old
      // paths and roles and would keep them for up to a second (decision 036).
      identityChanged();
      return result;
    },

    async dissolve(actor: StaffActor, meta: RequestMeta, id: string, input: { reason: string; version: number }): Promise<OrgDetailDto> {
      return db.transaction().execute(async (trx) => {
        const node = await orgsRepository.findInScopeForUpdate(trx, actor.orgPath, id);
        if (!node) throw notFound('组织');
        if (node.path === actor.orgPath) throw new AppError('FORBIDDEN', '不能撤销本级组织');
        if (node.status !== 'active') throw new AppError('CONFLICT', '该组织已撤销');
        if (node.version !== input.version) throw conflict();
        const activeChildren = await orgsRepository.countChildren(trx, node.id, 'active');
        if (activeChildren > 0) throw new AppError('CONFLICT', `该组织还有 ${activeChildren} 个未撤销的下级组织，请先撤销或移走`);
        for (const guard of guards) {
          const reason = await guard(trx, node);
          if (reason) throw new AppError('CONFLICT', reason);
        }
        const updated = await orgsRepository.update(trx, node.id, node.version, {
          status: 'dissolved',
          dissolved_at: deps.clock.now(),
          dissolve_reason: input.reason,
        });
        if (!updated) throw conflict();
        await audit(trx, actor, meta, 'org.dissolve', updated, { reason: input.reason });
        return detail(trx, updated);
      });
    },

    /** For workers choosing a union to join: active unions by name (no scope: the directory is public to signed-in workers). */
    /**
     * The public directory for the H5 入会 screen: unions that take members (MEMBER_UNION_TYPES),
     * optionally only those under one union (a campaign or QR code of a 县/镇 union); without a
     * query under a union, its first twenty.
     */
    async searchPublic(q: string, opts: { underId?: string } = {}) {
      let scope = '/';
      if (opts.underId) {
        const under = await orgsRepository.findById(db, opts.underId);
        if (!under) throw notFound('工会');
        scope = under.path;
      }
      const { items } = await orgsRepository.search(db, scope, { q, types: MEMBER_UNION_TYPES, status: 'active', limit: 20, offset: 0 });
      const ids = [...new Set(items.flatMap((o) => pathIds(o.path)))];
      const names = await orgsRepository.namesByIds(db, ids);
      return {
        items: items.map((o) => ({ id: o.id, name: o.name, typeLabel: ORG_TYPES[o.type], pathNames: pathIds(o.path).map((id) => names.get(id) ?? '') })),
      };
    },

    /**
     * One union of the public directory (a per-org join QR code): unknown id is 404; `active` says
     * whether it exists and is not dissolved, `acceptsMembers` whether workers join it directly.
     */
    async publicUnion(id: string) {
      const o = await orgsRepository.findById(db, id);
      if (!o) throw notFound('工会');
      const ids = pathIds(o.path);
      const names = await orgsRepository.namesByIds(db, ids);
      return {
        id: o.id,
        name: o.name,
        typeLabel: ORG_TYPES[o.type],
        pathNames: ids.map((i) => names.get(i) ?? ''),
        active: o.status === 'active',
        acceptsMembers: acceptsMembers(o.type),
      };
    },

    /** Path of the tree's root (the city federation). */
    async rootPath(): Promise<string> {
      return (await orgsRepository.root(db))?.path ?? '/';
    },

    dictionary() {
      return {
        types: Object.entries(ORG_TYPES).map(([value, label]) => ({ value, label })),
        statuses: Object.entries(ORG_STATUSES).map(([value, label]) => ({ value, label })),
        allowedParents: ALLOWED_PARENTS,
      };
    },
  };
}

export type OrgsService = ReturnType<typeof createOrgsService>;
