import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App, StaffActor } from '../../platform/context.js';
import { idParam, okResponse, pageOf } from '../../platform/pagination.js';
import type { Permission } from '../../platform/permissions.js';
import type { AccountsService } from './accounts.service.js';
import { orgNode } from '../orgs/orgs.schema.js';
import {
  accountListQuery,
  accountOrgQuery,
  accountSchema,
  createAccountBody,
  createRoleBody,
  permissionsResponse,
  resetPasswordBody,
  roleSchema,
  sessionIdParam,
  sessionListQuery,
  sessionSchema,
  updateAccountBody,
  updateRoleBody,
} from './accounts.schema.js';
import { DutyRefusal } from './duty-guard.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;

/** The system administrator manages accounts; the security administrator sees them to unlock and reset the 三员's. */
const ACCOUNT_READERS: readonly [Permission, ...Permission[]] = ['account:read', 'account:unlock'];
/** Who may reach the reset and unlock routes at all; the duty matrix then decides per account (decision 010). */
const CREDENTIAL_MANAGERS: readonly [Permission, ...Permission[]] = ['account:write', 'account:unlock'];

/** A duty refusal writes its own audit row (with the duties involved): no second, generic one. */
async function dutyAudited<T>(req: FastifyRequest, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof DutyRefusal) req.auditedFailure = true;
    throw err;
  }
}

export function accountsRoutes(app: App, { accounts }: { accounts: AccountsService }) {
  app.get(
    '/api/accounts',
    {
      config: { access: ACCOUNT_READERS },
      schema: { tags: ['accounts'], summary: '账号列表', querystring: accountListQuery, response: { 200: pageOf(accountSchema) } },
    },
    async (req) => accounts.list(staff(req), req.query),
  );

  app.get(
    '/api/accounts/orgs',
    {
      config: { access: ACCOUNT_READERS },
      schema: {
        tags: ['accounts'],
        summary: '可选的所属组织（新建账号、按组织筛选账号用）',
        querystring: accountOrgQuery,
        response: { 200: pageOf(orgNode.extend({ pathNames: z.array(z.string()), path: z.string() })) },
      },
    },
    async (req) => accounts.orgOptions(staff(req), req.query),
  );

  app.get(
    '/api/accounts/:id',
    { config: { access: ACCOUNT_READERS }, schema: { tags: ['accounts'], summary: '账号详情', params: idParam, response: { 200: accountSchema } } },
    async (req) => accounts.get(staff(req), req.params.id),
  );

  app.post(
    '/api/accounts',
    { config: { access: 'account:write' }, schema: { tags: ['accounts'], summary: '新建账号', body: createAccountBody, response: { 200: accountSchema } } },
    async (req) => dutyAudited(req, accounts.create(staff(req), req.meta, req.body)),
  );

  app.patch(
    '/api/accounts/:id',
    {
      config: { access: 'account:write' },
      schema: { tags: ['accounts'], summary: '修改账号', params: idParam, body: updateAccountBody, response: { 200: accountSchema } },
    },
    async (req) => dutyAudited(req, accounts.update(staff(req), req.meta, req.params.id, req.body)),
  );

  const empty = z.strictObject({}).optional();
  app.post(
    '/api/accounts/:id/disable',
    {
      config: { access: 'account:write' },
      schema: { tags: ['accounts'], summary: '停用账号（同时结束其全部会话）', params: idParam, body: empty, response: { 200: accountSchema } },
    },
    async (req) => dutyAudited(req, accounts.setStatus(staff(req), req.meta, req.params.id, 'disabled')),
  );
  app.post(
    '/api/accounts/:id/enable',
    {
      config: { access: 'account:write' },
      schema: { tags: ['accounts'], summary: '启用账号', params: idParam, body: empty, response: { 200: accountSchema } },
    },
    async (req) => dutyAudited(req, accounts.setStatus(staff(req), req.meta, req.params.id, 'active')),
  );
  app.post(
    '/api/accounts/:id/unlock',
    {
      config: { access: CREDENTIAL_MANAGERS },
      schema: { tags: ['accounts'], summary: '解锁账号', params: idParam, body: empty, response: { 200: accountSchema } },
    },
    async (req) => dutyAudited(req, accounts.unlock(staff(req), req.meta, req.params.id)),
  );
  app.post(
    '/api/accounts/:id/reset-password',
    {
      config: { access: CREDENTIAL_MANAGERS },
      schema: {
        tags: ['accounts'],
        summary: '重置密码（下次登录须先修改；三员的密码由其他职责的管理员重置）',
        params: idParam,
        body: resetPasswordBody,
        response: { 200: accountSchema },
      },
    },
    async (req) => dutyAudited(req, accounts.resetPassword(staff(req), req.meta, req.params.id, req.body.password)),
  );

  // ---- roles ----
  app.get(
    '/api/permissions',
    { config: { access: 'role:read' }, schema: { tags: ['roles'], summary: '权限清单（每项权限所属的职责）', response: { 200: permissionsResponse } } },
    async (req) => accounts.permissions(staff(req)),
  );
  app.get(
    '/api/roles',
    { config: { access: 'role:read' }, schema: { tags: ['roles'], summary: '角色列表', response: { 200: z.object({ items: z.array(roleSchema) }) } } },
    async (req) => ({ items: await accounts.listRoles(staff(req)) }),
  );
  app.post(
    '/api/roles',
    {
      config: { access: 'role:write' },
      schema: { tags: ['roles'], summary: '新建角色（权限须属于同一职责）', body: createRoleBody, response: { 200: roleSchema } },
    },
    async (req) => dutyAudited(req, accounts.createRole(staff(req), req.meta, req.body)),
  );
  app.patch(
    '/api/roles/:id',
    {
      config: { access: 'role:write' },
      schema: { tags: ['roles'], summary: '修改角色（职责不可更改）', params: idParam, body: updateRoleBody, response: { 200: roleSchema } },
    },
    async (req) => dutyAudited(req, accounts.updateRole(staff(req), req.meta, req.params.id, req.body)),
  );
  app.delete(
    '/api/roles/:id',
    { config: { access: 'role:write' }, schema: { tags: ['roles'], summary: '删除角色', params: idParam, response: { 200: okResponse } } },
    async (req) => {
      await dutyAudited(req, accounts.deleteRole(staff(req), req.meta, req.params.id));
      return { ok: true as const };
    },
  );

  // ---- sessions ----
  app.get(
    '/api/sessions',
    {
      config: { access: 'session:read' },
      schema: { tags: ['sessions'], summary: '在线会话', querystring: sessionListQuery, response: { 200: pageOf(sessionSchema) } },
    },
    async (req) => accounts.listSessions(staff(req), req.query),
  );
  app.delete(
    '/api/sessions/:id',
    { config: { access: 'session:revoke' }, schema: { tags: ['sessions'], summary: '强制下线', params: sessionIdParam, response: { 200: okResponse } } },
    async (req) => {
      await dutyAudited(req, accounts.endSession(staff(req), req.meta, req.params.id));
      return { ok: true as const };
    },
  );
}
