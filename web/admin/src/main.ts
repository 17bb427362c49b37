import { createApp } from 'vue';
import ElementPlus, { ElMessage } from 'element-plus';
import 'element-plus/dist/index.css';
import './styles.css';
import './a11y.css';
import { mendElementPlusAria } from './a11y';
import { setPasswordChangeRequiredHandler, setUnauthenticatedHandler } from '../../shared/api';
import App from './App.vue';
import { router } from './router';
import { isLoggingOut, session, signedOut } from './session';

// A 401 after sign-in means the session ended (idle timeout, forced sign-out …).
setUnauthenticatedHandler(() => {
  if (!session.account || isLoggingOut()) return;
  signedOut();
  ElMessage.warning({ message: '登录已过期，请重新登录', grouping: true });
  const current = router.currentRoute.value;
  if (current.name !== 'login') {
    void router.replace({ name: 'login', query: current.fullPath !== '/' ? { redirect: current.fullPath } : {} });
  }
});

// A 403 PASSWORD_CHANGE_REQUIRED: the password was reset meanwhile (or this is the first sign-in).
setPasswordChangeRequiredHandler(() => {
  if (!session.account) return;
  session.account.mustChangePassword = true;
  const current = router.currentRoute.value;
  if (current.name !== 'change-password') {
    void router.replace({ name: 'change-password', query: current.fullPath !== '/' ? { redirect: current.fullPath } : {} });
  }
});

mendElementPlusAria();
createApp(App).use(ElementPlus).use(router).mount('#app');
