import { z } from 'zod';
import type { App, StaffActor } from '../../platform/context.js';
import { idParam, okResponse, pageOf, pageQuery } from '../../platform/pagination.js';
import type { Services } from '../../app.js';

const account = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  org: z.object({ id: z.string(), name: z.string() }),
  roles: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  status: z.enum(['active', 'disabled']),
  locked: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
const role = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  description: z.string(),
  builtin: z.boolean(),
  duty: z.enum(['system', 'security', 'audit']).nullable(),
  permissions: z.array(z.string()),
  accountCount: z.number().int(),
});
const idString = (label: string) => z.string({ error: `请选择${label}` }).regex(/^[1-9][0-9]{0,18}$/, `${label}编号格式错误`);
const displayName = z.string({ error: '请填写姓名' }).trim().min(2, '姓名至少 2 个字').max(50, '姓名不能超过 50 个字');
const roleIds = z.array(idString('角色'), { error: '请选择角色' }).min(1, '至少选择一个角色').max(10);
const password = z.string({ error: '请填写密码' }).max(128, '密码不能超过 128 位');
const staff = (req: { actor: unknown }) => req.actor as StaffActor;

export function accountsRoutes(app: App, { accounts }: Pick<Services, 'accounts'>) {
  app.get(
    '/api/accounts',
    {
      config: { access: 'account:read' },
      schema: {
        tags: ['accounts'],
        summary: '账号列表',
        querystring: z.strictObject({
          q: z.string().trim().max(50).optional(),
          orgId: idString('组织').optional(),
          status: z.enum(['active', 'disabled']).optional(),
          ...pageQuery,
        }),
        response: { 200: pageOf(account) },
      },
    },
    async (req) => accounts.list(staff(req), req.query),
  );

  app.get(
    '/api/accounts/:id',
    { config: { access: 'account:read' }, schema: { tags: ['accounts'], summary: '账号详情', params: idParam, response: { 200: account } } },
    async (req) => accounts.get(staff(req), req.params.id),
  );

  app.post(
    '/api/accounts',
    {
      config: { access: 'account:write' },
      schema: {
        tags: ['accounts'],
        summary: '新建账号',
        body: z.strictObject({
          username: z
            .string({ error: '请填写用户名' })
            .trim()
            .toLowerCase()
            .regex(/^[a-z][a-z0-9_.-]{2,31}$/, '用户名为 3-32 位，以字母开头，可含字母、数字、_ . -'),
          displayName,
          orgId: idString('所属组织'),
          roleIds,
          password,
        }),
        response: { 200: account },
      },
    },
    async (req) => accounts.create(staff(req), req.meta, req.body),
  );

  app.patch(
    '/api/accounts/:id',
    {
      config: { access: 'account:write' },
      schema: {
        tags: ['accounts'],
        summary: '修改账号',
        params: idParam,
        body: z.strictObject({
          version: z.number({ error: '缺少版本号' }).int(),
          displayName: displayName.optional(),
          orgId: idString('所属组织').optional(),
          roleIds: roleIds.optional(),
        }),
        response: { 200: account },
      },
    },
    async (req) => accounts.update(staff(req), req.meta, req.params.id, req.body),
  );

  const empty = z.strictObject({}).optional();
  app.post(
    '/api/accounts/:id/disable',
    {
      config: { access: 'account:write' },
      schema: { tags: ['accounts'], summary: '停用账号（同时结束其全部会话）', params: idParam, body: empty, response: { 200: account } },
    },
    async (req) => accounts.setStatus(staff(req), req.meta, req.params.id, 'disabled'),
  );
  app.post(
    '/api/accounts/:id/enable',
    { config: { access: 'account:write' }, schema: { tags: ['accounts'], summary: '启用账号', params: idParam, body: empty, response: { 200: account } } },
    async (req) => accounts.setStatus(staff(req), req.meta, req.params.id, 'active'),
  );
  app.post(
    '/api/accounts/:id/unlock',
    { config: { access: 'account:unlock' }, schema: { tags: ['accounts'], summary: '解锁账号', params: idParam, body: empty, response: { 200: account } } },
    async (req) => accounts.unlock(staff(req), req.meta, req.params.id),
  );
  app.post(
    '/api/accounts/:id/reset-password',
    {
      config: { access: 'account:write' },
      schema: { tags: ['accounts'], summary: '重置密码（下次登录须修改）', params: idParam, body: z.strictObject({ password }), response: { 200: account } },
    },
    async (req) => accounts.resetPassword(staff(req), req.meta, req.params.id, req.body.password),
  );

  // ---- roles ----
  app.get(
    '/api/permissions',
    {
      config: { access: 'role:read' },
      schema: {
        tags: ['roles'],
        summary: '权限清单',
        response: { 200: z.object({ items: z.array(z.object({ code: z.string(), label: z.string(), group: z.string() })) }) },
      },
    },
    async () => ({ items: accounts.permissions() }),
  );
  app.get(
    '/api/roles',
    { config: { access: 'role:read' }, schema: { tags: ['roles'], summary: '角色列表', response: { 200: z.object({ items: z.array(role) }) } } },
    async (req) => ({ items: await accounts.listRoles(staff(req)) }),
  );
  const roleName = z.string({ error: '请填写角色名称' }).trim().min(2, '角色名称至少 2 个字').max(50);
  const permissions = z.array(z.string(), { error: '请选择权限' }).max(100);
  app.post(
    '/api/roles',
    {
      config: { access: 'role:write' },
      schema: {
        tags: ['roles'],
        summary: '新建角色',
        body: z.strictObject({
          code: z
            .string({ error: '请填写角色代码' })
            .trim()
            .regex(/^[a-z][a-z0-9_]{1,40}$/, '角色代码为小写字母开头的字母、数字、下划线'),
          name: roleName,
          description: z.string().trim().max(200).optional(),
          permissions,
        }),
        response: { 200: role },
      },
    },
    async (req) => accounts.createRole(staff(req), req.meta, req.body),
  );
  app.patch(
    '/api/roles/:id',
    {
      config: { access: 'role:write' },
      schema: {
        tags: ['roles'],
        summary: '修改角色',
        params: idParam,
        body: z.strictObject({ name: roleName.optional(), description: z.string().trim().max(200).optional(), permissions: permissions.optional() }),
        response: { 200: role },
      },
    },
    async (req) => accounts.updateRole(staff(req), req.meta, req.params.id, req.body),
  );
  app.delete(
    '/api/roles/:id',
    { config: { access: 'role:write' }, schema: { tags: ['roles'], summary: '删除角色', params: idParam, response: { 200: okResponse } } },
    async (req) => {
      await accounts.deleteRole(staff(req), req.meta, req.params.id);
      return { ok: true as const };
    },
  );

  // ---- sessions ----
  app.get(
    '/api/sessions',
    {
      config: { access: 'session:read' },
      schema: {
        tags: ['sessions'],
        summary: '在线会话',
        querystring: z.strictObject({ accountId: idString('账号').optional(), ...pageQuery }),
        response: {
          200: pageOf(
            z.object({
              id: z.string(),
              account: z.object({ id: z.string(), username: z.string(), displayName: z.string() }),
              org: z.object({ id: z.string(), name: z.string() }),
              createdAt: z.string(),
              lastSeenAt: z.string(),
              expiresAt: z.string(),
              ip: z.string().nullable(),
              userAgent: z.string().nullable(),
              current: z.boolean(),
            }),
          ),
        },
      },
    },
    async (req) => accounts.listSessions(staff(req), req.query),
  );
  app.delete(
    '/api/sessions/:id',
    {
      config: { access: 'session:revoke' },
      schema: {
        tags: ['sessions'],
        summary: '强制下线',
        params: z.strictObject({ id: z.string().regex(/^[0-9a-f]{64}$/, '会话编号格式错误') }),
        response: { 200: okResponse },
      },
    },
    async (req) => {
      await accounts.endSession(staff(req), req.meta, req.params.id);
      return { ok: true as const };
    },
  );
}
