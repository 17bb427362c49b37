// Permissions are typed strings `entity:action`. Roles carry them; the account's org node
// says where they apply (its subtree).
export const PERMISSIONS = {
  'org:read': { label: '查看组织', group: '组织架构' },
  'org:write': { label: '新建、编辑、移动组织', group: '组织架构' },
  'org:dissolve': { label: '撤销组织', group: '组织架构' },
  'account:read': { label: '查看账号', group: '账号与角色' },
  'account:write': { label: '新建、编辑、停用账号', group: '账号与角色' },
  'account:unlock': { label: '解锁账号', group: '账号与角色' },
  'role:read': { label: '查看角色', group: '账号与角色' },
  'role:write': { label: '管理角色', group: '账号与角色' },
  'session:read': { label: '查看在线会话', group: '安全' },
  'session:revoke': { label: '强制下线', group: '安全' },
  'audit:read': { label: '查看审计日志', group: '审计' },
} as const satisfies Record<string, { label: string; group: string }>;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}
