import type { Duty, Permission } from '../../platform/permissions.js';

export interface BuiltinRole {
  code: string;
  name: string;
  description: string;
  duty: Duty;
  permissions: Permission[];
}

const MEMBER_ADMIN: Permission[] = [
  'member:read',
  'member:write',
  'member:reveal',
  'member:export',
  'member:import',
  'member:match',
  'join:review',
  'campaign:manage',
];
const SERVICE_ADMIN: Permission[] = [
  'application:read',
  'application:handle',
  'application:export',
  'hardship:read',
  'hardship:write',
  'aid:read',
  'aid:disburse',
  'activity:read',
  'activity:manage',
  'activity:operate',
  'station:read',
  'station:manage',
  'rights:read',
  'rights:write',
];
// Above the grassroots: define services, give budgets, approve hardship files at county level.
const UPPER_SERVICE_ADMIN: Permission[] = [...SERVICE_ADMIN, 'service:manage', 'aid:manage', 'hardship:approve', 'rights:manage', 'station:inspect'];
const ORG_ADMIN: Permission[] = ['org:read', 'org:write', 'org:dissolve', 'stats:read', 'stats:report', ...MEMBER_ADMIN];
// Enterprises, 建会 and 集体协商 (issue 13): a grassroots union keeps its own 职代会 and contracts; the unions above approve foundings.
const ENTERPRISE_WORK: Permission[] = ['enterprise:read', 'enterprise:write', 'contract:read', 'contract:write'];
// 通知公告 and 资讯 (issue 15): every union receives notices and publishes news to its workers; unions with unions below send notices.
const NOTICE_WORK: Permission[] = ['notice:read', 'news:publish'];
// 目标考核 (issue 15): unions with unions below set and cascade yearly targets; the county and the city review 工作质效评价 claims.
const TARGET_WORK: Permission[] = ['target:read', 'target:manage'];
// 劳模工匠 (issue 16): the county and town unions and the city look after honoured people; grassroots unions read.
const MODELS_WORK: Permission[] = ['models:read', 'models:manage', 'reform:read', 'reform:manage'];
// 工会经费 (issue 17): every union keeps its own funds; the 经审委员会 reads them and audits, never changes them.
const FUNDS_WORK: Permission[] = ['funds:read', 'funds:manage', 'auditcommittee:read'];

// 三员 (system / security / audit administrators) hold disjoint duties and may not be combined;
// every other built-in role is business (decision 010). A role's permissions are all of its duty.
export const BUILTIN_ROLES: BuiltinRole[] = [
  {
    code: 'grassroots_admin',
    name: '基层工会管理员',
    description: '维护本基层工会信息',
    duty: 'business',
    permissions: [...FUNDS_WORK, 'org:read', 'org:write', 'stats:read', 'stats:report', ...MEMBER_ADMIN, ...SERVICE_ADMIN, ...ENTERPRISE_WORK, ...NOTICE_WORK, 'models:read'],
  },
  { code: 'town_admin', name: '镇街工会管理员', description: '管理本镇街及下属工会', duty: 'business', permissions: [...FUNDS_WORK, ...ORG_ADMIN, ...SERVICE_ADMIN, ...ENTERPRISE_WORK, 'enterprise:approve', ...NOTICE_WORK, 'notice:publish', ...TARGET_WORK, ...MODELS_WORK] },
  {
    code: 'county_admin',
    name: '县总工会管理员',
    description: '管理本县（市、区）及下属工会',
    duty: 'business',
    permissions: [...FUNDS_WORK, ...ORG_ADMIN, ...UPPER_SERVICE_ADMIN, ...ENTERPRISE_WORK, 'enterprise:approve', ...NOTICE_WORK, 'notice:publish', ...TARGET_WORK, 'target:review', ...MODELS_WORK],
  },
  {
    code: 'city_admin',
    name: '市总管理员',
    description: '管理全市工会组织',
    duty: 'business',
    permissions: [...FUNDS_WORK, ...ORG_ADMIN, ...UPPER_SERVICE_ADMIN, 'partner:manage', ...ENTERPRISE_WORK, 'enterprise:approve', ...NOTICE_WORK, 'notice:publish', ...TARGET_WORK, 'target:review', ...MODELS_WORK],
  },
  {
    code: 'leader',
    name: '领导(只读)',
    description: '查看管辖范围内的数据',
    duty: 'business',
    permissions: ['org:read', 'stats:read', 'member:read', 'application:read', 'hardship:read', 'aid:read', 'activity:read', 'rights:read', 'enterprise:read', 'contract:read', 'station:read', 'notice:read', 'target:read', 'funds:read', 'auditcommittee:read', 'models:read', 'reform:read'],
  },
  {
    code: 'audit_committee',
    name: '经审委员会',
    description: '经费审查：查看所审工会的经费（不能修改），立项审计、记录问题、约谈与整改销号',
    duty: 'business',
    permissions: ['org:read', 'stats:read', 'funds:read', 'auditcommittee:read', 'auditcommittee:manage'],
  },
  {
    code: 'system_admin',
    name: '系统管理员',
    description: '三员之一：管理业务账号与角色、节假日设置，重置安全管理员的密码',
    duty: 'system',
    permissions: ['account:read', 'account:write', 'role:read', 'role:write', 'holiday:manage'],
  },
  {
    code: 'security_admin',
    name: '安全管理员',
    description: '三员之一：管理会话、解锁账号，重置系统管理员与审计管理员的密码',
    duty: 'security',
    permissions: ['session:read', 'session:revoke', 'account:unlock'],
  },
  { code: 'audit_admin', name: '审计管理员', description: '三员之一：查阅审计日志', duty: 'audit', permissions: ['audit:read'] },
];
