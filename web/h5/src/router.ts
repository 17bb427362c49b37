import { createRouter, createWebHashHistory, type RouteLocationNormalized } from 'vue-router';
import { setUnauthenticatedHandler } from '../../shared/api';
import { clearSession, isCheckingSession, loadSession } from './session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Needs a signed-in worker; otherwise the router sends the user to 登录. */
    requiresAuth?: boolean;
    /** Shows the bottom tab bar; the value is the active tab. */
    tab?: 'home' | 'message' | 'mine';
    title?: string;
  }
}

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    {
      path: '/',
      name: 'home',
      component: () => import('./views/HomeView.vue'),
      meta: { requiresAuth: true, tab: 'home', title: '智慧工会' },
    },
    {
      path: '/login',
      name: 'login',
      component: () => import('./views/LoginView.vue'),
      meta: { title: '登录 - 智慧工会' },
    },
    {
      path: '/mine',
      name: 'mine',
      component: () => import('./views/MineView.vue'),
      meta: { requiresAuth: true, tab: 'mine', title: '我的 - 智慧工会' },
    },
    {
      path: '/join',
      name: 'join',
      // The membership or the open application when there is one (with 转会), else the wizard (issue 11).
      component: () => import('./views/JoinHomeView.vue'),
      meta: { requiresAuth: true, title: '申请入会 - 智慧工会' },
    },
    {
      path: '/join/status',
      name: 'join-status',
      component: () => import('./views/JoinStatusView.vue'),
      meta: { requiresAuth: true, title: '我的入会申请 - 智慧工会' },
    },
    {
      path: '/profile',
      name: 'profile',
      component: () => import('./views/ProfileView.vue'),
      meta: { requiresAuth: true, title: '个人信息 - 智慧工会' },
    },
    {
      path: '/profile/phone',
      name: 'profile-phone',
      component: () => import('./views/PhoneChangeView.vue'),
      meta: { requiresAuth: true, title: '更换手机号 - 智慧工会' },
    },
    {
      path: '/profile/change',
      name: 'profile-change',
      component: () => import('./views/ProfileChangeView.vue'),
      meta: { requiresAuth: true, title: '变更工作单位、住址 - 智慧工会' },
    },
    {
      path: '/account/close',
      name: 'account-close',
      component: () => import('./views/AccountCloseView.vue'),
      meta: { requiresAuth: true, title: '注销账号 - 智慧工会' },
    },
    {
      path: '/card',
      name: 'card',
      component: () => import('./views/CardView.vue'),
      meta: { requiresAuth: true, title: '电子会员卡 - 智慧工会' },
    },
    {
      path: '/messages',
      name: 'messages',
      component: () => import('./views/MessagesView.vue'),
      meta: { requiresAuth: true, tab: 'message', title: '消息 - 智慧工会' },
    },
    { path: '/services', name: 'services', component: () => import('./views/ServicesView.vue'), meta: { requiresAuth: true, title: '职工服务 - 智慧工会' } },
    {
      path: '/services/:code/apply',
      name: 'service-apply',
      component: () => import('./views/ServiceApplyView.vue'),
      meta: { requiresAuth: true, title: '服务申请 - 智慧工会' },
    },
    {
      path: '/applications',
      name: 'my-applications',
      component: () => import('./views/MyApplicationsView.vue'),
      meta: { requiresAuth: true, title: '我的申请 - 智慧工会' },
    },
    {
      path: '/applications/:id',
      name: 'application',
      component: () => import('./views/ApplicationView.vue'),
      meta: { requiresAuth: true, title: '申请详情 - 智慧工会' },
    },
    { path: '/rights', name: 'rights', component: () => import('./views/RightsView.vue'), meta: { requiresAuth: true, title: '维权服务 - 智慧工会' } },
    { path: '/rights/risk', name: 'rights-risk', component: () => import('./views/RightsRiskView.vue'), meta: { requiresAuth: true, title: '报告劳动关系风险 - 智慧工会' } },
    {
      path: '/rights/consultations/:id',
      name: 'rights-consultation',
      component: () => import('./views/RightsThreadView.vue'),
      meta: { requiresAuth: true, title: '我的咨询 - 智慧工会' },
    },
    { path: '/activities', name: 'activities', component: () => import('./views/ActivitiesView.vue'), meta: { requiresAuth: true, title: '活动 - 智慧工会' } },
    {
      path: '/activities/:id',
      name: 'activity',
      component: () => import('./views/ActivityView.vue'),
      meta: { requiresAuth: true, title: '活动详情 - 智慧工会' },
    },
    {
      path: '/enrollments',
      name: 'my-enrollments',
      component: () => import('./views/MyEnrollmentsView.vue'),
      meta: { requiresAuth: true, title: '我的报名 - 智慧工会' },
    },
    // 工会资讯 (issue 15): the list and an article.
    { path: '/news', name: 'news', component: () => import('./views/NewsListView.vue'), meta: { requiresAuth: true, title: '工会资讯 - 智慧工会' } },
    { path: '/news/:id', name: 'news-article', component: () => import('./views/NewsArticleView.vue'), meta: { requiresAuth: true, title: '资讯 - 智慧工会' } },
    // 附近驿站 (issue 14): map and list, detail, check-in by the site's QR poster.
    { path: '/stations', name: 'stations', component: () => import('./views/StationsView.vue'), meta: { requiresAuth: true, title: '附近驿站 - 智慧工会' } },
    {
      path: '/stations/checkin',
      name: 'station-checkin',
      component: () => import('./views/StationCheckinView.vue'),
      meta: { requiresAuth: true, title: '驿站签到 - 智慧工会' },
    },
    { path: '/stations/:id', name: 'station', component: () => import('./views/StationView.vue'), meta: { requiresAuth: true, title: '驿站详情 - 智慧工会' } },
    { path: '/checkin', name: 'checkin', component: () => import('./views/CheckinView.vue'), meta: { requiresAuth: true, title: '签到 - 智慧工会' } },
    {
      path: '/certificates',
      name: 'my-certificates',
      component: () => import('./views/MyCertificatesView.vue'),
      meta: { requiresAuth: true, title: '我的证书 - 智慧工会' },
    },
    { path: '/quiz/:id', name: 'quiz', component: () => import('./views/QuizView.vue'), meta: { requiresAuth: true, title: '知识竞赛 - 智慧工会' } },
    // Opened by anyone scanning a certificate's QR: no login.
    {
      path: '/certificates/verify',
      name: 'certificate-verify',
      component: () => import('./views/CertificateVerifyView.vue'),
      meta: { title: '证书核验 - 智慧工会' },
    },
    {
      // 抽签公示: anyone may check a draw (seed against its commitment, the server's re-run): no login.
      path: '/lottery/:id',
      name: 'lottery-result',
      component: () => import('./views/LotteryView.vue'),
      meta: { title: '抽签公示 - 智慧工会' },
    },
    {
      // Opened by a station or merchant scanning a member's card: no login.
      path: '/verify',
      name: 'verify',
      component: () => import('./views/VerifyView.vue'),
      meta: { title: '会员卡核验 - 智慧工会' },
    },
    {
      path: '/soon/:entry',
      name: 'soon',
      component: () => import('./views/ComingSoonView.vue'),
      meta: { title: '智慧工会' },
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
  scrollBehavior: () => ({ top: 0 }),
});

function loginLocation(to: RouteLocationNormalized) {
  return to.fullPath === '/' ? { name: 'login' } : { name: 'login', query: { redirect: to.fullPath } };
}

router.beforeEach(async (to) => {
  if (!to.meta.requiresAuth) return true;
  try {
    const worker = await loadSession();
    return worker ? true : loginLocation(to);
  } catch {
    // Network or server trouble: let the page open; it shows its own error and a retry.
    return true;
  }
});

router.afterEach((to) => {
  document.title = to.meta.title ?? '智慧工会';
});

// Any later request answering 401 (session expired or signed out elsewhere): back to 登录.
setUnauthenticatedHandler(() => {
  if (isCheckingSession()) return; // the navigation guard deals with this one
  clearSession();
  const current = router.currentRoute.value;
  if (current.meta.requiresAuth) void router.replace(loginLocation(current));
});
