// The console's sections, each behind one permission. Used by the menu and the home page.
import type { Component } from 'vue';
import { Document, Key, Monitor, OfficeBuilding, User } from '@element-plus/icons-vue';

export interface NavItem {
  path: string;
  title: string;
  permission: string;
  icon: Component;
  testid: string;
  description: string;
}

export const NAV_ITEMS: NavItem[] = [
  { path: '/orgs', title: '组织架构', permission: 'org:read', icon: OfficeBuilding, testid: 'menu-orgs', description: '查看和维护工会组织树' },
  { path: '/accounts', title: '账号管理', permission: 'account:read', icon: User, testid: 'menu-accounts', description: '管理后台账号、停用与解锁' },
  { path: '/roles', title: '角色权限', permission: 'role:read', icon: Key, testid: 'menu-roles', description: '配置角色及其权限' },
  { path: '/sessions', title: '会话管理', permission: 'session:read', icon: Monitor, testid: 'menu-sessions', description: '查看在线会话，强制下线' },
  { path: '/audit', title: '审计日志', permission: 'audit:read', icon: Document, testid: 'menu-audit', description: '查阅操作记录，校验日志完整性' },
];
