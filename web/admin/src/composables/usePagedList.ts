// The paged-list state every list page shares: current page, page size, the loaded rows and total,
// and a loading flag. Pair it with <ListPager> for the pager under the table.
import { ref, type Ref } from 'vue';
import type { Page } from '../types';
import { showError } from '../format';

export interface PageParams {
  page: number;
  pageSize: number;
}

export interface PagedList<T> {
  items: Ref<T[]>;
  total: Ref<number>;
  page: Ref<number>;
  pageSize: Ref<number>;
  loading: Ref<boolean>;
  /** Fetches the current page; failures are shown with showError and leave the rows as they were. */
  load: () => Promise<void>;
  /** Back to page 1, then load — for a changed filter or page size. */
  search: () => void;
}

/**
 * `fetcher` receives the page to fetch and adds its own filters, e.g.
 * `usePagedList((p) => api<Page<Account>>('GET', '/api/accounts', undefined, { q: filters.q, ...p }))`.
 */
export function usePagedList<T>(fetcher: (params: PageParams) => Promise<Page<T>>, options: { pageSize?: number } = {}): PagedList<T> {
  const items = ref([]) as Ref<T[]>;
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(options.pageSize ?? 20);
  const loading = ref(false);
  // Only the latest request may write the rows, so a slow earlier response cannot replace newer ones.
  let seq = 0;

  async function load(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      const r = await fetcher({ page: page.value, pageSize: pageSize.value });
      if (mine !== seq) return;
      items.value = r.items;
      total.value = r.total;
    } catch (e) {
      if (mine === seq) showError(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function search(): void {
    page.value = 1;
    void load();
  }

  return { items, total, page, pageSize, loading, load, search };
}
