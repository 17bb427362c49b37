// One tab of 维权服务: its filters live in the URL (?tab=…&status=…), so a figure can link to a filtered
// tab and the back button restores it; the rows come page by page from the tab's list endpoint.
import { computed, onMounted, reactive, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { api } from '../../../../shared/api';
import type { Page } from '../../types';
import { usePagedList } from '../../composables/usePagedList';
import { pick } from './rights';

export function useRightsTab<Row>(opts: {
  tab: string;
  url: string;
  keys: readonly string[];
  /** The tab shown when the URL names none. */
  isDefault?: boolean;
  /** Copies widgets that are not plain strings (a date range) into the filters before they go to the URL. */
  beforeSearch?: (filters: Record<string, string>) => void;
  /** Sets those widgets from the filters read back from the URL. */
  afterRead?: (filters: Record<string, string>) => void;
}) {
  const route = useRoute();
  const router = useRouter();
  const filters = reactive<Record<string, string>>({});
  const fromRoute = () => {
    for (const k of opts.keys) filters[k] = '';
    Object.assign(filters, pick(route.query, opts.keys));
    opts.afterRead?.(filters);
  };
  const params = () => Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
  const list = usePagedList((p) => api<Page<Row>>('GET', opts.url, undefined, { ...params(), ...p }));
  const runSearch = () => {
    opts.beforeSearch?.(filters);
    void router.replace({ query: { tab: opts.tab, ...params() } });
  };
  const mine = () => route.query.tab === opts.tab || (!!opts.isDefault && !route.query.tab);
  watch(
    () => route.query,
    () => {
      if (!mine()) return;
      fromRoute();
      list.search();
    },
  );
  onMounted(() => {
    fromRoute();
    void list.load();
  });
  return { ...list, filters, runSearch, filtered: computed(() => Object.keys(params()).length > 0), router };
}
