// Where links that leave the system point (QR codes, copied links): the server's PUBLIC_BASE_URL
// (/api/config), else this page's own address. Fetched once per page load.
import { ref, type Ref } from 'vue';

export interface PublicConfig {
  appName: string;
  version: string;
  demoMode: boolean;
  publicBaseUrl: string | null;
  /** Production without PUBLIC_BASE_URL: what the console warns about. */
  publicBaseWarning: string | null;
}

let pending: Promise<PublicConfig | null> | null = null;

export function publicConfig(): Promise<PublicConfig | null> {
  pending ??= fetch('/api/config')
    .then((r) => (r.ok ? (r.json() as Promise<PublicConfig>) : null))
    .catch(() => null);
  return pending;
}

export async function publicBase(): Promise<string> {
  return (await publicConfig())?.publicBaseUrl ?? window.location.origin;
}

/** The base as a ref: this page's address at first, the configured one once known. */
export function usePublicBase(): Ref<string> {
  const base = ref(window.location.origin);
  void publicBase().then((b) => (base.value = b));
  return base;
}
