// The console's sections, each behind one permission. Used by the menu and the home page.
import type { Component } from 'vue';
import {
  Bell,
  Calendar,
  Coin,
  Connection,
  Document,
  Files,
  Finished,
  FirstAidKit,
  Flag,
  Key,
  List,
  Location,
  Monitor,
  OfficeBuilding,
  Promotion,
  Stamp,
  Upload,
  User,
  UserFilled,
} from '@element-plus/icons-vue';

export interface NavItem {
  path: string;
  title: string;
  /** One permission, or a list of which any one opens the section. */
  permission: string | readonly string[];
  icon: Component;
  testid: string;
  description: string;
}

export const NAV_ITEMS: NavItem[] = [
  { path: '/orgs', title: '组织架构', permission: 'org:read', icon: OfficeBuilding, testid: 'menu-orgs', description: '查看和维护工会组织树' },
  { path: '/members', title: '会员名册', permission: 'member:read', icon: UserFilled, testid: 'menu-members', description: '实名制会员名册、会籍变动与导出' },
  {
    path: '/member-changes',
    title: '信息变更审核',
    permission: 'member:write',
    icon: Document,
    testid: 'menu-member-changes',
    description: '会员在职工端申请变更工作单位、住址，核对后通过或不通过',
  },
  {
    path: '/join-applications',
    title: '入会审核',
    permission: 'join:review',
    icon: Finished,
    testid: 'menu-join-applications',
    description: '审核入会申请，办理会籍转出',
  },
  {
    path: '/campaigns',
    title: '入会活动',
    permission: 'campaign:manage',
    icon: Promotion,
    testid: 'menu-campaigns',
    description: '入会攻坚活动、二维码与海报',
  },
  { path: '/imports', title: '批量导入', permission: 'member:import', icon: Upload, testid: 'menu-imports', description: '用模板批量导入会员' },
  {
    path: '/match-lists',
    title: '名单比对',
    permission: 'member:match',
    icon: Connection,
    testid: 'menu-match-lists',
    description: '外部名单与会员名册比对，找出未入会人员',
  },
  { path: '/work-queue', title: '待我处理', permission: 'application:handle', icon: Bell, testid: 'menu-work-queue', description: '按时限排序的待办服务申请' },
  {
    path: '/applications',
    title: '服务申请',
    permission: 'application:read',
    icon: Files,
    testid: 'menu-applications',
    description: '查询、筛选、导出职工服务申请',
  },
  {
    path: '/service-types',
    title: '服务事项',
    permission: 'service:manage',
    icon: List,
    testid: 'menu-service-types',
    description: '配置服务事项的表单与审批流程',
  },
  {
    path: '/hardship',
    title: '困难职工档案',
    permission: 'hardship:read',
    icon: FirstAidKit,
    testid: 'menu-hardship',
    description: '一户一档：建档、核实、公示、复核、结对帮扶',
  },
  {
    path: '/rights',
    title: '维权服务',
    permission: 'rights:read',
    icon: Stamp,
    testid: 'menu-rights',
    description: '咨询台账、调解与法律援助案件、一函两书、12351 诉求工单',
  },
  { path: '/aid-funds', title: '帮扶资金', permission: 'aid:read', icon: Coin, testid: 'menu-aid-funds', description: '资金预算、发放台账与余额' },
  {
    path: '/activities',
    title: '活动管理',
    permission: 'activity:read',
    icon: Flag,
    testid: 'menu-activities',
    description: '疗休养、暑托班、竞赛、培训等活动与报名',
  },
  {
    path: '/stations',
    title: '阵地管理',
    permission: 'station:read',
    icon: Location,
    testid: 'menu-stations',
    description: '职工之家、工会驿站、司机之家等阵地：台账、地图、验收与星级、服务人次',
  },
  {
    path: '/enterprises',
    title: '企业与建会',
    permission: 'enterprise:read',
    icon: OfficeBuilding,
    testid: 'menu-enterprises',
    description: '企业名录、未建会企业、建会进程、覆盖率',
  },
  {
    path: '/contracts',
    title: '集体协商',
    permission: 'contract:read',
    icon: Document,
    testid: 'menu-contracts',
    description: '集体合同、范本、要约行动与备案',
  },
  {
    path: '/democracy',
    title: '民主管理',
    permission: 'enterprise:read',
    icon: Connection,
    testid: 'menu-democracy',
    description: '职代会、厂务公开与建制率',
  },
  {
    path: '/accounts',
    title: '账号管理',
    // The system administrator manages accounts; the security administrator unlocks them and resets the 三员's.
    permission: ['account:read', 'account:unlock'],
    icon: User,
    testid: 'menu-accounts',
    description: '管理后台账号、停用与解锁、重置密码',
  },
  { path: '/roles', title: '角色权限', permission: 'role:read', icon: Key, testid: 'menu-roles', description: '配置角色及其权限' },
  {
    path: '/holidays',
    title: '节假日设置',
    permission: 'holiday:manage',
    icon: Calendar,
    testid: 'menu-holidays',
    description: '法定节假日与调休上班日，办理时限按此计算工作日',
  },
  { path: '/sessions', title: '会话管理', permission: 'session:read', icon: Monitor, testid: 'menu-sessions', description: '查看在线会话，强制下线' },
  { path: '/audit', title: '审计日志', permission: 'audit:read', icon: Document, testid: 'menu-audit', description: '查阅操作记录，校验日志完整性' },
];
