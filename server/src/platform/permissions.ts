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
  'holiday:manage': { label: '设置节假日与调休上班日（办理时限按此计算）', group: '系统' },
  'member:read': { label: '查看会员名册', group: '会员与入会' },
  'member:write': { label: '维护会员、办理会籍变动', group: '会员与入会' },
  'member:reveal': { label: '查看完整身份证号、手机号（留痕）', group: '会员与入会' },
  'member:export': { label: '导出会员名册', group: '会员与入会' },
  'member:import': { label: '批量导入会员', group: '会员与入会' },
  'member:match': { label: '名单比对（对接部门数据）', group: '会员与入会' },
  'join:review': { label: '审核入会申请', group: '会员与入会' },
  'campaign:manage': { label: '管理入会活动与二维码', group: '会员与入会' },
  'partner:manage': { label: '管理合作平台接入', group: '会员与入会' },
  'service:manage': { label: '管理服务事项（表单与流程）', group: '职工服务' },
  'application:read': { label: '查看服务申请', group: '职工服务' },
  'application:handle': { label: '办理服务申请（审核、退回、转办）', group: '职工服务' },
  'application:export': { label: '导出服务申请', group: '职工服务' },
  'hardship:read': { label: '查看困难职工档案', group: '困难帮扶' },
  'hardship:write': { label: '建档、入户核实、公示、年度复核、结对帮扶', group: '困难帮扶' },
  'hardship:approve': { label: '困难职工档案县级审核', group: '困难帮扶' },
  'aid:read': { label: '查看帮扶资金台账', group: '困难帮扶' },
  'aid:manage': { label: '下达帮扶资金预算', group: '困难帮扶' },
  'aid:disburse': { label: '登记帮扶资金发放', group: '困难帮扶' },
  'activity:read': { label: '查看活动与报名', group: '活动' },
  'activity:manage': { label: '创建、发布活动', group: '活动' },
  'activity:operate': { label: '报名审核、签到、成绩、证书', group: '活动' },
} as const satisfies Record<string, { label: string; group: string }>;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}
