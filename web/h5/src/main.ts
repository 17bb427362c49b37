import { createApp } from 'vue';
// Vant: components are imported one by one where they are used; only their styles load.
import 'vant/es/style/base.css';
import App from './App.vue';
import { router } from './router';

createApp(App).use(router).mount('#app');
