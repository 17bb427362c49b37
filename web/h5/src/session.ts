// The worker's login state: who is signed in (from GET /api/worker/me or the login answer)
// and the CSRF token that every state-changing request must carry.
import { reactive } from 'vue';
import { api, ApiError, setCsrfToken } from '../../shared/api';

export interface Worker {
  id: string;
  phoneMasked: string;
  memberStatus: string | null;
}

interface MeResponse {
  worker: Worker;
  csrfToken: string;
}

interface LoginResponse {
  worker: { id: string; phoneMasked: string };
  csrfToken: string;
}

export interface SmsCodeResponse {
  sent: boolean;
  resendAfter: number;
  demoCode?: string;
}

export const session = reactive<{ worker: Worker | null; checked: boolean }>({
  worker: null,
  checked: false,
});

let pending: Promise<Worker | null> | null = null;

/** True while a GET /api/worker/me is on its way (its 401 is handled by the caller). */
export function isCheckingSession(): boolean {
  return pending !== null;
}

export function clearSession(): void {
  session.worker = null;
  sessionStorage.removeItem(LOGIN_PHONE_KEY);
  session.checked = true;
  setCsrfToken(null);
}

/**
 * Who is signed in. Asks the server once per page load (or again with `force`);
 * resolves to null when the server answers 401. Other failures (network, 5xx) reject.
 */
export function loadSession(force = false): Promise<Worker | null> {
  if (session.checked && !force) return Promise.resolve(session.worker);
  if (!pending) {
    pending = api<MeResponse>('GET', '/worker/me')
      .then((res) => {
        setCsrfToken(res.csrfToken);
        session.worker = res.worker;
        session.checked = true;
        return res.worker;
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) {
          clearSession();
          return null;
        }
        throw err;
      })
      .finally(() => {
        pending = null;
      });
  }
  return pending;
}

export function sendSmsCode(phone: string): Promise<SmsCodeResponse> {
  return api<SmsCodeResponse>('POST', '/worker/sms-code', { phone });
}

export async function login(phone: string, code: string): Promise<Worker> {
  const res = await api<LoginResponse>('POST', '/worker/login', { phone, code });
  setCsrfToken(res.csrfToken);
  sessionStorage.setItem(LOGIN_PHONE_KEY, phone);
  session.worker = { memberStatus: null, ...res.worker };
  session.checked = true;
  return session.worker;
}

export async function logout(): Promise<void> {
  try {
    await api<{ ok: true }>('POST', '/worker/logout', {});
  } catch (err) {
    // Already signed out on the server: nothing more to do.
    // Any other failure keeps the local state so the user can try again.
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  clearSession();
}

export const PHONE_PATTERN = /^1[3-9]\d{9}$/;

/** The phone this tab signed in with (the join form needs it in full; the server only gives it masked). */
const LOGIN_PHONE_KEY = 'gh_login_phone';
export function loginPhone(): string | null {
  const phone = sessionStorage.getItem(LOGIN_PHONE_KEY);
  const masked = session.worker?.phoneMasked;
  return phone && masked && `${phone.slice(0, 3)}****${phone.slice(7)}` === masked ? phone : null;
}
