// Permissions are typed strings `entity:action`. Roles carry them; the account's org node
// says where they apply (its subtree).
//
// Every permission belongs to exactly one duty (三员 separation, docs/decisions/010):
// `system` (系统管理员: accounts, roles, system settings), `security` (安全管理员: sessions, locks,
// the 三员 passwords), `audit` (审计管理员: the audit trail) or `business` (the union's own work).
// A role holds permissions of one duty only, and an account holds roles of one duty only. Which
// accounts each may act on is the duty matrix (modules/auth/duties.ts), not the permission alone.
export type Duty = 'system' | 'security' | 'audit' | 'business';

export const DUTIES: readonly Duty[] = ['system', 'security', 'audit', 'business'];

/** The 三员 by their title; everyone else is 业务 (business). */
export const DUTY_LABELS: Record<Duty, string> = { system: '系统管理员', security: '安全管理员', audit: '审计管理员', business: '业务' };

export const PERMISSIONS = {
  'org:read': { label: '查看组织', group: '组织架构', duty: 'business' },
  'org:write': { label: '新建、编辑、移动组织', group: '组织架构', duty: 'business' },
  'org:dissolve': { label: '撤销组织', group: '组织架构', duty: 'business' },
  'account:read': { label: '查看账号', group: '账号与角色', duty: 'system' },
  'account:write': { label: '新建、编辑、停用账号，分配角色，重置密码', group: '账号与角色', duty: 'system' },
  'role:read': { label: '查看角色', group: '账号与角色', duty: 'system' },
  'role:write': { label: '管理角色', group: '账号与角色', duty: 'system' },
  'holiday:manage': { label: '设置节假日与调休上班日（办理时限按此计算）', group: '系统', duty: 'system' },
  'account:unlock': { label: '查看账号，解锁账号，重置三员的密码', group: '安全', duty: 'security' },
  'session:read': { label: '查看在线会话', group: '安全', duty: 'security' },
  'session:revoke': { label: '强制下线', group: '安全', duty: 'security' },
  'audit:read': { label: '查看审计日志', group: '审计', duty: 'audit' },
  'stats:read': { label: '查看统计指标（首页、指标对比与下钻）', group: '统计分析', duty: 'business' },
  'target:read': { label: '查看目标任务、完成进度与工作质效评价', group: '目标考核', duty: 'business' },
  'target:manage': { label: '向下级下达与分解年度目标，制定考核方案，提交人工评分项的自评与佐证', group: '目标考核', duty: 'business' },
  'target:review': { label: '审核下级人工评分项的自评（确认得分或退回）', group: '目标考核', duty: 'business' },
  'stats:report': { label: '撰写年度工作亮点（统计年报与年度工作报告）', group: '统计分析', duty: 'business' },
  'member:read': { label: '查看会员名册', group: '会员与入会', duty: 'business' },
  'member:write': { label: '维护会员、办理会籍变动', group: '会员与入会', duty: 'business' },
  'member:reveal': { label: '查看完整身份证号、手机号（留痕）', group: '会员与入会', duty: 'business' },
  'member:export': { label: '导出会员名册', group: '会员与入会', duty: 'business' },
  'member:import': { label: '批量导入会员', group: '会员与入会', duty: 'business' },
  'member:match': { label: '名单比对（对接部门数据）', group: '会员与入会', duty: 'business' },
  'join:review': { label: '审核入会申请', group: '会员与入会', duty: 'business' },
  'campaign:manage': { label: '管理入会活动与二维码', group: '会员与入会', duty: 'business' },
  'partner:manage': { label: '管理合作平台接入', group: '会员与入会', duty: 'business' },
  'service:manage': { label: '管理服务事项（表单与流程）', group: '职工服务', duty: 'business' },
  'application:read': { label: '查看服务申请', group: '职工服务', duty: 'business' },
  'application:handle': { label: '办理服务申请（审核、退回、转办）', group: '职工服务', duty: 'business' },
  'application:export': { label: '导出服务申请', group: '职工服务', duty: 'business' },
  'hardship:read': { label: '查看困难职工档案', group: '困难帮扶', duty: 'business' },
  'hardship:write': { label: '建档、入户核实、公示、年度复核、结对帮扶', group: '困难帮扶', duty: 'business' },
  'hardship:approve': { label: '困难职工档案县级审核', group: '困难帮扶', duty: 'business' },
  'aid:read': { label: '查看帮扶资金台账', group: '困难帮扶', duty: 'business' },
  'aid:manage': { label: '下达帮扶资金预算', group: '困难帮扶', duty: 'business' },
  'aid:disburse': { label: '登记帮扶资金发放', group: '困难帮扶', duty: 'business' },
  'activity:read': { label: '查看活动与报名', group: '活动', duty: 'business' },
  'activity:manage': { label: '创建、发布活动', group: '活动', duty: 'business' },
  'activity:operate': { label: '报名审核、签到、成绩、证书', group: '活动', duty: 'business' },
  'station:read': { label: '查看阵地（驿站、职工之家）与统计', group: '阵地', duty: 'business' },
  'station:manage': { label: '登记、修改、导入阵地，登记服务', group: '阵地', duty: 'business' },
  'station:inspect': { label: '阵地验收与星级评定；修改建设标准（市总）', group: '阵地', duty: 'business' },
  'enterprise:read': { label: '查看企业名录、建会、职代会与覆盖率', group: '企业与建会', duty: 'business' },
  'enterprise:write': { label: '登记与导入企业，办理建会、职代会与厂务公开', group: '企业与建会', duty: 'business' },
  'enterprise:approve': { label: '建会上级批复', group: '企业与建会', duty: 'business' },
  'contract:read': { label: '查看集体合同与要约行动', group: '集体协商', duty: 'business' },
  'contract:write': { label: '起草、协商、签订、报送集体合同，组织要约行动', group: '集体协商', duty: 'business' },
  'rights:read': { label: '查看维权咨询、案件、文书、工单与统计', group: '维权服务', duty: 'business' },
  'rights:write': { label: '登记咨询、办理调解与法律援助案件、发出提示函与意见书、办理工单', group: '维权服务', duty: 'business' },
  'rights:manage': { label: '维护调解员与专家库，发出建议书（县级以上），派发与督办工单', group: '维权服务', duty: 'business' },
  'notice:read': { label: '查看收到的通知公告，填报回执', group: '通知与宣传', duty: 'business' },
  'notice:publish': { label: '向下级工会发布通知公告，查看阅读与回执情况并提醒', group: '通知与宣传', duty: 'business' },
  'news:publish': { label: '向职工发布资讯、横幅与服务推荐（定时发布、撤回）', group: '通知与宣传', duty: 'business' },
  'models:read': { label: '查看劳模工匠名册、待遇与发放台账', group: '劳模工匠', duty: 'business' },
  'models:manage': { label: '登记与导入劳模工匠，登记荣誉与待遇发放，创新工作室与助企行难题；修改待遇标准（市总）', group: '劳模工匠', duty: 'business' },
  'reform:read': { label: '查看产改试点企业、清单、评星定级与统计', group: '产改', duty: 'business' },
  'reform:manage': { label: '确定产改试点，维护任务与问题清单，评星定级；修改评分项（市总）', group: '产改', duty: 'business' },
  'funds:read': { label: '查看工会经费：应收、收缴、分成、下拨、预算与支出', group: '工会经费', duty: 'business' },
  'funds:manage': { label: '登记与导入经费收缴、催缴、设置比例、下拨、编制预算、登记支出', group: '工会经费', duty: 'business' },
  'auditcommittee:read': { label: '查看经费审查项目、问题与整改', group: '经费审查', duty: 'business' },
  'auditcommittee:manage': { label: '开展经费审查：立项、记录问题、约谈、整改销号（经审委员会）', group: '经费审查', duty: 'business' },
} as const satisfies Record<string, { label: string; group: string; duty: Duty }>;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

export function dutyOfPermission(p: Permission): Duty {
  return PERMISSIONS[p].duty;
}

/** The permissions of one duty, e.g. what a role of that duty may hold. */
export function permissionsOfDuty(duty: Duty): Permission[] {
  return ALL_PERMISSIONS.filter((p) => PERMISSIONS[p].duty === duty);
}
