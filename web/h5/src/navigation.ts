// 返回: back in the history when the page was reached inside the app, else to a sensible page
// (opened from a QR code, a shared link or a message, there is no in-app page to go back to).
import type { RouteLocationRaw, Router } from 'vue-router';

export function goBack(router: Router, fallback: RouteLocationRaw, opts: { notFrom?: string } = {}): void {
  const state = window.history.state as { back?: unknown } | null;
  // `notFrom`: a page that should not be returned to (e.g. the form this page was submitted from).
  if (state && typeof state.back === 'string' && !(opts.notFrom && state.back.startsWith(opts.notFrom))) router.back();
  else void router.replace(fallback);
}
