import { createRouter, createWebHashHistory } from 'vue-router';
import { ElMessage } from 'element-plus';
import { can, restoreSession, session } from './session';
import { NAV_ITEMS } from './nav';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    permission?: string | readonly string[];
    title?: string;
  }
}

const views = {
  orgs: () => import('./views/OrgsView.vue'),
  members: () => import('./views/MembersView.vue'),
  'member-changes': () => import('./views/MemberChangesView.vue'),
  'join-applications': () => import('./views/JoinApplicationsView.vue'),
  campaigns: () => import('./views/CampaignsView.vue'),
  imports: () => import('./views/ImportsView.vue'),
  'match-lists': () => import('./views/MatchListsView.vue'),
  'work-queue': () => import('./views/WorkQueueView.vue'),
  applications: () => import('./views/ApplicationsView.vue'),
  'service-types': () => import('./views/ServiceTypesView.vue'),
  hardship: () => import('./views/HardshipView.vue'),
  'aid-funds': () => import('./views/AidFundsView.vue'),
  rights: () => import('./views/RightsView.vue'),
  activities: () => import('./views/ActivitiesView.vue'),
  stations: () => import('./views/StationsView.vue'),
  accounts: () => import('./views/AccountsView.vue'),
  roles: () => import('./views/RolesView.vue'),
  holidays: () => import('./views/HolidaysView.vue'),
  sessions: () => import('./views/SessionsView.vue'),
  audit: () => import('./views/AuditView.vue'),
  enterprises: () => import('./views/EnterprisesView.vue'),
  contracts: () => import('./views/ContractsView.vue'),
  democracy: () => import('./views/DemocracyView.vue'),
  reports: () => import('./views/ReportsView.vue'),
  notices: () => import('./views/NoticesView.vue'),
  news: () => import('./views/NewsView.vue'),
  targets: () => import('./views/TargetsView.vue'),
  funds: () => import('./views/FundsView.vue'),
  'audit-committee': () => import('./views/AuditCommitteeView.vue'),
  models: () => import('./views/ModelsView.vue'),
  studios: () => import('./views/StudiosView.vue'),
  reform: () => import('./views/ReformView.vue'),
};

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: '登录' } },
    // 数据大屏: full screen for the meeting room, outside the console's menu and header.
    { path: '/cockpit', name: 'cockpit', component: () => import('./views/CockpitView.vue'), meta: { permission: 'stats:read', title: '数据大屏' } },
    // First sign-in or a reset: nothing else answers until the password is changed (server-enforced).
    { path: '/change-password', name: 'change-password', component: () => import('./views/ChangePasswordView.vue'), meta: { title: '修改密码' } },
    {
      path: '/',
      component: () => import('./components/AppLayout.vue'),
      children: [
        { path: '', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: '首页' } },
        // Detail pages (not in the menu), behind the same permission as their list.
        {
          path: 'stats/:code',
          name: 'indicator',
          component: () => import('./views/IndicatorView.vue'),
          meta: { permission: 'stats:read', title: '指标' },
        },
        {
          path: 'applications/:id',
          name: 'application',
          component: () => import('./views/ApplicationDetailView.vue'),
          meta: { permission: 'application:read', title: '申请详情' },
        },
        {
          path: 'hardship/:id',
          name: 'hardship-file',
          component: () => import('./views/HardshipFileView.vue'),
          meta: { permission: 'hardship:read', title: '困难职工档案' },
        },
        { path: 'rights/consultations/:id', name: 'rights-consultation', component: () => import('./views/RightsConsultationView.vue'), meta: { permission: 'rights:read', title: '维权咨询' } },
        { path: 'rights/cases/:id', name: 'rights-case', component: () => import('./views/RightsCaseView.vue'), meta: { permission: 'rights:read', title: '维权案件' } },
        { path: 'rights/letters/:id', name: 'rights-letter', component: () => import('./views/RightsLetterView.vue'), meta: { permission: 'rights:read', title: '劳动法律监督文书' } },
        { path: 'rights/tickets/:id', name: 'rights-ticket', component: () => import('./views/RightsTicketView.vue'), meta: { permission: 'rights:read', title: '诉求工单' } },
        { path: 'audit-committee/:id', name: 'audit-project', component: () => import('./views/AuditProjectView.vue'), meta: { permission: 'auditcommittee:read', title: '经费审查项目' } },
        { path: 'rights/checkups/:id', name: 'rights-checkup', component: () => import('./views/RightsCheckupView.vue'), meta: { permission: 'rights:read', title: '法治体检' } },
        { path: 'rights/risks/:id', name: 'rights-risk', component: () => import('./views/RightsRiskView.vue'), meta: { permission: 'rights:read', title: '劳动关系风险报告' } },
        {
          path: 'activities/:id',
          name: 'activity',
          component: () => import('./views/ActivityDetailView.vue'),
          meta: { permission: 'activity:read', title: '活动详情' },
        },
        {
          path: 'stations/:id',
          name: 'station',
          component: () => import('./views/StationDetailView.vue'),
          meta: { permission: 'station:read', title: '阵地详情' },
        },
        {
          path: 'notices/:id',
          name: 'notice',
          component: () => import('./views/NoticeDetailView.vue'),
          meta: { permission: ['notice:read', 'notice:publish'], title: '通知公告' },
        },
        { path: 'reform/:id', name: 'reform-pilot', component: () => import('./views/ReformPilotView.vue'), meta: { permission: 'reform:read', title: '产改试点企业' } },
        { path: 'studios/:id', name: 'studio', component: () => import('./views/StudioView.vue'), meta: { permission: 'models:read', title: '创新工作室' } },
        { path: 'problems/:id', name: 'problem', component: () => import('./views/ProblemView.vue'), meta: { permission: 'models:read', title: '助企行难题' } },
        { path: 'models/:id', name: 'model-person', component: () => import('./views/ModelPersonView.vue'), meta: { permission: 'models:read', title: '劳模工匠' } },
        {
          path: 'contracts/:id',
          name: 'contract',
          component: () => import('./views/ContractDetailView.vue'),
          meta: { permission: 'contract:read', title: '集体合同' },
        },
        ...NAV_ITEMS.map((item) => {
          const name = item.path.slice(1) as keyof typeof views;
          return { path: item.path.slice(1), name, component: views[name], meta: { permission: item.permission, title: item.title } };
        }),
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  await restoreSession();
  if (to.meta.public) {
    return to.name === 'login' && session.account ? { name: 'home' } : true;
  }
  if (!session.account) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  }
  if (session.account.mustChangePassword) {
    if (to.name === 'change-password') return true;
    return { name: 'change-password', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  }
  if (to.name === 'change-password') return { name: 'home' };
  if (to.meta.permission && !can(to.meta.permission)) {
    ElMessage.warning('您没有访问该页面的权限');
    return { name: 'home' };
  }
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 智慧工会服务平台` : '智慧工会服务平台';
});
