// Request and response shapes of the account, role and session administration (三员).
import { z } from 'zod';
import { idField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';

export const dutyEnum = z.enum(['system', 'security', 'audit', 'business']);

export const accountSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  /** `path`: the materialised path, for the form to offer only the roles this union may hold. */
  org: z.object({ id: z.string(), name: z.string(), path: z.string() }),
  roles: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  /** The duty of the account's roles; null for an account left with roles of several duties (it can do nothing). */
  duty: dutyEnum.nullable(),
  status: z.enum(['active', 'disabled']),
  locked: z.boolean(),
  lockedUntil: z.string().nullable(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
  /** What the caller may do to this account under the duty matrix (decision 010). */
  actions: z.object({
    edit: z.boolean(),
    grant: z.boolean(),
    disable: z.boolean(),
    enable: z.boolean(),
    resetPassword: z.boolean(),
    unlock: z.boolean(),
  }),
});

export const roleSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  description: z.string(),
  builtin: z.boolean(),
  /** Null only for a role from before the duty rule whose permissions mix duties: it grants nothing. */
  duty: dutyEnum.nullable(),
  permissions: z.array(z.string()),
  accountCount: z.number().int(),
  /** The union that defined a custom role (null: built-in, valid everywhere); only accounts at or below it may hold it. */
  org: z.object({ id: z.string(), name: z.string(), path: z.string() }).nullable(),
  /** The caller may give this role to an account. */
  assignable: z.boolean(),
  /** The caller may edit or delete this role. */
  editable: z.boolean(),
});

export const permissionsResponse = z.object({
  items: z.array(z.object({ code: z.string(), label: z.string(), group: z.string(), duty: dutyEnum, dutyLabel: z.string() })),
  duties: z.array(z.object({ code: dutyEnum, label: z.string(), definable: z.boolean() })),
});

const displayName = z.string({ error: '请填写姓名' }).trim().min(2, '姓名至少 2 个字').max(50, '姓名不能超过 50 个字');
const roleIds = z.array(idField('角色'), { error: '请选择角色' }).min(1, '至少选择一个角色').max(10);
const password = z.string({ error: '请填写密码' }).max(128, '密码不能超过 128 位');

export const accountListQuery = z.strictObject({
  q: z.string().trim().max(50).optional(),
  orgId: idField('组织').optional(),
  status: z.enum(['active', 'disabled']).optional(),
  ...pageQuery,
});

export const accountOrgQuery = z.strictObject({
  q: z.string().trim().max(50, '关键词不能超过 50 个字').default(''),
  status: z.enum(['active', 'dissolved']).optional(),
  ...pageQuery,
});

export const createAccountBody = z.strictObject({
  username: z
    .string({ error: '请填写用户名' })
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9_.-]{2,31}$/, '用户名为 3-32 位，以字母开头，可含字母、数字、_ . -'),
  displayName,
  orgId: idField('所属组织'),
  roleIds,
  password,
});

export const updateAccountBody = z.strictObject({
  version: versionField(),
  displayName: displayName.optional(),
  orgId: idField('所属组织').optional(),
  roleIds: roleIds.optional(),
});

export const resetPasswordBody = z.strictObject({ password });

const roleName = z.string({ error: '请填写角色名称' }).trim().min(2, '角色名称至少 2 个字').max(50);
const permissions = z.array(z.string(), { error: '请选择权限' }).max(100);

export const createRoleBody = z.strictObject({
  code: z
    .string({ error: '请填写角色代码' })
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,40}$/, '角色代码为小写字母开头的字母、数字、下划线'),
  name: roleName,
  description: z.string().trim().max(200).optional(),
  permissions,
});

export const updateRoleBody = z.strictObject({
  name: roleName.optional(),
  description: z.string().trim().max(200).optional(),
  permissions: permissions.optional(),
});

export const sessionListQuery = z.strictObject({ accountId: idField('账号').optional(), ...pageQuery });

export const sessionSchema = z.object({
  id: z.string(),
  account: z.object({ id: z.string(), username: z.string(), displayName: z.string() }),
  org: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});

export const sessionIdParam = z.strictObject({ id: z.string().regex(/^[0-9a-f]{64}$/, '会话编号格式错误') });
